"""Background work for people: invitation emails and imports. Tasks take ids and are idempotent."""

from __future__ import annotations

from django_tasks import task


@task()
def send_invitation_email(invitation_id: int) -> bool:
    from netweave.people.models import Invitation
    from netweave.people.services import invitation_send_email

    invitation = (
        Invitation.objects.select_related("network", "invited_by").filter(pk=invitation_id).first()
    )
    if invitation is None or not invitation.is_open:
        return False
    invitation_send_email(invitation=invitation)
    return True


@task()
def run_import_job(job_id: int) -> str:
    from netweave.people.importing import import_job_run

    job = import_job_run(job_id=job_id)
    return str(job.status)
