"""Background work for weaving. Tasks take ids and are idempotent: each email records that it
went out, and each state change checks the state it starts from."""

from __future__ import annotations

from django_tasks import task


@task()
def compute_recommendations(run_id: int) -> int:
    """Compute a network's recommendations; returns how many are open afterwards."""
    from netweave.weaving.services import recommendation_run_execute

    run = recommendation_run_execute(run_id=run_id)
    return run.recommendations if run is not None else 0


def _load(introduction_id: int):  # type: ignore[no-untyped-def]
    from netweave.weaving.models import Introduction

    return (
        Introduction.objects.select_related("network", "person_a", "person_b", "proposed_by")
        .filter(pk=introduction_id)
        .first()
    )


@task()
def send_introduction_requests(introduction_id: int) -> int:
    from netweave.weaving.emails import send_requests

    introduction = _load(introduction_id)
    return send_requests(introduction) if introduction is not None else 0


@task()
def send_introduction_update(introduction_id: int, event: str) -> int:
    """`event` is "introduced" (both said yes) or "closed" (declined, expired, withdrawn)."""
    from netweave.weaving.emails import send_closed, send_introduced

    introduction = _load(introduction_id)
    if introduction is None:
        return 0
    return send_introduced(introduction) if event == "introduced" else send_closed(introduction)


@task()
def introduction_check(introduction_id: int) -> bool:
    """Booked for an introduction's answer deadline, then for its follow-up: expire it or ask
    how it went, whichever is due, and book the next look."""
    from netweave.weaving.models import Introduction
    from netweave.weaving.services import (
        introduction_check_later,
        introduction_expire,
        introduction_follow_up,
    )

    introduction = _load(introduction_id)
    if introduction is None:
        return False
    if introduction.status == Introduction.Status.PROPOSED:
        return introduction_expire(introduction=introduction)
    done = introduction_follow_up(introduction=introduction)
    if not done and introduction.follow_up_sent_at is None and not introduction.outcome:
        introduction_check_later(introduction, introduction_check)
    return done


@task()
def weaving_daily() -> dict[str, int]:
    """Expire overdue introductions and send due follow-ups in every network (run it daily from
    a scheduler, as a safety net for the checks each introduction books)."""
    from netweave.weaving.services import weaving_due

    return weaving_due()
