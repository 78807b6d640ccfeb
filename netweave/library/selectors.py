"""Reads of the resource center. Every read filters by network and by what the viewer may see."""

from __future__ import annotations

from django.db.models import QuerySet

from netweave.library.models import Resource, Visibility
from netweave.networks.permissions import Access, Capability


def visibilities_for(access: Access) -> list[str]:
    """The visibilities whose rows `access` may see: the public ones for everyone, network rows
    for observers and up, and the curators' own rows for those who curate."""
    if not access.can(Capability.VIEW_PUBLIC):
        return []
    if access.can(Capability.CURATE):
        return [Visibility.PUBLIC, Visibility.NETWORK, Visibility.COORDINATORS]
    if access.can(Capability.VIEW_DIRECTORY):
        return [Visibility.PUBLIC, Visibility.NETWORK]
    return [Visibility.PUBLIC]


def resources_visible_to(access: Access) -> QuerySet[Resource]:
    """Published resources of the network that `access` may see (curators see unpublished ones
    through the curation selectors, not here)."""
    return Resource.objects.filter(
        network=access.network,
        status=Resource.Status.PUBLISHED,
        visibility__in=visibilities_for(access),
    )
