"""Every read of relationship surveys: rosters, response rates, waves, answers.

Each function is scoped to one network; answers of others are for coordinators only
(Capability.VIEW_RAW)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404

from netweave.lib.search import filter_matching
from netweave.networks.models import Network
from netweave.networks.permissions import Access, Capability
from netweave.people.models import Affiliation, Person
from netweave.surveys.models import RelationshipSurvey, SurveyAnswer, SurveyResponse, SurveyWave
from netweave.surveys.services import participants

PERSON_TABLE = Person._meta.db_table


@dataclass
class RosterRow:
    """One other member on a respondent's roster, with what was saved about them (if anything)."""

    person: Person
    organization: str
    answer: SurveyAnswer | None

    @property
    def answered(self) -> bool:
        return self.answer is not None


@dataclass(frozen=True)
class ResponseRate:
    started: int  # respondents with at least one answer
    submitted: int
    eligible: int  # active members who take part

    @property
    def percent(self) -> int:
        return round(100 * self.started / self.eligible) if self.eligible else 0


def surveys_of_network(*, network: Network) -> QuerySet[RelationshipSurvey]:
    return RelationshipSurvey.objects.filter(network=network).prefetch_related(
        Prefetch("waves", queryset=SurveyWave.objects.order_by("number"))
    )


def waves_of_network(*, network: Network) -> QuerySet[SurveyWave]:
    return (
        SurveyWave.objects.filter(network=network)
        .select_related("survey")
        .order_by("-survey__created_at", "-number")
    )


def wave_in_network(*, network: Network, wave_id: int) -> SurveyWave:
    wave = waves_of_network(network=network).filter(pk=wave_id).first()
    if wave is None:
        raise Http404
    return wave


def open_wave(*, network: Network) -> SurveyWave | None:
    return (
        SurveyWave.objects.filter(network=network, status=SurveyWave.Status.OPEN)
        .select_related("survey")
        .first()
    )


def waiting_wave_for(*, network: Network, person: Person | None) -> SurveyWave | None:
    """The open wave this person takes part in and has not submitted yet ("a survey is waiting
    for you"), or None."""
    if person is None:
        return None
    wave = open_wave(network=network)
    if wave is None or not participants(network=network).filter(person=person).exists():
        return None
    submitted = SurveyResponse.objects.filter(
        wave=wave, respondent=person, submitted_at__isnull=False
    ).exists()
    return None if submitted else wave


def response_rate(*, wave: SurveyWave) -> ResponseRate:
    eligible_ids = participants(network=wave.network).values("person_id")
    counts = SurveyResponse.objects.filter(wave=wave, respondent_id__in=eligible_ids).aggregate(
        started=Count("id", filter=Q(answers__isnull=False), distinct=True),
        submitted=Count("id", filter=Q(submitted_at__isnull=False), distinct=True),
    )
    return ResponseRate(
        started=counts["started"] or 0,
        submitted=counts["submitted"] or 0,
        eligible=participants(network=wave.network).count(),
    )


def roster(*, wave: SurveyWave, respondent: Person, text: str = "") -> list[RosterRow]:
    """Every other active member, by name, with their organization and the respondent's saved
    answer about them. `text` narrows by name, organization or other profile words. Three
    queries, whatever the roster's length."""
    memberships = participants(network=wave.network).exclude(person=respondent)
    if text.strip():
        memberships = filter_matching(memberships, "person_id", PERSON_TABLE, "search_text", text)
    memberships = (
        memberships.select_related("person")
        .prefetch_related(
            Prefetch(
                "person__affiliations",
                queryset=Affiliation.objects.select_related("organization"),
            )
        )
        .order_by("sort_name", "person_id")
    )
    answers = {
        answer.target_id: answer
        for answer in SurveyAnswer.objects.filter(wave=wave, response__respondent=respondent)
    }
    rows = []
    for membership in memberships:
        person = membership.person
        affiliation = person.primary_affiliation
        rows.append(
            RosterRow(
                person=person,
                organization=affiliation.organization.name if affiliation else "",
                answer=answers.get(person.pk),
            )
        )
    return rows


def my_response(*, wave: SurveyWave, respondent: Person) -> SurveyResponse | None:
    return SurveyResponse.objects.filter(wave=wave, respondent=respondent).first()


def answers_of_wave(*, access: Access, wave: SurveyWave) -> QuerySet[SurveyAnswer]:
    """Everyone's answers in a wave: coordinators only (survey answers of others are raw data)."""
    access.require(Capability.VIEW_RAW)
    if wave.network_id != access.network.pk:
        raise Http404
    return (
        SurveyAnswer.objects.filter(wave=wave)
        .select_related("response__respondent", "target")
        .order_by("response__respondent__name", "target__name")
    )
