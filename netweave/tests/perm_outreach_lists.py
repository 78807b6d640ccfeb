"""Permission entries, URL parameter fillers and rows for the walk (see permission_areas.py):
outreach, subscribers and lists (netweave/outreach/subscriptions.py, views_lists.py, api_lists.py).

Subscribing is open to whoever can see the network ("public ... events": anyone may subscribe
to its public lists). Lists, subscribers, suppressions, imports and exports are the coordinator's
("newsletters" in the settings row). A subscriber's own pages at /o/ are keyed by the emailed token
(or the signed confirmation link); the bounce webhook by the network's secret."""

from __future__ import annotations

from typing import Any

from netweave.tests.perm_rules import Who
from netweave.tests.permission_table import ApiOp, Page, Row

_COORDINATOR_READ = Page(Row.SETTINGS, get=Who.COORDINATOR, post=Who.NO_ONE)
_COORDINATOR_FORM = Page(Row.SETTINGS, get=Who.COORDINATOR, post=Who.COORDINATOR)
_COORDINATOR_POST = Page(Row.SETTINGS, get=Who.NO_ONE, post=Who.COORDINATOR)

# URL parameters that name a row: another network's rows are not found through them.
OBJECT_PARAMS: set[str] = {"mailing_list_id", "subscriber_id", "suppression_id"}

PAGES: dict[str, Page] = {
    "outreach:subscribe": Page(
        Row.PUBLIC,
        get=Who.EVERYONE,
        post=Who.EVERYONE,
        note="the public lists of a network the visitor can see; double opt-in",
    ),
    "outreach:lists": _COORDINATOR_READ,
    "outreach:list_new": _COORDINATOR_FORM,
    "outreach:list_edit": _COORDINATOR_FORM,
    "outreach:list_delete": Page(
        Row.SETTINGS,
        get=Who.COORDINATOR,
        post=Who.COORDINATOR,
        note="the walk's list has subscribers: refused with a message past the check",
    ),
    "outreach:subscribers": _COORDINATOR_READ,
    "outreach:subscriber": _COORDINATOR_READ,
    "outreach:subscriber_new": _COORDINATOR_FORM,
    "outreach:subscriber_unsubscribe": _COORDINATOR_POST,
    "outreach:subscribers_import": _COORDINATOR_FORM,
    "outreach:subscribers_import_commit": _COORDINATOR_POST,
    "outreach:subscribers_export": _COORDINATOR_READ,
    "outreach:suppressions": _COORDINATOR_FORM,
    "outreach:suppression_delete": _COORDINATOR_POST,
    "outreach:bounces_upload": _COORDINATOR_FORM,
    # the emailed token (or signed link) is the key
    "outreach_public:confirm": Page(
        Row.TOKEN,
        get=Who.EVERYONE,
        post=Who.EVERYONE,
        note="the confirmation email's signed link; GET shows a button, POST confirms",
    ),
    "outreach_public:preferences": Page(Row.TOKEN, get=Who.EVERYONE, post=Who.EVERYONE),
    "outreach_public:data_download": Page(Row.TOKEN, get=Who.EVERYONE, post=Who.NO_ONE),
    "outreach_public:erase": Page(
        Row.TOKEN,
        get=Who.EVERYONE,
        post=Who.EVERYONE,
        note="an empty POST (without the confirmation tick) is a 400",
    ),
    "outreach_public:unsubscribe": Page(
        Row.TOKEN,
        get=Who.EVERYONE,
        post=Who.EVERYONE,
        note="RFC 8058 one-click: POST unsubscribes at once, without CSRF; GET never does",
    ),
    "outreach_public:bounce_webhook": Page(
        Row.TOKEN,
        get=Who.NO_ONE,
        post=Who.EVERYONE,
        note="the network's webhook secret is the key (a wrong one is a 404); "
        "an empty body is a 400",
    ),
}

_COORDINATOR = ApiOp(Row.SETTINGS, Who.COORDINATOR)

API: dict[str, ApiOp] = {
    "mailing_lists_list": _COORDINATOR,
    "mailing_lists_create": ApiOp(Row.SETTINGS, Who.COORDINATOR, body={"name": "Walk list 2"}),
    "mailing_lists_update": ApiOp(Row.SETTINGS, Who.COORDINATOR, body={"name": "Walk renamed"}),
    "mailing_lists_delete": ApiOp(
        Row.SETTINGS, Who.COORDINATOR, note="the walk's list has subscribers: 409 past the check"
    ),
    "subscribers_list": _COORDINATOR,
    "subscribers_create": ApiOp(
        Row.SETTINGS, Who.COORDINATOR, note="the smallest body names no list: 400 past the check"
    ),
    "subscriber_read": _COORDINATOR,
    "subscribers_unsubscribe": ApiOp(Row.SETTINGS, Who.COORDINATOR, body={}),
    "suppressions_list": _COORDINATOR,
    "suppressions_create": ApiOp(
        Row.SETTINGS, Who.COORDINATOR, body={"email": "walk.suppressed@example.org"}
    ),
    "suppressions_delete": _COORDINATOR,
    "subscribers_subscribe": ApiOp(
        Row.PUBLIC,
        Who.EVERYONE,
        note="anyone who can see the network; the smallest body names no list: 400",
    ),
}

FILLERS: dict[str, Any] = {
    "mailing_list_id": lambda w, role: w.extras["lists_list"].pk,
    "subscriber_id": lambda w, role: w.extras["lists_subscriber"].pk,
    "suppression_id": lambda w, role: w.extras["lists_suppression"].pk,
    "subscriber_token": lambda w, role: w.extras["lists_subscriber"].token,
    "confirmation": lambda w, role: w.extras["lists_confirmation"],
    "secret": lambda w, role: w.extras["lists_webhook_secret"],
}


def build(cast: Any, network: Any, person: Any, other: Any) -> dict[str, Any]:
    """A public list with a confirmed subscriber, a pending subscription's confirmation link,
    a suppressed address and the network's webhook secret."""
    from netweave.outreach.common import settings_for
    from netweave.outreach.models import Subscription
    from netweave.outreach.subscriptions import (
        confirmation_token,
        mailing_list_create,
        subscribe,
        suppression_add,
    )

    the_list = mailing_list_create(network=network, name="Walk news", visibility="public")
    subscriber = subscribe(
        network=network,
        email=f"walk.subscriber@{network.slug}.example.org",
        name="Walt Subscriber",
        lists=[the_list],
        method=Subscription.Method.IMPORT,
        note="walk",
    )
    pending = subscribe(
        network=network,
        email=f"walk.pending@{network.slug}.example.org",
        lists=[the_list],
        method=Subscription.Method.FORM,
        ip="192.0.2.1",
    )
    return {
        "lists_list": the_list,
        "lists_subscriber": subscriber,
        "lists_confirmation": confirmation_token(pending, [the_list.pk]),
        "lists_suppression": suppression_add(
            network=network, email=f"walk.bounced@{network.slug}.example.org", detail="walk"
        ),
        "lists_webhook_secret": settings_for(network).webhook_secret,
    }
