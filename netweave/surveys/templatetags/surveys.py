"""`{% survey_waiting network access %}`: "a survey is waiting for you" on the network's home."""

from __future__ import annotations

from typing import Any

from django import template

from netweave.surveys.selectors import waiting_wave_for

register = template.Library()


@register.inclusion_tag("surveys/_waiting.html")
def survey_waiting(network: Any, access: Any) -> dict[str, Any]:
    person = getattr(access, "person", None) if getattr(access, "role", None) else None
    return {"network": network, "wave": waiting_wave_for(network=network, person=person)}
