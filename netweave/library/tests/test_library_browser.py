"""The resource center in a real browser: a member submits a resource, a steward publishes it
from the review queue, and an anonymous visitor finds it by searching; the pages pass the basic
accessibility check and fit a phone."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from netweave.lib.testing import make_cast
from netweave.library.models import Resource
from netweave.library.services import topic_create
from netweave.library.tests.test_resources_support import make_resource
from netweave.tests.browser.accessibility import assert_accessible
from netweave.tests.browser.screens import screenshot_path

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


class LibraryInTheBrowserTests:
    def test_a_member_submits_a_steward_publishes_and_a_visitor_finds_it(
        self, new_page, sign_in
    ) -> None:
        cast = make_cast()
        topic_create(network=cast.network, name="Monitoring and evaluation")

        member = new_page()
        sign_in(member, cast.member.user)
        member.goto("/n/cast/library/")
        member.get_by_role("link", name="Submit a resource").first.click()
        expect(member.get_by_role("heading", name="Submit a resource", level=1)).to_be_visible()
        assert_accessible(member)
        member.get_by_label("Title").fill("Indicator handbook for learning networks")
        member.get_by_label("Kind").select_option("guidance")
        member.get_by_label("Link").fill("https://example.org/handbook")
        member.get_by_label("Summary").fill("How to choose **indicators** for a learning network.")
        member.get_by_label("Monitoring and evaluation").check()
        member.get_by_label("Public: anyone").check()
        member.get_by_role("button", name="Submit for review").click()
        expect(member.get_by_text("A curator will review it")).to_be_visible()
        resource = Resource.objects.get()
        assert resource.status == "submitted"

        visitor = new_page()
        visitor.goto("/n/cast/library/?q=indicator")
        expect(visitor.get_by_text("No resource matches this search.")).to_be_visible()

        steward = new_page()
        sign_in(steward, cast.steward.user)
        steward.goto("/n/cast/library/review/")
        assert_accessible(steward)
        steward.get_by_role(
            "button", name="Publish Indicator handbook for learning networks"
        ).click()
        expect(steward.get_by_text("Published.")).to_be_visible()
        resource.refresh_from_db()
        assert resource.status == "published"

        visitor.goto("/n/cast/library/")
        visitor.get_by_label("Search titles, summaries, authors and topics").fill("indicators")
        visitor.get_by_role("button", name="Search", exact=True).click()
        result = visitor.get_by_role("link", name="Indicator handbook for learning networks")
        expect(result).to_be_visible()
        assert_accessible(visitor)
        result.click()
        expect(
            visitor.get_by_role("heading", name="Indicator handbook for learning networks")
        ).to_be_visible()
        expect(visitor.locator(".summary strong")).to_have_text("indicators")
        assert_accessible(visitor)

    def test_facets_work_from_the_keyboard(self, new_page) -> None:
        cast = make_cast()
        make_resource(cast.network, cast.member, title="A toolkit", kind="tool")
        make_resource(cast.network, cast.member, title="A report", kind="report")
        page = new_page()
        page.goto("/n/cast/library/")
        checkbox = page.get_by_role("checkbox", name="Tool (1)")
        checkbox.focus()
        page.keyboard.press("Space")
        page.get_by_role("button", name="Apply filters").focus()
        page.keyboard.press("Enter")
        expect(page.get_by_role("link", name="A toolkit")).to_be_visible()
        expect(page.get_by_role("link", name="A report")).to_have_count(0)
        expect(page.get_by_role("checkbox", name="Tool (1)")).to_be_checked()

    def test_the_library_fits_a_phone(self, new_page, sign_in) -> None:
        cast = make_cast()
        topic = topic_create(network=cast.network, name="Health")
        for n in range(3):
            make_resource(
                cast.network,
                cast.member,
                title=f"A resource with a rather long title number {n}",
                topics=[topic],
                summary="Something useful for the network.",
            )
        phone = new_page(**PHONE)
        sign_in(phone, cast.coordinator.user)
        for path in (
            "/n/cast/library/",
            "/n/cast/library/topics/health/",
            "/n/cast/library/attention/",
        ):
            phone.goto(path)
            expect(phone.locator("h1")).to_be_visible()
            overflow = phone.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            assert overflow <= 0, path
        phone.goto("/n/cast/library/")
        phone.screenshot(path=screenshot_path("library-browse-phone"), full_page=True)
