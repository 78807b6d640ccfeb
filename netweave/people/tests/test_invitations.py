from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from netweave.lib.testing import make_person
from netweave.people.models import Invitation, Membership
from netweave.people.services import (
    PeopleError,
    invitation_accept,
    invitation_create,
    invitation_revoke,
)


@pytest.mark.django_db
class InvitationTests:
    def test_an_invitation_is_emailed_with_a_link_in_both_parts(
        self, cast, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            invitation = invitation_create(
                network=cast.network,
                email="New@Example.org",
                name="Nia New",
                invited_by=cast.coordinator,
                message="Join our trial-design group",
            )
        assert invitation.email == "new@example.org"
        message = mail.outbox[0]
        assert message.to == ["new@example.org"]
        assert "Cast Network" in message.subject
        assert f"/invitations/{invitation.token}/" in message.body
        html, mimetype = message.alternatives[0]
        assert mimetype == "text/html" and f"/invitations/{invitation.token}/" in html
        assert "Join our trial-design group" in html
        invitation.refresh_from_db()
        assert invitation.sent_at is not None

    def test_inviting_the_same_address_twice_refreshes_the_pending_invitation(self, cast):
        first = invitation_create(network=cast.network, email="a@example.org", invited_by=None)
        second = invitation_create(
            network=cast.network, email="A@example.org", invited_by=None, role="observer"
        )
        assert first.pk == second.pk
        assert Invitation.objects.get().role == "observer"

    def test_inviting_an_active_member_is_refused(self, cast):
        with pytest.raises(PeopleError, match="already a member"):
            invitation_create(network=cast.network, email="MINA@example.org", invited_by=None)

    def test_accepting_makes_the_person_an_active_member_with_the_invited_role(self, cast):
        invitation = invitation_create(
            network=cast.network,
            email="una@example.org",
            role="steward",
            invited_by=cast.coordinator,
        )
        membership = invitation_accept(invitation=invitation, person=cast.outsider)
        assert (membership.status, membership.role) == ("active", "steward")
        invitation.refresh_from_db()
        assert invitation.status == "accepted" and invitation.accepted_by == cast.outsider
        # accepting again is harmless for the same person, refused for anyone else
        invitation_accept(invitation=invitation, person=cast.outsider)
        with pytest.raises(PeopleError):
            invitation_accept(invitation=invitation, person=make_person())

    def test_expired_and_revoked_invitations_cannot_be_used(self, cast):
        invitation = invitation_create(network=cast.network, email="x@example.org", invited_by=None)
        invitation.expires_at = timezone.now() - timedelta(days=1)
        invitation.save()
        with pytest.raises(PeopleError, match="expired"):
            invitation_accept(invitation=invitation, person=cast.outsider)
        other = invitation_create(network=cast.network, email="y@example.org", invited_by=None)
        invitation_revoke(invitation=other)
        with pytest.raises(PeopleError):
            invitation_accept(invitation=other, person=cast.outsider)
        assert not Membership.objects.filter(network=cast.network, person=cast.outsider).exists()


@pytest.mark.django_db
class InvitationPageTests:
    def test_a_steward_invites_one_person_from_the_page(
        self, cast, client, django_capture_on_commit_callbacks
    ):
        client.force_login(cast.steward.user)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                "/n/cast/manage/invitations/",
                {"one-email": "guest@example.org", "one-name": "Gus Guest", "one-role": "member"},
            )
        assert response.status_code == 302
        assert Invitation.objects.get().email == "guest@example.org"
        assert len(mail.outbox) == 1

    def test_a_steward_cannot_invite_a_coordinator(self, cast, client):
        client.force_login(cast.steward.user)
        response = client.post(
            "/n/cast/manage/invitations/",
            {"one-email": "boss@example.org", "one-role": "coordinator"},
        )
        assert response.status_code == 200
        assert "one-role" in response.content.decode() and not Invitation.objects.exists()

    def test_a_csv_of_invitations_with_a_bad_row_sends_nothing_and_names_the_line(
        self, cast, client
    ):
        from django.core.files.uploadedfile import SimpleUploadedFile

        client.force_login(cast.coordinator.user)
        content = b"email,name\nok@example.org,Ok\nnot-an-email,Bad\nok@example.org,Twice\n"
        response = client.post(
            "/n/cast/manage/invitations/",
            {"bulk-file": SimpleUploadedFile("invites.csv", content, "text/csv")},
        )
        page = response.content.decode()
        assert "Line 3" in page and "Line 4" in page
        assert not Invitation.objects.exists()

    def test_a_csv_of_invitations_is_sent(self, cast, client, django_capture_on_commit_callbacks):
        from django.core.files.uploadedfile import SimpleUploadedFile

        client.force_login(cast.coordinator.user)
        content = "email,name,role\nana@example.org,Ana Núñez,member\nbo@example.org,Bo,observer\n".encode()
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                "/n/cast/manage/invitations/",
                {"bulk-file": SimpleUploadedFile("invites.csv", content, "text/csv")},
            )
        assert response.status_code == 302
        assert sorted(Invitation.objects.values_list("email", "role")) == [
            ("ana@example.org", "member"),
            ("bo@example.org", "observer"),
        ]
        assert len(mail.outbox) == 2

    def test_the_invitee_accepts_from_the_link(self, cast, client):
        invitation = invitation_create(
            network=cast.network, email="una@example.org", invited_by=None, send=False
        )
        url = f"/invitations/{invitation.token}/"
        assert "Create my account" in client.get(url).content.decode()
        client.force_login(cast.outsider.user)
        assert client.post(url).status_code == 302
        assert Membership.objects.get(network=cast.network, person=cast.outsider).status == "active"

    def test_a_withdrawn_invitation_shows_a_clear_page(self, cast, client):
        invitation = invitation_create(
            network=cast.network, email="z@example.org", invited_by=None, send=False
        )
        invitation_revoke(invitation=invitation)
        response = client.get(f"/invitations/{invitation.token}/")
        assert response.status_code == 410
        assert "can no longer be used" in response.content.decode()

    def test_an_unknown_token_is_a_404(self, client, db):
        assert client.get("/invitations/nope/").status_code == 404


@pytest.mark.django_db
class InvitationSignupTests:
    def test_a_new_person_signs_up_from_the_link_without_a_second_verification(self, cast, client):
        from allauth.account.models import EmailAddress

        invitation = invitation_create(
            network=cast.network, email="newbie@example.org", invited_by=None, send=False
        )
        url = f"/invitations/{invitation.token}/"
        client.get(url)
        signup = client.get(f"/accounts/signup/?next={url}").content.decode()
        assert 'value="newbie@example.org"' in signup
        response = client.post(
            f"/accounts/signup/?next={url}",
            {
                "email": "newbie@example.org",
                "password1": "a-long-pass-phrase-9",
                "password2": "a-long-pass-phrase-9",
            },
        )
        assert response.status_code == 302 and response["Location"] == url
        assert EmailAddress.objects.get(email="newbie@example.org").verified
        assert client.post(url).status_code == 302
        membership = Membership.objects.get(
            network=cast.network, person__email="newbie@example.org"
        )
        assert membership.status == "active"


@pytest.mark.django_db
class InvitationNameTests:
    def test_the_name_the_coordinator_typed_replaces_the_placeholder_from_the_email(self, cast):
        from netweave.accounts.models import User
        from netweave.people.services import person_ensure_for_user

        user = User.objects.create_user(
            email="ines.invitee@example.org", password="pw-long-enough-1"
        )
        person = person_ensure_for_user(user=user)
        assert person.name == "Ines Invitee"
        invitation = invitation_create(
            network=cast.network, email=user.email, name="Inés Invitée", invited_by=None, send=False
        )
        invitation_accept(invitation=invitation, person=person)
        person.refresh_from_db()
        assert person.name == "Inés Invitée"

    def test_a_name_the_person_chose_is_kept(self, cast):
        invitation = invitation_create(
            network=cast.network,
            email="una@example.org",
            name="Somebody Else",
            invited_by=None,
            send=False,
        )
        invitation_accept(invitation=invitation, person=cast.outsider)
        cast.outsider.refresh_from_db()
        assert cast.outsider.name == "Una Outsider"
