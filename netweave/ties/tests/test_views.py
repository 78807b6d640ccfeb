import io
import zipfile

import networkx as nx
import pytest
from django.test import Client

from netweave.lib.testing import CAST_ROLES
from netweave.ties.models import Snapshot, Tie
from netweave.ties.services import snapshot_compute, snapshot_take, tie_add

COORDINATOR_ONLY = {
    "coordinator": 200,
    "steward": 403,
    "member": 403,
    "observer": 403,
    "other_member": 403,
    "outsider": 403,
    "anonymous": 302,
}


def _client(cast, who: str) -> Client:
    client = Client()
    user = cast.user(who)
    if user is not None:
        client.force_login(user)
    return client


def _snapshot(cast) -> Snapshot:
    tie_add(network=cast.network, source=cast.member, target=cast.steward, kind="knows")
    snapshot = snapshot_take(network=cast.network, label="Spring")
    snapshot_compute(snapshot_id=snapshot.pk)
    snapshot.refresh_from_db()
    return snapshot


@pytest.mark.django_db
class TiePagesPermissionTests:
    @pytest.mark.parametrize("who", CAST_ROLES)
    def test_only_coordinators_see_the_tie_pages(self, cast, who):
        snapshot = _snapshot(cast)
        client = _client(cast, who)
        for url in (
            "/n/cast/ties/",
            "/n/cast/ties/import/",
            "/n/cast/snapshots/",
            f"/n/cast/snapshots/{snapshot.pk}/status/",
            f"/n/cast/snapshots/{snapshot.pk}/export.graphml",
        ):
            assert client.get(url).status_code == COORDINATOR_ONLY[who], url

    @pytest.mark.parametrize("who", ["steward", "member", "anonymous"])
    def test_nobody_else_can_add_end_or_snapshot(self, cast, who):
        tie = tie_add(network=cast.network, source=cast.member, target=cast.steward, kind="knows")
        client = _client(cast, who)
        data = {"source": cast.member.pk, "target": cast.observer.pk, "kind": "knows", "weight": 1}
        assert client.post("/n/cast/ties/", data).status_code in (302, 403)
        assert client.post(f"/n/cast/ties/{tie.pk}/end/").status_code in (302, 403)
        assert client.post("/n/cast/snapshots/", {"label": "x"}).status_code in (302, 403)
        assert Tie.objects.count() == 1 and Tie.objects.get().ended_at is None
        assert not Snapshot.objects.exists()

    def test_a_tie_of_another_network_is_a_404(self, cast):
        from netweave.lib.testing import make_member

        other = make_member(cast.other_network)
        tie = tie_add(
            network=cast.other_network, source=cast.other_member, target=other, kind="knows"
        )
        response = _client(cast, "coordinator").post(f"/n/cast/ties/{tie.pk}/end/")
        assert response.status_code == 404


@pytest.mark.django_db
class TiePagesTests:
    def test_a_coordinator_adds_filters_and_ends_a_tie(self, cast):
        client = _client(cast, "coordinator")
        data = {
            "source": cast.member.pk,
            "target": cast.observer.pk,
            "kind": "advice",
            "weight": "2",
        }
        assert client.post("/n/cast/ties/", data).status_code == 302
        tie = Tie.objects.get()
        assert (tie.kind, tie.weight, tie.created_by) == ("advice", 2.0, cast.coordinator)

        def listed(**params):
            page = client.get("/n/cast/ties/", params).context["page"]
            return [t.pk for t in page.object_list]

        assert listed(kind="advice") == [tie.pk]
        assert listed(kind="funds") == []
        assert listed(person=cast.observer.pk) == [tie.pk]
        assert listed(person=cast.steward.pk) == []
        client.post(f"/n/cast/ties/{tie.pk}/end/")
        tie.refresh_from_db()
        assert tie.ended_at is not None
        assert listed() == []
        assert listed(state="ended") == [tie.pk]

    def test_adding_a_tie_to_oneself_says_what_is_wrong(self, cast):
        client = _client(cast, "coordinator")
        data = {"source": cast.member.pk, "target": cast.member.pk, "kind": "knows", "weight": 1}
        response = client.post("/n/cast/ties/", data)
        assert response.status_code == 400
        assert "two different people" in response.content.decode()

    def test_the_import_checks_first_then_writes_on_commit(self, cast):
        client = _client(cast, "coordinator")
        upload = io.BytesIO(b"source,target\nmina@example.org,stella@example.org\n")
        upload.name = "ties.csv"
        response = client.post("/n/cast/ties/import/", {"file": upload, "kind": "collaborates"})
        assert response.status_code == 200
        assert not Tie.objects.exists()
        carried = response.context["carried"]
        response = client.post(
            "/n/cast/ties/import/",
            {
                "commit": "1",
                "content": carried,
                "filename": "ties.csv",
                "kind": "collaborates",
            },
        )
        assert response.status_code == 302
        assert Tie.objects.get().kind == "collaborates"

    def test_a_bad_import_lists_its_rows_and_offers_no_commit(self, cast):
        client = _client(cast, "coordinator")
        upload = io.BytesIO(b"source,target\nmina@example.org,ghost@example.org\n")
        upload.name = "ties.csv"
        response = client.post("/n/cast/ties/import/", {"file": upload, "kind": "knows"})
        assert response.status_code == 400
        page = response.content.decode()
        assert "ghost@example.org" in page
        assert 'name="commit"' not in page

    def test_taking_a_snapshot_from_the_page(self, cast):
        client = _client(cast, "coordinator")
        response = client.post("/n/cast/snapshots/", {"label": "Today", "kinds": ["knows"]})
        assert response.status_code == 302
        snapshot = Snapshot.objects.get()
        assert snapshot.tie_filter == {"kinds": ["knows"]}
        assert snapshot.created_by == cast.coordinator

    def test_a_pending_snapshot_row_polls_and_a_done_one_does_not(self, cast):
        snapshot = Snapshot.objects.create(network=cast.network, label="Waiting")
        client = _client(cast, "coordinator")
        row = client.get(f"/n/cast/snapshots/{snapshot.pk}/status/").content.decode()
        assert 'hx-trigger="every 2s"' in row
        snapshot_compute(snapshot_id=snapshot.pk)
        row = client.get(f"/n/cast/snapshots/{snapshot.pk}/status/").content.decode()
        assert "hx-trigger" not in row and "GraphML" in row

    @pytest.mark.parametrize("file_format", ["graphml", "gexf", "zip", "nodes.csv", "edges.csv"])
    def test_every_export_downloads(self, cast, file_format, tmp_path):
        snapshot = _snapshot(cast)
        response = _client(cast, "coordinator").get(
            f"/n/cast/snapshots/{snapshot.pk}/export.{file_format}"
        )
        assert response.status_code == 200
        assert "attachment" in response["Content-Disposition"]
        path = tmp_path / f"export.{file_format}"
        path.write_bytes(response.content)
        if file_format == "graphml":
            assert nx.read_graphml(path).number_of_edges() == 1
        elif file_format == "gexf":
            assert nx.read_gexf(path).number_of_nodes() == 4
        elif file_format == "zip":
            assert len(zipfile.ZipFile(path).namelist()) == 2

    def test_an_unknown_format_or_unfinished_snapshot_is_a_404(self, cast):
        snapshot = _snapshot(cast)
        client = _client(cast, "coordinator")
        assert client.get(f"/n/cast/snapshots/{snapshot.pk}/export.pdf").status_code == 404
        pending = Snapshot.objects.create(network=cast.network, label="Waiting")
        assert client.get(f"/n/cast/snapshots/{pending.pk}/export.gexf").status_code == 404


@pytest.mark.django_db
class TiePagesMethodTests:
    def test_status_and_export_answer_only_get(self, cast):
        snapshot = _snapshot(cast)
        client = _client(cast, "coordinator")
        assert client.post(f"/n/cast/snapshots/{snapshot.pk}/status/").status_code == 405
        assert client.post(f"/n/cast/snapshots/{snapshot.pk}/export.gexf").status_code == 405
        assert client.get(f"/n/cast/ties/{snapshot.pk}/end/").status_code == 405


@pytest.mark.django_db
class TieEditPageTests:
    def test_the_coordinator_changes_a_ties_kind_weight_and_window(self, cast, client):
        from netweave.ties.models import Tie
        from netweave.ties.services import tie_add

        tie = tie_add(network=cast.network, source=cast.member, target=cast.steward, kind="knows")
        client.force_login(cast.coordinator.user)
        url = f"/n/cast/ties/{tie.pk}/edit/"
        assert "Mina Member" in client.get(url).content.decode()
        response = client.post(
            url,
            {
                "kind": "collaborates",
                "weight": "2.5",
                "window_start": "2026-01-01",
                "note": "pilot",
            },
        )
        assert response.status_code == 302
        tie = Tie.objects.get(pk=tie.pk)
        assert (tie.kind, tie.weight, str(tie.window_start), tie.note) == (
            "collaborates", 2.5, "2026-01-01", "pilot",
        )  # fmt: skip

    def test_bad_values_are_explained_and_nothing_changes(self, cast, client):
        from netweave.ties.models import Tie
        from netweave.ties.services import tie_add

        tie = tie_add(network=cast.network, source=cast.member, target=cast.steward, kind="knows")
        client.force_login(cast.coordinator.user)
        response = client.post(
            f"/n/cast/ties/{tie.pk}/edit/",
            {
                "kind": "knows",
                "weight": "0",
                "window_start": "2026-02-01",
                "window_end": "2026-01-01",
            },
        )
        page = response.content.decode()
        assert response.status_code == 400
        assert "must end after it starts" in page
        assert Tie.objects.get(pk=tie.pk).weight == 1.0

    def test_only_coordinators_edit_ties(self, cast, client):
        from netweave.ties.services import tie_add

        tie = tie_add(network=cast.network, source=cast.member, target=cast.steward, kind="knows")
        client.force_login(cast.steward.user)
        assert client.get(f"/n/cast/ties/{tie.pk}/edit/").status_code == 403
