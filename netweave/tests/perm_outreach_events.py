"""Permission entries, URL parameter fillers and rows for the walk (see permission_areas.py):
outreach, events (netweave/outreach)."""

from __future__ import annotations

from typing import Any

from netweave.tests.permission_table import ApiOp, Page

# URL parameters that name a row: another network's rows are not found through them.
OBJECT_PARAMS: set[str] = set()

PAGES: dict[str, Page] = {}

API: dict[str, ApiOp] = {}

FILLERS: dict[str, Any] = {}


def build(cast: Any, network: Any, person: Any, other: Any) -> dict[str, Any]:
    """The rows this area's fillers need, made in `network`."""
    return {}
