"""The field-tracker pages: what each person of the cast sees, the curators' forms (products,
stage changes, the stage model, investments, exchange rates), empty states, exports (with
spreadsheet formulas neutralized) and bounded query counts."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from netweave.field import services
from netweave.field.models import Investment, Product, ProductStage, StageChange
from netweave.field.tests.scenes import gap_field, org, resource, stage, topic
from netweave.lib.testing import Cast
from netweave.library.models import Resource, Visibility
from netweave.people.models import Organization

pytestmark = pytest.mark.django_db


def client_for(cast: Cast, who: str) -> Client:
    client = Client()
    user = cast.user(who)
    if user is not None:
        client.force_login(user)
    return client


def url(name: str, **kwargs: object) -> str:
    return reverse(f"field:{name}", kwargs={"network_slug": "cast", **kwargs})


def rows_of(response) -> list[list[str]]:  # type: ignore[no-untyped-def]
    return list(csv.reader(io.StringIO(response.content.decode())))


@pytest.fixture
def three_products(cast: Cast) -> dict[str, Product]:
    network = cast.network
    services.stages_ensure_default(network)
    return {
        visibility: services.product_create(
            network=network,
            name=f"{visibility.title()} product",
            stage=stage(network, "phase-1"),
            stage_date=date(2022, 1, 1),
            visibility=visibility,
        )
        for visibility in (Visibility.PUBLIC, Visibility.NETWORK, Visibility.COORDINATORS)
    }


class PipelinePageTests:
    def test_each_person_sees_the_products_of_their_rung(
        self, cast: Cast, three_products: dict[str, Product]
    ) -> None:
        expected = {
            "anonymous": ["Public product"],
            "outsider": ["Public product"],
            "observer": ["Public product", "Network product"],
            "member": ["Public product", "Network product"],
            "steward": ["Public product", "Network product", "Coordinators product"],
            "coordinator": ["Public product", "Network product", "Coordinators product"],
        }
        for who, names in expected.items():
            page = client_for(cast, who).get(url("pipeline")).content.decode()
            shown = [p.name for p in three_products.values() if f">{p.name}</a>" in page]
            assert shown == names, who

    def test_the_board_has_a_column_per_stage_with_its_cards(
        self, cast: Cast, three_products: dict[str, Product]
    ) -> None:
        page = client_for(cast, "member").get(url("pipeline")).content.decode()
        assert page.count('class="pipeline-column"') == 7
        assert 'data-stage="phase-1"' in page
        assert "2 products" in page

    def test_curators_with_no_products_are_told_what_to_do_next(self, cast: Cast) -> None:
        page = client_for(cast, "coordinator").get(url("pipeline")).content.decode()
        assert "No products yet: add the first one, or import a CSV" in page
        assert url("product_new") in page
        member = client_for(cast, "member").get(url("pipeline")).content.decode()
        assert url("product_new") not in member
        assert "No products to show yet" in member

    def test_the_pipeline_page_takes_the_same_queries_for_many_products(
        self, cast: Cast, django_assert_max_num_queries
    ) -> None:
        network = cast.network
        stages = services.stages_ensure_default(network)
        for n in range(40):
            services.product_create(
                network=network,
                name=f"Product {n}",
                stage=stages[n % 7],
                developers=[org(f"Dev {n}")],
                indications=["x"],
            )
        client = client_for(cast, "coordinator")
        client.get(url("pipeline"))  # the first visit may create the default stages
        with django_assert_max_num_queries(16):
            response = client.get(url("pipeline"))
        assert response.status_code == 200


class ProductPageTests:
    def test_the_product_shows_its_history_its_visible_resources_and_investments(
        self, cast: Cast
    ) -> None:
        network = cast.network
        services.stages_ensure_default(network)
        product = services.product_create(
            network=network,
            name="Ring",
            stage=stage(network, "preclinical"),
            stage_date=date(2019, 2, 1),
            stage_source="https://registry.example.org/ring",
            visibility=Visibility.PUBLIC,
        )
        services.product_change_stage(
            product=product, stage=stage(network, "phase-1"), date=date(2021, 3, 4), source="CT.gov"
        )
        open_resource = resource(network, "Ring results", [], visibility=Visibility.PUBLIC)
        hidden = resource(network, "Ring internal", [], visibility=Visibility.COORDINATORS)
        product.resources.set([open_resource, hidden])
        services.investment_create(
            network=network, funder=org("Ring Fund"), amount=5000, year=2021, product=product,
            visibility=Visibility.PUBLIC,
        )  # fmt: skip
        services.investment_create(
            network=network, funder=org("Hush Fund"), amount=9000, year=2021, product=product,
            visibility=Visibility.COORDINATORS,
        )  # fmt: skip
        page = client_for(cast, "anonymous").get(url("product", product_id=product.pk))
        text = page.content.decode()
        assert page.status_code == 200
        assert "2019-02-01" in text and "2021-03-04" in text
        assert "https://registry.example.org/ring" in text and "CT.gov" in text
        assert "Ring results" in text and "Ring internal" not in text
        assert "Ring Fund" in text and "Hush Fund" not in text
        coordinator = client_for(cast, "coordinator").get(url("product", product_id=product.pk))
        assert "Hush Fund" in coordinator.content.decode()

    def test_a_product_the_viewer_may_not_see_is_not_found(
        self, cast: Cast, three_products: dict[str, Product]
    ) -> None:
        hidden = three_products[Visibility.COORDINATORS]
        assert (
            client_for(cast, "member").get(url("product", product_id=hidden.pk)).status_code == 404
        )
        assert (
            client_for(cast, "steward").get(url("product", product_id=hidden.pk)).status_code == 200
        )

    def test_another_networks_product_is_not_found_here(self, cast: Cast) -> None:
        foreign = services.product_create(
            network=cast.other_network, name="Foreign", visibility=Visibility.PUBLIC
        )
        client = client_for(cast, "coordinator")
        for name in ("product", "product_edit", "product_stage", "product_delete"):
            assert client.get(url(name, product_id=foreign.pk)).status_code == 404, name

    def test_a_coordinator_adds_a_product_naming_a_new_developer(self, cast: Cast) -> None:
        network = cast.network
        services.stages_ensure_default(network)
        parent = topic(network, "Prevention")
        response = client_for(cast, "coordinator").post(
            url("product_new"),
            {
                "name": "Long-acting injectable",
                "kind": "drug",
                "new_developers": "Brand New Labs\nKenya Medical Research Institute",
                "indications": "HIV prevention",
                "stage": stage(network, "phase-2").pk,
                "stage_date": "2023-05-01",
                "stage_source": "press release",
                "topics": [parent.pk],
                "visibility": "network",
            },
        )
        product = Product.objects.get(network=network, name="Long-acting injectable")
        assert response.status_code == 302
        assert response["Location"] == url("product", product_id=product.pk)
        assert sorted(o.name for o in product.developers.all()) == [
            "Brand New Labs",
            "Kenya Medical Research Institute",  # the member's organization, found by name
        ]
        assert (
            Organization.objects.filter(name__iexact="kenya medical research institute").count()
            == 1
        )
        assert list(product.topics.all()) == [parent]
        assert (product.stage.slug, product.stage_since) == ("phase-2", date(2023, 5, 1))

    def test_a_product_name_taken_is_said_on_the_form(self, cast: Cast) -> None:
        services.product_create(network=cast.network, name="Taken")
        response = client_for(cast, "coordinator").post(
            url("product_new"), {"name": "taken", "kind": "drug", "visibility": "network"}
        )
        assert response.status_code == 200
        assert "There is already a product called" in response.content.decode()

    def test_a_coordinator_records_a_stage_change_and_the_product_moves(self, cast: Cast) -> None:
        network = cast.network
        services.stages_ensure_default(network)
        product = services.product_create(
            network=network, name="Mover", stage=stage(network, "phase-1"),
            stage_date=date(2020, 1, 1),
        )  # fmt: skip
        client = client_for(cast, "coordinator")
        response = client.post(
            url("product_stage", product_id=product.pk),
            {"stage": stage(network, "phase-2").pk, "date": "2024-02-03", "source": "journal"},
        )
        assert response.status_code == 302
        product.refresh_from_db()
        assert product.stage.slug == "phase-2"
        change = StageChange.objects.get(product=product, stage__slug="phase-2")
        assert (change.from_stage.slug, change.recorded_by) == ("phase-1", cast.coordinator)
        board = client.get(url("pipeline")).content.decode()
        column = board.split('data-stage="phase-2"')[1].split("</section>")[0]
        assert "Mover" in column

    def test_a_stage_change_in_the_future_is_refused_on_the_form(self, cast: Cast) -> None:
        network = cast.network
        services.stages_ensure_default(network)
        product = services.product_create(network=network, name="P")
        tomorrow = timezone.localdate() + timedelta(days=1)
        response = client_for(cast, "steward").post(
            url("product_stage", product_id=product.pk),
            {"stage": stage(network, "phase-2").pk, "date": tomorrow.isoformat()},
        )
        assert response.status_code == 200
        assert "in the future" in response.content.decode()
        assert not StageChange.objects.filter(product=product).exists()

    def test_members_cannot_edit(self, cast: Cast, three_products: dict[str, Product]) -> None:
        product = three_products[Visibility.NETWORK]
        client = client_for(cast, "member")
        assert client.post(url("product_delete", product_id=product.pk)).status_code == 403
        assert Product.objects.filter(pk=product.pk).exists()


class StageModelPageTests:
    def test_curators_add_rename_reorder_and_remove_stages(self, cast: Cast) -> None:
        network = cast.network
        client = client_for(cast, "steward")
        assert client.get(url("stages")).status_code == 200  # makes the default model
        client.post(url("stages"), {"new-name": "Post-market"})
        assert ProductStage.objects.filter(network=network).last().name == "Post-market"
        discovery = stage(network, "discovery")
        client.post(
            url("stage_action", stage_id=discovery.pk), {"action": "rename", "name": "Idea"}
        )
        client.post(url("stage_action", stage_id=discovery.pk), {"action": "down"})
        order = list(ProductStage.objects.filter(network=network).values_list("name", flat=True))
        assert order[:2] == ["Preclinical", "Idea"]
        client.post(url("stage_action", stage_id=discovery.pk), {"action": "delete"})
        assert not ProductStage.objects.filter(pk=discovery.pk).exists()

    def test_removing_a_stage_in_use_says_why_not(self, cast: Cast) -> None:
        network = cast.network
        services.stages_ensure_default(network)
        services.product_create(network=network, name="P", stage=stage(network, "phase-1"))
        response = client_for(cast, "coordinator").post(
            url("stage_action", stage_id=stage(network, "phase-1").pk),
            {"action": "delete"},
            follow=True,
        )
        assert "is in use" in response.content.decode()
        assert ProductStage.objects.filter(network=network, slug="phase-1").exists()


class InvestmentPageTests:
    def test_a_coordinators_only_investment_never_shows_to_members(self, cast: Cast) -> None:
        gap_field(cast.network)
        for page_name in ("investments", "funding", "funding_gaps"):
            member = client_for(cast, "member").get(url(page_name)).content.decode()
            assert "Quiet Trust" not in member, page_name
        coordinator = client_for(cast, "coordinator").get(url("investments")).content.decode()
        assert "Quiet Trust" in coordinator
        funding = client_for(cast, "member").get(url("funding")).content.decode()
        assert ">1,200<" in funding  # 600 USD + 400 EUR at 1.5, without the hidden 1,000
        funding = client_for(cast, "coordinator").get(url("funding")).content.decode()
        assert ">2,200<" in funding

    def test_the_list_filters_by_year_and_funder(self, cast: Cast) -> None:
        network = cast.network
        services.investment_create(network=network, funder=org("Early Fund"), amount=1, year=2015)
        services.investment_create(network=network, funder=org("Late Fund"), amount=1, year=2024)
        client = client_for(cast, "member")
        page = client.get(url("investments"), {"year": 2015}).content.decode()
        assert "Early Fund →" in page and "Late Fund →" not in page
        late = Organization.objects.get(name="Late Fund")
        page = client.get(url("investments"), {"funder": late.pk}).content.decode()
        assert "Late Fund →" in page and "Early Fund →" not in page

    def test_the_list_is_paginated(self, cast: Cast) -> None:
        funder = org("Many Fund")
        for n in range(55):
            services.investment_create(network=cast.network, funder=funder, amount=n + 1, year=2020)
        client = client_for(cast, "member")
        assert "Page 1 of 2" in client.get(url("investments")).content.decode()
        assert client.get(url("investments"), {"page": 2}).status_code == 200

    def test_a_coordinator_records_an_investment_from_a_new_funder(self, cast: Cast) -> None:
        network = cast.network
        response = client_for(cast, "coordinator").post(
            url("investment_new"),
            {
                "new_funder": "Fresh Foundation",
                "amount": "2500.50",
                "currency": "eur",
                "year": "2024",
                "visibility": "public",
            },
        )
        assert response.status_code == 302
        investment = Investment.objects.get(network=network)
        assert (investment.funder.name, investment.currency, str(investment.amount)) == (
            "Fresh Foundation", "EUR", "2500.50",
        )  # fmt: skip

    def test_a_form_without_a_funder_says_what_to_fix(self, cast: Cast) -> None:
        response = client_for(cast, "coordinator").post(
            url("investment_new"),
            {"amount": "10", "currency": "USD", "year": "2024", "visibility": "network"},
        )
        assert response.status_code == 200
        assert "Say who the funder is." in response.content.decode()
        assert not Investment.objects.exists()

    def test_the_funding_page_says_which_investments_are_not_converted(self, cast: Cast) -> None:
        services.investment_create(
            network=cast.network, funder=org("Pound Fund"), amount=10, currency="GBP", year=2023
        )
        services.investment_create(
            network=cast.network, funder=org("Dollar Fund"), amount=10, year=2023
        )
        coordinator = client_for(cast, "coordinator").get(url("funding")).content.decode()
        assert "1 investment in GBP is not converted: enter a rate." in coordinator
        assert url("rates") in coordinator
        member = client_for(cast, "member").get(url("funding")).content.decode()
        assert "A coordinator of the network can enter the missing rates." in member

    def test_the_funding_page_draws_three_charts_over_tables(self, cast: Cast) -> None:
        gap_field(cast.network)
        page = client_for(cast, "member").get(url("funding")).content.decode()
        for chart in ("funding-by-year", "funding-by-topic", "funding-by-funder"):
            assert f'<canvas id="{chart}" data-chart="{chart}-data"' in page
            assert f'id="{chart}-data"' in page
            assert f'id="{chart}-table"' in page
        assert "netweave-field.js" in page

    def test_the_funding_pages_take_a_bounded_number_of_queries(
        self, cast: Cast, django_assert_max_num_queries
    ) -> None:
        gap_field(cast.network)
        funder = org("Bulk Fund")
        for n in range(40):
            services.investment_create(network=cast.network, funder=funder, amount=n + 1, year=2024)
        client = client_for(cast, "coordinator")
        for name in ("investments", "funding", "funding_gaps", "timeline"):
            client.get(url(name))
            with django_assert_max_num_queries(18):
                assert client.get(url(name)).status_code == 200


class FundingGapPageTests:
    def test_the_page_explains_the_score_and_ranks_the_topics(self, cast: Cast) -> None:
        gap_field(cast.network)
        page = client_for(cast, "member").get(url("funding_gaps")).content.decode()
        assert "Score = the topic’s share of all activity − its share of all funding" in page
        table = page.split('id="funding-gap-table"')[1]
        assert table.index("Diagnostics") < table.index("Vaccines") < table.index("Therapeutics")
        assert '<canvas id="funding-gap"' in page
        products = page.split('id="funding-gap-products"')[1]
        assert products.index("Beta") < products.index("Alpha")
        assert "No investment" in products

    def test_a_bad_period_is_said_not_crashed_on(self, cast: Cast) -> None:
        response = client_for(cast, "member").get(url("funding_gaps"), {"years": "lots"})
        assert response.status_code == 200
        assert "Enter a whole number." in response.content.decode()


class ExchangeRatePageTests:
    def test_a_curator_sets_a_rate_and_the_base_currency(self, cast: Cast) -> None:
        client = client_for(cast, "steward")
        client.post(url("rates"), {"form": "rate", "rate-currency": "eur", "rate-rate": "1.25"})
        response = client.post(
            url("rates"), {"form": "base", "base-base_currency": "EUR"}, follow=True
        )
        assert "Funding is now reported in EUR." in response.content.decode()
        assert services.funding_settings_get(cast.network).base_currency == "EUR"

    def test_switching_to_a_base_without_a_rate_says_what_to_enter(self, cast: Cast) -> None:
        client = client_for(cast, "coordinator")
        client.post(url("rates"), {"form": "rate", "rate-currency": "EUR", "rate-rate": "1.1"})
        response = client.post(url("rates"), {"form": "base", "base-base_currency": "KES"})
        assert response.status_code == 200
        assert "Enter what 1 KES is worth in USD first" in response.content.decode()

    def test_missing_rates_are_listed(self, cast: Cast) -> None:
        services.investment_create(
            network=cast.network, funder=org("F"), amount=1, currency="KES", year=2021
        )
        page = client_for(cast, "coordinator").get(url("rates")).content.decode()
        assert "KES (in 2021)" in page


class ExportTests:
    def test_exports_neutralize_spreadsheet_formulas(self, cast: Cast) -> None:
        network = cast.network
        services.stages_ensure_default(network)
        product = services.product_create(
            network=network,
            name='=HYPERLINK("http://evil")',
            stage=stage(network, "phase-1"),
            stage_date=date(2021, 1, 1),
            stage_source="+cmd|' /C calc'!A0",
            indications=["@SUM(A1)"],
            visibility=Visibility.PUBLIC,
        )
        services.investment_create(
            network=network, funder=org("-Minus Fund"), amount=10, year=2021, product=product,
            title="=1+1", visibility=Visibility.PUBLIC,
        )  # fmt: skip
        client = client_for(cast, "anonymous")
        products = rows_of(client.get(url("export_products")))
        assert products[1][1] == '\'=HYPERLINK("http://evil")'
        assert products[1][6] == "'@SUM(A1)"
        history = rows_of(client.get(url("export_stage_history")))
        assert history[1][5] == "'+cmd|' /C calc'!A0"
        investments = rows_of(client.get(url("export_investments")))
        assert investments[1][2] == "'-Minus Fund" and investments[1][4] == "'=1+1"
        assert investments[1][5] == "10.00" and investments[1][7] == "10.00"

    def test_exports_hold_only_the_rows_the_reader_can_see(
        self, cast: Cast, three_products: dict[str, Product]
    ) -> None:
        member = rows_of(client_for(cast, "member").get(url("export_products")))
        assert sorted(row[1] for row in member[1:]) == ["Network product", "Public product"]
        coordinator = rows_of(client_for(cast, "coordinator").get(url("export_products")))
        assert len(coordinator) == 4
        history = rows_of(client_for(cast, "anonymous").get(url("export_stage_history")))
        assert [row[1] for row in history[1:]] == ["Public product"]

    def test_an_export_is_an_attachment_named_after_the_network(self, cast: Cast) -> None:
        response = client_for(cast, "member").get(url("export_investments"))
        assert response["Content-Disposition"] == 'attachment; filename="cast-investments.csv"'
        assert rows_of(response)[0][:3] == ["id", "year", "funder"]


def test_unpublished_resources_never_count_in_the_gap_page(cast: Cast) -> None:
    field = gap_field(cast.network)
    assert Resource.objects.filter(status=Resource.Status.SUBMITTED, topics=field.c).exists()
    page = client_for(cast, "coordinator").get(url("funding_gaps")).content.decode()
    row = page.split('id="funding-gap-table"')[1].split("Therapeutics")[1].split("</tr>")[0]
    assert row.count('<td class="num">1</td>') == 1  # one published resource, not two


def test_a_period_that_ends_before_it_starts_is_said(cast: Cast) -> None:
    response = client_for(cast, "member").get(url("funding"), {"since": 2024, "until": 2020})
    assert response.status_code == 200
    assert "The last year comes after the first one." in response.content.decode()


def test_coordinators_find_the_csv_import_from_the_field(cast: Cast) -> None:
    page = client_for(cast, "coordinator").get(url("pipeline")).content.decode()
    assert (
        reverse("people:import_start", kwargs={"network_slug": "cast"}) + "?kind=products" in page
    )
    steward = client_for(cast, "steward").get(url("investments")).content.decode()
    assert "?kind=investments" not in steward  # importing is for coordinators
