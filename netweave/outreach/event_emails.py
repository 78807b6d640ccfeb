"""The events area's emails, each in the registrant's language, as text and HTML: the
confirmation (registered, with the invitation as `invite.ics`, or waitlisted), the promotion from
the waiting list (with the .ics), a change of time or place (the updated .ics), the reminders,
the cancellation of the event (with a CANCEL .ics) and the decision on a presenter proposal.

Tasks and `send_due_reminders` call these after the commit; the confirmation and the promotion
record `Registration.confirmation_sent_at`, so a retried task does not send them twice."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from netweave.outreach.common import absolute_reverse, absolute_url, sender_for, supported_language
from netweave.outreach.events import in_event_zone
from netweave.outreach.models import Event, Proposal, Registration

SUBJECT_REGISTERED = gettext_noop("You are registered: %(event)s")
SUBJECT_WAITLISTED = gettext_noop("You are on the waiting list: %(event)s")
SUBJECT_PROMOTED = gettext_noop("A place opened up: you are registered for %(event)s")
SUBJECT_REMINDER_DAY = gettext_noop("Tomorrow: %(event)s")
SUBJECT_REMINDER_HOUR = gettext_noop("Starting within the hour: %(event)s")
SUBJECT_CANCELLED = gettext_noop("Cancelled: %(event)s")
SUBJECT_UPDATED = gettext_noop("Changed: %(event)s")
SUBJECT_ACCEPTED = gettext_noop("Your proposal is accepted: %(event)s")
SUBJECT_DECLINED = gettext_noop("About your proposal for %(event)s")

ICS_TYPE = "text/calendar; charset=utf-8; method=%s"


def event_page_url(event: Event) -> str:
    return absolute_reverse("outreach:event", event.network.slug, event.pk)


def manage_url(registration: Registration) -> str:
    return absolute_reverse("outreach_public:registration", registration.token)


def _context(event: Event, **extra: Any) -> dict[str, Any]:
    local_start = in_event_zone(event, event.starts_at)
    local_end = in_event_zone(event, event.ends_at)
    return {
        "event": event,
        "network": event.network,
        "local_start": local_start,
        "local_end": local_end,
        "event_url": event_page_url(event),
        "site_name": settings.NETWEAVE_SITE_NAME,
        # The online link is for registrants (and accepted presenters) only, as on the web page:
        # not for the waiting list, nor in a cancellation.
        "show_link": False,
    } | extra


def _message(
    *,
    event: Event,
    to: str,
    language: str,
    template: str,
    subject: str,
    ics: tuple[bytes, str] | None = None,
    **extra: Any,
) -> EmailMultiAlternatives:
    language = supported_language(language, network=event.network)
    with translation.override(language):
        context = _context(event, **extra)
        context["LANGUAGE_CODE"] = language
        context["subject"] = _(subject) % {"event": event.title}
        text = render_to_string(f"outreach/email/events_{template}.txt", context)
        html = render_to_string(f"outreach/email/events_{template}.html", context)
    message = EmailMultiAlternatives(
        context["subject"], text, from_email=sender_for(event.network), to=[to]
    )
    message.attach_alternative(html, "text/html")
    if ics is not None:
        content, method = ics
        message.attach("invite.ics", content, ICS_TYPE % method)
    return message


def _send(message: EmailMultiAlternatives) -> bool:
    with get_connection() as connection:
        return bool(connection.send_messages([message]))


def _ics(event: Event, registration: Registration, method: str) -> tuple[bytes, str]:
    from netweave.outreach.calendars import event_ics

    return event_ics(event, registration=registration, method=method), method


def registration_message(registration: Registration, kind: str) -> EmailMultiAlternatives:
    """The email of `kind` (confirmation | promoted | event_cancelled) for `registration`."""
    event = registration.event
    registered = registration.status == Registration.Status.REGISTERED
    common = {
        "registration": registration,
        "manage_url": manage_url(registration),
        "name": registration.name,
        "show_link": registered and kind != "event_cancelled",
    }
    if kind == "event_cancelled":
        return _message(
            event=event,
            to=registration.email,
            language=registration.language,
            template="cancelled",
            subject=SUBJECT_CANCELLED,
            ics=_ics(event, registration, "CANCEL"),
            **common,
        )
    if kind == "event_updated":
        return _message(
            event=event,
            to=registration.email,
            language=registration.language,
            template="updated",
            subject=SUBJECT_UPDATED,
            # A calendar invitation (with the link) for those who have a place only.
            ics=_ics(event, registration, "REQUEST") if registered else None,
            **common,
        )
    if kind == "promoted":
        subject = SUBJECT_PROMOTED
    else:
        subject = SUBJECT_REGISTERED if registered else SUBJECT_WAITLISTED
    return _message(
        event=event,
        to=registration.email,
        language=registration.language,
        template="confirmation",
        subject=subject,
        ics=_ics(event, registration, "REQUEST") if registered else None,
        registered=registered,
        promoted=kind == "promoted",
        **common,
    )


def send_registration_email(registration: Registration, kind: str) -> bool:
    if kind in ("event_cancelled", "event_updated"):
        if registration.status == Registration.Status.CANCELLED:
            return False
        if kind == "event_updated" and registration.event.status != Event.Status.PUBLISHED:
            return False
        return _send(registration_message(registration, kind))
    if registration.status == Registration.Status.CANCELLED:
        return False
    if registration.confirmation_sent_at is not None:
        return False  # already sent (a retried task)
    if kind == "promoted" and registration.status != Registration.Status.REGISTERED:
        return False
    sent = _send(registration_message(registration, kind))
    if sent:
        Registration.objects.filter(pk=registration.pk).update(confirmation_sent_at=timezone.now())
    return sent


def reminder_message(registration: Registration, kind: str) -> EmailMultiAlternatives:
    event = registration.event
    return _message(
        event=event,
        to=registration.email,
        language=registration.language,
        template="reminder",
        subject=SUBJECT_REMINDER_HOUR if kind == "hour" else SUBJECT_REMINDER_DAY,
        registration=registration,
        manage_url=manage_url(registration),
        name=registration.name,
        show_link=True,
        kind=kind,
        checkin_url=absolute_url(
            reverse("outreach:event_checkin", args=[event.network.slug, event.pk])
            + f"?token={registration.token}"
        ),
    )


def send_reminder(registration: Registration, kind: str) -> bool:
    if registration.status != Registration.Status.REGISTERED:
        return False
    return _send(reminder_message(registration, kind))


def send_proposal_decision(proposal: Proposal, note: str = "") -> bool:
    person = proposal.person
    if not person.email:
        return False
    accepted = proposal.status == Proposal.Status.ACCEPTED
    languages = list(person.languages or [])
    return _send(
        _message(
            event=proposal.event,
            to=person.email,
            language=languages[0] if languages else "",
            template="proposal",
            subject=SUBJECT_ACCEPTED if accepted else SUBJECT_DECLINED,
            proposal=proposal,
            accepted=accepted,
            show_link=accepted,
            note=note,
            name=person.name,
        )
    )
