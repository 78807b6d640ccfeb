"""Events and webinars: services (writes) and selectors (reads) of the events area.

Who sees what (design.md section 5, "public events"):
- a *public* event is seen, and open for registration, by everyone who can see the network
  (anonymous visitors register with a name and an address);
- a *members-only* event is seen and open to observers and up (Capability.VIEW_DIRECTORY: the
  network's "network-only" row), because observers are part of the network and are invited to
  its calls too; the public never sees it;
- a *draft* is seen by those who run events only (Capability.MANAGE_EVENTS).

Capacity is enforced under a row lock on the event (`select_for_update`, a no-op on SQLite where
the write transaction itself serializes writers), so concurrent registrations never exceed it.

Co-attendance: recording an attendance observes a `co_attended` tie between the attendee and
every other attending *active member* of the event (`evidence="event:<id>"`, idempotent). A big
gathering is weak evidence that people met, and the pairs grow quadratically, so once an event
has `CO_ATTENDANCE_LIMIT` attending members a newcomer is tied only to the people who present
with them in a session of the event."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from netweave.networks.models import Network
from netweave.networks.permissions import Access, Capability
from netweave.outreach.common import OutreachError
from netweave.outreach.models import (
    Attendance,
    Event,
    EventSession,
    Proposal,
    Registration,
    RegistrationQuestion,
    Reminder,
    new_token,
)
from netweave.people.models import Membership, Person

logger = logging.getLogger(__name__)

CO_ATTENDANCE_LIMIT = 50
CHECKIN_OPENS_BEFORE = timedelta(hours=1)
CHECKIN_CLOSES_AFTER = timedelta(hours=1)
DAY_REMINDER = timedelta(hours=24)
HOUR_REMINDER = timedelta(hours=1)
ANSWER_MAX = 2000

# Fields a coordinator sets on an event (event_create / event_update).
EVENT_FIELDS = (
    "title",
    "kind",
    "description",
    "starts_at",
    "ends_at",
    "time_zone",
    "online_url",
    "venue",
    "capacity",
    "waitlist",
    "visibility",
    "status",
    "registration_open",
    "registration_closes_at",
    "accepts_proposals",
)
# A change to one of these makes calendars update their copy (iCalendar SEQUENCE).
SEQUENCED_FIELDS = {
    "title",
    "description",
    "starts_at",
    "ends_at",
    "time_zone",
    "online_url",
    "venue",
    "status",
}


# --- time zones ----------------------------------------------------------------------------------


def time_zone_names() -> list[str]:
    """Every IANA zone the server knows, sorted (for the select and for validation)."""
    return sorted(available_timezones())


def zone(name: str) -> ZoneInfo:
    """The IANA zone `name`; an OutreachError saying what to use when it is unknown."""
    try:
        if name and name in available_timezones():
            return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        pass
    raise OutreachError(
        _("“%(zone)s” is not a time zone; use an IANA name such as Europe/Paris or Africa/Nairobi.")
        % {"zone": name}
    )


def local_to_utc(value: datetime, time_zone: str) -> datetime:
    """A wall-clock time in `time_zone` (naive, or aware: then only converted) as UTC."""
    tz = zone(time_zone)
    if timezone.is_naive(value):
        value = value.replace(tzinfo=tz)
    return value.astimezone(ZoneInfo("UTC"))


def in_event_zone(event: Event, value: datetime | None = None) -> datetime:
    """`value` (default: the start) on the event's wall clock."""
    value = value or event.starts_at
    try:
        return value.astimezone(ZoneInfo(event.time_zone))
    except (ZoneInfoNotFoundError, ValueError):
        return value


# --- who sees what -------------------------------------------------------------------------------


def can_manage(access: Access) -> bool:
    return access.can(Capability.MANAGE_EVENTS)


def visible_events(access: Access) -> QuerySet[Event]:
    """The network's events `access` may see (see the module docstring)."""
    access.require(Capability.VIEW_PUBLIC)
    events = Event.objects.filter(network=access.network)
    if can_manage(access):
        return events
    events = events.exclude(status=Event.Status.DRAFT)
    if not access.can(Capability.VIEW_DIRECTORY):
        events = events.filter(visibility=Event.Visibility.PUBLIC)
    return events


def events_for_viewer(
    *, access: Access, when: str = "upcoming", kind: str = "", now: datetime | None = None
) -> QuerySet[Event]:
    """Upcoming (not yet ended; soonest first) or past (latest first) events, of one kind or all,
    with `registered_count` and `attended_count` annotated."""
    now = now or timezone.now()
    events = visible_events(access)
    if kind:
        events = events.filter(kind=kind)
    if when == "past":
        events = events.filter(ends_at__lt=now).order_by("-starts_at", "-pk")
    elif when == "upcoming":
        events = events.filter(ends_at__gte=now).order_by("starts_at", "pk")
    return events.annotate(
        registered_count=Count(
            "registrations",
            filter=Q(registrations__status=Registration.Status.REGISTERED),
            distinct=True,
        ),
        attended_count=Count("attendances", distinct=True),
    )


def event_for_viewer(*, access: Access, event_id: int) -> Event:
    """One event of the network, or a 404 when it is not there or not visible to `access`."""
    event = visible_events(access).filter(pk=event_id).first()
    if event is None:
        raise Http404
    return event


def managed_event(*, access: Access, event_id: int) -> Event:
    access.require(Capability.MANAGE_EVENTS)
    return event_for_viewer(access=access, event_id=event_id)


def sessions_of(event: Event) -> QuerySet[EventSession]:
    return event.sessions.prefetch_related(
        Prefetch("presenters", queryset=Person.objects.order_by("name"))
    )


def registrations_of(event: Event, *, status: str = "") -> QuerySet[Registration]:
    """The event's registrations (first come first), with their attendance."""
    rows = Registration.objects.filter(event=event).select_related("attendance", "person")
    if status:
        rows = rows.filter(status=status)
    return rows.order_by("created_at", "pk")


def registration_of(event: Event, person: Person | None) -> Registration | None:
    """`person`'s live registration for `event` (not a cancelled one), if any."""
    if person is None:
        return None
    return (
        Registration.objects.filter(event=event, person=person)
        .exclude(status=Registration.Status.CANCELLED)
        .select_related("attendance")
        .first()
    )


def registered_count(event: Event) -> int:
    return Registration.objects.filter(event=event, status=Registration.Status.REGISTERED).count()


def places_left(event: Event) -> int | None:
    """Places left, or None when the event has no limit."""
    if event.capacity is None:
        return None
    return max(0, event.capacity - registered_count(event))


def registration_refusal(event: Event, *, now: datetime | None = None) -> str:
    """Why nobody can register now, in plain words; "" when registration is open."""
    now = now or timezone.now()
    if event.status == Event.Status.CANCELLED:
        return _("This event was cancelled.")
    if event.status == Event.Status.DRAFT:
        return _("This event is not published yet.")
    if event.ends_at < now:
        return _("This event is over.")
    if not event.registration_open:
        return _("Registration for this event is closed.")
    if event.registration_closes_at is not None and event.registration_closes_at < now:
        return _("Registration for this event closed on %(date)s.") % {
            "date": in_event_zone(event, event.registration_closes_at).strftime("%Y-%m-%d %H:%M")
        }
    return ""


def checkin_window(event: Event) -> tuple[datetime, datetime]:
    return event.starts_at - CHECKIN_OPENS_BEFORE, event.ends_at + CHECKIN_CLOSES_AFTER


def checkin_is_open(event: Event, *, now: datetime | None = None) -> bool:
    opens, closes = checkin_window(event)
    return event.status == Event.Status.PUBLISHED and opens <= (now or timezone.now()) <= closes


# --- events --------------------------------------------------------------------------------------


def _check_event(fields: dict[str, Any]) -> None:
    if not str(fields.get("title") or "").strip():
        raise OutreachError(_("Give the event a title."))
    zone(str(fields.get("time_zone") or ""))
    starts, ends = fields.get("starts_at"), fields.get("ends_at")
    if starts is None or ends is None:
        raise OutreachError(_("Give the event a start and an end."))
    if ends <= starts:
        raise OutreachError(_("The event must end after it starts."))
    if fields.get("kind") not in Event.Kind.values:
        raise OutreachError(
            _("Choose a kind of event: %(kinds)s.") % {"kinds": ", ".join(Event.Kind.values)}
        )
    if fields.get("visibility") not in Event.Visibility.values:
        raise OutreachError(_("Choose who may see the event: public or members."))
    if fields.get("status") not in Event.Status.values:
        raise OutreachError(_("Choose a status: draft, published or cancelled."))
    capacity = fields.get("capacity")
    if capacity is not None and int(capacity) < 1:
        raise OutreachError(_("The number of places is at least 1 (leave it empty for no limit)."))


@transaction.atomic
def event_create(*, network: Network, by: Person | None, **fields: Any) -> Event:
    """A new event; times are aware datetimes (stored in UTC), `time_zone` an IANA name."""
    unknown = set(fields) - set(EVENT_FIELDS)
    if unknown:
        raise OutreachError(_("Unknown event fields: %(f)s.") % {"f": ", ".join(sorted(unknown))})
    values: dict[str, Any] = {
        "kind": Event.Kind.WEBINAR,
        "visibility": Event.Visibility.PUBLIC,
        "status": Event.Status.PUBLISHED,
        "time_zone": "UTC",
    } | fields
    _check_event(values)
    return Event.objects.create(network=network, created_by=by, **values)


@transaction.atomic
def event_update(*, event: Event, **fields: Any) -> Event:
    """Change some fields; a change that matters to calendars raises the iCalendar SEQUENCE.
    Cancelling goes through `event_cancel` (it tells the registrants)."""
    unknown = set(fields) - set(EVENT_FIELDS)
    if unknown:
        raise OutreachError(_("Unknown event fields: %(f)s.") % {"f": ", ".join(sorted(unknown))})
    event = Event.objects.select_for_update().get(pk=event.pk)
    if event.status == Event.Status.CANCELLED:
        raise OutreachError(_("This event was cancelled; it cannot be changed."))
    if fields.get("status") == Event.Status.CANCELLED:
        raise OutreachError(_("Cancel the event with its Cancel button: registrants are told."))
    values = {name: getattr(event, name) for name in EVENT_FIELDS} | fields
    _check_event(values)
    changed = [name for name in fields if getattr(event, name) != fields[name]]
    if not changed:
        return event
    for name in changed:
        setattr(event, name, fields[name])
    update = [*changed, "updated_at"]
    if SEQUENCED_FIELDS & set(changed):
        event.sequence += 1
        update.append("sequence")
    event.save(update_fields=update)
    # Time, place or words changed: registrants get the new invitation (same UID, higher
    # SEQUENCE), so their calendars move the event instead of keeping a stale copy.
    if (SEQUENCED_FIELDS - {"status"}) & set(changed) and event.status == Event.Status.PUBLISHED:
        for registration_id in Registration.objects.filter(
            event=event, status=Registration.Status.REGISTERED
        ).values_list("pk", flat=True):
            _enqueue_email(registration_id, "event_updated")
    # Capacity grew (or the limit went): the waiting list moves up.
    if "capacity" in changed:
        _promote_while_room(event)
    return event


@transaction.atomic
def event_cancel(*, event: Event, by: Person | None = None) -> Event:
    """Cancel the event and tell every registrant (with a CANCEL .ics for their calendar)."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    if event.status == Event.Status.CANCELLED:
        return event
    event.status = Event.Status.CANCELLED
    event.sequence += 1
    event.save(update_fields=["status", "sequence", "updated_at"])
    ids = list(
        Registration.objects.filter(
            event=event,
            status__in=[Registration.Status.REGISTERED, Registration.Status.WAITLISTED],
        ).values_list("pk", flat=True)
    )
    for registration_id in ids:
        _enqueue_email(registration_id, "event_cancelled")
    return event


# --- questions -----------------------------------------------------------------------------------


def _clean_choices(kind: str, choices: list[str] | None) -> list[str]:
    cleaned = [str(choice).strip() for choice in (choices or []) if str(choice).strip()]
    cleaned = list(dict.fromkeys(cleaned))
    if kind in (RegistrationQuestion.Kind.CHOICE, RegistrationQuestion.Kind.CHOICES):
        if len(cleaned) < 2:
            raise OutreachError(_("A choice question needs at least two choices, one per line."))
        return cleaned
    return []


@transaction.atomic
def question_save(
    *,
    event: Event,
    label: str,
    kind: str,
    choices: list[str] | None = None,
    required: bool = False,
    question: RegistrationQuestion | None = None,
) -> RegistrationQuestion:
    """Add a question to the registration form (or change `question`)."""
    label = (label or "").strip()
    if not label:
        raise OutreachError(_("Write the question."))
    if kind not in RegistrationQuestion.Kind.values:
        raise OutreachError(_("Choose a kind of question."))
    cleaned = _clean_choices(kind, choices)
    if question is None:
        position = max(event.questions.values_list("position", flat=True), default=0) + 1
        return RegistrationQuestion.objects.create(
            event=event,
            label=label,
            kind=kind,
            choices=cleaned,
            required=required,
            position=position,
        )
    question.label, question.kind, question.choices, question.required = (
        label,
        kind,
        cleaned,
        required,
    )
    question.save(update_fields=["label", "kind", "choices", "required"])
    return question


def question_delete(*, question: RegistrationQuestion) -> None:
    question.delete()


def clean_answers(event: Event, answers: dict[str, Any] | None) -> dict[str, Any]:
    """The answers to the event's questions, checked per kind; keys are question ids (str).
    An OutreachError names the first question that needs a (different) answer."""
    answers = {str(key): value for key, value in (answers or {}).items()}
    questions = list(event.questions.all())
    known = {str(question.pk) for question in questions}
    unknown = sorted(set(answers) - known)
    if unknown:
        raise OutreachError(
            _("These are not questions of this event: %(ids)s.") % {"ids": ", ".join(unknown)}
        )
    cleaned: dict[str, Any] = {}
    for question in questions:
        raw = answers.get(str(question.pk))
        value = _clean_answer(question, raw)
        if value in ("", [], None):
            if question.required:
                raise OutreachError(
                    _("“%(question)s”: this question needs an answer.")
                    % {"question": question.label}
                )
            continue
        cleaned[str(question.pk)] = value
    return cleaned


def _clean_answer(question: RegistrationQuestion, raw: Any) -> Any:
    kind = question.kind
    label = question.label
    if raw is None:
        return None
    if kind == RegistrationQuestion.Kind.YES_NO:
        if isinstance(raw, bool):
            return raw
        text = str(raw).strip().lower()
        if text in ("", "none"):
            return None
        if text in ("yes", "true", "1", "on"):
            return True
        if text in ("no", "false", "0", "off"):
            return False
        raise OutreachError(_("“%(question)s”: answer yes or no.") % {"question": label})
    if kind == RegistrationQuestion.Kind.CHOICES:
        values = raw if isinstance(raw, list) else [raw]
        values = [str(value).strip() for value in values if str(value).strip()]
        wrong = [value for value in values if value not in question.choices]
        if wrong:
            raise OutreachError(
                _("“%(question)s”: choose among %(choices)s.")
                % {"question": label, "choices": ", ".join(question.choices)}
            )
        return values
    if isinstance(raw, list | dict):
        raise OutreachError(_("“%(question)s”: give one answer.") % {"question": label})
    text = str(raw).strip()
    if kind == RegistrationQuestion.Kind.CHOICE and text and text not in question.choices:
        raise OutreachError(
            _("“%(question)s”: choose among %(choices)s.")
            % {"question": label, "choices": ", ".join(question.choices)}
        )
    limit = 200 if kind != RegistrationQuestion.Kind.LONG else ANSWER_MAX
    if len(text) > limit:
        raise OutreachError(
            _("“%(question)s”: at most %(limit)d characters.") % {"question": label, "limit": limit}
        )
    return text


# --- registration --------------------------------------------------------------------------------


def register(
    event: Event,
    *,
    name: str,
    email: str,
    person: Person | None = None,
    answers: dict[str, Any] | None = None,
    language: str = "",
    now: datetime | None = None,
) -> Registration:
    """Register someone: REGISTERED while there are places, else WAITLISTED (when the event keeps
    a waiting list), else an OutreachError. The confirmation email goes after the commit."""
    email = (email or "").strip().lower()
    name = (name or "").strip()
    if not email or "@" not in email:
        raise OutreachError(_("Give an email address: the confirmation is sent there."))
    if not name:
        raise OutreachError(_("Give your name."))
    with transaction.atomic():
        # The lock serializes registrations for this event (PostgreSQL); SQLite's single writer
        # does the same once the transaction writes.
        event = Event.objects.select_for_update().get(pk=event.pk)
        refusal = registration_refusal(event, now=now)
        if refusal:
            raise OutreachError(refusal)
        cleaned = clean_answers(event, answers)
        existing = Registration.objects.filter(event=event, email=email).first()
        if existing is not None and existing.status != Registration.Status.CANCELLED:
            raise OutreachError(
                _(
                    "%(email)s is already registered for this event; the confirmation email has a "
                    "link to manage the registration."
                )
                % {"email": email}
            )
        full = event.capacity is not None and registered_count(event) >= event.capacity
        if full and not event.waitlist:
            raise OutreachError(_("This event is full."))
        status = Registration.Status.WAITLISTED if full else Registration.Status.REGISTERED
        if existing is not None:  # registering again after cancelling: the same row, reopened
            registration = existing
            registration.name, registration.person = name, person
            registration.answers, registration.language, registration.status = (
                cleaned,
                language,
                status,
            )
            registration.created_at, registration.cancelled_at = timezone.now(), None
            registration.confirmation_sent_at = None
            # Whoever registers again (perhaps someone else typing this address) gets a new
            # key: the links of the cancelled registration's emails do not open the new one.
            registration.token = new_token()
            registration.save()
        else:
            try:
                with transaction.atomic():
                    registration = Registration.objects.create(
                        network_id=event.network_id,
                        event=event,
                        person=person,
                        name=name,
                        email=email,
                        language=language,
                        status=status,
                        answers=cleaned,
                    )
            except IntegrityError as error:
                raise OutreachError(
                    _("%(email)s is already registered for this event.") % {"email": email}
                ) from error
        _enqueue_email(registration.pk, "confirmation")
    return registration


def _promote_while_room(event: Event) -> list[Registration]:
    """Move the first waitlisted people up while there is room (inside the event's lock)."""
    promoted: list[Registration] = []
    if event.status != Event.Status.PUBLISHED or event.ends_at < timezone.now():
        return promoted
    while event.capacity is None or registered_count(event) < event.capacity:
        first = (
            Registration.objects.filter(event=event, status=Registration.Status.WAITLISTED)
            .order_by("created_at", "pk")
            .first()
        )
        if first is None:
            break
        promoted.append(_promote(first))
    return promoted


def _promote(registration: Registration) -> Registration:
    registration.status = Registration.Status.REGISTERED
    # The waiting-list confirmation went out; the promotion (with the .ics) is the next one.
    registration.confirmation_sent_at = None
    registration.save(update_fields=["status", "confirmation_sent_at"])
    _enqueue_email(registration.pk, "promoted")
    return registration


@transaction.atomic
def cancel_registration(registration: Registration, *, by: Person | None = None) -> Registration:
    """Cancel a registration (the registrant or an organiser); a freed place goes to the first
    person on the waiting list, who is told by email. Cancelling twice changes nothing."""
    event = Event.objects.select_for_update().get(pk=registration.event_id)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.status == Registration.Status.CANCELLED:
        return registration
    registration.status = Registration.Status.CANCELLED
    registration.cancelled_at = timezone.now()
    registration.save(update_fields=["status", "cancelled_at"])
    _promote_while_room(event)
    return registration


@transaction.atomic
def promote(registration: Registration, *, by: Person | None = None) -> Registration:
    """An organiser moves someone up from the waiting list, even past the capacity (their call:
    a room with a few extra chairs)."""
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.status != Registration.Status.WAITLISTED:
        raise OutreachError(_("Only someone on the waiting list can be moved up."))
    return _promote(registration)


# --- attendance ----------------------------------------------------------------------------------


@transaction.atomic
def check_in(registration: Registration, *, method: str, by: Person | None = None) -> Attendance:
    """Record that the registrant came. Idempotent: the second check-in returns the first."""
    if method not in Attendance.Method.values:
        raise OutreachError(_("Unknown check-in method."))
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    existing = Attendance.objects.filter(registration=registration).first()
    if existing is not None:
        return existing
    if registration.status == Registration.Status.CANCELLED:
        raise OutreachError(_("This registration was cancelled; register again to check in."))
    if registration.status == Registration.Status.WAITLISTED:
        # Whoever is let in at the door has a place after all.
        registration.status = Registration.Status.REGISTERED
        registration.save(update_fields=["status"])
    attendance = Attendance.objects.create(
        network_id=registration.network_id,
        event_id=registration.event_id,
        registration=registration,
        person=registration.person,
        method=method,
        recorded_by=by,
    )
    if registration.person_id is not None:
        observe_co_attendance(attendance)
    return attendance


def self_check_in(
    event: Event,
    *,
    code: str,
    person: Person | None = None,
    registration_token: str = "",
    now: datetime | None = None,
) -> Attendance:
    """A registrant checks in with the code shown in the room (compared case-insensitively),
    from an hour before the start to an hour after the end."""
    if not checkin_is_open(event, now=now):
        opens, _closes = checkin_window(event)
        raise OutreachError(
            _("Check-in is open from %(opens)s until an hour after the event (%(zone)s).")
            % {
                "opens": in_event_zone(event, opens).strftime("%Y-%m-%d %H:%M"),
                "zone": event.time_zone,
            }
        )
    if (code or "").strip().upper() != event.checkin_code.upper():
        raise OutreachError(_("This is not the event's check-in code; check it on the screen."))
    registration = None
    if registration_token:
        registration = Registration.objects.filter(event=event, token=registration_token).first()
    if registration is None and person is not None:
        registration = registration_of(event, person)
    if registration is None or registration.status == Registration.Status.CANCELLED:
        raise OutreachError(_("We found no registration of yours for this event; register first."))
    return check_in(registration, method=Attendance.Method.SELF)


def observe_co_attendance(attendance: Attendance) -> int:
    """Observe a co_attended tie between the attendee and the other attending members (see the
    module docstring for the limit); returns how many pairs were observed."""
    from netweave.ties.models import Tie
    from netweave.ties.services import TieError, tie_observe

    event = attendance.event
    me = attendance.person
    if me is None:
        return 0
    active = Membership.objects.filter(
        network_id=event.network_id, status=Membership.Status.ACTIVE
    ).values("person_id")
    if not Membership.objects.filter(
        network_id=event.network_id, person=me, status=Membership.Status.ACTIVE
    ).exists():
        return 0
    others = (
        Attendance.objects.filter(event=event, person_id__in=active)
        .exclude(person_id=me.pk)
        .exclude(person__isnull=True)
    )
    if others.count() >= CO_ATTENDANCE_LIMIT:
        my_sessions = EventSession.objects.filter(event=event, presenters=me)
        co_presenters = EventSession.presenters.through.objects.filter(
            eventsession__in=my_sessions
        ).values("person_id")
        others = others.filter(person_id__in=co_presenters)
    people = Person.objects.filter(pk__in=others.values("person_id")).distinct()
    observed = 0
    for other in people:
        try:
            tie_observe(
                network=event.network,
                source=me,
                target=other,
                kind=Tie.Kind.CO_ATTENDED,
                evidence=f"event:{event.pk}",
                observed_at=attendance.checked_in_at,
            )
            observed += 1
        except TieError as error:  # e.g. a membership that lapsed meanwhile
            logger.info("co-attendance tie skipped: %s", error)
    return observed


# --- sessions and proposals ----------------------------------------------------------------------


def _presenters_of(event: Event, presenters: list[Person]) -> list[Person]:
    ids = {person.pk for person in presenters}
    members = set(
        Membership.objects.filter(
            network_id=event.network_id, person_id__in=ids, status=Membership.Status.ACTIVE
        ).values_list("person_id", flat=True)
    )
    if ids - members:
        raise OutreachError(_("Presenters are chosen among the network's active members."))
    return presenters


@transaction.atomic
def session_save(
    *,
    event: Event,
    title: str,
    starts_at: datetime,
    ends_at: datetime,
    description: str = "",
    room: str = "",
    presenters: list[Person] | None = None,
    session: EventSession | None = None,
) -> EventSession:
    """Add a session to the event (or change `session`)."""
    title = (title or "").strip()
    if not title:
        raise OutreachError(_("Give the session a title."))
    if ends_at <= starts_at:
        raise OutreachError(_("The session must end after it starts."))
    people = _presenters_of(event, list(presenters or []))
    if session is None:
        session = EventSession(event=event)
    session.title, session.description, session.room = title, description, room
    session.starts_at, session.ends_at = starts_at, ends_at
    session.save()
    session.presenters.set(people)
    return session


def session_delete(*, session: EventSession) -> None:
    session.delete()


@transaction.atomic
def proposal_create(
    *, event: Event, person: Person, title: str, abstract: str = "", resource: Any = None
) -> Proposal:
    """A member proposes to present at the event."""
    if not event.accepts_proposals or event.status != Event.Status.PUBLISHED:
        raise OutreachError(_("This event does not take proposals."))
    if event.ends_at < timezone.now():
        raise OutreachError(_("This event is over."))
    title = (title or "").strip()
    if not title:
        raise OutreachError(_("Give your proposal a title."))
    return Proposal.objects.create(
        event=event, person=person, title=title[:200], abstract=abstract or "", resource=resource
    )


@transaction.atomic
def proposal_decide(
    *,
    proposal: Proposal,
    accept: bool,
    by: Person | None,
    note: str = "",
    session: EventSession | None = None,
) -> Proposal:
    """Accept (the proposer presents in `session`, or in a new session at the event's start
    named after the proposal) or decline; the proposer is told by email, with `note`."""
    proposal = Proposal.objects.select_for_update().select_related("event").get(pk=proposal.pk)
    if proposal.status != Proposal.Status.PROPOSED:
        raise OutreachError(_("This proposal was already decided."))
    event = proposal.event
    if accept:
        if session is None:
            session = EventSession.objects.create(
                event=event,
                title=proposal.title,
                description=proposal.abstract,
                starts_at=event.starts_at,
                ends_at=event.ends_at,
            )
        elif session.event_id != event.pk:
            raise OutreachError(_("That session belongs to another event."))
        session.presenters.add(proposal.person)
        proposal.session = session
    proposal.status = Proposal.Status.ACCEPTED if accept else Proposal.Status.DECLINED
    proposal.decided_at, proposal.decided_by = timezone.now(), by
    proposal.save(update_fields=["status", "session", "decided_at", "decided_by"])
    proposal_id = proposal.pk
    transaction.on_commit(lambda: send_proposal_decision.enqueue(proposal_id, note))
    return proposal


# --- emails and reminders ------------------------------------------------------------------------


def _enqueue_email(registration_id: int, kind: str) -> None:
    transaction.on_commit(lambda: send_registration_email.enqueue(registration_id, kind))


@task()
def send_registration_email(registration_id: int, kind: str) -> bool:
    """kind: confirmation | promoted | event_updated | event_cancelled. Idempotent for the first
    two (the registration records the confirmation it was sent)."""
    from netweave.outreach import event_emails

    registration = (
        Registration.objects.select_related("event", "event__network")
        .filter(pk=registration_id)
        .first()
    )
    if registration is None:
        return False
    return event_emails.send_registration_email(registration, kind)


@task()
def send_proposal_decision(proposal_id: int, note: str = "") -> bool:
    from netweave.outreach import event_emails

    proposal = (
        Proposal.objects.select_related("event", "event__network", "person")
        .filter(pk=proposal_id)
        .first()
    )
    return event_emails.send_proposal_decision(proposal, note) if proposal is not None else False


@dataclass(frozen=True)
class _Due:
    registration_id: int
    kind: str


def due_reminders(now: datetime) -> list[_Due]:
    """Registrations that have a reminder due and not yet recorded: "hour" within the hour before
    the start, "day" within the 24 hours before that."""
    rows = (
        Registration.objects.filter(
            status=Registration.Status.REGISTERED,
            event__status=Event.Status.PUBLISHED,
            event__starts_at__gt=now,
            event__starts_at__lte=now + DAY_REMINDER,
        )
        .annotate(
            hour_sent=Exists(Reminder.objects.filter(registration=OuterRef("pk"), kind="hour")),
            day_sent=Exists(Reminder.objects.filter(registration=OuterRef("pk"), kind="day")),
        )
        .values_list("pk", "event__starts_at", "hour_sent", "day_sent")
    )
    due = []
    for pk, starts_at, hour_sent, day_sent in rows:
        if starts_at - now <= HOUR_REMINDER:
            if not hour_sent:
                due.append(_Due(pk, "hour"))
        elif not day_sent:
            due.append(_Due(pk, "day"))
    return due


def send_due_reminders(*, now: datetime | None = None) -> int:
    """Send every reminder that is due, each at most once: its Reminder row is created first (a
    concurrent run that loses the race skips it) and the email goes after the commit. Returns
    how many reminders were booked."""
    now = now or timezone.now()
    booked: list[_Due] = []
    for item in due_reminders(now):
        try:
            with transaction.atomic():
                Reminder.objects.create(registration_id=item.registration_id, kind=item.kind)
        except IntegrityError:
            continue
        booked.append(item)
    for item in booked:
        transaction.on_commit(partial(_send_reminder, item.registration_id, item.kind), robust=True)
    return len(booked)


def _send_reminder(registration_id: int, kind: str) -> None:
    from netweave.outreach import event_emails

    registration = (
        Registration.objects.select_related("event", "event__network")
        .filter(pk=registration_id)
        .first()
    )
    if registration is not None:
        event_emails.send_reminder(registration, kind)


@task()
def send_event_reminders() -> int:
    """For the worker (and `netweave outreach_tick`): send the reminders that are due."""
    return send_due_reminders()
