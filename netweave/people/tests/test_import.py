"""Member and organization import: the report, the writes, bad files, the jobs and the CLI."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import pytest
import vobject
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection
from django.test.utils import CaptureQueriesContext

from netweave.lib.testing import Cast, make_member, make_person
from netweave.networks.permissions import access_for
from netweave.people import importing, selectors
from netweave.people.csvio import directory_rows
from netweave.people.importing import (
    ImportNotAllowed,
    import_file,
    import_job_commit,
    import_job_create,
    import_job_run,
)
from netweave.people.models import (
    Affiliation,
    ImportJob,
    Membership,
    MembershipEvent,
    Organization,
    Person,
)
from netweave.people.services import membership_change_status, person_search_text

pytestmark = pytest.mark.django_db

PEOPLE_HEADER = ["name", "email", "organization", "title", "country", "city", "languages",
                 "expertise", "interests", "role", "map_consent"]  # fmt: skip


def csv_bytes(rows: list[dict[str, str]], header: list[str] | None = None, **options: str) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header or PEOPLE_HEADER, **options)  # type: ignore[arg-type]
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def run(cast: Cast, content: bytes, *, dry_run: bool = True, kind: str = "people",
        filename: str = "members.csv", **kwargs):  # type: ignore[no-untyped-def]  # fmt: skip
    return import_file(
        network=cast.network, kind=kind, filename=filename, content=content, dry_run=dry_run,
        **kwargs,
    )  # fmt: skip


def counts() -> tuple[int, int, int, int, int]:
    return (
        Person.objects.count(),
        Organization.objects.count(),
        Membership.objects.count(),
        Affiliation.objects.count(),
        MembershipEvent.objects.count(),
    )


AMARA = {
    "name": "Amara Okafor", "email": "amara@example.org", "organization": "Lagos Health Lab",
    "title": "Epidemiologist", "country": "Nigeria", "city": "Lagos", "languages": "en;fr",
    "expertise": "malaria; vector control", "interests": "modelling", "role": "steward",
    "map_consent": "named",
}  # fmt: skip
BRUNO = {"name": "Bruno Silva", "email": "", "organization": "Fiocruz", "country": "BR"}


class PeopleImportDryRunTests:
    def test_a_dry_run_reports_what_it_would_do_and_writes_nothing(self, cast: Cast) -> None:
        before = counts()
        mina = {"name": "Mina Member", "email": "MINA@example.org", "city": "Kisumu"}
        report = run(cast, csv_bytes([AMARA, BRUNO, mina]))

        assert report.errors == []
        assert (report.total_rows, report.to_create, report.to_update, report.unchanged) == (
            3, 2, 1, 0,
        )  # fmt: skip
        assert report.new_organizations == 2
        assert report.committed is False
        assert [(row["line"], row["action"]) for row in report.preview] == [
            (2, "create"), (3, "create"), (4, "update"),
        ]  # fmt: skip
        assert report.preview[2]["changes"] == ["city"]
        assert counts() == before

    def test_a_row_that_changes_nothing_is_reported_unchanged(self, cast: Cast) -> None:
        """The directory export, imported back, changes nothing (a real round trip)."""
        access = access_for(cast.coordinator.user, cast.network)
        memberships = selectors.members_for_directory(
            access=access, query=selectors.DirectoryQuery()
        )
        out = io.StringIO()
        csv.writer(out).writerows(directory_rows(memberships))

        report = run(cast, out.getvalue().encode(), dry_run=False)

        assert report.errors == []
        assert (report.to_create, report.to_update, report.unchanged) == (0, 0, 4)
        assert not MembershipEvent.objects.filter(kind=MembershipEvent.Kind.IMPORTED).exists()


class PeopleImportCommitTests:
    def test_it_creates_people_organizations_memberships_and_affiliations(self, cast: Cast) -> None:
        report = run(cast, csv_bytes([AMARA, BRUNO]), dry_run=False, actor=cast.coordinator)

        assert report.committed is True
        assert (report.to_create, report.new_memberships, report.new_organizations) == (2, 2, 2)
        amara = Person.objects.get(email="amara@example.org")
        assert amara.country.code == "NG"
        assert amara.languages == ["en", "fr"]
        assert amara.expertise == ["malaria", "vector control"]
        assert amara.map_consent == "named"
        assert amara.user is None
        assert amara.search_text == person_search_text(amara)  # as the profile page would save it
        affiliation = amara.affiliations.get()
        assert (affiliation.organization.name, affiliation.title, affiliation.is_primary) == (
            "Lagos Health Lab", "Epidemiologist", True,
        )  # fmt: skip
        membership = amara.memberships.get(network=cast.network)
        assert (membership.role, membership.status) == ("steward", "active")
        assert membership.joined_at is not None
        event = membership.events.get()
        assert (event.kind, event.actor, event.new_value) == (
            "imported",
            cast.coordinator,
            "steward",
        )
        assert "members.csv, line 2" in event.message
        bruno = Person.objects.get(name="Bruno Silva")
        assert bruno.email == ""
        assert bruno.memberships.get().role == "member"
        assert bruno.map_consent == "anonymous"

    @pytest.mark.parametrize("text", ["Amara", "lagos health", "vector", "Nigeria", "epidem"])
    def test_imported_people_are_found_by_the_directory_search(self, cast: Cast, text: str) -> None:
        run(cast, csv_bytes([AMARA, BRUNO]), dry_run=False)
        access = access_for(cast.member.user, cast.network)

        found = selectors.members_for_directory(
            access=access, query=selectors.DirectoryQuery(text=text)
        )

        names = [m.person.name for m in found]
        if text == "epidem":  # a title is not searched: the search text has no titles
            assert names == []
        else:
            assert names == ["Amara Okafor"]

    def test_it_updates_a_person_matched_by_email_whatever_its_case(self, cast: Cast) -> None:
        person = make_member(
            cast.network, name="Kofi Mensah", email="kofi@example.org", login=False,
            city="Accra", bio="Works on TB.", organization="Old Org",
        )  # fmt: skip
        row = {"name": "Kofi A. Mensah", "email": "KOFI@Example.org", "city": "Kumasi",
               "organization": "Ghana Health Service", "title": "Director"}  # fmt: skip

        report = run(cast, csv_bytes([row]), dry_run=False)

        assert (report.to_create, report.to_update) == (0, 1)
        person.refresh_from_db()
        assert (person.name, person.city, person.bio) == (
            "Kofi A. Mensah",
            "Kumasi",
            "Works on TB.",
        )
        primary = person.affiliations.get(is_primary=True)
        assert (primary.organization.name, primary.title) == ("Ghana Health Service", "Director")
        assert person.affiliations.get(organization__name="Old Org").is_primary is False
        assert person.search_text == person_search_text(person)
        assert "Ghana Health Service" in person.search_text
        assert Person.objects.filter(email__iexact="kofi@example.org").count() == 1
        assert report.preview[0]["changes"] == ["name", "city", "organization"]

    def test_it_only_fills_empty_fields_of_someone_who_signed_in(self, cast: Cast) -> None:
        row = {"name": "Someone Else", "email": "mina@example.org", "country": "FR",
               "city": "Nairobi", "map_consent": "named"}  # fmt: skip

        report = run(cast, csv_bytes([row]), dry_run=False)

        assert report.to_update == 1
        cast.member.refresh_from_db()
        assert cast.member.name == "Mina Member"
        assert cast.member.country.code == "KE"
        assert cast.member.city == "Nairobi"
        assert cast.member.map_consent == "anonymous"

    def test_it_changes_a_members_role_and_records_the_event(self, cast: Cast) -> None:
        row = {"name": "Mina Member", "email": "mina@example.org", "role": "steward"}

        run(cast, csv_bytes([row]), dry_run=False, actor=cast.coordinator)

        membership = Membership.objects.get(network=cast.network, person=cast.member)
        assert membership.role == "steward"
        event = membership.events.get(kind=MembershipEvent.Kind.IMPORTED)
        assert (event.old_value, event.new_value) == ("member", "steward")

    def test_it_refuses_to_change_a_coordinators_role(self, cast: Cast) -> None:
        before = counts()
        rows = [AMARA, {"name": "Cora Coordinator", "email": "cora@example.org", "role": "member"}]

        report = run(cast, csv_bytes(rows), dry_run=False)

        assert [(e.line, e.column) for e in report.errors] == [(3, "role")]
        assert "coordinator" in report.errors[0].message
        assert report.committed is False
        assert counts() == before

    def test_invited_and_lapsed_people_become_active_but_not_those_who_left(
        self, cast: Cast
    ) -> None:
        invited = make_person(name="Ines Invited", login=False)
        Membership.objects.create(network=cast.network, person=invited, status="invited")
        lapsed = make_member(cast.network, name="Lars Lapsed", login=False)
        membership_change_status(membership=lapsed.memberships.get(), status="lapsed", actor=None)
        left = make_member(cast.network, name="Lea Left", login=False)
        membership_change_status(membership=left.memberships.get(), status="left", actor=None)
        rows = [
            {"name": p.name, "email": p.email, "city": "Dakar"} for p in (invited, lapsed, left)
        ]

        report = run(cast, csv_bytes(rows), dry_run=False)

        statuses = dict(
            Membership.objects.filter(network=cast.network, person__city="Dakar").values_list(
                "person__name", "status"
            )
        )
        assert statuses == {"Ines Invited": "active", "Lars Lapsed": "active", "Lea Left": "left"}
        assert [w.line for w in report.warnings] == [4]
        assert report.to_update == 3
        assert report.new_memberships == 0

    def test_a_failure_halfway_through_the_writes_leaves_nothing_behind(
        self, cast: Cast, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        real_insert = importing._insert

        def insert_then_fail_on_memberships(model, objs, writes, **options):  # type: ignore[no-untyped-def]
            if model is Membership:
                raise IntegrityError("simulated: another process took the same row")
            return real_insert(model, objs, writes, **options)

        monkeypatch.setattr(importing, "_insert", insert_then_fail_on_memberships)
        before = counts()

        report = run(cast, csv_bytes([AMARA, BRUNO]), dry_run=False)

        assert report.committed is False
        assert "nothing was written" in report.errors[0].message
        assert counts() == before  # the people and organizations inserted first are gone too

    def test_importing_the_same_file_twice_does_not_double_anyone(self, cast: Cast) -> None:
        content = csv_bytes([AMARA, BRUNO])
        run(cast, content, dry_run=False)
        after_first = counts()

        report = run(cast, content, dry_run=False)

        assert [(e.line, e.column) for e in report.errors] == [(3, "name")]
        assert "without an email" in report.errors[0].message
        assert counts() == after_first


class ImportFileProblemTests:
    def test_it_rejects_a_file_that_is_not_utf8_and_says_on_which_line(self, cast: Cast) -> None:
        before = counts()
        content = "name,email\nAna,ana@example.org\nJosé,jose@example.org\n".encode("latin-1")

        report = run(cast, content, dry_run=False)

        assert len(report.errors) == 1
        assert report.errors[0].line == 3
        assert "UTF-8" in report.errors[0].message
        assert counts() == before

    def test_it_reads_utf8_with_a_byte_order_mark(self, cast: Cast) -> None:
        content = "\ufeffName,Email\nJosé Ñúñez,jose@example.org\n".encode()

        report = run(cast, content, dry_run=False)

        assert report.errors == []
        assert Person.objects.filter(name="José Ñúñez").exists()

    def test_a_row_of_spaces_is_skipped_like_an_empty_one(self, cast: Cast) -> None:
        content = "Name,Email\nJosé Ñúñez,jose@example.org\n  ,  \n,\n".encode()

        report = run(cast, content)

        assert report.errors == []
        assert report.to_create == 1

    def test_it_reads_semicolon_separated_files(self, cast: Cast) -> None:
        content = csv_bytes([AMARA], delimiter=";")

        report = run(cast, content)

        assert report.errors == []
        assert report.to_create == 1

    def test_it_rejects_a_file_without_a_name_column(self, cast: Cast) -> None:
        report = run(cast, b"email,city\nana@example.org,Lima\n")

        assert [(e.line, e.column) for e in report.errors] == [(1, "name")]

    def test_it_reports_an_unknown_column_on_line_1(self, cast: Cast) -> None:
        report = run(cast, b"name,email,Shoe size\nAna,ana@example.org,39\n")

        assert [(e.line, e.column) for e in report.errors] == [(1, "Shoe size")]
        assert "Unknown column" in report.errors[0].message

    @pytest.mark.parametrize(
        ("content", "expected"),
        [
            (b"", "empty"),
            (b"\xef\xbb\xbf\r\n\r\n", "empty"),
            (b"name,email\r\n", "no rows"),
            (b"Ana Lima,ana@example.org\nBo,bo@example.org\n", "header row"),
        ],
    )
    def test_it_explains_an_empty_or_headerless_file(
        self, cast: Cast, content: bytes, expected: str
    ) -> None:
        report = run(cast, content, dry_run=False)

        assert len(report.errors) == 1
        assert expected in report.errors[0].message
        assert report.committed is False

    def test_it_recognizes_a_spreadsheet_workbook_uploaded_instead_of_csv(self, cast: Cast) -> None:
        workbook = io.BytesIO()
        with zipfile.ZipFile(workbook, "w") as archive:
            archive.writestr("[Content_Types].xml", "<Types/>")
            archive.writestr("xl/workbook.xml", "<workbook/>")

        report = run(cast, workbook.getvalue(), filename="members.xlsx")

        assert len(report.errors) == 1
        assert "CSV UTF-8" in report.errors[0].message

    def test_it_refuses_a_file_over_the_size_limit(self, cast: Cast, settings) -> None:  # type: ignore[no-untyped-def]
        settings.NETWEAVE_IMPORT_MAX_BYTES = 50
        report = run(cast, csv_bytes([AMARA]))

        assert "limit" in report.errors[0].message

    def test_line_numbers_count_cells_that_run_over_several_lines(self, cast: Cast) -> None:
        content = (
            b'name,email,bio\nAna,ana@example.org,"First line\nsecond line"\nBo,not-an-email,\n'
        )
        report = run(cast, content)

        assert [(e.line, e.column) for e in report.errors] == [(4, "email")]

    def test_it_reports_every_problem_of_a_row(self, cast: Cast) -> None:
        row = {"name": "", "email": "x@", "country": "Narnia", "languages": "en;klingon",
               "role": "boss", "map_consent": "maybe"}  # fmt: skip

        report = run(cast, csv_bytes([row]))

        columns = sorted(e.column for e in report.errors)
        assert columns == ["country", "email", "languages", "map_consent", "name", "role"]
        assert {e.line for e in report.errors} == {2}
        assert report.bad_rows == 1

    def test_it_rejects_a_row_with_more_cells_than_the_header(self, cast: Cast) -> None:
        report = run(cast, b"name,email\nAna,ana@example.org,extra\n")

        assert [e.line for e in report.errors] == [2]


class ImportDuplicateTests:
    def test_the_same_email_twice_is_an_error_naming_both_lines(self, cast: Cast) -> None:
        before = counts()
        rows = [AMARA, {"name": "Someone", "email": "x@example.org"},
                {"name": "Amara O.", "email": "Amara@Example.org"}]  # fmt: skip

        report = run(cast, csv_bytes(rows), dry_run=False)

        assert [(e.line, e.column) for e in report.errors] == [(4, "email")]
        assert "line 2" in report.errors[0].message
        assert counts() == before

    def test_the_same_name_and_organization_without_email_is_an_error(self, cast: Cast) -> None:
        rows = [BRUNO, {**BRUNO, "name": "bruno  silva"}, {**BRUNO, "organization": "Other"}]

        report = run(cast, csv_bytes(rows))

        assert [(e.line, e.column) for e in report.errors] == [(3, "name")]
        assert "line 2" in report.errors[0].message

    def test_two_organizations_with_the_same_name_are_an_error(self, cast: Cast) -> None:
        content = b"name,kind\nAcme,company\nACME ,ngo\n"

        report = run(cast, content, kind="organizations")

        assert [(e.line, e.column) for e in report.errors] == [(3, "name")]


class LargeImportTests:
    def test_ten_thousand_rows_with_three_bad_ones_report_exactly_those_and_write_nothing(
        self, cast: Cast, tmp_path: Path
    ) -> None:
        bad = {1001: ("email", "person-1001-at-example.org"), 5002: ("country", "Atlantis"),
               9999: ("name", "")}  # fmt: skip
        rows = []
        for line in range(2, 10_002):
            row = {"name": f"Person {line}", "email": f"person{line}@example.org",
                   "organization": f"Org {line % 50}", "country": "KE", "languages": "en;sw",
                   "expertise": "malaria;HIV"}  # fmt: skip
            if line in bad:
                column, value = bad[line]
                row[column] = value
            rows.append(row)
        path = tmp_path / "members.csv"
        path.write_bytes(csv_bytes(rows))
        before = counts()
        calls: list[tuple[int, int]] = []

        report = run(
            cast, path.read_bytes(), dry_run=False, progress=lambda d, t: calls.append((d, t))
        )

        assert [(e.line, e.column) for e in report.errors] == [
            (line, column) for line, (column, _value) in sorted(bad.items())
        ]
        assert report.total_rows == 10_000
        assert report.committed is False
        assert counts() == before
        done = [d for d, _t in calls]
        assert done == sorted(done) and done[-1] == 10_000
        assert {t for _d, t in calls} == {20_000}
        assert len(calls) < 300


class OrganizationImportTests:
    HEADER = ["name", "kind", "country", "sector", "website", "description"]

    def test_it_creates_updates_and_leaves_organizations_unchanged(self, cast: Cast) -> None:
        Organization.objects.create(name="Acme", kind="company", sector="Mining")
        Organization.objects.create(name="Kept", kind="ngo")
        rows = [
            {"name": "New Foundation", "kind": "funder", "country": "Kenya",
             "website": "newfoundation.org"},
            {"name": "ACME", "sector": "Health", "description": "Now in health."},
            {"name": "kept", "kind": "ngo"},
        ]  # fmt: skip

        dry = run(cast, csv_bytes(rows, self.HEADER), kind="organizations")
        report = run(cast, csv_bytes(rows, self.HEADER), kind="organizations", dry_run=False)

        for r in (dry, report):
            assert (r.to_create, r.to_update, r.unchanged) == (1, 1, 1)
        new = Organization.objects.get(name="New Foundation")
        assert (new.kind, new.country.code, new.website) == (
            "funder", "KE", "https://newfoundation.org",
        )  # fmt: skip
        acme = Organization.objects.get(name="Acme")
        assert (acme.kind, acme.sector, acme.description) == ("company", "Health", "Now in health.")

    def test_it_rejects_bad_kinds_and_websites(self, cast: Cast) -> None:
        rows = [{"name": "A", "kind": "club"}, {"name": "B", "website": "not a url"}]

        report = run(cast, csv_bytes(rows, self.HEADER), kind="organizations", dry_run=False)

        assert [(e.line, e.column) for e in report.errors] == [(2, "kind"), (3, "website")]
        assert not Organization.objects.filter(name__in=["A", "B"]).exists()


def vcard(name: str, email: str = "", org: str = "", country: str = "", url: str = "") -> str:
    card = vobject.vCard()
    card.add("fn").value = name
    card.add("n").value = vobject.vcard.Name(family=name.split()[-1], given=name.split()[0])
    if email:
        card.add("email").value = email
    if org:
        card.add("org").value = [org]
    card.add("title").value = "Researcher"
    if country:
        card.add("adr").value = vobject.vcard.Address(city="Nairobi", country=country)
    card.add("note").value = "Studies malaria, and more."
    if url:
        card.add("url").value = url
    return card.serialize()


class VCardImportTests:
    def test_it_imports_every_card_of_a_vcf_file(self, cast: Cast) -> None:
        cards = [
            vcard(
                "Wanjiru Kamau", "wanjiru@example.org", "KEMRI", "Kenya", "https://w.example.org"
            ),
            vcard("Tomas Berg", "tomas@example.org", country="SE"),
            vcard("Ama Owusu"),
        ]

        report = run(cast, "".join(cards).encode(), dry_run=False, filename="contacts.vcf")

        assert report.errors == []
        assert report.to_create == 3
        wanjiru = Person.objects.get(email="wanjiru@example.org")
        assert (wanjiru.city, wanjiru.country.code, wanjiru.bio) == (
            "Nairobi", "KE", "Studies malaria, and more.",
        )  # fmt: skip
        assert wanjiru.links == ["https://w.example.org"]
        assert wanjiru.affiliations.get().organization.name == "KEMRI"
        assert wanjiru.affiliations.get().title == "Researcher"
        assert Membership.objects.filter(network=cast.network, person__name="Ama Owusu").exists()

    def test_a_bad_card_is_reported_with_the_line_it_starts_on(self, cast: Cast) -> None:
        good = vcard("Tomas Berg", "tomas@example.org")
        broken = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN Ana\r\nEND:VCARD\r\n"
        no_email = vcard("Ama Owusu").replace("FN:", "X-FN:")
        bad_email = vcard("Kim Lee", "kim-at-example")
        text = good + broken + no_email + bad_email
        lines = text.splitlines()
        starts = [i for i, line in enumerate(lines, start=1) if line == "BEGIN:VCARD"]

        report = run(cast, text.encode(), dry_run=False, filename="contacts.VCF")

        assert [(e.line, e.column) for e in report.errors] == [
            (starts[1], ""), (starts[3], "EMAIL"),
        ]  # fmt: skip
        assert report.committed is False
        assert not Person.objects.filter(email="tomas@example.org").exists()

    def test_a_vcard_cannot_be_imported_as_organizations(self, cast: Cast) -> None:
        report = run(cast, vcard("A B").encode(), kind="organizations", filename="x.vcf")

        assert "vCard" in report.errors[0].message

    def test_a_file_that_is_not_a_vcard_is_explained(self, cast: Cast) -> None:
        report = run(cast, b"name,email\nAna,ana@example.org\n", filename="x.vcf")

        assert [e.line for e in report.errors] == [1]
        assert "BEGIN:VCARD" in report.errors[0].message


class ImportJobTests:
    def test_a_dry_run_job_stores_its_report_and_progress(
        self, cast: Cast, django_capture_on_commit_callbacks
    ) -> None:  # type: ignore[no-untyped-def]
        with django_capture_on_commit_callbacks(execute=True):
            job = import_job_create(
                network=cast.network, kind="people", filename="m.csv",
                content=csv_bytes([AMARA, BRUNO]), dry_run=True, created_by=cast.coordinator,
            )  # fmt: skip

        job.refresh_from_db()
        assert job.status == ImportJob.Status.CHECKED
        assert (job.processed, job.total, job.percent) == (2, 2, 100)
        assert job.report["to_create"] == 2
        assert job.finished_at is not None
        assert not Person.objects.filter(email="amara@example.org").exists()

    def test_committing_a_checked_job_imports_the_same_file_once(
        self, cast: Cast, django_capture_on_commit_callbacks
    ) -> None:  # type: ignore[no-untyped-def]
        with django_capture_on_commit_callbacks(execute=True):
            dry = import_job_create(
                network=cast.network, kind="people", filename="m.csv",
                content=csv_bytes([AMARA]), dry_run=True, created_by=cast.coordinator,
            )  # fmt: skip
        with django_capture_on_commit_callbacks(execute=True):
            job = import_job_commit(job=dry, created_by=cast.coordinator)
        again = import_job_commit(job=dry, created_by=cast.coordinator)

        job.refresh_from_db()
        assert again.pk == job.pk
        assert job.status == ImportJob.Status.DONE
        assert job.report["committed"] is True
        assert Person.objects.filter(email="amara@example.org").count() == 1

    def test_a_job_with_bad_rows_cannot_be_committed(
        self, cast: Cast, django_capture_on_commit_callbacks
    ) -> None:  # type: ignore[no-untyped-def]
        with django_capture_on_commit_callbacks(execute=True):
            dry = import_job_create(
                network=cast.network, kind="people", filename="m.csv",
                content=b"name,email\nAna,nope\n", dry_run=True, created_by=None,
            )  # fmt: skip

        dry.refresh_from_db()
        assert dry.status == ImportJob.Status.CHECKED
        assert dry.report["errors"] == [
            {"line": 2, "column": "email", "message": "“nope” is not an email address."}
        ]
        with pytest.raises(ImportNotAllowed):
            import_job_commit(job=dry, created_by=None)

    def test_a_commit_job_with_bad_rows_fails_and_writes_nothing(self, cast: Cast) -> None:
        job = ImportJob.objects.create(
            network=cast.network, kind="people", filename="m.csv", dry_run=False,
            content=csv_bytes([AMARA, {"name": "X", "email": "bad"}]),
        )  # fmt: skip
        before = counts()

        job = import_job_run(job_id=job.pk)

        assert job.status == ImportJob.Status.FAILED
        assert job.report["error_count"] == 1
        assert counts() == before

    def test_a_finished_job_is_not_run_again(self, cast: Cast) -> None:
        job = ImportJob.objects.create(
            network=cast.network, kind="people", filename="m.csv", dry_run=False,
            content=csv_bytes([AMARA]),
        )  # fmt: skip
        first = import_job_run(job_id=job.pk)
        Person.objects.filter(email="amara@example.org").update(city="Changed")

        second = import_job_run(job_id=job.pk)

        assert second.finished_at == first.finished_at
        assert Person.objects.get(email="amara@example.org").city == "Changed"

    def test_progress_is_saved_at_most_about_every_percent(self, cast: Cast) -> None:
        rows = [{"name": f"P {i}", "email": f"p{i}@example.org"} for i in range(3000)]
        job = ImportJob.objects.create(
            network=cast.network, kind="people", filename="m.csv", dry_run=False,
            content=csv_bytes(rows),
        )  # fmt: skip

        with CaptureQueriesContext(connection) as queries:
            import_job_run(job_id=job.pk)

        job_updates = [q for q in queries.captured_queries
                       if q["sql"].startswith('UPDATE "people_importjob"')]  # fmt: skip
        assert 10 < len(job_updates) <= 103
        assert Person.objects.filter(email__startswith="p").count() >= 3000


class ImportCommandTests:
    def test_a_dry_run_prints_the_report_and_writes_nothing(
        self, cast: Cast, tmp_path: Path
    ) -> None:
        path = tmp_path / "members.csv"
        path.write_bytes(csv_bytes([AMARA, BRUNO]))
        out, err = io.StringIO(), io.StringIO()

        call_command("import_people", str(path), network="cast", stdout=out, stderr=err)

        assert "to create:         2" in out.getvalue()
        assert "--commit" in out.getvalue()
        assert not Person.objects.filter(email="amara@example.org").exists()

    def test_commit_writes_and_shows_a_progress_bar(self, cast: Cast, tmp_path: Path) -> None:
        path = tmp_path / "members.csv"
        path.write_bytes(csv_bytes([AMARA, BRUNO]))
        out, err = io.StringIO(), io.StringIO()

        call_command(
            "import_people", str(path), "--commit", network="cast", kind="people",
            stdout=out, stderr=err,
        )  # fmt: skip

        assert "Imported." in out.getvalue()
        assert "Writing" in err.getvalue()
        assert Person.objects.filter(email="amara@example.org").exists()

    def test_bad_rows_exit_with_status_2_and_list_the_errors(
        self, cast: Cast, tmp_path: Path
    ) -> None:
        path = tmp_path / "orgs.csv"
        path.write_bytes(b"name,kind\nAcme,company\nBeta,club\n")
        err = io.StringIO()

        with pytest.raises(CommandError) as raised:
            call_command(
                "import_people", str(path), "--commit", "--no-progress", network="cast",
                kind="organizations", stdout=io.StringIO(), stderr=err,
            )  # fmt: skip

        assert raised.value.returncode == 2
        assert "line 3, kind:" in err.getvalue()
        assert not Organization.objects.filter(name="Acme").exists()

    def test_an_unknown_network_is_an_error(self, cast: Cast, tmp_path: Path) -> None:
        path = tmp_path / "members.csv"
        path.write_bytes(csv_bytes([AMARA]))

        with pytest.raises(CommandError, match="no network"):
            call_command("import_people", str(path), network="nope", stdout=io.StringIO())
