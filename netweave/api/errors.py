"""Every API error is JSON: `{"error": "what went wrong and what to do"}` with the right status.

400 bad input (with a `detail` list for validation errors), 401 not signed in where that matters,
403 not allowed, 404 not found or not visible to the caller, 409 conflicts with the current state
(domain rules of the services). Unexpected exceptions are logged and answered with a JSON 500."""

from __future__ import annotations

import logging
from functools import partial
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from netweave.field.services import FieldError
from netweave.library.ingest import FeedError
from netweave.library.services import LibraryError, UploadRejected
from netweave.networks.services import NetworkError
from netweave.outreach.common import OutreachError
from netweave.people.services import NotAllowed, PeopleError
from netweave.surveys.services import SurveyError
from netweave.weaving.services import WeavingError

logger = logging.getLogger("django.request")

# Where a value came from, as ninja labels it; the first element of every error location.
_SOURCES = {"body", "query", "path", "form", "file", "header", "cookie"}


def error_response(
    api: NinjaAPI, request: HttpRequest, status: int, message: str, **extra: Any
) -> HttpResponse:
    return api.create_response(request, {"error": str(message), **extra}, status=status)


def _field_name(location: list[Any] | tuple[Any, ...]) -> str:
    parts = [str(part) for part in location]
    if parts and parts[0] in _SOURCES:
        source = parts.pop(0)
        # A JSON body is one parameter (the schema); its name says nothing to the caller.
        if source == "body" and parts:
            parts.pop(0)
    return ".".join(parts)


def _message(error: dict[str, Any]) -> str:
    message = str(error.get("msg", ""))
    # Our own validators raise ValueError("..."); pydantic prefixes those with "Value error, ".
    for prefix in ("Value error, ", "Assertion failed, "):
        if message.startswith(prefix):
            message = message[len(prefix) :]
    return message


def validation_detail(errors: list[dict[str, Any]]) -> list[dict[str, str]]:
    return [
        {"field": _field_name(error.get("loc", ())), "message": _message(error)} for error in errors
    ]


def _validation_error(api: NinjaAPI, request: HttpRequest, exc: ValidationError) -> HttpResponse:
    detail = validation_detail(exc.errors)
    if detail:
        first = detail[0]
        message = f"{first['field']}: {first['message']}" if first["field"] else first["message"]
    else:
        message = _("The request is not valid.")
    return error_response(api, request, 400, message, detail=detail)


def _http_error(api: NinjaAPI, request: HttpRequest, exc: HttpError) -> HttpResponse:
    message = exc.message
    if exc.status_code == 400 and message.startswith("Cannot parse request body"):
        message = _("The request body is not valid JSON.")
    return error_response(api, request, exc.status_code, message)


def _authentication_error(
    api: NinjaAPI, request: HttpRequest, exc: AuthenticationError
) -> HttpResponse:
    message = exc.message
    if message == "Unauthorized":  # ninja's default: say how to authenticate
        message = _(
            "Authentication required: sign in, or send a personal API token as "
            "“Authorization: Bearer nw_...”."
        )
    response = error_response(api, request, 401, message)
    response["WWW-Authenticate"] = 'Bearer realm="api"'
    return response


def _not_found(api: NinjaAPI, request: HttpRequest, exc: Http404) -> HttpResponse:
    # Http404 raised by the selectors carries no message; never echo Django's model names.
    return error_response(api, request, 404, _("Not found."))


def _permission_denied(api: NinjaAPI, request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return error_response(
        api, request, 403, str(exc) or _("You do not have permission to do this in this network.")
    )


def _not_allowed(api: NinjaAPI, request: HttpRequest, exc: NotAllowed) -> HttpResponse:
    return error_response(api, request, 403, str(exc))


def _conflict(api: NinjaAPI, request: HttpRequest, exc: Exception) -> HttpResponse:
    return error_response(api, request, 409, str(exc))


def _bad_input(api: NinjaAPI, request: HttpRequest, exc: Exception) -> HttpResponse:
    return error_response(api, request, 400, str(exc))


def _unexpected(api: NinjaAPI, request: HttpRequest, exc: Exception) -> HttpResponse:
    logger.error(
        "Internal Server Error: %s",
        request.path,
        exc_info=exc,
        extra={"status_code": 500, "request": request},
    )
    return error_response(
        api, request, 500, _("Something went wrong on our side; it has been logged.")
    )


def register_error_handlers(api: NinjaAPI) -> None:
    handlers: list[tuple[type[Exception], Any]] = [
        (Exception, _unexpected),
        (ValidationError, _validation_error),
        (HttpError, _http_error),
        (AuthenticationError, _authentication_error),
        (Http404, _not_found),
        (PermissionDenied, _permission_denied),
        (PeopleError, _conflict),
        (NotAllowed, _not_allowed),
        (NetworkError, _conflict),
        # A request that breaks a rule of the services (surveys, weaving, library, feeds, field)
        # clashes with the current state.
        (SurveyError, _conflict),
        (WeavingError, _conflict),
        (FieldError, _conflict),
        (LibraryError, _conflict),
        (UploadRejected, _bad_input),  # a file that may not be stored: bad input, not a clash
        (FeedError, _conflict),
        (OutreachError, _conflict),
    ]
    for exc_class, handler in handlers:
        api.add_exception_handler(exc_class, partial(handler, api))


def responses(ok: dict[int, Any], *errors: int) -> dict[int, Any]:
    """An operation's `response=` mapping: its success schema plus the errors it can answer."""
    from netweave.api.schemas import ErrorOut, ValidationErrorOut

    return {**ok, **{code: ValidationErrorOut if code == 400 else ErrorOut for code in errors}}
