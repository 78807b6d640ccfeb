"""Permission entries, URL parameter fillers and rows for the walk (see permission_areas.py):
outreach, delivery (netweave/outreach): counting an issue's opens and clicks, where the emailed
signed delivery id is the key (and a click's target is signed too)."""

from __future__ import annotations

from typing import Any

from netweave.tests.perm_rules import Who
from netweave.tests.permission_table import ApiOp, Page, Row

# URL parameters that name a row: another network's rows are not found through them.
OBJECT_PARAMS: set[str] = set()

PAGES: dict[str, Page] = {
    "outreach_public:open": Page(
        Row.TOKEN,
        get=Who.EVERYONE,
        post=Who.NO_ONE,
        note="always the 1x1 GIF; counted only when the network counts opens",
    ),
    "outreach_public:click": Page(
        Row.TOKEN,
        get=Who.EVERYONE,
        post=Who.NO_ONE,
        note="a redirect to the signed target only (a bad signature is a 400 page)",
    ),
}

API: dict[str, ApiOp] = {}

FILLERS: dict[str, Any] = {
    "delivery_token": lambda w, role: w.extras["delivery_token"],
    "link": lambda w, role: w.extras["delivery_link"],
}


def build(cast: Any, network: Any, person: Any, other: Any) -> dict[str, Any]:
    """A sent issue with one delivery, and a signed link to follow."""
    from netweave.outreach.mail import delivery_token, sign_link
    from netweave.outreach.models import Delivery, Edition, MailingList, Newsletter

    the_list = MailingList.objects.create(network=network, name="Walk issues", slug="walk-issues")
    issue = Newsletter.objects.create(
        network=network, number=901, mailing_list=the_list, status=Newsletter.Status.SENT
    )
    Edition.objects.create(newsletter=issue, language="en", subject="Walk issue", body="Hi")
    row = Delivery.objects.create(
        network=network,
        newsletter=issue,
        email=f"walk.reader@{network.slug}.example.org",
        language="en",
        status=Delivery.Status.SENT,
        message_id=f"<walk.{network.slug}@example.org>",
    )
    return {
        "delivery_token": delivery_token(row.pk),
        "delivery_link": sign_link("https://walk.example.org/article"),
    }
