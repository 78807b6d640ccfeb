"""Writes to networks."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from netweave.networks.models import Network


class NetworkError(Exception):
    """A request that breaks a network rule; its message is safe to show."""


SETTINGS_FIELDS = (
    "name", "tagline", "description", "purpose", "phase", "topics", "languages", "period_start",
    "period_end", "visibility", "how_to_join", "host",
)  # fmt: skip


@transaction.atomic
def network_create(*, name: str, slug: str, coordinator: Any = None, **fields: Any) -> Network:
    from netweave.people.models import Role
    from netweave.people.services import membership_add

    if Network.objects.filter(slug=slug).exists():
        raise NetworkError(_("The address /n/%s/ is taken; choose another short name.") % slug)
    network = Network.objects.create(name=name, slug=slug, **fields)
    if coordinator is not None:
        membership_add(network=network, person=coordinator, role=Role.COORDINATOR)
    return network


@transaction.atomic
def network_update(*, network: Network, **fields: Any) -> Network:
    unknown = set(fields) - set(SETTINGS_FIELDS)
    if unknown:
        raise NetworkError(_("Unknown settings: %s") % ", ".join(sorted(unknown)))
    phase = fields.get("phase", network.phase)
    if phase not in (network.phase_model or []):
        raise NetworkError(_("“%s” is not a phase of this network's life-cycle model.") % phase)
    for name, value in fields.items():
        setattr(network, name, value)
    network.save()
    return network
