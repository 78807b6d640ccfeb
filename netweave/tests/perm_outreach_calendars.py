"""Permission entries, URL parameter fillers and rows for the walk (see permission_areas.py):
outreach, calendars (netweave/outreach).

The network feed holds public events only, so everyone who can see the network may fetch it
(a private network's feed is a 404 to outsiders, like its pages). A member's private feed is
reached by its token alone (calendar apps do not sign in). Every person in the network (observers
up) has a private calendar address and may replace it; importing events is running events
(Capability.MANAGE_EVENTS: stewards and coordinators)."""

from __future__ import annotations

from typing import Any

from netweave.tests.perm_rules import Who
from netweave.tests.permission_table import ApiOp, Page, Row

# URL parameters that name a row: another network's rows are not found through them.
OBJECT_PARAMS: set[str] = set()

PAGES: dict[str, Page] = {
    "outreach:calendar_feed": Page(
        Row.PUBLIC, get=Who.EVERYONE, post=Who.NO_ONE, note="public events only"
    ),
    "outreach:calendar_reset": Page(
        Row.DIRECTORY,
        get=Who.OBSERVER_UP,
        post=Who.OBSERVER_UP,
        note="the caller's own private calendar address (POST replaces it)",
    ),
    "outreach:events_import": Page(
        Row.SETTINGS,
        get=Who.STEWARD_UP,
        post=Who.STEWARD_UP,
        note="an empty POST is a 400 with the form's errors",
    ),
    "outreach_public:calendar": Page(
        Row.TOKEN,
        get=Who.EVERYONE,
        post=Who.NO_ONE,
        note="a member's private feed: its token is the key",
    ),
}

API: dict[str, ApiOp] = {}

FILLERS: dict[str, Any] = {
    "feed_token": lambda w, role: w.extras["calendar_feed"].token,
}


def build(cast: Any, network: Any, person: Any, other: Any) -> dict[str, Any]:
    """The private calendar address of a plain member of `network`."""
    from netweave.outreach.models import CalendarFeed

    feed, _created = CalendarFeed.objects.get_or_create(network=network, person=person)
    return {"calendar_feed": feed}
