"""Recommended introductions: structure, content, exclusions, load spreading, CLI, evaluation."""

from __future__ import annotations

import csv
import io
import json
import re
from itertools import combinations

import networkx as nx
import pytest

from netweave.analysis import Graph, evaluate_recommendations, read_edge_csv, recommend
from netweave.analysis.cli import recommend_main
from netweave.analysis.exceptions import AnalysisError
from netweave.analysis.recommend import shared_neighbour_scores
from netweave.analysis.tests.conftest import panel_wave, shared


def karate() -> tuple[Graph, nx.Graph]:
    path = shared("networks", "zachary_karate", "karate_edges.csv")
    with open(path, newline="") as handle:
        theirs = nx.Graph([(row["source"], row["target"]) for row in csv.DictReader(handle)])
    return read_edge_csv(path), theirs


def pairs_of(made: dict) -> set[frozenset]:
    return {frozenset((item.source, item.target)) for items in made.values() for item in items}


def run(*args: object) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = recommend_main([str(arg) for arg in args], stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


class StructureTests:
    def test_it_ranks_the_pair_that_closes_two_triangles_first(self):
        # ana and dan share two friends; ana and eve share one; nobody else shares any.
        graph = Graph.from_edges(
            [("ana", "ben"), ("ana", "cleo"), ("ben", "dan"), ("cleo", "dan"), ("cleo", "eve")]
        )
        made = recommend(graph, top=3)
        assert made["ana"][0].target == "dan"
        assert made["ana"][0].score > made["ana"][1].score
        assert [item.target for item in made["ana"]][:2] == ["dan", "eve"]

    def test_adamic_adar_and_resource_allocation_match_networkx_on_karate(self):
        ours, theirs = karate()
        pairs = [pair for pair in combinations(sorted(theirs), 2) if not theirs.has_edge(*pair)]
        expected_aa = {(a, b): value for a, b, value in nx.adamic_adar_index(theirs, pairs)}
        expected_ra = {(a, b): v for a, b, v in nx.resource_allocation_index(theirs, pairs)}
        scores = shared_neighbour_scores(ours, pairs)
        for pair, (aa, ra) in zip(pairs, scores, strict=True):
            assert aa == pytest.approx(expected_aa[pair])
            assert ra == pytest.approx(expected_ra[pair])

    def test_on_karate_the_best_structural_pick_has_the_highest_adamic_adar_of_its_source(self):
        ours, theirs = karate()
        made = recommend(ours, top=1, max_per_target=len(theirs))
        checked = 0
        for node, items in made.items():
            candidates = [(node, other) for other in theirs if other != node]
            candidates = [pair for pair in candidates if not theirs.has_edge(*pair)]
            best = max(value for _, _, value in nx.adamic_adar_index(theirs, candidates))
            mine = dict(((a, b), v) for a, b, v in nx.adamic_adar_index(theirs, candidates))
            # The bonuses (clusters, core) are small: the pick is within 0.3 of the best AA score.
            picked = mine[(node, items[0].target)]
            assert picked / (1 + picked) >= best / (1 + best) - 0.3
            checked += 1
        assert checked == len(theirs)

    def test_it_never_recommends_an_existing_tie_either_way(self):
        graph = Graph.from_edges(
            [(str(a), str(b)) for a, b in nx.gnm_random_graph(60, 200, seed=3).edges()],
            directed=True,
        )
        made = recommend(graph, top=10)
        assert made
        existing = {frozenset(edge) for edge in graph.edges()}
        assert not pairs_of(made) & existing
        assert all(item.source != item.target for items in made.values() for item in items)

    def test_declined_pairs_and_opted_out_people_never_appear(self):
        ours, _ = karate()
        before = recommend(ours, top=5)
        declined = (before["0"][0].source, before["0"][0].target)
        quiet = before["1"][0].target
        after = recommend(ours, top=5, exclude=[declined[::-1]], opted_out=[quiet])
        assert frozenset(declined) not in pairs_of(after)
        assert quiet not in after
        assert all(item.target != quiet for items in after.values() for item in items)

    def test_load_spreading_caps_how_often_one_hub_is_recommended(self):
        # A hub tied to 30 members who know nobody else, and a second star of 30 around 'b'.
        edges = [("hub", f"a{i}") for i in range(30)] + [("b", f"c{i}") for i in range(30)]
        edges += [(f"a{i}", f"c{i}") for i in range(30)]
        graph = Graph.from_edges(edges)
        free = recommend(graph, top=3, max_per_target=1000)
        capped = recommend(graph, top=3, max_per_target=4)

        def most(made: dict) -> int:
            counts: dict[str, int] = {}
            for items in made.values():
                for item in items:
                    counts[item.target] = counts.get(item.target, 0) + 1
            return max(counts.values())

        assert most(free) > 4
        assert most(capped) <= 4
        assert sum(len(items) for items in capped.values()) > 0

    def test_a_newcomer_is_pointed_to_a_weaver_with_a_reason(self):
        ours, _ = karate()
        graph = Graph.from_edges([*ours.edges(), ("new", "11")])
        made = recommend(graph, top=10)
        reasons = [reason for item in made["new"] for reason in item.reasons]
        assert any("you are new here" in reason for reason in reasons)

    def test_it_is_deterministic_for_a_seed(self):
        ours, _ = karate()
        first = [item.to_dict() for items in recommend(ours, seed=4).values() for item in items]
        again = [item.to_dict() for items in recommend(ours, seed=4).values() for item in items]
        assert first == again

    def test_members_with_nothing_in_common_get_no_recommendation(self):
        assert recommend(Graph.from_edges([], nodes=["a", "b", "c"])) == {}
        assert recommend(Graph.from_edges([("a", "b")])) == {}
        path = Graph.from_edges([("a", "b"), ("b", "c")])
        assert recommend(path, opted_out=["a", "c"]) == {}
        assert set(recommend(path, sources=["a"])) == {"a"}

    def test_it_rejects_top_below_one(self):
        with pytest.raises(AnalysisError, match="top"):
            recommend(Graph.from_edges([("a", "b")]), top=0)


PROFILES = {
    "ana": {
        "expertise": "long-acting HIV prevention; adolescent health",
        "organization": "Wits",
        "country": "ZA",
        "seeks": "trial design",
    },
    "ben": {
        "expertise": "long-acting HIV prevention; pharmacology",
        "organization": "Makerere",
        "country": "UG",
        "offers": "trial design; statistics",
    },
    "cleo": {"expertise": "malaria vector control", "organization": "Wits", "country": "ZA"},
    "dan": {"expertise": "malaria vaccines", "offers": "laboratory space"},
    "eve": {"expertise": "tuberculosis diagnostics", "seeks": "laboratory space"},
}


class ContentTests:
    def graph(self) -> Graph:
        # ana and ben are in different parts of the network, far apart.
        edges = [("ana", "cleo"), ("cleo", "dan"), ("dan", "eve"), ("eve", "ben")]
        return Graph.from_edges(edges, nodes=PROFILES)

    def test_it_matches_what_one_seeks_with_what_another_offers(self):
        made = recommend(self.graph(), top=2)
        first = made["ana"][0]
        assert first.target == "ben"
        assert "they can offer trial design, which you are looking for" in first.reasons
        reverse = made["ben"][0]
        assert reverse.target == "ana"
        assert "you can offer trial design, which they are looking for" in reverse.reasons

    def test_similar_expertise_from_another_organization_is_complementary(self):
        first = recommend(self.graph(), top=1)["ana"][0]
        assert "you both work on long-acting HIV prevention" in first.reasons
        assert "you come from different organizations and countries" in first.reasons

    def test_tfidf_similarity_alone_finds_the_closest_profile(self):
        profiles = {
            "a": {"bio": "genomic surveillance of antimicrobial resistance in hospitals"},
            "b": {"bio": "hospital antimicrobial resistance genomic surveillance programme"},
            "c": {"bio": "rural water sanitation and hygiene"},
            "d": {"bio": "urban housing policy"},
        }
        graph = Graph.from_edges([], nodes=profiles)
        made = recommend(graph, top=1)
        assert made["a"][0].target == "b"
        assert "c" not in made or made["c"][0].target != "a"

    def test_profiles_can_be_passed_apart_from_the_graph(self):
        graph = Graph.from_edges([("ana", "cleo"), ("cleo", "dan"), ("dan", "eve"), ("eve", "ben")])
        made = recommend(graph, top=1, profiles=PROFILES)
        assert made["ana"][0].target == "ben"

    def test_details_carry_the_reasons_as_data_for_another_wording(self):
        first = recommend(self.graph(), top=1)["ana"][0]
        by_code = {detail["code"]: detail for detail in first.details}
        assert by_code["they_offer"]["phrase"] == "trial design"
        assert by_code["topic"]["topic"] == "long-acting HIV prevention"
        assert by_code["differ"]["groups"] == ["organizations", "countries"]
        assert first.signals == [detail["code"] for detail in first.details]

    def test_shared_details_name_the_common_neighbours_by_id(self):
        graph = Graph.from_edges([("ana", "ben"), ("ana", "cleo"), ("ben", "dan"), ("cleo", "dan")])
        first = recommend(graph, top=1)["ana"][0]
        shared_detail = next(d for d in first.details if d["code"] == "shared")
        assert first.target == "dan"
        assert shared_detail == {"code": "shared", "count": 2, "people": ["ben", "cleo"]}

    def test_every_detail_code_is_documented(self):
        from netweave.analysis.recommend import SIGNALS

        ours, _ = karate()
        made = recommend(self.graph(), top=3) | recommend(ours, top=5)
        codes = {d["code"] for items in made.values() for item in items for d in item.details}
        assert codes <= set(SIGNALS)
        assert {"shared", "bridge", "core_pair"} <= codes

    def test_reasons_are_plain_language_sentences(self):
        ours, _ = karate()
        made = recommend(self.graph(), top=3) | recommend(ours, top=3)
        for items in made.values():
            for item in items:
                assert item.reasons
                for reason in item.reasons:
                    assert reason == reason.strip() and reason[0].islower()
                    assert not re.search(r"\d\.\d|_|\{|\}|score|adamic|tf-?idf", reason, re.I)


class RecommendCliTests:
    def test_json_holds_the_contract_with_at_most_k_per_member(self, tmp_path):
        edges = shared("networks", "zachary_karate", "karate_edges.csv")
        code, out, _ = run(edges, "--top", "3", "--json")
        assert code == 0
        listed = json.loads(out)["recommendations"]
        assert listed
        per_source: dict[str, int] = {}
        for item in listed:
            assert set(item) == {"source", "target", "score", "reasons"}
            assert isinstance(item["score"], float) and item["reasons"]
            per_source[item["source"]] = per_source.get(item["source"], 0) + 1
        assert max(per_source.values()) <= 3
        library = recommend(read_edge_csv(edges), top=3)
        assert set(per_source) == set(library)

    def test_node_attributes_feed_the_content_signals(self, tmp_path):
        ties = tmp_path / "ties.csv"
        ties.write_text("source,target\nana,cleo\ncleo,dan\ndan,eve\neve,ben\n")
        nodes = tmp_path / "nodes.csv"
        with open(nodes, "w", newline="") as handle:
            writer = csv.writer(handle)
            columns = ["expertise", "organization", "country", "offers", "seeks"]
            writer.writerow(["id", *columns])
            for node, values in PROFILES.items():
                writer.writerow([node, *(values.get(column, "") for column in columns)])
        code, out, _ = run(ties, "--nodes", nodes, "--top", "1", "--json")
        assert code == 0
        first = [item for item in json.loads(out)["recommendations"] if item["source"] == "ana"]
        assert first[0]["target"] == "ben"
        code, text, _ = run(ties, "--nodes", nodes, "--top", "1")
        assert code == 0 and "ana could meet:" in text and "trial design" in text

    def test_bad_files_and_options_exit_with_2(self, tmp_path):
        broken = tmp_path / "broken.csv"
        broken.write_text("source,target\nana\n")
        code, _, err = run(broken)
        assert code == 2 and "error" in err
        code, _, err = run(tmp_path / "missing.csv")
        assert code == 2 and "missing.csv" in err
        code, _, err = run(shared("networks", "zachary_karate", "karate_edges.csv"), "--top", "0")
        assert code == 2 and "--top" in err


def panel_graph(wave: int) -> Graph:
    theirs = panel_wave(wave)
    return Graph.from_edges(list(theirs.edges()), nodes=list(theirs.nodes()), directed=True)


class PanelEvaluationTests:
    """Recommend from wave t of the s50 panel; were the ties new at wave t+1 recommended?"""

    @pytest.mark.parametrize("wave", [1, 2])
    def test_figures_agree_with_a_count_made_with_networkx(self, wave):
        shared("networks", "panels", "s50_teenage_friends")
        before, after = panel_graph(wave), panel_graph(wave + 1)
        figures = evaluate_recommendations(before, after)
        old = nx.Graph(panel_wave(wave).to_undirected())
        new_graph = nx.Graph(panel_wave(wave + 1).to_undirected())
        new = {frozenset(e) for e in new_graph.edges() if not old.has_edge(*e)}
        made = recommend(before, top=5, max_per_target=50)
        for k in (1, 3, 5):
            lists = [(node, [item.target for item in items][:k]) for node, items in made.items()]
            hits = sum(frozenset((node, t)) in new for node, targets in lists for t in targets)
            found = {frozenset((node, t)) for node, targets in lists for t in targets} & new
            ours = figures["recommender"][k]
            assert ours["new_ties"] == len(new)
            assert ours["hits"] == hits
            assert ours["recall"] == pytest.approx(len(found) / len(new))
            # The random baseline is the new ties' share of all non-partner slots, per member.
            random_precision = figures["random"][k]["precision"]
            expected = []
            for node in old:
                pool = [o for o in old if o != node and not old.has_edge(node, o)]
                mine = sum(frozenset((node, o)) in new for o in pool)
                expected.append((min(k, len(pool)), min(k, len(pool)) * mine / len(pool)))
            assert random_precision == pytest.approx(
                sum(h for _, h in expected) / sum(t for t, _ in expected)
            )

    @pytest.mark.parametrize("wave", [1, 2])
    def test_the_recommender_beats_random_picks_several_times_over(self, wave):
        shared("networks", "panels", "s50_teenage_friends")
        figures = evaluate_recommendations(panel_graph(wave), panel_graph(wave + 1))
        for k in (1, 3, 5):
            assert figures["recommender"][k]["precision"] > 3 * figures["random"][k]["precision"]
            assert figures["recommender"][k]["recall"] > figures["random"][k]["recall"]
