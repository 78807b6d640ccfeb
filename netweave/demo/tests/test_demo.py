"""The demo: what it contains, that it is the same every time, and `netweave demo`'s idempotence."""

from __future__ import annotations

import io
import re
from collections import Counter

import pytest
from allauth.account.models import EmailAddress
from django.core.management import call_command
from django.test import Client

from netweave.accounts.models import User
from netweave.demo import data
from netweave.demo.load import demo_is_loaded, demo_load, demo_remove
from netweave.networks.models import Network
from netweave.people.models import Affiliation, Invitation, Membership, Organization, Person
from netweave.people.services import person_set_affiliation

pytestmark = pytest.mark.django_db

FRENCH = re.compile(r"\b(je|depuis|sur|nous|notre|avec)\b", re.IGNORECASE)
SPANISH = re.compile(r"\b(trabajo|desde|sobre|nuestro|nuestra|años)\b", re.IGNORECASE)
ENGLISH = re.compile(r"\b(I|my|our|the|with|years)\b")


def snapshot() -> dict[str, object]:
    """Everything a person sees of the demo, without ids or timestamps."""
    people = sorted(
        (
            p.email,
            p.name,
            p.bio,
            tuple(p.expertise),
            tuple(p.interests),
            p.offers,
            p.seeks,
            tuple(p.languages),
            p.city,
            str(p.country),
            p.map_consent,
            p.search_text,
            tuple(sorted((a.organization.name, a.title) for a in p.affiliations.all())),
        )
        for p in Person.objects.prefetch_related("affiliations__organization")
    )
    organizations = sorted(
        Organization.objects.values_list("name", "kind", "country", "sector", "website")
    )
    memberships = sorted(
        Membership.objects.values_list("network__slug", "person__email", "role", "status")
    )
    networks = sorted(
        Network.objects.values_list(
            "slug",
            "name",
            "purpose",
            "phase",
            "visibility",
            "topics",
            "languages",
            "period_start",
            "period_end",
            "host__name",
        )
    )
    invitations = sorted(
        Invitation.objects.values_list("network__slug", "email", "name", "role", "status")
    )
    return {
        "people": people,
        "organizations": organizations,
        "memberships": memberships,
        "networks": networks,
        "invitations": invitations,
    }


class DemoContentTests:
    @pytest.fixture(autouse=True)
    def loaded(self) -> None:
        demo_load()

    def test_it_has_about_120_active_members_in_the_learning_network_in_the_right_roles(self):
        roles = Counter(
            Membership.objects.filter(network__slug="lahp", status="active").values_list(
                "role", flat=True
            )
        )
        assert roles["coordinator"] == 2
        assert roles["steward"] == 4
        assert 105 <= roles["member"] <= 115
        assert 2 <= roles["observer"] <= 6
        assert 115 <= sum(roles.values()) <= 125

    def test_it_has_pending_applications_invitations_and_lapsed_members(self):
        lahp = Network.objects.get(slug="lahp")
        statuses = Counter(lahp.memberships.values_list("status", flat=True))
        assert statuses["applied"] >= 2
        assert statuses["lapsed"] >= 2
        assert lahp.invitations.filter(status="pending").count() >= 2
        assert all(m.application_message for m in lahp.memberships.filter(status="applied"))

    def test_its_members_come_from_about_60_organizations_in_25_or_more_countries(self):
        active = Person.objects.filter(
            memberships__network__slug="lahp", memberships__status="active"
        )
        organizations = (
            Affiliation.objects.filter(person__in=active).values("organization").distinct()
        )
        assert 55 <= organizations.count() <= 70
        assert active.exclude(country="").values("country").distinct().count() >= 25
        kinds = set(Organization.objects.values_list("kind", flat=True))
        assert {"ngo", "university", "company", "government", "funder"} <= kinds
        for website in Organization.objects.values_list("website", flat=True):
            assert re.fullmatch(r"https://[a-z0-9.-]+\.example\.org", website), website

    def test_profiles_are_written_in_english_french_and_spanish(self):
        bios = list(Person.objects.values_list("bio", flat=True))
        french = [b for b in bios if FRENCH.search(b) and not SPANISH.search(b)]
        spanish = [b for b in bios if SPANISH.search(b) and not FRENCH.search(b)]
        english = [
            b for b in bios if ENGLISH.search(b) and not (FRENCH.search(b) or SPANISH.search(b))
        ]
        assert len(french) >= 10 and len(spanish) >= 10 and len(english) >= 30
        languages = Counter(code for p in Person.objects.all() for code in p.languages)
        assert languages["en"] and languages["fr"] and languages["es"]
        assert all(p.expertise and p.offers and p.seeks for p in Person.objects.all())

    def test_some_members_are_named_on_the_map_and_others_anonymous(self):
        consent = Counter(Person.objects.values_list("map_consent", flat=True))
        assert consent["named"] >= 20 and consent["anonymous"] >= 20

    def test_the_action_network_shares_the_host_and_some_members(self):
        lahp, vdan = Network.objects.get(slug="lahp"), Network.objects.get(slug="vdan")
        assert lahp.host_id == vdan.host_id is not None
        assert (lahp.purpose, lahp.visibility, lahp.languages) == (
            "learning",
            "public",
            ["en", "fr", "es"],
        )
        assert (vdan.purpose, vdan.visibility) == ("action", "listed")
        assert lahp.period_start < lahp.period_end
        shared = set(
            lahp.memberships.filter(status="active").values_list("person", flat=True)
        ) & set(vdan.memberships.filter(status="active").values_list("person", flat=True))
        assert 5 <= len(shared) < vdan.memberships.count()

    def test_no_person_has_a_real_mailbox(self):
        for email in Person.objects.values_list("email", flat=True):
            assert email.endswith(".example.org") or email.endswith("@demo.netweave.org"), email

    @pytest.mark.parametrize(
        ("email", "page", "status"),
        [
            (data.COORDINATOR_EMAIL, "/n/lahp/manage/members/", 200),
            (data.MEMBER_EMAIL, "/n/lahp/members/", 200),
            (data.MEMBER_EMAIL, "/n/lahp/manage/members/", 403),
            (data.ADMIN_EMAIL, "/admin/", 200),
        ],
    )
    def test_the_demo_accounts_sign_in_with_the_published_password(self, email, page, status):
        client = Client()
        response = client.post("/accounts/login/", {"login": email, "password": data.DEMO_PASSWORD})
        assert response.status_code == 302, response.content[:500]
        assert client.get(page).status_code == status
        assert EmailAddress.objects.get(email=email).verified

    def test_the_directory_finds_demo_members_by_a_word_of_their_profile(self):
        client = Client()
        client.post(
            "/accounts/login/", {"login": data.COORDINATOR_EMAIL, "password": data.DEMO_PASSWORD}
        )
        someone = (
            Person.objects.filter(memberships__network__slug="lahp", memberships__status="active")
            .exclude(email=data.COORDINATOR_EMAIL)
            .order_by("email")
            .first()
        )
        word = someone.name.split()[-1]
        response = client.get("/n/lahp/members/", {"q": word})
        assert response.status_code == 200
        assert someone.name in response.content.decode()


class DemoDeterminismTests:
    def test_two_loads_give_the_same_people_organizations_and_memberships(self):
        demo_load()
        first = snapshot()
        demo_remove()
        assert not Person.objects.exists() and not Network.objects.exists()
        demo_load()
        assert snapshot() == first

    def test_reset_keeps_people_and_organizations_that_are_not_the_demos(self):
        demo_load()
        outsider = Person.objects.create(
            name="Not In The Demo", email="someone@elsewhere.example.net"
        )
        demo_org = Organization.objects.get(name=data.ORGANIZATIONS[0].name)
        person_set_affiliation(person=outsider, organization=demo_org)
        demo_remove()
        assert not demo_is_loaded()
        assert list(Person.objects.all()) == [outsider]
        assert list(Organization.objects.all()) == [demo_org]
        assert not User.objects.exists()


class DemoCommandTests:
    def run(self, *args: str) -> str:
        out = io.StringIO()
        call_command("demo", *args, stdout=out)
        return out.getvalue()

    def test_running_it_twice_loads_once_and_says_so(self):
        first = self.run()
        counts = (Person.objects.count(), Membership.objects.count(), Organization.objects.count())
        second = self.run()
        assert "Loaded the demo" in first and "already loaded" not in first
        assert "already loaded" in second and "--reset" in second
        assert (
            Person.objects.count(),
            Membership.objects.count(),
            Organization.objects.count(),
        ) == counts

    def test_it_ends_by_saying_how_to_sign_in(self):
        out = self.run()
        assert "http://127.0.0.1:8000/accounts/login/" in out
        for email in (data.COORDINATOR_EMAIL, data.MEMBER_EMAIL, data.ADMIN_EMAIL):
            assert email in out
        assert data.DEMO_PASSWORD in out

    def test_reset_reloads_the_same_demo(self):
        self.run()
        before = snapshot()
        coordinator_user_id = User.objects.get(email=data.COORDINATOR_EMAIL).pk
        out = self.run("--reset")
        assert "Loaded the demo" in out
        assert snapshot() == before
        assert User.objects.get(email=data.COORDINATOR_EMAIL).pk != coordinator_user_id
