"""The rules of the field trackers' writes: the stage model, products and their stage history,
investments, exchange rates and the base currency."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from netweave.field import services
from netweave.field.models import (
    DEFAULT_STAGES,
    ExchangeRate,
    Investment,
    ProductStage,
    StageChange,
)
from netweave.field.services import (
    FieldError,
    InvalidInvestment,
    InvalidRate,
    InvalidStageChange,
    NameTaken,
    StageInUse,
)
from netweave.field.tests.scenes import org, stage, topic
from netweave.lib.testing import make_network

pytestmark = pytest.mark.django_db


class StageModelTests:
    def test_a_network_without_stages_gets_the_default_model_once(self) -> None:
        network = make_network()
        first = services.stages_ensure_default(network)
        again = services.stages_ensure_default(network)
        assert [s.slug for s in first] == [slug for slug, _name in DEFAULT_STAGES]
        assert [s.pk for s in again] == [s.pk for s in first]
        assert [s.position for s in first] == list(range(len(DEFAULT_STAGES)))

    def test_a_new_stage_goes_at_the_end_or_where_it_is_asked(self) -> None:
        network = make_network()
        services.stages_ensure_default(network)
        last = services.stage_create(network=network, name="Post-market")
        early = services.stage_create(network=network, name="Ideation", position=0)
        names = [s.name for s in ProductStage.objects.filter(network=network)]
        assert names[0] == "Ideation" and names[-1] == "Post-market"
        assert early.slug == "ideation" and last.slug == "post-market"

    def test_it_refuses_a_stage_name_already_taken_whatever_its_case(self) -> None:
        network = make_network()
        services.stages_ensure_default(network)
        with pytest.raises(NameTaken, match="already a stage called"):
            services.stage_create(network=network, name="phase ii")

    def test_moving_a_stage_renumbers_the_model(self) -> None:
        network = make_network()
        stages = services.stages_ensure_default(network)
        services.stage_move(stage=stages[-1], position=0)
        ordered = list(ProductStage.objects.filter(network=network))
        assert ordered[0].slug == "approved"
        assert [s.position for s in ordered] == list(range(len(ordered)))

    def test_renaming_a_stage_keeps_its_products(self) -> None:
        network = make_network()
        stages = services.stages_ensure_default(network)
        product = services.product_create(network=network, name="P", stage=stages[1])
        services.stage_update(stage=stages[1], name="Animal studies")
        product.refresh_from_db()
        assert product.stage.name == "Animal studies"

    def test_removing_a_stage_in_use_is_refused_with_what_to_do(self) -> None:
        network = make_network()
        stages = services.stages_ensure_default(network)
        services.product_create(network=network, name="P", stage=stages[1])
        with pytest.raises(StageInUse, match="Rename it instead"):
            services.stage_delete(stage=stages[1])
        assert ProductStage.objects.filter(pk=stages[1].pk).exists()

    def test_removing_a_stage_only_history_mentions_is_refused_too(self) -> None:
        network = make_network()
        stages = services.stages_ensure_default(network)
        product = services.product_create(
            network=network, name="P", stage=stages[1], stage_date=date(2020, 1, 1)
        )
        services.product_change_stage(product=product, stage=stages[2], date=date(2021, 1, 1))
        with pytest.raises(StageInUse):
            services.stage_delete(stage=stages[1])

    def test_removing_an_unused_stage_renumbers_the_rest(self) -> None:
        network = make_network()
        stages = services.stages_ensure_default(network)
        services.stage_delete(stage=stages[0])
        positions = list(
            ProductStage.objects.filter(network=network).values_list("position", flat=True)
        )
        assert positions == list(range(len(stages) - 1))


class ProductStageChangeTests:
    def test_creating_a_product_at_a_stage_starts_its_history(self) -> None:
        network = make_network()
        stages = services.stages_ensure_default(network)
        product = services.product_create(
            network=network,
            name="Ring",
            stage=stages[2],
            stage_date=date(2022, 5, 1),
            stage_source="https://registry.example.org/1",
            indications="HIV prevention; hiv prevention\nContraception",
        )
        change = StageChange.objects.get(product=product)
        assert (change.from_stage, change.stage, change.date) == (None, stages[2], date(2022, 5, 1))
        assert change.source == "https://registry.example.org/1"
        assert (product.stage, product.stage_since) == (stages[2], date(2022, 5, 1))
        assert product.indications == ["HIV prevention", "Contraception"]

    def test_a_change_records_where_the_product_came_from(self) -> None:
        network = make_network()
        stages = services.stages_ensure_default(network)
        product = services.product_create(
            network=network, name="P", stage=stages[1], stage_date=date(2020, 1, 1)
        )
        change = services.product_change_stage(
            product=product, stage=stages[2], date=date(2021, 6, 1), source="trial registry"
        )
        product.refresh_from_db()
        assert change.from_stage == stages[1]
        assert (product.stage, product.stage_since) == (stages[2], date(2021, 6, 1))

    def test_a_date_in_the_future_is_refused(self) -> None:
        network = make_network()
        stages = services.stages_ensure_default(network)
        product = services.product_create(network=network, name="P")
        tomorrow = timezone.localdate() + timedelta(days=1)
        with pytest.raises(InvalidStageChange, match="in the future"):
            services.product_change_stage(product=product, stage=stages[1], date=tomorrow)
        assert not StageChange.objects.exists()

    def test_reaching_the_stage_it_is_already_at_is_refused(self) -> None:
        network = make_network()
        stages = services.stages_ensure_default(network)
        product = services.product_create(
            network=network, name="P", stage=stages[1], stage_date=date(2020, 1, 1)
        )
        with pytest.raises(InvalidStageChange, match="already at"):
            services.product_change_stage(product=product, stage=stages[1], date=date(2021, 1, 1))

    def test_a_change_filled_in_late_goes_in_its_place_and_the_chain_follows(self) -> None:
        network = make_network()
        stages = services.stages_ensure_default(network)
        product = services.product_create(
            network=network, name="P", stage=stages[1], stage_date=date(2018, 1, 1)
        )
        services.product_change_stage(product=product, stage=stages[3], date=date(2022, 1, 1))
        # Phase I (stages[2]) was reached in 2020, but recorded afterwards.
        services.product_change_stage(product=product, stage=stages[2], date=date(2020, 1, 1))
        history = list(product.stage_history.order_by("date"))
        assert [(c.from_stage_id, c.stage_id) for c in history] == [
            (None, stages[1].pk),
            (stages[1].pk, stages[2].pk),
            (stages[2].pk, stages[3].pk),
        ]
        product.refresh_from_db()
        assert (product.stage, product.stage_since) == (stages[3], date(2022, 1, 1))

    def test_a_late_change_to_the_stage_the_next_change_reaches_is_refused(self) -> None:
        network = make_network()
        stages = services.stages_ensure_default(network)
        product = services.product_create(
            network=network, name="P", stage=stages[1], stage_date=date(2018, 1, 1)
        )
        services.product_change_stage(product=product, stage=stages[3], date=date(2022, 1, 1))
        with pytest.raises(InvalidStageChange, match="correct that date"):
            services.product_change_stage(product=product, stage=stages[3], date=date(2020, 1, 1))

    def test_a_stage_of_another_network_is_refused(self) -> None:
        network, elsewhere = make_network(), make_network()
        services.stages_ensure_default(network)
        foreign = services.stages_ensure_default(elsewhere)
        product = services.product_create(network=network, name="P")
        with pytest.raises(InvalidStageChange, match="another network"):
            services.product_change_stage(product=product, stage=foreign[1], date=date(2020, 1, 1))

    def test_product_names_are_unique_in_a_network_whatever_their_case(self) -> None:
        network = make_network()
        services.product_create(network=network, name="Dapivirine ring")
        with pytest.raises(NameTaken):
            services.product_create(network=network, name="dapivirine  RING")
        services.product_create(network=make_network(), name="Dapivirine ring")

    def test_a_topic_of_another_network_is_refused(self) -> None:
        network, elsewhere = make_network(), make_network()
        with pytest.raises(FieldError, match="another network"):
            services.product_create(network=network, name="P", topics=[topic(elsewhere, "X")])

    def test_updating_changes_only_what_is_given(self) -> None:
        network = make_network()
        developer = org("Dev Org")
        product = services.product_create(
            network=network, name="P", kind="drug", developers=[developer], website="https://p.org"
        )
        services.product_update(product=product, kind="vaccine")
        product.refresh_from_db()
        assert (product.kind, product.website) == ("vaccine", "https://p.org")
        assert list(product.developers.all()) == [developer]

    def test_deleting_a_product_keeps_its_investments_without_a_product(self) -> None:
        network = make_network()
        product = services.product_create(network=network, name="P")
        investment = services.investment_create(
            network=network, funder=org("F"), amount=10, year=2020, product=product
        )
        services.product_delete(product=product)
        investment.refresh_from_db()
        assert investment.product is None


class InvestmentTests:
    def test_the_currency_defaults_to_the_base_currency(self) -> None:
        network = make_network()
        services.funding_settings_update(network=network, base_currency="eur")
        investment = services.investment_create(
            network=network, funder=org("F"), amount="1,500.5", year=2023
        )
        assert (investment.currency, investment.amount) == ("EUR", Decimal("1500.50"))

    @pytest.mark.parametrize(
        ("fields", "message"),
        [
            ({"amount": 0}, "more than zero"),
            ({"amount": "ten"}, "not an amount"),
            ({"currency": "dollars"}, "not a currency code"),
            ({"year": 1850}, "between 1900"),
        ],
    )
    def test_it_refuses_what_cannot_be_right(self, fields: dict, message: str) -> None:
        network = make_network()
        values = {"amount": 10, "year": 2020, **fields}
        with pytest.raises(InvalidInvestment, match=message):
            services.investment_create(network=network, funder=org("F"), **values)
        assert not Investment.objects.exists()

    def test_the_funder_cannot_fund_itself(self) -> None:
        network = make_network()
        funder = org("F")
        with pytest.raises(InvalidInvestment, match="same organization"):
            services.investment_create(
                network=network, funder=funder, recipient=funder, amount=1, year=2020
            )


class ExchangeRateTests:
    def test_setting_a_rate_again_replaces_it(self) -> None:
        network = make_network()
        services.exchange_rate_set(network=network, currency="eur", year=2023, rate="1.08")
        services.exchange_rate_set(network=network, currency="EUR", year=2023, rate="1.10")
        services.exchange_rate_set(network=network, currency="EUR", year=None, rate="1.05")
        rates = {(r.year, r.rate) for r in ExchangeRate.objects.filter(network=network)}
        assert rates == {(2023, Decimal("1.10")), (None, Decimal("1.05"))}

    def test_the_base_currency_needs_no_rate(self) -> None:
        network = make_network()
        with pytest.raises(InvalidRate, match="base currency"):
            services.exchange_rate_set(network=network, currency="USD", year=None, rate=1)

    def test_a_rate_must_be_positive(self) -> None:
        with pytest.raises(InvalidRate, match="more than zero"):
            services.exchange_rate_set(network=make_network(), currency="EUR", year=None, rate=0)

    def test_switching_the_base_converts_the_rates_through_the_new_base(self) -> None:
        network = make_network()  # USD
        services.exchange_rate_set(network=network, currency="EUR", year=None, rate="1.25")
        services.exchange_rate_set(network=network, currency="GBP", year=None, rate="1.50")
        services.exchange_rate_set(network=network, currency="GBP", year=2020, rate="1.00")
        services.funding_settings_update(network=network, base_currency="EUR")
        rates = {(r.currency, r.year): r.rate for r in ExchangeRate.objects.filter(network=network)}
        # 1 GBP = 1.5 USD = 1.5 / 1.25 EUR; 1 USD = 1 / 1.25 EUR; 2020 has no EUR rate of its
        # own, so the any-year EUR rate converts it.
        assert rates == {
            ("GBP", None): Decimal("1.2"),
            ("GBP", 2020): Decimal("0.8"),
            ("USD", None): Decimal("0.8"),
        }

    def test_switching_to_a_base_without_a_rate_is_refused_when_there_are_rates(self) -> None:
        network = make_network()
        services.exchange_rate_set(network=network, currency="EUR", year=None, rate="1.25")
        with pytest.raises(InvalidRate, match="Enter what 1 KES is worth"):
            services.funding_settings_update(network=network, base_currency="KES")
        assert services.funding_settings_get(network).base_currency == "USD"

    def test_switching_with_no_rates_at_all_just_switches(self) -> None:
        network = make_network()
        services.funding_settings_update(network=network, base_currency="KES")
        assert services.funding_settings_get(network).base_currency == "KES"


def test_stage_helper_reads_the_default_model() -> None:
    network = make_network()
    services.stages_ensure_default(network)
    assert stage(network, "phase-2").name == "Phase II"
