"""Reading networks from CSV, GraphML and GEXF: real files, edge cases and bad files."""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree
from pathlib import Path

import networkx as nx
import pytest

from netweave.analysis import (
    Graph,
    GraphFormatError,
    read_edge_csv,
    read_gexf,
    read_graph,
    read_graphml,
    read_nodes_csv,
    sniff_format,
)
from netweave.analysis.tests.conftest import (
    FORMATS,
    PANEL,
    graph_id,
    nx_from_graphml,
    panel_wave,
    real_graphml,
    shared,
)

GEXF_FILES = sorted((FORMATS / "gexf" / "gephi_gexf_spec").glob("*.gexf"))
IGRAPH_GRAPHML = FORMATS / "graphml" / "igraph_c"
INVALID_GRAPHML = [
    "tests_regression_invalid1.graphml",
    "tests_regression_invalid2.graphml",
    "tests_regression_invalid3.graphml",
    "tests_regression_invalid4.graphml",
    "tests_regression_invalid5.graphml",
    "tests_regression_invalid6.graphml",
    "tests_regression_bug_1970.graphml",
    "tests_regression_bug_2506_1.graphml",
    "tests_regression_bug_2506_2.graphml",
]
VALID_GRAPHML = sorted(
    path.name for path in IGRAPH_GRAPHML.glob("*.graphml") if path.name not in INVALID_GRAPHML
)


def edge_set(graph: nx.Graph) -> set:
    if graph.is_directed():
        return set(graph.edges())
    return {frozenset(edge) for edge in graph.edges()}


def our_edge_set(graph: Graph) -> set:
    if graph.directed:
        return set(graph.edges())
    return {frozenset(edge) for edge in graph.edges()}


def gexf_by_hand(path: Path) -> tuple[set[str], set]:
    """Node ids and distinct ties of a GEXF file, read with nothing but ElementTree."""
    root = ElementTree.parse(path).getroot()  # noqa: S314 - the shared test data
    nodes: set[str] = set()
    edges: set = set()
    graph = next(element for element in root.iter() if element.tag.endswith("}graph"))
    default = graph.get("defaultedgetype", "undirected")
    records = []
    for element in root.iter():
        tag = element.tag.rsplit("}", 1)[-1]
        if tag == "node":
            nodes.add(element.get("id"))
        elif tag == "edge":
            records.append((element.get("source"), element.get("target"), element.get("type")))
    directed = default == "directed" or any(kind == "directed" for *_, kind in records)
    for source, target, kind in records:
        if source == target:
            continue
        if not directed:
            edges.add(frozenset((source, target)))
        else:
            edges.add((source, target))
            if kind in ("undirected", "mutual") or (kind is None and default != "directed"):
                edges.add((target, source))
    return nodes, edges


class GexfReadingTests:
    @pytest.mark.parametrize("path", GEXF_FILES, ids=graph_id)
    def test_it_reads_every_gephi_example_with_all_its_nodes_and_ties(self, path):
        shared("formats", "gexf")
        graph = read_gexf(path)
        nodes, edges = gexf_by_hand(path)
        assert set(graph.nodes) == nodes
        assert our_edge_set(graph) == edges

    def test_it_reads_the_gexf_net_namespace_without_www(self):
        path = shared("formats", "gexf", "gephi_gexf_spec", "celegans.gexf")
        assert "http://gexf.net/1.3" in path.read_text()[:400]
        graph = read_gexf(path)
        assert graph.number_of_nodes() == 306
        assert not graph.directed

    def test_it_agrees_with_networkx_on_every_file_networkx_reads(self):
        shared("formats", "gexf")
        compared = []
        for path in GEXF_FILES:
            if path.name == "hierarchy2.gexf":
                continue  # NetworkX drops the edges nested inside nodes; we keep them
            try:
                theirs = nx.read_gexf(path)
            except Exception as error:
                # NetworkX expects the www.gexf.net namespace these files do not use.
                assert "No <graph> element" in str(error)
                continue
            ours = read_gexf(path)
            assert set(ours.nodes) == {str(node) for node in theirs.nodes}, path.name
            simple = nx.DiGraph(theirs) if theirs.is_directed() else nx.Graph(theirs)
            simple.remove_edges_from(list(nx.selfloop_edges(simple)))
            assert our_edge_set(ours) == edge_set(simple), path.name
            compared.append(path.name)
        assert len(compared) >= 10

    def test_it_agrees_with_networkx_on_the_one_file_networkx_reads(self):
        path = shared("formats", "gexf", "gephi_gexf_spec", "primer-1.3-simple.gexf")
        theirs = nx.read_gexf(path)
        ours = read_gexf(path)
        assert set(ours.nodes) == set(theirs.nodes)
        assert set(ours.edges()) == set(theirs.edges())
        assert ours.directed == theirs.is_directed()

    def test_it_keeps_labels_attributes_and_their_defaults(self):
        graph = read_gexf(shared("formats", "gexf", "gephi_gexf_spec", "data.gexf"))
        assert graph.label("0") == "Gephi"
        assert graph.attributes("0")["url"] == "http://gephi.org"
        assert graph.attributes("0")["indegree"] == 1.0
        assert graph.attributes("0")["frog"] is True  # the declared default
        assert graph.attributes("3")["frog"] is False

    def test_it_reads_edge_weights(self):
        graph = read_gexf(shared("formats", "gexf", "gephi_gexf_spec", "dynamics_edgeweight.gexf"))
        weights = dict(zip(graph.edges(), graph.weights(), strict=True))
        assert weights[("0", "2")] == 3.0
        assert weights[("0", "3")] == 2.0

    def test_it_reads_a_dynamic_network_as_the_union_over_time_and_says_so(self):
        graph = read_gexf(shared("formats", "gexf", "gephi_gexf_spec", "photoviz-dynamic.gexf"))
        assert any("dynamic" in warning for warning in graph.warnings)
        assert graph.number_of_nodes() == len(gexf_by_hand(graph_path("photoviz-dynamic"))[0])

    def test_it_makes_mutual_edges_two_ties(self, tmp_path):
        path = tmp_path / "mutual.gexf"
        path.write_text(
            '<gexf xmlns="http://www.gexf.net/1.2draft"><graph defaultedgetype="directed">'
            '<nodes><node id="a"/><node id="b"/><node id="c"/></nodes>'
            '<edges><edge source="a" target="b" type="mutual"/><edge source="b" target="c"/>'
            "</edges></graph></gexf>"
        )
        graph = read_gexf(path)
        assert sorted(graph.edges()) == [("a", "b"), ("b", "a"), ("b", "c")]

    def test_it_rejects_an_edge_to_an_undeclared_node(self, tmp_path):
        path = tmp_path / "broken.gexf"
        path.write_text(
            '<gexf xmlns="http://gexf.net/1.3"><graph><nodes><node id="a"/></nodes>'
            '<edges><edge source="a" target="zz"/></edges></graph></gexf>'
        )
        with pytest.raises(GraphFormatError, match="'zz', which is not a declared node"):
            read_gexf(path)


def graph_path(stem: str) -> Path:
    return FORMATS / "gexf" / "gephi_gexf_spec" / f"{stem}.gexf"


class GraphmlReadingTests:
    @pytest.mark.parametrize("path", real_graphml(), ids=graph_id)
    def test_it_reads_every_real_network_as_networkx_does(self, path):
        shared("networks")
        theirs = nx_from_graphml(path)
        ours = read_graphml(path)
        assert set(ours.nodes) == set(theirs.nodes)
        assert our_edge_set(ours) == edge_set(theirs)
        assert ours.directed == theirs.is_directed()

    def test_les_miserables_has_the_77_characters_and_254_ties_of_its_readme(self):
        graph = read_graphml(shared("formats", "graphml", "igraphdata_lesmis", "lesmis.graphml"))
        assert (graph.number_of_nodes(), graph.number_of_edges()) == (77, 254)

    @pytest.mark.parametrize("name", VALID_GRAPHML)
    def test_it_reads_igraphs_valid_edge_cases(self, name):
        path = shared("formats", "graphml", "igraph_c", name)
        graph = read_graphml(path)
        root = ElementTree.parse(path).getroot()  # noqa: S314 - the shared test data
        declared = [element for element in root.iter() if element.tag.endswith("node")]
        assert graph.number_of_nodes() == len(declared)

    def test_it_trims_booleans_applies_defaults_and_decodes_entities(self):
        graph = read_graphml(
            shared("formats", "graphml", "igraph_c", "examples_simple_test.graphml")
        )
        assert graph.attributes("n0")["gender"] is True  # "  true   "
        assert graph.attributes("n5")["gender"] is False  # "fAlSe"
        assert graph.attributes("n1") == {"color": "yellow", "gender": True}  # the defaults
        assert graph.attributes("n3")["color"] == 'red "with entities"'
        weights = dict(zip(graph.edges(), graph.weights(), strict=True))
        assert weights[("n1", "n3")] == 2.0  # "  2.0"
        assert weights[("n4", "n5")] == 1.1  # "1.1    "
        assert any("d3" in warning for warning in graph.warnings)

    def test_it_drops_a_self_tie_and_merges_a_repeated_one_in_a_yed_export(self):
        graph = read_graphml(
            shared("formats", "graphml", "igraph_c", "fuzzing_test_inputs_yfiles.graphml")
        )
        assert graph.directed
        assert sorted(graph.edges()) == [("n0", "n1"), ("n2", "n1")]
        assert graph.warnings == [
            "1 tie from a member to themself dropped",
            "1 repeated tie merged into one (weights added)",
        ]

    def test_it_ignores_weights_that_are_not_numbers_and_says_so(self):
        graph = read_graphml(
            shared("formats", "graphml", "igraph_c", "fuzzing_test_inputs_wa4.graphml")
        )
        assert graph.weights() is None
        assert "not numbers" in graph.warnings[0]

    def test_it_ignores_a_boolean_weight_rather_than_reading_false_as_zero(self, tmp_path):
        path = tmp_path / "flags.graphml"
        path.write_text(
            '<graphml xmlns="http://graphml.graphdrawing.org/xmlns">'
            '<key id="w" for="edge" attr.name="weight" attr.type="boolean"/>'
            '<graph edgedefault="undirected"><node id="a"/><node id="b"/>'
            '<edge source="a" target="b"><data key="w">false</data></edge></graph></graphml>'
        )
        graph = read_graphml(path)
        assert graph.weights() is None
        assert graph.warnings == ["edge weights that are not numbers (such as False) were ignored"]

    @pytest.mark.parametrize("name", INVALID_GRAPHML)
    def test_it_rejects_invalid_files_with_a_message_naming_the_file(self, name):
        path = shared("formats", "graphml", "igraph_c", name)
        with pytest.raises(GraphFormatError) as caught:
            read_graph(path)
        assert name in str(caught.value)

    def test_it_gives_the_line_and_column_of_broken_xml(self):
        path = shared("formats", "graphml", "igraph_c", "tests_regression_invalid4.graphml")
        with pytest.raises(GraphFormatError, match=r"not well-formed XML: .* line 1, column"):
            read_graphml(path)

    def test_it_names_a_key_declared_twice(self):
        path = shared("formats", "graphml", "igraph_c", "tests_regression_bug_1970.graphml")
        with pytest.raises(GraphFormatError, match="key 'one' is declared twice"):
            read_graphml(path)

    def test_it_rejects_data_for_an_undeclared_key(self, tmp_path):
        path = tmp_path / "undeclared.graphml"
        path.write_text(
            '<graphml><graph edgedefault="undirected"><node id="a"><data key="k9">x</data>'
            "</node></graph></graphml>"
        )
        with pytest.raises(GraphFormatError, match="key 'k9', which no <key> declares"):
            read_graphml(path)

    def test_it_rejects_a_value_that_does_not_fit_its_type(self, tmp_path):
        path = tmp_path / "typed.graphml"
        path.write_text(
            '<graphml><key id="age" for="node" attr.name="age" attr.type="int"/>'
            '<graph edgedefault="undirected"><node id="a"><data key="age">old</data></node>'
            "</graph></graphml>"
        )
        with pytest.raises(GraphFormatError, match="'old' is not a whole number"):
            read_graphml(path)

    def test_it_reads_nodes_of_nested_graphs_and_per_edge_directions(self, tmp_path):
        path = tmp_path / "nested.graphml"
        path.write_text(
            '<graphml><graph edgedefault="undirected"><node id="a"/>'
            '<node id="team"><graph edgedefault="undirected"><node id="b"/><node id="c"/>'
            '</graph></node><edge source="a" target="b" directed="true"/>'
            '<edge source="b" target="c"/></graph></graphml>'
        )
        graph = read_graphml(path)
        assert graph.directed  # one edge says it is directed
        assert sorted(graph.edges()) == [("a", "b"), ("b", "c"), ("c", "b")]


class CsvReadingTests:
    def test_the_csv_and_graphml_forms_of_zacharys_club_are_the_same_network(self):
        csv_graph = read_edge_csv(shared("networks", "zachary_karate", "karate_edges.csv"))
        graphml = read_graphml(shared("networks", "zachary_karate", "karate.graphml"))
        assert set(csv_graph.nodes) == set(graphml.nodes)
        assert our_edge_set(csv_graph) == our_edge_set(graphml)

    def test_weights_come_from_the_third_column(self):
        graph = read_edge_csv(shared("networks", "zachary_karate", "igraphdata_karate_edges.csv"))
        weights = dict(zip(graph.edges(), graph.weights(), strict=True))
        assert weights[("0", "1")] == 4.0
        assert weights[("0", "2")] == 5.0

    @pytest.mark.parametrize("wave", [1, 2, 3])
    def test_a_wave_with_its_node_list_is_rsienas_adjacency_matrix(self, wave):
        shared("networks", "panels", "s50_teenage_friends")
        graph = read_edge_csv(
            PANEL / f"s50-wave{wave}_edges.csv",
            directed=True,
            nodes=PANEL / "s50_alcohol_by_wave.csv",
        )
        matrix = panel_wave(wave)
        assert set(graph.nodes) == set(matrix.nodes)
        assert set(graph.edges()) == set(matrix.edges())
        assert graph.attributes("1") == {"alcohol_w1": "3", "alcohol_w2": "1", "alcohol_w3": "3"}

    def test_the_node_list_adds_isolates_and_labels(self, tmp_path):
        (tmp_path / "ties.csv").write_text("source,target\na,b\n")
        (tmp_path / "people.csv").write_text("id,name\na,Ana\nb,Ben\nc,Cleo\n")
        graph = read_graph(tmp_path / "ties.csv", nodes=tmp_path / "people.csv")
        assert graph.nodes == ("a", "b", "c")
        assert graph.label("c") == "Cleo"

    def test_it_rejects_a_tie_to_someone_missing_from_the_node_list(self, tmp_path):
        (tmp_path / "ties.csv").write_text("source,target\na,b\nb,zed\n")
        (tmp_path / "people.csv").write_text("id\na\nb\n")
        with pytest.raises(GraphFormatError, match="row 3: target 'zed' is not in the node list"):
            read_edge_csv(tmp_path / "ties.csv", nodes=tmp_path / "people.csv")

    def test_it_rejects_a_graphml_node_missing_from_the_node_list(self, tmp_path):
        (tmp_path / "people.csv").write_text("id\n0\n1\n")
        path = shared("networks", "zachary_karate", "karate.graphml")
        with pytest.raises(GraphFormatError, match="node '2' is not in the node list"):
            read_graph(path, nodes=tmp_path / "people.csv")

    @pytest.mark.parametrize(
        ("content", "message"),
        [
            ("", "is empty"),
            ("from,to\na,b\n", "must be a header naming the columns source and target"),
            ("source,target\na,\n", "row 2: the target is empty"),
            ("source,target,weight\na,b,heavy\n", "row 2: weight 'heavy' is not a number"),
            ("source,target,weight\na,b,inf\n", "row 2: weight 'inf' is not a finite number"),
            ("source,target,weight\na\n", "row 2: 1 column(s) where the header has 3"),
        ],
    )
    def test_it_rejects_bad_csv_with_the_row_to_fix(self, tmp_path, content, message):
        path = tmp_path / "ties.csv"
        path.write_text(content)
        with pytest.raises(GraphFormatError) as caught:
            read_edge_csv(path)
        assert message in str(caught.value)

    def test_it_rejects_a_file_that_is_not_utf8(self, tmp_path):
        path = tmp_path / "ties.csv"
        path.write_bytes("source,target\nJos\xe9,Ana\n".encode("latin-1"))
        with pytest.raises(GraphFormatError, match="not UTF-8"):
            read_edge_csv(path)

    def test_it_accepts_semicolons_a_byte_order_mark_and_extra_columns(self, tmp_path):
        path = tmp_path / "ties.csv"
        path.write_bytes("\ufeffkind;Target;SOURCE\nknows;b;a\n".encode())
        graph = read_edge_csv(path)
        assert graph.edges() == [("a", "b")]

    def test_a_node_listed_twice_is_an_error(self, tmp_path):
        path = tmp_path / "people.csv"
        path.write_text("id,name\na,Ana\na,Another\n")
        with pytest.raises(GraphFormatError, match="row 3: node 'a' is listed twice"):
            read_nodes_csv(path)


class FormatSniffingTests:
    def test_it_tells_formats_apart_by_content_not_name(self, tmp_path):
        graphml = tmp_path / "network.txt"
        graphml.write_text('<?xml version="1.0"?>\n<graphml><graph/></graphml>')
        assert sniff_format(graphml) == "graphml"
        assert sniff_format(shared("formats", "gexf", "gephi_gexf_spec", "basic.gexf")) == "gexf"
        assert sniff_format(shared("networks", "zachary_karate", "karate_edges.csv")) == "csv"

    def test_a_missing_file_or_a_folder_is_a_clear_error(self, tmp_path):
        with pytest.raises(GraphFormatError, match="does not exist"):
            read_graph(tmp_path / "nowhere.csv")
        with pytest.raises(GraphFormatError, match="is a folder"):
            read_graph(tmp_path)
