"""The demo's survey history: three closed waves over two years for `lahp`, whose snapshots show
the network moving from hub-and-spoke toward multi-hub."""

from __future__ import annotations

import pytest

from netweave.analysis import Graph, network_report
from netweave.demo.load import demo_load
from netweave.surveys.models import SurveyResponse, SurveyWave
from netweave.surveys.services import participants
from netweave.ties.models import Snapshot, Tie

pytestmark = pytest.mark.django_db

STAGE_ORDER = ["fragments", "hub-and-spoke", "multi-hub", "core-periphery"]


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    """The demo, loaded once for this module (it takes a few seconds)."""
    with django_db_blocker.unblock():
        from django.db import transaction

        with transaction.atomic():
            demo_load()
            waves = list(SurveyWave.objects.filter(network__slug="lahp").order_by("number"))
            snapshots = [Snapshot.objects.get(wave=wave) for wave in waves]
            facts = {
                "waves": [(w.number, w.status, w.opens_at, w.closed_at) for w in waves],
                "snapshots": [
                    (s.status, s.stage, s.node_count, s.edge_count, s.density, s.graph, s.taken_at)
                    for s in snapshots
                ],
                "eligible": participants(network=waves[0].network).count(),
                "answered": [
                    SurveyResponse.objects.filter(wave=w, answers__isnull=False).distinct().count()
                    for w in waves
                ],
                "ties": [Tie.objects.filter(wave=w).count() for w in waves],
                "live": Tie.objects.filter(
                    network__slug="lahp", provenance="survey", ended_at__isnull=True
                )
                .values_list("wave__number", flat=True)
                .distinct(),
            }
            facts["live"] = sorted(set(facts["live"]))
            transaction.set_rollback(True)
    return facts


class DemoSurveyWavesTests:
    def test_there_are_three_closed_waves_a_year_apart(self, demo) -> None:
        waves = demo["waves"]
        assert [(n, status) for n, status, _o, _c in waves] == [
            (1, "closed"), (2, "closed"), (3, "closed"),
        ]  # fmt: skip
        gaps = [(waves[i + 1][3] - waves[i][3]).days for i in range(2)]
        assert all(330 <= gap <= 400 for gap in gaps), gaps
        assert all(opened < closed for _n, _s, opened, closed in waves)

    def test_most_members_answered_each_wave(self, demo) -> None:
        for answered in demo["answered"]:
            assert demo["eligible"] / 2 < answered < demo["eligible"]  # most, not all

    def test_each_snapshot_is_computed_at_its_closing_date(self, demo) -> None:
        for (status, _stage, nodes, edges, _d, _g, taken_at), wave in zip(
            demo["snapshots"], demo["waves"], strict=True
        ):
            assert status == "done" and taken_at == wave[3]
            assert nodes >= demo["eligible"] and edges > 0

    def test_only_the_last_waves_survey_ties_are_live(self, demo) -> None:
        assert demo["live"] == [3]
        assert demo["ties"][0] < demo["ties"][1] < demo["ties"][2]

    def test_the_network_moves_from_hub_and_spoke_toward_multi_hub(self, demo) -> None:
        stages = [snapshot[1] for snapshot in demo["snapshots"]]
        assert stages[0] == "hub-and-spoke"
        assert stages[1] == "multi-hub"
        assert STAGE_ORDER.index(stages[2]) >= STAGE_ORDER.index("multi-hub")
        densities = [snapshot[4] for snapshot in demo["snapshots"]]
        assert densities[0] < densities[1] < densities[2]

    def test_the_stages_agree_with_the_analysis_library_on_the_frozen_graphs(self, demo) -> None:
        for _status, stage, _n, _e, _d, graph, _t in demo["snapshots"]:
            rebuilt = Graph.from_edges(
                [tuple(edge) for edge in graph["edges"]],
                nodes={node["id"]: {} for node in graph["nodes"]},
            )
            assert network_report(rebuilt, workers=1)["stage"]["name"] == stage
