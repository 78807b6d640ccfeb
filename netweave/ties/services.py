"""Every write to ties and snapshots: coordinators' ties, observed ties, and snapshots.

- `tie_add` / `tie_update` / `tie_end`: ties entered or edited by a coordinator (or an import).
  Both people must be active members of the network; a tie from someone to themself is refused.
  Nothing is deleted: a tie that ends gets `ended_at`, so snapshots taken before keep it.
- `tie_observe`: the one entry point for ties the platform observes (co-attending an event,
  co-authoring a document, an accepted introduction). It is idempotent per network, evidence,
  unordered pair and kind: observing the same thing twice changes nothing.
- `snapshot_take` creates a PENDING snapshot and computes it in the background
  (`tasks.compute_snapshot` → `snapshot_compute`).

What a snapshot freezes: the live ties (not ended, observed at or before `taken_at`, optionally
only some kinds or provenances) between *active* members. A snapshot is an undirected graph of
members: several ties between the same two people (two kinds, both directions, a survey tie and
a manual one) become one edge whose weight is the **sum** of their weights, so "knows" +
"collaborates" weighs 2 where "knows" alone weighs 1. Members without ties are kept as isolates.
`edge_info` (one entry per edge, in the same order) keeps what the merge would lose: the kinds of
the ties merged into the edge and the first and last days they were observed (local dates, ISO),
so the map can filter by kind and time window. Snapshots frozen before it have no `edge_info`.
"""

from __future__ import annotations

import logging
import math
import random
from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from netweave.networks.models import Network
from netweave.people.models import Affiliation, Membership, Person
from netweave.ties.models import Snapshot, Tie

__all__ = [
    "TieError",
    "snapshot_compute",
    "snapshot_graph",
    "snapshot_take",
    "tie_add",
    "tie_end",
    "tie_observe",
    "tie_update",
]

logger = logging.getLogger(__name__)

# Fields a coordinator may change on an existing tie (the two people and the network never change:
# end the tie and add another).
UPDATABLE_FIELDS = (
    "kind",
    "weight",
    "directed",
    "observed_at",
    "window_start",
    "window_end",
    "note",
)
LAYOUT_SEED = 0


def person_marker(node: str) -> str:
    """How a snapshot's stored texts name a member: a marker, replaced when shown."""
    return f"[[person:{node}]]"


class TieError(Exception):
    """A tie or snapshot request that breaks a rule; the message says what to fix."""


# --- ties ----------------------------------------------------------------------------------------


def _check_people(network: Network, source: Person, target: Person) -> None:
    if source.pk == target.pk:
        raise TieError(
            _("A tie links two different people; %(name)s was given twice.") % {"name": source.name}
        )
    active = set(
        Membership.objects.filter(
            network=network,
            person_id__in=[source.pk, target.pk],
            status=Membership.Status.ACTIVE,
        ).values_list("person_id", flat=True)
    )
    for person in (source, target):
        if person.pk not in active:
            raise TieError(
                _("%(name)s is not an active member of %(network)s; only members can have ties.")
                % {"name": person.name, "network": network.name}
            )


def _check_values(
    *,
    kind: str,
    weight: float,
    provenance: str | None = None,
    window_start: date | None = None,
    window_end: date | None = None,
    observed_at: datetime | None = None,
) -> None:
    if kind not in Tie.Kind.values:
        raise TieError(
            _("“%(kind)s” is not a kind of tie; use one of: %(kinds)s.")
            % {"kind": kind, "kinds": ", ".join(Tie.Kind.values)}
        )
    if provenance is not None and provenance not in Tie.Provenance.values:
        raise TieError(
            _("“%(value)s” is not a provenance; use one of: %(values)s.")
            % {"value": provenance, "values": ", ".join(Tie.Provenance.values)}
        )
    if isinstance(weight, bool) or not isinstance(weight, int | float) or not math.isfinite(weight):
        raise TieError(_("A tie's weight must be a number."))
    if weight <= 0:
        raise TieError(_("A tie's weight must be greater than 0 (end the tie instead)."))
    if window_start and window_end and window_end < window_start:
        raise TieError(_("The tie's period ends before it starts."))
    if observed_at is not None and timezone.is_naive(observed_at):
        raise TieError(_("The observation time needs a time zone."))


@transaction.atomic
def tie_add(
    *,
    network: Network,
    source: Person,
    target: Person,
    kind: str,
    weight: float = 1.0,
    directed: bool = False,
    provenance: str = Tie.Provenance.MANUAL,
    observed_at: datetime | None = None,
    window_start: date | None = None,
    window_end: date | None = None,
    note: str = "",
    created_by: Person | None = None,
    wave: Any = None,
    evidence: str = "",
) -> Tie:
    """Add a tie between two active members of `network`."""
    _check_values(
        kind=kind,
        weight=weight,
        provenance=provenance,
        window_start=window_start,
        window_end=window_end,
        observed_at=observed_at,
    )
    _check_people(network, source, target)
    now = timezone.now()
    return Tie.objects.create(
        network=network,
        source=source,
        target=target,
        kind=kind,
        weight=float(weight),
        directed=bool(directed),
        provenance=provenance,
        observed_at=observed_at or now,
        window_start=window_start,
        window_end=window_end,
        wave=wave,
        evidence=evidence[:120],
        note=note,
        created_by=created_by,
        created_at=now,
    )


@transaction.atomic
def tie_update(*, tie: Tie, **fields: Any) -> Tie:
    """Change some of a tie's `UPDATABLE_FIELDS`; only the fields given change."""
    unknown = sorted(set(fields) - set(UPDATABLE_FIELDS))
    if unknown:
        raise TieError(
            _("These cannot be changed on a tie: %(fields)s. End the tie and add another.")
            % {"fields": ", ".join(unknown)}
        )
    if tie.ended_at is not None:
        raise TieError(_("This tie has ended; add a new tie instead of changing it."))
    merged = {name: getattr(tie, name) for name in UPDATABLE_FIELDS} | fields
    _check_values(
        kind=merged["kind"],
        weight=merged["weight"],
        window_start=merged["window_start"],
        window_end=merged["window_end"],
        observed_at=merged["observed_at"],
    )
    changed = [name for name, value in fields.items() if getattr(tie, name) != value]
    if not changed:
        return tie
    for name in changed:
        setattr(tie, name, fields[name])
    if "weight" in changed:
        tie.weight = float(tie.weight)
    tie.save(update_fields=[*changed, "updated_at"])
    return tie


def tie_end(*, tie: Tie, ended_at: datetime | None = None) -> Tie:
    """End a tie (idempotent: an ended tie keeps its first end date). Nothing is deleted."""
    if tie.ended_at is None:
        tie.ended_at = ended_at or timezone.now()
        tie.save(update_fields=["ended_at", "updated_at"])
    return tie


@transaction.atomic
def tie_observe(
    *,
    network: Network,
    source: Person,
    target: Person,
    kind: str,
    evidence: str,
    observed_at: datetime | None = None,
    weight: float = 1.0,
) -> Tie:
    """Record a tie the platform observed, e.g. `evidence="event:12"` for two co-attendees.

    Idempotent per (network, evidence, unordered pair, kind): the second call with the same
    evidence returns the tie of the first and changes nothing, even if it ended since."""
    evidence = (evidence or "").strip()
    if not evidence:
        raise TieError(_("An observed tie needs its evidence (what produced it, e.g. event:12)."))
    if len(evidence) > 120:
        raise TieError(_("The evidence is at most 120 characters."))
    existing = (
        Tie.objects.select_for_update()
        .filter(network=network, evidence=evidence, kind=kind)
        .filter(
            Q(source_id=source.pk, target_id=target.pk)
            | Q(source_id=target.pk, target_id=source.pk)
        )
        .order_by("id")
        .first()
    )
    if existing is not None:
        return existing
    return tie_add(
        network=network,
        source=source,
        target=target,
        kind=kind,
        weight=weight,
        provenance=Tie.Provenance.OBSERVED,
        observed_at=observed_at,
        evidence=evidence,
    )


# --- snapshots -----------------------------------------------------------------------------------


def _clean_tie_filter(tie_filter: dict[str, Any] | None) -> dict[str, list[str]]:
    cleaned: dict[str, list[str]] = {}
    for key, allowed in (("kinds", Tie.Kind.values), ("provenances", Tie.Provenance.values)):
        values = list((tie_filter or {}).get(key) or [])
        unknown = [value for value in values if value not in allowed]
        if unknown:
            raise TieError(
                _("Unknown %(what)s: %(values)s; use some of: %(allowed)s.")
                % {
                    "what": key,
                    "values": ", ".join(map(str, unknown)),
                    "allowed": ", ".join(allowed),
                }
            )
        if values:
            cleaned[key] = sorted(set(values))
    extra = sorted(set(tie_filter or {}) - {"kinds", "provenances"})
    if extra:
        raise TieError(
            _("A snapshot filters ties by kinds and provenances only, not by %(keys)s.")
            % {"keys": ", ".join(extra)}
        )
    return cleaned


def snapshot_take(
    *,
    network: Network,
    label: str,
    source: str = Snapshot.Source.MANUAL,
    wave: Any = None,
    created_by: Person | None = None,
    tie_filter: dict[str, Any] | None = None,
    taken_at: datetime | None = None,
) -> Snapshot:
    """Freeze the network now: a PENDING snapshot computed in the background once committed."""
    label = (label or "").strip()
    if not label:
        raise TieError(_("Give the snapshot a label, e.g. “Before the spring convening”."))
    if source not in Snapshot.Source.values:
        raise TieError(_("Unknown snapshot source “%(source)s”.") % {"source": source})
    cleaned = _clean_tie_filter(tie_filter)
    snapshot = Snapshot.objects.create(
        network=network,
        label=label[:200],
        source=source,
        wave=wave,
        created_by=created_by,
        tie_filter=cleaned,
        taken_at=taken_at or timezone.now(),
    )
    snapshot_id = snapshot.pk
    transaction.on_commit(lambda: _enqueue_compute(snapshot_id))
    return snapshot


def _enqueue_compute(snapshot_id: int) -> None:
    from netweave.ties.tasks import compute_snapshot

    compute_snapshot.enqueue(snapshot_id)


def snapshot_graph(
    *, network: Network, taken_at: datetime, tie_filter: dict[str, Any] | None = None
) -> dict[str, Any]:
    """The graph a snapshot freezes (see the module docstring), as stored in `Snapshot.graph`.

    Three queries whatever the size: active members, their organizations, the live ties."""
    members = list(
        Membership.objects.filter(network=network, status=Membership.Status.ACTIVE)
        .order_by("person_id")
        .values_list("person_id", "role", "tier", "person__country")
    )
    member_ids = {person_id for person_id, *_rest in members}
    organizations: dict[int, tuple[str, str]] = {}
    affiliations = (
        Affiliation.objects.filter(
            person__memberships__network=network,
            person__memberships__status=Membership.Status.ACTIVE,
        )
        .order_by("person_id", "-is_primary", "organization__name")
        .values_list("person_id", "organization__name", "organization__kind")
    )
    for person_id, name, kind in affiliations:
        organizations.setdefault(person_id, (name, kind))
    nodes = []
    for person_id, role, tier, country in members:
        organization, org_kind = organizations.get(person_id, ("", ""))
        nodes.append(
            {
                "id": person_id,
                "organization": organization,
                "org_kind": org_kind,
                "country": str(country or ""),
                "role": role,
                "tier": tier,
            }
        )
    # Live at `taken_at`: a tie ended since (e.g. by a later survey wave) still counts, so
    # recomputing an old snapshot gives the graph it had.
    ties = Tie.objects.filter(network=network, observed_at__lte=taken_at).filter(
        Q(ended_at__isnull=True) | Q(ended_at__gt=taken_at)
    )
    if tie_filter and tie_filter.get("kinds"):
        ties = ties.filter(kind__in=tie_filter["kinds"])
    if tie_filter and tie_filter.get("provenances"):
        ties = ties.filter(provenance__in=tie_filter["provenances"])
    weights: dict[tuple[int, int], float] = {}
    kinds: dict[tuple[int, int], set[str]] = {}
    spans: dict[tuple[int, int], tuple[date, date]] = {}
    rows = ties.values_list("source_id", "target_id", "weight", "kind", "observed_at")
    for source, target, weight, kind, observed_at in rows.iterator(chunk_size=5000):
        if source == target or source not in member_ids or target not in member_ids:
            continue
        pair = (source, target) if source < target else (target, source)
        weights[pair] = weights.get(pair, 0.0) + float(weight)
        kinds.setdefault(pair, set()).add(kind)
        day = timezone.localdate(observed_at)
        first, last = spans.get(pair, (day, day))
        spans[pair] = (min(first, day), max(last, day))
    pairs = sorted(weights)
    edges = [[s, t, weights[(s, t)]] for s, t in pairs]
    # Alongside `edges` (same order), not inside them: every reader of [s, t, w] (the analysis,
    # the exports, the API) keeps working, and snapshots frozen before have no "edge_info".
    edge_info = [
        {
            "kinds": sorted(kinds[pair]),
            "first": spans[pair][0].isoformat(),
            "last": spans[pair][1].isoformat(),
        }
        for pair in pairs
    ]
    return {"nodes": nodes, "edges": edges, "edge_info": edge_info, "directed": False}


def _iterations(n: int) -> int:
    """Fruchterman-Reingold rounds: 500 (igraph's default) up to 1,000 members, then fewer so
    that a layout of 5,000 members (100 rounds) takes a few seconds, not a minute."""
    return 500 if n <= 1000 else max(60, 500_000 // n)


def _layout(graph: Any) -> dict[str, list[float]]:
    """Map positions in [0, 1] (aspect ratio kept), seeded so the same graph lays out the same.

    Fruchterman-Reingold, with igraph's grid approximation above 1,000 members."""
    import numpy as np

    n = graph.number_of_nodes()
    if n == 0:
        return {}
    if n == 1:
        return {str(graph.nodes[0]): [0.5, 0.5]}
    ig = graph.to_igraph()
    rng = np.random.default_rng(LAYOUT_SEED)
    start = rng.uniform(-1, 1, size=(n, 2)).tolist()
    # igraph draws its random numbers from Python's `random`: seed it for this layout only.
    state = random.getstate()
    random.seed(LAYOUT_SEED)
    try:
        layout = ig.layout_fruchterman_reingold(seed=start, niter=_iterations(n), grid=n > 1000)
    finally:
        random.setstate(state)
    coords = np.asarray(layout.coords, dtype=float)
    low = coords.min(axis=0)
    span = float((coords.max(axis=0) - low).max()) or 1.0
    scaled = (coords - low) / span
    # Centre the shorter side so the map is not pushed against one edge.
    scaled += (1.0 - scaled.max(axis=0)) / 2
    return {
        str(node): [round(float(x), 5), round(float(y), 5)]
        for node, (x, y) in zip(graph.nodes, scaled.tolist(), strict=True)
    }


def _json_safe(value: Any) -> Any:
    """JSON has no NaN: a figure that is undefined (assortativity of an empty network) is null."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {key: _json_safe(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_json_safe(item) for item in value]
    return value


def snapshot_compute(*, snapshot_id: int) -> Snapshot:
    """Compute a snapshot (what the task runs). A DONE snapshot is returned as it is; a pending,
    running (a retry after a crash) or failed one is computed again from scratch."""
    from netweave.analysis import Graph, network_report

    snapshot = Snapshot.objects.select_related("network").get(pk=snapshot_id)
    if snapshot.status == Snapshot.Status.DONE:
        return snapshot

    def progress(step: str, index: int) -> None:
        snapshot.report = {"progress": {"step": step, "index": index, "steps": 9}}
        snapshot.save(update_fields=["report"])

    snapshot.status = Snapshot.Status.RUNNING
    snapshot.error = ""
    snapshot.report = {"progress": {"step": "graph", "index": 0, "steps": 9}}
    snapshot.save(update_fields=["status", "error", "report"])
    try:
        frozen = snapshot_graph(
            network=snapshot.network, taken_at=snapshot.taken_at, tie_filter=snapshot.tie_filter
        )
        graph = Graph.from_edges(
            [tuple(edge[:3]) for edge in frozen["edges"]],
            nodes={node["id"]: {} for node in frozen["nodes"]},
            name=snapshot.network.slug,
        )
        steps = iter(range(1, 8))
        report = network_report(
            graph,
            workers=1,
            progress=lambda step: progress(step, next(steps, 7)),
            # People are named at read time, by consent (map_data.stage_for_viewer).
            name_format=person_marker,
        )
        progress("layout", 8)
        layout = _layout(graph)
    except Exception as error:  # a failed snapshot says why instead of staying "running"
        logger.exception("Snapshot %s failed", snapshot.pk)
        snapshot.status = Snapshot.Status.FAILED
        snapshot.error = f"{type(error).__name__}: {error}"[:2000]
        snapshot.report = {}
        snapshot.finished_at = timezone.now()
        snapshot.save(update_fields=["status", "error", "report", "finished_at"])
        return snapshot
    snapshot.graph = frozen
    snapshot.report = _json_safe(report)
    snapshot.layout = layout
    snapshot.node_count = report["nodes"]
    snapshot.edge_count = report["edges"]
    snapshot.density = snapshot.report["density"]
    snapshot.stage = str(report["stage"]["name"])[:20]
    snapshot.status = Snapshot.Status.DONE
    snapshot.finished_at = timezone.now()
    snapshot.save(
        update_fields=[
            "graph",
            "report",
            "layout",
            "node_count",
            "edge_count",
            "density",
            "stage",
            "status",
            "finished_at",
        ]
    )
    return snapshot
