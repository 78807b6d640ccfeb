"""Every page a visitor or a member reaches from the navigation renders in Chromium without a
script error or a missing asset, passes the basic accessibility check, and fits a phone."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from netweave.lib.testing import make_cast
from netweave.tests.browser.accessibility import accessibility_problems
from netweave.tests.browser.screens import screenshot_path

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


def _problems_on(page: Page, paths: list[str]) -> list[str]:
    problems = []
    for path in paths:
        response = page.goto(path)
        assert response is not None and response.ok, (
            f"{path} answered {response and response.status}"
        )
        problems += [f"{path}: {problem}" for problem in accessibility_problems(page)]
    return problems


class PublicPagesTests:
    def test_the_home_page_loads_htmx_and_lists_the_public_networks(self, page):
        cast = make_cast()
        page.goto("/")
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        expect(page.get_by_role("link", name=cast.network.name)).to_be_visible()
        assert page.evaluate("typeof window.htmx") == "object", "htmx did not load"
        page.screenshot(path=screenshot_path("home"), full_page=True)

    def test_pages_open_to_visitors_pass_the_basic_accessibility_check(self, page):
        cast = make_cast()
        paths = [
            "/",
            f"/n/{cast.network.slug}/",
            "/accounts/login/",
            "/accounts/login/code/",
            "/accounts/signup/",
            "/accounts/password/reset/",
        ]
        problems = _problems_on(page, paths)
        assert not problems, "\n".join(problems)


class MemberPagesTests:
    def test_pages_a_coordinator_uses_pass_the_basic_accessibility_check(self, page, sign_in):
        cast = make_cast()
        sign_in(page, cast.coordinator.user)
        slug = cast.network.slug
        paths = [
            "/me/",
            "/me/profile/",
            f"/n/{slug}/",
            f"/n/{slug}/members/",
            f"/n/{slug}/people/{cast.member.pk}/",
            f"/n/{slug}/organizations/",
            f"/n/{slug}/manage/members/",
            f"/n/{slug}/manage/applications/",
            f"/n/{slug}/manage/invitations/",
            f"/n/{slug}/manage/settings/",
        ]
        problems = _problems_on(page, paths)
        assert not problems, "\n".join(problems)

    def test_the_directory_fits_a_phone_screen(self, new_page, sign_in):
        cast = make_cast()
        phone = new_page(**PHONE)
        sign_in(phone, cast.member.user)
        phone.goto(f"/n/{cast.network.slug}/members/")
        expect(phone.get_by_role("link", name="Mina Member")).to_be_visible()
        expect(phone.get_by_role("searchbox")).to_be_visible()
        phone.screenshot(path=screenshot_path("directory-phone"), full_page=True)
        overflow = phone.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"the directory is {overflow}px wider than a 390px-wide phone"
        assert re.search(r"\d+ members?", phone.locator("main").inner_text())
