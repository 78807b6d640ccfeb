"""Every write to relationship surveys, waves and answers goes through here.

Views, the API, tasks and the demo call these functions; they raise `SurveyError` (a message safe
to show to the person who asked) when a request breaks a survey rule."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from netweave.networks.models import Network
from netweave.people.models import Membership, Person, Role
from netweave.surveys.models import (
    RelationshipSurvey,
    SurveyAnswer,
    SurveyResponse,
    SurveyWave,
    default_items,
)

# The yes/no items a roster row can ask; each becomes a tie of the same kind when a wave closes.
ITEMS = ("knows", "shares_information", "collaborates")
SCALE_FIELDS = ("trust", "value")
ANSWER_FIELDS = ITEMS + SCALE_FIELDS
# Who takes part in a survey (answers it and appears in rosters): members, stewards and
# coordinators. Observers watch the network; they are not part of its relationships.
PARTICIPANT_ROLES = (Role.MEMBER, Role.STEWARD, Role.COORDINATOR)


class SurveyError(Exception):
    """A request that breaks a survey rule; its message is safe to show to the user."""


def participants(*, network: Network) -> Any:
    """Active memberships of the people who take part in this network's surveys."""
    return Membership.objects.filter(
        network=network, status=Membership.Status.ACTIVE, role__in=PARTICIPANT_ROLES
    )


def is_participant(*, network: Network, person: Person) -> bool:
    return participants(network=network).filter(person=person).exists()


@transaction.atomic
def survey_create(
    *,
    network: Network,
    title: str,
    created_by: Person | None,
    introduction: str = "",
    items: Sequence[str] | None = None,
    ask_trust: bool = False,
    ask_value: bool = False,
) -> RelationshipSurvey:
    title = (title or "").strip()
    if not title:
        raise SurveyError(_("Give the survey a title."))
    chosen = list(dict.fromkeys(items if items is not None else default_items()))
    unknown = [item for item in chosen if item not in ITEMS]
    if unknown:
        raise SurveyError(
            _("Unknown questions: %(items)s. Choose among: %(known)s.")
            % {"items": ", ".join(unknown), "known": ", ".join(ITEMS)}
        )
    if not chosen:
        raise SurveyError(_("Choose at least one question to ask about each person."))
    return RelationshipSurvey.objects.create(
        network=network,
        title=title[:200],
        introduction=introduction,
        items=[item for item in ITEMS if item in chosen],  # always in the roster's order
        ask_trust=ask_trust,
        ask_value=ask_value,
        created_by=created_by,
    )


@transaction.atomic
def wave_create(
    *, survey: RelationshipSurvey, closes_at: datetime | None = None, reminder_days: int = 7
) -> SurveyWave:
    """The survey's next wave (numbered 1, 2, ...), not opened yet."""
    if closes_at is not None and timezone.is_naive(closes_at):
        raise SurveyError(_("The closing date needs a time zone."))
    # Lock the survey row so two coordinators creating a wave at once get 1 and 2, not 1 twice.
    RelationshipSurvey.objects.select_for_update().filter(pk=survey.pk).first()
    last = survey.waves.aggregate(last=Max("number"))["last"] or 0
    return SurveyWave.objects.create(
        survey=survey,
        network_id=survey.network_id,
        number=last + 1,
        closes_at=closes_at,
        reminder_days=max(1, reminder_days),
    )


def wave_open(*, wave: SurveyWave, actor: Person | None) -> SurveyWave:
    """Open a wave for answers and enqueue its first reminders. One open wave per network."""
    if wave.status == SurveyWave.Status.OPEN:
        return wave
    if wave.status == SurveyWave.Status.CLOSED:
        raise SurveyError(_("This wave is closed; create a new wave to ask again."))
    already = (
        SurveyWave.objects.filter(network_id=wave.network_id, status=SurveyWave.Status.OPEN)
        .exclude(pk=wave.pk)
        .select_related("survey")
        .first()
    )
    if already is not None:
        raise SurveyError(_open_elsewhere(already))
    wave.status = SurveyWave.Status.OPEN
    wave.opens_at = timezone.now()
    try:
        with transaction.atomic():
            wave.save(update_fields=["status", "opens_at"])
            wave_id = wave.pk
            transaction.on_commit(lambda: _enqueue_reminders(wave_id))
    except IntegrityError:  # another wave was opened at the same moment
        wave.status = SurveyWave.Status.DRAFT
        wave.opens_at = None
        already = SurveyWave.objects.filter(
            network_id=wave.network_id, status=SurveyWave.Status.OPEN
        ).first()
        raise SurveyError(
            _open_elsewhere(already) if already else _("Another wave is open in this network.")
        ) from None
    return wave


def _open_elsewhere(wave: SurveyWave) -> str:
    return _(
        "“%(wave)s” is still open; close it before opening another wave (a network runs one "
        "wave at a time)."
    ) % {"wave": str(wave)}


def _enqueue_reminders(wave_id: int) -> None:
    from netweave.surveys.tasks import send_wave_reminders

    send_wave_reminders.enqueue(wave_id)


def _check_open(wave: SurveyWave) -> None:
    if wave.status != SurveyWave.Status.OPEN:
        raise SurveyError(
            _("This wave is closed: answers can no longer be changed.")
            if wave.status == SurveyWave.Status.CLOSED
            else _("This wave is not open yet.")
        )


def _check_respondent(wave: SurveyWave, respondent: Person) -> None:
    if not is_participant(network=wave.network, person=respondent):
        raise SurveyError(_("Only active members of the network answer its surveys."))


def _clean_scale(name: str, value: Any) -> int | None:
    if value in (None, ""):
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = 0
    if not 1 <= number <= 4 or str(number) != str(value).strip():
        raise SurveyError(
            _("%(field)s must be a whole number from 1 to 4, or empty.") % {"field": name}
        )
    return number


def response_for(*, wave: SurveyWave, respondent: Person) -> SurveyResponse:
    response, _created = SurveyResponse.objects.get_or_create(
        wave=wave, respondent=respondent, defaults={"network_id": wave.network_id}
    )
    return response


@transaction.atomic
def answer_save(
    *, wave: SurveyWave, respondent: Person, target: Person, **fields: Any
) -> SurveyAnswer:
    """Save one roster row at once (autosave): the respondent's answers about `target`.

    Only the fields given change; saving the same row twice gives the same row (idempotent).
    Questions the survey does not ask are refused."""
    unknown = set(fields) - set(ANSWER_FIELDS)
    if unknown:
        raise SurveyError(_("Unknown answer fields: %s") % ", ".join(sorted(unknown)))
    survey = wave.survey
    asked = set(survey.items) | {
        name for name, on in (("trust", survey.ask_trust), ("value", survey.ask_value)) if on
    }
    not_asked = {name for name, value in fields.items() if value not in (None, "", False)} - asked
    if not_asked:
        raise SurveyError(_("This survey does not ask: %s.") % ", ".join(sorted(not_asked)))
    _check_open(wave)
    if target.pk == respondent.pk:
        raise SurveyError(
            _("The roster is about the other members: you cannot answer about yourself.")
        )
    _check_respondent(wave, respondent)
    if not is_participant(network=wave.network, person=target):
        raise SurveyError(
            _("%(name)s is not an active member of this network.") % {"name": target.name}
        )
    values: dict[str, Any] = {}
    for name in ITEMS:
        if name in fields:
            values[name] = bool(fields[name])
    for name in SCALE_FIELDS:
        if name in fields:
            values[name] = _clean_scale(name, fields[name])
    response = response_for(wave=wave, respondent=respondent)
    answer, created = SurveyAnswer.objects.get_or_create(
        response=response,
        target=target,
        defaults={"wave": wave, "network_id": wave.network_id, **values},
    )
    if not created:
        changed = [name for name, value in values.items() if getattr(answer, name) != value]
        for name in changed:
            setattr(answer, name, values[name])
        if changed:
            answer.save(update_fields=[*changed, "updated_at"])
    if created or values:
        response.save(update_fields=["updated_at"])
    return answer


@transaction.atomic
def response_submit(*, wave: SurveyWave, respondent: Person) -> SurveyResponse:
    """ "I am done": mark the response submitted (answers stay editable while the wave is open)."""
    _check_open(wave)
    _check_respondent(wave, respondent)
    response = response_for(wave=wave, respondent=respondent)
    if response.submitted_at is None:
        response.submitted_at = timezone.now()
        response.save(update_fields=["submitted_at", "updated_at"])
    return response


def _answer_is_tie(answer: SurveyAnswer, items: Sequence[str]) -> list[str]:
    return [item for item in items if getattr(answer, item)]


@transaction.atomic
def wave_close(
    *, wave: SurveyWave, actor: Person | None, closed_at: datetime | None = None
) -> SurveyWave:
    """Close the wave: every answered item becomes a survey tie (respondent → target, observed at
    the closing time), the survey ties of earlier waves end (the new wave says how things stand
    now), then a snapshot of the network is taken. Closing a closed wave does nothing.

    `closed_at` (default now) is for loading history, such as the demo's past waves."""
    from netweave.ties.services import snapshot_take

    locked = SurveyWave.objects.select_for_update().select_related("survey").get(pk=wave.pk)
    if locked.status == SurveyWave.Status.CLOSED:
        return locked
    if locked.status != SurveyWave.Status.OPEN:
        raise SurveyError(_("Only an open wave can be closed; this one was never opened."))
    now = closed_at or timezone.now()
    locked.status = SurveyWave.Status.CLOSED
    locked.closed_at = now
    locked.save(update_fields=["status", "closed_at"])
    ties_from_answers(wave=locked, observed_at=now, created_by=actor)
    snapshot_take(
        network=locked.network,
        label=_("%(survey)s — wave %(number)s")
        % {"survey": locked.survey.title, "number": locked.number},
        source="wave",
        wave=locked,
        created_by=actor,
        taken_at=now,
    )
    wave.status, wave.closed_at = locked.status, locked.closed_at
    return locked


def ties_from_answers(
    *, wave: SurveyWave, observed_at: datetime, created_by: Person | None = None
) -> int:
    """Turn the wave's answers into survey ties (one per answered item); returns how many.

    The wave's earlier survey ties are replaced, so running it twice does not double them."""
    from netweave.ties.models import Tie

    items = list(wave.survey.items)
    Tie.objects.filter(wave=wave, provenance=Tie.Provenance.SURVEY).delete()
    Tie.objects.filter(
        network_id=wave.network_id,
        provenance=Tie.Provenance.SURVEY,
        ended_at__isnull=True,
        observed_at__lte=observed_at,
    ).exclude(wave=wave).update(ended_at=observed_at)
    answers = SurveyAnswer.objects.filter(wave=wave).select_related("response").order_by("id")
    ties = [
        Tie(
            network_id=wave.network_id,
            source_id=answer.response.respondent_id,
            target_id=answer.target_id,
            kind=item,
            directed=True,
            provenance=Tie.Provenance.SURVEY,
            observed_at=observed_at,
            wave=wave,
            created_by=created_by,
        )
        for answer in answers.iterator(chunk_size=2000)
        for item in _answer_is_tie(answer, items)
        if answer.response.respondent_id != answer.target_id
    ]
    Tie.objects.bulk_create(ties, batch_size=2000)
    return len(ties)


def wave_send_reminders(*, wave: SurveyWave, now: datetime | None = None) -> int:
    """Remind every participant who has not submitted, unless a reminder went out less than
    `reminder_days` ago or the wave is not open. Returns the number of emails sent."""
    from django.conf import settings
    from django.core.mail import EmailMultiAlternatives, get_connection
    from django.template.loader import render_to_string
    from django.urls import reverse
    from django.utils import translation

    now = now or timezone.now()
    with transaction.atomic():
        locked = SurveyWave.objects.select_for_update().get(pk=wave.pk)
        if locked.status != SurveyWave.Status.OPEN:
            return 0
        if (
            locked.last_reminder_at is not None
            and (now - locked.last_reminder_at).total_seconds() < locked.reminder_days * 86400
        ):
            return 0
        locked.last_reminder_at = now
        locked.save(update_fields=["last_reminder_at"])
    wave.last_reminder_at = now
    network = wave.network
    submitted = SurveyResponse.objects.filter(wave=wave, submitted_at__isnull=False).values(
        "respondent_id"
    )
    people = list(
        Person.objects.filter(pk__in=participants(network=network).values("person_id"))
        .exclude(pk__in=submitted)
        .exclude(email="")
        .order_by("pk")
    )
    if not people:
        return 0
    base = settings.NETWEAVE_BASE_URL.rstrip("/")
    url = base + reverse(
        "surveys:answer", kwargs={"network_slug": network.slug, "wave_id": wave.pk}
    )
    languages = [code for code in (network.languages or []) if code in ("en", "fr", "es")]
    language = languages[0] if languages else settings.LANGUAGE_CODE
    messages = []
    with translation.override(language):
        for person in people:
            context = {
                "person": person,
                "wave": wave,
                "survey": wave.survey,
                "network": network,
                "answer_url": url,
                "site_name": settings.NETWEAVE_SITE_NAME,
            }
            subject = _("%(network)s: your answers to “%(survey)s” are awaited") % {
                "network": network.name,
                "survey": wave.survey.title,
            }
            text = render_to_string("surveys/email/reminder.txt", context)
            html = render_to_string("surveys/email/reminder.html", context)
            message = EmailMultiAlternatives(subject, text, to=[person.email])
            message.attach_alternative(html, "text/html")
            messages.append(message)
    with get_connection() as connection:
        connection.send_messages(messages)
    return len(messages)
