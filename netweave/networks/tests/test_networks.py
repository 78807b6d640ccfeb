import pytest
from django.core import mail

from netweave.lib.testing import make_network
from netweave.networks.models import Network
from netweave.networks.services import NetworkError, network_create, network_update
from netweave.people.models import Membership


@pytest.mark.django_db
class CatalogueTests:
    def test_it_lists_public_and_listed_networks_with_member_counts_but_not_private_ones(
        self, cast, client
    ):
        make_network(name="Quiet Circle", slug="quiet", visibility="private")
        make_network(name="Listed Lab", slug="listed", visibility="listed")
        page = client.get("/").content.decode()
        assert "Cast Network" in page and "Listed Lab" in page and "Quiet Circle" not in page
        assert "Apply to join" in page

    def test_an_empty_installation_says_how_to_start(self, client, db):
        assert "netweave demo" in client.get("/").content.decode()

    def test_it_tells_members_their_role_with_one_query_for_all_networks(self, cast, client):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        from netweave.people.services import membership_add

        client.force_login(cast.member.user)
        page = client.get("/").content.decode()
        assert "You are a member (Member)." in page
        with CaptureQueriesContext(connection) as few:
            client.get("/")
        for n in range(4):
            membership_add(network=make_network(name=f"Lab {n}"), person=cast.member)
        with CaptureQueriesContext(connection) as many:
            page = client.get("/").content.decode()
        assert page.count("You are a member (Member).") == 5
        assert len(many.captured_queries) == len(few.captured_queries)

    def test_it_filters_by_purpose(self, cast, client):
        make_network(name="Doers", slug="doers", purpose="action")
        page = client.get("/", {"purpose": "action"}).content.decode()
        assert "Doers" in page and "Cast Network" not in page


@pytest.mark.django_db
class NetworkHomeTests:
    def test_the_public_sees_purpose_phase_counts_and_coordinators(self, cast, client):
        page = client.get("/n/cast/").content.decode()
        assert "Cora Coordinator" in page and "Catalyzing" in page
        assert "Apply to join" in page
        assert "What is new" not in page  # recent joins are for members

    def test_members_see_what_is_new(self, cast, client):
        client.force_login(cast.observer.user)
        page = client.get("/n/cast/").content.decode()
        assert "Mina Member joined the network." in page

    def test_a_private_network_is_invisible_to_outsiders(self, private_cast, client):
        assert client.get("/n/cast/").status_code == 404
        client.force_login(private_cast.outsider.user)
        assert client.get("/n/cast/").status_code == 404
        client.force_login(private_cast.member.user)
        assert client.get("/n/cast/").status_code == 200


@pytest.mark.django_db
class ApplyPageTests:
    def test_a_visitor_applies_and_a_coordinator_approves(
        self, cast, client, django_capture_on_commit_callbacks
    ):
        client.force_login(cast.outsider.user)
        with django_capture_on_commit_callbacks(execute=True):
            assert (
                client.post("/n/cast/apply/", {"message": "I model epidemics."}).status_code == 302
            )
        membership = Membership.objects.get(network=cast.network, person=cast.outsider)
        assert membership.status == "applied"
        client.force_login(cast.coordinator.user)
        assert "I model epidemics." in client.get("/n/cast/manage/applications/").content.decode()
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            client.post(
                f"/n/cast/manage/applications/{membership.pk}/decide/",
                {"decision": "approve", "message": "Welcome"},
            )
        membership.refresh_from_db()
        assert membership.status == "active"
        assert mail.outbox[0].to == ["una@example.org"]

    def test_an_empty_application_is_refused_with_a_message(self, cast, client):
        client.force_login(cast.outsider.user)
        response = client.post("/n/cast/apply/", {"message": ""})
        assert response.status_code == 200 and "This field is required" in response.content.decode()


@pytest.mark.django_db
class NetworkSettingsTests:
    def test_the_coordinator_changes_settings(self, cast, client):
        client.force_login(cast.coordinator.user)
        response = client.post(
            "/n/cast/manage/settings/",
            {
                "name": "Cast Network", "tagline": "Together", "description": "", "purpose": "hybrid",
                "phase": "launching", "visibility": "listed", "how_to_join": "", "period_start": "2026-01-01",
                "period_end": "2027-12-31", "topics_text": "HIV, TB, hiv", "languages_text": "en, fr",
            },
        )  # fmt: skip
        assert response.status_code == 302
        network = Network.objects.get(slug="cast")
        assert (network.purpose, network.phase, network.topics) == (
            "hybrid",
            "launching",
            ["HIV", "TB"],
        )

    def test_bad_dates_and_unknown_languages_are_explained(self, cast, client):
        client.force_login(cast.coordinator.user)
        page = client.post(
            "/n/cast/manage/settings/",
            {"name": "Cast", "purpose": "learning", "phase": "launching", "visibility": "public",
             "period_start": "2027-01-01", "period_end": "2026-01-01", "languages_text": "xx"},
        ).content.decode()  # fmt: skip
        assert "must end after it starts" in page and "Unknown language codes: xx" in page

    def test_a_phase_outside_the_model_is_refused(self, cast):
        with pytest.raises(NetworkError):
            network_update(network=cast.network, phase="retired")

    def test_a_taken_slug_is_refused(self, cast):
        with pytest.raises(NetworkError, match="taken"):
            network_create(name="Again", slug="cast")

    def test_stewards_cannot_change_settings(self, cast, client):
        client.force_login(cast.steward.user)
        assert client.get("/n/cast/manage/settings/").status_code == 403


@pytest.mark.django_db
class LanguageTests:
    def test_the_language_switcher_changes_the_interface_language(self, cast, client):
        response = client.post("/i18n/setlang/", {"language": "fr", "next": "/n/cast/"})
        assert response.status_code == 302
        page = client.get("/n/cast/").content.decode()
        assert '<html lang="fr">' in page
