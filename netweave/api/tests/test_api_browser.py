"""The API from a real browser (Chromium): the Swagger UI at /api/v1/docs, and session
authentication with CSRF the way a page's script uses it."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from netweave.lib.testing import make_cast
from netweave.people.models import Person

pytestmark = pytest.mark.browser

PATCH_ME = """async ([csrf]) => {
    const headers = {"Content-Type": "application/json"};
    if (csrf) headers["X-CSRFToken"] = csrf;
    const response = await fetch("/api/v1/me", {
        method: "PATCH", headers, body: JSON.stringify({city: "Kisumu"}),
    });
    return [response.status, await response.json()];
}"""


class ApiDocsBrowserTests:
    def test_the_swagger_ui_renders_every_operation_without_internet(self, page):
        page.goto("/api/v1/docs")
        # Scripts and styles come from our own static files (new_page fails the test otherwise).
        expect(page.get_by_text("NetWeave API", exact=False).first).to_be_visible()
        for path in ("/api/v1/networks/{slug}/members", "/api/v1/me/tokens"):
            expect(page.locator(".opblock-summary-path", has_text=path).first).to_be_visible()


class SessionCsrfBrowserTests:
    def test_a_signed_in_page_writes_with_the_csrf_token_and_not_without_it(self, page, sign_in):
        cast = make_cast()
        sign_in(page, cast.member.user)
        page.goto("/api/v1/docs")  # any page of ours hands out the csrftoken cookie
        csrf = page.locator("body").get_attribute("data-csrf-token")
        assert csrf

        status, body = page.evaluate(PATCH_ME, [None])
        assert status == 403 and "CSRF" in body["error"]
        assert Person.objects.get(pk=cast.member.pk).city == ""

        status, body = page.evaluate(PATCH_ME, [csrf])
        assert status == 200, body
        assert body["city"] == "Kisumu"
        assert Person.objects.get(pk=cast.member.pk).city == "Kisumu"
