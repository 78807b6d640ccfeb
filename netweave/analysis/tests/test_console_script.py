"""`netweave analyze` through the installed console script, as a user runs it."""

import json
import shutil
import subprocess

from netweave.analysis.tests.conftest import DATA, ROOT


class ConsoleScriptTests:
    def _run(self, *args: str) -> subprocess.CompletedProcess[str]:
        return self._run_command("analyze", *args)

    def test_it_prints_the_report_of_a_real_network_as_json(self):
        result = self._run(str(DATA / "networks/zachary_karate/karate_edges.csv"), "--json")
        assert result.returncode == 0, result.stderr
        report = json.loads(result.stdout)
        assert (report["nodes"], report["edges"], report["diameter"]) == (34, 78, 5)

    def test_a_bad_file_is_a_clear_error_with_exit_code_2(self):
        result = self._run(str(DATA / "formats/graphml/igraph_c/tests_regression_invalid1.graphml"))
        assert result.returncode == 2
        assert (
            "tests_regression_invalid1.graphml" in result.stderr
            and "Traceback" not in result.stderr
        )

    def test_recommend_prints_recommendations_with_reasons_as_json(self):
        result = self._run_command(
            "recommend",
            str(DATA / "networks/zachary_karate/karate_edges.csv"),
            "--top",
            "2",
            "--json",
        )
        assert result.returncode == 0, result.stderr
        recommendations = json.loads(result.stdout)["recommendations"]
        assert recommendations and all(r["reasons"] for r in recommendations)
        per_source: dict[object, int] = {}
        for r in recommendations:
            per_source[r["source"]] = per_source.get(r["source"], 0) + 1
        assert max(per_source.values()) <= 2

    def _run_command(self, *args: str) -> subprocess.CompletedProcess[str]:
        script = shutil.which("netweave") or str(ROOT / ".venv/bin/netweave")
        return subprocess.run([script, *args], capture_output=True, text=True, timeout=120)
