"""The words of permission_table.py: who may do something, and what each visitor then sees.

A table entry says *who* may use a URL (`Who.OBSERVER_UP`, ...). `expected_page` and
`expected_api` turn that into the answer each person of the test cast must get; `page_outcome` and
`api_outcome` read the answer a response actually gave. Section 5 of /work/shared/design.md is the
source; netweave/networks/permissions.py is the code under test, so nothing here imports it.
"""

from __future__ import annotations

from enum import Enum, StrEnum
from urllib.parse import parse_qs, urlsplit

from django.conf import settings
from django.contrib.messages import constants as message_levels
from django.contrib.messages import get_messages
from django.http.response import HttpResponseBase
from django.shortcuts import resolve_url
from django.urls import reverse


class Outcome(StrEnum):
    ALLOWED = "allowed (2xx, or a redirect to a page that is not a sign-in page)"
    REFUSED = "refused with an error message (a redirect back, nothing done)"
    BAD_INPUT = "400: the form or body was empty or wrong (past the permission check)"
    CONFLICT = "409: the request clashes with the current state (past the permission check)"
    LOGIN = "sent to sign in (302 to /accounts/login/?next=<this page>)"
    SIGN_IN_PAGE = "sent to the sign-in page with no way back (no ?next=)"
    STAFF_LOGIN = "sent to the admin's sign-in page"
    UNAUTHORIZED = "401 (the API asks for a token or a session)"
    FORBIDDEN = "403"
    NOT_FOUND = "404"
    METHOD_NOT_ALLOWED = "405"


# The cast of netweave/lib/testing.py and the rung each one stands on *in cast.network*.
# other_member coordinates cast.other_network: here they are an outsider like any other.
ROLES = ["anonymous", "outsider", "other_member", "observer", "member", "steward", "coordinator"]
RUNG = {
    "anonymous": 0,
    "outsider": 0,
    "other_member": 0,
    "observer": 1,
    "member": 2,
    "steward": 3,
    "coordinator": 4,
}


class Who(Enum):
    """Who gets through. The rungs are the columns of design.md section 5."""

    EVERYONE = "everyone, signed in or not"
    SIGNED_IN = "anyone signed in (anonymous visitors are sent to sign in)"
    OBSERVER_UP = "observers, members, stewards and coordinators of the network"
    MEMBER_UP = "members, stewards and coordinators of the network"
    STEWARD_UP = "stewards and coordinators of the network"
    COORDINATOR = "coordinators of the network"
    STAFF = "site staff (Django admin); nobody in the cast"
    NO_ONE = "nobody: the method is not allowed (405), whoever asks"
    NO_ONE_SIGNED_IN = "nobody: anonymous visitors are sent to sign in, everyone else gets 405"
    # Joining: open to anyone signed in, but only a public network takes applications.
    APPLICANTS = "anyone signed in, where the network takes applications (public networks)"


_NETWORK_RUNGS = {
    Who.OBSERVER_UP: 1,
    Who.MEMBER_UP: 2,
    Who.STEWARD_UP: 3,
    Who.COORDINATOR: 4,
}


def expected_page(who: Who, role: str, *, network_page: bool, private: bool) -> Outcome:
    """The answer `role` must get from an HTML page that `who` may use."""
    signed_in = role != "anonymous"
    hidden = network_page and private and RUNG[role] == 0  # a private network does not exist
    match who:
        case Who.NO_ONE:
            return Outcome.METHOD_NOT_ALLOWED
        case Who.NO_ONE_SIGNED_IN:
            return Outcome.METHOD_NOT_ALLOWED if signed_in else Outcome.LOGIN
        case Who.STAFF:
            return Outcome.STAFF_LOGIN
        case Who.EVERYONE:
            return Outcome.NOT_FOUND if hidden else Outcome.ALLOWED
        case Who.SIGNED_IN:
            if not signed_in:
                return Outcome.LOGIN
            return Outcome.NOT_FOUND if hidden else Outcome.ALLOWED
        case Who.APPLICANTS:
            if not signed_in:
                return Outcome.LOGIN
            if hidden:
                return Outcome.NOT_FOUND
            return Outcome.FORBIDDEN if private else Outcome.ALLOWED
    rung = _NETWORK_RUNGS[who]
    if RUNG[role] >= rung:
        return Outcome.ALLOWED
    if hidden:
        return Outcome.NOT_FOUND
    return Outcome.FORBIDDEN if signed_in else Outcome.LOGIN


def expected_api(who: Who, role: str, *, network_operation: bool, private: bool) -> Outcome:
    """The answer `role` must get from an API operation that `who` may use: the same as a page,
    except that the API has no sign-in page and answers 401 where a page sends to sign in."""
    if who in (Who.STAFF, Who.NO_ONE_SIGNED_IN):
        raise ValueError(f"{who} is not used for API operations")
    outcome = expected_page(who, role, network_page=network_operation, private=private)
    return Outcome.UNAUTHORIZED if outcome is Outcome.LOGIN else outcome


# --- reading an answer ----------------------------------------------------------------------------


class UnexpectedAnswer(AssertionError):
    pass


def _has_error_message(response: HttpResponseBase) -> bool:
    request = getattr(response, "wsgi_request", None)
    if request is None:
        return False
    return any(m.level >= message_levels.ERROR for m in get_messages(request))


def page_outcome(response: HttpResponseBase, requested: str) -> Outcome:
    """What an HTML response means. A sign-in redirect must bring the visitor back (?next=)."""
    status = response.status_code
    if status in (301, 302, 303, 307, 308):
        location = urlsplit(response["Location"])
        sign_in_pages = {
            resolve_url(settings.LOGIN_URL): Outcome.LOGIN,
            reverse("admin:login"): Outcome.STAFF_LOGIN,
        }
        if location.path in sign_in_pages:
            back_to = parse_qs(location.query).get("next", [""])[0]
            if not back_to and location.path == resolve_url(settings.LOGIN_URL):
                return Outcome.SIGN_IN_PAGE
            if back_to != requested:
                raise UnexpectedAnswer(
                    f"sent to sign in at {response['Location']!r}, but ?next= does not bring "
                    f"the visitor back to {requested!r}"
                )
            return sign_in_pages[location.path]
        return Outcome.REFUSED if _has_error_message(response) else Outcome.ALLOWED
    if 200 <= status < 300:
        return Outcome.ALLOWED
    known = {
        400: Outcome.BAD_INPUT,
        403: Outcome.FORBIDDEN,
        404: Outcome.NOT_FOUND,
        405: Outcome.METHOD_NOT_ALLOWED,
    }
    if status in known:
        return known[status]
    raise UnexpectedAnswer(f"answered {status}, which no table entry can expect")


def api_outcome(response: HttpResponseBase) -> Outcome:
    """What an API response means."""
    status = response.status_code
    if 200 <= status < 300:
        return Outcome.ALLOWED
    known = {
        400: Outcome.BAD_INPUT,
        401: Outcome.UNAUTHORIZED,
        403: Outcome.FORBIDDEN,
        404: Outcome.NOT_FOUND,
        405: Outcome.METHOD_NOT_ALLOWED,
        409: Outcome.CONFLICT,
    }
    if status in known:
        return known[status]
    raise UnexpectedAnswer(f"answered {status}: {getattr(response, 'content', b'')[:300]!r}")
