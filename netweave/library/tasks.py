"""Background work of the resource center: the link checker. Tasks take ids and are idempotent:
checking a link twice only records the newer answer."""

from __future__ import annotations

from django_tasks import task


@task()
def check_link(resource_id: int) -> str:
    """Check one resource's link; returns its link status ("ok", "broken"), or "" when the
    resource is gone or has no link."""
    from netweave.library.services import resource_check_link

    resource = resource_check_link(resource_id=resource_id)
    return resource.link_status if resource is not None and resource.url else ""


@task()
def check_due_links() -> int:
    """Queue a check of every link not checked for NETWEAVE_LINK_CHECK_DAYS (run daily, e.g. from
    cron with `netweave library_check_links --enqueue`); returns how many were queued."""
    from netweave.library.services import resources_due_for_link_check

    due = resources_due_for_link_check()
    for resource_id in due:
        check_link.enqueue(resource_id)
    return len(due)
