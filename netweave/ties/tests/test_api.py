import json
import typing

import pytest
from django.test import Client

from netweave.people.models import Person
from netweave.ties.api import ProvenanceName, SnapshotStatusName, TieKindName
from netweave.ties.models import Snapshot, Tie
from netweave.ties.services import snapshot_compute, snapshot_take, tie_add

pytestmark = [pytest.mark.django_db]
COORDINATOR_ONLY = [
    ("coordinator", 200), ("steward", 403), ("member", 403), ("observer", 403),
    ("other_member", 403), ("outsider", 403), ("anonymous", 401),
]  # fmt: skip
MEMBERS_AND_UP = [
    ("coordinator", 200), ("steward", 200), ("member", 200), ("observer", 403),
    ("other_member", 403), ("outsider", 403), ("anonymous", 401),
]  # fmt: skip


def call(cast, who, method, path, data=None):
    client = Client()
    user = cast.user(who)
    if user is not None:
        client.force_login(user)
    url = "/api/v1" + path
    if method == "get":
        response = client.get(url, data or {})
    else:
        response = getattr(client, method)(
            url, json.dumps(data or {}), content_type="application/json"
        )
    return response.status_code, json.loads(response.content)


def _snapshot(cast) -> Snapshot:
    tie_add(network=cast.network, source=cast.member, target=cast.steward, kind="knows")
    snapshot = snapshot_take(network=cast.network, label="Spring")
    snapshot_compute(snapshot_id=snapshot.pk)
    snapshot.refresh_from_db()
    return snapshot


class ApiChoicesTests:
    def test_the_literal_names_match_the_models(self):
        assert set(typing.get_args(TieKindName)) == set(Tie.Kind.values)
        assert set(typing.get_args(ProvenanceName)) == set(Tie.Provenance.values)
        assert set(typing.get_args(SnapshotStatusName)) == set(Snapshot.Status.values)


class TiesApiTests:
    @pytest.mark.parametrize(("who", "status"), COORDINATOR_ONLY)
    def test_only_coordinators_list_ties(self, cast, who, status):
        tie_add(network=cast.network, source=cast.member, target=cast.steward, kind="knows")
        code, body = call(cast, who, "get", "/networks/cast/ties")
        assert code == status, body
        if status == 200:
            assert body["count"] == 1 and body["items"][0]["source"]["name"] == "Mina Member"
        else:
            assert body["error"]

    def test_a_coordinator_creates_updates_and_ends_a_tie(self, cast):
        code, body = call(
            cast,
            "coordinator",
            "post",
            "/networks/cast/ties",
            {
                "source": cast.member.pk,
                "target": cast.observer.pk,
                "kind": "advice",
                "weight": 2,
            },
        )
        assert code == 201, body
        tie_id = body["id"]
        code, body = call(
            cast, "coordinator", "patch", f"/networks/cast/ties/{tie_id}", {"note": "monthly"}
        )
        assert (code, body["note"], body["kind"]) == (200, "monthly", "advice")
        code, body = call(cast, "coordinator", "post", f"/networks/cast/ties/{tie_id}/end")
        assert code == 200 and body["ended_at"]
        code, body = call(
            cast, "coordinator", "patch", f"/networks/cast/ties/{tie_id}", {"weight": 3}
        )
        assert code == 409
        code, body = call(cast, "coordinator", "get", "/networks/cast/ties", {"state": "ended"})
        assert [item["id"] for item in body["items"]] == [tie_id]

    @pytest.mark.parametrize(
        ("payload", "message"),
        [
            ({"target": "outsider"}, "not an active member"),
            ({"target": "member"}, "two different people"),
            ({"kind": "likes"}, "kind"),
            ({"weight": 0}, "weight"),
            ({"colour": "red"}, "colour"),
        ],
    )
    def test_bad_input_is_a_400_that_says_what_to_fix(self, cast, payload, message):
        data = {"source": cast.member.pk, "target": cast.steward.pk, "kind": "knows"}
        data.update(payload)
        if isinstance(data["target"], str):
            data["target"] = getattr(cast, data["target"]).pk
        code, body = call(cast, "coordinator", "post", "/networks/cast/ties", data)
        assert code == 400
        assert message in body["error"]
        assert not Tie.objects.exists()

    def test_a_tie_of_another_network_is_a_404(self, cast):
        tie = tie_add(network=cast.network, source=cast.member, target=cast.steward, kind="knows")
        code, _body = call(cast, "other_member", "post", f"/networks/other/ties/{tie.pk}/end")
        assert code == 404


class SnapshotsApiTests:
    @pytest.mark.parametrize(("who", "status"), MEMBERS_AND_UP)
    def test_members_read_the_figures_and_only_coordinators_the_report(self, cast, who, status):
        snapshot = _snapshot(cast)
        code, body = call(cast, who, "get", f"/networks/cast/snapshots/{snapshot.pk}")
        assert code == status
        if status != 200:
            return
        assert body["figures"]["nodes"] == 4 and body["figures"]["stage"]["name"]
        if who == "coordinator":
            assert str(cast.member.pk) in body["report"]["node_metrics"]
            assert body["graph"]["edges"]
        else:
            assert body["report"] is None and body["graph"] is None
            assert "node_metrics" not in json.dumps(body)

    def test_members_list_only_finished_snapshots(self, cast):
        done = _snapshot(cast)
        pending = Snapshot.objects.create(network=cast.network, label="Waiting")
        _code, body = call(cast, "member", "get", "/networks/cast/snapshots")
        assert [item["id"] for item in body["items"]] == [done.pk]
        assert call(cast, "member", "get", f"/networks/cast/snapshots/{pending.pk}")[0] == 404
        _code, body = call(cast, "coordinator", "get", "/networks/cast/snapshots")
        assert {item["id"] for item in body["items"]} == {done.pk, pending.pk}

    @pytest.mark.parametrize("who", ["steward", "member", "anonymous"])
    def test_only_coordinators_take_snapshots(self, cast, who):
        code, _body = call(cast, who, "post", "/networks/cast/snapshots", {"label": "Now"})
        assert code in (401, 403)
        assert not Snapshot.objects.exists()

    def test_a_coordinator_takes_a_filtered_snapshot(self, cast):
        code, body = call(
            cast,
            "coordinator",
            "post",
            "/networks/cast/snapshots",
            {"label": "Funding", "kinds": ["funds"]},
        )
        assert code == 202 and body["status"] == "pending"
        snapshot = Snapshot.objects.get()
        assert snapshot.tie_filter == {"kinds": ["funds"]}
        assert snapshot.created_by == Person.objects.get(pk=cast.coordinator.pk)


class SnapshotMapApiTests:
    def test_members_get_the_map_graph_without_anonymous_names(self, cast):
        from netweave.people.models import Person

        Person.objects.filter(pk=cast.steward.pk).update(map_consent="anonymous")
        Person.objects.filter(pk=cast.member.pk).update(map_consent="named")
        tie_add(network=cast.network, source=cast.member, target=cast.steward, kind="knows")
        snapshot = snapshot_take(network=cast.network, label="API map")
        snapshot_compute(snapshot_id=snapshot.pk)
        path = f"/networks/cast/snapshots/{snapshot.pk}/map"
        query = {"colour": "role", "size": "coreness"}

        status, payload = call(cast, "member", "get", path, query)
        assert status == 200
        text = json.dumps(payload, ensure_ascii=False)
        assert "Stella Steward" not in text and "Mina Member" in text
        assert len(payload["edges"]) == 1
        assert all("person" not in node for node in payload["nodes"] if not node["named"])

        status, payload = call(cast, "coordinator", "get", path, query)
        assert status == 200 and "Stella Steward" in json.dumps(payload, ensure_ascii=False)
        assert call(cast, "observer", "get", path, query)[0] == 403
        assert call(cast, "member", "get", path, {"size": "x"})[0] == 400
