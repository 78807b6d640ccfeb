"""Factories and the fixed cast used by every permission test (conventions.md, "Tests")."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

from netweave.accounts.models import User
from netweave.networks.models import Network
from netweave.people.models import Membership, Organization, Person, Role
from netweave.people.services import (
    membership_add,
    organization_get_or_create,
    person_set_affiliation,
    person_update_profile,
)

PASSWORD = "correct-horse-battery-staple"
_counter = itertools.count(1)


def make_network(**fields: Any) -> Network:
    n = next(_counter)
    fields.setdefault("name", f"Network {n}")
    fields.setdefault("slug", f"network-{n}")
    return Network.objects.create(**fields)


def make_person(
    *, name: str | None = None, email: str | None = None, login: bool = True, **profile: Any
) -> Person:
    n = next(_counter)
    email = email or f"person{n}@example.org"
    user = User.objects.create_user(email=email, password=PASSWORD) if login else None
    if user is not None:
        from allauth.account.models import EmailAddress

        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    person = Person.objects.create(name=name or f"Person {n}", email=email, user=user)
    organization = profile.pop("organization", None)
    if profile:
        person_update_profile(person=person, **profile)
    else:
        person_update_profile(person=person, name=person.name)
    if organization:
        person_set_affiliation(
            person=person, organization=organization_get_or_create(name=organization)
        )
    return person


def make_member(network: Network, role: str = Role.MEMBER, **person_fields: Any) -> Person:
    person = make_person(**person_fields)
    membership_add(network=network, person=person, role=role)
    return person


def make_organization(name: str | None = None, **fields: Any) -> Organization:
    return organization_get_or_create(name=name or f"Organization {next(_counter)}", **fields)


@dataclass
class Cast:
    """A network with one person of each role, a member of another network, and an outsider."""

    network: Network
    other_network: Network
    coordinator: Person
    steward: Person
    member: Person
    observer: Person
    other_member: Person  # active in other_network only
    outsider: Person  # signed in, member of nothing

    def user(self, who: str) -> User | None:
        if who == "anonymous":
            return None
        return getattr(self, who).user  # type: ignore[no-any-return]


CAST_ROLES = [
    "coordinator",
    "steward",
    "member",
    "observer",
    "other_member",
    "outsider",
    "anonymous",
]


def make_cast(visibility: str = Network.Visibility.PUBLIC) -> Cast:
    network = make_network(name="Cast Network", slug="cast", visibility=visibility)
    other = make_network(name="Other Network", slug="other", visibility=visibility)
    cast = Cast(
        network=network,
        other_network=other,
        coordinator=make_member(
            network, Role.COORDINATOR, name="Cora Coordinator", email="cora@example.org"
        ),
        steward=make_member(
            network, Role.STEWARD, name="Stella Steward", email="stella@example.org"
        ),
        member=make_member(
            network,
            Role.MEMBER,
            name="Mina Member",
            email="mina@example.org",
            expertise=["HIV prevention"],
            country="KE",
            languages=["en", "sw"],
            organization="Kenya Medical Research Institute",
        ),
        observer=make_member(
            network, Role.OBSERVER, name="Omar Observer", email="omar@example.org"
        ),
        other_member=make_member(
            other, Role.COORDINATOR, name="Otto Other", email="otto@example.org"
        ),
        outsider=make_person(name="Una Outsider", email="una@example.org"),
    )
    assert Membership.objects.filter(network=network, status="active").count() == 4
    return cast
