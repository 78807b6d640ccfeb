"""`{% upcoming_events network access %}`: the next events the viewer may see and a way to get the
newsletter, for the network's home page (`{% load outreach %}` first)."""

from __future__ import annotations

from typing import Any

from django import template

from netweave.outreach.events import events_for_viewer
from netweave.outreach.models import MailingList

register = template.Library()

UPCOMING = 3


@register.inclusion_tag("outreach/_home_outreach.html")
def upcoming_events(network: Any, access: Any, limit: int = UPCOMING) -> dict[str, Any]:
    events = list(events_for_viewer(access=access)[:limit]) if access is not None else []
    has_public_list = MailingList.objects.filter(
        network=network, visibility=MailingList.Visibility.PUBLIC
    ).exists()
    return {
        "network": network,
        "access": access,
        "events": events,
        "has_public_list": has_public_list,
    }
