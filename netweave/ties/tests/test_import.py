import io
import zipfile

import pytest

from netweave.analysis import read_graphml
from netweave.lib.testing import make_person
from netweave.people.models import Membership
from netweave.ties.exports import export_snapshot
from netweave.ties.importing import ties_import
from netweave.ties.models import Tie
from netweave.ties.services import snapshot_compute, snapshot_take, tie_add
from netweave.ties.tests.conftest import DATA, karate_edges, karate_members

KARATE_GRAPHML = DATA / "zachary_karate" / "karate.graphml"


def _karate_csv(by: str = "email") -> bytes:
    lines = ["source,target,kind,weight"]
    for source, target in karate_edges():
        if by == "email":
            lines.append(f"karate{source}@example.org,KARATE{target}@example.org,knows,1")
        else:
            lines.append(f"{source},{target},knows,1")
    return ("\n".join(lines) + "\n").encode()


def _run(network, content, filename="ties.csv", dry_run=True, **kwargs):
    return ties_import(
        network=network, filename=filename, content=content, dry_run=dry_run, **kwargs
    )


@pytest.mark.django_db
class CsvImportTests:
    def test_a_dry_run_of_the_karate_club_writes_nothing(self, karate_network):
        report = _run(karate_network, _karate_csv())
        assert report.ok, report.errors
        assert (report.total_rows, report.to_create, report.committed) == (78, 78, False)
        assert not Tie.objects.exists()

    def test_the_real_import_writes_every_tie_once(self, karate_network, cast):
        report = _run(karate_network, _karate_csv(), dry_run=False, created_by=cast.coordinator)
        assert report.committed
        ties = Tie.objects.filter(network=karate_network)
        assert ties.count() == 78
        assert set(ties.values_list("provenance", flat=True)) == {"imported"}
        again = _run(karate_network, _karate_csv(), dry_run=False)
        assert (again.to_create, again.unchanged) == (0, 78)
        assert ties.count() == 78

    def test_person_ids_work_as_well_as_emails(self, cast):
        content = f"source;target\n{cast.member.pk};{cast.steward.pk}\n".encode()
        report = _run(cast.network, content, dry_run=False, default_kind="advice")
        assert report.committed
        assert Tie.objects.get().kind == "advice"

    def test_every_bad_row_is_reported_with_its_line_and_nothing_is_written(self, cast):
        make_person(name="Nora Nobody", email="nora@example.org")
        rows = [
            "source,target,kind,weight,directed,observed_at",
            "mina@example.org,stella@example.org,knows,1,no,2025-03-01",  # 2: fine
            "mina@example.org,ghost@example.org,knows,1,,",  # 3: unknown address
            "mina@example.org,nora@example.org,knows,1,,",  # 4: not a member
            "mina@example.org,otto@example.org,knows,1,,",  # 5: member elsewhere
            "mina@example.org,mina@example.org,knows,1,,",  # 6: self-tie
            "mina@example.org,omar@example.org,likes,1,,",  # 7: bad kind
            "mina@example.org,omar@example.org,knows,heavy,,",  # 8: bad weight
            "mina@example.org,omar@example.org,knows,-2,,",  # 9: weight <= 0
            "mina@example.org,omar@example.org,knows,1,maybe,",  # 10: bad flag
            "mina@example.org,omar@example.org,knows,1,,yesterday",  # 11: bad date
            "stella@example.org,mina@example.org,knows,1,,",  # 12: repeats line 2
            "Mina,omar@example.org,knows,1,,",  # 13: neither email nor id
            ",omar@example.org,knows,1,,",  # 14: empty
        ]
        report = _run(cast.network, ("\n".join(rows) + "\n").encode(), dry_run=False)
        assert not report.committed
        assert not Tie.objects.exists()
        lines = {error.line for error in report.errors}
        assert lines == set(range(3, 15))
        text = {error.line: error.message for error in report.errors}
        assert "ghost@example.org" in text[3] and "nobody" in text[3]
        assert "Nora Nobody" in text[4] and "not an active member" in text[4]
        assert "Otto Other" in text[5]
        assert "two different people" in text[6]
        assert "likes" in text[7]
        assert "greater than 0" in text[8] and "greater than 0" in text[9]
        assert "maybe" in text[10]
        assert "yesterday" in text[11]
        assert "line 2" in text[12]
        assert "neither" in text[13]
        assert "empty" in text[14]

    @pytest.mark.parametrize(
        ("content", "message"),
        [
            (b"", "empty"),
            (b"from,to\na,b\n", "source"),
            (b"source,target,colour\n1,2,red\n", "Unknown column"),
            (b"source,target\n", "no ties"),
            ("source,target\ncaf\xe9,b\n".encode("latin-1"), "not UTF-8"),
        ],
    )
    def test_a_bad_file_is_one_clear_error(self, cast, content, message):
        report = _run(cast.network, content, dry_run=False)
        assert not report.ok
        assert message in " ".join(f"{e.column} {e.message}" for e in report.errors)
        assert not Tie.objects.exists()


@pytest.fixture
def karate_network(db):  # type: ignore[no-untyped-def]
    from netweave.lib.testing import make_network

    network = make_network(name="Karate Club", slug="karate")
    karate_members(network)
    return network


def _karate_graphml_with_emails(tmp_path) -> bytes:
    """The shared karate.graphml with an `email` attribute added to each node."""
    graph = read_graphml(KARATE_GRAPHML)
    lines = [
        '<?xml version="1.0"?>',
        '<graphml xmlns="http://graphml.graphdrawing.org/xmlns">',
        '<key id="e" for="node" attr.name="email" attr.type="string"/>',
        '<graph edgedefault="undirected">',
    ]
    lines += [f'<node id="{n}"><data key="e">karate{n}@example.org</data></node>' for n in graph]
    lines += [f'<edge source="{s}" target="{t}"/>' for s, t in graph.edges()]
    lines += ["</graph></graphml>"]
    return "\n".join(lines).encode()


@pytest.mark.django_db
class XmlImportTests:
    def test_graphml_nodes_are_found_by_their_email(self, karate_network, tmp_path):
        report = _run(
            karate_network, _karate_graphml_with_emails(tmp_path), "club.graphml", dry_run=False
        )
        assert report.committed, report.errors
        assert Tie.objects.filter(network=karate_network).count() == 78

    def test_graphml_nodes_without_email_use_person_ids(self, karate_network):
        report = _run(karate_network, KARATE_GRAPHML.read_bytes(), "karate.graphml")
        # node ids 0..33 are not the members' person ids: every node is reported once
        assert not report.ok
        assert all(error.column.startswith("node ") for error in report.errors)
        assert len({error.column for error in report.errors}) == len(report.errors)

    def test_a_snapshot_export_imports_back_into_another_network(self, cast):
        tie_add(network=cast.network, source=cast.member, target=cast.steward, kind="knows")
        tie_add(
            network=cast.network, source=cast.member, target=cast.observer, kind="knows", weight=3
        )
        snapshot = snapshot_take(network=cast.network, label="Cast")
        snapshot_compute(snapshot_id=snapshot.pk)
        snapshot.refresh_from_db()
        Tie.objects.all().delete()
        for file_format in ("graphml", "gexf"):
            content = export_snapshot(snapshot, file_format)
            report = _run(cast.network, content, f"cast.{file_format}", dry_run=False)
            assert report.committed, (file_format, report.errors)
            weights = {
                frozenset((source, target)): weight
                for source, target, weight in Tie.objects.values_list(
                    "source_id", "target_id", "weight"
                )
            }
            assert weights == {
                frozenset((cast.member.pk, cast.steward.pk)): 1.0,
                frozenset((cast.member.pk, cast.observer.pk)): 3.0,
            }
            Tie.objects.all().delete()
        archive = zipfile.ZipFile(io.BytesIO(export_snapshot(snapshot, "zip")))
        edges = next(name for name in archive.namelist() if name.endswith("edges.csv"))
        report = _run(cast.network, archive.read(edges), "edges.csv", dry_run=False)
        assert report.committed and report.to_create == 2

    def test_broken_xml_is_reported_not_raised(self, cast):
        report = _run(cast.network, b"<graphml><graph><node id='a'></graph>", "x.graphml")
        assert not report.ok and "not well-formed" in report.errors[0].message

    def test_members_who_left_are_refused(self, cast):
        Membership.objects.filter(person=cast.steward).update(status="left")
        content = f"source,target\n{cast.member.pk},{cast.steward.pk}\n".encode()
        report = _run(cast.network, content, dry_run=False)
        assert "not an active member" in report.errors[0].message
