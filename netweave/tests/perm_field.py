"""Permission entries, URL parameter fillers and rows for the walk (see permission_areas.py)."""

from __future__ import annotations

from typing import Any

from netweave.tests.perm_rules import Who  # noqa: F401
from netweave.tests.permission_table import ApiOp, Page, Row  # noqa: F401

PAGES: dict[str, Page] = {}
API: dict[str, ApiOp] = {}
FILLERS: dict[str, Any] = {}


def build(cast: Any, network: Any, person: Any, other: Any) -> dict[str, Any]:
    return {}
