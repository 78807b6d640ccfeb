"""Editing one's profile at /me/profile/ and seeing it, safely rendered, in the network."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from netweave.lib.testing import make_cast
from netweave.tests.browser.accessibility import assert_accessible

BIO = """I run **field trials** in [Kisumu](https://example.org/kisumu).

<script>window.profileScriptRan = true; document.title = "pwned-by-profile";</script>
<img src="x" onerror="window.profileScriptRan = true">

- vaccine logistics
- community health workers
"""


class ProfileEditTests:
    def test_a_member_edits_their_profile_and_sees_it_safely_rendered_in_the_network(
        self, page, sign_in
    ):
        cast = make_cast()
        sign_in(page, cast.member.user)
        dialogs: list[str] = []
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))

        page.goto("/me/profile/")
        assert_accessible(page)
        page.get_by_label(re.compile(r"about me", re.IGNORECASE)).fill(BIO)
        page.get_by_label("Expertise").fill("cold chain, Trial Design")
        page.get_by_label(re.compile(r"languages", re.IGNORECASE)).fill("fr, pt")
        page.get_by_role("button", name=re.compile(r"save", re.IGNORECASE)).click()
        expect(page.get_by_text("Your profile is saved.")).to_be_visible()

        page.goto(f"/n/{cast.network.slug}/people/{cast.member.pk}/")
        assert_accessible(page)
        profile = page.locator("main")
        expect(profile.locator("strong", has_text="field trials")).to_be_visible()
        expect(profile.get_by_role("link", name="Kisumu")).to_have_attribute(
            "href", "https://example.org/kisumu"
        )
        expect(profile.get_by_role("listitem").filter(has_text="vaccine logistics")).to_be_visible()
        expect(profile.get_by_text("cold chain", exact=True)).to_be_visible()
        # Languages show by name (in English or in the language itself), not as codes.
        expect(
            profile.get_by_text(re.compile(r"(French|français).*(Portuguese|português)", re.I))
        ).to_be_visible()
        # The script neither ran nor shows up as text, and no handler attribute survived.
        assert page.evaluate("window.profileScriptRan") is None
        assert "pwned" not in page.title()
        assert dialogs == []
        html = profile.inner_html()
        assert "<script" not in html and "onerror" not in html
        assert "profileScriptRan" not in profile.inner_text()
