"""API v1: weaving. A member's suggestions and introductions; for coordinators, the network-wide
board, introductions between two other people, refreshing the suggestions, and the report.

Mounted by netweave/api/api.py as `api.add_router("", weaving_router)`. Each endpoint resolves the
caller's access once (`network_access`), reads through netweave.weaving.selectors and writes
through netweave.weaving.services; a broken weaving rule (`WeavingError`) is a 409.

Introductions are double opt-in, and their output follows `selectors.introduction_view`: before
both say yes, neither person sees the other's answer or address; once both said yes, each sees
the other's address. Coordinators see the status and both answers, never addresses."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.responses import Status

from netweave.api.auth import network_access, network_person
from netweave.api.errors import responses
from netweave.api.pagination import Page, PageIn, paginate
from netweave.api.schemas import BodyIn, PersonRef
from netweave.networks.permissions import Access, Capability
from netweave.people.models import Person
from netweave.weaving import selectors, services
from netweave.weaving.models import Introduction, Recommendation, RecommendationRun
from netweave.weaving.reasons import Reader

router = Router(tags=["weaving"])

# Literal copies of the model choices keep the OpenAPI document explicit; a test checks them.
GoalName = Literal["newcomers", "bridge", "core", "hub"]
RecommendationStatusName = Literal["open", "dismissed", "introduced"]
RunStatusName = Literal["queued", "running", "done", "failed"]
IntroductionStatusName = Literal["proposed", "accepted", "declined", "expired", "withdrawn"]
AnswerName = Literal["pending", "accepted", "declined"]
OutcomeName = Literal["collaborated", "in_touch", "no_contact"]


def _denied(key: str) -> str:
    return {
        "own": _("Only members of this network have suggestions and introductions."),
        "board": _("Only coordinators see the weaving board."),
        "report": _("Only coordinators see the weaving report."),
        "refresh": _("Only coordinators refresh the suggestions."),
        "others": _("Only coordinators see another member's suggestions."),
        "propose": _(
            "You can only propose an introduction that includes yourself; coordinators "
            "introduce two other people."
        ),
        "answer": _("Only the two people being introduced can answer."),
        "outcome": _("Only the two people introduced, or a coordinator, can record the outcome."),
        "withdraw": _("Only whoever proposed the introduction, or a coordinator, can withdraw it."),
    }[key]


# --- schemas -------------------------------------------------------------------------------------


class SuggestedPersonOut(Schema):
    id: int
    name: str
    organization: str = Field(..., description="The primary organization, or empty.")


class RecommendationOut(Schema):
    id: int
    person: PersonRef = Field(..., description="Whom the suggestion is for.")
    suggested: SuggestedPersonOut = Field(..., description="Whom they should meet.")
    score: float = Field(..., description="Higher is better; only comparable within a network.")
    rank: int = Field(..., description="1 for the person's best suggestion.")
    status: RecommendationStatusName
    reasons: list[str] = Field(
        ...,
        description="Why, in the request's language: to the person themself (“you both "
        "know …”), or about both people on the board and to coordinators.",
    )
    signals: list[str] = Field(..., description="The reasons as codes (`shared`, `bridge`, ...).")
    goals: list[GoalName] = Field(..., description="The weaving goals this pair serves.")
    computed_at: datetime


class RecommendationPage(Page[RecommendationOut]):
    pass


class RecommendationFilters(Schema):
    person_id: int | None = Field(
        None, description="Coordinators only: the suggestions for this member instead of yours."
    )


class BoardFilters(Schema):
    goal: GoalName | None = Field(None, description="Only the pairs that serve this goal.")
    q: str = Field("", max_length=100, description="Only pairs where a name contains this.")


class RunOut(Schema):
    id: int
    status: RunStatusName
    created_at: datetime
    finished_at: datetime | None
    members: int = Field(..., description="Members considered (once done).")
    recommendations: int = Field(..., description="Open suggestions afterwards (once done).")


class IntroductionOut(Schema):
    id: int
    status: IntroductionStatusName
    person_a: PersonRef
    person_b: PersonRef
    proposed_by: PersonRef | None
    recommendation_id: int | None = Field(..., description="The suggestion it came from, if any.")
    note: str = Field(..., description="Why they should meet, in the proposer's words.")
    reasons: list[str] = Field(
        ..., description="The recommender's reasons, worded for the caller's side."
    )
    your_side: Literal["a", "b"] | None = Field(
        ..., description="`a` or `b` when you are one of the two people, otherwise null."
    )
    your_answer: AnswerName | None = Field(
        ..., description="Your own answer when you are one of the two people."
    )
    a_answer: AnswerName | None = Field(
        ...,
        description="Both answers are shown to coordinators only; never to the two people, "
        "who see their own answer only.",
    )
    b_answer: AnswerName | None
    other: PersonRef | None = Field(
        ..., description="The other person, when you are one of the two."
    )
    other_email: str | None = Field(
        ...,
        description="The other person's address, once both said yes; only for the two people.",
    )
    can_answer: bool
    can_record_outcome: bool
    can_withdraw: bool
    created_at: datetime
    expires_at: datetime = Field(..., description="Answers are due by then.")
    decided_at: datetime | None
    outcome: OutcomeName | None = Field(..., description="What came of it, once someone said.")
    outcome_note: str
    outcome_at: datetime | None


class IntroductionPage(Page[IntroductionOut]):
    pass


class IntroductionFilters(Schema):
    status: IntroductionStatusName | None = Field(None, description="Only this status.")


class IntroductionIn(BodyIn):
    person_a_id: int | None = Field(
        None, description="The first person (defaults to you). Members must be one of the two."
    )
    person_b_id: int = Field(..., description="The other person; an active member.")
    note: str = Field(
        "", max_length=services.NOTE_MAX, description="Why they should meet; both read it."
    )
    recommendation_id: int | None = Field(
        None, description="The suggestion this introduction acts on, if any (its reasons go along)."
    )


class IntroductionAnswerIn(BodyIn):
    accept: bool = Field(..., description="true: yes, I would like to meet; false: no, thanks.")


class IntroductionOutcomeIn(BodyIn):
    outcome: OutcomeName
    note: str = Field("", max_length=services.NOTE_MAX)


class ReportTotalsOut(Schema):
    proposed: int
    waiting: int
    accepted: int
    declined: int
    expired: int
    withdrawn: int
    collaborated: int
    in_touch: int
    no_contact: int
    outcome_unknown: int = Field(..., description="Accepted introductions with no outcome yet.")
    acceptance_rate: float | None = Field(
        ..., description="Accepted among accepted, declined and expired; null before any."
    )
    collaboration_rate: float | None = Field(
        ..., description="Worked together among those with a known outcome; null before any."
    )


class ReportMonthOut(Schema):
    month: str = Field(..., description="YYYY-MM; every month from the first to the last.")
    proposed: int
    accepted: int
    collaborated: int


class ReportProposerOut(Schema):
    proposer: str = Field(
        ...,
        description="A coordinator's name; `member` for members who asked for themselves; "
        "empty when the proposer is unknown.",
    )
    proposed: int
    accepted: int
    collaborated: int


class ReportSnapshotRefOut(Schema):
    id: int
    label: str
    date: date


class ReportFigureOut(Schema):
    key: str
    before: int | float | None
    after: int | float | None
    change: int | float | None


class ReportSnapshotOut(Schema):
    before: ReportSnapshotRefOut
    after: ReportSnapshotRefOut
    introductions: int = Field(..., description="Introductions made between the two snapshots.")
    introduced_so_far: int
    tied_beyond_introduction: int = Field(
        ...,
        description="Pairs introduced so far that the later snapshot ties by more than the "
        "introduction itself (e.g. a survey answer).",
    )
    ties_before: int
    ties_after: int
    figures: list[ReportFigureOut]


class WeavingReportOut(Schema):
    totals: ReportTotalsOut
    activity: list[ReportMonthOut]
    proposers: list[ReportProposerOut]
    snapshots: list[ReportSnapshotOut] = Field(
        ..., description="What changed between each pair of consecutive finished snapshots."
    )


# --- helpers -------------------------------------------------------------------------------------


def _me(access: Access) -> int | None:
    return access.person.pk if access.person is not None else None


def recommendation_out(recommendation: Recommendation) -> dict[str, Any]:
    """One suggestion; `selectors.worded` must have set its `.reason_list`."""
    suggested = recommendation.suggested
    affiliation = suggested.primary_affiliation
    return {
        "id": recommendation.pk,
        "person": {"id": recommendation.person.pk, "name": recommendation.person.name},
        "suggested": {
            "id": suggested.pk,
            "name": suggested.name,
            "organization": affiliation.organization.name if affiliation else "",
        },
        "score": recommendation.score,
        "rank": recommendation.rank,
        "status": recommendation.status,
        "reasons": list(recommendation.reason_list),  # type: ignore[attr-defined]
        "signals": recommendation.signals,
        "goals": recommendation.goal_list,
        "computed_at": recommendation.computed_at,
    }


def run_out(run: RecommendationRun) -> dict[str, Any]:
    return {
        "id": run.pk,
        "status": run.status,
        "created_at": run.created_at,
        "finished_at": run.finished_at,
        "members": run.members,
        "recommendations": run.recommendations,
    }


def _ref(person: Person | None) -> dict[str, Any] | None:
    return {"id": person.pk, "name": person.name} if person is not None else None


def introduction_out(
    access: Access, introduction: Introduction, view: dict[str, Any] | None = None
) -> dict[str, Any]:
    """An introduction as the caller may see it (`selectors.introduction_view` decides; a list
    passes the `view` that `selectors.introduction_views` made for the row)."""
    if view is None:
        side = introduction.side_of(_me(access))
        view = selectors.introduction_view(access=access, introduction=introduction, side=side)
    answers = view["answers_visible"]
    return {
        "id": introduction.pk,
        "status": introduction.status,
        "person_a": _ref(introduction.person_a),
        "person_b": _ref(introduction.person_b),
        "proposed_by": _ref(introduction.proposed_by),
        "recommendation_id": introduction.recommendation_id,
        "note": introduction.note,
        "reasons": list(view["reasons"]),
        "your_side": view["side"],
        "your_answer": view["my_answer"],
        "a_answer": introduction.a_answer if answers else None,
        "b_answer": introduction.b_answer if answers else None,
        "other": _ref(view["other"]),
        "other_email": view["other_email"] or None,
        "can_answer": view["can_answer"],
        "can_record_outcome": view["can_record_outcome"],
        "can_withdraw": view["can_withdraw"],
        "created_at": introduction.created_at,
        "expires_at": introduction.expires_at,
        "decided_at": introduction.decided_at,
        "outcome": introduction.outcome or None,
        "outcome_note": introduction.outcome_note,
        "outcome_at": introduction.outcome_at,
    }


# --- suggestions ---------------------------------------------------------------------------------


@router.get(
    "/networks/{slug}/recommendations",
    response=responses({200: RecommendationPage}, 400, 401, 403, 404),
    operation_id="recommendations_list",
    summary="List your suggestions: the members you could meet",
    description="Members, stewards and coordinators: their own open suggestions, best first, "
    "with the reasons worded for them. Coordinators may pass `person_id` to read a member's.",
)
def recommendations_list(
    request: HttpRequest, slug: str, filters: Query[RecommendationFilters], paging: Query[PageIn]
) -> dict[str, Any]:
    access = network_access(request, slug, Capability.VIEW_OWN_EGO, _denied("own"))
    person = None
    if filters.person_id is not None and filters.person_id != _me(access):
        if not access.can(Capability.WEAVE):
            raise PermissionDenied(_denied("others"))
        person = Person.objects.filter(
            pk=filters.person_id, memberships__network=access.network
        ).first()
        if person is None:
            raise Http404
    rows = selectors.recommendations_for_member(access=access, person=person)
    return paginate(rows, paging, recommendation_out)


@router.get(
    "/networks/{slug}/weaving/board",
    response=responses({200: RecommendationPage}, 400, 401, 403, 404),
    operation_id="weaving_board",
    summary="The weaving board: every open suggestion in the network",
    description="Coordinators only. Each pair once, best first, with the reasons worded about "
    "both people; narrowed to the pairs that serve `goal` and to names containing `q`.",
)
def weaving_board(
    request: HttpRequest, slug: str, filters: Query[BoardFilters], paging: Query[PageIn]
) -> dict[str, Any]:
    access = network_access(request, slug, Capability.WEAVE, _denied("board"))
    rows = selectors.recommendations_for_board(
        access=access, goal=filters.goal or "", query=filters.q
    )
    # Word the page's reasons together: third people's names are looked up once per page.
    page = paginate(rows, paging, lambda row: row)
    selectors.worded(access=access, recommendations=page["items"], reader="coordinator")
    page["items"] = [recommendation_out(row) for row in page["items"]]
    return page


@router.post(
    "/networks/{slug}/recommendations/{recommendation_id}/dismiss",
    response=responses({200: RecommendationOut}, 401, 403, 404, 409),
    operation_id="recommendations_dismiss",
    summary="Dismiss a suggestion: never suggest this pair again",
    description="The member the suggestion is for, or a coordinator. Either way round, the "
    "pair is not suggested again; dismissing twice changes nothing. 409 when an introduction "
    "was already proposed for it.",
)
def recommendations_dismiss(
    request: HttpRequest, slug: str, recommendation_id: int
) -> dict[str, Any]:
    access = network_access(request, slug, Capability.VIEW_OWN_EGO, _denied("own"))
    recommendation = selectors.recommendation_for_viewer(
        access=access, recommendation_id=recommendation_id
    )
    services.recommendation_dismiss(recommendation=recommendation, by=access.person)
    reader: Reader = "source" if recommendation.person_id == _me(access) else "coordinator"
    selectors.worded(access=access, recommendations=[recommendation], reader=reader)
    return recommendation_out(recommendation)


@router.post(
    "/networks/{slug}/recommendations/refresh",
    response=responses({202: RunOut}, 401, 403, 404),
    operation_id="recommendations_refresh",
    summary="Recompute the network's suggestions",
    description="Coordinators only. The computation runs in the background; poll GET "
    "/networks/{slug}/recommendations/runs/latest until `status` is `done`. Asking while a "
    "computation is queued or running returns that one.",
)
def recommendations_refresh(request: HttpRequest, slug: str) -> Status[Any]:
    access = network_access(request, slug, Capability.WEAVE, _denied("refresh"))
    run = services.recommendation_run_request(network=access.network, requested_by=access.person)
    return Status(202, run_out(run))


@router.get(
    "/networks/{slug}/recommendations/runs/latest",
    response=responses({200: RunOut}, 401, 403, 404),
    operation_id="recommendations_run_latest",
    summary="The latest computation of the suggestions",
    description="Members, stewards and coordinators: when the suggestions were last computed, "
    "or how far the computation is. 404 when they were never computed.",
)
def recommendations_run_latest(request: HttpRequest, slug: str) -> dict[str, Any]:
    access = network_access(request, slug, Capability.VIEW_OWN_EGO, _denied("own"))
    run = selectors.latest_run(network=access.network)
    if run is None:
        raise HttpError(
            404,
            _("The suggestions have not been computed in this network yet."),
        )
    return run_out(run)


# --- introductions -------------------------------------------------------------------------------


@router.get(
    "/networks/{slug}/introductions",
    response=responses({200: IntroductionPage}, 400, 401, 403, 404),
    operation_id="introductions_list",
    summary="List introductions",
    description="Members and stewards: the introductions they are part of or proposed. "
    "Coordinators: every introduction of the network. Newest first.",
)
def introductions_list(
    request: HttpRequest, slug: str, filters: Query[IntroductionFilters], paging: Query[PageIn]
) -> dict[str, Any]:
    access = network_access(request, slug, Capability.VIEW_OWN_EGO, _denied("own"))
    rows = selectors.introductions_for_viewer(access=access, status=filters.status or "")
    # One privacy rule for lists and single reads (introduction_view); the names of the third
    # people the reasons mention are looked up once for the page.
    page = paginate(rows, paging, lambda row: row)
    views = selectors.introduction_views(access=access, introductions=page["items"])
    page["items"] = [
        introduction_out(access, row, view) for row, view in zip(page["items"], views, strict=True)
    ]
    return page


@router.post(
    "/networks/{slug}/introductions",
    response=responses({201: IntroductionOut}, 400, 401, 403, 404, 409),
    operation_id="introductions_create",
    summary="Propose an introduction (double opt-in)",
    description="Members propose an introduction of themselves to another member (`person_a_id` "
    "defaults to the caller) and have said yes by asking; coordinators may introduce any two "
    "members. Whoever still has to answer is asked by email. 409 when the pair is already "
    "introduced or waiting, was declined before, or someone asked not to be introduced.",
)
def introductions_create(request: HttpRequest, slug: str, payload: IntroductionIn) -> Status[Any]:
    access = network_access(request, slug, Capability.VIEW_OWN_EGO, _denied("own"))
    me = _me(access)
    first = payload.person_a_id if payload.person_a_id is not None else me
    if first is None:  # a site admin without a profile of their own
        raise HttpError(400, _("person_a_id: say who the first person is."))
    if not access.can(Capability.WEAVE) and me not in (first, payload.person_b_id):
        raise PermissionDenied(_denied("propose"))
    person_a = network_person(access, first, "person_a_id", active=False)
    person_b = network_person(access, payload.person_b_id, "person_b_id", active=False)
    recommendation = None
    if payload.recommendation_id is not None:
        recommendation = (
            Recommendation.objects.filter(network=access.network, pk=payload.recommendation_id)
            .filter(person_id__in=[person_a.pk, person_b.pk])
            .first()
        )
        visible = recommendation is not None and (
            access.can(Capability.WEAVE)
            or me in (recommendation.person_id, recommendation.suggested_id)
        )
        if not visible:
            raise HttpError(
                400,
                _("recommendation_id: there is no suggestion %(id)d for these two people.")
                % {"id": payload.recommendation_id},
            )
    introduction = services.introduction_propose(
        network=access.network,
        proposed_by=access.person,
        person_a=person_a,
        person_b=person_b,
        note=payload.note,
        recommendation=recommendation,
    )
    found = selectors.introduction_for_viewer(access=access, introduction_id=introduction.pk)
    return Status(201, introduction_out(access, found))


@router.get(
    "/networks/{slug}/introductions/{introduction_id}",
    response=responses({200: IntroductionOut}, 401, 403, 404),
    operation_id="introductions_read",
    summary="Read one introduction",
    description="The two people, whoever proposed it, and coordinators; 404 for anyone else. "
    "Before both said yes, neither person sees the other's answer or address.",
)
def introductions_read(request: HttpRequest, slug: str, introduction_id: int) -> dict[str, Any]:
    access = network_access(request, slug, Capability.VIEW_OWN_EGO, _denied("own"))
    introduction = selectors.introduction_for_viewer(access=access, introduction_id=introduction_id)
    return introduction_out(access, introduction)


@router.post(
    "/networks/{slug}/introductions/{introduction_id}/answer",
    response=responses({200: IntroductionOut}, 400, 401, 403, 404, 409),
    operation_id="introductions_answer",
    summary="Say yes or no to an introduction",
    description="Only the two people being introduced. Two yeses make the introduction (each "
    "gets the other's address, and a tie of kind `introduced` is recorded); one no closes it. "
    "Answering the same way twice changes nothing; changing an answer, or answering a closed "
    "introduction, is a 409.",
)
def introductions_answer(
    request: HttpRequest, slug: str, introduction_id: int, payload: IntroductionAnswerIn
) -> dict[str, Any]:
    access = network_access(request, slug, Capability.VIEW_OWN_EGO, _denied("own"))
    introduction = selectors.introduction_for_viewer(access=access, introduction_id=introduction_id)
    if access.person is None or introduction.side_of(access.person.pk) is None:
        raise PermissionDenied(_denied("answer"))
    services.introduction_answer(
        introduction=introduction, person=access.person, accept=payload.accept
    )
    found = selectors.introduction_for_viewer(access=access, introduction_id=introduction.pk)
    return introduction_out(access, found)


@router.post(
    "/networks/{slug}/introductions/{introduction_id}/outcome",
    response=responses({200: IntroductionOut}, 400, 401, 403, 404, 409),
    operation_id="introductions_outcome",
    summary="Record what came of an introduction",
    description="One of the two people, or a coordinator, once both said yes (409 before). "
    "`collaborated` records a tie of kind `collaborates` between them.",
)
def introductions_outcome(
    request: HttpRequest, slug: str, introduction_id: int, payload: IntroductionOutcomeIn
) -> dict[str, Any]:
    access = network_access(request, slug, Capability.VIEW_OWN_EGO, _denied("own"))
    introduction = selectors.introduction_for_viewer(access=access, introduction_id=introduction_id)
    if introduction.side_of(_me(access)) is None and not access.can(Capability.WEAVE):
        raise PermissionDenied(_denied("outcome"))
    services.introduction_record_outcome(
        introduction=introduction, outcome=payload.outcome, by=access.person, note=payload.note
    )
    found = selectors.introduction_for_viewer(access=access, introduction_id=introduction.pk)
    return introduction_out(access, found)


@router.post(
    "/networks/{slug}/introductions/{introduction_id}/withdraw",
    response=responses({200: IntroductionOut}, 401, 403, 404, 409),
    operation_id="introductions_withdraw",
    summary="Withdraw an introduction still waiting for answers",
    description="Whoever proposed it, or a coordinator. Whoever was asked is told it will not go "
    "ahead, not who answered what. Withdrawing twice changes nothing; an introduction already "
    "decided is a 409.",
)
def introductions_withdraw(request: HttpRequest, slug: str, introduction_id: int) -> dict[str, Any]:
    access = network_access(request, slug, Capability.VIEW_OWN_EGO, _denied("own"))
    introduction = selectors.introduction_for_viewer(access=access, introduction_id=introduction_id)
    proposer = _me(access) is not None and introduction.proposed_by_id == _me(access)
    if not (proposer or access.can(Capability.WEAVE)):
        raise PermissionDenied(_denied("withdraw"))
    services.introduction_withdraw(introduction=introduction)
    found = selectors.introduction_for_viewer(access=access, introduction_id=introduction.pk)
    return introduction_out(access, found)


# --- the report ----------------------------------------------------------------------------------


@router.get(
    "/networks/{slug}/weaving/report",
    response=responses({200: WeavingReportOut}, 401, 403, 404),
    operation_id="weaving_report",
    summary="The weaving report: introductions and what they changed",
    description="Coordinators only. Introductions proposed, accepted and that led to "
    "collaboration, month by month and by proposer, and how the network's figures changed "
    "between consecutive snapshots.",
)
def weaving_report(request: HttpRequest, slug: str) -> dict[str, Any]:
    access = network_access(request, slug, Capability.WEAVE, _denied("report"))
    return selectors.weaving_report(access=access)
