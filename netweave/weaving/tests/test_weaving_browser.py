"""Weaving in a real browser: a member asks to meet someone in place (htmx), the pages pass the
basic accessibility check and fit a phone, and the report draws its activity chart."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from netweave.lib.testing import make_cast
from netweave.tests.browser.accessibility import assert_accessible
from netweave.tests.browser.screens import screenshot_path
from netweave.weaving.models import Introduction
from netweave.weaving.services import introduction_answer, introduction_propose
from netweave.weaving.tests.scenes import weave_a_pair

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


class WeavingInTheBrowserTests:
    def test_a_member_asks_to_meet_a_suggested_person_in_place(self, new_page, sign_in):
        cast = make_cast()
        weave_a_pair(cast)
        page = new_page()
        sign_in(page, cast.member.user)
        page.goto("/n/cast/meet/")
        assert_accessible(page)
        expect(
            page.get_by_text("They can offer trial design, which you are looking for")
        ).to_be_visible()
        page.get_by_role("button", name="Ask to meet Beatriz Okafor").click()
        expect(
            page.get_by_role("status").filter(has_text="We asked Beatriz Okafor")
        ).to_be_visible()
        assert page.url.endswith("/n/cast/meet/")  # replaced in place, no page load
        introduction = Introduction.objects.get()
        assert (introduction.person_a, introduction.b_answer) == (cast.member, "pending")

    def test_people_to_meet_fits_a_phone(self, new_page, sign_in):
        cast = make_cast()
        weave_a_pair(cast)
        phone = new_page(**PHONE)
        sign_in(phone, cast.member.user)
        phone.goto("/n/cast/meet/")
        expect(phone.get_by_role("heading", name="Beatriz Okafor")).to_be_visible()
        phone.screenshot(path=screenshot_path("weaving-meet-phone"), full_page=True)
        overflow = phone.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0

    def test_the_board_and_the_report_with_its_chart(self, new_page, sign_in):
        cast = make_cast()
        beatriz = weave_a_pair(cast)
        earlier = timezone.now() - timedelta(days=62)
        first = introduction_propose(
            network=cast.network,
            proposed_by=cast.coordinator,
            person_a=cast.member,
            person_b=beatriz,
            now=earlier,
        )
        introduction_answer(introduction=first, person=cast.member, accept=True, now=earlier)
        introduction_answer(introduction=first, person=beatriz, accept=True, now=earlier)
        introduction_propose(
            network=cast.network,
            proposed_by=cast.coordinator,
            person_a=cast.steward,
            person_b=beatriz,
        )
        page = new_page()
        sign_in(page, cast.coordinator.user)
        page.goto("/n/cast/weaving/")
        assert_accessible(page)
        page.get_by_role("link", name="Weaving report").click()
        expect(page.get_by_role("heading", name="Weaving report", level=1)).to_be_visible()
        canvas = page.locator("#weaving-activity")
        expect(canvas).to_have_attribute("data-ready", "true")
        assert_accessible(page)
        rows = page.locator("#weaving-activity-table tbody tr")
        now = timezone.now()
        months = (now.year * 12 + now.month) - (earlier.year * 12 + earlier.month) + 1
        expect(rows).to_have_count(months)  # every month from the first, empty ones included
        page.screenshot(path=screenshot_path("weaving-report"), full_page=True)
