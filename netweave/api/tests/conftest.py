"""Calling the API as a member of the test cast (netweave/lib/testing.py)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from netweave.accounts.services import api_token_create
from netweave.lib.testing import Cast

API = "/api/v1"


@dataclass
class ApiResponse:
    status: int
    body: Any
    raw: bytes
    content_type: str

    @property
    def error(self) -> str:
        return self.body.get("error", "") if isinstance(self.body, dict) else ""


class ApiCaller:
    """`api.get("member", "/networks/cast/members")` calls /api/v1/... as that cast member.

    Signed-in callers use a session (Django's test client skips CSRF checks unless `csrf=True`);
    `token=` sends `Authorization: Bearer <token>` instead."""

    def __init__(self, cast: Cast) -> None:
        self.cast = cast

    def client(self, who: str = "anonymous", *, csrf: bool = False) -> Client:
        client = Client(enforce_csrf_checks=csrf)
        user = self.cast.user(who)
        if user is not None:
            client.force_login(user)
        return client

    def token_for(self, who: str) -> str:
        _token, raw = api_token_create(user=self.cast.user(who), name="tests")  # type: ignore[arg-type]
        return raw

    def call(
        self,
        who: str,
        method: str,
        path: str,
        data: Any = None,
        *,
        token: str | None = None,
        client: Client | None = None,
        **extra: Any,
    ) -> ApiResponse:
        client = client or self.client("anonymous" if token else who)
        if token:
            extra["HTTP_AUTHORIZATION"] = f"Bearer {token}"
        url = API + path
        if method == "get":
            response = client.get(url, data or {}, **extra)
        else:
            body = data if isinstance(data, (str, bytes)) else json.dumps(data or {})
            response = getattr(client, method)(
                url, data=body, content_type="application/json", **extra
            )
        content_type = response.get("Content-Type", "")
        body_json = json.loads(response.content) if "json" in content_type else None
        return ApiResponse(response.status_code, body_json, response.content, content_type)

    def get(
        self, who: str, path: str, params: dict[str, Any] | None = None, **kw: Any
    ) -> ApiResponse:
        return self.call(who, "get", path, params, **kw)

    def post(self, who: str, path: str, data: Any = None, **kw: Any) -> ApiResponse:
        return self.call(who, "post", path, data, **kw)

    def patch(self, who: str, path: str, data: Any = None, **kw: Any) -> ApiResponse:
        return self.call(who, "patch", path, data, **kw)

    def delete(self, who: str, path: str, **kw: Any) -> ApiResponse:
        return self.call(who, "delete", path, None, **kw)


@pytest.fixture
def api(cast: Cast) -> ApiCaller:
    return ApiCaller(cast)


@pytest.fixture
def private_api(private_cast: Cast) -> ApiCaller:
    return ApiCaller(private_cast)
