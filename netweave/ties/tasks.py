"""Background work for ties: computing snapshots. Tasks take ids and are idempotent."""

from __future__ import annotations

from django_tasks import task


@task()
def compute_snapshot(snapshot_id: int) -> str:
    from netweave.ties.services import snapshot_compute

    snapshot = snapshot_compute(snapshot_id=snapshot_id)
    return str(snapshot.status)
