"""API v1: relationship survey waves, the caller's roster and answers, and (coordinators)
opening and closing waves.

Mounted by netweave/api/api.py as `api.add_router("", netweave.surveys.api.router)`. Each endpoint
resolves the caller's access once (`network_access`), reads through netweave.surveys.selectors and
writes through netweave.surveys.services; a broken survey rule (`SurveyError`) is a 409."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from pydantic import ConfigDict

from netweave.api.auth import network_access
from netweave.api.errors import responses
from netweave.networks.permissions import Access, Capability
from netweave.people.models import Person
from netweave.surveys import selectors
from netweave.surveys.models import SurveyAnswer, SurveyWave
from netweave.surveys.services import (
    answer_save,
    is_participant,
    response_submit,
    wave_close,
    wave_open,
)

router = Router(tags=["surveys"])

WaveStatusName = Literal["draft", "open", "closed"]
ItemName = Literal["knows", "shares_information", "collaborates"]


class ResponseRateOut(Schema):
    started: int = Field(..., description="Members with at least one answer.")
    submitted: int = Field(..., description="Members who said they are done.")
    eligible: int = Field(..., description="Active members who take part (not observers).")
    percent: int


class WaveOut(Schema):
    id: int
    survey: dict[str, Any] = Field(
        ..., description="`id`, `title`, `items`, `ask_trust`, `ask_value`."
    )
    number: int
    status: WaveStatusName
    opens_at: datetime | None
    closes_at: datetime | None
    closed_at: datetime | None
    response_rate: ResponseRateOut | None = Field(
        None, description="Coordinators only; null for others and for waves not opened yet."
    )
    snapshot_id: int | None = Field(None, description="The snapshot taken when the wave closed.")


class WaveListOut(Schema):
    items: list[WaveOut]


class AnswerOut(Schema):
    knows: bool
    shares_information: bool
    collaborates: bool
    trust: int | None
    value: int | None


class RosterRowOut(Schema):
    id: int
    name: str
    organization: str
    answer: AnswerOut | None


class RosterOut(Schema):
    wave: WaveOut
    submitted_at: datetime | None
    rows: list[RosterRowOut]


class RosterFilters(Schema):
    q: str = Field("", max_length=100, description="Find people by name or organization.")


class AnswerIn(Schema):
    """One roster row. Fields left out keep their saved value."""

    model_config = ConfigDict(extra="forbid")

    knows: bool | None = None
    shares_information: bool | None = None
    collaborates: bool | None = None
    trust: int | None = Field(None, ge=1, le=4)
    value: int | None = Field(None, ge=1, le=4)


class SubmittedOut(Schema):
    submitted_at: datetime


def _denied(key: str) -> str:
    return {
        "answer": _("Only members of this network answer its surveys."),
        "manage": _("Only coordinators open and close survey waves."),
    }[key]


def answer_out(answer: SurveyAnswer) -> dict[str, Any]:
    return {
        "knows": answer.knows,
        "shares_information": answer.shares_information,
        "collaborates": answer.collaborates,
        "trust": answer.trust,
        "value": answer.value,
    }


def wave_out(wave: SurveyWave, access: Access) -> dict[str, Any]:
    survey = wave.survey
    rate = None
    if access.can(Capability.MANAGE_SETTINGS) and wave.status != SurveyWave.Status.DRAFT:
        found = selectors.response_rate(wave=wave)
        rate = {
            "started": found.started,
            "submitted": found.submitted,
            "eligible": found.eligible,
            "percent": found.percent,
        }
    snapshot = getattr(wave, "snapshot", None) if wave.status == SurveyWave.Status.CLOSED else None
    return {
        "id": wave.pk,
        "survey": {
            "id": survey.pk,
            "title": survey.title,
            "items": list(survey.items),
            "ask_trust": survey.ask_trust,
            "ask_value": survey.ask_value,
        },
        "number": wave.number,
        "status": wave.status,
        "opens_at": wave.opens_at,
        "closes_at": wave.closes_at,
        "closed_at": wave.closed_at,
        "response_rate": rate,
        "snapshot_id": snapshot.pk if snapshot is not None else None,
    }


def _visible_waves(access: Access) -> Any:
    waves = selectors.waves_of_network(network=access.network)
    if not access.can(Capability.MANAGE_SETTINGS):
        waves = waves.exclude(status=SurveyWave.Status.DRAFT)
    return waves


def _wave(access: Access, wave_id: int) -> SurveyWave:
    wave = selectors.wave_in_network(network=access.network, wave_id=wave_id)
    if wave.status == SurveyWave.Status.DRAFT and not access.can(Capability.MANAGE_SETTINGS):
        raise Http404
    return wave


def _respondent(access: Access) -> Person:
    if access.person is None or not is_participant(network=access.network, person=access.person):
        raise PermissionDenied(_denied("answer"))
    return access.person


@router.get(
    "/networks/{slug}/survey-waves",
    response=responses({200: WaveListOut}, 401, 403, 404),
    operation_id="survey_waves_list",
    summary="List the relationship survey waves",
    description="Members and up see open and closed waves; coordinators also see waves not "
    "opened yet, and each wave's response rate.",
)
def survey_waves_list(request: HttpRequest, slug: str) -> dict[str, Any]:
    access = network_access(request, slug, Capability.VIEW_OWN_EGO, _denied("answer"))
    return {"items": [wave_out(wave, access) for wave in _visible_waves(access)]}


@router.get(
    "/networks/{slug}/survey-waves/{wave_id}",
    response=responses({200: WaveOut}, 401, 403, 404),
    operation_id="survey_waves_read",
    summary="Read one survey wave",
    description="Members and up; the response rate for coordinators only.",
)
def survey_waves_read(request: HttpRequest, slug: str, wave_id: int) -> dict[str, Any]:
    access = network_access(request, slug, Capability.VIEW_OWN_EGO, _denied("answer"))
    return wave_out(_wave(access, wave_id), access)


@router.get(
    "/networks/{slug}/survey-waves/{wave_id}/roster",
    response=responses({200: RosterOut}, 400, 401, 403, 404),
    operation_id="survey_roster_read",
    summary="Read your roster: every other member and what you answered about them",
    description="Members, stewards and coordinators, for themselves only; ordered by name, "
    "narrowed with `q`.",
)
def survey_roster_read(
    request: HttpRequest, slug: str, wave_id: int, filters: Query[RosterFilters]
) -> dict[str, Any]:
    access = network_access(request, slug, Capability.VIEW_OWN_EGO, _denied("answer"))
    wave = _wave(access, wave_id)
    person = _respondent(access)
    response = selectors.my_response(wave=wave, respondent=person)
    rows = selectors.roster(wave=wave, respondent=person, text=filters.q)
    return {
        "wave": wave_out(wave, access),
        "submitted_at": response.submitted_at if response else None,
        "rows": [
            {
                "id": row.person.pk,
                "name": row.person.name,
                "organization": row.organization,
                "answer": answer_out(row.answer) if row.answer else None,
            }
            for row in rows
        ],
    }


@router.put(
    "/networks/{slug}/survey-waves/{wave_id}/answers/{person_id}",
    response=responses({200: AnswerOut}, 400, 401, 403, 404, 409),
    operation_id="survey_answers_save",
    summary="Save your answer about one member (one roster row)",
    description="Members, stewards and coordinators, for themselves only. Saving the same row "
    "twice changes nothing. 409 when the wave is not open, the person is yourself or not an "
    "active member, or the survey does not ask a question you answered.",
)
def survey_answers_save(
    request: HttpRequest, slug: str, wave_id: int, person_id: int, payload: AnswerIn
) -> dict[str, Any]:
    access = network_access(request, slug, Capability.VIEW_OWN_EGO, _denied("answer"))
    wave = _wave(access, wave_id)
    person = _respondent(access)
    target = get_object_or_404(Person, pk=person_id)
    answer = answer_save(
        wave=wave, respondent=person, target=target, **payload.model_dump(exclude_unset=True)
    )
    return answer_out(answer)


@router.post(
    "/networks/{slug}/survey-waves/{wave_id}/submit",
    response=responses({200: SubmittedOut}, 401, 403, 404, 409),
    operation_id="survey_responses_submit",
    summary="Say you are done answering",
    description="Members, stewards and coordinators. Answers stay editable while the wave is "
    "open; submitting twice keeps the first time.",
)
def survey_responses_submit(request: HttpRequest, slug: str, wave_id: int) -> dict[str, Any]:
    access = network_access(request, slug, Capability.VIEW_OWN_EGO, _denied("answer"))
    wave = _wave(access, wave_id)
    response = response_submit(wave=wave, respondent=_respondent(access))
    return {"submitted_at": response.submitted_at}


@router.post(
    "/networks/{slug}/survey-waves/{wave_id}/open",
    response=responses({200: WaveOut}, 401, 403, 404, 409),
    operation_id="survey_waves_open",
    summary="Open a wave for answers",
    description="Coordinators only. A network has one open wave at a time (409); members who "
    "have not answered get reminders by email.",
)
def survey_waves_open(request: HttpRequest, slug: str, wave_id: int) -> dict[str, Any]:
    access = network_access(request, slug, Capability.MANAGE_SETTINGS, _denied("manage"))
    wave = wave_open(wave=_wave(access, wave_id), actor=access.person)
    return wave_out(wave, access)


@router.post(
    "/networks/{slug}/survey-waves/{wave_id}/close",
    response=responses({200: WaveOut}, 401, 403, 404, 409),
    operation_id="survey_waves_close",
    summary="Close a wave: its answers become ties and a snapshot is taken",
    description="Coordinators only. Closing a closed wave changes nothing; a wave never opened "
    "is a 409.",
)
def survey_waves_close(request: HttpRequest, slug: str, wave_id: int) -> dict[str, Any]:
    access = network_access(request, slug, Capability.MANAGE_SETTINGS, _denied("manage"))
    wave = wave_close(wave=_wave(access, wave_id), actor=access.person)
    return wave_out(selectors.wave_in_network(network=access.network, wave_id=wave.pk), access)
