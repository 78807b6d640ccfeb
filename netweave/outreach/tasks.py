"""Background work for outreach delivery. Tasks take ids and are idempotent: the sender only
takes QUEUED rows under a lease and marks each one as it goes, so a rerun sends nothing twice."""

from __future__ import annotations

from django_tasks import task


@task()
def deliver_newsletter(newsletter_id: int) -> int:
    """Send the issue's queued deliveries (a scheduled issue once it is due); returns how many
    messages this run sent."""
    from netweave.outreach.delivery import send_pending

    return send_pending(newsletter_id).sent
