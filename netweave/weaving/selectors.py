"""Reads of the weaving app: suggestions for a member or for the board, introductions a viewer
may see, the weaving report. Every function takes the viewer's `Access` and enforces the
permission table: a member sees their own, a coordinator (Capability.WEAVE) sees the network's."""

from __future__ import annotations

import itertools
from collections import Counter
from datetime import date
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from netweave.networks.permissions import Access, Capability
from netweave.people.models import Affiliation, Person
from netweave.ties.map_data import anonymous_label, map_people
from netweave.ties.models import Snapshot
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
    """How many board pairs serve each goal (one query)."""
    access.require(Capability.WEAVE)
    counts: Counter[str] = Counter()
    rows = Recommendation.objects.filter(
        network=access.network, status=Recommendation.Status.OPEN, is_mirror=False
    ).values_list("goals", flat=True)
    total = 0
    for goals in rows.iterator(chunk_size=5000):
        total += 1
        for goal in goals.split(","):
            if goal:
                counts[goal] += 1
    return {"": total} | {goal: counts.get(goal, 0) for goal in Goal.values}


def worded(
    *, access: Access, recommendations: list[Recommendation], reader: Reader
) -> list[Recommendation]:
    """Set `.reason_list` on each suggestion: its reasons for `reader`, naming third people only
    as the viewer may see them on the map (anonymous otherwise)."""
    ids = people_in(item.details for item in recommendations)
    people = map_people(access=access, person_ids=ids) if ids else {}
    names = {pk: (p.name if p.named else "") for pk, p in people.items()}
    for item in recommendations:
        item.reason_list = reason_texts(  # type: ignore[attr-defined]
            item.details,
            reader=reader,
            source=item.person.name,
            target=item.suggested.name,
            names=names,
        )
    return recommendations


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
    made = introduction.status == Introduction.Status.ACCEPTED
    other = introduction.other(side) if side else None
    if side is not None:
        names: dict[int, str] = {}
        ids = people_in([introduction.details])
        if ids:
            me = introduction.person_a if side == "a" else introduction.person_b
            from netweave.weaving.emails import names_seen_by

            names = names_seen_by(me, ids)
        reader: Reader = "source" if side == "a" else "target"
    else:
        ids = people_in([introduction.details])
        people = map_people(access=access, person_ids=ids) if (ids and access) else {}
        names = {pk: (p.name if p.named else "") for pk, p in people.items()}
        reader = "coordinator"
    reasons = reason_texts(
        introduction.details,
        reader=reader,
        source=introduction.person_a.name,
        target=introduction.person_b.name,
        names=names,
    )
    view: dict[str, Any] = {
        "introduction": introduction,
        "side": side,
        "other": other,
        "reasons": reasons,
        "made": made,
        "my_answer": introduction.answer_of(side) if side else None,
        "can_answer": side is not None
        and introduction.status == Introduction.Status.PROPOSED
        and introduction.answer_of(side) == Introduction.Answer.PENDING,
        "can_record_outcome": made
        and (side is not None or (access is not None and access.can(Capability.WEAVE))),
        "other_email": other.email if (made and other is not None) else "",  # type: ignore[attr-defined]
        "answers_visible": side is None,
    }
    return view


def anonymous() -> str:
    return anonymous_label()


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
    snapshots = list(
        Snapshot.objects.filter(network=access.network, status=Snapshot.Status.DONE)
        .defer("layout")
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
            old = (before.report or {}).get(key)
            new = (after.report or {}).get(key)
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
