"""Signing in with a one-time code sent by email (allauth's login by code), through the real pages
and a real SMTP server."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from netweave.lib.testing import make_person
from netweave.tests.browser.accessibility import assert_accessible
from netweave.tests.browser.mail import code_in


def _request_a_code(page: Page, email: str) -> None:
    page.goto("/accounts/login/")
    assert_accessible(page)
    page.get_by_role("link", name=re.compile(r"code", re.IGNORECASE)).click()
    expect(page).to_have_url(re.compile(r"/accounts/login/code/$"))
    assert_accessible(page)
    page.get_by_label(re.compile(r"email", re.IGNORECASE)).fill(email)
    page.get_by_role("button", name=re.compile(r"code", re.IGNORECASE)).click()
    expect(page).to_have_url(re.compile(r"/accounts/login/code/confirm/"))
    assert_accessible(page)


class SignInWithCodeTests:
    def test_a_person_signs_in_with_the_code_that_arrived_by_email(self, page, smtp_server):
        make_person(name="Sam Signin", email="sam@example.org")
        _request_a_code(page, "sam@example.org")

        message = smtp_server.wait_for(to="sam@example.org")
        page.get_by_label(re.compile(r"code", re.IGNORECASE)).fill(code_in(message))
        page.get_by_role("button", name=re.compile(r"sign in|confirm", re.IGNORECASE)).click()

        expect(page).to_have_url(re.compile(r"/me/$"))
        expect(page.get_by_role("button", name="Sign out")).to_be_visible()
        assert_accessible(page)

    def test_a_wrong_code_does_not_sign_anyone_in(self, page, smtp_server):
        make_person(name="Sam Signin", email="sam@example.org")
        _request_a_code(page, "sam@example.org")
        real_code = code_in(smtp_server.wait_for(to="sam@example.org"))
        wrong_code = "ZZZZ-9999" if real_code != "ZZZZ-9999" else "YYYY-8888"

        page.get_by_label(re.compile(r"code", re.IGNORECASE)).fill(wrong_code)
        page.get_by_role("button", name=re.compile(r"sign in|confirm", re.IGNORECASE)).click()

        expect(
            page.get_by_text(re.compile(r"incorrect|invalid|wrong", re.IGNORECASE))
        ).to_be_visible()
        page.goto("/me/")
        expect(page).to_have_url(re.compile(r"/accounts/login/"))
