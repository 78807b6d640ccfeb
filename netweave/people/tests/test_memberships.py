import pytest
from django.core import mail

from netweave.people.models import Membership, MembershipEvent, Role
from netweave.people.services import (
    NotAllowed,
    PeopleError,
    membership_apply,
    membership_change_role,
    membership_change_status,
    membership_decide,
)


def membership_of(cast, who):
    return Membership.objects.get(network=cast.network, person=getattr(cast, who))


@pytest.mark.django_db
class MembershipApplyTests:
    def test_an_outsider_applies_and_coordinators_and_stewards_are_told(
        self, cast, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            membership = membership_apply(
                network=cast.network, person=cast.outsider, message="I run trials."
            )
        assert membership.status == Membership.Status.APPLIED
        assert membership.events.get().kind == MembershipEvent.Kind.APPLIED
        assert len(mail.outbox) == 1
        assert set(mail.outbox[0].to) == {"cora@example.org", "stella@example.org"}
        assert "I run trials." in mail.outbox[0].body

    def test_it_refuses_a_second_application_while_one_waits(self, cast):
        membership_apply(network=cast.network, person=cast.outsider, message="one")
        with pytest.raises(PeopleError, match="already waiting"):
            membership_apply(network=cast.network, person=cast.outsider, message="two")

    def test_it_refuses_applications_to_a_network_that_is_not_public(self, cast):
        cast.network.visibility = "listed"
        cast.network.save()
        with pytest.raises(NotAllowed):
            membership_apply(network=cast.network, person=cast.outsider, message="hi")

    def test_approval_makes_an_active_member_and_emails_the_applicant(
        self, cast, django_capture_on_commit_callbacks
    ):
        membership = membership_apply(network=cast.network, person=cast.outsider, message="hi")
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            membership_decide(
                membership=membership,
                approve=True,
                actor=cast.coordinator,
                message="Welcome aboard",
            )
        membership.refresh_from_db()
        assert membership.status == Membership.Status.ACTIVE
        assert membership.joined_at is not None
        assert mail.outbox[0].to == ["una@example.org"]
        assert "Welcome aboard" in mail.outbox[0].body

    def test_a_declined_application_keeps_its_history(self, cast):
        membership = membership_apply(network=cast.network, person=cast.outsider, message="hi")
        membership_decide(
            membership=membership, approve=False, actor=cast.steward, message="Not now"
        )
        kinds = list(membership.events.order_by("id").values_list("kind", "message"))
        assert kinds == [("applied", "hi"), ("declined", "Not now")]
        with pytest.raises(PeopleError):
            membership_decide(membership=membership, approve=True, actor=cast.steward)


@pytest.mark.django_db
class MembershipChangeTests:
    def test_role_changes_are_recorded(self, cast):
        membership = membership_change_role(
            membership=membership_of(cast, "member"), role=Role.STEWARD, actor=cast.coordinator
        )
        event = membership.events.get(kind=MembershipEvent.Kind.ROLE_CHANGED)
        assert (event.old_value, event.new_value, event.actor) == (
            "member",
            "steward",
            cast.coordinator,
        )

    def test_the_last_coordinator_cannot_step_down_or_be_removed(self, cast):
        coordinator = membership_of(cast, "coordinator")
        with pytest.raises(PeopleError, match="at least one coordinator"):
            membership_change_role(membership=coordinator, role=Role.MEMBER, actor=cast.coordinator)
        with pytest.raises(PeopleError, match="at least one coordinator"):
            membership_change_status(membership=coordinator, status="left", actor=cast.coordinator)
        membership_change_role(
            membership=membership_of(cast, "steward"), role=Role.COORDINATOR, actor=None
        )
        membership_change_role(membership=coordinator, role=Role.MEMBER, actor=cast.coordinator)
        assert membership_of(cast, "coordinator").role == Role.MEMBER

    def test_lapse_remove_and_reinstate_keep_every_row(self, cast):
        membership = membership_of(cast, "member")
        membership_change_status(membership=membership, status="lapsed", actor=cast.coordinator)
        assert membership.left_at is not None
        membership_change_status(
            membership=membership, status="left", actor=cast.coordinator, message="moved on"
        )
        membership_change_status(membership=membership, status="active", actor=cast.coordinator)
        membership.refresh_from_db()
        assert membership.status == "active" and membership.left_at is None
        assert list(membership.events.order_by("id").values_list("kind", flat=True)) == [
            "joined",
            "lapsed",
            "left",
            "reinstated",
        ]

    def test_a_lapsed_member_loses_access(self, cast, client):
        membership_change_status(
            membership=membership_of(cast, "member"), status="lapsed", actor=None
        )
        client.force_login(cast.member.user)
        assert client.get("/n/cast/members/").status_code == 403

    def test_it_refuses_an_unknown_status(self, cast):
        with pytest.raises(PeopleError):
            membership_change_status(
                membership=membership_of(cast, "member"), status="applied", actor=None
            )
