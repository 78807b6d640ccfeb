"""The introduction's emails, each in its recipient's language, as text and HTML.

Before both people say yes, an email names the other person and why they should meet, never the
other's address or answer; the "you are introduced" email is the first to give each the other's
address. Tasks call these after the commit; each send is recorded so a retry does not resend."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from netweave.people.models import Person
from netweave.weaving.models import Introduction
from netweave.weaving.reasons import people_in, reason_texts


def language_for(person: Person, network: Any) -> str:
    """The person's first language the site speaks, else the network's, else the default."""
    supported = {code for code, _label in settings.LANGUAGES}
    for code in list(person.languages or []) + list(network.languages or []):
        code = str(code).lower()[:2]
        if code in supported:
            return code
    return str(settings.LANGUAGE_CODE)[:2]


def names_seen_by(person: Person, person_ids: set[int]) -> dict[int, str]:
    """Names of third people as a member may see them: those who agreed to be named on the map."""
    if not person_ids:
        return {}
    rows = Person.objects.filter(pk__in=person_ids).values_list("id", "name", "map_consent")
    return {
        pk: name
        for pk, name, consent in rows
        if consent == Person.MapConsent.NAMED or pk == person.pk
    }


def _base() -> str:
    return str(settings.NETWEAVE_BASE_URL).rstrip("/")


def _respond_url(introduction: Introduction, side: str) -> str:
    return _base() + reverse("introductions:respond", args=[introduction.token_of(side)])


def _context(introduction: Introduction, side: str) -> dict[str, Any]:
    me = introduction.person_a if side == "a" else introduction.person_b
    other = introduction.person_b if side == "a" else introduction.person_a
    names = names_seen_by(me, people_in([introduction.details]))
    reasons = reason_texts(
        introduction.details,
        reader="source" if side == "a" else "target",
        source=introduction.person_a.name,
        target=introduction.person_b.name,
        names=names,
    )
    affiliation = other.primary_affiliation
    proposer = introduction.proposed_by
    return {
        "introduction": introduction,
        "network": introduction.network,
        "me": me,
        "other": other,
        "other_organization": affiliation.organization.name if affiliation else "",
        "other_expertise": ", ".join(str(item) for item in (other.expertise or [])[:5]),
        "asked_by_other": proposer is not None and proposer.pk == other.pk,
        "proposer": proposer if proposer is not None and proposer.pk != other.pk else None,
        "reasons": reasons,
        "respond_url": _respond_url(introduction, side),
        "profile_url": _base()
        + reverse("people:person", args=[introduction.network.slug, other.pk]),
        "site_name": settings.NETWEAVE_SITE_NAME,
    }


def _message(
    introduction: Introduction, side: str, template: str, subject: str, **extra: Any
) -> EmailMultiAlternatives | None:
    me = introduction.person_a if side == "a" else introduction.person_b
    if not me.email:
        return None
    language = language_for(me, introduction.network)
    with translation.override(language):
        context = _context(introduction, side) | extra
        # render_to_string has no request, so no context processor sets the <html lang>.
        context["LANGUAGE_CODE"] = language
        context["subject"] = _(subject) % {
            "other": context["other"].name,
            "network": introduction.network.name,
        }
        text = render_to_string(f"weaving/email/{template}.txt", context)
        html = render_to_string(f"weaving/email/{template}.html", context)
    message = EmailMultiAlternatives(context["subject"], text, to=[me.email])
    message.attach_alternative(html, "text/html")
    return message


def _send(messages: list[EmailMultiAlternatives | None]) -> int:
    ready = [message for message in messages if message is not None]
    if ready:
        with get_connection() as connection:
            connection.send_messages(ready)
    return len(ready)


# Subjects are marked here and translated in `_message`, in the recipient's language.
SUBJECT_REQUEST = gettext_noop("%(network)s: would you like to meet %(other)s?")
SUBJECT_INTRODUCED = gettext_noop("%(network)s: meet %(other)s")
SUBJECT_CLOSED = gettext_noop("%(network)s: the introduction to %(other)s will not go ahead")
SUBJECT_FOLLOW_UP = gettext_noop("%(network)s: did your introduction to %(other)s lead anywhere?")


def send_requests(introduction: Introduction) -> int:
    """Ask each person who has not answered yet; once each (`a_asked_at`, `b_asked_at`)."""
    messages = []
    now = timezone.now()
    for side in ("a", "b"):
        if introduction.status != Introduction.Status.PROPOSED:
            break
        if introduction.answer_of(side) != Introduction.Answer.PENDING:
            continue
        if getattr(introduction, f"{side}_asked_at") is not None:
            continue
        messages.append(_message(introduction, side, "request", SUBJECT_REQUEST))
        setattr(introduction, f"{side}_asked_at", now)
        introduction.save(update_fields=[f"{side}_asked_at"])
    return _send(messages)


def send_introduced(introduction: Introduction) -> int:
    """Both said yes: give each the other's address and the note (once)."""
    if introduction.status != Introduction.Status.ACCEPTED or introduction.introduced_mail_at:
        return 0
    messages = [
        _message(introduction, side, "introduced", SUBJECT_INTRODUCED) for side in ("a", "b")
    ]
    introduction.introduced_mail_at = timezone.now()
    introduction.save(update_fields=["introduced_mail_at"])
    return _send(messages)


def send_closed(introduction: Introduction) -> int:
    """The introduction ended without being made: tell whoever said yes or was asked and has
    not answered that it will not go ahead, without saying who answered what (once)."""
    if (
        introduction.status
        not in (
            Introduction.Status.DECLINED,
            Introduction.Status.EXPIRED,
            Introduction.Status.WITHDRAWN,
        )
        or introduction.closed_mail_at
    ):
        return 0
    messages = []
    for side in ("a", "b"):
        answer = introduction.answer_of(side)
        asked = getattr(introduction, f"{side}_asked_at") is not None
        if answer == Introduction.Answer.ACCEPTED or (
            answer == Introduction.Answer.PENDING and asked
        ):
            messages.append(_message(introduction, side, "closed", SUBJECT_CLOSED))
    introduction.closed_mail_at = timezone.now()
    introduction.save(update_fields=["closed_mail_at"])
    return _send(messages)


def send_follow_up(introduction: Introduction) -> int:
    """Weeks after the introduction: did you work together? (the caller records the send)."""
    messages = [
        _message(
            introduction,
            side,
            "follow_up",
            SUBJECT_FOLLOW_UP,
            outcomes=[(value, label) for value, label in Introduction.Outcome.choices if value],
        )
        for side in ("a", "b")
    ]
    return _send(messages)
