"""API v1: the caller's personal API tokens (/me/tokens).

Listing and revoking work with any authentication; creating a token needs a signed-in browser
session, so that a leaked token cannot mint new ones that outlive its own revocation."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja.responses import Status

from netweave.accounts.models import ApiToken
from netweave.accounts.services import api_token_create, api_token_revoke
from netweave.api.auth import REQUIRED_AUTH, auth_method, caller
from netweave.api.errors import responses
from netweave.api.pagination import PageIn, paginate
from netweave.api.schemas import TokenCreatedOut, TokenIn, TokenOut, TokenPage

router = Router(tags=["tokens"], auth=REQUIRED_AUTH)


def token_out(token: ApiToken) -> dict[str, Any]:
    return {
        "id": token.pk,
        "name": token.name,
        "hint": token.hint,
        "created_at": token.created_at,
        "last_used_at": token.last_used_at,
        "revoked_at": token.revoked_at,
    }


@router.get(
    "/me/tokens",
    response=responses({200: TokenPage}, 400, 401),
    operation_id="tokens_list",
    summary="List your API tokens",
    description="Active and revoked tokens, newest first. The secrets themselves are never shown "
    "again after creation.",
)
def tokens_list(request: HttpRequest, paging: Query[PageIn]) -> dict[str, Any]:
    return paginate(ApiToken.objects.filter(user=caller(request)), paging, token_out)


@router.post(
    "/me/tokens",
    response=responses({201: TokenCreatedOut}, 400, 401, 403),
    operation_id="tokens_create",
    summary="Create an API token",
    description="Signed-in browser sessions only (403 when called with a token). The response "
    "holds the secret (`token`) this one time; send it as `Authorization: Bearer <token>`.",
)
def tokens_create(request: HttpRequest, payload: TokenIn) -> Status[Any]:
    if auth_method(request) != "session":
        raise PermissionDenied(
            _("Create API tokens while signed in (at /me/tokens/), not with another token.")
        )
    token, raw = api_token_create(user=caller(request), name=payload.name)
    return Status(201, {**token_out(token), "token": raw})


@router.delete(
    "/me/tokens/{token_id}",
    response=responses({200: TokenOut}, 401, 404),
    operation_id="tokens_revoke",
    summary="Revoke one of your API tokens",
    description="Revoking is immediate and cannot be undone; a token may revoke itself.",
)
def tokens_revoke(request: HttpRequest, token_id: int) -> dict[str, Any]:
    token = ApiToken.objects.filter(user=caller(request), pk=token_id).first()
    if token is None:
        raise Http404
    return token_out(api_token_revoke(token=token))
