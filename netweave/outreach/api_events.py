"""API v1: events and webinars (merged into the outreach router by api.py).

Everyone who may see an event reads it (see netweave/outreach/events.py for who sees which);
signed-in callers register themselves, anonymous callers register for public events with a name
and an address; members propose to present; organisers (Capability.MANAGE_EVENTS) create, edit
and cancel events, read the registrations, check people in and decide proposals.

Times are ISO 8601 with the offset of the event's own zone, beside `time_zone` (its IANA name).
Input times with an offset are instants; without one they are read on the event's wall clock."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.responses import Status
from pydantic import field_validator

from netweave.api.auth import caller, network_access
from netweave.api.errors import responses
from netweave.api.pagination import Page, PageIn, paginate
from netweave.api.schemas import BodyIn, PatchIn, PersonRef
from netweave.networks.permissions import Access, Capability
from netweave.outreach import events
from netweave.outreach.common import OutreachError, absolute_reverse, supported_language
from netweave.outreach.models import (
    Attendance,
    Event,
    EventSession,
    Proposal,
    Registration,
)

router = Router(tags=["events"])

KindName = Literal["webinar", "call", "workshop", "conference"]
VisibilityName = Literal["public", "members"]
StatusName = Literal["draft", "published", "cancelled"]
SettableStatusName = Literal["draft", "published"]
RegistrationStatusName = Literal["registered", "waitlisted", "cancelled"]
ProposalStatusName = Literal["proposed", "accepted", "declined", "withdrawn"]


def _denied(key: str) -> str:
    return {
        "manage": _("Only stewards and coordinators run events."),
        "propose": _("Only members of this network propose to present."),
        "cancel": _("Only the registrant, or the event's organisers, can cancel a registration."),
    }[key]


# --- schemas -------------------------------------------------------------------------------------


def _check_zone(value: str | None) -> str | None:
    if value is not None:
        try:
            events.zone(value)
        except OutreachError as error:
            raise ValueError(str(error)) from error
    return value


class EventOut(Schema):
    id: int
    title: str
    kind: KindName
    description: str = Field(..., description="Markdown.")
    starts_at: datetime = Field(..., description="With the offset of the event's zone.")
    ends_at: datetime
    time_zone: str = Field(..., description="IANA name, e.g. Europe/Paris.")
    online_url: str = Field(
        ..., description="Only for registrants and organisers; empty for everyone else."
    )
    venue: str
    capacity: int | None = Field(..., description="Null: no limit.")
    waitlist: bool
    visibility: VisibilityName
    status: StatusName
    registration_open: bool
    registration_closes_at: datetime | None
    accepts_proposals: bool
    registered: int = Field(..., description="Registrations with a place.")
    places_left: int | None = Field(..., description="Null: no limit.")
    your_registration: RegistrationStatusName | None = Field(
        ..., description="The caller's own registration, if any."
    )
    url: str = Field(..., description="The event's page.")


class EventPage(Page[EventOut]):
    pass


class EventFilters(Schema):
    when: Literal["upcoming", "past", "all"] = Field(
        "upcoming", description="upcoming: not ended yet (soonest first); past: latest first."
    )
    kind: KindName | None = Field(None, description="Only this kind.")


class EventIn(BodyIn):
    title: str = Field(..., min_length=1, max_length=200)
    kind: KindName = "webinar"
    description: str = Field("", description="Markdown.")
    starts_at: datetime = Field(
        ..., description="With an offset (an instant) or without (the event's wall clock)."
    )
    ends_at: datetime
    time_zone: str = Field("UTC", description="IANA name, e.g. Europe/Paris.")
    online_url: str = Field("", max_length=1000)
    venue: str = Field("", max_length=300)
    capacity: int | None = Field(None, ge=1, description="Null: no limit.")
    waitlist: bool = True
    visibility: VisibilityName = "public"
    status: SettableStatusName = "published"
    registration_open: bool = True
    registration_closes_at: datetime | None = None
    accepts_proposals: bool = False

    @field_validator("time_zone")
    @classmethod
    def check_zone(cls, value: str | None) -> str | None:
        return _check_zone(value)


class EventPatchIn(PatchIn):
    nullable = frozenset({"capacity", "registration_closes_at"})

    title: str | None = Field(None, min_length=1, max_length=200)
    kind: KindName | None = None
    description: str | None = None
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    time_zone: str | None = None
    online_url: str | None = Field(None, max_length=1000)
    venue: str | None = Field(None, max_length=300)
    capacity: int | None = Field(None, ge=1)
    waitlist: bool | None = None
    visibility: VisibilityName | None = None
    status: SettableStatusName | None = None
    registration_open: bool | None = None
    registration_closes_at: datetime | None = None
    accepts_proposals: bool | None = None

    @field_validator("time_zone")
    @classmethod
    def check_zone(cls, value: str | None) -> str | None:
        return _check_zone(value)


class RegistrationOut(Schema):
    id: int
    name: str
    email: str
    status: RegistrationStatusName
    person_id: int | None
    answers: dict[str, Any] = Field(..., description="Question id -> answer.")
    created_at: datetime
    checked_in_at: datetime | None


class RegistrationPage(Page[RegistrationOut]):
    pass


class RegistrationFilters(Schema):
    status: RegistrationStatusName | None = None


class RegisterIn(BodyIn):
    name: str = Field(
        "", max_length=200, description="Anonymous callers only (signed-in: your profile's)."
    )
    email: str = Field("", max_length=254, description="Anonymous callers only.")
    answers: dict[str, Any] = Field(
        default_factory=dict,
        description="Question id -> answer: text; a choice; a list of choices; true/false.",
    )
    language: str = Field("", max_length=8, description="The emails' language (en, fr, es).")


class SessionOut(Schema):
    id: int
    title: str
    description: str
    starts_at: datetime
    ends_at: datetime
    room: str
    presenters: list[PersonRef]


class ProposalIn(BodyIn):
    title: str = Field(..., min_length=1, max_length=200)
    abstract: str = Field("", max_length=5000)


class ProposalOut(Schema):
    id: int
    title: str
    abstract: str
    status: ProposalStatusName
    person: PersonRef
    session_id: int | None
    created_at: datetime
    decided_at: datetime | None


class ProposalDecideIn(BodyIn):
    accept: bool
    note: str = Field("", max_length=2000, description="Sent to the proposer.")
    session_id: int | None = Field(
        None, description="Accepting: the session they present in (default: a new one)."
    )


# --- helpers -------------------------------------------------------------------------------------


def _local(event: Event, value: datetime | None) -> datetime | None:
    return events.in_event_zone(event, value) if value is not None else None


def event_out(event: Event, access: Access, mine: dict[int, str]) -> dict[str, Any]:
    registered = getattr(event, "registered_count", None)
    if registered is None:
        registered = events.registered_count(event)
    own = mine.get(event.pk)
    show_link = events.can_manage(access) or own == Registration.Status.REGISTERED
    return {
        "id": event.pk,
        "title": event.title,
        "kind": event.kind,
        "description": event.description,
        "starts_at": _local(event, event.starts_at),
        "ends_at": _local(event, event.ends_at),
        "time_zone": event.time_zone,
        "online_url": event.online_url if show_link else "",
        "venue": event.venue,
        "capacity": event.capacity,
        "waitlist": event.waitlist,
        "visibility": event.visibility,
        "status": event.status,
        "registration_open": event.registration_open,
        "registration_closes_at": _local(event, event.registration_closes_at),
        "accepts_proposals": event.accepts_proposals,
        "registered": registered,
        "places_left": None if event.capacity is None else max(0, event.capacity - registered),
        "your_registration": own,
        "url": absolute_reverse("outreach:event", access.network.slug, event.pk),
    }


def _mine(access: Access, event_ids: list[int]) -> dict[int, str]:
    if access.person is None or not event_ids:
        return {}
    return dict(
        Registration.objects.filter(event_id__in=event_ids, person=access.person)
        .exclude(status=Registration.Status.CANCELLED)
        .values_list("event_id", "status")
    )


def registration_out(registration: Registration) -> dict[str, Any]:
    attendance = getattr(registration, "attendance", None)
    return {
        "id": registration.pk,
        "name": registration.name,
        "email": registration.email,
        "status": registration.status,
        "person_id": registration.person_id,
        "answers": registration.answers or {},
        "created_at": registration.created_at,
        "checked_in_at": attendance.checked_in_at if attendance else None,
    }


def session_out(session: EventSession) -> dict[str, Any]:
    event = session.event
    return {
        "id": session.pk,
        "title": session.title,
        "description": session.description,
        "starts_at": _local(event, session.starts_at),
        "ends_at": _local(event, session.ends_at),
        "room": session.room,
        "presenters": [{"id": p.pk, "name": p.name} for p in session.presenters.all()],
    }


def proposal_out(proposal: Proposal) -> dict[str, Any]:
    return {
        "id": proposal.pk,
        "title": proposal.title,
        "abstract": proposal.abstract,
        "status": proposal.status,
        "person": {"id": proposal.person.pk, "name": proposal.person.name},
        "session_id": proposal.session_id,
        "created_at": proposal.created_at,
        "decided_at": proposal.decided_at,
    }


def _times(fields: dict[str, Any], time_zone: str) -> dict[str, Any]:
    for name in ("starts_at", "ends_at", "registration_closes_at"):
        if fields.get(name) is not None:
            fields[name] = events.local_to_utc(fields[name], time_zone)
    return fields


def _read(access: Access, event_id: int) -> Event:
    event = events.event_for_viewer(access=access, event_id=event_id)
    return event


def _managed(request: HttpRequest, slug: str, event_id: int) -> tuple[Access, Event]:
    access = network_access(request, slug, Capability.MANAGE_EVENTS, _denied("manage"))
    return access, _read(access, event_id)


def _as_bad_input(error: OutreachError) -> HttpError:
    return HttpError(400, str(error))


# --- events --------------------------------------------------------------------------------------


@router.get(
    "/networks/{slug}/events",
    response=responses({200: EventPage}, 400, 401, 403, 404),
    operation_id="events_list",
    summary="List the events you may see",
    description="Public events for everyone who may see the network; members-only events for "
    "observers and up; drafts for organisers. Upcoming (default), past or all; by kind.",
)
def events_list(
    request: HttpRequest, slug: str, filters: Query[EventFilters], paging: Query[PageIn]
) -> dict[str, Any]:
    access = network_access(request, slug, Capability.VIEW_PUBLIC)
    rows = events.events_for_viewer(access=access, when=filters.when, kind=filters.kind or "")
    page = paginate(rows, paging, lambda row: row)
    mine = _mine(access, [event.pk for event in page["items"]])
    page["items"] = [event_out(event, access, mine) for event in page["items"]]
    return page


@router.get(
    "/networks/{slug}/events/{event_id}",
    response=responses({200: EventOut}, 401, 403, 404),
    operation_id="event_read",
    summary="Read an event",
)
def event_read(request: HttpRequest, slug: str, event_id: int) -> dict[str, Any]:
    access = network_access(request, slug, Capability.VIEW_PUBLIC)
    event = _read(access, event_id)
    return event_out(event, access, _mine(access, [event.pk]))


@router.post(
    "/networks/{slug}/events",
    response=responses({201: EventOut}, 400, 401, 403, 404, 409),
    operation_id="events_create",
    summary="Create an event",
    description="Stewards and coordinators. Times are stored in UTC and shown in `time_zone`.",
)
def events_create(request: HttpRequest, slug: str, body: EventIn) -> Status:
    access = network_access(request, slug, Capability.MANAGE_EVENTS, _denied("manage"))
    fields = _times(body.model_dump(), body.time_zone)
    try:
        event = events.event_create(network=access.network, by=access.person, **fields)
    except OutreachError as error:
        raise _as_bad_input(error) from error
    return Status(201, event_out(event, access, {}))


@router.patch(
    "/networks/{slug}/events/{event_id}",
    response=responses({200: EventOut}, 400, 401, 403, 404, 409),
    operation_id="event_update",
    summary="Change an event",
    description="Stewards and coordinators; the fields left out keep their value. A change of "
    "time, place or title raises the calendar SEQUENCE so calendars update their copy.",
)
def event_update(
    request: HttpRequest, slug: str, event_id: int, body: EventPatchIn
) -> dict[str, Any]:
    access, event = _managed(request, slug, event_id)
    fields = _times(body.model_dump(exclude_unset=True), body.time_zone or event.time_zone)
    if event.status == Event.Status.CANCELLED:
        raise OutreachError(_("This event was cancelled; it cannot be changed."))
    try:
        event = events.event_update(event=event, **fields)
    except OutreachError as error:
        raise _as_bad_input(error) from error
    return event_out(event, access, {})


@router.post(
    "/networks/{slug}/events/{event_id}/cancel",
    response=responses({200: EventOut}, 401, 403, 404),
    operation_id="event_cancel",
    summary="Cancel an event and tell its registrants",
    description="Stewards and coordinators. Everyone registered or waiting gets an email with "
    "a CANCEL .ics; cancelling twice changes nothing.",
)
def event_cancel(request: HttpRequest, slug: str, event_id: int) -> dict[str, Any]:
    access, event = _managed(request, slug, event_id)
    event = events.event_cancel(event=event, by=access.person)
    return event_out(event, access, {})


@router.get(
    "/networks/{slug}/events/{event_id}/sessions",
    response=responses({200: list[SessionOut]}, 401, 403, 404),
    operation_id="event_sessions_list",
    summary="The event's sessions and their presenters",
)
def event_sessions_list(request: HttpRequest, slug: str, event_id: int) -> list[dict[str, Any]]:
    access = network_access(request, slug, Capability.VIEW_PUBLIC)
    event = _read(access, event_id)
    return [session_out(session) for session in events.sessions_of(event).select_related("event")]


# --- registrations -------------------------------------------------------------------------------


@router.get(
    "/networks/{slug}/events/{event_id}/registrations",
    response=responses({200: RegistrationPage}, 400, 401, 403, 404),
    operation_id="event_registrations_list",
    summary="The event's registrations, with answers and check-ins",
    description="Stewards and coordinators.",
)
def event_registrations_list(
    request: HttpRequest,
    slug: str,
    event_id: int,
    filters: Query[RegistrationFilters],
    paging: Query[PageIn],
) -> dict[str, Any]:
    _access, event = _managed(request, slug, event_id)
    rows = events.registrations_of(event, status=filters.status or "")
    return paginate(rows, paging, registration_out)


@router.post(
    "/networks/{slug}/events/{event_id}/registrations",
    response=responses({201: RegistrationOut}, 400, 401, 403, 404, 409),
    operation_id="event_register",
    summary="Register for an event",
    description="Signed-in callers register themselves (their profile's name and address); "
    "anonymous callers give `name` and `email` (public events only). A place while there is "
    "one, else the waiting list (status `waitlisted`); 409 when registration is closed, the "
    "event is full without a waiting list, or the address is already registered.",
)
def event_register(request: HttpRequest, slug: str, event_id: int, body: RegisterIn) -> Status:
    access = network_access(request, slug, Capability.VIEW_PUBLIC)
    event = _read(access, event_id)
    person = access.person
    if person is not None:
        name, email = person.name, person.email
    else:
        name, email = body.name.strip(), body.email.strip()
        if not name or not email or "@" not in email:
            user = caller(request)
            if user.is_authenticated and not email:
                email = user.email
            if not name or not email or "@" not in email:
                raise HttpError(400, _("name and email: say who registers (both are required)."))
    try:
        answers = events.clean_answers(event, body.answers)
    except OutreachError as error:
        raise _as_bad_input(error) from error
    registration = events.register(
        event,
        name=name,
        email=email,
        person=person,
        answers=answers,
        language=supported_language(body.language, network=access.network),
    )
    return Status(201, registration_out(registration))


def _registration(event: Event, registration_id: int) -> Registration:
    registration = (
        Registration.objects.select_related("attendance")
        .filter(event=event, pk=registration_id)
        .first()
    )
    if registration is None:
        raise Http404
    return registration


@router.post(
    "/networks/{slug}/events/{event_id}/registrations/{registration_id}/cancel",
    response=responses({200: RegistrationOut}, 401, 403, 404),
    operation_id="registration_cancel",
    summary="Cancel a registration",
    description="The registrant (signed in) or an organiser. The freed place goes to the first "
    "person on the waiting list, who is told by email. Cancelling twice changes nothing.",
)
def registration_cancel(
    request: HttpRequest, slug: str, event_id: int, registration_id: int
) -> dict[str, Any]:
    access = network_access(request, slug, Capability.VIEW_PUBLIC)
    if not caller(request).is_authenticated:
        raise AuthenticationError()
    event = _read(access, event_id)
    registration = _registration(event, registration_id)
    mine = access.person is not None and registration.person_id == access.person.pk
    if not mine and not events.can_manage(access):
        raise PermissionDenied(_denied("cancel"))
    registration = events.cancel_registration(registration, by=access.person)
    return registration_out(registration)


@router.post(
    "/networks/{slug}/events/{event_id}/registrations/{registration_id}/check-in",
    response=responses({200: RegistrationOut}, 401, 403, 404, 409),
    operation_id="registration_check_in",
    summary="Check a registrant in",
    description="Stewards and coordinators; checking in twice changes nothing. Attending "
    "members get a co-attendance tie with the other attending members.",
)
def registration_check_in(
    request: HttpRequest, slug: str, event_id: int, registration_id: int
) -> dict[str, Any]:
    access, event = _managed(request, slug, event_id)
    registration = _registration(event, registration_id)
    events.check_in(registration, method=Attendance.Method.COORDINATOR, by=access.person)
    return registration_out(_registration(event, registration_id))


# --- proposals -----------------------------------------------------------------------------------


@router.post(
    "/networks/{slug}/events/{event_id}/proposals",
    response=responses({201: ProposalOut}, 400, 401, 403, 404, 409),
    operation_id="proposals_create",
    summary="Propose to present at an event",
    description="Members, stewards and coordinators, while the event takes proposals (409 "
    "otherwise).",
)
def proposals_create(request: HttpRequest, slug: str, event_id: int, body: ProposalIn) -> Status:
    access = network_access(request, slug, Capability.VIEW_OWN_EGO, _denied("propose"))
    event = _read(access, event_id)
    assert access.person is not None
    proposal = events.proposal_create(
        event=event, person=access.person, title=body.title, abstract=body.abstract
    )
    return Status(201, proposal_out(proposal))


@router.post(
    "/networks/{slug}/events/{event_id}/proposals/{proposal_id}/decide",
    response=responses({200: ProposalOut}, 400, 401, 403, 404, 409),
    operation_id="proposal_decide",
    summary="Accept or decline a proposal to present",
    description="Stewards and coordinators. Accepting makes the proposer a presenter of "
    "`session_id` (or of a new session named after the proposal); the proposer is told by email.",
)
def proposal_decide(
    request: HttpRequest, slug: str, event_id: int, proposal_id: int, body: ProposalDecideIn
) -> dict[str, Any]:
    access, event = _managed(request, slug, event_id)
    proposal = Proposal.objects.filter(event=event, pk=proposal_id).first()
    if proposal is None:
        raise Http404
    session = None
    if body.session_id is not None:
        session = EventSession.objects.filter(event=event, pk=body.session_id).first()
        if session is None:
            raise HttpError(400, _("session_id: no such session in this event."))
    proposal = events.proposal_decide(
        proposal=proposal, accept=body.accept, by=access.person, note=body.note, session=session
    )
    proposal = Proposal.objects.select_related("person").get(pk=proposal.pk)
    return proposal_out(proposal)
