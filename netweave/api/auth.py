"""Who is calling the API: a personal API token, a browser session, or nobody.

Every operation runs the callables of `OPTIONAL_AUTH` (anonymous callers allowed; the endpoint then
asks `access_for(...).can(...)`) or `REQUIRED_AUTH` (a signed-in caller, otherwise 401). The
authenticated user ends up in `request.auth` (an `AnonymousUser` for anonymous callers), and
`caller(request)` returns it.

- Bearer tokens (`Authorization: Bearer nw_...`) are checked with
  `netweave.accounts.services.api_token_authenticate`. A token that is sent but unknown or revoked
  is a 401, never a silent fall back to anonymous: a script should hear that its token is dead.
- A Django session counts only for a signed-in user, and then CSRF is enforced for unsafe
  methods (the browser sends the session cookie on its own, so only the CSRF token proves the
  page asked for it). A request without a signed-in session carries no ambient authority and is
  not CSRF-checked; it is simply anonymous.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError, HttpError
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from netweave.accounts.services import api_token_authenticate
from netweave.networks.permissions import Access, Capability
from netweave.networks.selectors import network_for_viewer

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


class ApiTokenAuth(HttpBearer):
    """`Authorization: Bearer nw_...`: a personal API token (created at /me/tokens/)."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = api_token_authenticate(raw=token.strip()) if token.strip() else None
        if user is None:
            raise AuthenticationError(
                message=_(
                    "This API token is unknown or was revoked; create a new one at /me/tokens/."
                )
            )
        request.user = user
        request.netweave_auth_method = "token"  # type: ignore[attr-defined]
        return user


class SessionCookieAuth(APIKeyCookie):
    """The browser's Django session; unsafe methods must carry the CSRF token (X-CSRFToken)."""

    param_name = settings.SESSION_COOKIE_NAME

    def __init__(self) -> None:
        super().__init__(csrf=True)

    def _get_key(self, request: HttpRequest) -> str | None:
        # Unlike ninja's own cookie auth, check CSRF only when the session would authenticate
        # someone: an anonymous POST has nothing to forge.
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = getattr(request, "user", None)
        if key is None or user is None or not user.is_authenticated:
            return None
        if request.method not in SAFE_METHODS and check_csrf(request) is not None:
            raise HttpError(
                403,
                _(
                    "CSRF check failed: send the csrftoken cookie's value in the X-CSRFToken "
                    "header, or authenticate with a personal API token instead."
                ),
            )
        request.netweave_auth_method = "session"  # type: ignore[attr-defined]
        return user


class AnonymousAccess:
    """The last resort of `OPTIONAL_AUTH`: the caller is nobody in particular.

    Not an `AuthBase`, so it adds no security scheme; the API adds an empty requirement (`{}`)
    to the OpenAPI `security` of operations that accept it."""

    def __call__(self, request: HttpRequest) -> AnonymousUser:
        request.netweave_auth_method = "anonymous"  # type: ignore[attr-defined]
        return AnonymousUser()


api_token_auth = ApiTokenAuth()
session_auth = SessionCookieAuth()
anonymous_access = AnonymousAccess()

OPTIONAL_AUTH: list[Callable[[HttpRequest], Any]] = [api_token_auth, session_auth, anonymous_access]
REQUIRED_AUTH: list[Callable[[HttpRequest], Any]] = [api_token_auth, session_auth]


def caller(request: HttpRequest) -> Any:
    """The user behind this API request (an `AnonymousUser` when nobody signed in)."""
    return getattr(request, "auth", None) or AnonymousUser()


def auth_method(request: HttpRequest) -> str:
    """How the caller authenticated: "token", "session" or "anonymous"."""
    return getattr(request, "netweave_auth_method", "anonymous")


def network_access(
    request: HttpRequest, slug: str, capability: Capability, denied: str = ""
) -> Access:
    """The caller's access to network `slug`, which must grant `capability`.

    Like the HTML pages: a network the caller may not see is a 404 (private networks do not exist
    for outsiders); lacking the capability is a 401 for anonymous callers (signing in may help)
    and a 403 for everyone else, with `denied` as the message when given."""
    user = caller(request)
    _network, access = network_for_viewer(slug=slug, user=user)
    if not access.can(capability):
        if not user.is_authenticated:
            raise AuthenticationError()
        raise PermissionDenied(
            denied or _("You do not have permission to do this in this network.")
        )
    return access


def network_person(access: Access, person_id: int, field: str, *, active: bool = True) -> Any:
    """The person `person_id` of the caller's network, for a body field that names one: a 400
    naming `field` otherwise. `active=False` accepts any membership (lapsed, invited...), for
    operations whose own rules then say why such a person does not fit."""
    from netweave.people.models import Membership, Person

    memberships = Membership.objects.filter(network=access.network, person_id=person_id)
    if active:
        memberships = memberships.filter(status=Membership.Status.ACTIVE)
    person = Person.objects.filter(pk__in=memberships.values("person_id")).first()
    if person is None:
        message = (
            _("%(field)s: person %(id)d is not an active member of this network.")
            if active
            else _("%(field)s: person %(id)d is not a member of this network.")
        )
        raise HttpError(400, message % {"field": field, "id": person_id})
    return person
