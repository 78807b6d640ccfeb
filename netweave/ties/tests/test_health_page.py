"""The network-health page: figures with their meaning, the stage, who matters, the timeline and
the comparison of two snapshots, with names by the map's consent rules."""

from __future__ import annotations

import csv

import pytest
from django.urls import reverse

from netweave.lib.testing import Cast, make_member
from netweave.people.models import Person
from netweave.ties.tests.test_map_payload import DATA, MappedCast, take_snapshot

FLORENTINE = DATA / "padgett_florentine"


def health_url(cast: Cast, **query: object) -> str:
    url = reverse("maps:health", args=[cast.network.slug])
    if query:
        url += "?" + "&".join(f"{k}={v}" for k, v in query.items())
    return url


def florentine_edges(kind: str) -> list[tuple[int, int]]:
    with (FLORENTINE / f"flo_{kind}_edges.csv").open() as handle:
        return [(int(row["source"]), int(row["target"])) for row in csv.DictReader(handle)]


def florentine_network(cast: Cast) -> tuple[list[Person], object, object]:
    """Padgett's sixteen Florentine families as members of the cast's network: their business
    ties as an older snapshot, their marriages as the newer one (the real data of shared/)."""
    with (FLORENTINE / "flo_marriage_nodes.csv").open() as handle:
        names = [row["name"] for row in csv.DictReader(handle)]
    families = [
        make_member(cast.network, name=f"{name} Family", email=f"{name.lower()}@example.org")
        for name in names
    ]
    Person.objects.filter(pk__in=[p.pk for p in families[::2]]).update(map_consent="named")

    def as_people(edges: list[tuple[int, int]]) -> list[tuple[int, int]]:
        return [(families[s].pk, families[t].pk) for s, t in edges]

    business = take_snapshot(
        cast.network,
        families,
        as_people(florentine_edges("business")),
        label="Business",
        days_ago=400,
    )
    marriage = take_snapshot(
        cast.network, families, as_people(florentine_edges("marriage")), label="Marriage"
    )
    return families, business, marriage


@pytest.mark.django_db
class HealthPageTests:
    def test_it_tells_a_coordinator_how_to_map_the_network_when_there_is_no_snapshot(
        self, client, cast
    ):
        client.force_login(cast.coordinator.user)
        response = client.get(health_url(cast))
        assert response.status_code == 200
        assert "Take a snapshot" in response.content.decode()
        client.force_login(cast.member.user)
        html = client.get(health_url(cast)).content.decode()
        assert "The coordinators have not mapped the network yet." in html
        assert "Take a snapshot" not in html

    def test_the_map_page_has_an_empty_state_too(self, client, cast):
        client.force_login(cast.member.user)
        response = client.get(reverse("maps:map", args=[cast.network.slug]))
        assert response.status_code == 200
        assert "The coordinators have not mapped the network yet." in response.content.decode()
        response = client.get(reverse("maps:map_data", args=[cast.network.slug]))
        assert response.status_code == 404
        assert "no snapshot" in response.json()["error"]

    def test_it_shows_each_figure_with_its_meaning_and_the_stage_with_its_reasons(
        self, client, cast
    ):
        mapped = MappedCast(cast)
        client.force_login(cast.coordinator.user)
        response = client.get(health_url(cast))
        assert response.status_code == 200
        html = response.content.decode()
        for figure in [
            "Density",
            "Separate groups",
            "Isolates",
            "Clustering",
            "Average path length",
            "Centralization",
            "Modularity",
            "Core/periphery fit",
        ]:
            assert figure in html
        assert "What you might do" in html
        stage = mapped.snapshot.report["stage"]
        assert stage["label"] in html
        for reason in stage["reasons"]:
            assert reason.replace("'", "&#x27;") in html

    def test_members_see_the_meanings_but_not_the_coordinators_advice(self, client, cast):
        MappedCast(cast)
        client.force_login(cast.member.user)
        html = client.get(health_url(cast)).content.decode()
        assert "What it means" in html
        assert "What you might do" not in html

    def test_the_lists_name_everyone_for_coordinators(self, client, cast):
        mapped = MappedCast(cast)
        client.force_login(cast.user("coordinator"))
        html = client.get(health_url(cast)).content.decode()
        assert "Ivan Isolate" in html  # the only isolate
        assert f"/people/{mapped.isolate.pk}/" in html

    @pytest.mark.parametrize("who", ["member", "steward"])
    def test_the_lists_hide_members_who_did_not_consent_from_members(self, client, cast, who):
        mapped = MappedCast(cast)
        viewer = getattr(cast, who)
        client.force_login(viewer.user)
        response = client.get(health_url(cast))
        html = response.content.decode()
        for name in mapped.secret_names(viewer):
            assert name not in html, f"{name} leaked to a member"
        assert f"/people/{mapped.isolate.pk}/" not in html
        assert "Anonymous member" in html

    @pytest.mark.parametrize(("who", "status"), [("observer", 403), ("anonymous", 302)])
    def test_observers_and_visitors_get_no_health_page(self, client, cast, who, status):
        MappedCast(cast)
        user = cast.user(who)
        if user is not None:
            client.force_login(user)
        assert client.get(health_url(cast)).status_code == status


@pytest.mark.django_db
class HealthComparisonTests:
    def test_it_compares_two_snapshots_of_real_data_by_default_the_latest_two(self, client, cast):
        _families, business, marriage = florentine_network(cast)
        client.force_login(cast.coordinator.user)
        response = client.get(health_url(cast))
        comparison = response.context["comparison"]
        assert (response.context["before"], response.context["after"]) == (business, marriage)
        before = {frozenset(e) for e in florentine_edges("business")}
        after = {frozenset(e) for e in florentine_edges("marriage")}
        assert comparison["new_ties"] == len(after - before)
        assert comparison["lost_ties"] == len(before - after)
        figures = {row["key"]: row for row in comparison["rows"]}
        assert figures["density"]["before"] == business.density
        assert figures["density"]["after"] == marriage.density
        assert figures["components"]["after"] == marriage.report["components"]
        assert comparison["joined"] == [] and comparison["left"] == []
        core_before = set(business.report["core_periphery"]["core"])
        core_after = set(marriage.report["core_periphery"]["core"])
        moved = {row["person"] for row in comparison["moved_to_core"]}
        assert moved == core_after - core_before
        html = response.content.decode()
        assert "From “Business” to “Marriage”" in html
        assert marriage.report["stage"]["label"] in html

    def test_it_names_who_joined_by_the_consent_rules(self, client, cast):
        mapped = MappedCast(cast)
        joiner = make_member(cast.network, name="Jonas Joiner", email="jonas@example.org")
        shy = make_member(cast.network, name="Shy Sam", email="sam@example.org")
        Person.objects.filter(pk=joiner.pk).update(map_consent="named")
        later = take_snapshot(
            cast.network,
            [*mapped.people, joiner, shy],
            [*mapped.edges, (joiner.pk, cast.member.pk), (shy.pk, joiner.pk)],
            label="Wave 2",
        )
        mapped.snapshot.taken_at = later.taken_at.replace(year=later.taken_at.year - 1)
        mapped.snapshot.save(update_fields=["taken_at"])
        client.force_login(cast.member.user)
        response = client.get(health_url(cast, before=mapped.snapshot.pk, after=later.pk))
        assert response.status_code == 200
        joined = response.context["comparison"]["joined"]
        assert {row["name"] for row in joined} == {"Jonas Joiner", "Anonymous member"}
        assert "Shy Sam" not in response.content.decode()
        assert response.context["comparison"]["new_ties"] == 2

    def test_it_asks_for_two_different_snapshots(self, client, cast):
        mapped = MappedCast(cast)
        take_snapshot(cast.network, mapped.people, mapped.edges[:3], label="Older", days_ago=9)
        client.force_login(cast.coordinator.user)
        pk = mapped.snapshot.pk
        response = client.get(health_url(cast, before=pk, after=pk))
        assert "Choose two different snapshots" in response.content.decode()

    def test_it_draws_the_timeline_of_every_snapshot_oldest_first(self, client, cast):
        _families, business, marriage = florentine_network(cast)
        client.force_login(cast.member.user)
        response = client.get(health_url(cast))
        timeline = response.context["timeline"]
        assert [row["label"] for row in timeline] == ["Business", "Marriage"]
        assert [row["components"] for row in timeline] == [
            business.report["components"],
            marriage.report["components"],
        ]
        html = response.content.decode()
        assert 'id="health-timeline"' in html and "netweave-health.js" in html
        assert 'id="health-timeline-data"' in html


@pytest.mark.django_db
class StageReasonNamesTests:
    def test_the_stage_names_hubs_by_consent_and_never_by_person_id(self, client, cast):
        from netweave.ties.models import Snapshot
        from netweave.ties.services import snapshot_compute, snapshot_take, tie_add

        # A star around the coordinator: hub-and-spoke, and the reasons name the hub.
        spokes = [make_member(cast.network, name=f"Spoke {i}") for i in range(6)]
        for spoke in [cast.steward, cast.member, cast.observer, *spokes]:
            tie_add(network=cast.network, source=cast.coordinator, target=spoke, kind="knows")
        snapshot = snapshot_take(network=cast.network, label="Star")
        snapshot_compute(snapshot_id=snapshot.pk)
        stored = " ".join(Snapshot.objects.get(pk=snapshot.pk).report["stage"]["reasons"])
        assert "Cora Coordinator" not in stored  # names are never stored in the report
        assert f"[[person:{cast.coordinator.pk}]]" in stored

        client.force_login(cast.coordinator.user)
        html = client.get(health_url(cast)).content.decode()
        assert "If Cora Coordinator left, 8 members would be cut off." in html
        assert "[[person:" not in html

        Person.objects.filter(pk=cast.coordinator.pk).update(map_consent="anonymous")
        client.force_login(cast.member.user)
        html = client.get(health_url(cast)).content.decode()
        assert "If an anonymous member left, 8 members would be cut off." in html
        assert "[[person:" not in html
