import pytest
from django.core import mail

from netweave.lib.testing import make_member, make_network
from netweave.people.models import Invitation, Membership, MembershipEvent, Role
from netweave.people.services import invitation_create, membership_apply

ONBOARD_STATUSES = [
    ("coordinator", 200),
    ("steward", 200),
    ("member", 403),
    ("observer", 403),
    ("other_member", 403),
    ("outsider", 403),
    ("anonymous", 401),
]
MANAGE_STATUSES = [
    ("coordinator", 200),
    ("steward", 403),
    ("member", 403),
    ("observer", 403),
    ("other_member", 403),
    ("outsider", 403),
    ("anonymous", 401),
]


def _membership(cast, who: str) -> Membership:
    return Membership.objects.get(network=cast.network, person=getattr(cast, who))


def _application(cast) -> Membership:
    return membership_apply(network=cast.network, person=cast.outsider, message="I map rivers.")


@pytest.mark.django_db
class MembershipsListTests:
    @pytest.mark.parametrize(("who", "status"), ONBOARD_STATUSES)
    def test_stewards_and_coordinators_list_memberships(self, api, who, status):
        _application(api.cast)
        response = api.get(who, "/networks/cast/memberships")
        assert response.status == status
        if status == 200:
            assert response.body["count"] == 5
            assert {m["status"] for m in response.body["items"]} == {"active", "applied"}

    def test_it_filters_by_status_and_text(self, api):
        _application(api.cast)
        body = api.get("steward", "/networks/cast/memberships", {"status": "applied"}).body
        assert [m["person"]["name"] for m in body["items"]] == ["Una Outsider"]
        assert body["items"][0]["application_message"] == "I map rivers."
        body = api.get("steward", "/networks/cast/memberships", {"q": "mina"}).body
        assert [m["person"]["name"] for m in body["items"]] == ["Mina Member"]

    def test_an_unknown_status_is_a_400(self, api):
        response = api.get("steward", "/networks/cast/memberships", {"status": "asleep"})
        assert response.status == 400
        assert response.error.startswith("status: ")

    def test_stewards_do_not_see_addresses_but_coordinators_do(self, api):
        steward = api.get("steward", "/networks/cast/memberships")
        assert all(m["person"]["email"] is None for m in steward.body["items"])
        assert b"@example.org" not in steward.raw
        coordinator = api.get("coordinator", "/networks/cast/memberships").body
        assert "mina@example.org" in {m["person"]["email"] for m in coordinator["items"]}

    def test_a_private_network_is_a_404_to_outsiders(self, private_api):
        assert private_api.get("outsider", "/networks/cast/memberships").status == 404
        assert private_api.get("anonymous", "/networks/cast/memberships").status == 404
        assert private_api.get("member", "/networks/cast/memberships").status == 403


@pytest.mark.django_db
class MembershipsReadTests:
    @pytest.mark.parametrize(("who", "status"), ONBOARD_STATUSES)
    def test_stewards_and_coordinators_read_a_membership(self, api, who, status):
        membership = _membership(api.cast, "member")
        response = api.get(who, f"/networks/cast/memberships/{membership.pk}")
        assert response.status == status
        if status == 200:
            assert response.body["person"]["name"] == "Mina Member"
            assert response.body["network"] == {"slug": "cast", "name": "Cast Network"}

    def test_a_membership_of_another_network_is_a_404(self, api):
        elsewhere = Membership.objects.get(person=api.cast.other_member)
        assert api.get("coordinator", f"/networks/cast/memberships/{elsewhere.pk}").status == 404


@pytest.mark.django_db
class MembershipsUpdateTests:
    @pytest.mark.parametrize(("who", "status"), MANAGE_STATUSES)
    def test_only_coordinators_change_roles(self, api, who, status):
        membership = _membership(api.cast, "member")
        response = api.patch(
            who, f"/networks/cast/memberships/{membership.pk}", {"role": "steward"}
        )
        assert response.status == status
        membership.refresh_from_db()
        assert membership.role == ("steward" if status == 200 else "member")

    def test_a_coordinator_lapses_and_reinstates_a_member_with_a_note(self, api):
        membership = _membership(api.cast, "member")
        path = f"/networks/cast/memberships/{membership.pk}"
        response = api.patch("coordinator", path, {"status": "lapsed", "message": "No reply"})
        assert response.status == 200
        assert response.body["status"] == "lapsed" and response.body["left_at"]
        event = MembershipEvent.objects.filter(membership=membership).first()
        assert (event.kind, event.message, event.actor) == (
            "lapsed",
            "No reply",
            api.cast.coordinator,
        )
        assert api.patch("coordinator", path, {"status": "active"}).body["status"] == "active"

    def test_role_and_status_change_together(self, api):
        membership = _membership(api.cast, "observer")
        response = api.patch(
            "coordinator",
            f"/networks/cast/memberships/{membership.pk}",
            {"role": "member", "status": "left"},
        )
        assert (response.body["role"], response.body["status"]) == ("member", "left")

    def test_the_last_coordinator_cannot_step_down(self, api):
        membership = _membership(api.cast, "coordinator")
        response = api.patch(
            "coordinator", f"/networks/cast/memberships/{membership.pk}", {"role": "member"}
        )
        assert response.status == 409
        assert "at least one coordinator" in response.error
        membership.refresh_from_db()
        assert membership.role == "coordinator"

    def test_nothing_is_half_written_when_the_second_change_is_refused(self, api):
        applied = _application(api.cast)
        response = api.patch(
            "coordinator",
            f"/networks/cast/memberships/{applied.pk}",
            {"role": "observer", "status": "active"},
        )
        assert response.status == 409  # an application is decided, not reinstated
        assert "reinstated" in response.error
        applied.refresh_from_db()
        assert (applied.role, applied.status) == ("member", "applied")

    @pytest.mark.parametrize(
        ("body", "words"),
        [
            ({}, "Send a role, a status, or both."),
            ({"role": "king"}, "role: "),
            ({"status": "applied"}, "status: "),
            ({"message": "just a note"}, "Send a role, a status, or both."),
        ],
    )
    def test_bad_input_is_a_400_with_a_message(self, api, body, words):
        membership = _membership(api.cast, "member")
        response = api.patch("coordinator", f"/networks/cast/memberships/{membership.pk}", body)
        assert response.status == 400
        assert words in response.error

    def test_a_membership_of_another_network_is_a_404(self, api):
        elsewhere = Membership.objects.get(person=api.cast.other_member)
        response = api.patch(
            "coordinator", f"/networks/cast/memberships/{elsewhere.pk}", {"role": "member"}
        )
        assert response.status == 404
        elsewhere.refresh_from_db()
        assert elsewhere.role == "coordinator"


@pytest.mark.django_db
class ApplicationsTests:
    def test_a_signed_in_outsider_applies(self, api):
        response = api.post("outsider", "/networks/cast/applications", {"message": "I map rivers."})
        assert response.status == 201
        assert response.body["status"] == "applied"
        assert response.body["person"]["email"] == "una@example.org"  # their own
        assert _membership(api.cast, "outsider").application_message == "I map rivers."

    def test_the_coordinators_are_told_by_email(self, api, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True):
            api.post("outsider", "/networks/cast/applications", {"message": "I map rivers."})
        assert any("Una Outsider" in message.subject for message in mail.outbox)

    def test_anonymous_callers_must_sign_in(self, api):
        response = api.post("anonymous", "/networks/cast/applications", {"message": "Hi"})
        assert response.status == 401

    def test_members_are_told_they_are_already_in(self, api):
        response = api.post("member", "/networks/cast/applications", {"message": "Again"})
        assert response.status == 409
        assert response.error == "You are already a member of this network."

    def test_applying_twice_is_a_conflict(self, api):
        api.post("outsider", "/networks/cast/applications", {"message": "Hi"})
        response = api.post("outsider", "/networks/cast/applications", {"message": "Hi again"})
        assert response.status == 409

    def test_a_network_that_joins_by_invitation_refuses_applications(self, api):
        make_network(name="Listed Lab", slug="listed", visibility="listed")
        response = api.post("outsider", "/networks/listed/applications", {"message": "Hi"})
        assert response.status == 403
        assert "invite" in response.error

    def test_a_private_network_is_a_404(self, private_api):
        response = private_api.post("outsider", "/networks/cast/applications", {"message": "Hi"})
        assert response.status == 404

    @pytest.mark.parametrize("body", [{}, {"message": "   "}])
    def test_an_application_needs_a_message(self, api, body):
        response = api.post("outsider", "/networks/cast/applications", body)
        assert response.status == 400
        assert response.error.startswith("message: ")


@pytest.mark.django_db
class DecisionTests:
    @pytest.mark.parametrize(("who", "status"), ONBOARD_STATUSES)
    def test_stewards_and_coordinators_decide(self, api, who, status):
        application = _application(api.cast)
        response = api.post(
            who,
            f"/networks/cast/memberships/{application.pk}/decision",
            {"decision": "approve", "message": "Welcome!"},
        )
        assert response.status == status
        application.refresh_from_db()
        assert application.status == ("active" if status == 200 else "applied")

    def test_a_decline_is_recorded_and_the_applicant_told(
        self, api, django_capture_on_commit_callbacks
    ):
        application = _application(api.cast)
        with django_capture_on_commit_callbacks(execute=True):
            response = api.post(
                "steward",
                f"/networks/cast/memberships/{application.pk}/decision",
                {"decision": "decline", "message": "We are full this year."},
            )
        assert response.body["status"] == "declined"
        assert any("We are full this year." in m.body for m in mail.outbox if "una@" in m.to[0])

    def test_deciding_twice_is_a_conflict(self, api):
        application = _application(api.cast)
        path = f"/networks/cast/memberships/{application.pk}/decision"
        assert api.post("steward", path, {"decision": "approve"}).status == 200
        response = api.post("steward", path, {"decision": "decline"})
        assert response.status == 409
        assert response.error == "Only a pending application can be approved or declined."

    def test_a_decision_must_be_approve_or_decline(self, api):
        application = _application(api.cast)
        response = api.post(
            "steward",
            f"/networks/cast/memberships/{application.pk}/decision",
            {"decision": "maybe"},
        )
        assert response.status == 400
        assert response.error.startswith("decision: ")


@pytest.mark.django_db
class InvitationsTests:
    @pytest.mark.parametrize(("who", "status"), ONBOARD_STATUSES)
    def test_stewards_and_coordinators_list_pending_invitations(self, api, who, status):
        invitation_create(
            network=api.cast.network, email="new@example.net", invited_by=api.cast.coordinator
        )
        response = api.get(who, "/networks/cast/invitations")
        assert response.status == status
        if status == 200:
            item = response.body["items"][0]
            assert (item["email"], item["invited_by"]["name"]) == (
                "new@example.net",
                "Cora Coordinator",
            )
            assert "token" not in item  # the acceptance key is for the invitee only

    @pytest.mark.parametrize(
        ("who", "status"),
        [(w, 201 if s == 200 else s) for w, s in ONBOARD_STATUSES],
    )
    def test_stewards_and_coordinators_invite_members(self, api, who, status):
        response = api.post(
            who, "/networks/cast/invitations", {"email": "New@Example.net", "name": "Nia"}
        )
        assert response.status == status
        created = Invitation.objects.filter(network=api.cast.network, email="new@example.net")
        assert created.exists() is (status == 201)
        if status == 201:
            assert response.body["role"] == "member"

    def test_the_invitation_email_is_sent(self, api, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True):
            api.post("steward", "/networks/cast/invitations", {"email": "new@example.net"})
        assert [m.to for m in mail.outbox] == [["new@example.net"]]

    def test_a_steward_cannot_invite_a_coordinator_but_a_coordinator_can(self, api):
        body = {"email": "boss@example.net", "role": "coordinator"}
        response = api.post("steward", "/networks/cast/invitations", body)
        assert response.status == 403
        assert "observer, member" in response.error
        assert api.post("coordinator", "/networks/cast/invitations", body).status == 201

    def test_inviting_an_active_member_is_a_conflict(self, api):
        response = api.post("steward", "/networks/cast/invitations", {"email": "mina@example.org"})
        assert response.status == 409
        assert "already a member" in response.error

    @pytest.mark.parametrize(
        ("body", "field"),
        [
            ({"email": "not-an-address"}, "email"),
            ({}, "email"),
            ({"email": "a@example.net", "role": "king"}, "role"),
        ],
    )
    def test_bad_input_is_a_400(self, api, body, field):
        response = api.post("steward", "/networks/cast/invitations", body)
        assert response.status == 400
        assert response.error.startswith(f"{field}: ")

    @pytest.mark.parametrize(("who", "status"), ONBOARD_STATUSES)
    def test_stewards_and_coordinators_revoke(self, api, who, status):
        invitation = invitation_create(
            network=api.cast.network, email="new@example.net", invited_by=api.cast.coordinator
        )
        response = api.post(who, f"/networks/cast/invitations/{invitation.pk}/revoke")
        assert response.status == status
        invitation.refresh_from_db()
        assert invitation.status == ("revoked" if status == 200 else "pending")

    def test_revoking_twice_is_a_conflict(self, api):
        invitation = invitation_create(
            network=api.cast.network, email="new@example.net", invited_by=api.cast.coordinator
        )
        path = f"/networks/cast/invitations/{invitation.pk}/revoke"
        assert api.post("steward", path).status == 200
        response = api.post("steward", path)
        assert response.status == 409
        assert response.error == "Only a pending invitation can be revoked."

    def test_an_invitation_of_another_network_is_a_404(self, api):
        make_member(api.cast.other_network, Role.COORDINATOR)
        invitation = invitation_create(
            network=api.cast.other_network, email="x@example.net", invited_by=None
        )
        response = api.post("coordinator", f"/networks/cast/invitations/{invitation.pk}/revoke")
        assert response.status == 404
        invitation.refresh_from_db()
        assert invitation.status == "pending"
