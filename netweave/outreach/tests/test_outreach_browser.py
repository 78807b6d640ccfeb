"""Information out in a real browser, the way subscribers and members meet it: a visitor on a
phone subscribes, confirms from the email and unsubscribes from the preference center; a member
finds an event from the network's home page, registers and sees the event in their own time
zone."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from playwright.sync_api import expect

from netweave.lib.testing import make_cast
from netweave.outreach.models import Registration, Subscription
from netweave.outreach.tests.events_fixtures import make_event
from netweave.outreach.tests.newsletters_fixtures import make_list
from netweave.tests.browser.accessibility import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


def link_in(message: Any, live_url: str) -> str:
    """The first link of the email's text part that points at the site, made relative."""
    for url in re.findall(r"https?://\S+", message.body):
        if "/o/" in url:
            return url[url.index("/o/") :].rstrip(".,)>")
    raise AssertionError(f"no link to the site in: {message.body}")


class SubscribersInTheBrowserTests:
    def test_a_visitor_on_a_phone_subscribes_confirms_and_leaves_in_one_click(
        self, new_page, live_server
    ) -> None:
        cast = make_cast()
        make_list(cast.network, "Monthly news")
        page = new_page(**PHONE)
        page.goto("/n/cast/")
        page.get_by_role("link", name="Subscribe").click()
        assert_accessible(page)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"the subscribe form scrolls sideways on a phone ({width}px)"
        page.get_by_label("Email", exact=False).first.fill("reader@example.org")
        page.get_by_label("Monthly news").check()
        page.get_by_role("button", name="Subscribe").click()
        assert_accessible(page)
        subscription = Subscription.objects.get(subscriber__email="reader@example.org")
        assert subscription.status == Subscription.Status.PENDING
        assert subscription.consent_ip  # the consent record keeps where the request came from

        [confirmation] = mail.outbox
        page.goto(link_in(confirmation, live_server.url))
        assert_accessible(page)
        page.get_by_role("button", name="Yes, subscribe me").click()
        expect(page.get_by_role("heading", name="You are subscribed")).to_be_visible()
        subscription.refresh_from_db()
        assert subscription.status == Subscription.Status.SUBSCRIBED
        assert subscription.confirmed_at is not None

        page.goto(f"/o/s/{subscription.subscriber.token}/")
        assert_accessible(page)
        page.get_by_role("button", name=re.compile("Unsubscribe from everything", re.I)).click()
        expect(page.get_by_text("You are unsubscribed from every list.")).to_be_visible()
        assert_accessible(page)
        subscription.refresh_from_db()
        assert subscription.status == Subscription.Status.UNSUBSCRIBED


class RegistrantsInTheBrowserTests:
    def test_a_member_finds_an_event_on_the_home_page_and_registers(
        self, new_page, sign_in
    ) -> None:
        cast = make_cast()
        event = make_event(
            cast.network,
            title="Learning call on trial sites",
            starts_in=timedelta(days=5),
            time_zone="America/New_York",
            capacity=10,
        )
        page = new_page(timezone_id="Asia/Tokyo")
        sign_in(page, cast.member.user)
        page.goto("/n/cast/")
        page.get_by_role("link", name="Learning call on trial sites").click()
        assert_accessible(page)
        # The event's own zone is on the page; the viewer's zone is added beside it.
        expect(page.get_by_text("(Asia/Tokyo)").first).to_be_visible()
        page.get_by_role("button", name="Register").click()
        expect(page.get_by_text("You are registered.", exact=True)).to_be_visible()
        registration = Registration.objects.get(event=event)
        assert registration.person_id == cast.member.pk
        assert registration.status == Registration.Status.REGISTERED
        # The confirmation email carries the invitation for calendar applications.
        [confirmation] = [m for m in mail.outbox if cast.member.email in m.to]
        assert any(
            str(getattr(a, "mimetype", a[2] if isinstance(a, tuple) else "")).startswith(
                "text/calendar"
            )
            for a in confirmation.attachments
        )
        assert_accessible(page)
