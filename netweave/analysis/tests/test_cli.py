"""``netweave analyze``: the command's contract (design.md section 6)."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

import networkx as nx
import pytest

from netweave.analysis.cli import main
from netweave.analysis.tests.conftest import FORMATS, ROOT, shared
from netweave.analysis.tests.test_readers import GEXF_FILES, INVALID_GRAPHML

CONTRACT = {
    "nodes", "edges", "directed", "density", "components", "largest_component", "isolates",
    "average_degree", "transitivity", "average_clustering", "diameter", "average_path_length",
    "degree_assortativity", "communities", "core_periphery", "stage", "node_metrics",
}  # fmt: skip
NODE_CONTRACT = {"degree", "betweenness", "closeness", "pagerank", "coreness", "community", "role"}


def run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main([str(arg) for arg in args], stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


class AnalyzeJsonTests:
    def test_json_output_holds_the_whole_contract(self):
        code, out, _ = run(shared("networks", "zachary_karate", "karate_edges.csv"), "--json")
        assert code == 0
        report = json.loads(out)
        assert set(report) >= CONTRACT
        assert {"count", "modularity"} <= set(report["communities"])
        assert isinstance(report["core_periphery"]["core"], list)
        assert isinstance(report["core_periphery"]["correlation"], float)
        assert {"name", "reasons"} <= set(report["stage"])
        assert set(report["node_metrics"]) == {str(i) for i in range(34)}
        assert all(set(values) >= NODE_CONTRACT for values in report["node_metrics"].values())
        with open(shared("networks", "zachary_karate", "karate_edges.csv"), newline="") as handle:
            theirs = nx.Graph([(row["source"], row["target"]) for row in csv.DictReader(handle)])
        assert report["density"] == pytest.approx(nx.density(theirs))
        assert report["node_metrics"]["0"]["betweenness"] == pytest.approx(
            nx.betweenness_centrality(theirs)["0"]
        )

    def test_directed_csv_reports_reciprocity(self):
        shared("networks", "panels", "s50_teenage_friends")
        panel = FORMATS.parent / "networks" / "panels" / "s50_teenage_friends"
        code, out, _ = run(
            panel / "s50-wave2_edges.csv",
            "--directed",
            "--nodes",
            panel / "s50_alcohol_by_wave.csv",
            "--json",
        )
        report = json.loads(out)
        assert code == 0
        assert report["directed"] is True and report["nodes"] == 50
        assert report["reciprocity"] * report["edges"] == pytest.approx(70)
        assert {"in_degree", "out_degree"} <= set(report["node_metrics"]["1"])

    def test_without_directed_a_csv_is_undirected(self):
        code, out, _ = run(shared("networks", "lazega_lawfirm", "law_advice_edges.csv"), "--json")
        assert code == 0
        assert json.loads(out)["directed"] is False
        assert "reciprocity" not in json.loads(out)

    @pytest.mark.parametrize("path", GEXF_FILES, ids=lambda path: path.stem)
    def test_every_gexf_example_is_analysed(self, path):
        shared("formats", "gexf")
        code, out, err = run(path, "--json")
        assert code == 0, err
        assert json.loads(out)["nodes"] >= 1


class AnalyzeTextTests:
    def test_text_output_is_for_people(self):
        code, out, _ = run(shared("networks", "padgett_florentine", "flo_marriage.graphml"))
        assert code == 0
        assert out.startswith("Network flo_marriage: 16 members, 20 ties (undirected)")
        assert "Structure stage: Single hub-and-spoke" in out
        assert "Medici" in out  # names come from the file's name attribute

    def test_the_node_list_names_members(self, tmp_path):
        (tmp_path / "people.csv").write_text(
            "id,name\n" + "".join(f"{i},Person {i}\n" for i in range(34))
        )
        code, out, _ = run(
            shared("networks", "zachary_karate", "karate_edges.csv"),
            "--nodes",
            tmp_path / "people.csv",
        )
        assert code == 0
        assert "Person 33" in out


class AnalyzeErrorTests:
    @pytest.mark.parametrize("name", INVALID_GRAPHML)
    def test_invalid_graphml_exits_2_with_a_clear_message(self, name):
        code, out, err = run(shared("formats", "graphml", "igraph_c", name))
        assert code == 2
        assert out == ""
        assert err.startswith("netweave analyze: error: ")
        assert name in err

    def test_a_bad_csv_row_exits_2_naming_the_row(self, tmp_path):
        path = tmp_path / "ties.csv"
        path.write_text("source,target,weight\na,b,1\nb,c,lots\n")
        code, _, err = run(path)
        assert code == 2
        assert "row 3: weight 'lots' is not a number" in err

    def test_a_missing_file_exits_2(self, tmp_path):
        code, _, err = run(tmp_path / "nowhere.csv")
        assert code == 2
        assert "does not exist" in err

    def test_a_wrong_option_exits_2(self):
        assert run("--no-such-option")[0] == 2

    def test_notes_about_the_file_go_to_stderr(self):
        code, out, err = run(
            shared("formats", "graphml", "igraph_c", "fuzzing_test_inputs_yfiles.graphml"), "--json"
        )
        assert code == 0
        assert "note: 1 tie from a member to themself dropped" in err
        json.loads(out)


def test_python_m_netweave_analysis_runs_the_command():
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "netweave.analysis",
            str(shared("networks", "zachary_karate", "karate.graphml")),
            "--json",
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    assert json.loads(completed.stdout)["edges"] == 78
