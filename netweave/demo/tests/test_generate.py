"""`netweave generate`: synthetic networks that are the same for a seed and that the directory finds."""

from __future__ import annotations

import io
from collections import Counter

import pytest
from django.core.management import CommandError, call_command

from netweave.demo.generate import GenerateError, generate_network
from netweave.lib.testing import make_person
from netweave.networks.models import Network
from netweave.networks.permissions import access_for
from netweave.people.models import Affiliation, Membership, Organization, Person, Role
from netweave.people.selectors import DirectoryQuery, members_for_directory
from netweave.people.services import membership_add, person_search_text

pytestmark = pytest.mark.django_db


def generated(slug: str) -> list[tuple[object, ...]]:
    """Every generated row of the network, without ids and creation timestamps."""
    return sorted(
        (
            m.person.name,
            m.person.email,
            m.person.bio,
            tuple(m.person.expertise),
            tuple(m.person.interests),
            m.person.offers,
            m.person.seeks,
            tuple(m.person.languages),
            m.person.city,
            str(m.person.country),
            m.person.map_consent,
            m.person.search_text,
            m.role,
            m.status,
            m.joined_at,
            tuple(
                (a.organization.name, a.organization.kind, str(a.organization.country), a.title)
                for a in m.person.affiliations.all()
            ),
        )
        for m in Membership.objects.filter(network__slug=slug)
        .select_related("person")
        .prefetch_related("person__affiliations__organization")
    )


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("generate", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


class GenerateCommandTests:
    def test_the_same_seed_gives_identical_members_twice(self):
        out = run("--members", "500", "--seed", "1")
        first = generated("synthetic")
        assert "Generated 500 members" in out
        Person.objects.all().delete()
        Network.objects.all().delete()
        Organization.objects.all().delete()
        run("--members", "500", "--seed", "1")
        assert generated("synthetic") == first
        assert len(first) == 500

    def test_another_seed_gives_other_members(self):
        run("--members", "200", "--seed", "1", "--network", "one")
        run("--members", "200", "--seed", "2", "--network", "two")
        names_one = {row[0] for row in generated("one")}
        names_two = {row[0] for row in generated("two")}
        assert [row[2] for row in generated("one")] != [row[2] for row in generated("two")]
        assert names_one != names_two

    def test_it_refuses_to_generate_the_same_seed_into_the_same_network_twice(self):
        run("--members", "50", "--seed", "3", "--network", "again")
        with pytest.raises(CommandError, match="Use another --seed or --network"):
            run("--members", "50", "--seed", "3", "--network", "again")
        assert Membership.objects.filter(network__slug="again").count() == 50

    def test_it_accepts_ties_per_member_for_later(self):
        err = io.StringIO()
        call_command(
            "generate",
            "--members",
            "20",
            "--seed",
            "4",
            "--ties-per-member",
            "5",
            stdout=io.StringIO(),
            stderr=err,
        )
        assert "ignored" in err.getvalue()
        assert Membership.objects.count() == 20


class GenerateNetworkTests:
    def test_every_member_is_active_with_a_join_date_an_organization_and_search_text(self):
        result = generate_network(members=300, seed=7, slug="big", batch_size=64)
        memberships = list(
            Membership.objects.filter(network=result.network).select_related("person")
        )
        assert len(memberships) == 300
        assert all(m.status == "active" and m.joined_at for m in memberships)
        roles = Counter(m.role for m in memberships)
        assert roles[Role.COORDINATOR] == 1 and roles[Role.MEMBER] > 250
        affiliations = {a.person_id: a for a in Affiliation.objects.select_related("organization")}
        for m in memberships:
            assert m.person.search_text == person_search_text(
                m.person, [affiliations[m.person_id].organization]
            )
        assert Organization.objects.count() == result.organizations

    def test_the_directory_finds_generated_members_by_words_in_three_languages(self):
        result = generate_network(members=400, seed=11, slug="found")
        coordinator = make_person(name="Bench Coordinator")
        membership_add(network=result.network, person=coordinator, role=Role.COORDINATOR)
        access = access_for(coordinator.user, result.network)

        def hits(text: str) -> int:
            return members_for_directory(access=access, query=DirectoryQuery(text=text)).count()

        total = hits("")
        for word in ("prevention", "prévention", "prevención", "injectables"):
            assert 0 < hits(word) < total, word
        someone = Person.objects.filter(memberships__network=result.network).order_by("email")[0]
        assert hits(someone.name) >= 1

    def test_generating_into_an_existing_network_adds_members_and_keeps_its_coordinators(self):
        network = Network.objects.create(name="Existing", slug="existing")
        lead = make_person(name="Lead")
        membership_add(network=network, person=lead, role=Role.COORDINATOR)
        generate_network(members=30, seed=5, slug="existing")
        assert network.memberships.count() == 31
        assert list(
            network.memberships.filter(role=Role.COORDINATOR).values_list("person", flat=True)
        ) == [lead.pk]

    def test_it_reuses_organizations_that_already_exist(self):
        generate_network(members=200, seed=9, slug="first")
        organizations = Organization.objects.count()
        result = generate_network(members=200, seed=9, slug="second")
        assert result.new_organizations == 0
        assert Organization.objects.count() == organizations

    def test_it_rejects_zero_members(self):
        with pytest.raises(GenerateError, match="at least one member"):
            generate_network(members=0, seed=1)
