import pytest

from netweave.lib.testing import make_member, make_network
from netweave.networks.models import Network
from netweave.people.models import Role
from netweave.people.services import membership_apply


@pytest.mark.django_db
class NetworksListTests:
    def test_anyone_sees_the_catalogue_but_not_private_networks(self, api):
        make_network(name="Quiet Circle", slug="quiet", visibility="private")
        make_network(name="Listed Lab", slug="listed", visibility="listed")
        response = api.get("anonymous", "/networks")
        assert response.status == 200
        slugs = [n["slug"] for n in response.body["items"]]
        assert slugs == ["cast", "listed", "other"]
        assert response.body["count"] == 3

    def test_a_member_of_a_private_network_also_sees_it(self, api):
        quiet = make_network(name="Quiet Circle", slug="quiet", visibility="private")
        make_member(quiet, Role.MEMBER, email="quiet@example.org")
        from netweave.accounts.models import User

        client = api.client()
        client.force_login(User.objects.get(email="quiet@example.org"))
        response = api.get("anonymous", "/networks", client=client)
        assert "quiet" in [n["slug"] for n in response.body["items"]]
        assert "quiet" not in [n["slug"] for n in api.get("member", "/networks").body["items"]]

    def test_items_say_whether_the_network_takes_applications(self, api):
        make_network(name="Listed Lab", slug="listed", visibility="listed")
        items = {n["slug"]: n for n in api.get("anonymous", "/networks").body["items"]}
        assert items["cast"]["accepts_applications"] is True
        assert items["listed"]["accepts_applications"] is False
        assert items["cast"]["url"] == "/n/cast/"


@pytest.mark.django_db
class NetworksReadTests:
    def test_the_public_reads_a_public_network_with_its_counts(self, api):
        response = api.get("anonymous", "/networks/cast")
        assert response.status == 200
        assert response.body["name"] == "Cast Network"
        assert response.body["counts"]["members"] == 4
        assert response.body["counts"]["applications"] is None
        assert response.body["your_role"] is None

    def test_a_steward_sees_pending_applications_and_their_role(self, api):
        membership_apply(network=api.cast.network, person=api.cast.outsider, message="Hello")
        response = api.get("steward", "/networks/cast")
        assert response.body["counts"]["applications"] == 1
        assert response.body["your_role"] == "steward"
        assert response.body["your_status"] == "active"

    def test_an_applicant_sees_their_pending_status(self, api):
        membership_apply(network=api.cast.network, person=api.cast.outsider, message="Hello")
        response = api.get("outsider", "/networks/cast")
        assert response.body["your_role"] is None
        assert response.body["your_status"] == "applied"

    @pytest.mark.parametrize("who", ["anonymous", "outsider", "other_member"])
    def test_a_private_network_is_a_404_to_outsiders(self, private_api, who):
        response = private_api.get(who, "/networks/cast")
        assert response.status == 404
        assert response.body == {"error": "Not found."}

    def test_a_private_network_is_readable_by_its_observers(self, private_api):
        assert private_api.get("observer", "/networks/cast").status == 200

    def test_an_unknown_network_is_a_404(self, api):
        assert api.get("coordinator", "/networks/nowhere").status == 404


@pytest.mark.django_db
class NetworksUpdateTests:
    @pytest.mark.parametrize(
        ("who", "status"),
        [
            ("coordinator", 200),
            ("steward", 403),
            ("member", 403),
            ("observer", 403),
            ("other_member", 403),
            ("outsider", 403),
            ("anonymous", 401),
        ],
    )
    def test_only_coordinators_change_settings(self, api, who, status):
        response = api.patch(who, "/networks/cast", {"tagline": "Weaving since 2020"})
        assert response.status == status, response.body
        network = Network.objects.get(slug="cast")
        assert (network.tagline == "Weaving since 2020") is (status == 200)

    def test_only_the_fields_sent_change(self, api):
        response = api.patch("coordinator", "/networks/cast", {"phase": "launching"})
        assert response.status == 200
        assert response.body["phase"] == "launching"
        assert response.body["name"] == "Cast Network"

    def test_a_phase_outside_the_life_cycle_model_is_rejected(self, api):
        response = api.patch("coordinator", "/networks/cast", {"phase": "hibernating"})
        assert response.status == 400
        assert "hibernating" in response.error and "catalyzing" in response.error
        assert Network.objects.get(slug="cast").phase == "catalyzing"

    def test_a_learning_period_cannot_end_before_it_starts(self, api):
        response = api.patch(
            "coordinator",
            "/networks/cast",
            {"period_start": "2026-06-01", "period_end": "2026-01-01"},
        )
        assert response.status == 400
        assert response.error.startswith("period_end:")

    def test_unknown_language_codes_are_rejected_with_the_codes(self, api):
        response = api.patch("coordinator", "/networks/cast", {"languages": ["en", "klingon"]})
        assert response.status == 400
        assert response.error == (
            "languages: Unknown language codes: klingon. Use ISO codes such as en, fr, es, pt."
        )

    def test_a_coordinator_can_make_the_network_private(self, api):
        response = api.patch("coordinator", "/networks/cast", {"visibility": "private"})
        assert response.status == 200
        assert api.get("anonymous", "/networks/cast").status == 404
