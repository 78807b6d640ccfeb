"""The demo's field trackers: 25 products across every stage with histories that agree with
their stage, 150 investments from ten funders in five currencies (two not convertible), funding
so uneven that the gap page finds community and regulatory work; and gone with `demo_remove`."""

from __future__ import annotations

import itertools
from collections import Counter

import pytest
from django.db import transaction
from django.utils import timezone

from netweave.demo import data
from netweave.demo.load import demo_load, demo_remove
from netweave.field.demo_data import FIELD_ORGANIZATIONS
from netweave.field.models import (
    ExchangeRate,
    FundingSettings,
    Investment,
    Product,
    ProductStage,
    StageChange,
)
from netweave.field.selectors import currencies_without_rates, funding_gaps, rates_for
from netweave.networks.models import Network
from netweave.networks.permissions import access_for
from netweave.people.models import Organization, Person

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    """The demo, loaded once for this module and rolled back after its last test (each test runs
    in a savepoint of its own inside it)."""
    with django_db_blocker.unblock(), transaction.atomic():
        demo_load()
        yield Network.objects.get(slug="lahp")
        transaction.set_rollback(True)


def coordinator_access(network: Network):  # type: ignore[no-untyped-def]
    return access_for(Person.objects.get(email=data.COORDINATOR_EMAIL).user, network)


class DemoProductsTests:
    def test_there_are_25_products_in_every_stage_of_many_kinds(self, demo):
        products = Product.objects.filter(network=demo).select_related("stage")
        assert products.count() == 25
        stages = Counter(p.stage.slug for p in products)
        assert set(stages) == set(
            ProductStage.objects.filter(network=demo).values_list("slug", flat=True)
        )
        assert min(stages.values()) >= 3
        kinds = {p.kind for p in products}
        assert {"vaccine", "drug", "diagnostic", "device", "biologic", "digital"} <= kinds
        assert Product.objects.filter(network__slug="vdan").count() >= 2

    def test_each_history_is_a_chain_that_ends_at_the_products_stage(self, demo):
        today = timezone.localdate()
        for product in Product.objects.filter(network__slug__in=["lahp", "vdan"]):
            changes = list(product.stage_history.order_by("date", "pk"))
            assert 1 <= len(changes) <= 5, product
            assert changes[0].from_stage_id is None
            for before, after in itertools.pairwise(changes):
                assert after.from_stage_id == before.stage_id
                assert after.stage.position == before.stage.position + 1
                assert after.date > before.date
            assert changes[-1].stage_id == product.stage_id
            assert changes[-1].date == product.stage_since <= today
            assert all(c.source and c.network_id == product.network_id for c in changes)
        assert StageChange.objects.filter(network=demo).count() >= 50

    def test_products_have_developers_indications_topics_and_linked_resources(self, demo):
        for product in Product.objects.filter(network=demo).prefetch_related(
            "developers", "topics", "resources"
        ):
            assert product.developers.all() and product.indications and product.description
            assert all(t.network_id == demo.pk for t in product.topics.all())
            resources = product.resources.all()
            assert 1 <= len(resources) <= 4
            assert all(r.network_id == demo.pk and r.status == "published" for r in resources)
        outside = {org.name for org in FIELD_ORGANIZATIONS if org.kind == "company"}
        developers = set(
            Product.developers.through.objects.filter(product__network=demo).values_list(
                "organization__name", flat=True
            )
        )
        assert outside <= developers and len(developers - outside) >= 10


class DemoInvestmentsTests:
    def test_there_are_150_investments_over_six_years_from_ten_funders(self, demo):
        investments = Investment.objects.filter(network=demo).select_related("funder")
        assert investments.count() == 150
        this_year = timezone.localdate().year
        assert set(investments.values_list("year", flat=True)) == set(
            range(this_year - 5, this_year + 1)
        )
        funders = {i.funder for i in investments}
        assert len(funders) == 10 and {f.kind for f in funders} == {"funder"}
        assert all(i.amount > 0 and i.title and i.topic_id for i in investments)
        assert Investment.objects.filter(network__slug="vdan").count() >= 5

    def test_every_currency_but_one_has_a_rate_and_two_investments_are_not_converted(self, demo):
        assert FundingSettings.objects.get(network=demo).base_currency == "USD"
        currencies = Counter(
            Investment.objects.filter(network=demo).values_list("currency", flat=True)
        )
        assert set(currencies) == {"USD", "EUR", "GBP", "CHF", "AUD"}
        assert currencies["AUD"] == 2 and currencies["USD"] > 50
        rates = rates_for(demo)
        for currency, year in Investment.objects.filter(network=demo).values_list(
            "currency", "year"
        ):
            assert (rates.rate(currency, year) is None) == (currency == "AUD")
        years = dict(
            Counter(ExchangeRate.objects.filter(network=demo).values_list("currency", flat=True))
        )
        assert years["EUR"] == 6 and years["GBP"] == 2 and years["CHF"] == 1
        assert ExchangeRate.objects.filter(network=demo, year__isnull=True).count() == 2
        missing = currencies_without_rates(access=coordinator_access(demo))
        assert [code for code, _years in missing] == ["AUD"]

    def test_investments_in_a_product_go_to_its_developers(self, demo):
        linked = Investment.objects.filter(network=demo, product__isnull=False)
        assert linked.count() >= 25
        for investment in linked.select_related("product"):
            product = investment.product
            assert investment.recipient in product.developers.all()
            assert investment.topic in product.topics.all()

    def test_the_gap_page_finds_community_and_regulatory_work_underfunded(self, demo):
        access = coordinator_access(demo)
        gaps = funding_gaps(access=access)
        found = [row.topic.slug for row in gaps.gaps]
        assert found[:2] == ["community", "regulatory"] and len(found) <= 3
        top = gaps.topics[0]
        assert top.activity_share > 0.1 and top.funding_share < 0.01
        assert gaps.unconverted_count == 2
        unfunded = [row.product.name for row in gaps.unfunded_products]
        assert 3 <= len(unfunded) <= 6
        populations = demo.library_topics.get(slug="populations")
        within = funding_gaps(access=access, topic=populations)
        assert within.topics[0].topic.slug == "pregnancy-breastfeeding"
        assert within.topics[0].score > 0.2


class DemoFieldRemoveTests:
    def test_demo_remove_removes_products_investments_and_the_organizations_it_made(self, demo):
        demo_remove()
        for model in (Product, StageChange, Investment, ExchangeRate, ProductStage):
            assert not model.objects.exists(), model
        assert not FundingSettings.objects.exists()
        names = [org.name for org in FIELD_ORGANIZATIONS]
        assert not Organization.objects.filter(name__in=names).exists()
        assert not Organization.objects.exists()  # no demo organization is left behind
