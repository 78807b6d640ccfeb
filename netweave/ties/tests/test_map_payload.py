"""The map's data: names only where the permission table allows, opaque node numbers, speed."""

from __future__ import annotations

import gzip
import json
import random
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from netweave.analysis import Graph, network_report
from netweave.lib.testing import Cast, make_member
from netweave.networks.models import Network
from netweave.networks.permissions import access_for
from netweave.people.models import Membership, Person
from netweave.ties.exports import export_snapshot
from netweave.ties.map_data import map_payload
from netweave.ties.models import Snapshot
from netweave.ties.services import snapshot_compute, snapshot_take, tie_add

DATA = Path(__file__).resolve().parents[4] / "shared" / "data" / "networks"


def layout_of(person_ids: list[int], edges: list[tuple[int, int]], *, seed: int = 1) -> dict:
    """A layout in [0, 1] the way the snapshot task caches one: igraph's Fruchterman-Reingold
    for small networks, random positions for large ones (the map only reads them)."""
    import igraph

    rng = random.Random(seed)
    if len(person_ids) > 500:
        return {str(pid): [rng.random(), rng.random()] for pid in person_ids}
    position = {pid: i for i, pid in enumerate(person_ids)}
    graph = igraph.Graph(n=len(person_ids), edges=[(position[s], position[t]) for s, t in edges])
    coords = graph.layout_fruchterman_reingold(
        seed=[[rng.random(), rng.random()] for _ in person_ids]
    )
    xs, ys = [c[0] for c in coords], [c[1] for c in coords]
    span_x, span_y = (max(xs) - min(xs)) or 1.0, (max(ys) - min(ys)) or 1.0
    return {
        str(pid): [(x - min(xs)) / span_x, (y - min(ys)) / span_y]
        for pid, x, y in zip(person_ids, xs, ys, strict=True)
    }


def take_snapshot(
    network: Network,
    people: list[Person],
    edges: list[tuple[int, int]],
    *,
    label: str = "Wave 1",
    days_ago: int = 0,
) -> Snapshot:
    """A computed snapshot as the snapshot task leaves one: graph, report (through JSON, as the
    database stores it), layout and the denormalized figures."""
    ids = [person.pk for person in people]
    memberships = {
        m.person_id: m for m in Membership.objects.filter(network=network, person_id__in=ids)
    }
    nodes = [
        {
            "id": person.pk,
            "organization": None,
            "org_kind": "ngo" if person.pk % 2 else "university",
            "country": str(person.country or ""),
            "role": memberships[person.pk].role if person.pk in memberships else "member",
            "tier": memberships[person.pk].tier if person.pk in memberships else "",
        }
        for person in people
    ]
    report = json.loads(json.dumps(network_report(Graph.from_edges(edges, nodes=ids))))
    return Snapshot.objects.create(
        network=network,
        label=label,
        taken_at=timezone.now() - timedelta(days=days_ago),
        status=Snapshot.Status.DONE,
        graph={"nodes": nodes, "edges": [[s, t, 1] for s, t in edges], "directed": False},
        report=report,
        layout=layout_of(ids, edges),
        node_count=report["nodes"],
        edge_count=report["edges"],
        density=report["density"],
        stage=report["stage"]["name"],
        finished_at=timezone.now(),
    )


class MappedCast:
    """The cast, two more members (one named on the map, one anonymous) and an anonymous isolate,
    with a snapshot of their ties."""

    def __init__(self, cast: Cast) -> None:
        self.cast = cast
        self.named = make_member(cast.network, name="Nadia Named", email="nadia@example.org")
        Person.objects.filter(pk=self.named.pk).update(map_consent=Person.MapConsent.NAMED)
        self.hidden = make_member(cast.network, name="Hidden Hana", email="hana@example.org")
        self.isolate = make_member(cast.network, name="Ivan Isolate", email="ivan@example.org")
        c, s, m, n, h = cast.coordinator, cast.steward, cast.member, self.named, self.hidden
        self.people = [c, s, m, n, h, self.isolate]
        self.edges = [
            (c.pk, s.pk),
            (s.pk, m.pk),
            (m.pk, n.pk),
            (m.pk, h.pk),
            (n.pk, h.pk),
            (c.pk, h.pk),
        ]
        self.snapshot = take_snapshot(cast.network, self.people, self.edges)

    # Names that only coordinators may see: everyone but Nadia (who consented), and each
    # viewer's own name.
    def secret_names(self, viewer: Person) -> list[str]:
        hidden = [self.cast.coordinator, self.cast.steward, self.cast.member, self.hidden]
        return [p.name for p in [*hidden, self.isolate] if p.pk != viewer.pk]


def noon(day: date) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, 12))


class KindedCast(MappedCast):
    """The same people and pairs, but as real ties of several kinds observed on known days, frozen
    by the snapshot service (so the snapshot keeps each edge's kinds and dates)."""

    # One row per pair of `edges`: the kinds of its ties and the days they were observed.
    TIES = [
        [("knows", date(2025, 1, 10))],
        [("collaborates", date(2025, 3, 1))],
        [("knows", date(2025, 6, 1)), ("advice", date(2026, 1, 10))],
        [("funds", date(2025, 9, 15))],
        [("knows", date(2025, 11, 20))],
        [("collaborates", date(2026, 1, 5))],
    ]

    def __init__(self, cast: Cast) -> None:
        super().__init__(cast)
        self.old_snapshot = self.snapshot
        people = {person.pk: person for person in self.people}
        for (source, target), ties in zip(self.edges, self.TIES, strict=True):
            for kind, day in ties:
                tie_add(
                    network=cast.network,
                    source=people[source],
                    target=people[target],
                    kind=kind,
                    observed_at=noon(day),
                )
        taken = snapshot_take(network=cast.network, label="Wave 2")
        self.snapshot = snapshot_compute(snapshot_id=taken.pk)
        assert self.snapshot.status == Snapshot.Status.DONE, self.snapshot.error


@pytest.fixture
def mapped(cast: Cast) -> MappedCast:
    return MappedCast(cast)


@pytest.fixture
def kinded(cast: Cast) -> KindedCast:
    return KindedCast(cast)


def day_number(day: date) -> int:
    return (day - date(1970, 1, 1)).days


def data_url(network: Network, **query: Any) -> str:
    url = reverse("maps:map_data", args=[network.slug])
    if query:
        url += "?" + "&".join(f"{k}={v}" for k, v in query.items())
    return url


@pytest.mark.django_db
class MapPayloadConsentTests:
    def test_coordinators_see_every_name_and_person(self, client, mapped):
        client.force_login(mapped.cast.user("coordinator"))
        response = client.get(data_url(mapped.cast.network))
        assert response.status_code == 200
        payload = response.json()
        by_person = {node.get("person"): node for node in payload["nodes"]}
        for person in mapped.people:
            assert by_person[person.pk]["label"] == person.name
        assert all(node["named"] for node in payload["nodes"])

    @pytest.mark.parametrize("who", ["member", "steward"])
    def test_members_and_stewards_see_consenting_people_and_themselves_only(
        self, client, mapped, who
    ):
        # design.md section 5: anonymous "to everyone but coordinators"
        member = getattr(mapped.cast, who)
        client.force_login(member.user)
        response = client.get(data_url(mapped.cast.network))
        assert response.status_code == 200
        text = response.content.decode()
        for name in mapped.secret_names(member):
            assert name not in text, f"{name} leaked to a member"
        payload = response.json()
        named = {node["person"]: node["label"] for node in payload["nodes"] if node["named"]}
        assert named == {member.pk: member.name, mapped.named.pk: mapped.named.name}
        anonymous = [node for node in payload["nodes"] if not node["named"]]
        assert len(anonymous) == len(mapped.people) - 2
        for node in anonymous:
            assert node["label"] == "Anonymous member"
            assert "person" not in node and "organization" not in node
        mine = [node for node in payload["nodes"] if node.get("me")]
        assert [node["i"] for node in mine] == [payload["me"]]

    def test_node_numbers_are_not_person_ids_nor_in_their_order(self, mapped, db):
        access = access_for(mapped.cast.coordinator.user, mapped.cast.network)
        payload = map_payload(access=access, snapshot=mapped.snapshot)
        assert sorted(node["i"] for node in payload["nodes"]) == list(range(len(mapped.people)))
        order = [node["person"] for node in payload["nodes"]]
        assert order != sorted(order) or order != [p.pk for p in mapped.people]
        # The edges use the node numbers and describe the same ties as the snapshot.
        number = {node["person"]: node["i"] for node in payload["nodes"]}
        ties = {frozenset((number[s], number[t])) for s, t in mapped.edges}
        assert {frozenset(edge[:2]) for edge in payload["edges"]} == ties

    def test_a_members_page_shows_anonymous_connections_without_a_link(self, client, mapped):
        member = mapped.cast.member
        client.force_login(member.user)
        response = client.get(reverse("maps:map", args=[mapped.cast.network.slug]))
        assert response.status_code == 200
        html = response.content.decode()
        for name in mapped.secret_names(member):
            assert name not in html, f"{name} leaked to a member"
        assert "Nadia Named" in html
        assert f"/people/{mapped.named.pk}/" in html
        assert f"/people/{mapped.hidden.pk}/" not in html
        assert "Anonymous member" in html

    @pytest.mark.parametrize(
        ("who", "status"),
        [("observer", 403), ("other_member", 403), ("outsider", 403), ("anonymous", 302)],
    )
    def test_people_below_member_get_no_map(self, client, mapped, who, status):
        user = mapped.cast.user(who)
        if user is not None:
            client.force_login(user)
        for url in [
            data_url(mapped.cast.network),
            reverse("maps:map", args=[mapped.cast.network.slug]),
        ]:
            response = client.get(url)
            assert response.status_code == status
            assert b"Hidden Hana" not in response.content

    def test_a_private_network_is_not_found_for_an_outsider(self, client, private_cast):
        client.force_login(private_cast.outsider.user)
        response = client.get(data_url(private_cast.network))
        assert response.status_code == 404


@pytest.mark.django_db
class MapTieFilterPayloadTests:
    def test_each_edge_carries_the_kinds_and_first_and_last_days_of_its_ties(self, client, kinded):
        client.force_login(kinded.cast.user("coordinator"))
        payload = client.get(data_url(kinded.cast.network, snapshot=kinded.snapshot.pk)).json()
        keys = [kind["key"] for kind in payload["tie_kinds"]]
        assert sorted(keys) == ["advice", "collaborates", "funds", "knows"]
        counts = {kind["key"]: kind["count"] for kind in payload["tie_kinds"]}
        assert counts == {"knows": 3, "collaborates": 2, "advice": 1, "funds": 1}
        assert {kind["key"]: kind["label"] for kind in payload["tie_kinds"]}["advice"] == (
            "Gives advice"
        )
        assert payload["dates"] == {"first": "2025-01-10", "last": "2026-01-10"}
        person = {node["i"]: node["person"] for node in payload["nodes"]}
        edges = {frozenset((person[row[0]], person[row[1]])): row for row in payload["edges"]}
        assert len(edges) == len(kinded.edges)
        for pair, ties in zip(kinded.edges, kinded.TIES, strict=True):
            _source, _target, _weight, kinds, first, last = edges[frozenset(pair)]
            assert {keys[k] for k in kinds} == {kind for kind, _day in ties}
            assert first == day_number(min(day for _kind, day in ties))
            assert last == day_number(max(day for _kind, day in ties))

    def test_kinds_and_dates_leak_no_name_to_a_member(self, client, kinded):
        member = kinded.cast.member
        client.force_login(member.user)
        response = client.get(data_url(kinded.cast.network, snapshot=kinded.snapshot.pk))
        text = response.content.decode()
        for name in kinded.secret_names(member):
            assert name not in text, f"{name} leaked to a member"
        payload = response.json()
        assert payload["tie_kinds"] and payload["dates"]
        named = {node["person"] for node in payload["nodes"] if node["named"]}
        assert named == {member.pk, kinded.named.pk}
        anonymous = [node for node in payload["nodes"] if not node["named"]]
        assert all("person" not in node for node in anonymous)
        # Edges hold node numbers, kind numbers and day numbers only.
        for row in payload["edges"]:
            assert all(isinstance(value, int | float | list) for value in row)

    def test_a_snapshot_frozen_before_kinds_and_dates_still_renders(self, client, kinded):
        old = kinded.old_snapshot
        assert "edge_info" not in old.graph
        client.force_login(kinded.cast.user("coordinator"))
        payload = client.get(data_url(kinded.cast.network, snapshot=old.pk)).json()
        assert payload["tie_kinds"] == [] and payload["dates"] is None
        assert len(payload["edges"]) == len(kinded.edges)
        assert all(len(row) == 3 for row in payload["edges"])
        slug = kinded.cast.network.slug
        for url in (
            reverse("maps:map", args=[slug]) + f"?snapshot={old.pk}",
            reverse("maps:health", args=[slug]),
        ):
            assert client.get(url).status_code == 200, url

    @pytest.mark.parametrize("file_format", ["graphml", "gexf", "edges.csv"])
    def test_old_and_new_snapshots_export_plain_weighted_edges(self, kinded, file_format):
        for snapshot in (kinded.old_snapshot, kinded.snapshot):
            exported = export_snapshot(snapshot, file_format).decode()
            assert str(kinded.cast.member.pk) in exported
            assert "kinds" not in exported and "2025-" not in exported

    def test_the_edge_list_of_a_new_snapshot_keeps_three_columns(self, kinded):
        header, *rows = export_snapshot(kinded.snapshot, "edges.csv").decode().splitlines()
        assert header == "source,target,weight"
        assert len(rows) == len(kinded.edges)
        assert all(len(row.split(",")) == 3 for row in rows)


class MapDataRequestTests:
    def test_it_colours_and_sizes_by_what_is_asked(self, client, mapped):
        client.force_login(mapped.cast.coordinator.user)
        payload = client.get(data_url(mapped.cast.network, colour="role", size="coreness")).json()
        roles = {node["role"] for node in payload["nodes"]}
        assert {entry["key"] for entry in payload["legend"]} == roles
        for node in payload["nodes"]:
            assert payload["legend"][node["c"]]["key"] == node["role"]
        isolate = next(n for n in payload["nodes"] if n["person"] == mapped.isolate.pk)
        assert isolate["s"] == min(node["s"] for node in payload["nodes"])
        assert isolate["role"] == "isolate"

    def test_it_rejects_an_unknown_colouring_with_a_message(self, client, mapped):
        client.force_login(mapped.cast.member.user)
        response = client.get(data_url(mapped.cast.network, colour="shoe_size"))
        assert response.status_code == 400
        assert "Colour by one of" in response.json()["error"]

    def test_it_does_not_serve_a_snapshot_of_another_network(self, client, mapped):
        elsewhere = [mapped.cast.other_member, make_member(mapped.cast.other_network)]
        other = take_snapshot(
            mapped.cast.other_network,
            elsewhere,
            [(elsewhere[0].pk, elsewhere[1].pk)],
            label="Elsewhere",
        )
        client.force_login(mapped.cast.member.user)
        response = client.get(data_url(mapped.cast.network, snapshot=other.pk))
        assert response.status_code == 404
        assert "error" in response.json()
        response = client.get(data_url(mapped.cast.network, snapshot="latest-please"))
        assert response.status_code == 404

    def test_it_serves_the_latest_snapshot_unless_asked_for_another(self, client, mapped):
        older = take_snapshot(
            mapped.cast.network, mapped.people[:3], mapped.edges[:2], label="Old", days_ago=30
        )
        client.force_login(mapped.cast.member.user)
        assert client.get(data_url(mapped.cast.network)).json()["snapshot"]["id"] == (
            mapped.snapshot.pk
        )
        payload = client.get(data_url(mapped.cast.network, snapshot=older.pk)).json()
        assert payload["snapshot"]["label"] == "Old"
        assert len(payload["nodes"]) == 3

    def test_it_reads_the_map_in_a_fixed_number_of_queries(
        self, client, mapped, django_assert_max_num_queries
    ):
        client.force_login(mapped.cast.member.user)
        client.get(data_url(mapped.cast.network))
        with django_assert_max_num_queries(8):
            client.get(data_url(mapped.cast.network))


def large_network(size: int = 5000, ties_per_member: int = 4, seed: int = 7) -> tuple:
    """A network of `size` members (a tenth named on the map) with about `ties_per_member`
    ties each, grown by preferential attachment so it has hubs like a real one."""
    network = Network.objects.create(name="Large", slug="large")
    people = Person.objects.bulk_create(
        [
            Person(
                name=f"Member {i:05d}",
                email=f"m{i}@example.org",
                map_consent="named" if i % 10 == 0 else "anonymous",
            )
            for i in range(size)
        ]
    )
    Membership.objects.bulk_create(
        [Membership(network=network, person=p, role="member", status="active") for p in people]
    )
    rng = random.Random(seed)
    ids = [p.pk for p in people]
    ends: list[int] = []
    edges: set[tuple[int, int]] = set()
    for i, pid in enumerate(ids[1:], start=1):
        for _ in range(min(i, ties_per_member)):
            other = rng.choice(ends) if ends and rng.random() < 0.7 else ids[rng.randrange(i)]
            if other != pid:
                edges.add((min(pid, other), max(pid, other)))
                ends.extend([pid, other])
    return network, people, sorted(edges)


@pytest.mark.django_db
class MapPayloadSizeTests:
    # How fast this is, is measured by bench/map.py (docs/performance.md), never asserted here.
    def test_it_delivers_the_whole_map_of_5000_members_compressed(self, client):
        network, people, edges = large_network()
        snapshot = take_snapshot(network, people, edges, label="Large")
        viewer = make_member(network, name="Viewer", email="viewer@example.org")
        client.force_login(viewer.user)
        response = client.get(data_url(network, snapshot=snapshot.pk), HTTP_ACCEPT_ENCODING="gzip")
        assert response.status_code == 200
        assert response["Content-Encoding"] == "gzip"
        payload = json.loads(gzip.decompress(response.content))
        assert len(payload["nodes"]) == 5000
        assert len(payload["edges"]) == len(edges)
        assert sum(1 for node in payload["nodes"] if node["named"]) == 500
