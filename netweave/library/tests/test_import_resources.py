"""The resource import: a CSV file of resources, checked (dry run) then written all or nothing,
through import_file, the import pages with their background job, and the CLI."""

from __future__ import annotations

import csv
import datetime
import time
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import IntegrityError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from netweave.lib import csvimport
from netweave.lib.testing import Cast
from netweave.library.importing import RESOURCE_COLUMNS
from netweave.library.models import Resource, ResourceRevision, Topic
from netweave.library.services import resource_snapshot
from netweave.people.importing import ImportReport, import_file
from netweave.people.models import ImportJob, Organization

pytestmark = pytest.mark.django_db


def write_csv(tmp_path: Path, rows: list[dict[str, str]], name: str = "resources.csv") -> Path:
    """A real file as a spreadsheet program writes it (UTF-8 with BOM, CRLF)."""
    path = tmp_path / name
    columns = list(dict.fromkeys(column for row in rows for column in row))
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns)
        writer.writeheader()
        writer.writerows(rows)
    return path


def run(cast: Cast, path: Path, *, dry_run: bool) -> ImportReport:
    return import_file(
        network=cast.network,
        kind="resources",
        filename=path.name,
        content=path.read_bytes(),
        dry_run=dry_run,
        actor=cast.coordinator,
    )


def topics(cast: Cast) -> dict[str, Topic]:
    health = Topic.objects.create(network=cast.network, name="Community health", slug="chw")
    return {
        "chw": health,
        "training": Topic.objects.create(
            network=cast.network, parent=health, name="Training", slug="training"
        ),
        "other": Topic.objects.create(network=cast.other_network, name="Finance", slug="finance"),
    }


def where(report: ImportReport) -> list[tuple[int, str]]:
    return [(error.line, error.column) for error in report.errors]


GUIDE = {
    "Title": "Training guide for community health workers",
    "Kind": "Guidance",
    "URL": "https://example.org/guide",
    "Language": "English",
    "Topics": "chw; Training",
    "Phases": "Catalyzing;launching",
    "Authors": "mina@example.org; Kenya Medical Research Institute; Jane Doe",
    "Summary": "A **practical** guide to supervision in rural clinics.",
    "Visibility": "public",
    "Publication_date": "2021",
}


class ResourceImportCheckTests:
    def test_a_dry_run_lists_every_bad_cell_by_line_and_column_and_writes_nothing(
        self, cast: Cast, tmp_path: Path
    ) -> None:
        topics(cast)
        path = write_csv(
            tmp_path,
            [
                GUIDE,
                {"Title": "", "Kind": "poem", "URL": "not a link", "Language": "Klingon"},
                {
                    "Title": "Report", "Kind": "report", "URL": "https://example.org/r",
                    "Topics": "chw; Finance; Nutrition", "Phases": "scaling",
                    "Authors": "nobody@example.org", "Visibility": "secret",
                    "Status": "draft", "Publication_date": "March 2020", "Review_by": "soon",
                    "Translation_of": "A title nobody wrote",
                },
                {"Title": "Same link", "Kind": "tool", "URL": "https://EXAMPLE.org/guide/"},
            ],
        )  # fmt: skip
        before = (Resource.objects.count(), Organization.objects.count())

        report = run(cast, path, dry_run=True)

        assert where(report) == [
            (3, "title"), (3, "kind"), (3, "url"), (3, "language"),
            (4, "topics"), (4, "phases"), (4, "authors"), (4, "visibility"), (4, "status"),
            (4, "publication_date"), (4, "review_by"), (4, "translation_of"),
            (5, "url"),
        ]  # fmt: skip
        messages = {(e.line, e.column): e.message for e in report.errors}
        assert "Finance, Nutrition" in messages[(4, "topics")]
        assert "Community health, Training" in messages[(4, "topics")]  # says which exist
        assert "catalyzing, launching, expanding, transforming" in messages[(4, "phases")]
        assert "also on line 2" in messages[(5, "url")]
        assert (report.to_create, report.bad_rows, report.committed) == (1, 3, False)
        assert (Resource.objects.count(), Organization.objects.count()) == before

    def test_a_link_already_in_the_resource_center_is_an_error(
        self, cast: Cast, tmp_path: Path
    ) -> None:
        Resource.objects.create(network=cast.network, title="Old guide", kind="guidance",
                                url="https://example.org/guide")  # fmt: skip
        Resource.objects.create(network=cast.other_network, title="Elsewhere", kind="report",
                                url="https://example.org/elsewhere")  # fmt: skip
        path = write_csv(
            tmp_path,
            [
                {"title": "Again", "kind": "guidance", "url": "http://example.org/guide#top"},
                {"title": "Fine", "kind": "report", "url": "https://example.org/elsewhere"},
            ],
        )

        report = run(cast, path, dry_run=True)

        assert where(report) == [(2, "url")]
        assert "“Old guide” in the resource center already has this link" in (
            report.errors[0].message
        )

    def test_a_header_without_a_required_column_names_it(self, cast: Cast, tmp_path: Path) -> None:
        path = write_csv(tmp_path, [{"title": "No link", "kind": "report"}])

        report = run(cast, path, dry_run=True)

        assert where(report) == [(1, "url")]

    def test_an_email_author_who_is_not_a_member_of_this_network_is_an_error(
        self, cast: Cast, tmp_path: Path
    ) -> None:
        path = write_csv(
            tmp_path,
            [{"title": "T", "kind": "tool", "url": "https://x.org", "authors": "otto@example.org"}],
        )

        report = run(cast, path, dry_run=True)

        assert where(report) == [(2, "authors")]


class ResourceImportCommitTests:
    def test_it_creates_the_resources_with_links_revisions_and_search_text(
        self, cast: Cast, tmp_path: Path
    ) -> None:
        topic = topics(cast)
        kemri = Organization.objects.get(name="Kenya Medical Research Institute")
        path = write_csv(
            tmp_path,
            [
                GUIDE,
                {
                    "Title": "Guide de formation", "Kind": "guidance",
                    "URL": "example.org/guide-fr", "Language": "fr",
                    "Authors": "Mina Member", "Status": "submitted",
                    "Translation_of": "https://example.org/guide",
                    "Review_by": "2030-01-31",
                },
            ],
        )  # fmt: skip

        report = run(cast, path, dry_run=False)

        assert report.errors == []
        assert (report.committed, report.to_create) == (True, 2)
        guide = Resource.objects.get(url="https://example.org/guide")
        assert (guide.network, guide.kind, guide.language, guide.visibility, guide.status) == (
            cast.network,
            "guidance",
            "en",
            "public",
            "published",
        )
        assert set(guide.topics.all()) == {topic["chw"], topic["training"]}
        assert guide.phases == ["catalyzing", "launching"]
        assert list(guide.author_people.all()) == [cast.member]
        assert list(guide.author_organizations.all()) == [kemri]
        assert guide.other_authors == "Jane Doe"
        assert guide.publication_date == datetime.date(2021, 1, 1)
        assert guide.year == 2021
        assert guide.published_at is not None and guide.review_by is not None
        assert guide.submitted_by == cast.coordinator
        assert "practical guide" in guide.search_text and "Jane Doe" in guide.search_text
        assert "Community health" in guide.search_text

        french = Resource.objects.get(language="fr")
        assert french.url == "https://example.org/guide-fr"
        assert french.translation_of == guide
        assert (french.status, french.published_at) == ("submitted", None)
        assert french.review_by == datetime.date(2030, 1, 31)
        assert list(french.author_people.all()) == [cast.member]

        for resource in (guide, french):
            revision = ResourceRevision.objects.get(resource=resource)
            assert (revision.number, revision.action, revision.editor) == (
                1,
                "imported",
                cast.coordinator,
            )
            assert revision.network == cast.network
            assert revision.data == resource_snapshot(resource)
        assert "resources.csv, line 3" in ResourceRevision.objects.get(resource=french).note

    def test_a_translation_of_a_translation_points_at_the_original(
        self, cast: Cast, tmp_path: Path
    ) -> None:
        original = Resource.objects.create(
            network=cast.network, title="Original", kind="report", url="https://x.org/en"
        )
        Resource.objects.create(network=cast.network, title="Traduction", kind="report",
                                url="https://x.org/fr", translation_of=original)  # fmt: skip
        path = write_csv(
            tmp_path,
            [
                {"title": "Tradução", "kind": "report", "url": "https://x.org/pt",
                 "translation_of": "traduction"},
                {"title": "Traducción", "kind": "report", "url": "https://x.org/es",
                 "translation_of": "https://x.org/pt"},
            ],
        )  # fmt: skip

        report = run(cast, path, dry_run=False)

        assert report.committed, report.errors
        assert {r.title: r.translation_of for r in Resource.objects.filter(language="")} == {
            "Original": None,
            "Traduction": original,
            "Tradução": original,
            "Traducción": original,
        }

    def test_rows_that_translate_each_other_in_a_circle_are_refused(
        self, cast: Cast, tmp_path: Path
    ) -> None:
        path = write_csv(
            tmp_path,
            [
                {"title": "A", "kind": "report", "url": "https://x.org/a", "translation_of": "B"},
                {"title": "B", "kind": "report", "url": "https://x.org/b", "translation_of": "A"},
            ],
        )

        report = run(cast, path, dry_run=True)

        assert where(report) == [(2, "translation_of"), (3, "translation_of")]

    def test_cells_that_look_like_formulas_are_stored_as_text(
        self, cast: Cast, tmp_path: Path
    ) -> None:
        path = write_csv(
            tmp_path,
            [{"title": "=HYPERLINK(\"http://evil\")", "kind": "tool", "url": "https://x.org",
              "summary": "@SUM(A1:A2)", "authors": "+Jane"}],
        )  # fmt: skip

        assert run(cast, path, dry_run=False).committed

        resource = Resource.objects.get()
        assert (resource.title, resource.summary, resource.other_authors) == (
            '=HYPERLINK("http://evil")',
            "@SUM(A1:A2)",
            "+Jane",
        )

    def test_a_failure_halfway_through_the_writes_leaves_nothing_behind(
        self, cast: Cast, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        real_insert = csvimport.insert

        def insert_then_fail_on_revisions(model, objs, writes, **options):  # type: ignore[no-untyped-def]
            if model is ResourceRevision:
                raise IntegrityError("simulated: another process took the same row")
            return real_insert(model, objs, writes, **options)

        monkeypatch.setattr("netweave.library.importing.insert", insert_then_fail_on_revisions)
        topics(cast)
        path = write_csv(tmp_path, [GUIDE])

        report = run(cast, path, dry_run=False)

        assert report.committed is False
        assert "nothing was written" in report.errors[0].message
        assert not Resource.objects.exists()
        assert not Resource.topics.through.objects.exists()
        assert not Resource.author_organizations.through.objects.exists()

    def test_ten_thousand_rows_import_well_under_a_minute(self, cast: Cast, tmp_path: Path) -> None:
        topics(cast)
        rows = [
            {"title": f"Resource {n}", "kind": "report", "url": f"https://example.org/r/{n}",
             "topics": "chw", "authors": "Mina Member; Jane Doe", "summary": f"Summary {n}",
             "publication_date": "2020-05-01"}
            for n in range(10_000)
        ]  # fmt: skip
        path = write_csv(tmp_path, rows)

        started = time.monotonic()
        report = run(cast, path, dry_run=False)
        elapsed = time.monotonic() - started

        assert report.committed, report.errors[:3]
        assert Resource.objects.filter(network=cast.network).count() == 10_000
        assert ResourceRevision.objects.filter(action="imported").count() == 10_000
        assert Resource.objects.filter(search_text__contains="Jane Doe").count() == 10_000
        assert elapsed < 30, f"10,000 resources took {elapsed:.1f} s"


# --- the pages, the background job and the command line ------------------------------------------


def client_for(cast: Cast, who: str) -> Client:
    client = Client()
    user = cast.user(who)
    if user is not None:
        client.force_login(user)
    return client


def start_url(cast: Cast) -> str:
    return reverse("people:import_start", args=[cast.network.slug])


def upload(client: Client, cast: Cast, path: Path, kind: str = "resources") -> Any:
    return client.post(
        start_url(cast),
        {"kind": kind, "file": SimpleUploadedFile(path.name, path.read_bytes(), "text/csv")},
    )


class ResourceImportPageTests:
    def test_the_page_preselects_the_kind_and_documents_the_columns(self, cast: Cast) -> None:
        response = client_for(cast, "coordinator").get(start_url(cast) + "?kind=resources")

        page = response.content.decode()
        assert response.status_code == 200
        assert '<option value="resources" selected>' in page
        assert ", ".join(RESOURCE_COLUMNS) in page
        assert "?template=resources" in page and "?template=investments" in page

    def test_a_coordinator_checks_reads_every_bad_row_then_imports_in_the_background(
        self, cast: Cast, tmp_path: Path, django_capture_on_commit_callbacks: Any
    ) -> None:
        topics(cast)
        client = client_for(cast, "coordinator")
        bad = write_csv(tmp_path, [GUIDE, {"Title": "X", "Kind": "poem", "URL": "x"}], "bad.csv")
        with django_capture_on_commit_callbacks(execute=True):
            response = upload(client, cast, bad)

        page = client.get(response["Location"]).content.decode()
        assert "Rows to fix" in page and "Import for real" not in page
        assert '<td class="num">3</td>' in page
        assert "<td>kind</td>" in page and "<td>url</td>" in page
        assert "“poem” is not one of" in page

        good = write_csv(tmp_path, [GUIDE], "good.csv")
        with django_capture_on_commit_callbacks(execute=True):
            response = upload(client, cast, good)
        dry = ImportJob.objects.get(filename="good.csv")
        assert (dry.kind, dry.status, dry.percent) == ("resources", "checked", 100)
        page = client.get(response["Location"]).content.decode()
        assert "Import for real" in page and GUIDE["Title"] in page
        assert not Resource.objects.exists()

        commit = reverse("people:import_commit", args=[cast.network.slug, dry.pk])
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(commit)

        job = ImportJob.objects.get(filename="good.csv", dry_run=False)
        assert (job.status, job.processed, job.total) == ("done", job.total, 2 * 1)
        assert Resource.objects.get().revisions.get().action == "imported"
        assert (
            "Imported: every row was written." in client.get(response["Location"]).content.decode()
        )

    def test_a_job_that_crashes_midway_writes_nothing_and_says_so(
        self,
        cast: Cast,
        tmp_path: Path,
        django_capture_on_commit_callbacks: Any,
        monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        def reindex_fails(**options: Any) -> int:
            raise RuntimeError("simulated crash while indexing")

        monkeypatch.setattr("netweave.library.search.resources_reindex", reindex_fails)
        topics(cast)
        client = client_for(cast, "coordinator")
        with django_capture_on_commit_callbacks(execute=True):
            upload(client, cast, write_csv(tmp_path, [GUIDE]))
        dry = ImportJob.objects.get()
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("people:import_commit", args=[cast.network.slug, dry.pk]))

        job = ImportJob.objects.get(dry_run=False)
        assert job.status == "failed"
        assert "nothing was written" in job.report["errors"][0]["message"]
        assert not Resource.objects.exists() and not ResourceRevision.objects.exists()

    @pytest.mark.parametrize("who", ["steward", "member", "observer", "other_member", "outsider"])
    def test_only_coordinators_may_import_or_download_templates(
        self, cast: Cast, tmp_path: Path, who: str
    ) -> None:
        client = client_for(cast, who)

        assert client.get(start_url(cast) + "?template=resources").status_code == 403
        assert upload(client, cast, write_csv(tmp_path, [GUIDE])).status_code == 403
        assert not ImportJob.objects.exists()

    def test_an_anonymous_visitor_is_sent_to_sign_in(self, cast: Cast) -> None:
        response = Client().get(start_url(cast) + "?template=resources")

        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


class ImportTemplateTests:
    @pytest.mark.parametrize(
        "kind", ["people", "organizations", "resources", "products", "investments"]
    )
    def test_each_template_has_the_columns_and_an_example_row_that_passes_the_check(
        self, cast: Cast, kind: str
    ) -> None:
        topics(cast)
        response = client_for(cast, "coordinator").get(start_url(cast) + f"?template={kind}")

        assert response.status_code == 200
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        assert f'filename="netweave-{kind}-template.csv"' in response["Content-Disposition"]
        content = response.content
        header, _example, *rest = content.decode("utf-8-sig").splitlines()
        assert rest == [] and header.startswith(("name,", "title,", "funder,"))
        report = import_file(network=cast.network, kind=kind, filename="template.csv",
                             content=content, dry_run=True)  # fmt: skip
        assert report.errors == [] and report.total_rows == 1

    def test_an_unknown_template_is_a_clear_400(self, cast: Cast) -> None:
        response = client_for(cast, "coordinator").get(start_url(cast) + "?template=spaceships")

        assert response.status_code == 400
        assert "resources" in response.content.decode()


class ImportCsvCommandTests:
    def test_it_checks_then_imports_with_commit(
        self, cast: Cast, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        topics(cast)
        path = write_csv(tmp_path, [GUIDE])
        args = [str(path), "--network", cast.network.slug, "--kind", "resources", "--no-progress"]

        call_command("import_csv", *args)
        assert not Resource.objects.exists()
        assert "Nothing was written (dry run)" in capsys.readouterr().out

        call_command("import_csv", *args, "--commit")
        assert Resource.objects.get().revisions.get().editor is None
        assert "Imported." in capsys.readouterr().out

    def test_bad_rows_exit_with_status_2_and_name_every_cell(
        self, cast: Cast, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        path = write_csv(tmp_path, [{"title": "X", "kind": "poem", "url": "x", "status": "?"}])

        with pytest.raises(CommandError) as raised:
            call_command("import_csv", str(path), "--network", cast.network.slug,
                         "--kind", "resources", "--commit", "--no-progress")  # fmt: skip

        assert raised.value.returncode == 2
        err = capsys.readouterr().err
        assert "line 2, kind:" in err and "line 2, url:" in err and "line 2, status:" in err
        assert not Resource.objects.exists()


def test_a_published_import_counts_from_now(cast: Cast, tmp_path: Path) -> None:
    topics(cast)
    before = timezone.now()

    run(cast, write_csv(tmp_path, [GUIDE]), dry_run=False)

    resource = Resource.objects.get()
    assert resource.published_at is not None and resource.published_at >= before
