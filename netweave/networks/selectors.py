"""Reads of networks: the public catalogue and a network looked up for a viewer."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from netweave.networks.models import Network
from netweave.networks.permissions import Access, access_for


def catalogue(*, text: str = "", purpose: str = "") -> QuerySet[Network]:
    """Public and listed networks with their active-member counts (one query)."""
    networks = Network.objects.filter(
        visibility__in=[Network.Visibility.PUBLIC, Network.Visibility.LISTED]
    )
    if text:
        networks = networks.filter(
            Q(name__icontains=text) | Q(tagline__icontains=text) | Q(description__icontains=text)
        )
    if purpose:
        networks = networks.filter(purpose=purpose)
    return networks.annotate(
        member_count=Count("memberships", filter=Q(memberships__status="active"))
    ).order_by("name")


def network_for_viewer(*, slug: str, user: Any) -> tuple[Network, Access]:
    """The network and the viewer's access to it; a 404 when it does not exist *for them*."""
    network = Network.objects.filter(slug=slug).select_related("host").first()
    if network is None:
        raise Http404
    access = access_for(user, network)
    if not access.can_see_network:
        raise Http404
    return network, access


def networks_visible_to(*, user: Any) -> QuerySet[Network]:
    """Networks a user may see: the catalogue plus private networks they are active in."""
    visible = Q(visibility__in=[Network.Visibility.PUBLIC, Network.Visibility.LISTED])
    if getattr(user, "is_superuser", False):
        return Network.objects.all()
    if getattr(user, "is_authenticated", False):
        visible |= Q(memberships__person__user=user, memberships__status="active")
    return Network.objects.filter(visible).distinct().order_by("name")
