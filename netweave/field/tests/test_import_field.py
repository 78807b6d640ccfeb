"""The product and investment imports: CSV files checked (dry run) then written all or nothing,
through import_file, the import pages with their background job, and the CLI."""

from __future__ import annotations

import csv
import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import IntegrityError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from netweave.field.importing import parse_amount
from netweave.field.models import FundingSettings, Investment, Product, ProductStage, StageChange
from netweave.field.services import product_change_stage, stages_ensure_default
from netweave.lib import csvimport
from netweave.lib.testing import Cast, make_organization
from netweave.library.models import Topic
from netweave.people.importing import ImportReport, import_file
from netweave.people.models import ImportJob, Membership, Organization

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def write_csv(tmp_path: Path, rows: list[dict[str, str]], name: str = "field.csv") -> Path:
    path = tmp_path / name
    columns = list(dict.fromkeys(column for row in rows for column in row))
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns)
        writer.writeheader()
        writer.writerows(rows)
    return path


def run(cast: Cast, kind: str, path: Path, *, dry_run: bool) -> ImportReport:
    return import_file(
        network=cast.network,
        kind=kind,
        filename=path.name,
        content=path.read_bytes(),
        dry_run=dry_run,
        actor=cast.coordinator,
    )


def where(report: ImportReport) -> list[tuple[int, str]]:
    return [(error.line, error.column) for error in report.errors]


def message(report: ImportReport, line: int, column: str) -> str:
    return next(e.message for e in report.errors if (e.line, e.column) == (line, column))


@pytest.fixture
def malaria(cast: Cast) -> Topic:
    return Topic.objects.create(network=cast.network, name="Malaria", slug="malaria")


VACCINE = {
    "name": "RTS,S booster",
    "kind": "Vaccine",
    "stage": "Phase II",
    "stage_date": "2024-03-31",
    "developers": "Kenya Medical Research Institute; New Vaccine Lab",
    "indications": "malaria; severe malaria in children",
    "description": "A **booster** dose.",
    "website": "example.org/rtss",
    "topics": "malaria",
    "visibility": "public",
}


class ProductImportTests:
    def test_a_dry_run_lists_every_bad_cell_and_writes_nothing(
        self, cast: Cast, tmp_path: Path, malaria: Topic
    ) -> None:
        future = (TODAY + datetime.timedelta(days=3)).isoformat()
        path = write_csv(
            tmp_path,
            [
                VACCINE,
                {"name": "", "kind": "pill", "stage": "Phase IV", "stage_date": future,
                 "website": "not a site", "topics": "Dengue", "visibility": "everyone"},
                {"name": "Drug X", "stage_date": "2024-01-01"},
                {"name": "rts,s  BOOSTER"},
            ],
        )  # fmt: skip

        report = run(cast, "products", path, dry_run=True)

        assert where(report) == [
            (3, "name"), (3, "kind"), (3, "stage"), (3, "stage_date"), (3, "website"),
            (3, "topics"), (3, "visibility"),
            (4, "stage_date"),
            (5, "name"),
        ]  # fmt: skip
        assert "Discovery, Preclinical, Phase I, Phase II" in message(report, 3, "stage")
        assert "Malaria" in message(report, 3, "topics")
        assert "also on line 2" in message(report, 5, "name")
        assert report.to_create == 1
        assert not Product.objects.exists()
        assert not ProductStage.objects.exists()  # the dry run made no default stages
        assert not Organization.objects.filter(name="New Vaccine Lab").exists()

    def test_it_creates_products_with_default_stages_history_and_developers(
        self, cast: Cast, tmp_path: Path, malaria: Topic
    ) -> None:
        path = write_csv(tmp_path, [VACCINE, {"name": "Rapid test", "kind": "diagnostic"}])

        report = run(cast, "products", path, dry_run=False)

        assert report.committed, report.errors
        assert (report.to_create, report.new_organizations) == (2, 1)
        product = Product.objects.get(name="RTS,S booster")
        assert (product.network, product.kind, product.visibility) == (
            cast.network,
            "vaccine",
            "public",
        )
        assert product.stage is not None and product.stage.slug == "phase-2"
        assert product.stage_since == datetime.date(2024, 3, 31)
        assert product.indications == ["malaria", "severe malaria in children"]
        assert product.website == "https://example.org/rtss"
        assert list(product.topics.all()) == [malaria]
        assert {o.name for o in product.developers.all()} == {
            "Kenya Medical Research Institute",
            "New Vaccine Lab",
        }
        assert (
            Organization.objects.filter(name__iexact="kenya medical research institute").count()
            == 1
        )
        change = StageChange.objects.get(product=product)
        assert (change.from_stage, change.stage, change.date, change.source) == (
            None,
            product.stage,
            datetime.date(2024, 3, 31),
            "import",
        )
        assert (change.recorded_by, change.network) == (cast.coordinator, cast.network)
        assert ProductStage.objects.filter(network=cast.network).count() == 7
        assert Product.objects.get(name="Rapid test").stage is None

    def test_a_known_name_updates_the_product_and_records_the_new_stage(
        self, cast: Cast, tmp_path: Path
    ) -> None:
        stages = {s.slug: s for s in stages_ensure_default(cast.network)}
        lab = make_organization("Old Lab")
        product = Product.objects.create(network=cast.network, name="RTS,S booster",
                                         kind="other", indications=["malaria"])  # fmt: skip
        product.developers.add(lab)
        product_change_stage(product=product, stage=stages["phase-1"],
                             date=datetime.date(2023, 6, 1))  # fmt: skip
        path = write_csv(
            tmp_path,
            [{"name": "rts,s booster", "kind": "vaccine", "stage": "phase-2",
              "stage_date": "2024-03-31", "developers": "New Lab", "indications": "Malaria; P. vivax"}],
        )  # fmt: skip

        report = run(cast, "products", path, dry_run=False)

        assert report.committed, report.errors
        assert (report.to_create, report.to_update) == (0, 1)
        assert report.preview[0]["changes"] == ["kind", "indications", "stage", "developers"]
        product.refresh_from_db()
        assert (product.name, product.kind, product.stage) == (
            "RTS,S booster",
            "vaccine",
            stages["phase-2"],
        )
        assert product.indications == ["malaria", "P. vivax"]
        assert {o.name for o in product.developers.all()} == {"Old Lab", "New Lab"}
        history = list(product.stage_history.order_by("date").values_list(
            "from_stage__slug", "stage__slug", "source"))  # fmt: skip
        assert history == [(None, "phase-1", ""), ("phase-1", "phase-2", "import")]

        again = run(cast, "products", path, dry_run=False)

        assert (again.to_update, again.unchanged) == (0, 1)
        assert product.stage_history.count() == 2

    def test_a_stage_dated_before_the_recorded_history_is_refused(
        self, cast: Cast, tmp_path: Path
    ) -> None:
        stages = {s.slug: s for s in stages_ensure_default(cast.network)}
        product = Product.objects.create(network=cast.network, name="Drug X")
        product_change_stage(product=product, stage=stages["phase-2"],
                             date=datetime.date(2024, 6, 1))  # fmt: skip
        path = write_csv(tmp_path, [{"name": "Drug X", "stage": "Phase III",
                                     "stage_date": "2024-01-01"}])  # fmt: skip

        report = run(cast, "products", path, dry_run=True)

        assert where(report) == [(2, "stage_date")]
        assert "2024-06-01" in report.errors[0].message


class AmountTests:
    @pytest.mark.parametrize(
        ("written", "amount"),
        [
            ("1234.5", "1234.50"), ("1,234.50", "1234.50"), ("1 234,50", "1234.50"),
            ("1.234,50", "1234.50"), ("1\u00a0234\u00a0567", "1234567.00"),
            ("1'234'567.89", "1234567.89"), ("250,000", "250000.00"), ("1,234,567", "1234567.00"),
            ("1.234.567", "1234567.00"), ("1234,5", "1234.50"), ("+12", "12.00"),
        ],
    )  # fmt: skip
    def test_it_reads_the_usual_ways_of_writing_an_amount(self, written: str, amount: str) -> None:
        assert parse_amount(written) == Decimal(amount)

    @pytest.mark.parametrize(
        "written", ["-5", "(1,000)", "1.234", "USD 100", "1,2,3.4.5", "12e3", "1.2.3,4,5"]
    )
    def test_it_refuses_what_it_cannot_read_for_sure(self, written: str) -> None:
        with pytest.raises(ValueError):
            parse_amount(written)


GRANT = {
    "funder": "Gates Foundation",
    "recipient": "Kenya Medical Research Institute",
    "amount": "1,250,000.00",
    "currency": "usd",
    "year": "2023",
    "topic": "Malaria",
    "product": "RTS,S booster",
    "title": "Phase II sites",
    "source": "Annual report 2023",
    "visibility": "coordinators",
}


class InvestmentImportTests:
    def test_a_dry_run_lists_every_bad_cell_and_writes_nothing(
        self, cast: Cast, tmp_path: Path, malaria: Topic
    ) -> None:
        Product.objects.create(network=cast.network, name="RTS,S booster")
        next_year = TODAY.year + 1
        path = write_csv(
            tmp_path,
            [
                GRANT,
                {"funder": "", "amount": "-5", "currency": "ZZZ", "year": str(next_year + 1),
                 "product": "Unknown drug", "topic": "Dengue", "visibility": "x"},
                {"funder": "Same Org", "recipient": "same org", "amount": "12.345",
                 "year": "1899"},
                {"funder": "Fine Fund", "amount": "0", "year": str(next_year)},
            ],
        )  # fmt: skip
        before = Organization.objects.count()

        report = run(cast, "investments", path, dry_run=True)

        assert where(report) == [
            (3, "funder"), (3, "amount"), (3, "currency"), (3, "year"), (3, "topic"),
            (3, "product"), (3, "visibility"),
            (4, "recipient"), (4, "amount"), (4, "year"),
            (5, "amount"),
        ]  # fmt: skip
        assert "negative" in message(report, 3, "amount")
        assert "ISO 4217" in message(report, 3, "currency")
        assert f"from 1900 to {next_year}" in message(report, 3, "year")
        assert "more than two decimals" in message(report, 4, "amount")
        assert (report.to_create, report.new_organizations) == (1, 1)
        assert not Investment.objects.exists()
        assert Organization.objects.count() == before

    def test_it_creates_investments_and_importing_the_file_twice_adds_nothing(
        self, cast: Cast, tmp_path: Path, malaria: Topic
    ) -> None:
        product = Product.objects.create(network=cast.network, name="RTS,S booster")
        FundingSettings.objects.create(network=cast.network, base_currency="EUR")
        path = write_csv(
            tmp_path,
            [
                GRANT,
                {"funder": "GATES FOUNDATION", "amount": "50 000,00", "year": "2024"},
                {"funder": "Gates Foundation", "amount": "50000", "year": "2024"},
            ],
        )

        report = run(cast, "investments", path, dry_run=False)

        assert report.committed, report.errors
        assert (report.to_create, report.new_organizations) == (3, 1)
        gates = Organization.objects.get(name="Gates Foundation")
        assert gates.kind == "funder"
        grant = Investment.objects.get(year=2023)
        assert (grant.network, grant.funder, grant.recipient.name) == (  # type: ignore[union-attr]
            cast.network,
            gates,
            "Kenya Medical Research Institute",
        )
        assert (grant.amount, grant.currency, grant.topic, grant.product) == (
            Decimal("1250000.00"),
            "USD",
            malaria,
            product,
        )
        assert (grant.title, grant.source, grant.visibility) == (
            "Phase II sites",
            "Annual report 2023",
            "coordinators",
        )
        assert list(Investment.objects.filter(year=2024).values_list("amount", "currency")) == [
            (Decimal("50000.00"), "EUR"),
            (Decimal("50000.00"), "EUR"),
        ]

        again = run(cast, "investments", path, dry_run=False)

        assert (again.to_create, again.unchanged, again.new_organizations) == (0, 3, 0)
        assert Investment.objects.count() == 3

    def test_a_failure_halfway_through_the_writes_leaves_nothing_behind(
        self, cast: Cast, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        real_insert = csvimport.insert

        def insert_then_fail_on_investments(model, objs, writes, **options):  # type: ignore[no-untyped-def]
            if model is Investment:
                raise IntegrityError("simulated: another process took the same row")
            return real_insert(model, objs, writes, **options)

        monkeypatch.setattr("netweave.field.importing.insert", insert_then_fail_on_investments)
        path = write_csv(tmp_path, [{"funder": "Brand New Fund", "amount": "10", "year": "2020"}])

        report = run(cast, "investments", path, dry_run=False)

        assert report.committed is False
        assert "nothing was written" in report.errors[0].message
        assert not Organization.objects.filter(name="Brand New Fund").exists()
        assert not Investment.objects.exists()


# --- the pages and the job -----------------------------------------------------------------------


def client_for(cast: Cast, who: str) -> Client:
    client = Client()
    user = cast.user(who)
    if user is not None:
        client.force_login(user)
    return client


def check_and_commit(client: Client, cast: Cast, path: Path, kind: str, capture: Any) -> ImportJob:
    start = reverse("people:import_start", args=[cast.network.slug])
    with capture(execute=True):
        client.post(start, {"kind": kind,
                            "file": SimpleUploadedFile(path.name, path.read_bytes(), "text/csv")})  # fmt: skip
    dry = ImportJob.objects.get(filename=path.name, dry_run=True)
    assert (dry.kind, dry.status) == (kind, "checked"), dry.report
    with capture(execute=True):
        client.post(reverse("people:import_commit", args=[cast.network.slug, dry.pk]))
    return ImportJob.objects.get(filename=path.name, dry_run=False)


class FieldImportPageTests:
    def test_a_coordinator_imports_products_then_investments_in_them(
        self, cast: Cast, tmp_path: Path, malaria: Topic, django_capture_on_commit_callbacks: Any
    ) -> None:
        client = client_for(cast, "coordinator")
        products = write_csv(tmp_path, [VACCINE], "products.csv")
        investments = write_csv(tmp_path, [GRANT], "investments.csv")

        job = check_and_commit(
            client, cast, products, "products", django_capture_on_commit_callbacks
        )
        assert (job.status, job.percent) == ("done", 100)
        job = check_and_commit(
            client, cast, investments, "investments", django_capture_on_commit_callbacks
        )
        assert job.status == "done"

        assert Investment.objects.get().product == Product.objects.get()
        page = client.get(reverse("people:import_detail", args=[cast.network.slug, job.pk]))
        assert "New organizations" in page.content.decode()

    def test_the_report_page_lists_the_bad_cells_of_a_product_file(
        self, cast: Cast, tmp_path: Path, django_capture_on_commit_callbacks: Any
    ) -> None:
        client = client_for(cast, "coordinator")
        path = write_csv(tmp_path, [{"name": "X", "stage": "Phase IX", "kind": "pill"}])
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                reverse("people:import_start", args=[cast.network.slug]),
                {"kind": "products", "file": SimpleUploadedFile("p.csv", path.read_bytes())},
            )

        page = client.get(response["Location"]).content.decode()
        assert "<td>kind</td>" in page and "<td>stage</td>" in page
        assert "Unknown stage “Phase IX”" in page
        assert "Import for real" not in page

    @pytest.mark.parametrize("who", ["steward", "member", "other_member"])
    def test_only_coordinators_may_import_products_or_investments(
        self, cast: Cast, tmp_path: Path, who: str
    ) -> None:
        path = write_csv(tmp_path, [GRANT])
        response = client_for(cast, who).post(
            reverse("people:import_start", args=[cast.network.slug]),
            {"kind": "investments", "file": SimpleUploadedFile("i.csv", path.read_bytes())},
        )

        assert response.status_code == 403
        assert not ImportJob.objects.exists()

    def test_the_member_import_still_works_on_the_same_page(
        self, cast: Cast, tmp_path: Path, django_capture_on_commit_callbacks: Any
    ) -> None:
        path = write_csv(tmp_path, [{"name": "Amara Okafor", "email": "amara@example.org",
                                     "organization": "Lagos Health Lab", "country": "NG"}])  # fmt: skip

        job = check_and_commit(
            client_for(cast, "coordinator"),
            cast,
            path,
            "people",
            django_capture_on_commit_callbacks,
        )

        assert job.status == "done"
        assert Membership.objects.filter(network=cast.network,
                                         person__email="amara@example.org").exists()  # fmt: skip


def test_the_cli_imports_investments(cast: Cast, tmp_path: Path) -> None:
    path = write_csv(tmp_path, [{"funder": "CLI Fund", "amount": "1 000", "year": "2022"}])

    call_command("import_csv", str(path), "--network", cast.network.slug, "--kind",
                 "investments", "--commit", "--no-progress")  # fmt: skip

    assert Investment.objects.get().amount == Decimal("1000.00")


class AccentedOrganizationTests:
    """SQLite's lower() leaves non-ASCII capitals alone: an organization named as stored must
    still be found, not inserted a second time against its case-insensitive unique name."""

    def test_an_investment_finds_a_funder_with_an_accented_capital(
        self, cast: Cast, tmp_path: Path
    ) -> None:
        fund = make_organization("Île-de-France Santé")
        path = write_csv(tmp_path, [{"funder": "Île-de-France Santé", "amount": "5",
                                     "year": "2021"}])  # fmt: skip

        report = run(cast, "investments", path, dry_run=False)

        assert report.committed, report.errors
        assert report.new_organizations == 0
        assert Investment.objects.get().funder == fund

    def test_a_member_import_finds_an_organization_with_an_accented_capital(
        self, cast: Cast, tmp_path: Path
    ) -> None:
        lab = make_organization("École de Santé")
        path = write_csv(tmp_path, [{"name": "Ana Lima", "email": "ana@example.org",
                                     "organization": "École de Santé"}])  # fmt: skip

        report = run(cast, "people", path, dry_run=False)

        assert report.committed, report.errors
        assert report.new_organizations == 0
        assert (
            Membership.objects.get(person__email="ana@example.org")
            .person.affiliations.get()
            .organization
            == lab
        )


class ExportRoundTripTests:
    """An export of the field trackers, edited in a spreadsheet, can be imported back."""

    def test_the_exports_import_back_unchanged(
        self, cast: Cast, tmp_path: Path, malaria: Topic
    ) -> None:
        from netweave.field import exports, selectors
        from netweave.networks.permissions import access_for

        first = write_csv(tmp_path, [{**VACCINE, "description": ""}], "products.csv")
        assert run(cast, "products", first, dry_run=False).committed
        grants = write_csv(tmp_path, [{**GRANT, "title": "=1+2 sites"}], "grants.csv")
        assert run(cast, "investments", grants, dry_run=False).committed
        access = access_for(cast.coordinator.user, cast.network)
        product_rows = exports.product_rows(selectors.products_for_export(access=access))
        investment_rows = exports.investment_rows(
            selectors.investments_for_export(access=access), selectors.rates_for(cast.network)
        )
        for name, rows in (("p.csv", product_rows), ("i.csv", investment_rows)):
            with (tmp_path / name).open("w", encoding="utf-8", newline="") as handle:
                csv.writer(handle).writerows(rows)

        products = run(cast, "products", tmp_path / "p.csv", dry_run=False)
        investments = run(cast, "investments", tmp_path / "i.csv", dry_run=False)

        assert (products.errors, products.unchanged, products.to_update) == ([], 1, 0)
        assert (investments.errors, investments.unchanged, investments.to_create) == ([], 1, 0)
        assert "'=1+2 sites" in (tmp_path / "i.csv").read_text()  # the export neutralized it
        assert Investment.objects.get().title == "=1+2 sites"
