"""Every read of people, organizations and memberships. Each one is scoped to a network and to
what the viewer may see (netweave.networks.permissions)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils.translation import get_language

from netweave.lib.search import filter_matching
from netweave.networks.models import Network
from netweave.networks.permissions import Access, Capability
from netweave.people.models import (
    Affiliation,
    ImportJob,
    Invitation,
    Membership,
    MembershipEvent,
    Organization,
    Person,
)
from netweave.people.services import language_marker

PERSON_TABLE = Person._meta.db_table


@dataclass
class DirectoryQuery:
    """What a directory visitor asked for; every field optional."""

    text: str = ""
    organization: int | None = None
    country: str = ""
    language: str = ""
    expertise: str = ""
    role: str = ""
    sort: str = "name"
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def filtered(self) -> bool:
        """Narrowed by something other than the text."""
        return bool(self.organization or self.country or self.language or self.role)


def active_memberships(*, network: Network) -> QuerySet[Membership]:
    return Membership.objects.filter(network=network, status=Membership.Status.ACTIVE)


FEW_MATCHES = 2000


def members_for_directory(
    *, access: Access, query: DirectoryQuery, few_matches: bool = False
) -> QuerySet[Membership]:
    """Active members of the network matching `query`, with person and organizations loaded in
    a constant number of queries (one for the page, one for affiliations).

    `few_matches`: the caller counted at most FEW_MATCHES results, which lets the database plan
    a rare word differently (see netweave.lib.search.filter_matching)."""
    access.require(Capability.VIEW_DIRECTORY)
    memberships = active_memberships(network=access.network)
    if query.text:
        memberships = filter_matching(
            memberships,
            "person_id",
            PERSON_TABLE,
            "search_text",
            query.text,
            few_matches=few_matches,
        )
    if query.organization:
        memberships = memberships.filter(person__affiliations__organization_id=query.organization)
    if query.country:
        memberships = memberships.filter(person__country=query.country.upper())
    if query.language:
        if connection.vendor == "postgresql":  # jsonb containment, served by a GIN index
            memberships = memberships.filter(person__languages__contains=[query.language])
        else:  # a full-text match on the language's marker word (see language_marker)
            memberships = filter_matching(
                memberships,
                "person_id",
                PERSON_TABLE,
                "search_text",
                language_marker(query.language),
                prefix=False,
            )
    if query.expertise:
        memberships = filter_matching(
            memberships, "person_id", PERSON_TABLE, "search_text", query.expertise
        )
    if query.role:
        memberships = memberships.filter(role=query.role)
    ordering = {
        "name": ["sort_name", "person_id"],
        "recent": ["-joined_at", "-id"],
        "country": ["person__country", "sort_name"],
    }.get(query.sort, ["sort_name", "person_id"])
    return (
        memberships.select_related("person")
        .prefetch_related(
            Prefetch(
                "person__affiliations",
                queryset=Affiliation.objects.select_related("organization"),
            )
        )
        .order_by(*ordering)
    )


FACETS_SECONDS = 120


def directory_facets(
    *, access: Access, compute: bool = True
) -> dict[str, list[tuple[str, str, int]]] | None:
    """Countries and organizations present among active members, with counts, for the filters.

    Counting them means reading every membership, so the result is cached per network and
    language for FACETS_SECONDS: a filter list a minute behind is fine, a slow page is not."""
    access.require(Capability.VIEW_DIRECTORY)
    key = f"directory-facets:{access.network.pk}:{get_language()}"
    facets = cache.get(key)
    if facets is None and compute:
        facets = _directory_facets(access.network)
        cache.set(key, facets, FACETS_SECONDS)
    return facets  # type: ignore[no-any-return]  # None: not counted yet and not asked to


def directory_facets_forget(*, network_id: int) -> None:
    cache.delete_many(
        [f"directory-facets:{network_id}:{code}" for code, _label in settings.LANGUAGES]
    )


def _directory_facets(network: Network) -> dict[str, list[tuple[str, str, int]]]:
    members = active_memberships(network=network)
    countries = (
        members.exclude(person__country="")
        .values("person__country")
        .annotate(n=Count("id"))
        .order_by("person__country")
    )
    from django_countries import countries as country_names

    organizations = (
        Organization.objects.filter(
            affiliations__person__memberships__network=network,
            affiliations__person__memberships__status=Membership.Status.ACTIVE,
        )
        .annotate(n=Count("affiliations__person", distinct=True))
        .order_by("name")
        .values_list("id", "name", "n")[:500]
    )
    return {
        "countries": [
            (row["person__country"], str(country_names.name(row["person__country"])), row["n"])
            for row in countries
        ],
        "organizations": [(str(pk), name, n) for pk, name, n in organizations],
    }


def person_in_network(*, access: Access, person_id: int) -> Person:
    """A profile page: only people who are (or were) members of this network, only for viewers
    who may see the directory."""
    access.require(Capability.VIEW_DIRECTORY)
    person = (
        Person.objects.filter(
            pk=person_id,
            memberships__network=access.network,
            memberships__status=Membership.Status.ACTIVE,
        )
        .prefetch_related(
            Prefetch("affiliations", queryset=Affiliation.objects.select_related("organization"))
        )
        .first()
    )
    if person is None:
        raise Http404
    return person


def organization_in_network(
    *, access: Access, organization_id: int
) -> tuple[Organization, list[Membership]]:
    access.require(Capability.VIEW_DIRECTORY)
    organization = Organization.objects.filter(pk=organization_id).first()
    if organization is None:
        raise Http404
    members = list(
        active_memberships(network=access.network)
        .filter(person__affiliations__organization=organization)
        .select_related("person")
        .order_by("person__name")
    )
    if not members:
        raise Http404
    return organization, members


def organizations_in_network(*, access: Access) -> QuerySet[Organization]:
    access.require(Capability.VIEW_DIRECTORY)
    return (
        Organization.objects.filter(
            affiliations__person__memberships__network=access.network,
            affiliations__person__memberships__status=Membership.Status.ACTIVE,
        )
        .annotate(member_count=Count("affiliations__person", distinct=True))
        .order_by("name")
    )


def memberships_for_back_office(
    *, access: Access, status: str = "", text: str = ""
) -> QuerySet[Membership]:
    access.require(Capability.ONBOARD)
    memberships = Membership.objects.filter(network=access.network).select_related("person")
    if status:
        memberships = memberships.filter(status=status)
    if text:
        memberships = filter_matching(memberships, "person_id", PERSON_TABLE, "search_text", text)
    return memberships.order_by("person__name")


def pending_applications(*, access: Access) -> QuerySet[Membership]:
    access.require(Capability.ONBOARD)
    return (
        Membership.objects.filter(network=access.network, status=Membership.Status.APPLIED)
        .select_related("person")
        .order_by("created_at")
    )


def pending_invitations(*, access: Access) -> QuerySet[Invitation]:
    access.require(Capability.ONBOARD)
    return Invitation.objects.filter(
        network=access.network, status=Invitation.Status.PENDING
    ).select_related("invited_by")


def recent_events(*, access: Access, limit: int = 10) -> QuerySet[MembershipEvent]:
    """What is new: the latest joins (visible to observers and up)."""
    access.require(Capability.VIEW_DIRECTORY)
    return (
        MembershipEvent.objects.filter(
            network=access.network,
            kind__in=[MembershipEvent.Kind.JOINED, MembershipEvent.Kind.APPROVED],
            membership__status=Membership.Status.ACTIVE,
        )
        .select_related("membership__person")
        .order_by("-created_at", "-id")[:limit]
    )


def membership_history(*, access: Access, membership_id: int) -> QuerySet[MembershipEvent]:
    access.require(Capability.ONBOARD)
    return MembershipEvent.objects.filter(
        network=access.network, membership_id=membership_id
    ).select_related("actor")


def import_jobs(*, access: Access) -> QuerySet[ImportJob]:
    access.require(Capability.MANAGE_MEMBERS)
    return ImportJob.objects.filter(network=access.network).defer("content")


def network_counts(*, network: Network) -> dict[str, int]:
    counts = Membership.objects.filter(network=network).aggregate(
        members=Count("id", filter=Q(status=Membership.Status.ACTIVE)),
        applications=Count("id", filter=Q(status=Membership.Status.APPLIED)),
    )
    counts["organizations"] = (
        Affiliation.objects.filter(
            person__memberships__network=network,
            person__memberships__status=Membership.Status.ACTIVE,
        )
        .values("organization")
        .distinct()
        .count()
    )
    counts["countries"] = (
        active_memberships(network=network)
        .exclude(person__country="")
        .values("person__country")
        .distinct()
        .count()
    )
    return counts


def coordinators(*, network: Network) -> QuerySet[Membership]:
    return active_memberships(network=network).filter(role="coordinator").select_related("person")


def memberships_of_person(*, person: Person) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(person=person).select_related("network").order_by("network__name")
    )


def membership_for_back_office(*, access: Access, membership_id: int) -> Membership:
    """One membership of the network, any status, for stewards and coordinators; 404 when it
    belongs to another network."""
    access.require(Capability.ONBOARD)
    membership = (
        Membership.objects.filter(network=access.network, pk=membership_id)
        .select_related("person")
        .first()
    )
    if membership is None:
        raise Http404
    return membership


def invitation_for_back_office(*, access: Access, invitation_id: int) -> Invitation:
    """One invitation of the network, any status; 404 when it belongs to another network."""
    access.require(Capability.ONBOARD)
    invitation = (
        Invitation.objects.filter(network=access.network, pk=invitation_id)
        .select_related("invited_by")
        .first()
    )
    if invitation is None:
        raise Http404
    return invitation
