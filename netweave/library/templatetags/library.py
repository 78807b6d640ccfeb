"""`{% latest_resources network access %}`: the newest resources the viewer may see, for the
network's home page (`{% load library %}` first)."""

from __future__ import annotations

from typing import Any

from django import template

from netweave.library.selectors import latest_resources as latest_for_viewer

register = template.Library()

LATEST = 5


@register.inclusion_tag("library/_latest_resources.html")
def latest_resources(network: Any, access: Any, limit: int = LATEST) -> dict[str, Any]:
    rows = latest_for_viewer(access=access, limit=limit) if access is not None else []
    return {"network": network, "access": access, "resources": rows}
