"""Permission entries, URL parameter fillers and rows for the walk (see permission_areas.py):
outreach, newsletters (netweave/outreach).

Writing, editing, testing and sending issues, and the mail settings, are the coordinators' own
("settings, members' roles, newsletters, curation": stewards do not send newsletters). The archive
of sent issues and the privacy page are public: anyone who can see the network reads them."""

from __future__ import annotations

from typing import Any

from netweave.tests.perm_rules import Who
from netweave.tests.permission_table import ApiOp, Page, Row

_COORDINATOR = Page(Row.SETTINGS, get=Who.COORDINATOR, post=Who.NO_ONE)
_COORDINATOR_FORM = Page(Row.SETTINGS, get=Who.COORDINATOR, post=Who.COORDINATOR)
_COORDINATOR_POST = Page(Row.SETTINGS, get=Who.NO_ONE, post=Who.COORDINATOR)
_PUBLIC = Page(Row.PUBLIC, get=Who.EVERYONE, post=Who.NO_ONE)
_SEND = ApiOp(Row.SETTINGS, Who.COORDINATOR)

# URL parameters that name a row: another network's rows are not found through them. (An issue
# `number` is per network, so the other network has the same numbers: not listed.)
OBJECT_PARAMS: set[str] = {"newsletter_id"}

PAGES: dict[str, Page] = {
    "outreach:newsletters": _COORDINATOR,
    "outreach:newsletter_new": _COORDINATOR_POST,
    "outreach:newsletter": _COORDINATOR,
    "outreach:newsletter_progress": _COORDINATOR,
    "outreach:newsletter_options": _COORDINATOR_POST,
    "outreach:newsletter_delete": Page(
        Row.SETTINGS,
        get=Who.COORDINATOR,
        post=Who.COORDINATOR,
        note="GET asks to confirm; POST deletes the walk's draft (rolled back)",
    ),
    "outreach:newsletter_edition_add": _COORDINATOR_POST,
    "outreach:newsletter_edit": _COORDINATOR_FORM,
    "outreach:newsletter_preview": Page(
        Row.SETTINGS,
        get=Who.NO_ONE,
        post=Who.COORDINATOR,
        note="the editor's live preview (htmx); saves nothing",
    ),
    "outreach:newsletter_email_preview": _COORDINATOR,
    "outreach:newsletter_edition_delete": _COORDINATOR_POST,
    "outreach:newsletter_test": _COORDINATOR_FORM,
    "outreach:newsletter_schedule": _COORDINATOR_FORM,
    "outreach:newsletter_cancel": _COORDINATOR_POST,
    "outreach:mail_settings": _COORDINATOR_FORM,
    # public: the archive of sent issues and the subscribers' privacy page
    "outreach:archive": _PUBLIC,
    "outreach:archive_feed": _PUBLIC,
    "outreach:archive_issue": Page(
        Row.PUBLIC, get=Who.EVERYONE, post=Who.NO_ONE, note="a sent issue shown in the archive"
    ),
    "outreach:privacy": _PUBLIC,
}

API: dict[str, ApiOp] = {
    "newsletters_list": _SEND,
    "newsletters_create": ApiOp(
        Row.SETTINGS, Who.COORDINATOR, note="the walk's list id may be another network's: 400"
    ),
    "newsletter_read": _SEND,
    "newsletter_update": ApiOp(Row.SETTINGS, Who.COORDINATOR, body={"in_archive": False}),
    "editions_list": _SEND,
    "edition_upsert": ApiOp(
        Row.SETTINGS, Who.COORDINATOR, body={"subject": "Walk", "preheader": "", "body": "Hi"}
    ),
    "newsletter_send": ApiOp(
        Row.SETTINGS,
        Who.COORDINATOR,
        body={"scheduled_at": "2099-01-01T09:00:00+00:00"},
        note="schedules the walk's draft (rolled back, nothing sent)",
    ),
    "newsletter_cancel": ApiOp(
        Row.SETTINGS, Who.COORDINATOR, note="the walk's draft is not scheduled: 409"
    ),
    "newsletter_test": ApiOp(
        Row.SETTINGS,
        Who.COORDINATOR,
        body={"emails": ["walk.test@example.org"]},
        note="sends one test message (the test mail backend keeps it)",
    ),
    "newsletter_stats": _SEND,
    "archive_list": ApiOp(Row.PUBLIC, Who.EVERYONE),
}

FILLERS: dict[str, Any] = {
    "newsletter_id": lambda w, role: w.extras["newsletter_draft"].pk,
    "language": lambda w, role: w.extras["newsletter_draft"].default_language,
    "number": lambda w, role: w.extras["newsletter_sent"].number,
}


def build(cast: Any, network: Any, person: Any, other: Any) -> dict[str, Any]:
    """A list, a draft issue with its default edition, and a sent issue shown in the archive."""
    from django.db.models import Max
    from django.utils import timezone

    from netweave.outreach.models import Edition, MailingList, Newsletter

    mailing_list = MailingList.objects.create(
        network=network, name="Walk newsletter", slug="walk-newsletter"
    )
    # Numbers after any issue another area's rows made, so that they never clash.
    start = Newsletter.objects.filter(network=network).aggregate(n=Max("number"))["n"] or 0
    draft = Newsletter.objects.create(network=network, number=start + 1, mailing_list=mailing_list)
    Edition.objects.create(newsletter=draft, language="en", subject="Walk draft", body="Hello")
    sent = Newsletter.objects.create(
        network=network,
        number=start + 2,
        mailing_list=mailing_list,
        status=Newsletter.Status.SENT,
        started_at=timezone.now(),
        finished_at=timezone.now(),
    )
    Edition.objects.create(newsletter=sent, language="en", subject="Walk sent", body="Sent")
    return {"newsletter_list": mailing_list, "newsletter_draft": draft, "newsletter_sent": sent}
