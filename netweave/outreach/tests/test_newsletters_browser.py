"""Newsletters in a real browser: the editor's preview follows the typing (htmx) inside a
sandboxed frame, the pages pass the basic accessibility check, and the editor fits a phone."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from netweave.lib.testing import make_cast
from netweave.outreach.models import Newsletter
from netweave.outreach.tests.newsletters_fixtures import make_issue, make_list, subscribe
from netweave.tests.browser.accessibility import assert_accessible
from netweave.tests.browser.screens import screenshot_path

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


class NewslettersInTheBrowserTests:
    def test_the_preview_follows_the_typing_and_runs_no_script(self, new_page, sign_in):
        cast = make_cast()
        issue = make_issue(make_list(cast.network), 1, body="Old words")
        page = new_page()
        sign_in(page, cast.coordinator.user)
        page.goto(f"/n/cast/newsletters/{issue.pk}/editions/en/")
        assert_accessible(page)
        frame = page.frame_locator("#email-preview")
        expect(frame.get_by_text("Old words")).to_be_visible()
        page.get_by_label("Body (Markdown)").fill(
            "## Fresh heading\n\n<script>document.title='owned'</script>"
        )
        expect(frame.get_by_role("heading", name="Fresh heading")).to_be_visible()
        assert "owned" not in page.title()
        assert issue.editions.get().body == "Old words"  # the preview saves nothing
        page.get_by_role("button", name="Save", exact=True).click()
        expect(page.get_by_text("The edition is saved.")).to_be_visible()
        assert "Fresh heading" in issue.editions.get().body

    def test_the_issues_the_editor_and_the_archive_fit_a_phone(self, new_page, sign_in):
        cast = make_cast()
        news = make_list(cast.network)
        subscribe(news, "reader@example.org")
        draft = make_issue(news, 2, body="## Coming soon\n\nA long " + "word " * 80)
        make_issue(news, 1, status=Newsletter.Status.SENT, subject="The first issue")
        phone = new_page(**PHONE)
        sign_in(phone, cast.coordinator.user)
        for path, name in [
            ("/n/cast/newsletters/", "newsletters-list-phone"),
            (f"/n/cast/newsletters/{draft.pk}/", "newsletters-detail-phone"),
            (f"/n/cast/newsletters/{draft.pk}/editions/en/", "newsletters-edit-phone"),
            (f"/n/cast/newsletters/{draft.pk}/schedule/", "newsletters-schedule-phone"),
            ("/n/cast/newsletters/archive/", "newsletters-archive-phone"),
            ("/n/cast/newsletters/archive/1/", "newsletters-archive-issue-phone"),
            ("/n/cast/newsletters/privacy/", "newsletters-privacy-phone"),
        ]:
            phone.goto(path)
            assert_accessible(phone)
            phone.screenshot(path=screenshot_path(name), full_page=True)
            overflow = phone.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            assert overflow <= 0, path
