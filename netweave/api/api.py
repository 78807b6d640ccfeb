"""The JSON API root (/api/v1/): authentication, errors, and each app's router.

- The OpenAPI document is at /api/v1/openapi.json and its Swagger UI at /api/v1/docs (served from
  django-ninja's own bundled static files, so it works without internet access).
- /api/v1/ itself answers with a small JSON index; any other unknown address under /api/v1/ is a
  JSON 404, never Django's HTML page.
- The contract is pinned by netweave/api/tests/openapi_snapshot.json; see test_openapi.py for
  how to refresh it after a deliberate change."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed, JsonResponse
from django.urls import URLPattern, URLResolver, path, re_path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from ninja import NinjaAPI, Swagger
from ninja.openapi.schema import OpenAPISchema
from ninja.operation import Operation

from netweave.accounts.api import router as tokens_router
from netweave.api.auth import OPTIONAL_AUTH, AnonymousAccess
from netweave.api.errors import register_error_handlers
from netweave.field.api import router as field_router
from netweave.library.api import router as library_router
from netweave.library.feed_api import router as feeds_router
from netweave.networks.api import router as networks_router
from netweave.outreach.api import router as outreach_router
from netweave.people.api import me_router
from netweave.people.api import router as people_router
from netweave.surveys.api import router as surveys_router
from netweave.ties.api import router as ties_router
from netweave.weaving.api import router as weaving_router


def _json_method_not_allowed(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """ninja answers a wrong method with a plain-text 405; say it in JSON like every other error."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        if isinstance(response, HttpResponseNotAllowed):
            allowed = response["Allow"]
            response = JsonResponse(
                {
                    "error": _("%(method)s is not allowed here; use %(allowed)s.")
                    % {"method": request.method, "allowed": allowed}
                },
                status=405,
            )
            response["Allow"] = allowed
        return response

    return wrapper


class NetWeaveOpenAPISchema(OpenAPISchema):
    def operation_security(self, operation: Operation) -> list[dict[str, Any]] | None:
        security = super().operation_security(operation)
        if security is not None and any(
            isinstance(callback, AnonymousAccess) for callback in operation.auth_callbacks
        ):
            security.append({})  # OpenAPI's way to say "or no authentication at all"
        return security


class NetWeaveAPI(NinjaAPI):
    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> OpenAPISchema:
        if path_prefix is None:
            path_prefix = self.get_root_path(path_params or {})
        return NetWeaveOpenAPISchema(self, path_prefix)

    def _get_urls(self) -> list[URLPattern | URLResolver]:
        urls = [url for url in super()._get_urls() if getattr(url, "name", None) != "api-root"]
        for url in urls:
            if isinstance(url, URLPattern):
                url.callback = _json_method_not_allowed(url.callback)
        urls.append(path("", csrf_exempt(self.index_view), name="api-root"))
        urls.append(re_path(r"^.+$", csrf_exempt(self.unknown_endpoint_view)))
        return urls

    def index_view(self, request: HttpRequest) -> JsonResponse:
        return JsonResponse(
            {
                "name": self.title,
                "version": self.version,
                "openapi": reverse(f"{self.urls_namespace}:openapi-json"),
                "docs": reverse(f"{self.urls_namespace}:openapi-view"),
            }
        )

    def unknown_endpoint_view(self, request: HttpRequest) -> JsonResponse:
        docs = reverse(f"{self.urls_namespace}:openapi-view")
        return JsonResponse(
            {
                "error": _("There is no API endpoint at %(path)s; the list is at %(docs)s.")
                % {"path": request.path, "docs": docs}
            },
            status=404,
        )


api = NetWeaveAPI(
    title="NetWeave API",
    version="1",
    urls_namespace="api-v1",
    description="Networks, organizations, people and memberships; ties, snapshots and "
    "relationship surveys; weaving suggestions and introductions. Authenticate with a session "
    "cookie (browser; unsafe methods need the X-CSRFToken header) or "
    "`Authorization: Bearer <personal API token>` (scripts; create one at /me/tokens/). "
    'Errors are JSON: `{"error": "..."}`, with a `detail` list for invalid input (400).',
    auth=OPTIONAL_AUTH,
    docs=Swagger(settings={"persistAuthorization": False}),
    docs_url="/docs",
)
register_error_handlers(api)

api.add_router("", networks_router)
api.add_router("", people_router)
api.add_router("", me_router)
api.add_router("", tokens_router)
api.add_router("", surveys_router)
api.add_router("", ties_router)
api.add_router("", weaving_router)
api.add_router("", library_router)
api.add_router("", feeds_router)
api.add_router("", field_router)
api.add_router("", outreach_router)
