import csv
import io
import zipfile

import networkx as nx
import pytest

from netweave.analysis import read_edge_csv, read_gexf, read_graphml
from netweave.ties.exports import export_snapshot
from netweave.ties.services import snapshot_compute, snapshot_take


@pytest.fixture
def karate_snapshot(karate):  # type: ignore[no-untyped-def]
    network, people = karate
    snapshot = snapshot_take(network=network, label="Club")
    snapshot_compute(snapshot_id=snapshot.pk)
    snapshot.refresh_from_db()
    return snapshot, people


def _write(tmp_path, name, content):
    path = tmp_path / name
    path.write_bytes(content)
    return path


@pytest.mark.django_db
class SnapshotExportTests:
    def test_networkx_reads_the_graphml_with_names_and_metrics(self, karate_snapshot, tmp_path):
        snapshot, people = karate_snapshot
        graph = nx.read_graphml(
            _write(tmp_path, "club.graphml", export_snapshot(snapshot, "graphml"))
        )
        assert (graph.number_of_nodes(), graph.number_of_edges()) == (34, 78)
        hi = graph.nodes[str(people[0].pk)]
        assert hi["label"] == "Karateka 0" and hi["email"] == "karate0@example.org"
        assert hi["degree"] == 16
        assert hi["betweenness"] == pytest.approx(
            nx.betweenness_centrality(graph)[str(people[0].pk)]
        )
        assert nx.transitivity(graph) == pytest.approx(snapshot.report["transitivity"])

    def test_networkx_reads_the_gexf(self, karate_snapshot, tmp_path):
        snapshot, people = karate_snapshot
        graph = nx.read_gexf(_write(tmp_path, "club.gexf", export_snapshot(snapshot, "gexf")))
        assert (graph.number_of_nodes(), graph.number_of_edges()) == (34, 78)
        node = graph.nodes[str(people[33].pk)]
        assert node["label"] == "Karateka 33"
        assert node["coreness"] == snapshot.report["node_metrics"][str(people[33].pk)]["coreness"]
        assert nx.density(graph) == pytest.approx(snapshot.density)

    def test_our_own_readers_read_every_format(self, karate_snapshot, tmp_path):
        snapshot, _people = karate_snapshot
        graphml = read_graphml(_write(tmp_path, "a.graphml", export_snapshot(snapshot, "graphml")))
        gexf = read_gexf(_write(tmp_path, "a.gexf", export_snapshot(snapshot, "gexf")))
        assert graphml.number_of_edges() == gexf.number_of_edges() == 78
        archive = zipfile.ZipFile(io.BytesIO(export_snapshot(snapshot, "zip")))
        names = sorted(archive.namelist())
        assert [name.rsplit("/", 1)[1] for name in names] == ["edges.csv", "nodes.csv"]
        edges = _write(tmp_path, "edges.csv", archive.read(names[0]))
        nodes = _write(tmp_path, "nodes.csv", archive.read(names[1]))
        graph = read_edge_csv(edges, nodes=nodes)
        assert (graph.number_of_nodes(), graph.number_of_edges()) == (34, 78)
        rows = list(csv.DictReader(io.StringIO(archive.read(names[1]).decode())))
        assert {row["structural_role"] for row in rows} <= {
            "core",
            "periphery",
            "bridge",
            "hub",
            "isolate",
        }
