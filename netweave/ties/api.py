"""API v1: a network's ties (coordinators) and snapshots (figures for members, everything for
coordinators). Mounted by netweave/api/api.py as `api.add_router("", ties_router)` with
`from netweave.ties.api import router as ties_router`.

Errors follow netweave/api/errors.py: a tie request that breaks a rule (`TieError`: not a
member, a tie to oneself, a bad kind or weight) is a 400 with `{"error": "..."}`."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.responses import Status
from pydantic import field_validator

from netweave.api.auth import network_access, network_person
from netweave.api.errors import responses
from netweave.api.pagination import Page, PageIn, paginate
from netweave.api.schemas import BodyIn, PatchIn
from netweave.networks.permissions import Access, Capability
from netweave.ties import selectors
from netweave.ties.models import Snapshot, Tie
from netweave.ties.services import TieError, snapshot_take, tie_add, tie_end, tie_update

router = Router(tags=["ties"])

# Literal copies of the model choices keep the OpenAPI document explicit; a test checks them.
TieKindName = Literal[
    "knows", "shares_information", "collaborates", "advice", "funds", "introduced",
    "co_attended", "co_authored", "other",
]  # fmt: skip
ProvenanceName = Literal["survey", "observed", "manual", "imported"]
SnapshotStatusName = Literal["pending", "running", "done", "failed"]
SnapshotSourceName = Literal["wave", "manual", "scheduled"]
# Whole-network figures a member may read (no per-member lists: who is a hub or a broker is for
# the map, where consent applies).
SUMMARY_FIGURES = (
    "nodes",
    "edges",
    "directed",
    "density",
    "components",
    "largest_component",
    "connectedness",
    "isolates",
    "average_degree",
    "degree_centralization",
    "transitivity",
    "average_clustering",
    "average_path_length",
    "diameter",
    "degree_assortativity",
    "exact",
)


def _denied(key: str) -> str:
    return {
        "raw": _("Only coordinators can see and change the network's ties."),
        "map": _("Only members of this network can see its snapshots."),
    }[key]


# --- schemas -------------------------------------------------------------------------------------


class PersonRefOut(Schema):
    id: int
    name: str


class TieOut(Schema):
    id: int
    source: PersonRefOut
    target: PersonRefOut
    kind: TieKindName
    weight: float
    directed: bool
    provenance: ProvenanceName
    observed_at: datetime
    window_start: date | None
    window_end: date | None
    note: str
    evidence: str
    ended_at: datetime | None
    created_at: datetime


class TiePage(Page[TieOut]):
    pass


class TieFiltersIn(Schema):
    kind: TieKindName | None = None
    provenance: ProvenanceName | None = None
    person: int | None = Field(None, description="Ties of this person (id), either end.")
    state: Literal["active", "ended", "all"] = Field(
        "active", description="Live ties (default), ended ties, or both."
    )


class TieIn(BodyIn):
    source: int = Field(..., description="A person id; an active member of the network.")
    target: int = Field(..., description="A person id; an active member of the network.")
    kind: TieKindName = "knows"
    weight: float = Field(1.0, gt=0)
    directed: bool = False
    observed_at: datetime | None = Field(None, description="When it was observed (default now).")
    window_start: date | None = None
    window_end: date | None = None
    note: str = Field("", max_length=5_000)

    @field_validator("observed_at")
    @classmethod
    def _aware(cls, value: datetime | None) -> datetime | None:
        if value is not None and value.tzinfo is None:
            raise ValueError(_("give a time zone, e.g. 2025-03-01T10:00:00Z."))
        return value


class TiePatchIn(PatchIn):
    nullable = frozenset({"window_start", "window_end"})

    kind: TieKindName | None = None
    weight: float | None = Field(None, gt=0)
    directed: bool | None = None
    observed_at: datetime | None = None
    window_start: date | None = None
    window_end: date | None = None
    note: str | None = Field(None, max_length=5_000)


class SnapshotOut(Schema):
    id: int
    label: str
    taken_at: datetime
    source: SnapshotSourceName
    status: SnapshotStatusName
    node_count: int
    edge_count: int
    density: float | None
    stage: str
    finished_at: datetime | None


class SnapshotPage(Page[SnapshotOut]):
    pass


class SnapshotDetailOut(SnapshotOut):
    figures: dict[str, Any] = Field(
        ..., description="Whole-network figures and the structure stage (every viewer)."
    )
    tie_filter: dict[str, Any] | None = Field(None, description="Coordinators only.")
    error: str | None = Field(None, description="Why it failed; coordinators only.")
    report: dict[str, Any] | None = Field(
        None, description="The full analysis report with node metrics; coordinators only."
    )
    graph: dict[str, Any] | None = Field(
        None, description="The frozen graph (person ids, attributes, edges); coordinators only."
    )


class SnapshotIn(BodyIn):
    label: str = Field(..., min_length=1, max_length=200)
    kinds: list[TieKindName] = Field(
        default_factory=list, description="Only these kinds of tie (all when empty)."
    )
    provenances: list[ProvenanceName] = Field(
        default_factory=list, description="Only ties of these provenances (all when empty)."
    )


# --- output builders -----------------------------------------------------------------------------


def tie_out(tie: Tie) -> dict[str, Any]:
    return {
        "id": tie.pk,
        "source": {"id": tie.source.pk, "name": tie.source.name},
        "target": {"id": tie.target.pk, "name": tie.target.name},
        "kind": tie.kind,
        "weight": tie.weight,
        "directed": tie.directed,
        "provenance": tie.provenance,
        "observed_at": tie.observed_at,
        "window_start": tie.window_start,
        "window_end": tie.window_end,
        "note": tie.note,
        "evidence": tie.evidence,
        "ended_at": tie.ended_at,
        "created_at": tie.created_at,
    }


def snapshot_out(snapshot: Snapshot) -> dict[str, Any]:
    return {
        "id": snapshot.pk,
        "label": snapshot.label,
        "taken_at": snapshot.taken_at,
        "source": snapshot.source,
        "status": snapshot.status,
        "node_count": snapshot.node_count,
        "edge_count": snapshot.edge_count,
        "density": snapshot.density,
        "stage": snapshot.stage,
        "finished_at": snapshot.finished_at,
    }


def snapshot_detail_out(snapshot: Snapshot, access: Access) -> dict[str, Any]:
    report = snapshot.report if snapshot.status == Snapshot.Status.DONE else {}
    figures = {key: report[key] for key in SUMMARY_FIGURES if key in report}
    if report:
        figures["communities"] = {
            "count": report["communities"]["count"],
            "modularity": report["communities"]["modularity"],
        }
        stage = report.get("stage", {})
        figures["stage"] = {"name": stage.get("name"), "label": stage.get("label")}
    out = {**snapshot_out(snapshot), "figures": figures}
    if access.can(Capability.VIEW_RAW):
        out.update(
            tie_filter=snapshot.tie_filter,
            error=snapshot.error,
            report=report or None,
            graph=snapshot.graph or None,
        )
    return out


# --- ties ----------------------------------------------------------------------------------------


@router.get(
    "/networks/{slug}/ties",
    response=responses({200: TiePage}, 400, 401, 403, 404),
    operation_id="ties_list",
    summary="List the network's ties",
    description="Coordinators only. Newest observation first; filter by kind, provenance, person "
    "and state (live ties by default).",
)
def ties_list(
    request: HttpRequest, slug: str, filters: Query[TieFiltersIn], paging: Query[PageIn]
) -> dict[str, Any]:
    access = network_access(request, slug, Capability.VIEW_RAW, _denied("raw"))
    ties = selectors.ties_for_coordinator(
        access=access,
        filters=selectors.TieFilters(
            kind=filters.kind or "",
            provenance=filters.provenance or "",
            person=filters.person,
            state=filters.state,
        ),
    )
    return paginate(ties, paging, tie_out)


@router.post(
    "/networks/{slug}/ties",
    response=responses({201: TieOut}, 400, 401, 403, 404),
    operation_id="ties_create",
    summary="Add a tie between two members",
    description="Coordinators only. Both people must be active members; provenance `manual`.",
)
def ties_create(request: HttpRequest, slug: str, payload: TieIn) -> Status[Any]:
    access = network_access(request, slug, Capability.VIEW_RAW, _denied("raw"))
    source = network_person(access, payload.source, "source")
    target = network_person(access, payload.target, "target")
    fields = payload.model_dump(exclude={"source", "target"})
    try:
        tie = tie_add(
            network=access.network,
            source=source,
            target=target,
            created_by=access.person,
            **fields,
        )
    except TieError as error:
        raise HttpError(400, str(error)) from None
    return Status(201, tie_out(tie))


@router.patch(
    "/networks/{slug}/ties/{tie_id}",
    response=responses({200: TieOut}, 400, 401, 403, 404, 409),
    operation_id="ties_update",
    summary="Change a tie",
    description="Coordinators only. Send only the fields to change; the two people never change "
    "(end the tie and add another). An ended tie cannot change (409).",
)
def ties_update(request: HttpRequest, slug: str, tie_id: int, payload: TiePatchIn) -> Any:
    access = network_access(request, slug, Capability.VIEW_RAW, _denied("raw"))
    tie = selectors.tie_for_coordinator(access=access, tie_id=tie_id)
    if tie.ended_at is not None:
        raise HttpError(409, _("This tie has ended; add a new tie instead of changing it."))
    try:
        tie = tie_update(tie=tie, **payload.model_dump(exclude_unset=True))
    except TieError as error:
        raise HttpError(400, str(error)) from None
    return tie_out(tie)


@router.post(
    "/networks/{slug}/ties/{tie_id}/end",
    response=responses({200: TieOut}, 401, 403, 404),
    operation_id="ties_end",
    summary="End a tie",
    description="Coordinators only. The tie is kept (with `ended_at`) for earlier snapshots; "
    "ending it again changes nothing.",
)
def ties_end(request: HttpRequest, slug: str, tie_id: int) -> Any:
    access = network_access(request, slug, Capability.VIEW_RAW, _denied("raw"))
    tie = selectors.tie_for_coordinator(access=access, tie_id=tie_id)
    return tie_out(tie_end(tie=tie))


# --- snapshots -----------------------------------------------------------------------------------


@router.get(
    "/networks/{slug}/snapshots",
    response=responses({200: SnapshotPage}, 400, 401, 403, 404),
    operation_id="snapshots_list",
    summary="List the network's snapshots",
    description="Members and up see finished snapshots; coordinators also pending and failed "
    "ones. Newest first.",
)
def snapshots_list(request: HttpRequest, slug: str, paging: Query[PageIn]) -> dict[str, Any]:
    access = network_access(request, slug, Capability.VIEW_MAP, _denied("map"))
    return paginate(selectors.snapshots_for_network(access=access), paging, snapshot_out)


@router.get(
    "/networks/{slug}/snapshots/{snapshot_id}",
    response=responses({200: SnapshotDetailOut}, 401, 403, 404),
    operation_id="snapshots_read",
    summary="Read a snapshot's figures",
    description="Members and up: the whole-network figures and the stage. Coordinators: also "
    "the full report with node metrics and the frozen graph.",
)
def snapshots_read(request: HttpRequest, slug: str, snapshot_id: int) -> dict[str, Any]:
    access = network_access(request, slug, Capability.VIEW_MAP, _denied("map"))
    snapshot = selectors.snapshot_for_viewer(access=access, snapshot_id=snapshot_id)
    return snapshot_detail_out(snapshot, access)


class MapQuery(Schema):
    colour: Literal["community", "org_kind", "country", "role", "tier"] = "community"
    size: Literal["degree", "betweenness", "coreness"] = "degree"


@router.get(
    "/networks/{slug}/snapshots/{snapshot_id}/map",
    response=responses({200: dict[str, Any]}, 400, 401, 403, 404),
    operation_id="snapshots_map",
    summary="The graph for the map",
    description="Nodes with their layout position, colour group, size and figures, and edges by "
    "node number, as the map draws them. Names follow map consent: only coordinators see the "
    "names of members who chose to be anonymous; node numbers are opaque, never person ids.",
)
def snapshots_map(
    request: HttpRequest, slug: str, snapshot_id: int, query: Query[MapQuery]
) -> dict[str, Any]:
    from netweave.ties.map_data import map_payload

    access = network_access(request, slug, Capability.VIEW_MAP, _denied("map"))
    snapshot = selectors.snapshot_for_viewer(access=access, snapshot_id=snapshot_id)
    if snapshot.status != Snapshot.Status.DONE:
        raise HttpError(404, _("This snapshot is not computed yet; try again in a moment."))
    return map_payload(access=access, snapshot=snapshot, colour_by=query.colour, size_by=query.size)


@router.post(
    "/networks/{slug}/snapshots",
    response=responses({202: SnapshotOut}, 400, 401, 403, 404),
    operation_id="snapshots_take",
    summary="Take a snapshot now",
    description="Coordinators only. The snapshot is created `pending` and computed in the "
    "background; poll GET /networks/{slug}/snapshots/{id} until `status` is `done`.",
)
def snapshots_take(request: HttpRequest, slug: str, payload: SnapshotIn) -> Status[Any]:
    access = network_access(request, slug, Capability.VIEW_RAW, _denied("raw"))
    tie_filter: dict[str, list[str]] = {}
    if payload.kinds:
        tie_filter["kinds"] = list(payload.kinds)
    if payload.provenances:
        tie_filter["provenances"] = list(payload.provenances)
    try:
        snapshot = snapshot_take(
            network=access.network,
            label=payload.label,
            created_by=access.person,
            tie_filter=tie_filter or None,
        )
    except TieError as error:
        raise HttpError(400, str(error)) from None
    return Status(202, snapshot_out(snapshot))
