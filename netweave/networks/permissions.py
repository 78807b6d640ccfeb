"""Who may do what in a network: the one place the permission table of design.md section 5 lives.

Pages, the API, exports and search all ask `access_for(user, network).can(Capability.X)`; nothing
else decides. Only an *active* membership grants a role; invited, applied, lapsed, left and
declined memberships see what the public sees. Superusers act as coordinators everywhere."""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum, StrEnum
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from netweave.networks.models import Network
    from netweave.people.models import Membership, Person


class Level(IntEnum):
    """Rungs of the permission table, lowest first. SUBSCRIBER is reserved for the outreach app."""

    PUBLIC = 0
    SUBSCRIBER = 10
    OBSERVER = 20
    MEMBER = 30
    STEWARD = 40
    COORDINATOR = 50


ROLE_LEVELS = {
    "observer": Level.OBSERVER,
    "member": Level.MEMBER,
    "steward": Level.STEWARD,
    "coordinator": Level.COORDINATOR,
}


class Capability(StrEnum):
    # public catalogue, public resources, public events
    VIEW_PUBLIC = "view_public"
    # member directory, profiles, network-only resources, discussions
    VIEW_DIRECTORY = "view_directory"
    # own ego network and introductions
    VIEW_OWN_EGO = "view_own_ego"
    # whole network map with names (members: only the names of people who consented)
    VIEW_MAP = "view_map"
    # whole network map with every name, including members who did not consent (design.md:
    # "anonymous to everyone but coordinators"); stewards see the named map, like members
    VIEW_MAP_ALL_NAMES = "view_map_all_names"
    # survey answers of others, raw ties, exports
    VIEW_RAW = "view_raw"
    EXPORT = "export"
    # "partly" for stewards: onboarding (invitations, applications) and curation
    ONBOARD = "onboard"
    CURATE = "curate"
    # coordinators only: roles, lapsing and removing members, network settings, newsletters
    MANAGE_MEMBERS = "manage_members"
    MANAGE_SETTINGS = "manage_settings"
    SEND_NEWSLETTERS = "send_newsletters"
    # running events: creating and editing them, registrations, check-in, presenter proposals
    MANAGE_EVENTS = "manage_events"
    # coordinators: the weaving board (every member's suggestions, with the reasons that come
    # from the whole map), proposing introductions between two other people, the weaving report
    WEAVE = "weave"


# The lowest rung that has each capability. This dict *is* the table in design.md section 5.
REQUIRED_LEVEL: dict[Capability, Level] = {
    Capability.VIEW_PUBLIC: Level.PUBLIC,
    Capability.VIEW_DIRECTORY: Level.OBSERVER,
    Capability.VIEW_OWN_EGO: Level.MEMBER,
    Capability.VIEW_MAP: Level.MEMBER,
    Capability.VIEW_MAP_ALL_NAMES: Level.COORDINATOR,
    Capability.VIEW_RAW: Level.COORDINATOR,
    Capability.EXPORT: Level.COORDINATOR,
    Capability.ONBOARD: Level.STEWARD,
    Capability.CURATE: Level.STEWARD,
    Capability.MANAGE_MEMBERS: Level.COORDINATOR,
    Capability.MANAGE_SETTINGS: Level.COORDINATOR,
    Capability.SEND_NEWSLETTERS: Level.COORDINATOR,
    Capability.MANAGE_EVENTS: Level.STEWARD,
    Capability.WEAVE: Level.COORDINATOR,
}


@dataclass(frozen=True)
class Access:
    """What one viewer may do in one network."""

    network: Network
    level: Level
    person: Person | None
    membership: Membership | None
    is_authenticated: bool

    @property
    def role(self) -> str | None:
        return self.membership.role if self.membership and self.level >= Level.OBSERVER else None

    @property
    def can_see_network(self) -> bool:
        """A private network does not exist for outsiders (they get a 404, not a 403)."""
        return self.network.in_catalogue or self.level >= Level.OBSERVER

    def can(self, capability: Capability) -> bool:
        if not self.can_see_network:
            return False
        return self.level >= REQUIRED_LEVEL[capability]

    def require(self, capability: Capability) -> None:
        """For selectors: a 404 when the network does not exist for the viewer, a 403 when the
        viewer lacks `capability` (pages and the API map both the same way)."""
        from django.core.exceptions import PermissionDenied
        from django.http import Http404

        if not self.can_see_network:
            raise Http404
        if not self.can(capability):
            raise PermissionDenied

    def can_assign_role(self, role: str) -> bool:
        return self.can(Capability.MANAGE_MEMBERS) or (
            self.can(Capability.ONBOARD)
            and ROLE_LEVELS.get(role, Level.COORDINATOR) <= Level.MEMBER
        )

    def assignable_roles(self) -> list[str]:
        """The roles this viewer may give (invite as), in the order of `Role`."""
        from netweave.people.models import Role

        return [role for role in Role.values if self.can_assign_role(role)]


def person_for_user(user: Any) -> Person | None:
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    cached = getattr(user, "_netweave_person", False)
    if cached is not False:
        return cached  # type: ignore[no-any-return,return-value]
    from netweave.people.models import Person

    person = Person.objects.filter(user=user).first()
    user._netweave_person = person
    return person


def access_for(user: Any, network: Network) -> Access:
    """The viewer's access to `network`; cached on the user object for the request."""
    cache: dict[int, Access] = getattr(user, "_netweave_access", None) or {}
    if network.pk in cache:
        return cache[network.pk]
    from netweave.people.models import Membership

    is_authenticated = bool(getattr(user, "is_authenticated", False))
    person = person_for_user(user)
    membership = None
    level = Level.PUBLIC
    if person is not None:
        membership = Membership.objects.filter(network=network, person=person).first()
        if membership is not None and membership.status == Membership.Status.ACTIVE:
            level = ROLE_LEVELS.get(membership.role, Level.PUBLIC)
    if is_authenticated and getattr(user, "is_superuser", False):
        level = Level.COORDINATOR
    access = Access(
        network=network,
        level=level,
        person=person,
        membership=membership,
        is_authenticated=is_authenticated,
    )
    if user is not None and is_authenticated:
        cache[network.pk] = access
        user._netweave_access = cache
    return access
