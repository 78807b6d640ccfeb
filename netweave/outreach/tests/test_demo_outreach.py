"""The demo's outreach: 1,200 newsletter subscribers with consent records, twelve sent issues whose
deliveries match who was subscribed at the time, a draft ready to send, a year of events with
registrations, attendance and co-attendance ties; a small version in `vdan`; and `--reset`
(remove, then load again) works and gives the same subscribers."""

from __future__ import annotations

import ipaddress
import itertools
import re
from collections import Counter, defaultdict
from zoneinfo import ZoneInfo

import pytest
from django.db import transaction
from django.utils import timezone

from netweave.demo import data
from netweave.demo.load import demo_load, demo_remove
from netweave.library.models import Resource
from netweave.networks.models import Network
from netweave.outreach.delivery import recipients_for
from netweave.outreach.models import (
    Attendance,
    Bounce,
    Delivery,
    Edition,
    Event,
    EventSession,
    MailingList,
    Newsletter,
    OutreachSettings,
    Proposal,
    Registration,
    Subscriber,
    Subscription,
    Suppression,
)
from netweave.outreach.selectors import active_subscribers
from netweave.people.models import Membership
from netweave.ties.models import Tie

pytestmark = pytest.mark.django_db

DOCUMENTATION_NETWORKS = [
    ipaddress.ip_network(n)
    for n in ("192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24", "2001:db8::/32")
]
MESSAGE_ID = re.compile(r"^<[0-9a-f]{32}\.(\d+)@demo\.netweave\.org>$")
LINK = re.compile(r"\]\((http[^)]+)\)")


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    """The demo, loaded once for this module and rolled back after its last test (each test runs
    in a savepoint of its own inside it)."""
    with django_db_blocker.unblock(), transaction.atomic():
        demo_load()
        yield Network.objects.get(slug="lahp")
        transaction.set_rollback(True)


def newsletter_list(network: Network) -> MailingList:
    return MailingList.objects.get(network=network, slug="newsletter")


class DemoSettingsAndListsTests:
    def test_the_secretariat_sends_without_rate_limit_or_tracking(self, demo):
        settings = OutreachSettings.objects.get(network=demo)
        assert settings.from_name == "LAHP Secretariat"
        assert settings.from_email.endswith(".demo.netweave.org")
        assert settings.postal_address
        assert settings.rate_per_second == 0
        assert not settings.track_opens and not settings.track_clicks

    def test_there_are_a_newsletter_an_events_list_and_the_members_list(self, demo):
        lists = {m.slug: m for m in MailingList.objects.filter(network=demo)}
        assert set(lists) == {"newsletter", "events", "members"}
        assert lists["newsletter"].name == "Monthly newsletter"
        assert lists["newsletter"].visibility == lists["events"].visibility == "public"
        assert lists["members"].is_member_list and lists["members"].visibility == "members"
        assert [m.slug for m in lists.values() if m.is_member_list] == ["members"]

    def test_every_active_member_is_on_the_members_list_as_a_member(self, demo):
        active = set(
            Membership.objects.filter(network=demo, status="active").values_list(
                "person_id", "person__email"
            )
        )
        on_list = Subscription.objects.filter(mailing_list__slug="members", network=demo)
        assert {(s.subscriber.person_id, s.subscriber.email) for s in on_list} == active
        assert {(s.status, s.consent_method) for s in on_list} == {("subscribed", "member")}
        assert all(s.confirmed_at and s.consent_at for s in on_list)


class DemoSubscribersTests:
    def test_1200_subscribers_with_unique_addresses_under_example_org(self, demo):
        subscriptions = Subscription.objects.filter(mailing_list=newsletter_list(demo))
        assert subscriptions.count() == 1200
        emails = list(subscriptions.values_list("subscriber__email", flat=True))
        assert len(set(emails)) == 1200
        assert all(e == e.lower() and e.split("@")[1].endswith("example.org") for e in emails)
        assert not Subscriber.objects.filter(network=demo, email__in=emails).exclude(person=None), (
            "members are not among the newsletter's 1,200"
        )
        languages = Counter(
            Subscriber.objects.filter(network=demo, person=None).values_list("language", flat=True)
        )
        assert set(languages) == {"en", "fr", "es"} and languages["en"] > 600
        frequencies = Counter(
            Subscriber.objects.filter(network=demo, person=None).values_list("frequency", flat=True)
        )
        assert frequencies["every"] > 900 and frequencies["monthly"] and frequencies["quarterly"]

    def test_consent_records_say_how_when_and_from_where(self, demo):
        subscriptions = list(Subscription.objects.filter(mailing_list=newsletter_list(demo)))
        statuses = Counter(s.status for s in subscriptions)
        assert 30 <= statuses["pending"] <= 50 and 50 <= statuses["unsubscribed"] <= 70
        now = timezone.now()
        forms = [s for s in subscriptions if s.consent_method == "form"]
        spread = [(now - s.consent_at).days for s in forms]
        assert max(spread) > 2 * 365 and min(spread) < 30
        for s in forms:
            address = ipaddress.ip_address(s.consent_ip)
            assert any(address in network for network in DOCUMENTATION_NETWORKS), s.consent_ip
            if s.status == "pending":
                assert s.confirmed_at is None
            else:
                minutes = (s.confirmed_at - s.consent_at).total_seconds() / 60
                assert 0 < minutes <= 30
        imported = [s for s in subscriptions if s.consent_method == "import"]
        assert 130 <= len(imported) <= 170
        assert all("conference sign-up sheet" in s.consent_note for s in imported)
        assert all(s.consent_ip is None and s.confirmed_at for s in imported)
        left = [s for s in subscriptions if s.status == "unsubscribed"]
        assert {s.unsubscribe_method for s in left} == {"one-click", "preferences"}
        assert all(s.confirmed_at < s.unsubscribed_at < now for s in left)

    def test_about_300_also_get_the_event_announcements(self, demo):
        events_list = Subscription.objects.filter(mailing_list__slug="events", network=demo)
        assert events_list.count() == 300
        assert set(events_list.values_list("status", flat=True)) == {"subscribed"}

    def test_twelve_addresses_are_suppressed_with_their_bounce_reports(self, demo):
        suppressions = list(Suppression.objects.filter(network=demo))
        reasons = Counter(s.reason for s in suppressions)
        assert reasons == {"hard_bounce": 10, "complaint": 2}
        for suppression in suppressions:
            bounce = Bounce.objects.get(
                network=demo, email=suppression.email, kind__in=["hard", "complaint"]
            )
            assert bounce.delivery is not None and bounce.delivery.status == "bounced"
            assert bounce.received_at == suppression.created_at
            assert not Delivery.objects.filter(
                network=demo, email=suppression.email, newsletter__started_at__gt=bounce.received_at
            ).exists(), "nothing is sent to a suppressed address"
        soft = Bounce.objects.filter(network=demo, kind="soft")
        assert (
            soft.exists()
            and not Suppression.objects.filter(
                network=demo, email__in=soft.values("email")
            ).exists()
        )


class DemoNewslettersTests:
    def test_twelve_monthly_issues_were_sent_with_editions_in_three_languages(self, demo):
        issues = list(Newsletter.objects.filter(network=demo, status="sent").order_by("number"))
        assert [i.number for i in issues] == list(range(1, 13))
        gaps = [(b.started_at - a.started_at).days for a, b in itertools.pairwise(issues)]
        assert all(28 <= gap <= 31 for gap in gaps)
        assert (timezone.now() - issues[-1].started_at).days < 31
        for issue in issues:
            languages = set(issue.editions.values_list("language", flat=True))
            assert "en" in languages and issue.in_archive
            assert issue.finished_at > issue.started_at
        assert Edition.objects.filter(newsletter__network=demo, language="fr").count() >= 6
        assert Edition.objects.filter(newsletter__network=demo, language="es").count() >= 3

    def test_every_edition_has_the_four_sections_and_links_real_library_resources(self, demo):
        titles = set(Resource.objects.filter(network=demo).values_list("title", flat=True))
        linked = 0
        for edition in Edition.objects.filter(newsletter__network=demo, language="en"):
            body = edition.body
            for heading in ("New in the library", "Upcoming events", "Funding opportunities"):
                assert f"## {heading}" in body
            assert "## Member news" in body
            for title in re.findall(r"^- \[(.+?)\]\(", body, re.MULTILINE):
                assert title in titles
                linked += 1
            assert all(url.startswith("http") for url in LINK.findall(body))
        assert linked >= 20

    def test_deliveries_match_who_was_subscribed_when_each_issue_went_out(self, demo):
        subscriptions = {
            s.subscriber_id: s
            for s in Subscription.objects.filter(mailing_list=newsletter_list(demo))
        }
        issues = {i.pk: i for i in Newsletter.objects.filter(network=demo, status="sent")}
        statuses: Counter[str] = Counter()
        per_issue: defaultdict[int, int] = defaultdict(int)
        for delivery in Delivery.objects.filter(network=demo).only(
            "newsletter_id", "subscriber_id", "status", "message_id", "language", "sent_at"
        ):
            issue = issues[delivery.newsletter_id]
            subscription = subscriptions[delivery.subscriber_id]
            assert subscription.confirmed_at <= issue.started_at
            assert subscription.unsubscribed_at is None or (
                subscription.unsubscribed_at > issue.started_at
            )
            found = MESSAGE_ID.match(delivery.message_id)
            assert found and int(found.group(1)) == issue.pk
            assert delivery.language in {"en", "fr", "es"}
            assert (delivery.sent_at is not None) == (delivery.status in ("sent", "bounced"))
            statuses[delivery.status] += 1
            per_issue[issue.number] += 1
        assert len(per_issue) == 12 and all(600 <= n <= 1200 for n in per_issue.values())
        assert statuses["sent"] > 9000
        assert statuses["failed"] and statuses["bounced"] >= 12 and statuses["skipped"]
        assert statuses["queued"] == 0

    def test_issue_13_is_a_draft_to_the_newsletter_list_with_an_english_edition(self, demo):
        latest = Newsletter.objects.filter(network=demo).order_by("-number").first()
        assert latest.number == 13 and latest.status == "draft"
        assert latest.mailing_list.slug == "newsletter"
        previous = Newsletter.objects.get(network=demo, number=12)
        assert latest.period_start == previous.started_at
        assert not latest.deliveries.exists()
        edition = latest.editions.get()
        assert edition.language == "en" and edition.subject and "## Upcoming events" in edition.body
        assert 1050 <= active_subscribers(latest.mailing_list).count() <= 1150
        assert 1000 <= recipients_for(latest).count() <= 1150, "due by their frequency"


class DemoEventsTests:
    def test_a_year_of_events_nine_months_back_and_three_ahead(self, demo):
        now = timezone.now()
        events = list(Event.objects.filter(network=demo))
        past = [e for e in events if e.starts_at < now]
        ahead = [e for e in events if e.starts_at >= now]
        assert 14 <= len(past) <= 18 and 5 <= len(ahead) <= 8
        assert min((now - e.starts_at).days for e in past) >= 0
        assert max((now - e.starts_at).days for e in past) <= 280
        assert max((e.starts_at - now).days for e in ahead) <= 95
        kinds = Counter(e.kind for e in events)
        assert kinds["webinar"] == 12 and kinds["workshop"] == 3 and kinds["conference"] == 1
        assert kinds["call"] >= 5
        for event in events:
            ZoneInfo(event.time_zone)  # a real IANA zone
            assert event.ends_at > event.starts_at
            assert bool(event.venue) != bool(event.online_url), event
        assert {e.time_zone for e in events} >= {
            "Europe/Zurich", "America/New_York", "Africa/Nairobi", "Asia/Kolkata", "UTC",
        }  # fmt: skip
        assert all(
            e.online_url.startswith("https://meet.example.org/") for e in events if e.online_url
        )

    def test_the_upcoming_workshop_is_full_with_a_waiting_list(self, demo):
        workshops = Event.objects.filter(network=demo, kind="workshop")
        assert all(w.capacity and w.venue for w in workshops)
        full = workshops.get(starts_at__gt=timezone.now())
        statuses = Counter(full.registrations.values_list("status", flat=True))
        assert statuses["registered"] == full.capacity and statuses["waitlisted"] == 5
        for workshop in workshops:
            assert workshop.registrations.filter(status="registered").count() <= workshop.capacity

    def test_the_conference_has_sessions_presenters_proposals_and_questions(self, demo):
        conference = Event.objects.get(network=demo, kind="conference")
        assert (conference.ends_at - conference.starts_at).days == 1
        sessions = list(
            EventSession.objects.filter(event=conference).prefetch_related("presenters")
        )
        assert len(sessions) == 6 and all(s.presenters.all() for s in sessions)
        members = set(
            Membership.objects.filter(network=demo, status="active").values_list(
                "person_id", flat=True
            )
        )
        assert all(p.pk in members for s in sessions for p in s.presenters.all())
        proposals = Counter(
            Proposal.objects.filter(event=conference).values_list("status", flat=True)
        )
        assert proposals == {"accepted": 2, "proposed": 1, "declined": 1}
        for proposal in Proposal.objects.filter(event=conference, status="accepted"):
            assert proposal.session and proposal.person in proposal.session.presenters.all()
        questions = {str(q.pk): q for q in conference.questions.all()}
        assert len(questions) >= 3
        registrations = list(conference.registrations.all())
        assert len(registrations) > 100
        for registration in registrations:
            assert set(registration.answers) <= set(questions)
            choice = next(q for q in questions.values() if q.kind == "choice")
            assert registration.answers[str(choice.pk)] in choice.choices

    def test_members_and_subscribers_register_and_most_registrants_of_past_events_attend(
        self, demo
    ):
        now = timezone.now()
        registrations = Registration.objects.filter(network=demo)
        assert registrations.exclude(person=None).count() > 200
        joined = dict(Membership.objects.filter(network=demo).values_list("person_id", "joined_at"))
        for person_id, starts_at in registrations.exclude(person=None).values_list(
            "person_id", "event__starts_at"
        ):
            assert joined[person_id] < starts_at, "members register after joining"
        assert registrations.filter(person=None).count() > 400
        calls = registrations.filter(event__kind="call")
        assert calls.filter(person=None).count() == 0, "calls are for members"
        attended = registered = 0
        for event in Event.objects.filter(network=demo, starts_at__lt=now):
            registered += event.registrations.filter(status="registered").count()
            attended += event.attendances.count()
        assert 0.6 <= attended / registered <= 0.8
        assert not Attendance.objects.filter(network=demo, event__starts_at__gt=now).exists()
        assert (
            not Attendance.objects.filter(network=demo)
            .exclude(registration__status="registered")
            .exists()
        )
        assert set(Attendance.objects.filter(network=demo).values_list("method", flat=True)) == {
            "coordinator",
            "self",
        }

    def test_co_attendance_is_observed_as_ties_between_members_who_attended(self, demo):
        ties = list(Tie.objects.filter(network=demo, kind="co_attended"))
        assert 50 <= len(ties) <= 400
        attended: defaultdict[str, set[int]] = defaultdict(set)
        for event_id, person_id in (
            Attendance.objects.filter(network=demo)
            .exclude(person=None)
            .values_list("event_id", "person_id")
        ):
            attended[f"event:{event_id}"].add(person_id)
        for tie in ties:
            assert tie.provenance == "observed"
            assert {tie.source_id, tie.target_id} <= attended[tie.evidence]

    def test_the_member_account_attended_two_events_and_registered_for_the_next_webinar(self, demo):
        mine = Registration.objects.filter(network=demo, person__email=data.MEMBER_EMAIL)
        assert Attendance.objects.filter(registration__in=mine).count() == 2
        upcoming = mine.filter(event__starts_at__gt=timezone.now(), status="registered")
        assert upcoming.filter(event__kind="webinar").exists()


class DemoActionNetworkTests:
    def test_vdan_has_a_small_version(self, demo):
        vdan = Network.objects.get(slug="vdan")
        assert Subscription.objects.filter(mailing_list=newsletter_list(vdan)).count() == 100
        assert Newsletter.objects.filter(network=vdan, status="sent").count() == 3
        assert Newsletter.objects.filter(network=vdan, status="draft").count() == 1
        assert Delivery.objects.filter(network=vdan).count() > 150
        assert Event.objects.filter(network=vdan).count() == 4
        assert OutreachSettings.objects.get(network=vdan).from_name == "VDAN Secretariat"
        assert not Subscriber.objects.filter(network=vdan, language="es").exists()
        joined = dict(Membership.objects.filter(network=vdan).values_list("person_id", "joined_at"))
        registered = Registration.objects.filter(network=vdan).exclude(person=None)
        assert registered.exists()
        for person_id, starts_at in registered.values_list("person_id", "event__starts_at"):
            assert joined[person_id] < starts_at


class DemoResetTests:
    def test_remove_then_load_again_gives_the_same_subscribers_without_duplicates(self, demo):
        before = sorted(
            Subscriber.objects.filter(network__slug__in=["lahp", "vdan"]).values_list(
                "network__slug", "email", "name", "language"
            )
        )
        subjects = sorted(Edition.objects.values_list("subject", flat=True))
        demo_remove()
        assert not Subscriber.objects.exists() and not Newsletter.objects.exists()
        assert not Delivery.objects.exists() and not Event.objects.exists()
        demo_load()
        after = sorted(
            Subscriber.objects.filter(network__slug__in=["lahp", "vdan"]).values_list(
                "network__slug", "email", "name", "language"
            )
        )
        assert after == before
        assert sorted(Edition.objects.values_list("subject", flat=True)) == subjects
        lahp = Network.objects.get(slug="lahp")
        assert Subscription.objects.filter(mailing_list=newsletter_list(lahp)).count() == 1200
        assert Newsletter.objects.filter(network=lahp).count() == 13
