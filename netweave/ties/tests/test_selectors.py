import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext

from netweave.lib.testing import make_member
from netweave.networks.permissions import Capability, access_for
from netweave.people.models import Membership, Person
from netweave.ties.models import Snapshot
from netweave.ties.selectors import (
    TieFilters,
    ego_network,
    latest_done_snapshot,
    snapshot_for_viewer,
    snapshots_for_network,
    ties_for_coordinator,
)
from netweave.ties.services import tie_add, tie_end


def _access(cast, who):
    return access_for(cast.user(who), cast.network)


@pytest.mark.django_db
class EgoNetworkTests:
    def _weave(self, cast):
        """member — steward, member — observer, steward — observer, coordinator — steward."""
        net = cast.network
        tie_add(network=net, source=cast.member, target=cast.steward, kind="knows")
        tie_add(network=net, source=cast.observer, target=cast.member, kind="collaborates")
        tie_add(network=net, source=cast.steward, target=cast.observer, kind="knows")
        tie_add(network=net, source=cast.coordinator, target=cast.steward, kind="knows")

    def test_a_member_sees_their_ties_and_those_among_their_neighbours(self, cast):
        self._weave(cast)
        ego = ego_network(access=_access(cast, "member"))
        assert set(ego.people) == {cast.member.pk, cast.steward.pk, cast.observer.pk}
        pairs = {frozenset(tie[:2]) for tie in ego.ties}
        assert pairs == {
            frozenset((cast.member.pk, cast.steward.pk)),
            frozenset((cast.member.pk, cast.observer.pk)),
            frozenset((cast.steward.pk, cast.observer.pk)),
        }

    def test_names_follow_consent_except_for_those_who_see_every_name(self, cast):
        self._weave(cast)
        Person.objects.filter(pk=cast.observer.pk).update(map_consent="anonymous")
        Person.objects.filter(pk=cast.steward.pk).update(map_consent="named")
        ego = ego_network(access=_access(cast, "member"))
        assert ego.people[cast.observer.pk] == {
            "id": cast.observer.pk,
            "name": "",
            "named": False,
            "is_you": False,
        }
        assert ego.people[cast.steward.pk]["name"] == "Stella Steward"
        assert ego.people[cast.member.pk]["name"] == "Mina Member"  # oneself, always
        Person.objects.filter(pk=cast.steward.pk).update(map_consent="anonymous")
        for who in ("coordinator", "member"):
            access = _access(cast, who)
            shown = ego_network(access=access).people[cast.steward.pk]["name"]
            sees_all = access.can(Capability.VIEW_MAP_ALL_NAMES)
            assert shown == ("Stella Steward" if sees_all else ""), who
        assert _access(cast, "coordinator").can(Capability.VIEW_MAP_ALL_NAMES)

    def test_ended_ties_and_former_members_are_left_out(self, cast):
        self._weave(cast)
        tie = tie_add(
            network=cast.network, source=cast.member, target=make_member(cast.network), kind="knows"
        )
        tie_end(tie=tie)
        Membership.objects.filter(person=cast.observer).update(status="lapsed")
        ego = ego_network(access=_access(cast, "member"))
        assert set(ego.people) == {cast.member.pk, cast.steward.pk}

    def test_observers_have_no_ego_network_and_members_only_their_own(self, cast):
        with pytest.raises(PermissionDenied):
            ego_network(access=_access(cast, "observer"))
        with pytest.raises(PermissionDenied):
            ego_network(access=_access(cast, "member"), person=cast.steward)
        assert ego_network(access=_access(cast, "coordinator"), person=cast.member).person_id

    def test_it_takes_a_fixed_number_of_queries(self, cast):
        self._weave(cast)
        access = _access(cast, "member")
        with CaptureQueriesContext(connection) as queries:
            ego_network(access=access)
        assert len(queries) <= 4


@pytest.mark.django_db
class TieAndSnapshotSelectorTests:
    def test_ties_are_for_coordinators_only(self, cast):
        with pytest.raises(PermissionDenied):
            ties_for_coordinator(access=_access(cast, "steward"))
        tie_add(network=cast.network, source=cast.member, target=cast.steward, kind="knows")
        ties = ties_for_coordinator(
            access=_access(cast, "coordinator"), filters=TieFilters(person=cast.steward.pk)
        )
        with CaptureQueriesContext(connection) as queries:
            names = [(tie.source.name, tie.target.name) for tie in ties]
        assert names == [("Mina Member", "Stella Steward")] and len(queries) == 1

    def test_members_see_only_finished_snapshots(self, cast):
        done = Snapshot.objects.create(network=cast.network, label="Done", status="done")
        pending = Snapshot.objects.create(network=cast.network, label="Pending")
        member = _access(cast, "member")
        assert list(snapshots_for_network(access=member)) == [done]
        assert latest_done_snapshot(access=member) == done
        with pytest.raises(Http404):
            snapshot_for_viewer(access=member, snapshot_id=pending.pk)
        coordinator = _access(cast, "coordinator")
        assert snapshot_for_viewer(access=coordinator, snapshot_id=pending.pk) == pending
        with pytest.raises(PermissionDenied):
            snapshots_for_network(access=_access(cast, "observer"))

    def test_a_snapshot_of_another_network_is_a_404(self, cast):
        other = Snapshot.objects.create(network=cast.other_network, label="x", status="done")
        with pytest.raises(Http404):
            snapshot_for_viewer(access=_access(cast, "coordinator"), snapshot_id=other.pk)
