"""What the network map and the health page read from a snapshot, with names only where allowed.

Names follow design.md section 5: coordinators (Capability.VIEW_MAP_ALL_NAMES) see every name;
stewards and members see the names of people whose `Person.map_consent` is "named", and their own
("a member who did not consent appears as an anonymous node to everyone but coordinators").
Everyone else on the map is "Anonymous member": no name, no organization name, no person id. Nodes
are numbered by an opaque index per snapshot (a keyed hash of the snapshot and the person, so the
index says nothing about the person id or the order people joined in); edges use that index.
An anonymous node keeps what the map colours by (community, organization kind, country, structural
role, tier) and its figures, but never its organization's name.

The health page's lists (isolates, periphery, brokers, single points of failure, hubs) and the
comparison's lists (joined, left, moved into or out of the core) follow the same rules: shown to
every member, with the names a member may see on the map and "Anonymous member" for the rest.
What coordinators see in addition is the advice column ("what you might do").
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django_countries import countries

from netweave.networks.models import Network
from netweave.networks.permissions import Access, Capability
from netweave.people.models import Membership, Organization, Person
from netweave.ties.models import Snapshot, Tie

COLOUR_BY = ("community", "org_kind", "country", "role", "tier")
SIZE_BY = ("degree", "betweenness", "coreness")
# Smallest and largest node radius on the map, in sigma's pixels.
MIN_SIZE = 3.0
MAX_SIZE = 14.0


class MapInputError(ValueError):
    """A map request asked for something that does not exist (the message says what to fix)."""


def colour_by_labels() -> dict[str, str]:
    return {
        "community": _("Community"),
        "org_kind": _("Organization kind"),
        "country": _("Country"),
        "role": _("Role in the structure"),
        "tier": _("Tier"),
    }


def size_by_labels() -> dict[str, str]:
    return {
        "degree": _("Number of ties (degree)"),
        "betweenness": _("Brokerage (betweenness)"),
        "coreness": _("Depth in the core (coreness)"),
    }


def structural_role_labels() -> dict[str, str]:
    return {
        "core": _("Core"),
        "periphery": _("Periphery"),
        "bridge": _("Bridge between communities"),
        "hub": _("Hub"),
        "isolate": _("Isolate (no tie)"),
    }


# --- which snapshots a viewer may pick ---------------------------------------------------------


def snapshots_for_map(*, network: Network) -> QuerySet[Snapshot]:
    """The network's computed snapshots, newest first, without their heavy JSON columns."""
    return (
        Snapshot.objects.filter(network=network, status=Snapshot.Status.DONE)
        .defer("graph", "report", "layout")
        .order_by("-taken_at", "-id")
    )


def snapshot_for_map(*, network: Network, snapshot_id: str | int | None) -> Snapshot | None:
    """The snapshot asked for (an id), or the latest when none is asked for; None when the
    network has no computed snapshot yet. Raises MapInputError for an id that is not one of this
    network's computed snapshots."""
    snapshots = Snapshot.objects.filter(network=network, status=Snapshot.Status.DONE)
    if snapshot_id in (None, ""):
        return snapshots.order_by("-taken_at", "-id").first()
    try:
        wanted = int(snapshot_id)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise MapInputError(_("The snapshot must be given by its number.")) from None
    snapshot = snapshots.filter(pk=wanted).first()
    if snapshot is None:
        raise MapInputError(_("This network has no computed snapshot with that number."))
    return snapshot


# --- who may be named --------------------------------------------------------------------------


@dataclass(frozen=True)
class MapPerson:
    name: str
    organization: str
    named: bool  # the viewer may see this person's name and id


def map_people(*, access: Access, person_ids: Iterable[int]) -> dict[int, MapPerson]:
    """Each person's name and primary organization as the viewer may see them (two queries)."""
    ids = {int(i) for i in person_ids}
    all_names = access.can(Capability.VIEW_MAP_ALL_NAMES)
    me = access.person.pk if access.person is not None else None
    rows = Person.objects.filter(memberships__network=access.network).values_list(
        "id", "name", "map_consent"
    )
    few = len(ids) <= 500  # a few names (reasons, lists): look up only those
    if few:
        rows = rows.filter(pk__in=ids)
    people: dict[int, MapPerson] = {}
    named_ids: list[int] = []
    for person_id, name, consent in rows:
        if person_id not in ids:
            continue
        named = all_names or person_id == me or consent == Person.MapConsent.NAMED
        people[person_id] = MapPerson(name=name if named else "", organization="", named=named)
        if named:
            named_ids.append(person_id)
    if named_ids:
        organizations: dict[int, str] = {}
        # One filter() call: a second one would join the affiliations a second time.
        wanted: dict[str, Any] = {"affiliations__person__memberships__network": access.network}
        if few:
            wanted["affiliations__person_id__in"] = named_ids
        affiliations = (
            Organization.objects.filter(**wanted)
            .values_list("affiliations__person_id", "name", "affiliations__is_primary")
            .order_by("affiliations__person_id", "-affiliations__is_primary", "name")
        )
        named_set = set(named_ids)
        for person_id, organization, _primary in affiliations:
            if person_id in named_set and person_id not in organizations:
                organizations[person_id] = organization
        for person_id in named_ids:
            people[person_id] = MapPerson(
                name=people[person_id].name,
                organization=organizations.get(person_id, ""),
                named=True,
            )
    return people


def anonymous_label() -> str:
    return _("Anonymous member")


PERSON_MARKER = re.compile(r"\[\[person:(\d+)\]\]")


def stage_for_viewer(*, access: Access, stage: dict[str, Any]) -> dict[str, Any]:
    """The stage with the members its reasons name written as the viewer may see them: a name,
    or "an anonymous member" (snapshots store markers, never names; see person_marker)."""
    reasons = [str(reason) for reason in stage.get("reasons") or []]
    ids = {int(found) for reason in reasons for found in PERSON_MARKER.findall(reason)}
    if not ids:
        return stage
    people = map_people(access=access, person_ids=ids)

    def label(match: re.Match[str]) -> str:
        person = people.get(int(match.group(1)))
        return person.name if person is not None and person.named else _("an anonymous member")

    return {**stage, "reasons": [PERSON_MARKER.sub(label, reason) for reason in reasons]}


# --- the payload -------------------------------------------------------------------------------


def opaque_order(*, snapshot: Snapshot, person_ids: list[Any]) -> list[Any]:
    """The snapshot's people in an order that reveals nothing about their ids: sorted by a keyed
    hash of (snapshot, person). Stable for one snapshot, different from one snapshot to the next."""
    key = f"{settings.SECRET_KEY}:map:{snapshot.pk}".encode()

    def digest(person_id: Any) -> bytes:
        return hmac.new(key, str(person_id).encode(), hashlib.sha256).digest()

    return sorted(person_ids, key=digest)


def _legend_label(colour_by: str, key: str) -> str:
    if key == "":
        return _("Not known")
    if colour_by == "community":
        return _("Community %(number)s") % {"number": int(key) + 1}
    if colour_by == "org_kind":
        return str(dict(Organization.Kind.choices).get(key, key))
    if colour_by == "country":
        return str(countries.name(key) or key)
    if colour_by == "role":
        return structural_role_labels().get(key, key)
    if colour_by == "tier":
        return str(dict(Membership.Tier.choices).get(key, key))
    return key


def _colour_key(colour_by: str, attributes: dict[str, Any], metrics: dict[str, Any]) -> str:
    if colour_by == "community":
        community = metrics.get("community")
        return "" if community is None else str(community)
    if colour_by == "role":
        return str(metrics.get("role") or "")
    return str(attributes.get(colour_by) or "")


EPOCH = date(1970, 1, 1)


def _map_edges(
    graph: dict[str, Any], index: dict[Any, int]
) -> tuple[list[list[Any]], list[dict[str, Any]], dict[str, str] | None]:
    """The payload's edges, the tie kinds present and the date range (see `map_payload`).

    A snapshot frozen before edges kept their kinds and dates (no ``edge_info``) gives plain
    ``[i, j, weight]`` edges, no kinds and no range: the map then shows no filters."""
    raw_edges = graph.get("edges", [])
    info = graph.get("edge_info")
    if not isinstance(info, list) or len(info) != len(raw_edges):
        info = [None] * len(raw_edges)
    kind_keys = sorted(
        {kind for row in info if isinstance(row, dict) for kind in row.get("kinds") or []}
    )
    # The model's order of kinds (knows first), unknown ones last.
    order = {kind: i for i, kind in enumerate(Tie.Kind.values)}
    kind_keys.sort(key=lambda kind: (order.get(kind, len(order)), kind))
    kind_index = {kind: i for i, kind in enumerate(kind_keys)}
    kind_counts = Counter[str]()
    first_day: int | None = None
    last_day: int | None = None
    edges = []
    for edge, row in zip(raw_edges, info, strict=True):
        source, target = index.get(edge[0]), index.get(edge[1])
        if source is None or target is None:
            continue
        out: list[Any] = [source, target, edge[2] if len(edge) > 2 else 1]
        if isinstance(row, dict) and row.get("first") and row.get("last"):
            kinds = [kind_index[kind] for kind in row.get("kinds") or []]
            kind_counts.update(row.get("kinds") or [])
            first = (date.fromisoformat(row["first"]) - EPOCH).days
            last = (date.fromisoformat(row["last"]) - EPOCH).days
            first_day = first if first_day is None else min(first_day, first)
            last_day = last if last_day is None else max(last_day, last)
            out += [kinds, first, last]
        edges.append(out)
    labels = dict(Tie.Kind.choices)
    tie_kinds = [
        {"key": kind, "label": str(labels.get(kind, kind)), "count": kind_counts[kind]}
        for kind in kind_keys
    ]
    dates = None
    if first_day is not None and last_day is not None:
        dates = {
            "first": (EPOCH + timedelta(days=first_day)).isoformat(),
            "last": (EPOCH + timedelta(days=last_day)).isoformat(),
        }
    return edges, tie_kinds, dates


def map_payload(
    *, access: Access, snapshot: Snapshot, colour_by: str = "community", size_by: str = "degree"
) -> dict[str, Any]:
    """Everything the map draws for one snapshot, as the viewer may see it.

    ``nodes``: one dict per member, indexed by position (``i``); ``edges``: ``[i, j, weight]``,
    followed, for snapshots that kept them, by ``[kinds], first, last``: the positions of the
    edge's tie kinds in ``tie_kinds`` and the first and last days its ties were observed (days
    since 1970-01-01); ``tie_kinds``: ``{"key", "label", "count"}`` per kind present (count of
    edges); ``dates``: ``{"first", "last"}`` ISO dates of the range, or None;
    ``legend``: the colour groups, largest first (a node's ``c`` is its group's position);
    ``me``: the viewer's own node index or None."""
    if colour_by not in COLOUR_BY:
        raise MapInputError(_("Colour by one of: %(choices)s.") % {"choices": ", ".join(COLOUR_BY)})
    if size_by not in SIZE_BY:
        raise MapInputError(_("Size by one of: %(choices)s.") % {"choices": ", ".join(SIZE_BY)})
    graph = snapshot.graph or {}
    report = snapshot.report or {}
    layout = snapshot.layout or {}
    metrics_by_id: dict[str, dict[str, Any]] = report.get("node_metrics") or {}
    attributes_by_id = {node["id"]: node for node in graph.get("nodes", [])}
    order = opaque_order(snapshot=snapshot, person_ids=list(attributes_by_id))
    index = {person_id: i for i, person_id in enumerate(order)}
    people = map_people(access=access, person_ids=order)
    me = access.person.pk if access.person is not None else None

    size_values = [
        float((metrics_by_id.get(str(person_id)) or {}).get(size_by) or 0.0) for person_id in order
    ]
    largest = max(size_values, default=0.0) or 1.0
    colour_keys = []
    for person_id in order:
        colour_keys.append(
            _colour_key(
                colour_by, attributes_by_id[person_id], metrics_by_id.get(str(person_id)) or {}
            )
        )
    counts = Counter(colour_keys)
    legend_keys = sorted(counts, key=lambda key: (-counts[key], key == "", key))
    legend_position = {key: i for i, key in enumerate(legend_keys)}

    nodes = []
    for i, person_id in enumerate(order):
        attributes = attributes_by_id[person_id]
        metrics = metrics_by_id.get(str(person_id)) or {}
        person = people.get(person_id)
        named = person is not None and person.named
        x, y = layout.get(str(person_id)) or (0.5, 0.5)
        node: dict[str, Any] = {
            "i": i,
            "x": round(float(x), 5),
            "y": round(float(y), 5),
            "s": round(MIN_SIZE + (MAX_SIZE - MIN_SIZE) * size_values[i] / largest, 2),
            "c": legend_position[colour_keys[i]],
            "label": person.name if named else anonymous_label(),  # type: ignore[union-attr]
            "named": named,
            "community": metrics.get("community"),
            "org_kind": attributes.get("org_kind") or "",
            "country": attributes.get("country") or "",
            "role": metrics.get("role") or "",
            "tier": attributes.get("tier") or "",
            "degree": metrics.get("degree", 0),
            "betweenness": round(float(metrics.get("betweenness") or 0.0), 5),
            "coreness": metrics.get("coreness", 0),
        }
        if named:
            node["person"] = person_id
            node["organization"] = person.organization  # type: ignore[union-attr]
        if person_id == me:
            node["me"] = True
        nodes.append(node)

    edges, tie_kinds, dates = _map_edges(graph, index)
    return {
        "snapshot": {
            "id": snapshot.pk,
            "label": snapshot.label,
            "taken_at": snapshot.taken_at.isoformat(),
            "directed": bool(graph.get("directed", False)),
        },
        "colour_by": colour_by,
        "size_by": size_by,
        "legend": [
            {"key": key, "label": _legend_label(colour_by, key), "count": counts[key]}
            for key in legend_keys
        ],
        "tie_kinds": tie_kinds,
        "dates": dates,
        "role_labels": structural_role_labels(),
        "nodes": nodes,
        "edges": edges,
        "me": index.get(me) if me is not None else None,
    }


# --- the viewer's own connections (the map's accessible alternative) -------------------------


def ego_connections(*, access: Access, snapshot: Snapshot) -> list[dict[str, Any]]:
    """The viewer's partners in the snapshot, named by the same rules as the map, strongest first.
    Anonymous partners carry no id."""
    if access.person is None:
        return []
    me = access.person.pk
    weights: dict[Any, float] = {}
    for edge in (snapshot.graph or {}).get("edges", []):
        source, target = edge[0], edge[1]
        weight = float(edge[2]) if len(edge) > 2 else 1.0
        if source == me:
            weights[target] = weights.get(target, 0.0) + weight
        elif target == me:
            weights[source] = weights.get(source, 0.0) + weight
    people = map_people(access=access, person_ids=weights)
    metrics_by_id = (snapshot.report or {}).get("node_metrics") or {}
    rows = []
    for person_id, weight in weights.items():
        person = people.get(person_id)
        named = person is not None and person.named
        metrics = metrics_by_id.get(str(person_id)) or {}
        rows.append(
            {
                "person": person_id if named else None,
                "name": person.name if named else anonymous_label(),  # type: ignore[union-attr]
                "organization": person.organization if named else "",  # type: ignore[union-attr]
                "weight": weight,
                "degree": metrics.get("degree", 0),
                "named": named,
            }
        )
    rows.sort(key=lambda row: (not row["named"], -row["weight"], row["name"]))
    return rows


# --- the health page ---------------------------------------------------------------------------


def figure_explanations() -> list[dict[str, str]]:
    """The key figures of the health page: report key, name, what it means, what to do."""
    return [
        {
            "key": "density",
            "name": _("Density"),
            "meaning": _("The share of all possible ties between members that exist."),
            "action": _(
                "Low in a large network is normal; to raise it, weave: introduce members with "
                "complementary work and run small convenings."
            ),
        },
        {
            "key": "components",
            "name": _("Separate groups (components)"),
            "meaning": _("Groups of members with no path of ties between them."),
            "action": _(
                "More than one group means information cannot flow across the network: "
                "introduce someone in each small group to a well-connected member."
            ),
        },
        {
            "key": "isolates",
            "name": _("Isolates"),
            "meaning": _("Members with no tie to anyone on the map."),
            "action": _(
                "Call them, pair each one with a welcoming member, or check whether they "
                "answered the relationship survey."
            ),
        },
        {
            "key": "average_clustering",
            "name": _("Clustering"),
            "meaning": _("How often two partners of a member are also partners of each other."),
            "action": _(
                "High clustering means tight circles that trust each other but may repeat the "
                "same ideas: connect circles through their bridges."
            ),
        },
        {
            "key": "average_path_length",
            "name": _("Average path length"),
            "meaning": _("How many steps, on average, separate two members of the largest group."),
            "action": _(
                "Above three or four steps news travels slowly: ties across communities "
                "shorten it most."
            ),
        },
        {
            "key": "degree_centralization",
            "name": _("Centralization"),
            "meaning": _("How much the ties concentrate on a few members (0 even, 1 a star)."),
            "action": _(
                "A high value makes the network depend on its hubs: encourage members to "
                "connect directly instead of through the coordinator."
            ),
        },
        {
            "key": "modularity",
            "name": _("Modularity"),
            "meaning": _(
                "How clearly the network splits into communities (above 0.4 is a clear split)."
            ),
            "action": _(
                "Clear communities are healthy if they are linked: give their brokers a role, "
                "run cross-community working groups."
            ),
        },
        {
            "key": "core_correlation",
            "name": _("Core/periphery fit"),
            "meaning": _(
                "How closely the network looks like a dense core with a looser periphery "
                "(1 is a perfect fit)."
            ),
            "action": _(
                "A good fit is the mature shape: keep the core open, and give peripheral "
                "members easy ways in."
            ),
        },
        {
            "key": "reciprocity",
            "name": _("Reciprocity"),
            "meaning": _("The share of ties that are returned (only for directed ties)."),
            "action": _(
                "Low reciprocity means one-way relationships: ask what members get back, and "
                "create occasions for exchange."
            ),
        },
    ]


def key_figures(report: dict[str, Any]) -> list[dict[str, Any]]:
    """The figures of the health page with their values (None where the report has none)."""
    values = {
        "modularity": (report.get("communities") or {}).get("modularity"),
        "core_correlation": (report.get("core_periphery") or {}).get("correlation"),
    }
    rows = []
    for figure in figure_explanations():
        key = figure["key"]
        value = values[key] if key in values else report.get(key)
        if key == "reciprocity" and not report.get("directed"):
            continue
        estimated = key in (report.get("estimated") or {})
        rows.append({**figure, "value": value, "estimated": estimated})
    return rows


def _names_for(access: Access, person_ids: list[Any]) -> list[dict[str, Any]]:
    people = map_people(access=access, person_ids=person_ids)
    rows = []
    for person_id in person_ids:
        person = people.get(int(person_id))
        named = person is not None and person.named
        rows.append(
            {
                "person": int(person_id) if named else None,
                "name": person.name if named else anonymous_label(),  # type: ignore[union-attr]
            }
        )
    return rows


def health_lists(*, access: Access, report: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """Isolates, peripheral members, brokers, single points of failure and hubs, each a list of
    ``{"person", "name", "detail"}`` named by the map's consent rules."""
    metrics = report.get("node_metrics") or {}
    isolates = [int(node) for node, row in metrics.items() if row.get("role") == "isolate"]
    periphery = [int(node) for node, row in metrics.items() if row.get("role") == "periphery"]
    brokers = [row["node"] for row in report.get("brokers") or []]
    failures = [row["node"] for row in report.get("single_points_of_failure") or []]
    hubs = list(report.get("hubs") or [])

    def listing(ids: list[Any], detail: Any) -> list[dict[str, Any]]:
        named = _names_for(access, ids)
        return [{**row, "detail": detail(node)} for row, node in zip(named, ids, strict=True)]

    def degree(node: Any) -> str:
        return _("%(count)s ties") % {"count": (metrics.get(str(node)) or {}).get("degree", 0)}

    broker_rows = {row["node"]: row for row in report.get("brokers") or []}
    failure_rows = {row["node"]: row for row in report.get("single_points_of_failure") or []}
    return {
        "isolates": listing(isolates, lambda node: ""),
        "periphery": listing(periphery, degree),
        "brokers": listing(
            brokers,
            lambda node: (
                _("links %(count)s communities")
                % {"count": broker_rows[node].get("communities", 0)}
            ),
        ),
        "single_points_of_failure": listing(
            failures,
            lambda node: (
                _("would cut off %(count)s members")
                % {"count": failure_rows[node].get("cuts_off", 0)}
            ),
        ),
        "hubs": listing(hubs, degree),
    }


def timeline(*, network: Network) -> list[dict[str, Any]]:
    """The figures of every computed snapshot, oldest first, for the chart. The three figures
    not denormalized on the row are read out of the report by the database: a report holds every
    member's metrics, far too much to load for each point of a chart."""
    rows = (
        Snapshot.objects.filter(network=network, status=Snapshot.Status.DONE)
        .order_by("taken_at", "id")
        .values(
            "pk",
            "label",
            "taken_at",
            "node_count",
            "edge_count",
            "density",
            "stage",
            "report__components",
            "report__communities__modularity",
            "report__stage__label",
        )
    )
    return [
        {
            "id": row["pk"],
            "label": row["label"],
            "date": row["taken_at"].date().isoformat(),
            "members": row["node_count"],
            "ties": row["edge_count"],
            "density": row["density"],
            "components": row["report__components"],
            "modularity": row["report__communities__modularity"],
            "stage": row["stage"],
            "stage_label": (
                row["stage"] if row["report__stage__label"] is None else row["report__stage__label"]
            ),
        }
        for row in rows
    ]


def snapshot_graph(snapshot: Snapshot) -> Any:
    """The snapshot's frozen graph as a netweave.analysis Graph."""
    from netweave.analysis import Graph

    graph = snapshot.graph or {}
    return Graph.from_edges(
        [tuple(edge[:3]) for edge in graph.get("edges", [])],
        nodes=[node["id"] for node in graph.get("nodes", [])],
        directed=bool(graph.get("directed", False)),
    )


def snapshot_comparison(*, access: Access, before: Snapshot, after: Snapshot) -> dict[str, Any]:
    """What changed between two snapshots (netweave.analysis.compare_snapshots), with people
    named by the map's consent rules and tie changes as counts."""
    from netweave.analysis import compare_snapshots

    change = compare_snapshots(
        snapshot_graph(before),
        snapshot_graph(after),
        before_report=before.report,
        after_report=after.report,
    )
    labels = {
        "nodes": _("Members"),
        "edges": _("Ties"),
        "density": _("Density"),
        "components": _("Separate groups (components)"),
        "isolates": _("Isolates"),
        "average_clustering": _("Clustering"),
        "average_path_length": _("Average path length"),
        "degree_centralization": _("Centralization"),
        "modularity": _("Modularity"),
        "core_size": _("Members in the core"),
    }
    rows = [
        {"key": key, "label": label, **change["figures"][key]}
        for key, label in labels.items()
        if key in change["figures"]
    ]
    return {
        "rows": rows,
        "figures": change["figures"],
        "stage": change["stage"],
        "summary": change["summary"],
        "new_ties": len(change["new_ties"]),
        "lost_ties": len(change["lost_ties"]),
        "joined": _names_for(access, change["joined"]),
        "left": _names_for(access, change["left"]),
        "moved_to_core": _names_for(access, change["moved_to_core"]),
        "moved_to_periphery": _names_for(access, change["moved_to_periphery"]),
    }
