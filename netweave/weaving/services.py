"""Every write of the weaving app goes through here: computing recommendations, dismissing them,
and the introduction's life (propose, answer, withdraw, expire, follow up, outcome).

Views, the API, tasks and the demo call these functions; they raise `WeavingError` (a message safe
to show to the person who asked) when a request breaks a rule. Emails leave after the commit, from
tasks (`netweave.weaving.tasks`), so a rolled-back change never mails anyone."""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from datetime import datetime, timedelta
from typing import Any, cast

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from netweave.analysis import Graph, recommend
from netweave.networks.models import Network
from netweave.people.models import Affiliation, Person
from netweave.surveys.services import participants
from netweave.ties.models import Tie
from netweave.ties.services import snapshot_graph, tie_observe
from netweave.weaving.models import (
    Goal,
    Introduction,
    Recommendation,
    RecommendationRun,
    goals_for,
)

NOTE_MAX = 2000


class WeavingError(Exception):
    """A weaving request that breaks a rule; its message is safe to show to the user."""


# --- recommendations ------------------------------------------------------------------------------


def recommendation_run_request(
    *, network: Network, requested_by: Person | None = None
) -> RecommendationRun:
    """Queue a computation of the network's recommendations, unless one is already queued or
    running (that one is returned: asking twice does not compute twice)."""
    from netweave.weaving.tasks import compute_recommendations

    with transaction.atomic():
        Network.objects.select_for_update().filter(pk=network.pk).first()
        pending = (
            RecommendationRun.objects.filter(
                network=network,
                status__in=[RecommendationRun.Status.QUEUED, RecommendationRun.Status.RUNNING],
            )
            .order_by("-created_at")
            .first()
        )
        if pending is not None:
            return pending
        run = RecommendationRun.objects.create(network=network, requested_by=requested_by)
        transaction.on_commit(lambda: compute_recommendations.enqueue(run.pk))
    return run


def recommendation_run_execute(*, run_id: int) -> RecommendationRun | None:
    """Compute the recommendations of a queued run (the task calls this). Idempotent: a run that
    is already done is left as it is."""
    run = RecommendationRun.objects.select_related("network").filter(pk=run_id).first()
    if run is None or run.status == RecommendationRun.Status.DONE:
        return run
    run.status = RecommendationRun.Status.RUNNING
    run.started_at = timezone.now()
    run.save(update_fields=["status", "started_at"])
    try:
        members, made = recommendations_compute(network=run.network)
    except Exception as error:
        run.status = RecommendationRun.Status.FAILED
        run.error = str(error)[:2000]
        run.finished_at = timezone.now()
        run.save(update_fields=["status", "error", "finished_at"])
        raise
    run.status = RecommendationRun.Status.DONE
    run.members = members
    run.recommendations = made
    run.finished_at = timezone.now()
    run.save(update_fields=["status", "members", "recommendations", "finished_at"])
    return run


def _profiles(person_ids: list[int]) -> dict[int, dict[str, Any]]:
    """What the content signals read: expertise, interests, bio, offers, seeks, organization,
    sector, country (two queries)."""
    profiles: dict[int, dict[str, Any]] = {}
    rows = Person.objects.filter(pk__in=person_ids).values_list(
        "id", "name", "expertise", "interests", "bio", "offers", "seeks", "country"
    )
    for person_id, name, expertise, interests, bio, offers, seeks, country in rows.iterator(
        chunk_size=5000
    ):
        profiles[person_id] = {
            "label": name,
            "expertise": "; ".join(str(item) for item in expertise or []),
            "interests": "; ".join(str(item) for item in interests or []),
            "bio": bio,
            "offers": offers,
            "seeks": seeks,
            "country": str(country or ""),
        }
    affiliations = (
        Affiliation.objects.filter(person_id__in=person_ids)
        .order_by("person_id", "-is_primary", "organization__name")
        .values_list("person_id", "organization__name", "organization__sector")
    )
    seen: set[int] = set()
    for person_id, organization, sector in affiliations.iterator(chunk_size=5000):
        if person_id in seen:
            continue
        seen.add(person_id)
        profiles[person_id]["organization"] = organization
        profiles[person_id]["sector"] = sector or ""
    return profiles


def _pairs_not_to_suggest(network: Network) -> list[tuple[int, int]]:
    """Dismissed suggestions and every pair that already has an introduction (in progress,
    made, declined or expired; a withdrawn one may be suggested again)."""
    pairs = list(
        Recommendation.objects.filter(network=network)
        .exclude(status=Recommendation.Status.OPEN)
        .values_list("person_id", "suggested_id")
    )
    pairs += list(
        Introduction.objects.filter(network=network)
        .exclude(status=Introduction.Status.WITHDRAWN)
        .values_list("person_a_id", "person_b_id")
    )
    return pairs


def recommendations_compute(
    *, network: Network, top: int | None = None, now: datetime | None = None
) -> tuple[int, int]:
    """Recompute the open recommendations of every member of `network` from today's ties and
    profiles. Dismissed suggestions and suggestions already turned into an introduction are kept
    as they are. Returns (members considered, open recommendations now)."""
    now = now or timezone.now()
    top = top or settings.NETWEAVE_RECOMMENDATIONS_PER_MEMBER
    joined = dict(participants(network=network).values_list("person_id", "joined_at"))
    person_ids = sorted(joined)
    members = set(person_ids)
    frozen = snapshot_graph(network=network, taken_at=now)
    edges = [
        (source, target, weight)
        for source, target, weight in frozen["edges"]
        if source in members and target in members
    ]
    profiles = _profiles(person_ids)
    graph = Graph.from_edges(edges, nodes={pid: profiles.get(pid, {}) for pid in person_ids})
    opted_out = set(
        Person.objects.filter(pk__in=person_ids, open_to_introductions=False).values_list(
            "id", flat=True
        )
    )
    made = recommend(
        graph,
        top=top,
        profiles=cast(Mapping[Hashable, Mapping[str, Any]], profiles),
        exclude=_pairs_not_to_suggest(network),
        opted_out=opted_out,
        semantic=settings.NETWEAVE_SEMANTIC_MATCHING,
    )
    fresh: dict[tuple[int, int], Any] = {}
    for items in made.values():
        for rank, item in enumerate(items, start=1):
            fresh[(cast(int, item.source), cast(int, item.target))] = (item, rank)
    # A pair serves the goals of its reasons either way, and "integrate newcomers" when one of
    # the two joined recently (the graph alone only sees members with at most one tie).
    since = now - timedelta(days=settings.NETWEAVE_NEWCOMER_DAYS)
    newcomers = {pk for pk, at in joined.items() if at is not None and at >= since}
    goals: dict[tuple[int, int], set[str]] = {}
    for (source, target), (item, _rank) in fresh.items():
        pair = (min(source, target), max(source, target))
        found = goals.setdefault(pair, set())
        found.update(goals_for(item.signals))
        if source in newcomers or target in newcomers:
            found.add(Goal.NEWCOMERS)
    with transaction.atomic():
        existing = {
            (person_id, suggested_id): (pk, status, (score, rank, details, goals, mirror))
            for pk, person_id, suggested_id, status, score, rank, details, goals, mirror in (
                Recommendation.objects.filter(network=network).values_list(
                    "pk",
                    "person_id",
                    "suggested_id",
                    "status",
                    "score",
                    "rank",
                    "details",
                    "goals",
                    "is_mirror",
                )
            )
        }
        stale = [
            pk
            for pair, (pk, status, _values) in existing.items()
            if status == Recommendation.Status.OPEN and pair not in fresh
        ]
        unchanged: list[int] = []
        Recommendation.objects.filter(pk__in=stale).delete()
        to_create: list[Recommendation] = []
        to_update: list[Recommendation] = []
        for (source, target), (item, rank) in fresh.items():
            mirror = (target, source) in fresh and (
                fresh[(target, source)][0].score,
                -target,
            ) > (item.score, -source)
            values = {
                "score": float(item.score),
                "rank": rank,
                "details": _plain(item.details),
                "goals": _goals_text(goals[(min(source, target), max(source, target))]),
                "is_mirror": mirror,
                "computed_at": now,
            }
            known = existing.get((source, target))
            if known is None:
                to_create.append(
                    Recommendation(network=network, person_id=source, suggested_id=target, **values)
                )
            elif known[1] == Recommendation.Status.OPEN:
                # Most suggestions survive a recompute as they were: touch only their date
                # (one UPDATE), and rewrite only those that changed (bulk_update is slow).
                now_values = (
                    values["score"],
                    values["rank"],
                    values["details"],
                    values["goals"],
                    values["is_mirror"],
                )
                if now_values == known[2]:
                    unchanged.append(known[0])
                else:
                    to_update.append(Recommendation(pk=known[0], **values))
        Recommendation.objects.bulk_create(to_create, batch_size=2000)
        for start in range(0, len(unchanged), 5000):
            Recommendation.objects.filter(pk__in=unchanged[start : start + 5000]).update(
                computed_at=now
            )
        Recommendation.objects.bulk_update(
            to_update,
            ["score", "rank", "details", "goals", "is_mirror", "computed_at"],
            batch_size=2000,
        )
    return len(person_ids), len(fresh)


def _plain(details: list[dict[str, Hashable]]) -> list[dict[str, Any]]:
    """Details as JSON (person ids as ints)."""
    plain: list[dict[str, Any]] = []
    for detail in details:
        item: dict[str, Any] = dict(detail)
        if "people" in item:
            item["people"] = [int(i) for i in item["people"]]  # type: ignore[call-overload]
        if "hub" in item:
            item["hub"] = int(item["hub"])  # type: ignore[call-overload]
        plain.append(item)
    return plain


def _goals_text(goals: set[str]) -> str:
    """ ",bridge,core," in the order of `Goal`, so a board filter is one LIKE on any database."""
    ordered = [goal for goal in Goal.values if goal in goals]
    return "," + ",".join(ordered) + "," if ordered else ""


def recommendation_dismiss(
    *, recommendation: Recommendation, by: Person | None, now: datetime | None = None
) -> Recommendation:
    """Never suggest this pair again (either way). Dismissing twice is harmless."""
    if recommendation.status == Recommendation.Status.INTRODUCED:
        raise WeavingError(_("An introduction was already proposed for this suggestion."))
    if recommendation.status == Recommendation.Status.DISMISSED:
        return recommendation
    recommendation.status = Recommendation.Status.DISMISSED
    recommendation.dismissed_at = now or timezone.now()
    recommendation.dismissed_by = by
    recommendation.save(update_fields=["status", "dismissed_at", "dismissed_by"])
    Recommendation.objects.filter(
        network_id=recommendation.network_id,
        person_id=recommendation.suggested_id,
        suggested_id=recommendation.person_id,
        status=Recommendation.Status.OPEN,
    ).update(status=Recommendation.Status.DISMISSED, dismissed_at=recommendation.dismissed_at)
    return recommendation


def _pair_q(a_id: int, b_id: int) -> Q:
    return Q(person_a_id=a_id, person_b_id=b_id) | Q(person_a_id=b_id, person_b_id=a_id)


def _set_pair_recommendations(network: Network, a_id: int, b_id: int, status: str) -> None:
    Recommendation.objects.filter(network=network).filter(
        Q(person_id=a_id, suggested_id=b_id) | Q(person_id=b_id, suggested_id=a_id)
    ).exclude(status=Recommendation.Status.DISMISSED).update(status=status)


# --- introductions -------------------------------------------------------------------------------


def introduction_propose(
    *,
    network: Network,
    proposed_by: Person | None,
    person_a: Person,
    person_b: Person,
    note: str = "",
    recommendation: Recommendation | None = None,
    now: datetime | None = None,
) -> Introduction:
    """Propose that `person_a` and `person_b` meet. A proposer who is one of the two has said yes
    by asking; everyone else who must answer gets an email once the proposal is saved."""
    from netweave.weaving.tasks import introduction_check, send_introduction_requests

    now = now or timezone.now()
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise WeavingError(
            _("The note is at most %(max)d characters; it has %(count)d.")
            % {"max": NOTE_MAX, "count": len(note)}
        )
    if person_a.pk == person_b.pk:
        raise WeavingError(_("An introduction needs two different people."))
    with transaction.atomic():
        Network.objects.select_for_update().filter(pk=network.pk).first()
        active = set(
            participants(network=network)
            .filter(person_id__in=[person_a.pk, person_b.pk])
            .values_list("person_id", flat=True)
        )
        for person in (person_a, person_b):
            if person.pk not in active:
                raise WeavingError(
                    _("%(name)s is not an active member of this network.") % {"name": person.name}
                )
            if not person.open_to_introductions and (
                proposed_by is None or proposed_by.pk != person.pk
            ):
                raise WeavingError(
                    _("%(name)s has asked not to be suggested for introductions.")
                    % {"name": person.name}
                )
        earlier = Introduction.objects.filter(network=network).filter(
            _pair_q(person_a.pk, person_b.pk)
        )
        if earlier.filter(status=Introduction.Status.PROPOSED).exists():
            raise WeavingError(
                _("An introduction of %(a)s and %(b)s is already waiting for answers.")
                % {"a": person_a.name, "b": person_b.name}
            )
        if earlier.filter(status=Introduction.Status.ACCEPTED).exists():
            raise WeavingError(
                _("%(a)s and %(b)s have already been introduced.")
                % {"a": person_a.name, "b": person_b.name}
            )
        if earlier.filter(status=Introduction.Status.DECLINED).exists():
            raise WeavingError(
                _(
                    "An introduction of %(a)s and %(b)s was declined before; it is not proposed "
                    "again."
                )
                % {"a": person_a.name, "b": person_b.name}
            )
        # The proposer, when one of the two, is person_a: they answered yes by asking.
        if proposed_by is not None and proposed_by.pk == person_b.pk:
            person_a, person_b = person_b, person_a
        details: list[dict[str, Any]] = []
        if recommendation is not None:
            if recommendation.network_id != network.pk or {
                recommendation.person_id,
                recommendation.suggested_id,
            } != {
                person_a.pk,
                person_b.pk,
            }:
                raise WeavingError(_("That suggestion is about two other people."))
            if recommendation.person_id == person_a.pk:
                details = list(recommendation.details or [])
            else:
                details = _turned(list(recommendation.details or []))
        introduction = Introduction(
            network=network,
            person_a=person_a,
            person_b=person_b,
            proposed_by=proposed_by,
            recommendation=recommendation,
            note=note,
            details=details,
            created_at=now,
            expires_at=now + timedelta(days=settings.NETWEAVE_INTRODUCTION_ANSWER_DAYS),
        )
        if proposed_by is not None and proposed_by.pk == person_a.pk:
            introduction.a_answer = Introduction.Answer.ACCEPTED
            introduction.a_answered_at = now
        introduction.save()
        _set_pair_recommendations(
            network, person_a.pk, person_b.pk, Recommendation.Status.INTRODUCED
        )
        transaction.on_commit(lambda: send_introduction_requests.enqueue(introduction.pk))
        transaction.on_commit(lambda: introduction_check_later(introduction, introduction_check))
    return introduction


def _turned(details: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The same reasons from the other person's point of view: only the one-sided codes change
    (offers swap; weaver, core and relief describe the first person and are dropped)."""
    swap = {"they_offer": "you_offer", "you_offer": "they_offer"}
    turned = []
    for detail in details:
        code = detail.get("code")
        if code in ("weaver", "core", "relief"):
            continue
        turned.append({**detail, "code": swap.get(str(code), code)})
    return turned


def introduction_check_later(introduction: Introduction, task: Any) -> bool:
    """Book `introduction_check` for when the introduction next needs a look (its answer
    deadline, or its follow-up), on a backend that can defer; the daily sweep covers others."""
    when = (
        introduction.expires_at
        if introduction.status == Introduction.Status.PROPOSED
        else introduction.follow_up_due_at
    )
    if when is None or not getattr(task.get_backend(), "supports_defer", False):
        return False
    task.using(run_after=when).enqueue(introduction.pk)
    return True


def introduction_answer(
    *, introduction: Introduction, person: Person, accept: bool, now: datetime | None = None
) -> Introduction:
    """`person` (one of the two) says yes or no. Two yeses make the introduction, a tie and a
    follow-up; one no closes it. Answering the same way twice is harmless."""
    from netweave.weaving.tasks import introduction_check, send_introduction_update

    now = now or timezone.now()
    with transaction.atomic():
        locked = Introduction.objects.select_for_update().get(pk=introduction.pk)
        side = locked.side_of(person.pk)
        if side is None:
            raise WeavingError(_("Only the two people being introduced can answer."))
        wanted = Introduction.Answer.ACCEPTED if accept else Introduction.Answer.DECLINED
        if locked.answer_of(side) == wanted:
            return locked
        if locked.status != Introduction.Status.PROPOSED:
            raise WeavingError(
                _("This introduction is closed: %(status)s.")
                % {"status": locked.get_status_display()}
            )
        if locked.answer_of(side) != Introduction.Answer.PENDING:
            raise WeavingError(_("You have already answered this introduction."))
        setattr(locked, f"{side}_answer", wanted)
        setattr(locked, f"{side}_answered_at", now)
        fields = [f"{side}_answer", f"{side}_answered_at"]
        if not accept:
            locked.status = Introduction.Status.DECLINED
            locked.decided_at = now
            fields += ["status", "decided_at"]
            event = "closed"
        elif locked.a_answer == locked.b_answer == Introduction.Answer.ACCEPTED:
            locked.status = Introduction.Status.ACCEPTED
            locked.decided_at = now
            locked.follow_up_due_at = now + timedelta(
                days=settings.NETWEAVE_INTRODUCTION_FOLLOW_UP_DAYS
            )
            locked.tie = tie_observe(
                network=locked.network,
                source=locked.person_a,
                target=locked.person_b,
                kind=Tie.Kind.INTRODUCED,
                evidence=f"introduction:{locked.pk}",
                observed_at=now,
            )
            fields += ["status", "decided_at", "follow_up_due_at", "tie"]
            event = "introduced"
        else:
            event = ""
        locked.save(update_fields=fields)
        if event:
            transaction.on_commit(lambda: send_introduction_update.enqueue(locked.pk, event))
        if event == "introduced":
            transaction.on_commit(lambda: introduction_check_later(locked, introduction_check))
    return locked


def introduction_withdraw(
    *, introduction: Introduction, now: datetime | None = None
) -> Introduction:
    """The proposer or a coordinator takes back an introduction nobody has finished answering.
    Nobody is told who answered what; whoever was asked is told it was withdrawn."""
    from netweave.weaving.tasks import send_introduction_update

    with transaction.atomic():
        locked = Introduction.objects.select_for_update().get(pk=introduction.pk)
        if locked.status == Introduction.Status.WITHDRAWN:
            return locked
        if locked.status != Introduction.Status.PROPOSED:
            raise WeavingError(
                _("Only an introduction still waiting for answers can be withdrawn.")
            )
        locked.status = Introduction.Status.WITHDRAWN
        locked.decided_at = now or timezone.now()
        locked.save(update_fields=["status", "decided_at"])
        _set_pair_recommendations(
            locked.network, locked.person_a_id, locked.person_b_id, Recommendation.Status.OPEN
        )
        transaction.on_commit(lambda: send_introduction_update.enqueue(locked.pk, "closed"))
    return locked


def introduction_expire(*, introduction: Introduction, now: datetime | None = None) -> bool:
    """Close an introduction whose answers did not all come in time. False when not due."""
    from netweave.weaving.tasks import send_introduction_update

    now = now or timezone.now()
    with transaction.atomic():
        locked = Introduction.objects.select_for_update().get(pk=introduction.pk)
        if locked.status != Introduction.Status.PROPOSED or locked.expires_at > now:
            return False
        locked.status = Introduction.Status.EXPIRED
        locked.decided_at = now
        locked.save(update_fields=["status", "decided_at"])
        transaction.on_commit(lambda: send_introduction_update.enqueue(locked.pk, "closed"))
    return True


def introduction_follow_up(*, introduction: Introduction, now: datetime | None = None) -> bool:
    """Ask both people whether the introduction led anywhere, once, when it is due and no
    outcome is known yet. False when there was nothing to send."""
    from netweave.weaving.emails import send_follow_up

    now = now or timezone.now()
    with transaction.atomic():
        locked = Introduction.objects.select_for_update().get(pk=introduction.pk)
        if (
            locked.status != Introduction.Status.ACCEPTED
            or locked.follow_up_sent_at is not None
            or locked.outcome
            or locked.follow_up_due_at is None
            or locked.follow_up_due_at > now
        ):
            return False
        locked.follow_up_sent_at = now
        locked.save(update_fields=["follow_up_sent_at"])
        transaction.on_commit(lambda: send_follow_up(locked))
    return True


def weaving_due(*, now: datetime | None = None) -> dict[str, int]:
    """Expire what is past its answer deadline and send the follow-ups that are due, across all
    networks (the daily sweep; each introduction also books its own check)."""
    now = now or timezone.now()
    expired = sent = 0
    for introduction in Introduction.objects.filter(
        status=Introduction.Status.PROPOSED, expires_at__lte=now
    ):
        expired += introduction_expire(introduction=introduction, now=now)
    for introduction in Introduction.objects.filter(
        status=Introduction.Status.ACCEPTED,
        follow_up_sent_at__isnull=True,
        follow_up_due_at__lte=now,
        outcome="",
    ):
        sent += introduction_follow_up(introduction=introduction, now=now)
    return {"expired": expired, "follow_ups": sent}


def introduction_record_outcome(
    *,
    introduction: Introduction,
    outcome: str,
    by: Person | None,
    note: str = "",
    now: datetime | None = None,
) -> Introduction:
    """Record what came of an introduction. "We worked together" is a collaboration the
    platform observed: it becomes a tie of that kind."""
    now = now or timezone.now()
    if outcome not in {choice for choice in Introduction.Outcome.values if choice}:
        raise WeavingError(
            _("Unknown outcome “%(outcome)s”. Choose among: %(known)s.")
            % {
                "outcome": outcome,
                "known": ", ".join(choice for choice in Introduction.Outcome.values if choice),
            }
        )
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise WeavingError(
            _("The note is at most %(max)d characters; it has %(count)d.")
            % {"max": NOTE_MAX, "count": len(note)}
        )
    with transaction.atomic():
        locked = Introduction.objects.select_for_update().get(pk=introduction.pk)
        if locked.status != Introduction.Status.ACCEPTED:
            raise WeavingError(_("Only an introduction both people accepted has an outcome."))
        locked.outcome = outcome
        locked.outcome_note = note
        locked.outcome_at = now
        locked.outcome_by = by
        locked.save(update_fields=["outcome", "outcome_note", "outcome_at", "outcome_by"])
        if outcome == Introduction.Outcome.COLLABORATED:
            tie_observe(
                network=locked.network,
                source=locked.person_a,
                target=locked.person_b,
                kind=Tie.Kind.COLLABORATES,
                evidence=f"introduction:{locked.pk}:outcome",
                observed_at=now,
            )
    return locked
