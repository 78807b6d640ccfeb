"""API v1: networks (the catalogue, one network, its settings)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja.errors import HttpError

from netweave.api.auth import caller, network_access
from netweave.api.errors import responses
from netweave.api.pagination import PageIn, paginate
from netweave.api.schemas import NetworkDetailOut, NetworkPage, NetworkPatchIn
from netweave.networks.models import Network
from netweave.networks.permissions import Access, Capability
from netweave.networks.selectors import networks_visible_to
from netweave.networks.services import network_update
from netweave.people.selectors import network_counts

router = Router(tags=["networks"])


def network_out(network: Network) -> dict[str, Any]:
    return {
        "slug": network.slug,
        "name": network.name,
        "tagline": network.tagline,
        "purpose": network.purpose,
        "phase": network.phase,
        "phase_label": network.phase_label(),
        "visibility": network.visibility,
        "accepts_applications": network.accepts_applications,
        "languages": list(network.languages or []),
        "topics": list(network.topics or []),
        "url": network.get_absolute_url(),
    }


def network_detail_out(access: Access) -> dict[str, Any]:
    network = access.network
    counts: dict[str, Any] = dict(network_counts(network=network))
    if not access.can(Capability.ONBOARD):
        del counts["applications"]  # pending applications are for stewards and coordinators
    membership = access.membership
    return {
        **network_out(network),
        "description": network.description,
        "how_to_join": network.how_to_join,
        "phase_model": list(network.phase_model or []),
        "period_start": network.period_start,
        "period_end": network.period_end,
        "host": {"id": network.host.pk, "name": network.host.name} if network.host else None,
        "counts": counts,
        "your_role": access.role,
        "your_status": membership.status if membership is not None else None,
    }


@router.get(
    "/networks",
    response=responses({200: NetworkPage}, 400, 401),
    operation_id="networks_list",
    summary="List the networks you can see",
    description="The public catalogue (public and listed networks) plus the private networks "
    "the caller is an active member of. Anyone may call it.",
)
def networks_list(request: HttpRequest, paging: Query[PageIn]) -> dict[str, Any]:
    return paginate(networks_visible_to(user=caller(request)), paging, network_out)


@router.get(
    "/networks/{slug}",
    response=responses({200: NetworkDetailOut}, 401, 404),
    operation_id="networks_read",
    summary="Read one network",
    description="Anyone may read a public or listed network; a private network is a 404 to "
    "everyone but its members.",
)
def networks_read(request: HttpRequest, slug: str) -> dict[str, Any]:
    access = network_access(request, slug, Capability.VIEW_PUBLIC)
    return network_detail_out(access)


@router.patch(
    "/networks/{slug}",
    response=responses({200: NetworkDetailOut}, 400, 401, 403, 404, 409),
    operation_id="networks_update",
    summary="Change a network's settings",
    description="Coordinators only. Send only the fields to change.",
)
def networks_update(request: HttpRequest, slug: str, payload: NetworkPatchIn) -> dict[str, Any]:
    access = network_access(
        request,
        slug,
        Capability.MANAGE_SETTINGS,
        denied=_("Only coordinators can change the network's settings."),
    )
    network = access.network
    changes = payload.model_dump(exclude_unset=True)
    phase = changes.get("phase", network.phase)
    if phase not in (network.phase_model or []):
        raise HttpError(
            400,
            _("phase: “%(phase)s” is not a phase of this network; use one of: %(phases)s.")
            % {"phase": phase, "phases": ", ".join(network.phase_model or [])},
        )
    start = changes.get("period_start", network.period_start)
    end = changes.get("period_end", network.period_end)
    if start and end and end < start:
        raise HttpError(400, _("period_end: the learning period cannot end before it starts."))
    if changes:
        network_update(network=network, **changes)
    return network_detail_out(access)
