"""Searching the member directory: live (htmx, as you type) and as a plain form without JavaScript."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from netweave.lib.testing import make_cast
from netweave.tests.browser.accessibility import assert_accessible


class DirectorySearchTests:
    def test_typing_in_the_search_box_narrows_the_list_without_reloading_the_page(
        self, page, sign_in
    ):
        cast = make_cast()
        sign_in(page, cast.member.user)
        page.goto(f"/n/{cast.network.slug}/members/")
        assert_accessible(page)
        results = page.locator("#directory-results")
        expect(results.get_by_role("link", name="Stella Steward")).to_be_visible()
        page.evaluate("window.sameDocument = true")

        page.get_by_role("searchbox").press_sequentially("HIV prevention", delay=20)

        expect(results.get_by_role("link", name="Stella Steward")).to_have_count(0)
        expect(results.get_by_role("link", name="Mina Member")).to_be_visible()
        assert page.evaluate("window.sameDocument") is True, "the page reloaded instead of htmx"
        expect(page).to_have_url(re.compile(r"[?&]q=HIV"))
        assert_accessible(page)

    def test_the_search_form_works_without_javascript(self, new_page, sign_in):
        cast = make_cast()
        page = new_page(java_script_enabled=False)
        sign_in(page, cast.member.user)
        page.goto(f"/n/{cast.network.slug}/members/")

        page.get_by_role("searchbox").fill("Kenya Medical")
        page.get_by_role("button", name="Search", exact=True).click()

        expect(page).to_have_url(re.compile(r"[?&]q=Kenya\+Medical"))
        expect(page.get_by_role("link", name="Mina Member")).to_be_visible()
        expect(page.get_by_role("link", name="Cora Coordinator")).to_have_count(0)

    def test_a_search_that_matches_nobody_says_so(self, page, sign_in):
        cast = make_cast()
        sign_in(page, cast.member.user)
        page.goto(f"/n/{cast.network.slug}/members/?q=astrophysics")
        expect(page.locator("#directory-results").get_by_role("listitem")).to_have_count(0)
        expect(page.get_by_text(re.compile(r"no member matches", re.IGNORECASE))).to_be_visible()
