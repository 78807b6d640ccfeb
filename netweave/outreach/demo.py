"""Demo: information out for both networks.

The learning network (`lahp`):

- Mail settings (sender "LAHP Secretariat", a postal address, no rate limit, no tracking) and three
  lists: the monthly newsletter, event announcements, and the members' list (every active member
  on it, consent through membership).
- 1,200 subscribers of the newsletter over three years, each with the consent record the
  subscription services keep: confirmed subscription forms from documentation IP ranges, about
  150 imported from a conference sign-up sheet, about 40 never confirmed, about 60 who left (one
  click or the preference center), twelve suppressed addresses (ten hard bounces, two
  complaints) with their bounce reports, and a few soft bounces below the threshold. About 300
  of them also get the event announcements.
- Twelve sent issues, one a month, in English (French and Spanish editions for the later ones),
  drafted from what the demo holds: resources the library published that month, the events
  ahead, funding calls, members' news. Each issue has one delivery per recipient who was
  subscribed when it went out (and whose frequency allowed it), mostly sent, a few failed,
  bounced or skipped. Issue 13 is a draft to the newsletter list, ready for
  `netweave newsletter send --network lahp --latest`.
- A year of events (nine months back, three ahead): monthly webinars, members' calls, three
  workshops (the upcoming one full, with a waiting list) and a two-day conference with six
  sessions, presenters, proposals and registration questions. Registrations by members and
  subscribers; attendance at past events; co-attendance of members at calls and workshops is
  observed as ties (`tie_observe`, evidence `event:<id>`), so it shows on the map.
  member@demo.netweave.org registered for the next webinar and attended two past events.

The action network (`vdan`) gets a small version: 100 subscribers, 3 issues, 4 events.

Rows are written with bulk inserts and keep the rules of the outreach services (one delivery
per recipient and issue, suppression after a hard bounce or a complaint, a delivery that bounced
is BOUNCED, attendance only for a registration). Tokens stay secret (the models' defaults); every
other choice comes from the step's seeded random generator."""

from __future__ import annotations

import itertools
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.db import connection, models
from django.urls import NoReverseMatch
from django.utils import timezone

from netweave.demo import data
from netweave.demo.load import DEMO_SLUGS, DemoContext, demo_step
from netweave.demo.plan import LAHP, VDAN
from netweave.demo.profiles import ascii_slug
from netweave.library.demo import add_months, fmt_date, fmt_month
from netweave.outreach import demo_data as words

MESSAGE_ID_DOMAIN = "demo.netweave.org"
# Co-attendance ties are observed among at most this many attending members of an event.
MAX_TIED_PER_EVENT = 8
UTC = ZoneInfo("UTC")


# Every column of a delivery, in the order `Outreach.deliveries` writes them.
DELIVERY_COLUMNS = [
    "network", "newsletter", "subscriber", "email", "language", "status", "message_id",
    "claimed_by", "claimed_until", "attempts", "sent_at", "error", "opened_at", "open_count",
    "clicked_at", "click_count",
]  # fmt: skip


def insert_rows(model: type[models.Model], fields: list[str], rows: list[tuple[Any, ...]]) -> None:
    """INSERT `rows` (values as the database stores them) in batches. For the ~10,000
    deliveries: `bulk_create` prepares every value of every row through its field, which alone
    would take the demo step over its time budget."""
    meta = model._meta
    quote = connection.ops.quote_name
    concrete = {field.name: field.column for field in meta.concrete_fields}
    columns = ", ".join(quote(concrete[name]) for name in fields)
    marks = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES ({marks})"  # noqa: S608
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 2000):
            cursor.executemany(sql, rows[start : start + 2000])


@dataclass(frozen=True)
class Scale:
    subscribers: int
    imported: int
    pending: int
    unsubscribed: int
    hard_bounces: int
    complaints: int
    soft_bounces: int
    on_events_list: int
    issues: int
    french_from: int  # issues from this number on have a French edition
    spanish_from: int
    network_short: str


LAHP_SCALE = Scale(
    subscribers=1200,
    imported=150,
    pending=40,
    unsubscribed=60,
    hard_bounces=10,
    complaints=2,
    soft_bounces=6,
    on_events_list=300,
    issues=12,
    french_from=5,
    spanish_from=9,
    network_short="LAHP",
)
VDAN_SCALE = Scale(
    subscribers=100,
    imported=12,
    pending=4,
    unsubscribed=5,
    hard_bounces=1,
    complaints=0,
    soft_bounces=1,
    on_events_list=0,
    issues=3,
    french_from=3,
    spanish_from=99,
    network_short="VDAN",
)


@dataclass
class Sub:
    """One planned newsletter subscriber and their consent record."""

    email: str
    name: str
    language: str
    frequency: str
    method: str
    requested_at: datetime
    confirmed_at: datetime | None
    ip: str | None = None
    note: str = ""
    unsubscribed_at: datetime | None = None
    unsubscribe_method: str = ""
    suppressed_at: datetime | None = None
    row: Any = None  # the Subscriber, once written


@dataclass
class Stats:
    deliveries: Counter[str] = field(default_factory=Counter)
    registrations: int = 0
    attendances: int = 0
    ties: int = 0


def _url(name: str, *args: object, fallback: str = "") -> str:
    from netweave.outreach.common import absolute_reverse

    try:
        return absolute_reverse(name, *args)
    except NoReverseMatch:  # an area whose pages are not mounted (yet)
        return absolute_reverse(fallback, *args) if fallback else ""


class Outreach:
    def __init__(self, ctx: DemoContext, network: Any, scale: Scale) -> None:
        from netweave.people.models import Affiliation, Membership

        self.ctx, self.rng, self.network, self.scale = ctx, ctx.rng, network, scale
        self.now = timezone.now().replace(microsecond=0)
        self.languages = [code for code in (network.languages or ["en"]) if code in words.ONLINE]
        self.lead = ctx.people[data.COORDINATOR_EMAIL]
        self.memberships = list(
            Membership.objects.filter(network=network, status=Membership.Status.ACTIVE)
            .select_related("person")
            .order_by("person__email")
        )
        self.members = [m.person for m in self.memberships]
        self.organization = dict(
            Affiliation.objects.filter(person__in=self.members, is_primary=True)
            .order_by("person_id", "organization__name")
            .values_list("person_id", "organization__name")
        )
        self.stats = Stats()
        self.subs: list[Sub] = []

    # --- helpers --------------------------------------------------------------------------------

    def at(self, day: date, hour: int, minute: int = 0, zone: str = "UTC") -> datetime:
        local = datetime.combine(day, time(hour, minute), tzinfo=ZoneInfo(zone))
        return local.astimezone(UTC)

    def days_ago(self, days: float) -> datetime:
        return (self.now - timedelta(days=days)).replace(microsecond=0)

    def message_id(self, newsletter_id: int) -> str:
        """As `mail.new_message_id` makes them: 32 hex digits, the issue's id, the domain."""
        return f"<{self.rng.getrandbits(128):032x}.{newsletter_id}@{MESSAGE_ID_DOMAIN}>"

    def ip(self) -> str:
        if self.rng.random() < 0.15:
            host = f"{self.rng.randint(1, 0xFFFF):x}::{self.rng.randint(1, 0xFFFF):x}"
            return words.IPV6_PREFIX + host
        return f"{self.rng.choice(words.IPV4_PREFIXES)}{self.rng.randint(1, 254)}"

    def language_for(self, region: str) -> str:
        wanted = data.WRITING_LANGUAGE.get(region, "en")
        if self.rng.random() < 0.15:
            wanted = "en"
        return wanted if wanted in self.languages else self.languages[0]

    # --- settings and lists ---------------------------------------------------------------------

    def settings_and_lists(self) -> dict[str, Any]:
        from netweave.outreach.models import MailingList, OutreachSettings, Subscriber

        # Members were put on a member list as the people step saved their memberships (the
        # signal in outreach/signals.py); the demo writes its own lists with their history.
        Subscriber.objects.filter(network=self.network).delete()
        MailingList.objects.filter(network=self.network).delete()
        OutreachSettings.objects.update_or_create(
            network=self.network,
            defaults={
                **words.SETTINGS[self.network.slug],
                "rate_per_second": 0,
                "track_opens": False,
                "track_clicks": False,
            },
        )
        specs = [words.NEWSLETTER_LIST, words.MEMBERS_LIST]
        if self.scale.on_events_list:
            specs.insert(1, words.EVENTS_LIST)
        lists = MailingList.objects.bulk_create(
            [
                MailingList(
                    network=self.network,
                    name=spec.name,
                    slug=spec.slug,
                    description=spec.description,
                    visibility=spec.visibility,
                    is_member_list=spec.is_member_list,
                    created_at=self.days_ago(3 * 365 + 10),
                )
                for spec in specs
            ]
        )
        return {spec.slug: row for spec, row in zip(specs, lists, strict=True)}

    def member_list(self, mailing_list: Any) -> None:
        """Every active member on the members' list, consent through membership."""
        from netweave.outreach.models import Subscriber, Subscription

        rows, joined = [], []
        for membership in self.memberships:
            person = membership.person
            when = membership.joined_at or membership.created_at
            rows.append(
                Subscriber(
                    network=self.network,
                    email=person.email.lower(),
                    name=person.name,
                    language=self._person_language(person),
                    person=person,
                    created_at=when,
                )
            )
            joined.append(when)
        subscribers = Subscriber.objects.bulk_create(rows)
        Subscription.objects.bulk_create(
            [
                Subscription(
                    network=self.network,
                    subscriber=subscriber,
                    mailing_list=mailing_list,
                    status=Subscription.Status.SUBSCRIBED,
                    consent_method=Subscription.Method.MEMBER,
                    consent_at=when,
                    requested_at=when,
                    confirmed_at=when,
                )
                for subscriber, when in zip(subscribers, joined, strict=True)
            ]
        )

    # --- subscribers ----------------------------------------------------------------------------

    def plan_subscribers(self, issue_starts: list[datetime]) -> None:
        from netweave.outreach.models import Subscriber, Subscription

        rng, scale = self.rng, self.scale
        taken = {m.person.email.lower() for m in self.memberships}
        regions = sorted(data.FIRST_NAMES)
        weights = [
            {"east_africa": 5, "southern_africa": 5, "west_africa": 3, "francophone_africa": 4,
             "french_europe": 1.5, "hispanic": 4, "anglo": 3, "south_asia": 2}.get(region, 0.7)
            for region in regions
        ]  # fmt: skip
        import_day = (self.now - timedelta(days=rng.randint(800, 900))).date()
        import_at = self.at(import_day, 10, 30)
        note = (words.IMPORT_NOTE if self.network.slug == LAHP else words.VDAN_IMPORT_NOTE).format(
            year=import_day.year
        )
        kinds = (
            ["import"] * scale.imported
            + ["pending"] * scale.pending
            + ["form"] * (scale.subscribers - scale.imported - scale.pending)
        )
        rng.shuffle(kinds)
        for kind in kinds:
            region = rng.choices(regions, weights)[0]
            first = rng.choice(data.FIRST_NAMES[region])
            last = rng.choice(data.LAST_NAMES[region])
            a, b = ascii_slug(first).replace("-", ""), ascii_slug(last).replace("-", "")
            domain = rng.choice(words.EMAIL_DOMAINS)
            local = rng.choice([f"{a}.{b}", f"{a}.{b}", f"{a[0]}{b}", f"{a}{b}", f"{b}.{a}"])
            email, n = f"{local}@{domain}", 1
            while email in taken:
                n += 1
                email = f"{local}{n}@{domain}"
            taken.add(email)
            frequency = rng.choices(["every", "monthly", "quarterly"], [0.86, 0.09, 0.05])[0]
            name = "" if rng.random() < 0.08 else f"{first} {last}"
            language = self.language_for(region)
            if kind == "import":
                sub = Sub(email, name, language, frequency, Subscription.Method.IMPORT,
                          import_at, import_at, note=note)  # fmt: skip
            else:
                # More people sign up as the network becomes known.
                requested = self.days_ago(3 * 365 * rng.random() ** 1.3 + 0.2)
                requested = requested.replace(second=rng.randint(0, 59))
                confirmed = None
                if kind == "form":
                    confirmed = requested + timedelta(minutes=rng.randint(1, 25))
                    confirmed = min(confirmed, self.now - timedelta(minutes=5))
                sub = Sub(email, name, language, frequency, Subscription.Method.FORM,
                          requested, confirmed, ip=self.ip())  # fmt: skip
            self.subs.append(sub)

        # Leavers: a few while an issue was being sent (their delivery is skipped).
        settled = self.now - timedelta(days=40)
        leavers = rng.sample(
            [s for s in self.subs if s.confirmed_at is not None and s.confirmed_at < settled],
            scale.unsubscribed,
        )
        for index, sub in enumerate(leavers):
            assert sub.confirmed_at is not None
            during = [s for s in issue_starts if s > sub.confirmed_at]
            if index < max(1, scale.unsubscribed // 20) and during:
                sub.unsubscribed_at = rng.choice(during) + timedelta(minutes=rng.randint(1, 6))
                sub.unsubscribe_method = "one-click"
            else:
                span = (self.now - sub.confirmed_at).total_seconds() - 86400 * 2
                sub.unsubscribed_at = sub.confirmed_at + timedelta(
                    seconds=int(86400 + rng.random() * span)
                )
                sub.unsubscribe_method = rng.choice(words.UNSUBSCRIBE_METHODS)
        rows = [
            Subscriber(
                network=self.network,
                email=s.email,
                name=s.name,
                language=s.language,
                frequency=s.frequency,
                created_at=s.requested_at,
            )
            for s in self.subs
        ]
        for sub, row in zip(self.subs, Subscriber.objects.bulk_create(rows), strict=True):
            sub.row = row

    def subscriptions(self, lists: dict[str, Any]) -> None:
        from netweave.outreach.models import Subscription

        rng = self.rng
        rows = []
        for sub in self.subs:
            if sub.unsubscribed_at is not None:
                status = Subscription.Status.UNSUBSCRIBED
            elif sub.confirmed_at is None:
                status = Subscription.Status.PENDING
            else:
                status = Subscription.Status.SUBSCRIBED
            rows.append(
                Subscription(
                    network=self.network,
                    subscriber=sub.row,
                    mailing_list=lists["newsletter"],
                    status=status,
                    consent_method=sub.method,
                    consent_at=sub.requested_at,
                    consent_ip=sub.ip,
                    consent_note=sub.note,
                    requested_at=sub.requested_at,
                    confirmed_at=sub.confirmed_at,
                    unsubscribed_at=sub.unsubscribed_at,
                    unsubscribe_method=sub.unsubscribe_method,
                )
            )
        if self.scale.on_events_list:
            candidates = [s for s in self.subs if s.method == "form" and s.confirmed_at]
            for sub in rng.sample(candidates, self.scale.on_events_list):
                assert sub.confirmed_at is not None
                later = min(
                    sub.confirmed_at + timedelta(days=rng.choice([0, 0, 0, rng.randint(1, 200)])),
                    self.now - timedelta(hours=1),
                )
                rows.append(
                    Subscription(
                        network=self.network,
                        subscriber=sub.row,
                        mailing_list=lists["events"],
                        status=Subscription.Status.SUBSCRIBED,
                        consent_method=Subscription.Method.FORM,
                        consent_at=later,
                        consent_ip=sub.ip,
                        requested_at=later,
                        confirmed_at=later + timedelta(minutes=rng.randint(1, 15)),
                    )
                )
        Subscription.objects.bulk_create(rows, batch_size=1000)

    # --- events ---------------------------------------------------------------------------------

    def events(self) -> list[Any]:
        """The events of the network (the newsletter's "upcoming events" reads them)."""
        from netweave.outreach.models import Event

        rng, today = self.rng, self.ctx.today
        specs: list[dict[str, Any]] = []
        if self.network.slug == VDAN:
            for title, kind, days, zone in words.VDAN_EVENTS:
                specs.append(self._spec(title, kind, today + timedelta(days=days), zone))
        else:
            for index, title in enumerate(words.WEBINARS):
                zone = words.ZONES[index % len(words.ZONES)]
                specs.append(
                    self._spec(title, "webinar", today + timedelta(days=-265 + 30 * index), zone)
                )
            for index, title in enumerate(words.CALLS):
                specs.append(
                    self._spec(
                        title, "call", today + timedelta(days=-240 + 50 * index), "Europe/Zurich"
                    )
                )
            for workshop in words.WORKSHOPS:
                spec = self._spec(
                    workshop.title,
                    "workshop",
                    today + timedelta(days=workshop.days_from_today),
                    workshop.time_zone,
                )
                day = today + timedelta(days=workshop.days_from_today)
                spec.update(venue=workshop.venue, capacity=workshop.capacity, online_url="")
                spec["starts_at"] = self.at(day, 9, 0, workshop.time_zone)  # a working day
                spec["ends_at"] = spec["starts_at"] + timedelta(hours=7, minutes=30)
                specs.append(spec)
            conference = words.CONFERENCE
            spec = self._spec(
                str(conference["title"]),
                "conference",
                today + timedelta(days=int(conference["days_from_today"])),  # type: ignore[call-overload]
                str(conference["time_zone"]),
            )
            spec.update(
                venue=conference["venue"],
                capacity=conference["capacity"],
                description=conference["description"],
                online_url="",
                accepts_proposals=True,
            )
            spec["starts_at"] = spec["starts_at"].replace(hour=6)  # 09:00 in Nairobi
            spec["ends_at"] = spec["starts_at"] + timedelta(days=1, hours=8)
            spec["registration_closes_at"] = spec["starts_at"] - timedelta(days=7)
            specs.append(spec)
        specs.sort(key=lambda s: s["starts_at"])
        rows = []
        for spec in specs:
            created = min(
                spec["starts_at"] - timedelta(days=rng.randint(30, 50)),
                self.now - timedelta(days=rng.randint(7, 20)),
            )
            rows.append(
                Event(
                    network=self.network,
                    created_by=self.lead,
                    created_at=created,
                    registration_open=spec["starts_at"] > self.now,
                    **spec,
                )
            )
        return Event.objects.bulk_create(rows)

    def _spec(self, title: str, kind: str, day: date, zone: str) -> dict[str, Any]:
        starts = self.at(day, words.LOCAL_HOUR.get(zone, 9), 0, zone)
        description = {
            "webinar": words.WEBINAR_DESCRIPTION,
            "call": words.CALL_DESCRIPTION,
        }.get(kind, words.WORKSHOP_DESCRIPTION)
        slug = ascii_slug(title)[:40]
        return {
            "title": title,
            "kind": kind,
            "description": description,
            "starts_at": starts,
            "ends_at": starts + timedelta(minutes=60 if kind == "call" else 90),
            "time_zone": zone,
            "online_url": f"https://meet.example.org/{self.network.slug}-{slug}",
            "visibility": "members" if kind == "call" else "public",
        }

    def conference(self, event: Any) -> list[Any]:
        """Sessions with presenters, proposals and registration questions."""
        from netweave.outreach.models import EventSession, Proposal, RegistrationQuestion

        rng = self.rng
        zone = ZoneInfo(event.time_zone)
        first_day = event.starts_at.astimezone(zone).date()
        sessions = EventSession.objects.bulk_create(
            [
                EventSession(
                    event=event,
                    title=title,
                    starts_at=self.at(first_day + timedelta(days=day), hour, 0, event.time_zone),
                    ends_at=self.at(first_day + timedelta(days=day), hour, 0, event.time_zone)
                    + timedelta(minutes=minutes),
                    room=room,
                )
                for day, hour, minutes, title, room in words.CONFERENCE_SESSIONS
            ]
        )
        speakers = rng.sample([m for m in self.members if m != self.lead], 12)
        through = EventSession.presenters.through
        presenters: dict[int, list[Any]] = {}
        for index in range(len(sessions)):
            presenters[index] = speakers[index * 2 : index * 2 + rng.randint(1, 2)]
        through.objects.bulk_create(
            [
                through(eventsession_id=sessions[index].pk, person_id=person.pk)
                for index, people in presenters.items()
                for person in people
            ]
        )
        proposals = []
        for n, (title, status, session_index) in enumerate(words.PROPOSALS):
            person = presenters[session_index][0] if session_index is not None else speakers[8 + n]
            created = event.created_at + timedelta(days=rng.randint(2, 20))
            proposals.append(
                Proposal(
                    event=event,
                    person=person,
                    title=title,
                    abstract=words.PROPOSAL_ABSTRACT,
                    status=status,
                    session=sessions[session_index] if session_index is not None else None,
                    created_at=min(created, self.now - timedelta(days=1)),
                    decided_at=None if status == "proposed" else self.now - timedelta(days=3),
                    decided_by=None if status == "proposed" else self.lead,
                )
            )
        Proposal.objects.bulk_create(proposals)
        return RegistrationQuestion.objects.bulk_create(
            [
                RegistrationQuestion(
                    event=event,
                    label=label,
                    kind=kind,
                    choices=choices,
                    required=required,
                    position=position,
                )
                for position, (label, kind, choices, required) in enumerate(
                    words.CONFERENCE_QUESTIONS
                )
            ]
        )

    def registrations(self, events: list[Any]) -> None:
        from netweave.outreach.models import Attendance, Registration

        rng = self.rng
        member_email = data.MEMBER_EMAIL
        me = self.ctx.people.get(member_email)
        past_events = [e for e in events if e.starts_at < self.now]
        # member@demo attended the last past webinar and call, and registered for the next webinar.
        me_attended = {
            kind_events[-1].pk
            for kind_events in (
                [e for e in past_events if e.kind == kind] for kind in ("webinar", "call")
            )
            if kind_events
        }
        upcoming_webinars = [e for e in events if e.kind == "webinar" and e.starts_at > self.now]
        me_registered = set(me_attended) | {e.pk for e in upcoming_webinars[:1]}
        questions: dict[int, list[Any]] = {}
        for event in events:
            if event.kind == "conference":
                questions[event.pk] = self.conference(event)

        joined = {m.person_id: m.joined_at or m.created_at for m in self.memberships}
        rows: list[Any] = []
        attending: list[tuple[Any, bool]] = []  # (registration, attended)
        for event in events:
            # Members register for events after they joined; those who joined in the last two
            # months have not been to any event yet (the weaving demo's newcomers, who have at
            # most one tie, are among them).
            newcomers_after = self.now - timedelta(days=60)
            members = [
                m
                for m in self.members
                if m.email != member_email
                and joined[m.pk] < event.starts_at
                and (event.starts_at > self.now or joined[m.pk] < newcomers_after)
            ]
            named = [
                s
                for s in self.subs
                if s.name and s.confirmed_at and s.confirmed_at < event.starts_at
            ]
            n_members, n_subs, cancelled = {
                "webinar": (rng.randint(8, 22), rng.randint(25, 80), 0.04),
                "call": (rng.randint(8, 15), 0, 0.05),
                "workshop": (18, 14, 0.05),
                "conference": (60, 90, 0.02),
            }[event.kind]
            if self.network.slug == VDAN:
                n_members, n_subs = min(n_members, 12), min(n_subs, 15)
            people = rng.sample(members, min(n_members, len(members)))
            # (as a member, so only for events after joining)
            if (
                me
                and event.pk in me_registered
                and joined.get(me.pk, event.starts_at) < event.starts_at
            ):
                people.insert(0, me)
            guests = rng.sample(named, min(n_subs, len(named))) if event.kind != "call" else []
            entries: list[tuple[Any, str, str, str]] = [
                (p, p.name, p.email.lower(), self._person_language(p)) for p in people
            ] + [(None, s.name, s.email, s.language) for s in guests]
            rng.shuffle(entries)
            full = (
                event.capacity is not None
                and event.starts_at > self.now
                and event.kind == "workshop"
            )
            if full:  # the upcoming workshop: every place taken, five waiting
                entries = entries[: event.capacity + 5]
            elif event.capacity is not None:
                entries = entries[: event.capacity - rng.randint(0, 4)]
            opened = event.created_at
            for index, (person, name, email, language) in enumerate(entries):
                created = opened + (event.starts_at - opened) * (0.05 + 0.9 * rng.random())
                created = min(created, self.now - timedelta(minutes=30))
                status = Registration.Status.REGISTERED
                if full and index >= event.capacity:
                    status = Registration.Status.WAITLISTED
                elif person is not me and rng.random() < cancelled:
                    status = Registration.Status.CANCELLED
                registration = Registration(
                    network=self.network,
                    event=event,
                    person=person,
                    name=name,
                    email=email,
                    language=language,
                    status=status,
                    answers=self._answers(questions.get(event.pk, [])),
                    created_at=created,
                    confirmation_sent_at=created + timedelta(seconds=rng.randint(2, 40)),
                    cancelled_at=(
                        created + (event.starts_at - created) * rng.random()
                        if status == Registration.Status.CANCELLED
                        else None
                    ),
                )
                if registration.cancelled_at is not None:
                    registration.cancelled_at = min(registration.cancelled_at, self.now)
                rows.append(registration)
                if event.starts_at < self.now and status == Registration.Status.REGISTERED:
                    attended = (
                        event.pk in me_attended
                        if person is me and me is not None
                        else rng.random() < rng.uniform(0.6, 0.8)
                    )
                    attending.append((registration, attended))
        Registration.objects.bulk_create(rows, batch_size=1000)
        self.stats.registrations = len(rows)
        attendances = []
        for registration, attended in attending:
            if not attended:
                continue
            by_coordinator = rng.random() < 0.4
            event = registration.event
            attendances.append(
                Attendance(
                    network=self.network,
                    event=event,
                    registration=registration,
                    person=registration.person,
                    method="coordinator" if by_coordinator else "self",
                    checked_in_at=event.starts_at + timedelta(minutes=rng.randint(-10, 25)),
                    recorded_by=self.lead if by_coordinator else None,
                )
            )
        Attendance.objects.bulk_create(attendances, batch_size=1000)
        self.stats.attendances = len(attendances)
        self.co_attendance(attendances)

    def _person_language(self, person: Any) -> str:
        """The first of the person's languages the network writes in (else its first)."""
        spoken = [code for code in person.languages or [] if code in self.languages]
        return spoken[0] if spoken else self.languages[0]

    def _answers(self, questions: list[Any]) -> dict[str, Any]:
        rng, answers = self.rng, {}
        for question in questions:
            if question.kind == "choice":
                answers[str(question.pk)] = rng.choices(question.choices, [6, 2, 1])[0]
            elif question.kind == "choices":
                answers[str(question.pk)] = rng.sample(question.choices, rng.randint(1, 3))
            elif question.kind == "yes_no":
                answers[str(question.pk)] = rng.random() < 0.2
            elif rng.random() < 0.15:
                answers[str(question.pk)] = rng.choice(
                    ["Vegetarian", "No pork, please", "Wheelchair access", "Halal meals"]
                )
        return answers

    def co_attendance(self, attendances: list[Any]) -> None:
        """Members who attended the same call or workshop are observed as tied. Webinars and
        the conference are too large for sharing a room to mean knowing each other."""
        from netweave.ties.models import Tie
        from netweave.ties.services import tie_observe

        by_event: dict[int, list[Any]] = {}
        events: dict[int, Any] = {}
        for attendance in attendances:
            if attendance.person is not None and attendance.event.kind in ("call", "workshop"):
                by_event.setdefault(attendance.event.pk, []).append(attendance.person)
                events[attendance.event.pk] = attendance.event
        for pk, people in sorted(by_event.items()):
            event = events[pk]
            people = sorted(people, key=lambda p: p.pk)
            if len(people) > MAX_TIED_PER_EVENT:  # a bounded number of pairs, for speed
                people = sorted(self.rng.sample(people, MAX_TIED_PER_EVENT), key=lambda p: p.pk)
            for source, target in itertools.combinations(people, 2):
                tie_observe(
                    network=self.network,
                    source=source,
                    target=target,
                    kind=Tie.Kind.CO_ATTENDED,
                    evidence=f"event:{event.pk}",
                    observed_at=event.starts_at,
                )
                self.stats.ties += 1

    # --- newsletters ----------------------------------------------------------------------------

    def issue_starts(self) -> list[datetime]:
        """When each sent issue went out: monthly, the last one a month ago (so the draft is
        due for every subscriber, whatever their frequency, but quarterly ones)."""
        last = self.ctx.today - timedelta(days=29)
        starts = []
        for number in range(1, self.scale.issues + 1):
            day = add_months(last, number - self.scale.issues)
            starts.append(self.at(day, 8, 0))
        return starts

    def newsletters(
        self, newsletter_list: Any, events: list[Any], starts: list[datetime]
    ) -> tuple[list[Any], Any]:
        from netweave.library.models import Resource
        from netweave.outreach.models import Edition, Newsletter

        rng = self.rng
        published = Resource.objects.filter(
            network=self.network, status="published", visibility="public"
        ).exclude(published_at=None)
        resources = [
            (pk, title, at)
            for pk, title, at in published.order_by("published_at", "pk").values_list(
                "pk", "title", "published_at"
            )
            if at is not None
        ]
        issues, editions = [], []
        previous: datetime | None = None
        for number in range(1, self.scale.issues + 2):
            draft = number > self.scale.issues
            start = None if draft else starts[number - 1]
            moment = start or self.now
            period_start = previous or moment - timedelta(days=31)
            status = Newsletter.Status.DRAFT if draft else Newsletter.Status.SENT
            issue = Newsletter(
                network=self.network,
                number=number,
                mailing_list=newsletter_list,
                status=status,
                default_language="en",
                period_start=period_start,
                started_at=start,
                in_archive=True,
                created_by=self.lead,
                created_at=(moment - timedelta(days=rng.randint(2, 6))),
            )
            issues.append(issue)
            new = [r for r in resources if period_start < r[2] <= moment]
            ahead = [
                e
                for e in events
                if moment < e.starts_at <= moment + timedelta(days=60) and e.visibility == "public"
            ]
            languages = ["en"]
            if number >= self.scale.french_from and "fr" in self.languages and not draft:
                languages.append("fr")
            if number >= self.scale.spanish_from and "es" in self.languages and not draft:
                languages.append("es")
            funding = rng.sample(words.FUNDING_CALLS, 2)
            news_people = rng.sample(
                [m for m in self.members if m.map_consent == "named" and m.pk in self.organization],
                2,
            )
            greeting = rng.randrange(6)
            for language in languages:
                editions.append(
                    Edition(
                        newsletter=issue,
                        language=language,
                        subject=words.SUBJECTS[language].format(
                            network_short=self.scale.network_short,
                            number=number,
                            month=fmt_month(moment.date(), language),
                        ),
                        preheader=words.PREHEADERS[language].format(
                            resources=len(new), events=len(ahead)
                        ),
                        body=self.body(
                            language, moment, new, ahead, funding, news_people, greeting
                        ),
                    )
                )
            previous = start
        Newsletter.objects.bulk_create(issues)
        Edition.objects.bulk_create(editions)
        return issues[:-1], issues[-1]

    def body(
        self,
        language: str,
        moment: datetime,
        new: list[tuple[int, str, datetime]],
        ahead: list[Any],
        funding: list[dict[str, str]],
        news_people: list[Any],
        greeting: int,
    ) -> str:
        slug = self.network.slug
        month = fmt_month((moment - timedelta(days=15)).date(), language)
        greetings = words.GREETINGS[language]
        parts = [greetings[greeting % len(greetings)].format(month=month)]
        parts.append(f"## {words.HEADINGS['library'][language]}")
        library = _url("library:browse", slug)
        if new:
            lines = [
                f"- [{title}]({_url('library:resource', slug, pk)})" for pk, title, _at in new[:5]
            ]
            if len(new) > 5:
                lines.append(words.MORE_RESOURCES[language].format(count=len(new) - 5, url=library))
            parts.append("\n".join(lines))
        else:
            parts.append(words.NO_NEW_RESOURCES[language].format(url=library))
        parts.append(f"## {words.HEADINGS['events'][language]}")
        if ahead:
            lines = []
            for event in ahead:
                local = event.starts_at.astimezone(ZoneInfo(event.time_zone))
                where = (
                    event.venue.split(",")[-2].strip() if event.venue else words.ONLINE[language]
                )
                lines.append(
                    f"- **{event.title}**: {fmt_date(local.date(), language)}, "
                    f"{local:%H:%M} ({event.time_zone}), {where}"
                )
            events_page = _url("outreach:events", slug, fallback="networks:home")
            lines.append("")
            lines.append(words.EVENTS_LINK[language].format(url=events_page))
            parts.append("\n".join(lines))
        else:
            parts.append(words.NO_EVENTS[language])
        parts.append(f"## {words.HEADINGS['funding'][language]}")
        deadline = fmt_date((moment + timedelta(days=40)).date(), language)
        parts.append("\n".join(f"- {call[language].format(deadline=deadline)}" for call in funding))
        parts.append(f"## {words.HEADINGS['members'][language]}")
        news = []
        for index, person in enumerate(news_people):
            template = words.MEMBER_NEWS[(moment.month + index * 2) % len(words.MEMBER_NEWS)]
            news.append(
                "- "
                + template[language].format(
                    name=person.name,
                    org=self.organization[person.pk],
                    city=person.city or self.organization[person.pk],
                )
            )
        parts.append("\n".join(news))
        sign_off = (words.SIGN_OFF if slug == LAHP else words.VDAN_SIGN_OFF)[language]
        parts.append(sign_off)
        return "\n\n".join(parts) + "\n"

    def deliveries(self, issues: list[Any]) -> None:
        """One delivery per recipient of each sent issue: who was subscribed when it went out,
        not suppressed, and whose frequency let it through."""
        from netweave.outreach.models import Bounce, Delivery, Edition, Newsletter, Suppression

        rng, scale = self.rng, self.scale
        languages = {
            (newsletter_id, language)
            for newsletter_id, language in Edition.objects.filter(
                newsletter__in=issues
            ).values_list("newsletter_id", "language")
        }
        starts = [issue.started_at for issue in issues]
        # Who bounces, and on which issue: picked among steady subscribers.
        steady = [
            s
            for s in self.subs
            if s.confirmed_at
            and s.unsubscribed_at is None
            and s.confirmed_at < starts[0]
            and s.frequency == "every"
        ]
        chosen = rng.sample(steady, scale.hard_bounces + scale.complaints + scale.soft_bounces)
        hard = chosen[: scale.hard_bounces]
        complaints = chosen[scale.hard_bounces : scale.hard_bounces + scale.complaints]
        soft = chosen[scale.hard_bounces + scale.complaints :]
        bounce_plan: dict[tuple[int, int], str] = {}  # (subscriber index, issue index) -> kind
        index_of = {id(s): i for i, s in enumerate(self.subs)}
        for sub in hard + complaints:
            bounce_plan[(index_of[id(sub)], rng.randrange(len(issues)))] = (
                "hard" if sub in hard else "complaint"
            )
        for sub in soft:
            for issue_index in rng.sample(range(len(issues)), min(2, len(issues))):
                bounce_plan[(index_of[id(sub)], issue_index)] = "soft"
        last_sent: dict[int, datetime] = {}
        rows: list[tuple[Any, ...]] = []
        statuses: Counter[str] = Counter()
        bounced: list[tuple[str, str, str, datetime]] = []  # message id, kind, email, received
        finished: list[datetime] = []
        when = connection.ops.adapt_datetimefield_value
        for issue_index, issue in enumerate(issues):
            start = issue.started_at
            clock = start
            failures = set(rng.sample(range(800), rng.randint(0, 3)))
            count = 0
            for sub_index, sub in enumerate(self.subs):
                if sub.confirmed_at is None or sub.confirmed_at > start:
                    continue
                if sub.unsubscribed_at is not None and sub.unsubscribed_at <= start:
                    continue
                if sub.suppressed_at is not None and sub.suppressed_at <= start:
                    continue
                # As `delivery.recipients_for`: not if sent one within its frequency's days.
                gap = {"monthly": 28, "quarterly": 85}.get(sub.frequency)
                previous = last_sent.get(sub_index)
                if gap and previous and previous >= start - timedelta(days=gap):
                    continue
                language = sub.language if (issue.pk, sub.language) in languages else "en"
                message_id = self.message_id(issue.pk)
                clock += timedelta(milliseconds=rng.randint(80, 400))
                kind = bounce_plan.get((sub_index, issue_index))
                attempts, sent_at, error = 1, None, ""
                if sub.unsubscribed_at is not None and sub.unsubscribed_at <= start + timedelta(
                    minutes=30
                ):
                    status, attempts = Delivery.Status.SKIPPED, 0
                    error = "Unsubscribed before the message was sent."
                elif count in failures and not kind:
                    status, attempts = Delivery.Status.FAILED, 3
                    error = rng.choice(words.FAILED_ERRORS)
                else:
                    status, sent_at = Delivery.Status.SENT, clock
                    if not kind:
                        last_sent[sub_index] = clock
                    else:
                        status = Delivery.Status.BOUNCED
                        received = clock + timedelta(minutes=rng.randint(1, 90))
                        if kind == "complaint":
                            received += timedelta(hours=rng.randint(2, 48))
                        bounced.append((message_id, kind, sub.email, received))
                        if kind != "soft":
                            sub.suppressed_at = received
                rows.append(
                    (self.network.pk, issue.pk, sub.row.pk, sub.email, language, str(status),
                     message_id, "", None, attempts, when(sent_at), error, None, 0, None, 0)
                )  # fmt: skip
                statuses[str(status)] += 1
                count += 1
            finished.append(clock + timedelta(seconds=5))
        insert_rows(Delivery, DELIVERY_COLUMNS, rows)
        self.stats.deliveries.update(statuses)
        for issue, end in zip(issues, finished, strict=True):
            issue.finished_at = end
        Newsletter.objects.bulk_update(issues, ["finished_at"])
        delivery_ids = dict(
            Delivery.objects.filter(message_id__in=[b[0] for b in bounced]).values_list(
                "message_id", "pk"
            )
        )
        bounce_rows, suppressions = [], []
        for message_id, kind, email, received in bounced:
            if kind == "complaint":
                code, detail = "", words.COMPLAINT_DETAIL
            elif kind == "hard":
                code, detail = rng.choice(words.HARD_BOUNCE_DETAILS)
            else:
                code, detail = rng.choice(words.SOFT_BOUNCE_DETAILS)
            bounce_rows.append(
                Bounce(
                    network=self.network,
                    email=email,
                    kind=kind,
                    delivery_id=delivery_ids[message_id],
                    source="webhook" if kind == "complaint" else "mbox",
                    status_code=code,
                    detail=detail.format(email=email)[:500],
                    received_at=received,
                )
            )
            if kind != "soft":
                suppressions.append(
                    Suppression(
                        network=self.network,
                        email=email,
                        reason=Suppression.Reason.COMPLAINT
                        if kind == "complaint"
                        else Suppression.Reason.HARD_BOUNCE,
                        detail=detail.format(email=email)[:500],
                        created_at=received,
                    )
                )
        Bounce.objects.bulk_create(bounce_rows)
        Suppression.objects.bulk_create(suppressions)

    # --- the whole network ----------------------------------------------------------------------

    def load(self) -> str:
        lists = self.settings_and_lists()
        self.member_list(lists["members"])
        starts = self.issue_starts()
        self.plan_subscribers(starts)
        self.subscriptions(lists)
        events = self.events()
        self.registrations(events)
        issues, draft = self.newsletters(lists["newsletter"], events, starts)
        self.deliveries(issues)
        past = sum(1 for e in events if e.starts_at < self.now)
        d = self.stats.deliveries
        return (
            f"    {self.network.slug}: {len(self.subs)} newsletter subscribers, "
            f"{len(self.memberships)} on the members' list; {len(issues)} sent issues "
            f"({sum(d.values())} deliveries: {d['sent']} sent, {d['bounced']} bounced, "
            f"{d['failed']} failed, {d['skipped']} skipped) and draft #{draft.number}; "
            f"{len(events)} events ({past} past), {self.stats.registrations} registrations, "
            f"{self.stats.attendances} attended, {self.stats.ties} co-attendance ties"
        )


def remove_outreach() -> None:
    """Issues protect their mailing list, so a network with issues cannot be deleted in one go:
    the demo networks' issues go first (their deliveries with them), then the networks take
    the rest."""
    from netweave.outreach.models import Newsletter

    Newsletter.objects.filter(network__slug__in=DEMO_SLUGS).delete()


@demo_step("outreach", order=700, remove=remove_outreach)
def load_outreach(ctx: DemoContext) -> None:
    """Mail settings, lists, subscribers with consent records, sent issues with deliveries, a
    draft, and a year of events with registrations and attendance (see the module). Runs after
    the library's step: the issues link to its resources."""
    for slug, scale in ((LAHP, LAHP_SCALE), (VDAN, VDAN_SCALE)):
        ctx.log(Outreach(ctx, ctx.networks[slug], scale).load())
