"""Events pages: the list and an event's page (register, cancel, self check-in, propose to
present) for everyone who may see the event; for organisers (Capability.MANAGE_EVENTS) creating
and editing events, their questions, sessions, proposals and registrations (CSV, waiting list,
check-in buttons that work in place with htmx and as plain forms without JavaScript); and the
registrant's own page reached by the emailed token (/o/...).

Who sees which event is decided in `events.visible_events` (see netweave/outreach/events.py)."""

from __future__ import annotations

import csv
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from netweave.networks.decorators import network_view
from netweave.networks.permissions import Access, Capability
from netweave.outreach import events
from netweave.outreach.common import OutreachError, supported_language
from netweave.outreach.forms_events import (
    CheckInForm,
    EventFilterForm,
    EventForm,
    ProposalDecisionForm,
    ProposalForm,
    QuestionForm,
    RegistrationForm,
    SessionForm,
)
from netweave.outreach.models import (
    Attendance,
    Event,
    EventSession,
    Proposal,
    Registration,
    RegistrationQuestion,
)

PAGE_SIZE = 20
# Spreadsheets run a cell that starts with one of these as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _access(request: HttpRequest) -> Access:
    return request.access  # type: ignore[attr-defined,no-any-return]


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _event_url(event: Event) -> str:
    return reverse("outreach:event", args=[event.network.slug, event.pk])


def _language(request: HttpRequest, access: Access) -> str:
    person_languages = list(access.person.languages or []) if access.person else []
    return supported_language(
        getattr(request, "LANGUAGE_CODE", ""), *person_languages, network=access.network
    )


# --- everyone ------------------------------------------------------------------------------------


@require_safe
@network_view(Capability.VIEW_PUBLIC)
def event_list(request: HttpRequest) -> HttpResponse:
    access = _access(request)
    form = EventFilterForm(request.GET or None)
    when, kind = "upcoming", ""
    if form.is_valid():
        when = form.cleaned_data.get("when") or "upcoming"
        kind = form.cleaned_data.get("kind") or ""
    rows = events.events_for_viewer(access=access, when=when, kind=kind)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "outreach/events_list.html",
        {
            "network": access.network,
            "access": access,
            "form": form,
            "when": when,
            "page": page,
            "rows": list(page.object_list),
            "can_manage": events.can_manage(access),
        },
    )


def _detail_context(
    request: HttpRequest, access: Access, event: Event, **extra: Any
) -> dict[str, Any]:
    mine = events.registration_of(event, access.person)
    refusal = events.registration_refusal(event)
    context = {
        "network": access.network,
        "access": access,
        "event": event,
        "sessions": list(events.sessions_of(event)),
        "places_left": events.places_left(event),
        "registered_count": events.registered_count(event),
        "mine": mine,
        "refusal": refusal,
        "register_form": None,
        "checkin_open": events.checkin_is_open(event),
        "checkin_form": CheckInForm(),
        "can_manage": events.can_manage(access),
        "can_propose": event.accepts_proposals
        and event.status == Event.Status.PUBLISHED
        and access.can(Capability.VIEW_OWN_EGO),
    }
    if mine is None and not refusal:
        context["register_form"] = RegistrationForm(event=event, person=access.person)
    return context | extra


@require_safe
@network_view(Capability.VIEW_PUBLIC)
def event_detail(request: HttpRequest, event_id: int) -> HttpResponse:
    access = _access(request)
    event = events.event_for_viewer(access=access, event_id=event_id)
    return render(request, "outreach/events_detail.html", _detail_context(request, access, event))


@require_POST
@network_view(Capability.VIEW_PUBLIC)
def event_register(request: HttpRequest, event_id: int) -> HttpResponse:
    """Register the signed-in member, or a visitor by name and address (public events)."""
    access = _access(request)
    event = events.event_for_viewer(access=access, event_id=event_id)
    person = access.person
    form = RegistrationForm(request.POST, event=event, person=person)
    if not form.is_valid():
        context = _detail_context(request, access, event)
        context["register_form"] = form
        return render(request, "outreach/events_detail.html", context, status=400)
    try:
        registration = events.register(
            event,
            name=person.name if person else form.cleaned_data["name"],
            email=person.email if person else form.cleaned_data["email"],
            person=person,
            answers=form.answers(),
            language=_language(request, access),
        )
    except OutreachError as error:
        messages.error(request, str(error))
        return redirect(_event_url(event))
    if registration.status == Registration.Status.REGISTERED:
        messages.success(request, _("You are registered. A confirmation is on its way by email."))
    else:
        messages.success(
            request,
            _(
                "The event is full: you are on the waiting list. We will email you if a "
                "place opens."
            ),
        )
    if person is None:
        return redirect("outreach_public:registration", registration.token)
    return redirect(_event_url(event))


@require_POST
@network_view(Capability.VIEW_PUBLIC)
def event_unregister(request: HttpRequest, event_id: int) -> HttpResponse:
    """The signed-in registrant cancels their own registration."""
    access = _access(request)
    event = events.event_for_viewer(access=access, event_id=event_id)
    mine = events.registration_of(event, access.person)
    if mine is None:
        # Visitors who registered without signing in cancel from their email's link.
        messages.error(
            request,
            _("You are not registered for this event (registered by email? use its link)."),
        )
    else:
        events.cancel_registration(mine, by=access.person)
        messages.success(request, _("Your registration is cancelled."))
    return redirect(_event_url(event))


@require_http_methods(["GET", "POST"])
@network_view(Capability.VIEW_PUBLIC)
def event_checkin(request: HttpRequest, event_id: int) -> HttpResponse:
    """Self check-in with the code shown in the room: a signed-in registrant, or a registrant
    who followed the link of their reminder (their registration token)."""
    access = _access(request)
    event = events.event_for_viewer(access=access, event_id=event_id)
    form = CheckInForm(request.POST or None, initial={"token": request.GET.get("token", "")})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                events.self_check_in(
                    event,
                    code=form.cleaned_data["code"],
                    person=access.person,
                    registration_token=form.cleaned_data.get("token") or "",
                )
            except OutreachError as error:
                form.add_error("code", str(error))
            else:
                messages.success(request, _("You are checked in. Welcome!"))
                return redirect(_event_url(event))
        status = 400
    return render(
        request,
        "outreach/events_checkin.html",
        {
            "network": access.network,
            "access": access,
            "event": event,
            "form": form,
            "checkin_open": events.checkin_is_open(event),
            "window": events.checkin_window(event),
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
@network_view(Capability.VIEW_OWN_EGO)
def event_propose(request: HttpRequest, event_id: int) -> HttpResponse:
    """A member proposes to present their work at the event."""
    access = _access(request)
    event = events.event_for_viewer(access=access, event_id=event_id)
    if not event.accepts_proposals:
        messages.error(request, _("This event does not take proposals."))
        return redirect(_event_url(event))
    form = ProposalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        assert access.person is not None
        try:
            events.proposal_create(
                event=event,
                person=access.person,
                title=form.cleaned_data["title"],
                abstract=form.cleaned_data["abstract"],
            )
        except OutreachError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Thank you: the organisers will answer by email."))
        return redirect(_event_url(event))
    mine = Proposal.objects.filter(event=event, person=access.person).order_by("-created_at")
    return render(
        request,
        "outreach/events_propose.html",
        {"network": access.network, "access": access, "event": event, "form": form, "mine": mine},
        status=400 if request.method == "POST" else 200,
    )


# --- organisers: the event -----------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@network_view(Capability.MANAGE_EVENTS)
def event_new(request: HttpRequest) -> HttpResponse:
    return _event_form_page(request, None)


@require_http_methods(["GET", "POST"])
@network_view(Capability.MANAGE_EVENTS)
def event_edit(request: HttpRequest, event_id: int) -> HttpResponse:
    access = _access(request)
    return _event_form_page(request, events.managed_event(access=access, event_id=event_id))


def _event_form_page(request: HttpRequest, event: Event | None) -> HttpResponse:
    """The event form, to create an event (`event` None) or to edit one."""
    access = _access(request)
    form = EventForm(request.POST or None, event=event)
    if request.method == "POST" and form.is_valid():
        try:
            if event is None:
                event = events.event_create(
                    network=access.network, by=access.person, **form.event_fields()
                )
                done = _("Event created.")
            else:
                events.event_update(event=event, **form.event_fields())
                done = _("Event saved.")
        except OutreachError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, done)
            return redirect(_event_url(event))
    return render(
        request,
        "outreach/events_form.html",
        {"network": access.network, "access": access, "form": form, "event": event},
        status=400 if request.method == "POST" else 200,
    )


@require_http_methods(["GET", "POST"])
@network_view(Capability.MANAGE_EVENTS)
def event_cancel(request: HttpRequest, event_id: int) -> HttpResponse:
    access = _access(request)
    event = events.managed_event(access=access, event_id=event_id)
    if request.method == "POST":
        events.event_cancel(event=event, by=access.person)
        messages.success(request, _("The event is cancelled; the registrants are told by email."))
        return redirect(_event_url(event))
    return render(
        request,
        "outreach/events_cancel.html",
        {
            "network": access.network,
            "access": access,
            "event": event,
            "registered_count": events.registered_count(event),
        },
    )


# --- organisers: questions and sessions ----------------------------------------------------------


@require_http_methods(["GET", "POST"])
@network_view(Capability.MANAGE_EVENTS)
def event_questions(request: HttpRequest, event_id: int) -> HttpResponse:
    access = _access(request)
    event = events.managed_event(access=access, event_id=event_id)
    form = QuestionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            events.question_save(
                event=event,
                label=form.cleaned_data["label"],
                kind=form.cleaned_data["kind"],
                choices=form.choice_list(),
                required=form.cleaned_data["required"],
            )
        except OutreachError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Question added."))
            return redirect("outreach:event_questions", access.network.slug, event.pk)
    return render(
        request,
        "outreach/events_questions.html",
        {
            "network": access.network,
            "access": access,
            "event": event,
            "form": form,
            "questions": list(event.questions.all()),
        },
        status=400 if request.method == "POST" else 200,
    )


@require_POST
@network_view(Capability.MANAGE_EVENTS)
def event_question_delete(request: HttpRequest, event_id: int, question_id: int) -> HttpResponse:
    access = _access(request)
    event = events.managed_event(access=access, event_id=event_id)
    question = get_object_or_404(RegistrationQuestion, event=event, pk=question_id)
    events.question_delete(question=question)
    messages.success(request, _("Question removed."))
    return redirect("outreach:event_questions", access.network.slug, event.pk)


@require_http_methods(["GET", "POST"])
@network_view(Capability.MANAGE_EVENTS)
def event_sessions(request: HttpRequest, event_id: int) -> HttpResponse:
    return _session_page(request, event_id, None)


@require_http_methods(["GET", "POST"])
@network_view(Capability.MANAGE_EVENTS)
def event_session_edit(request: HttpRequest, event_id: int, session_id: int) -> HttpResponse:
    return _session_page(request, event_id, session_id)


def _session_page(request: HttpRequest, event_id: int, session_id: int | None) -> HttpResponse:
    access = _access(request)
    event = events.managed_event(access=access, event_id=event_id)
    session = get_object_or_404(EventSession, event=event, pk=session_id) if session_id else None
    initial = None
    if session is not None:
        initial = {
            "title": session.title,
            "description": session.description,
            "room": session.room,
            "presenters": list(session.presenters.all()),
            "starts_at": events.in_event_zone(event, session.starts_at).replace(tzinfo=None),
            "ends_at": events.in_event_zone(event, session.ends_at).replace(tzinfo=None),
        }
    form = SessionForm(request.POST or None, event=event, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            events.session_save(
                event=event,
                session=session,
                title=data["title"],
                description=data["description"],
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                room=data["room"],
                presenters=list(data["presenters"]),
            )
        except OutreachError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Session saved."))
            return redirect("outreach:event_sessions", access.network.slug, event.pk)
    return render(
        request,
        "outreach/events_sessions.html",
        {
            "network": access.network,
            "access": access,
            "event": event,
            "form": form,
            "session": session,
            "sessions": list(events.sessions_of(event)),
        },
        status=400 if request.method == "POST" else 200,
    )


@require_POST
@network_view(Capability.MANAGE_EVENTS)
def event_session_delete(request: HttpRequest, event_id: int, session_id: int) -> HttpResponse:
    access = _access(request)
    event = events.managed_event(access=access, event_id=event_id)
    events.session_delete(session=get_object_or_404(EventSession, event=event, pk=session_id))
    messages.success(request, _("Session removed."))
    return redirect("outreach:event_sessions", access.network.slug, event.pk)


# --- organisers: proposals -----------------------------------------------------------------------


@require_safe
@network_view(Capability.MANAGE_EVENTS)
def event_proposals(request: HttpRequest, event_id: int) -> HttpResponse:
    access = _access(request)
    event = events.managed_event(access=access, event_id=event_id)
    rows = list(
        Proposal.objects.filter(event=event)
        .select_related("person", "session", "decided_by")
        .order_by("status", "created_at")
    )
    return render(
        request,
        "outreach/events_proposals.html",
        {
            "network": access.network,
            "access": access,
            "event": event,
            "waiting": [row for row in rows if row.status == Proposal.Status.PROPOSED],
            "decided": [row for row in rows if row.status != Proposal.Status.PROPOSED],
            "form": ProposalDecisionForm(event=event),
        },
    )


@require_POST
@network_view(Capability.MANAGE_EVENTS)
def event_proposal_decide(request: HttpRequest, event_id: int, proposal_id: int) -> HttpResponse:
    access = _access(request)
    event = events.managed_event(access=access, event_id=event_id)
    proposal = get_object_or_404(Proposal, event=event, pk=proposal_id)
    form = ProposalDecisionForm(request.POST, event=event)
    back = redirect("outreach:event_proposals", access.network.slug, event.pk)
    if not form.is_valid():
        messages.error(request, _("Choose accept or decline."))
        return back
    try:
        events.proposal_decide(
            proposal=proposal,
            accept=form.cleaned_data["decision"] == "accept",
            by=access.person,
            note=form.cleaned_data["note"],
            session=form.cleaned_data["session"],
        )
    except OutreachError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Decided; the proposer is told by email."))
    return back


# --- organisers: registrations -------------------------------------------------------------------


@require_safe
@network_view(Capability.MANAGE_EVENTS)
def event_registrations(request: HttpRequest, event_id: int) -> HttpResponse:
    access = _access(request)
    event = events.managed_event(access=access, event_id=event_id)
    status = request.GET.get("status", "")
    if status not in Registration.Status.values:
        status = ""
    rows = events.registrations_of(event, status=status)
    page = Paginator(rows, 100).get_page(request.GET.get("page"))
    questions = list(event.questions.all())
    registrations = list(page.object_list)
    for registration in registrations:
        registration.answer_list = _answer_list(questions, registration)  # type: ignore[attr-defined]
    return render(
        request,
        "outreach/events_registrations.html",
        {
            "network": access.network,
            "access": access,
            "event": event,
            "page": page,
            "rows": registrations,
            "status": status,
            "statuses": Registration.Status.choices,
            "registered_count": events.registered_count(event),
            "attended_count": Attendance.objects.filter(event=event).count(),
            "waitlisted_count": Registration.objects.filter(
                event=event, status=Registration.Status.WAITLISTED
            ).count(),
        },
    )


def _answer_list(questions: list[RegistrationQuestion], registration: Registration) -> list[str]:
    answers = registration.answers or {}
    out = []
    for question in questions:
        value = answers.get(str(question.pk), "")
        if isinstance(value, bool):
            value = _("Yes") if value else _("No")
        elif isinstance(value, list):
            value = ", ".join(str(item) for item in value)
        out.append(str(value))
    return out


def neutralize(value: Any) -> str:
    """A CSV cell a spreadsheet shows as text, never runs as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


@require_safe
@network_view(Capability.MANAGE_EVENTS)
def event_registrations_csv(request: HttpRequest, event_id: int) -> HttpResponse:
    access = _access(request)
    event = events.managed_event(access=access, event_id=event_id)
    questions = list(event.questions.all())
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="event-{event.pk}-registrations.csv"'
    response.write("\ufeff")  # so that spreadsheets read UTF-8
    writer = csv.writer(response)
    writer.writerow(
        [_("Name"), _("Email"), _("Status"), _("Registered"), _("Checked in")]
        + [neutralize(question.label) for question in questions]
    )
    for registration in events.registrations_of(event).iterator(chunk_size=500):
        attendance = getattr(registration, "attendance", None)
        writer.writerow(
            [
                neutralize(registration.name),
                neutralize(registration.email),
                registration.get_status_display(),
                registration.created_at.isoformat(),
                attendance.checked_in_at.isoformat() if attendance else "",
            ]
            + [neutralize(answer) for answer in _answer_list(questions, registration)]
        )
    return response


def _registration(access: Access, event: Event, registration_id: int) -> Registration:
    return get_object_or_404(
        Registration.objects.select_related("attendance"), event=event, pk=registration_id
    )


@require_POST
@network_view(Capability.MANAGE_EVENTS)
def event_registration_promote(
    request: HttpRequest, event_id: int, registration_id: int
) -> HttpResponse:
    access = _access(request)
    event = events.managed_event(access=access, event_id=event_id)
    registration = _registration(access, event, registration_id)
    try:
        events.promote(registration, by=access.person)
    except OutreachError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, _("%(name)s is registered and told by email.") % {"name": registration.name}
        )
    return redirect("outreach:event_registrations", access.network.slug, event.pk)


@require_POST
@network_view(Capability.MANAGE_EVENTS)
def event_registration_checkin(
    request: HttpRequest, event_id: int, registration_id: int
) -> HttpResponse:
    """The organiser's check-in button: with htmx the row is replaced in place."""
    access = _access(request)
    event = events.managed_event(access=access, event_id=event_id)
    registration = _registration(access, event, registration_id)
    error = ""
    try:
        events.check_in(registration, method=Attendance.Method.COORDINATOR, by=access.person)
    except OutreachError as exc:
        error = str(exc)
    if _is_htmx(request):
        registration = _registration(access, event, registration_id)
        registration.answer_list = _answer_list(list(event.questions.all()), registration)  # type: ignore[attr-defined]
        return render(
            request,
            "outreach/events_registration_row.html",
            {"network": access.network, "event": event, "row": registration, "error": error},
        )
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("%(name)s is checked in.") % {"name": registration.name})
    return redirect("outreach:event_registrations", access.network.slug, event.pk)


# --- the registrant's own page (the emailed token is the key) ------------------------------------


def _by_token(registration_token: str) -> Registration:
    registration = (
        Registration.objects.select_related("event", "event__network", "attendance")
        .filter(token=registration_token)
        .first()
    )
    if registration is None:
        raise Http404
    return registration


@require_http_methods(["GET", "POST"])
def registration_page(request: HttpRequest, registration_token: str) -> HttpResponse:
    """The registration, its cancel button and the .ics; GET never changes anything."""
    registration = _by_token(registration_token)
    if request.method == "POST":
        if "cancel" not in request.POST:
            messages.error(request, _("Press “Cancel my registration” to cancel it."))
        elif registration.status == Registration.Status.CANCELLED:
            messages.info(request, _("This registration was already cancelled."))
        else:
            events.cancel_registration(registration)
            messages.success(request, _("Your registration is cancelled."))
        return redirect("outreach_public:registration", registration.token)
    event = registration.event
    return render(
        request,
        "outreach/events_registration.html",
        {
            "registration": registration,
            "event": event,
            "network": event.network,
            "checkin_open": events.checkin_is_open(event),
            "is_over": event.ends_at < timezone.now(),
        },
    )


@require_safe
def registration_ics(request: HttpRequest, registration_token: str) -> HttpResponse:
    from netweave.outreach.calendars import event_ics

    registration = _by_token(registration_token)
    event = registration.event
    cancelled = (
        registration.status == Registration.Status.CANCELLED
        or event.status == Event.Status.CANCELLED
    )
    method = "CANCEL" if cancelled else "PUBLISH"
    content = event_ics(event, registration=registration, method=method)
    response = HttpResponse(content, content_type=f"text/calendar; charset=utf-8; method={method}")
    response["Content-Disposition"] = f'attachment; filename="event-{event.pk}.ics"'
    return response
