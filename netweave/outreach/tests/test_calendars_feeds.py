"""The network's public feed and a member's private feed, fetched the way calendar apps do."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from netweave.lib.testing import Cast, make_member
from netweave.networks.permissions import access_for
from netweave.outreach.calendars import personal_feed_url
from netweave.outreach.models import CalendarFeed, Event, Registration
from netweave.outreach.tests.calendars_fixtures import make_event, register

pytestmark = pytest.mark.django_db


def login(client: Client, person: Any) -> None:
    assert person.user is not None
    client.force_login(person.user)


def feed_path(cast: Cast) -> str:
    return reverse("outreach:calendar_feed", kwargs={"network_slug": cast.network.slug})


def personal_path(feed: CalendarFeed) -> str:
    return reverse("outreach_public:calendar", kwargs={"feed_token": feed.token})


def titles(response: Any) -> set[str]:
    calendar = Calendar.from_ical(response.content)
    return {str(v["SUMMARY"]) for v in calendar.events}


class TestTheNetworkFeed:
    def test_anonymous_calendar_apps_get_only_public_published_events(
        self, cast: Cast, client: Client
    ) -> None:
        make_event(cast.network, title="Open webinar")
        make_event(cast.network, title="Members call", visibility=Event.Visibility.MEMBERS)
        make_event(cast.network, title="Draft", status=Event.Status.DRAFT)
        make_event(cast.network, title="Called off", status=Event.Status.CANCELLED)
        make_event(cast.network, title="Long ago", starts_at=timezone.now() - timedelta(days=400))
        make_event(cast.network, title="Last month", starts_at=timezone.now() - timedelta(days=30))
        make_event(cast.other_network, title="Elsewhere")
        response = client.get(feed_path(cast))
        assert response.status_code == 200
        assert response["Content-Type"] == "text/calendar; charset=utf-8"
        assert titles(response) == {"Open webinar", "Called off", "Last month"}
        assert "public" in response["Cache-Control"]

    def test_members_get_the_same_public_feed(self, cast: Cast, client: Client) -> None:
        make_event(cast.network, title="Members call", visibility=Event.Visibility.MEMBERS)
        login(client, cast.coordinator)
        assert titles(client.get(feed_path(cast))) == set()

    def test_a_conditional_get_answers_304_until_an_event_changes(
        self, cast: Cast, client: Client
    ) -> None:
        event = make_event(cast.network, title="Open webinar")
        first = client.get(feed_path(cast))
        etag, modified = first["ETag"], first["Last-Modified"]
        again = client.get(feed_path(cast), HTTP_IF_NONE_MATCH=etag)
        assert again.status_code == 304 and again.content == b""
        since = client.get(feed_path(cast), HTTP_IF_MODIFIED_SINCE=modified)
        assert since.status_code == 304
        event.title = "Open webinar, new time"
        event.sequence += 1
        event.save()
        changed = client.get(feed_path(cast), HTTP_IF_NONE_MATCH=etag)
        assert changed.status_code == 200
        assert changed["ETag"] != etag
        assert titles(changed) == {"Open webinar, new time"}

    def test_a_private_networks_feed_does_not_exist_for_outsiders(
        self, private_cast: Cast, client: Client
    ) -> None:
        make_event(private_cast.network, title="Open webinar")
        assert client.get(feed_path(private_cast)).status_code == 404
        login(client, private_cast.observer)
        response = client.get(feed_path(private_cast))
        assert response.status_code == 200
        assert "private" in response["Cache-Control"]

    def test_the_feed_reads_a_fixed_number_of_queries(
        self, cast: Cast, client: Client, django_assert_max_num_queries: Any
    ) -> None:
        for n in range(15):
            make_event(cast.network, title=f"Event {n}")
        with django_assert_max_num_queries(6):
            response = client.get(feed_path(cast))
        assert len(titles(response)) == 15


class TestThePersonalFeed:
    def test_the_token_gives_the_persons_registrations_and_waitlist(
        self, cast: Cast, client: Client
    ) -> None:
        registered = make_event(cast.network, title="Registered")
        waiting = make_event(cast.network, title="Waiting", visibility=Event.Visibility.MEMBERS)
        cancelled = make_event(cast.network, title="I cancelled")
        make_event(cast.network, title="Not mine")
        register(registered, cast.member)
        register(waiting, cast.member, Registration.Status.WAITLISTED)
        register(cancelled, cast.member, Registration.Status.CANCELLED)
        register(make_event(cast.network, title="Steward's"), cast.steward)
        elsewhere = make_event(cast.other_network, title="Other network")
        register(elsewhere, cast.member)
        feed = CalendarFeed.objects.create(network=cast.network, person=cast.member)
        response = client.get(personal_path(feed))  # calendar apps do not sign in
        assert response.status_code == 200
        assert "private" in response["Cache-Control"]
        calendar = Calendar.from_ical(response.content)
        status = {str(v["SUMMARY"]): str(v["STATUS"]) for v in calendar.events}
        assert status == {"Registered": "CONFIRMED", "Waiting": "TENTATIVE"}

    def test_all_adds_every_event_the_person_may_see(self, cast: Cast, client: Client) -> None:
        make_event(cast.network, title="Public")
        make_event(cast.network, title="Members", visibility=Event.Visibility.MEMBERS)
        make_event(cast.network, title="Draft", status=Event.Status.DRAFT)
        make_event(cast.other_network, title="Other network")
        member_feed = CalendarFeed.objects.create(network=cast.network, person=cast.member)
        assert titles(client.get(personal_path(member_feed) + "?all=1")) == {"Public", "Members"}
        assert titles(client.get(personal_path(member_feed))) == set()
        # someone who registered for a public event but is no member sees public events only
        outsider_feed = CalendarFeed.objects.create(network=cast.network, person=cast.outsider)
        assert titles(client.get(personal_path(outsider_feed) + "?all=1")) == {"Public"}

    def test_an_unknown_token_is_404(self, cast: Cast, client: Client) -> None:
        path = reverse("outreach_public:calendar", kwargs={"feed_token": "no-such-token"})
        assert client.get(path).status_code == 404

    def test_personal_feed_url_is_absolute_and_made_once(self, cast: Cast, client: Client) -> None:
        url = personal_feed_url(cast.network, cast.member)
        assert url.startswith("http") and url.endswith(".ics")
        assert personal_feed_url(cast.network, cast.member) == url
        assert CalendarFeed.objects.filter(person=cast.member).count() == 1

    def test_resetting_replaces_the_address_and_the_old_one_stops_working(
        self, cast: Cast, client: Client
    ) -> None:
        register(make_event(cast.network, title="Registered"), cast.member)
        old = CalendarFeed.objects.create(network=cast.network, person=cast.member)
        elsewhere = make_member(cast.other_network, name="Twice", email="twice@example.org")
        other_feed = CalendarFeed.objects.create(network=cast.other_network, person=elsewhere)
        login(client, cast.member)
        reset = reverse("outreach:calendar_reset", kwargs={"network_slug": cast.network.slug})
        page = client.get(reset)
        assert page.status_code == 200
        assert old.token in page.content.decode()
        assert client.post(reset).status_code == 302
        assert client.get(personal_path(old)).status_code == 404
        new = CalendarFeed.objects.get(network=cast.network, person=cast.member)
        assert new.token != old.token
        assert titles(client.get(personal_path(new))) == {"Registered"}
        assert new.token in client.get(reset).content.decode()
        # another network's address of another person is untouched
        assert client.get(personal_path(other_feed)).status_code == 200

    def test_a_token_of_another_network_never_shows_this_networks_events(
        self, cast: Cast, client: Client
    ) -> None:
        register(make_event(cast.network, title="Here"), cast.member)
        make_member(cast.other_network, name="Mina again", email="mina2@example.org")
        other_feed = CalendarFeed.objects.create(network=cast.other_network, person=cast.member)
        assert titles(client.get(personal_path(other_feed) + "?all=1")) == set()


class TestTheSubscribeLinks:
    def render(self, cast: Cast, user: Any) -> str:
        request = RequestFactory().get("/n/cast/events/")
        request.user = user
        request.access = access_for(user, cast.network)  # type: ignore[attr-defined]
        return render_to_string(
            "outreach/calendar_links.html", {"network": cast.network, "request": request}
        )

    def test_visitors_get_https_and_webcal_links_to_the_public_feed(self, cast: Cast) -> None:
        from django.contrib.auth.models import AnonymousUser

        html = self.render(cast, AnonymousUser())
        assert "webcal://testserver/n/cast/events.ics" in html
        assert 'value="http://testserver/n/cast/events.ics"' in html
        assert "private" not in html

    def test_members_also_get_their_private_calendar(self, cast: Cast) -> None:
        html = self.render(cast, cast.member.user)
        reset = reverse("outreach:calendar_reset", kwargs={"network_slug": cast.network.slug})
        assert reset in html
        assert "Do not share it" in html


def test_the_personal_feed_reads_a_fixed_number_of_queries(
    cast: Cast, client: Client, django_assert_max_num_queries: Any
) -> None:
    for n in range(12):
        register(make_event(cast.network, title=f"Mine {n}"), cast.member)
        make_event(cast.network, title=f"Members {n}", visibility=Event.Visibility.MEMBERS)
    feed = CalendarFeed.objects.create(network=cast.network, person=cast.member)
    with django_assert_max_num_queries(10):
        response = client.get(personal_path(feed) + "?all=1")
    assert len(titles(response)) == 24


class TestTheOnlineLink:
    """The meeting link is for registrants, as on the event's page: never in the public feed, nor
    for someone on the waiting list."""

    LINK = "https://meet.example.org/secret-room"

    def test_the_public_feed_never_carries_the_link(self, cast: Cast, client: Client) -> None:
        make_event(cast.network, title="Online webinar", online_url=self.LINK)
        response = client.get(feed_path(cast))
        assert response.status_code == 200
        assert b"Online webinar" in response.content
        assert b"secret-room" not in response.content

    def test_the_personal_feed_carries_it_for_registrants_only(
        self, cast: Cast, client: Client
    ) -> None:
        mine = make_event(cast.network, title="Mine", online_url=self.LINK)
        waiting = make_event(cast.network, title="Waiting", online_url=self.LINK + "-2")
        register(mine, cast.member)
        register(waiting, cast.member, Registration.Status.WAITLISTED)
        feed = CalendarFeed.objects.create(network=cast.network, person=cast.member)
        calendar = Calendar.from_ical(client.get(personal_path(feed)).content)
        location = {str(v["SUMMARY"]): str(v.get("LOCATION", "")) for v in calendar.events}
        assert location == {"Mine": self.LINK, "Waiting": ""}
