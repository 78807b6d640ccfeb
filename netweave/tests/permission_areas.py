"""Areas of the product that keep their permission entries in a module of their own, so that
each app's pages and operations are listed beside the rows the walk needs for them.

Each area module has:
- `PAGES` and `API`: entries as in permission_table.py (merged into its dicts here);
- `FILLERS`: URL and path parameters by name, as in perm_walk.KWARG_FILLERS, reading
  `world.extras`;
- `OBJECT_PARAMS` (optional): its URL parameters that name a row, so that the walk checks that
  another network's row is not found through them;
- `build(cast, network, person, other) -> dict`: the rows its fillers need, made in `network`
  (called for cast.network and for cast.other_network; `person` is a plain member there and
  `other` a second person of that network).
"""

from __future__ import annotations

from types import ModuleType

from netweave.tests import (
    perm_feeds,
    perm_field,
    perm_library,
    perm_outreach_calendars,
    perm_outreach_delivery,
    perm_outreach_events,
    perm_outreach_lists,
    perm_outreach_newsletters,
)
from netweave.tests.permission_table import API, PAGES

AREAS: list[ModuleType] = [
    perm_library,
    perm_feeds,
    perm_field,
    perm_outreach_lists,
    perm_outreach_newsletters,
    perm_outreach_delivery,
    perm_outreach_events,
    perm_outreach_calendars,
]

for _area in AREAS:
    _clash = (PAGES.keys() & _area.PAGES.keys()) | (API.keys() & _area.API.keys())
    assert not _clash, f"{_area.__name__} repeats entries of permission_table.py: {_clash}"
    PAGES.update(_area.PAGES)
    API.update(_area.API)
