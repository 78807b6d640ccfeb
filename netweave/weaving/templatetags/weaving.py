"""`{% introductions_waiting network access %}`: "an introduction is waiting for your answer" on
the network's home page, beside the survey's notice."""

from __future__ import annotations

from typing import Any

from django import template

from netweave.networks.permissions import Capability
from netweave.weaving.selectors import introductions_awaiting

register = template.Library()


@register.inclusion_tag("weaving/_waiting.html")
def introductions_waiting(network: Any, access: Any) -> dict[str, Any]:
    person = access.person if access is not None and access.can(Capability.VIEW_OWN_EGO) else None
    waiting = introductions_awaiting(network=network, person=person)
    for item in waiting:
        side = item.side_of(person.pk if person is not None else None)
        item.other_person = item.other(side) if side else None  # type: ignore[attr-defined]
    return {"network": network, "waiting": waiting}
