"""Every read of ties and snapshots, scoped to one network and to what the viewer may see.

Raw ties are for coordinators (Capability.VIEW_RAW); a snapshot's figures are for members
(VIEW_MAP: the summary) and coordinators (everything); a member's own ties and their neighbours'
ties among themselves are the ego network (VIEW_OWN_EGO), with names shown by consent.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from netweave.networks.permissions import Access, Capability
from netweave.people.models import Membership, Person
from netweave.ties.models import Snapshot, Tie

__all__ = [
    "TieFilters",
    "ego_network",
    "latest_done_snapshot",
    "snapshot_for_viewer",
    "snapshots_for_network",
    "tie_for_coordinator",
    "ties_for_coordinator",
]


@dataclass
class TieFilters:
    """What a coordinator narrows the tie list by; every field optional."""

    kind: str = ""
    provenance: str = ""
    person: int | None = None
    state: str = "active"  # "active", "ended" or "all"


def ties_for_coordinator(*, access: Access, filters: TieFilters | None = None) -> QuerySet[Tie]:
    """The network's ties, newest observation first, with both people loaded (one query)."""
    access.require(Capability.VIEW_RAW)
    filters = filters or TieFilters()
    ties = Tie.objects.filter(network=access.network)
    if filters.kind:
        ties = ties.filter(kind=filters.kind)
    if filters.provenance:
        ties = ties.filter(provenance=filters.provenance)
    if filters.person:
        ties = ties.filter(Q(source_id=filters.person) | Q(target_id=filters.person))
    if filters.state == "active":
        ties = ties.filter(ended_at__isnull=True)
    elif filters.state == "ended":
        ties = ties.filter(ended_at__isnull=False)
    return ties.select_related("source", "target").order_by("-observed_at", "-id")


def tie_for_coordinator(*, access: Access, tie_id: int) -> Tie:
    access.require(Capability.VIEW_RAW)
    tie = (
        Tie.objects.filter(network=access.network, pk=tie_id)
        .select_related("source", "target")
        .first()
    )
    if tie is None:
        raise Http404
    return tie


def snapshots_for_network(*, access: Access) -> QuerySet[Snapshot]:
    """Every snapshot, newest first, without the heavy JSON (graph, report, layout)."""
    access.require(Capability.VIEW_MAP)
    snapshots = Snapshot.objects.filter(network=access.network).defer("graph", "report", "layout")
    if not access.can(Capability.VIEW_RAW):
        snapshots = snapshots.filter(status=Snapshot.Status.DONE)
    return snapshots.select_related("wave", "created_by").order_by("-taken_at", "-id")


def snapshot_for_viewer(*, access: Access, snapshot_id: int) -> Snapshot:
    """One snapshot of the network; members only see finished ones."""
    access.require(Capability.VIEW_MAP)
    snapshots = Snapshot.objects.filter(network=access.network, pk=snapshot_id)
    if not access.can(Capability.VIEW_RAW):
        snapshots = snapshots.filter(status=Snapshot.Status.DONE)
    snapshot = snapshots.select_related("network").first()
    if snapshot is None:
        raise Http404
    return snapshot


def latest_done_snapshot(*, access: Access) -> Snapshot | None:
    access.require(Capability.VIEW_MAP)
    return (
        Snapshot.objects.filter(network=access.network, status=Snapshot.Status.DONE)
        .order_by("-taken_at", "-id")
        .first()
    )


@dataclass
class EgoNetwork:
    """A member's connections: `people` by id ({"id", "name", "named", "is_you"}), `ties` as
    [source, target, kind, weight] among them (the member's own and their neighbours')."""

    person_id: int
    people: dict[int, dict[str, Any]] = field(default_factory=dict)
    ties: list[list[Any]] = field(default_factory=list)

    @property
    def neighbours(self) -> list[dict[str, Any]]:
        return [p for p in self.people.values() if not p["is_you"]]


def ego_network(*, access: Access, person: Person | None = None) -> EgoNetwork:
    """The viewer's own ego network (coordinators may ask for anyone's): live ties between active
    members. Neighbours who did not consent to the map are unnamed, except for coordinators."""
    access.require(Capability.VIEW_OWN_EGO)
    if person is None or (access.person is not None and person.pk == access.person.pk):
        person = access.person
    elif not access.can(Capability.VIEW_RAW):
        raise PermissionDenied
    if person is None:
        raise Http404
    live = Tie.objects.filter(network=access.network, ended_at__isnull=True)
    own = list(
        live.filter(Q(source_id=person.pk) | Q(target_id=person.pk)).values_list(
            "source_id", "target_id", "kind", "weight"
        )
    )
    candidates = {person.pk} | {s for s, *_r in own} | {t for _s, t, *_r in own}
    active = set(
        Membership.objects.filter(
            network=access.network, status=Membership.Status.ACTIVE, person_id__in=candidates
        ).values_list("person_id", flat=True)
    )
    if person.pk not in active:
        raise Http404
    neighbours: set[int] = set()
    ties: list[list[Any]] = []
    for source, target, kind, weight in own:
        other = target if source == person.pk else source
        if other in active:
            neighbours.add(other)
            ties.append([source, target, kind, weight])
    if neighbours:
        among = live.filter(source_id__in=neighbours, target_id__in=neighbours).values_list(
            "source_id", "target_id", "kind", "weight"
        )
        ties += [list(row) for row in among]
    sees_all = access.can(Capability.VIEW_MAP_ALL_NAMES)
    ego = EgoNetwork(person_id=person.pk, ties=ties)
    for pk, name, consent in Person.objects.filter(pk__in=neighbours | {person.pk}).values_list(
        "pk", "name", "map_consent"
    ):
        named = pk == person.pk or sees_all or consent == Person.MapConsent.NAMED
        ego.people[pk] = {
            "id": pk,
            "name": name if named else "",
            "named": named,
            "is_you": pk == person.pk,
        }
    return ego
