"""Drafting an issue from the network's news: the right rows, and only what the public may see."""

from __future__ import annotations

from datetime import date, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from django.utils.formats import date_format

from netweave.field.services import product_change_stage, product_create, stages_ensure_default
from netweave.lib.testing import Cast, make_member
from netweave.library.models import Resource, Visibility
from netweave.library.services import resource_create
from netweave.outreach.common import absolute_url
from netweave.outreach.drafting import draft_body, draft_issue, escape_markdown, one_line
from netweave.outreach.models import Event, MailingList, Newsletter
from netweave.outreach.tests.newsletters_fixtures import make_issue, news_list_fixture  # noqa: F401
from netweave.people.models import Membership

pytestmark = pytest.mark.django_db


def publish(cast: Cast, title: str, *, days_ago: float = 1, **fields: object) -> Resource:
    fields.setdefault("kind", Resource.Kind.REPORT)
    fields.setdefault("visibility", Visibility.PUBLIC)
    fields.setdefault("url", "https://example.org/" + title.lower().replace(" ", "-"))
    return resource_create(
        network=cast.network,
        by=None,
        title=title,
        status=Resource.Status.PUBLISHED,
        now=timezone.now() - timedelta(days=days_ago),
        **fields,  # type: ignore[arg-type]
    )


def event(cast: Cast, title: str, *, days_ahead: float, **fields: object) -> Event:
    starts = timezone.now() + timedelta(days=days_ahead)
    return Event.objects.create(
        network=cast.network,
        title=title,
        starts_at=starts,
        ends_at=starts + timedelta(hours=1),
        **fields,
    )


def body_now(cast: Cast) -> str:
    return draft_body(cast.network, since=timezone.now() - timedelta(days=30))


class TestResources:
    def test_new_public_resources_are_listed_newest_first_with_a_link_and_a_summary(
        self, cast: Cast
    ) -> None:
        older = publish(cast, "Older report", days_ago=5, summary="First line.\n\nSecond para.")
        newer = publish(cast, "Newer report", days_ago=1)
        body = body_now(cast)
        assert "## New in the library" in body
        assert body.index("Newer report") < body.index("Older report")
        assert f"/n/{cast.network.slug}/library/{older.pk}/" in body
        assert f"/n/{cast.network.slug}/library/{newer.pk}/" in body
        assert "First line." in body and "Second para" not in body

    def test_network_only_unpublished_and_older_resources_are_left_out(self, cast: Cast) -> None:
        publish(cast, "Members only paper", visibility=Visibility.NETWORK)
        publish(cast, "Curators note", visibility=Visibility.COORDINATORS)
        publish(cast, "Last year report", days_ago=200)
        resource_create(
            network=cast.network, by=None, title="Waiting for review", kind="report"
        )  # submitted, not published
        publish(cast, "Public one")
        body = body_now(cast)
        assert "Public one" in body
        for hidden in ("Members only", "Curators note", "Last year", "Waiting for review"):
            assert hidden not in body

    def test_at_most_eight_resources_are_listed(self, cast: Cast) -> None:
        for n in range(10):
            publish(cast, f"Report number {n}", days_ago=1 + n / 100)
        body = body_now(cast)
        assert body.count("- [Report number") == 8

    def test_funding_opportunities_have_their_own_section(self, cast: Cast) -> None:
        publish(cast, "Seed grants 2031", kind=Resource.Kind.FUNDING)
        publish(cast, "A plain report")
        body = body_now(cast)
        funding = body.index("## Funding opportunities")
        assert body.index("Seed grants 2031") > funding
        assert body.index("A plain report") < funding


class TestEvents:
    def test_upcoming_public_events_are_dated_in_their_own_time_zone(self, cast: Cast) -> None:
        starts = (timezone.now() + timedelta(days=10)).replace(
            hour=23, minute=30, second=0, microsecond=0
        )
        Event.objects.create(
            network=cast.network,
            title="Evening webinar",
            starts_at=starts,
            ends_at=starts + timedelta(hours=1),
            time_zone="Asia/Tokyo",
        )
        body = body_now(cast)
        assert "## Coming up" in body and "Evening webinar" in body
        local = timezone.localtime(starts, ZoneInfo("Asia/Tokyo"))
        expected = f"{date_format(local, 'DATE_FORMAT')}, {date_format(local, 'TIME_FORMAT')}"
        assert f"**{expected} (Asia/Tokyo)**" in body.replace("\\", "")
        assert local.date() != starts.date()  # 23:30 UTC is the next morning in Tokyo

    def test_members_only_draft_cancelled_past_and_far_events_are_left_out(
        self, cast: Cast
    ) -> None:
        event(cast, "Members call", days_ahead=3, visibility=Event.Visibility.MEMBERS)
        event(cast, "Draft workshop", days_ahead=3, status=Event.Status.DRAFT)
        event(cast, "Cancelled talk", days_ahead=3, status=Event.Status.CANCELLED)
        event(cast, "Yesterday talk", days_ahead=-1)
        event(cast, "Next season", days_ahead=90)
        webinar = event(cast, "Open webinar", days_ahead=5)
        body = body_now(cast)
        assert f"[Open webinar]({absolute_url(f'/n/cast/events/{webinar.pk}/')})" in body
        for hidden in ("Members call", "Draft workshop", "Cancelled", "Yesterday", "Next season"):
            assert hidden not in body


class TestMembersAndProducts:
    def test_new_members_are_counted_never_named(self, cast: Cast) -> None:
        # the cast joined just now: four active members; one more joined long ago
        old = make_member(cast.network, name="Olga Oldtimer")
        Membership.objects.filter(person=old).update(joined_at=timezone.now() - timedelta(days=400))
        body = body_now(cast)
        assert "4 new members joined the network." in body
        for name in ("Mina Member", "Cora Coordinator", "Olga"):
            assert name not in body

    def test_stage_changes_of_public_products_only(self, cast: Cast) -> None:
        stages = stages_ensure_default(cast.network)
        public = product_create(
            network=cast.network,
            name="Open vaccine",
            stage=stages[1],
            stage_date=date.today() - timedelta(days=100),
            visibility=Visibility.PUBLIC,
        )
        hidden = product_create(
            network=cast.network,
            name="Secret drug",
            stage=stages[1],
            stage_date=date.today() - timedelta(days=100),
        )
        product_change_stage(product=public, stage=stages[2], date=date.today())
        product_change_stage(product=hidden, stage=stages[2], date=date.today())
        body = body_now(cast)
        assert "## Products in development" in body
        assert "Open vaccine" in body and stages[2].name in body.replace("\\", "")
        assert "Secret drug" not in body
        assert body.count("Open vaccine") == 1  # the old change is before the period


class TestDraftIssue:
    def test_empty_sections_are_left_out_and_the_intro_asks_for_words(self, cast: Cast) -> None:
        Membership.objects.filter(network=cast.network).update(
            joined_at=timezone.now() - timedelta(days=400)
        )
        body = body_now(cast)
        assert "##" not in body
        assert "introduction" in body
        assert "Nothing new was published" in body

    def test_issues_are_numbered_and_get_a_default_edition(
        self, cast: Cast, news_list: MailingList
    ) -> None:
        first = draft_issue(cast.network, mailing_list=news_list, by=cast.coordinator)
        second = draft_issue(cast.network, mailing_list=news_list, by=cast.coordinator)
        assert (first.number, second.number) == (1, 2)
        assert first.status == Newsletter.Status.DRAFT
        edition = first.editions.get()
        assert edition.language == "en"
        assert edition.subject == "Cast Network — issue 1"
        assert first.created_by == cast.coordinator

    def test_the_news_begin_when_the_last_sent_issue_went_out(
        self, cast: Cast, news_list: MailingList
    ) -> None:
        publish(cast, "Before the last issue", days_ago=3)
        last = make_issue(news_list, 1, status=Newsletter.Status.SENT)
        Newsletter.objects.filter(pk=last.pk).update(started_at=timezone.now() - timedelta(days=2))
        publish(cast, "After the last issue", days_ago=1)
        issue = draft_issue(cast.network, mailing_list=news_list, by=None)
        body = issue.editions.get().body
        assert issue.number == 2
        assert "After the last issue" in body
        assert "Before the last issue" not in body

    def test_a_french_network_gets_a_french_draft(self, cast: Cast, news_list: MailingList) -> None:
        cast.network.languages = ["fr", "en"]
        cast.network.save(update_fields=["languages"])
        issue = draft_issue(cast.network, mailing_list=news_list, by=None)
        assert issue.default_language == "fr"
        assert issue.editions.get().language == "fr"


class TestMarkdownHelpers:
    def test_titles_with_markdown_characters_stay_plain_text(self) -> None:
        assert escape_markdown("A [big] *deal*") == r"A \[big\] \*deal\*"

    def test_a_summary_becomes_one_short_plain_line(self) -> None:
        text = "**Bold** and [a link](https://x.org) " + "word " * 60 + "\n\nNext"
        line = one_line(text)
        assert line.startswith("Bold and a link word")
        assert line.endswith("…") and len(line) <= 161
