"""Writing iCalendar (RFC 5545) with the `icalendar` package: one event (a download, or the
REQUEST / CANCEL attached to a registrant's email), a network's public feed and a member's
private feed.

Every VEVENT carries the event's stable UID and its SEQUENCE, DTSTART/DTEND in the event's IANA
zone (with a matching VTIMEZONE; UTC events as UTC), and a DTSTAMP equal to the event's last
change, so that a feed's bytes only change when an event does (its ETag is their hash).

Sessions: only the detailed export of one event (`with_sessions=True`) lists them, as VEVENTs of
their own with the UID f"session-{pk}-{event.uid}"; feeds and emailed invitations hold the event
alone (an iTIP REQUEST carries one UID)."""

from __future__ import annotations

import html
from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, timedelta
from email.utils import parseaddr
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.db.models import Q, QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.html import strip_tags
from icalendar import Calendar, vCalAddress
from icalendar import Event as VEvent

from netweave.lib.markdown import render_markdown
from netweave.networks.models import Network
from netweave.networks.permissions import Capability, access_for
from netweave.outreach.common import absolute_url, sender_for
from netweave.outreach.models import (
    CalendarFeed,
    Event,
    EventSession,
    OutreachSettings,
    Registration,
)
from netweave.people.models import Person

PRODID = "-//NetWeave//NetWeave//EN"
FEED_REFRESH = timedelta(hours=1)
FEED_PAST = timedelta(days=183)  # the network feed holds the past 6 months and the future
METHODS = {"PUBLISH", "REQUEST", "CANCEL"}


# --- small pieces --------------------------------------------------------------------------------


def zone_of(event: Event) -> ZoneInfo:
    """The event's IANA zone (UTC when the stored name is unknown)."""
    try:
        return ZoneInfo(event.time_zone or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def _local(moment: datetime, zone: ZoneInfo) -> datetime:
    if zone.key == "UTC":
        return moment.astimezone(UTC)
    return moment.astimezone(zone)


def event_url(event: Event) -> str:
    """The absolute address of the event's page (the events list while that page is missing)."""
    slug = event.network.slug
    try:
        path = reverse("outreach:event", kwargs={"network_slug": slug, "event_id": event.pk})
    except NoReverseMatch:
        try:
            path = reverse("outreach:events", kwargs={"network_slug": slug})
        except NoReverseMatch:
            path = reverse("networks:home", kwargs={"slug": slug})
    return absolute_url(path)


def plain_text(markdown_text: str) -> str:
    """Markdown as readable plain text (the sanitized HTML without its tags)."""
    text = html.unescape(strip_tags(str(render_markdown(markdown_text or ""))))
    lines = [line.rstrip() for line in text.strip().splitlines()]
    return "\n".join(lines)


def _organizer(network: Network, mail_settings: OutreachSettings | None) -> vCalAddress:
    # Reading the settings never creates them (feeds are GET requests).
    mail_settings = mail_settings or OutreachSettings(network=network)
    _name, address = parseaddr(sender_for(network, mail_settings))
    organizer = vCalAddress(f"mailto:{address or 'netweave@localhost'}")
    organizer.params["CN"] = network.name
    return organizer


def _stamp(event: Event) -> datetime:
    moment = event.updated_at or event.created_at or timezone.now()
    return moment.astimezone(UTC).replace(microsecond=0)


def _vevent(
    event: Event,
    *,
    organizer: vCalAddress,
    registration: Registration | None = None,
    tentative: bool = False,
    cancelled: bool = False,
    with_link: bool = False,
) -> VEvent:
    """One event. The online link is only for registrants (`with_link`), as on the event's page:
    never in a feed anyone may fetch, nor in the invitation of someone on the waiting list."""
    zone = zone_of(event)
    url = event_url(event)
    description = plain_text(event.description)
    online = event.online_url if with_link else ""
    extra = []
    if event.venue and online:
        extra.append(online)
    extra.append(url)
    description = "\n\n".join(part for part in [description, *extra] if part)
    if cancelled or event.status == Event.Status.CANCELLED:
        status = "CANCELLED"
    elif tentative or event.status == Event.Status.DRAFT:
        status = "TENTATIVE"
    else:
        status = "CONFIRMED"
    vevent = VEvent.new(
        uid=event.uid,
        sequence=event.sequence,
        stamp=_stamp(event),
        start=_local(event.starts_at, zone),
        end=_local(event.ends_at, zone),
        summary=event.title,
        description=description,
        url=url,
        location=event.venue or online or None,
        status=status,  # type: ignore[arg-type]
        categories=[event.kind],
        organizer=organizer,
    )
    if registration is not None:
        attendee = vCalAddress(f"mailto:{registration.email}")
        if registration.name:
            attendee.params["CN"] = registration.name
        waiting = registration.status == Registration.Status.WAITLISTED
        if registration.status == Registration.Status.CANCELLED:
            attendee.params["PARTSTAT"] = "DECLINED"
        else:
            attendee.params["PARTSTAT"] = "TENTATIVE" if waiting else "ACCEPTED"
        attendee.params["RSVP"] = "FALSE"
        attendee.params["ROLE"] = "REQ-PARTICIPANT"
        vevent.add("attendee", attendee)
    return vevent


def _session_vevent(
    session: EventSession, event: Event, organizer: vCalAddress, *, with_link: bool = False
) -> VEvent:
    zone = zone_of(event)
    presenters = ", ".join(p.name for p in session.presenters.all())
    text = "\n\n".join(
        part
        for part in [plain_text(session.description), presenters, event.title, event_url(event)]
        if part
    )
    vevent = VEvent.new(
        uid=f"session-{session.pk}-{event.uid}",
        sequence=event.sequence,
        stamp=_stamp(event),
        start=_local(session.starts_at, zone),
        end=_local(session.ends_at, zone),
        summary=session.title,
        description=text,
        url=event_url(event),
        location=session.room or event.venue or (event.online_url if with_link else "") or None,
        status="CANCELLED" if event.status == Event.Status.CANCELLED else "CONFIRMED",  # type: ignore[arg-type]
        categories=[event.kind],
        organizer=organizer,
    )
    vevent.add("related-to", event.uid)
    return vevent


def _calendar(
    vevents: Sequence[VEvent],
    *,
    zones: Iterable[str],
    name: str = "",
    description: str = "",
    method: str | None = None,
    feed: bool = False,
    uid: str | None = None,
) -> bytes:
    calendar = Calendar.new(prodid=PRODID, method=method, uid=uid)
    if not uid:
        calendar.pop("UID", None)  # Calendar.new makes a random one; a stable file has none
    if name:
        calendar.add("name", name)
        calendar.add("x-wr-calname", name)
    if description:
        calendar.add("description", description)
        calendar.add("x-wr-caldesc", description)
    if feed:
        calendar.add("refresh-interval", FEED_REFRESH, parameters={"VALUE": "DURATION"})
        calendar.add("x-published-ttl", FEED_REFRESH)
        common = Counter(z for z in zones).most_common(1)
        calendar.add("x-wr-timezone", common[0][0] if common else "UTC")
    for vevent in vevents:
        calendar.add_component(vevent)
    starts = [v.start for v in vevents if isinstance(v.start, datetime)]
    ends = [v.end for v in vevents if isinstance(v.end, datetime)]
    if starts and ends:
        first = date(min(starts).year, 1, 1) - timedelta(days=1)
        last = date(max(ends).year + 1, 1, 1)
        calendar.add_missing_timezones(first_date=first, last_date=last)
    return calendar.to_ical()


# --- the contract --------------------------------------------------------------------------------


def event_ics(
    event: Event,
    *,
    registration: Registration | None = None,
    method: str = "PUBLISH",
    with_sessions: bool = False,
) -> bytes:
    """One event as a whole VCALENDAR (VTIMEZONE + VEVENT). `method` REQUEST (with the
    registration as ATTENDEE) for the invitation attached to a registrant's email, CANCEL when the
    event or the registration is cancelled; `with_sessions` adds the sessions (PUBLISH only)."""
    method = method.upper()
    if method not in METHODS:
        raise ValueError(f"method must be one of {sorted(METHODS)}, not {method!r}")
    organizer = _organizer(event.network, _settings_of(event.network))
    registered = bool(registration and registration.status == Registration.Status.REGISTERED)
    vevents = [
        _vevent(
            event,
            organizer=organizer,
            registration=registration,
            tentative=bool(registration and registration.status == Registration.Status.WAITLISTED),
            cancelled=method == "CANCEL",
            with_link=registered,
        )
    ]
    if with_sessions and method == "PUBLISH":
        sessions = event.sessions.prefetch_related("presenters")
        vevents += [
            _session_vevent(session, event, organizer, with_link=registered) for session in sessions
        ]
    return _calendar(
        vevents,
        zones=[zone_of(event).key],
        method=method,
        name=event.title if method == "PUBLISH" else "",
    )


def calendar_ics(
    events: Iterable[Event],
    *,
    name: str,
    description: str = "",
    waitlisted: Iterable[int] = (),
    registered: Iterable[int] = (),
) -> bytes:
    """Many events as one feed (METHOD:PUBLISH, refresh hints, X-WR-CALNAME). Events whose pk is
    in `waitlisted` are marked TENTATIVE; those in `registered` carry their online link."""
    events = list(events)
    waiting = set(waitlisted)
    mine = set(registered)
    organizers: dict[int, vCalAddress] = {}
    vevents = []
    for event in events:
        if event.network_id not in organizers:
            organizers[event.network_id] = _organizer(event.network, _settings_of(event.network))
        vevents.append(
            _vevent(
                event,
                organizer=organizers[event.network_id],
                tentative=event.pk in waiting,
                with_link=event.pk in mine,
            )
        )
    return _calendar(
        vevents,
        zones=[zone_of(e).key for e in events],
        name=name,
        description=description,
        method="PUBLISH",
        feed=True,
    )


def _settings_of(network: Network) -> OutreachSettings | None:
    return OutreachSettings.objects.filter(network=network).first()


# --- feeds: what they hold -----------------------------------------------------------------------


def network_feed_events(network: Network, *, now: datetime | None = None) -> QuerySet[Event]:
    """What anonymous calendar apps get: the network's published and cancelled PUBLIC events of
    the past 6 months and the future (a cancelled event stays, so subscribers see it cancelled)."""
    now = now or timezone.now()
    return (
        Event.objects.filter(
            network=network,
            visibility=Event.Visibility.PUBLIC,
            status__in=[Event.Status.PUBLISHED, Event.Status.CANCELLED],
            ends_at__gte=now - FEED_PAST,
        )
        .select_related("network")
        .order_by("starts_at", "pk")
    )


def personal_feed_events(
    feed: CalendarFeed, *, include_all: bool = False, now: datetime | None = None
) -> tuple[list[Event], set[int]]:
    """The events of a member's private feed, and the pks of those they are waitlisted for.

    Always: the events the person registered for (REGISTERED or WAITLISTED) in the feed's network.
    With `include_all`: also every published event of the past 6 months and the future that the
    person may see now (members-only events only while their membership gives directory access)."""
    now = now or timezone.now()
    registrations = Registration.objects.filter(
        network_id=feed.network_id,
        person_id=feed.person_id,
        status__in=[Registration.Status.REGISTERED, Registration.Status.WAITLISTED],
    ).exclude(event__status=Event.Status.DRAFT)
    status_by_event = dict(registrations.values_list("event_id", "status"))
    condition = Q(pk__in=list(status_by_event))
    if include_all:
        visible = [Event.Visibility.PUBLIC]
        user = feed.person.user
        if user is not None and access_for(user, feed.network).can(Capability.VIEW_DIRECTORY):
            visible.append(Event.Visibility.MEMBERS)
        condition |= Q(
            visibility__in=visible,
            status__in=[Event.Status.PUBLISHED, Event.Status.CANCELLED],
            ends_at__gte=now - FEED_PAST,
        )
    events = list(
        Event.objects.filter(condition, network_id=feed.network_id)
        .select_related("network")
        .order_by("starts_at", "pk")
    )
    waiting = {
        pk for pk, status in status_by_event.items() if status == Registration.Status.WAITLISTED
    }
    return events, waiting


# --- personal feed addresses ---------------------------------------------------------------------


def feed_for(network: Network, person: Person) -> CalendarFeed:
    found, _created = CalendarFeed.objects.get_or_create(network=network, person=person)
    return found


def personal_feed_url(network: Network, person: Person) -> str:
    """The absolute https address of the person's private feed (its token made on demand)."""
    feed = feed_for(network, person)
    return absolute_url(reverse("outreach_public:calendar", kwargs={"feed_token": feed.token}))


def calendar_feed_reset(*, network: Network, person: Person) -> CalendarFeed:
    """Replace the person's private calendar address: the old token stops working at once."""
    CalendarFeed.objects.filter(network=network, person=person).delete()
    return CalendarFeed.objects.create(network=network, person=person)


def webcal(url: str) -> str:
    """The webcal:// form of an http(s) address (calendar apps subscribe to it on a click)."""
    for scheme in ("https://", "http://"):
        if url.startswith(scheme):
            return "webcal://" + url[len(scheme) :]
    return url
