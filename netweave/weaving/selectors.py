"""Reads of the weaving app: suggestions for a member or for the board, introductions a viewer
may see, the weaving report. Every function takes the viewer's `Access` and enforces the
permission table: a member sees their own, a coordinator (Capability.WEAVE) sees the network's."""

from __future__ import annotations

import itertools
from collections import Counter
from datetime import date
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.db.models.fields.json import KeyTransform
from django.http import Http404

from netweave.networks.permissions import Access, Capability
from netweave.people.models import Affiliation, Person
from netweave.ties.map_data import map_people
from netweave.ties.models import Snapshot
from netweave.weaving.emails import names_seen_by
from netweave.weaving.models import Goal, Introduction, Recommendation, RecommendationRun
from netweave.weaving.reasons import Reader, people_in, reason_texts


def _people_prefetch(prefix: str) -> Prefetch:
    return Prefetch(
        f"{prefix}__affiliations",
        queryset=Affiliation.objects.select_related("organization").order_by(
            "-is_primary", "organization__name"
        ),
    )


def latest_run(*, network: Any) -> RecommendationRun | None:
    return RecommendationRun.objects.filter(network=network).order_by("-created_at", "-id").first()


def recommendations_for_member(
    *, access: Access, person: Person | None = None, limit: int | None = None
) -> list[Recommendation]:
    """The open suggestions for the viewer (or, for a coordinator, for `person`), best first,
    each with `.reason_list` worded for its reader."""
    access.require(Capability.VIEW_OWN_EGO)
    if person is not None and (access.person is None or person.pk != access.person.pk):
        access.require(Capability.WEAVE)
    who = person or access.person
    if who is None:
        return []
    rows = (
        Recommendation.objects.filter(
            network=access.network, person=who, status=Recommendation.Status.OPEN
        )
        .select_related("suggested", "person")
        .prefetch_related(_people_prefetch("suggested"))
        .order_by("-score", "id")
    )
    found = list(rows[:limit] if limit else rows)
    reader: Reader = (
        "source" if access.person is not None and who.pk == access.person.pk else "coordinator"
    )
    worded(access=access, recommendations=found, reader=reader)
    return found


def recommendation_for_viewer(*, access: Access, recommendation_id: int) -> Recommendation:
    """A suggestion for the viewer, or any of the network's for a coordinator; a 404 for any
    other (its existence is not told)."""
    rows = Recommendation.objects.filter(network=access.network, pk=recommendation_id)
    if not access.can(Capability.WEAVE):
        rows = rows.filter(person=access.person) if access.person is not None else rows.none()
    recommendation = rows.select_related("person", "suggested").first()
    if recommendation is None:
        raise Http404
    return recommendation


def recommendations_for_board(
    *, access: Access, goal: str = "", query: str = ""
) -> QuerySet[Recommendation]:
    """Every open suggestion of the network, each pair once, best first; narrowed to the pairs
    that serve `goal` (a `Goal`) and to people whose name contains `query`."""
    access.require(Capability.WEAVE)
    rows = Recommendation.objects.filter(
        network=access.network, status=Recommendation.Status.OPEN, is_mirror=False
    )
    if goal:
        if goal not in Goal.values:
            raise ValueError(goal)
        rows = rows.filter(goals__contains=f",{goal},")
    query = (query or "").strip()
    if query:
        rows = rows.filter(Q(person__name__icontains=query) | Q(suggested__name__icontains=query))
    return (
        rows.select_related("person", "suggested")
        .prefetch_related(_people_prefetch("person"), _people_prefetch("suggested"))
        .order_by("-score", "id")
    )


def goal_counts(*, access: Access) -> dict[str, int]:
    """How many board pairs serve each goal, "" for all of them (one query, counted by the
    database)."""
    access.require(Capability.WEAVE)
    counts = Recommendation.objects.filter(
        network=access.network, status=Recommendation.Status.OPEN, is_mirror=False
    ).aggregate(
        total=Count("id"),
        **{
            f"goal_{goal}": Count("id", filter=Q(goals__contains=f",{goal},"))
            for goal in Goal.values
        },
    )
    return {"": counts["total"]} | {goal: counts[f"goal_{goal}"] for goal in Goal.values}


def worded(
    *, access: Access, recommendations: list[Recommendation], reader: Reader
) -> list[Recommendation]:
    """Set `.reason_list` on each suggestion: its reasons for `reader`, naming third people only
    as the viewer may see them on the map (anonymous otherwise)."""
    names = _names_on_map(access, [item.details for item in recommendations])
    for item in recommendations:
        item.reason_list = reason_texts(  # type: ignore[attr-defined]
            item.details,
            reader=reader,
            source=item.person.name,
            target=item.suggested.name,
            names=names,
        )
    return recommendations


def _names_on_map(access: Access | None, details: list[list[dict[str, Any]]]) -> dict[int, str]:
    """The third people these reasons mention, named as the viewer may see them on the map
    ("" when not named)."""
    ids = people_in(details)
    if not ids or access is None:
        return {}
    people = map_people(access=access, person_ids=ids)
    return {pk: (p.name if p.named else "") for pk, p in people.items()}


def introductions_for_viewer(*, access: Access, status: str = "") -> QuerySet[Introduction]:
    """Introductions the viewer may see: a coordinator's network-wide, a member's own (as one of
    the two or as the proposer), newest first."""
    access.require(Capability.VIEW_OWN_EGO)
    rows = Introduction.objects.filter(network=access.network)
    if not access.can(Capability.WEAVE):
        me = access.person.pk if access.person is not None else -1
        rows = rows.filter(Q(person_a_id=me) | Q(person_b_id=me) | Q(proposed_by_id=me))
    if status:
        rows = rows.filter(status=status)
    return rows.select_related("person_a", "person_b", "proposed_by").order_by("-created_at", "-id")


def introduction_for_viewer(*, access: Access, introduction_id: int) -> Introduction:
    """One introduction the viewer may see; a 404 for any other (its existence is not told)."""
    introduction = introductions_for_viewer(access=access).filter(pk=introduction_id).first()
    if introduction is None:
        raise Http404
    return introduction


def introduction_view(
    *, access: Access | None, introduction: Introduction, side: str | None
) -> dict[str, Any]:
    """What one viewer is shown of an introduction. `side` is the viewer's ("a", "b") or None
    (a coordinator or the proposer). Before both say yes, neither person learns the other's
    answer or address; after, both see each other's address."""
    if side is not None:
        me = introduction.person_a if side == "a" else introduction.person_b
        names = names_seen_by(me, people_in([introduction.details]))
    else:
        names = _names_on_map(access, [introduction.details])
    return _introduction_view(access, introduction, side, names)


def introduction_views(
    *, access: Access, introductions: list[Introduction]
) -> list[dict[str, Any]]:
    """`introduction_view` of each of a page of introductions for the viewer of `access`, the
    third people its reasons name looked up once for the page rather than once per row."""
    me = access.person.pk if access.person is not None else None
    sides = [item.side_of(me) for item in introductions]
    own = [item.details for item, side in zip(introductions, sides, strict=True) if side]
    others = [item.details for item, side in zip(introductions, sides, strict=True) if not side]
    # The viewer is one of the two in `own`: names as that person sees them (as in the emails).
    own_names = names_seen_by(access.person, people_in(own)) if access.person else {}
    other_names = _names_on_map(access, others)
    return [
        _introduction_view(access, item, side, own_names if side else other_names)
        for item, side in zip(introductions, sides, strict=True)
    ]


def _introduction_view(
    access: Access | None, introduction: Introduction, side: str | None, names: dict[int, str]
) -> dict[str, Any]:
    made = introduction.status == Introduction.Status.ACCEPTED
    other = introduction.other(side) if side else None
    reader: Reader = "coordinator" if side is None else ("source" if side == "a" else "target")
    reasons = reason_texts(
        introduction.details,
        reader=reader,
        source=introduction.person_a.name,
        target=introduction.person_b.name,
        names=names,
    )
    weaver = access is not None and access.can(Capability.WEAVE)
    proposer = (
        access is not None
        and access.person is not None
        and introduction.proposed_by_id == access.person.pk
    )
    return {
        "introduction": introduction,
        "side": side,
        "other": other,
        "reasons": reasons,
        "made": made,
        "my_answer": introduction.answer_of(side) if side else None,
        "can_answer": side is not None
        and introduction.status == Introduction.Status.PROPOSED
        and introduction.answer_of(side) == Introduction.Answer.PENDING,
        "can_record_outcome": made and (side is not None or weaver),
        "can_withdraw": introduction.status == Introduction.Status.PROPOSED
        and (proposer or weaver),
        "other_email": other.email if (made and other is not None) else "",  # type: ignore[attr-defined]
        "answers_visible": side is None,
    }


# --- the weaving report --------------------------------------------------------------------------


def _month(value: Any) -> str:
    return f"{value.year:04d}-{value.month:02d}"


def weaving_report(*, access: Access, today: date | None = None) -> dict[str, Any]:
    """Introductions proposed, accepted and that led to collaboration; month by month; by
    proposer; and what changed in the network's figures between consecutive snapshots."""
    access.require(Capability.WEAVE)
    network = access.network
    intros = list(
        Introduction.objects.filter(network=network)
        .select_related("proposed_by")
        .only(
            "id",
            "status",
            "outcome",
            "created_at",
            "decided_at",
            "outcome_at",
            "person_a_id",
            "person_b_id",
            "proposed_by__name",
            "proposed_by_id",
        )
    )
    by_status = Counter(item.status for item in intros)
    by_outcome = Counter(
        item.outcome for item in intros if item.status == Introduction.Status.ACCEPTED
    )
    accepted = by_status.get(Introduction.Status.ACCEPTED, 0)
    answered = (
        accepted
        + by_status.get(Introduction.Status.DECLINED, 0)
        + by_status.get(Introduction.Status.EXPIRED, 0)
    )
    with_outcome = sum(count for outcome, count in by_outcome.items() if outcome)
    collaborated = by_outcome.get(Introduction.Outcome.COLLABORATED, 0)
    totals = {
        "proposed": len(intros),
        "waiting": by_status.get(Introduction.Status.PROPOSED, 0),
        "accepted": accepted,
        "declined": by_status.get(Introduction.Status.DECLINED, 0),
        "expired": by_status.get(Introduction.Status.EXPIRED, 0),
        "withdrawn": by_status.get(Introduction.Status.WITHDRAWN, 0),
        "collaborated": collaborated,
        "in_touch": by_outcome.get(Introduction.Outcome.IN_TOUCH, 0),
        "no_contact": by_outcome.get(Introduction.Outcome.NO_CONTACT, 0),
        "outcome_unknown": accepted - with_outcome,
        "acceptance_rate": round(accepted / answered, 3) if answered else None,
        "collaboration_rate": round(collaborated / with_outcome, 3) if with_outcome else None,
    }
    months: dict[str, dict[str, Any]] = {}

    def bump(when: Any, key: str) -> None:
        if when is None:
            return
        month = _month(when)
        months.setdefault(month, {"month": month, "proposed": 0, "accepted": 0, "collaborated": 0})[
            key
        ] += 1

    proposers: dict[str, dict[str, Any]] = {}
    for item in intros:
        bump(item.created_at, "proposed")
        if item.status == Introduction.Status.ACCEPTED:
            bump(item.decided_at, "accepted")
            if item.outcome == Introduction.Outcome.COLLABORATED:
                bump(item.outcome_at or item.decided_at, "collaborated")
        if item.proposed_by_id is None:
            key = ""
        elif item.proposed_by_id in (item.person_a_id, item.person_b_id):
            key = "member"
        else:
            key = item.proposed_by.name  # type: ignore[union-attr]
        row = proposers.setdefault(key, {"proposed": 0, "accepted": 0, "collaborated": 0})
        row["proposed"] += 1
        row["accepted"] += item.status == Introduction.Status.ACCEPTED
        row["collaborated"] += item.outcome == Introduction.Outcome.COLLABORATED
    activity = [months[key] for key in sorted(months)]
    return {
        "totals": totals,
        "activity": _fill_months(activity),
        "proposers": [
            {"proposer": key, **value}
            for key, value in sorted(proposers.items(), key=lambda kv: -kv[1]["proposed"])
        ],
        "snapshots": snapshot_effects(access=access, introductions=intros),
    }


def _fill_months(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Every month from the first to the last, empty ones included, so the chart's time axis is
    even."""
    if not rows:
        return []
    found = {row["month"]: row for row in rows}
    year, month = (int(part) for part in rows[0]["month"].split("-"))
    last = rows[-1]["month"]
    filled = []
    while True:
        key = f"{year:04d}-{month:02d}"
        filled.append(
            found.get(key, {"month": key, "proposed": 0, "accepted": 0, "collaborated": 0})
        )
        if key >= last:
            return filled
        month += 1
        if month > 12:
            year, month = year + 1, 1


FIGURES = ("density", "transitivity", "average_clustering", "components", "average_path_length")


def snapshot_effects(*, access: Access, introductions: list[Introduction]) -> list[dict[str, Any]]:
    """For each pair of consecutive finished snapshots: the introductions made in between, the
    change of the network's figures, and how many of the pairs introduced before the later
    snapshot are tied in it by something more than the introduction (e.g. a survey answer)."""
    # The report holds every member's metrics: the database reads out the few figures shown.
    snapshots = list(
        Snapshot.objects.filter(network=access.network, status=Snapshot.Status.DONE)
        .defer("layout", "report")
        .annotate(**{f"figure_{key}": KeyTransform(key, "report") for key in FIGURES})
        .order_by("taken_at", "id")
    )
    made = [
        item
        for item in introductions
        if item.status == Introduction.Status.ACCEPTED and item.decided_at is not None
    ]
    rows = []
    for before, after in itertools.pairwise(snapshots):
        between = [item for item in made if before.taken_at < item.decided_at <= after.taken_at]  # type: ignore[operator]
        earlier = [item for item in made if item.decided_at <= after.taken_at]  # type: ignore[operator]
        kinds = _pair_kinds(after)
        lasting = sum(
            1
            for item in earlier
            if kinds.get(_pair(item.person_a_id, item.person_b_id), set()) - {"introduced"}
        )
        figures = []
        for key in FIGURES:
            old = getattr(before, f"figure_{key}")
            new = getattr(after, f"figure_{key}")
            figures.append(
                {
                    "key": key,
                    "before": old,
                    "after": new,
                    "change": (new - old)
                    if isinstance(old, int | float) and isinstance(new, int | float)
                    else None,
                }
            )
        rows.append(
            {
                "before": {
                    "id": before.pk,
                    "label": before.label,
                    "date": before.taken_at.date().isoformat(),
                },
                "after": {
                    "id": after.pk,
                    "label": after.label,
                    "date": after.taken_at.date().isoformat(),
                },
                "introductions": len(between),
                "introduced_so_far": len(earlier),
                "tied_beyond_introduction": lasting,
                "ties_before": before.edge_count,
                "ties_after": after.edge_count,
                "ties_change": after.edge_count - before.edge_count,
                "figures": figures,
            }
        )
    return rows


def _pair(a: int, b: int) -> tuple[int, int]:
    return (a, b) if a < b else (b, a)


def _pair_kinds(snapshot: Snapshot) -> dict[tuple[int, int], set[str]]:
    graph = snapshot.graph or {}
    info = graph.get("edge_info") or []
    kinds: dict[tuple[int, int], set[str]] = {}
    for at, edge in enumerate(graph.get("edges") or []):
        pair = _pair(int(edge[0]), int(edge[1]))
        kinds[pair] = set(info[at]["kinds"]) if at < len(info) else {"unknown"}
    return kinds


def introductions_awaiting(*, network: Any, person: Person | None) -> list[Introduction]:
    """Introductions waiting for `person`'s answer (for the network's home page), oldest first."""
    if person is None:
        return []
    rows = Introduction.objects.filter(network=network, status=Introduction.Status.PROPOSED).filter(
        Q(person_a=person, a_answer=Introduction.Answer.PENDING)
        | Q(person_b=person, b_answer=Introduction.Answer.PENDING)
    )
    return list(rows.select_related("person_a", "person_b").order_by("created_at", "id")[:20])
