"""Reads of the field trackers: the pipeline, conversion to the base currency (year rates,
any-year rates, missing rates), funding totals by topic with roll-up and drill-down, the funding
gap on a hand-built field, what each viewer may see, and bounded query counts."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import timezone

from netweave.field import selectors, services
from netweave.field.models import Product
from netweave.field.tests.scenes import gap_field, org, stage, topic
from netweave.lib.testing import Cast
from netweave.library.models import Visibility
from netweave.networks.permissions import access_for

pytestmark = pytest.mark.django_db


def access(cast: Cast, who: str):  # type: ignore[no-untyped-def]
    from django.contrib.auth.models import AnonymousUser

    user = cast.user(who) or AnonymousUser()
    return access_for(user, cast.network)


class PipelineTests:
    def test_products_stand_in_stage_order_with_a_column_for_every_stage(self, cast: Cast) -> None:
        network = cast.network
        services.stages_ensure_default(network)
        services.product_create(network=network, name="Late", stage=stage(network, "phase-3"))
        services.product_create(network=network, name="Early", stage=stage(network, "discovery"))
        services.product_create(network=network, name="Unknown")
        board = selectors.pipeline(access=access(cast, "member"))
        names = [c.stage.slug if c.stage else None for c in board.columns]
        assert names == [None, "discovery", "preclinical", "phase-1", "phase-2", "phase-3",
                         "regulatory", "approved"]  # fmt: skip
        assert [p.name for p in board.columns[1].products] == ["Early"]
        assert board.total == 3

    def test_each_viewer_sees_the_products_of_their_rung(self, cast: Cast) -> None:
        network = cast.network
        for name, visibility in [
            ("Open", Visibility.PUBLIC),
            ("Inside", Visibility.NETWORK),
            ("Curators", Visibility.COORDINATORS),
        ]:
            services.product_create(network=network, name=name, visibility=visibility)
        seen = {
            who: sorted(p.name for p in selectors.products_visible_to(access(cast, who)))
            for who in ("anonymous", "outsider", "observer", "member", "steward", "coordinator")
        }
        assert seen["anonymous"] == seen["outsider"] == ["Open"]
        assert seen["observer"] == seen["member"] == ["Inside", "Open"]
        assert seen["steward"] == seen["coordinator"] == ["Curators", "Inside", "Open"]

    def test_a_topic_filter_takes_the_subtopics_along(self, cast: Cast) -> None:
        network = cast.network
        parent = topic(network, "Parent")
        child = topic(network, "Child", parent=parent)
        services.product_create(network=network, name="In child", topics=[child])
        services.product_create(network=network, name="Elsewhere")
        board = selectors.pipeline(access=access(cast, "member"), topic=parent)
        assert board.total == 1

    def test_the_pipeline_takes_the_same_queries_for_many_products(
        self, cast: Cast, django_assert_max_num_queries
    ) -> None:
        network = cast.network
        stages = services.stages_ensure_default(network)
        for n in range(30):
            services.product_create(
                network=network,
                name=f"Product {n}",
                stage=stages[n % len(stages)],
                developers=[org(f"Dev {n}"), org(f"Dev {n + 1}")],
                topics=[topic(network, f"T{n}")],
            )
        viewer = access(cast, "coordinator")
        with django_assert_max_num_queries(4):
            board = selectors.pipeline(access=viewer)
            names = [o.name for c in board.columns for p in c.products for o in p.developers.all()]
        assert len(names) == 60


class ConversionTests:
    def test_the_year_rate_wins_then_the_any_year_rate_and_no_rate_is_counted_apart(
        self, cast: Cast
    ) -> None:
        network = cast.network
        funder = org("Converting Fund")
        services.exchange_rate_set(network=network, currency="EUR", year=2023, rate="1.2")
        services.exchange_rate_set(network=network, currency="EUR", year=None, rate="1.0")
        for amount, currency, year in [
            (100, "EUR", 2023),  # 120 USD with the 2023 rate
            (100, "EUR", 2020),  # 100 USD with the any-year rate
            (50, "USD", 2020),  # 50 USD: the base currency
            (70, "GBP", 2021),  # no rate for GBP: left out, and said so
            (30, "GBP", 2022),
        ]:
            services.investment_create(
                network=network, funder=funder, amount=amount, currency=currency, year=year
            )
        summary = selectors.funding_summary(access=access(cast, "member"))
        assert summary.total == Decimal("270")
        assert summary.count == 3
        # Every year from the first to the last, the years without money included.
        assert summary.by_year == [
            (2020, Decimal("150")), (2021, Decimal("0")), (2022, Decimal("0")),
            (2023, Decimal("120")),
        ]  # fmt: skip
        [gbp] = summary.unconverted
        assert (gbp.currency, gbp.count, gbp.amount, gbp.year_list) == (
            "GBP", 2, Decimal("100"), [2021, 2022],
        )  # fmt: skip

    def test_rates_convert_into_the_base_currency_the_network_chose(self, cast: Cast) -> None:
        network = cast.network
        services.funding_settings_update(network=network, base_currency="EUR")
        services.exchange_rate_set(network=network, currency="USD", year=None, rate="0.5")
        services.investment_create(network=network, funder=org("F"), amount=10, year=2020)  # EUR
        services.investment_create(
            network=network, funder=org("F"), amount=10, currency="USD", year=2020
        )
        summary = selectors.funding_summary(access=access(cast, "member"))
        assert (summary.base_currency, summary.total) == ("EUR", Decimal("15"))


class FundingByTopicTests:
    def test_subtopics_roll_up_to_their_top_level_topic_and_drill_down_splits_them(
        self, cast: Cast
    ) -> None:
        network = cast.network
        health = topic(network, "Health")
        hiv = topic(network, "HIV", parent=health)
        prep = topic(network, "PrEP", parent=hiv)
        tb = topic(network, "TB", parent=health)
        water = topic(network, "Water")
        funder = org("Topic Fund")
        for amount, where in [
            (100, prep),
            (50, hiv),
            (30, tb),
            (20, health),
            (7, water),
            (3, None),
        ]:
            services.investment_create(
                network=network, funder=funder, amount=amount, year=2024, topic=where
            )
        viewer = access(cast, "member")
        top = selectors.funding_summary(access=viewer)
        assert [(r.topic.name if r.topic else None, r.amount) for r in top.by_topic] == [
            ("Health", Decimal("200")), ("Water", Decimal("7")), (None, Decimal("3")),
        ]  # fmt: skip
        assert top.by_topic[0].has_children
        drill = selectors.funding_summary(access=viewer, topic=health)
        assert [(r.topic.name, r.amount) for r in drill.by_topic] == [
            ("HIV", Decimal("150")), ("TB", Decimal("30")), ("Health", Decimal("20")),
        ]  # fmt: skip
        assert drill.total == Decimal("200")

    def test_an_investment_without_a_topic_counts_for_its_products_topics_evenly(
        self, cast: Cast
    ) -> None:
        network = cast.network
        b, c = topic(network, "B"), topic(network, "C")
        product = services.product_create(network=network, name="Two topics", topics=[b, c])
        services.investment_create(
            network=network, funder=org("F"), amount=100, year=2024, product=product
        )
        summary = selectors.funding_summary(access=access(cast, "member"))
        assert {r.topic.name: r.amount for r in summary.by_topic} == {
            "B": Decimal("50"),
            "C": Decimal("50"),
        }
        assert summary.total == Decimal("100")

    def test_by_funder_and_flows_add_up(self, cast: Cast) -> None:
        network = cast.network
        big, small, lab = org("Big Fund"), org("Small Fund"), org("Lab")
        services.investment_create(network=network, funder=big, recipient=lab, amount=70, year=2024)
        services.investment_create(network=network, funder=big, recipient=lab, amount=30, year=2023)
        services.investment_create(network=network, funder=small, amount=5, year=2024)
        summary = selectors.funding_summary(access=access(cast, "member"))
        assert [(f.funder.name, f.amount, f.count) for f in summary.by_funder] == [
            ("Big Fund", Decimal("100"), 2), ("Small Fund", Decimal("5"), 1),
        ]  # fmt: skip
        assert [(f.funder.name, f.recipient.name if f.recipient else None, f.amount)
                for f in summary.flows] == [("Big Fund", "Lab", Decimal("100")),
                                            ("Small Fund", None, Decimal("5"))]  # fmt: skip

    def test_a_coordinators_only_investment_is_never_in_a_members_totals(self, cast: Cast) -> None:
        network = cast.network
        services.investment_create(network=network, funder=org("Open"), amount=10, year=2024)
        services.investment_create(
            network=network,
            funder=org("Secret"),
            amount=1000,
            year=2024,
            visibility=Visibility.COORDINATORS,
        )
        member = selectors.funding_summary(access=access(cast, "member"))
        coordinator = selectors.funding_summary(access=access(cast, "coordinator"))
        assert member.total == Decimal("10")
        assert [f.funder.name for f in member.by_funder] == ["Open"]
        assert coordinator.total == Decimal("1010")

    def test_funding_takes_the_same_queries_for_many_investments(
        self, cast: Cast, django_assert_max_num_queries
    ) -> None:
        network = cast.network
        topics = [topic(network, f"T{n}") for n in range(5)]
        products = [
            services.product_create(network=network, name=f"P{n}", topics=topics[:2])
            for n in range(5)
        ]
        services.exchange_rate_set(network=network, currency="EUR", year=None, rate="1.1")
        for n in range(60):
            services.investment_create(
                network=network,
                funder=org(f"Funder {n % 7}"),
                recipient=org(f"Recipient {n % 5}"),
                amount=100 + n,
                currency="EUR" if n % 2 else "USD",
                year=2015 + n % 10,
                topic=topics[n % 5] if n % 3 else None,
                product=products[n % 5],
            )
        viewer = access(cast, "coordinator")
        with django_assert_max_num_queries(6):
            summary = selectors.funding_summary(access=viewer)
            selectors.funding_charts(summary, {"no_topic": "-", "funding": "F"})
        assert summary.count == 60


class FundingGapTests:
    def test_a_member_sees_the_gaps_ranked_as_worked_out_by_hand(self, cast: Cast) -> None:
        field = gap_field(cast.network)
        gaps = selectors.funding_gaps(access=access(cast, "member"))
        rows = [(r.topic.name, r.resources, r.products, r.changes, r.funding) for r in gaps.topics]
        assert rows == [
            ("Diagnostics", 1, 1, 1, Decimal("0")),
            ("Vaccines", 2, 1, 1, Decimal("600")),
            ("Therapeutics", 1, 0, 0, Decimal("600")),
        ]
        assert [round(r.score, 4) for r in gaps.topics] == [0.375, 0.0, -0.375]
        assert [r.topic for r in gaps.gaps] == [field.b]
        assert field.d not in [r.topic for r in gaps.topics]  # no activity, no funding
        # Beta (Diagnostics) had no investment at all: flagged, and listed first.
        assert [(p.product.name, p.unfunded) for p in gaps.products] == [
            ("Beta", True),
            ("Alpha", False),
        ]

    def test_a_coordinator_sees_every_row_and_so_another_ranking(self, cast: Cast) -> None:
        gap_field(cast.network)
        gaps = selectors.funding_gaps(access=access(cast, "coordinator"))
        assert [(r.topic.name, round(r.score, 3)) for r in gaps.topics] == [
            ("Vaccines", round(4 / 9 - 600 / 2200, 3)),
            ("Diagnostics", round(4 / 9 - 1000 / 2200, 3)),
            ("Therapeutics", round(1 / 9 - 600 / 2200, 3)),
        ]
        assert gaps.total_funding == Decimal("2200")

    def test_a_longer_period_brings_older_funding_in(self, cast: Cast) -> None:
        gap_field(cast.network)
        gaps = selectors.funding_gaps(access=access(cast, "member"), years=12)
        diagnostics = next(r for r in gaps.topics if r.topic.name == "Diagnostics")
        assert diagnostics.funding == Decimal("5000")
        assert not diagnostics.is_gap

    def test_drilling_into_a_topic_ranks_its_subtopics(self, cast: Cast) -> None:
        field = gap_field(cast.network)
        gaps = selectors.funding_gaps(access=access(cast, "member"), topic=field.a)
        # A itself: one resource; A1: two resources, Alpha and its change, all the funding.
        assert [(r.topic.name, r.activity, r.funding) for r in gaps.topics] == [
            ("Vaccines", 1, Decimal("0")),
            ("Mucosal vaccines", 4, Decimal("600")),
        ]

    def test_unconverted_funding_is_reported_not_dropped(self, cast: Cast) -> None:
        field = gap_field(cast.network)
        services.investment_create(
            network=cast.network,
            funder=org("Yen Fund"),
            amount=1_000_000,
            currency="JPY",
            year=timezone.localdate().year,
            product=field.beta,
        )
        gaps = selectors.funding_gaps(access=access(cast, "member"))
        assert [(u.currency, u.count) for u in gaps.unconverted] == [("JPY", 1)]
        beta = next(p for p in gaps.products if p.product == field.beta)
        assert not beta.unfunded  # it has an investment, even if it is not converted yet

    def test_the_gap_view_takes_a_fixed_number_of_queries(
        self, cast: Cast, django_assert_max_num_queries
    ) -> None:
        gap_field(cast.network)
        for n in range(20):
            services.product_create(
                network=cast.network, name=f"Extra {n}", kind=Product.Kind.DEVICE
            )
        with django_assert_max_num_queries(12):
            gaps = selectors.funding_gaps(access=access(cast, "coordinator"))
            selectors.gap_chart(gaps, {"activity": "A", "funding": "F"})
        assert len(gaps.products) == 22


class TimelineTests:
    def test_changes_come_newest_first_and_only_for_visible_products(self, cast: Cast) -> None:
        from datetime import date

        network = cast.network
        stages = services.stages_ensure_default(network)
        seen = services.product_create(
            network=network, name="Seen", stage=stages[1], stage_date=date(2020, 1, 1)
        )
        services.product_change_stage(product=seen, stage=stages[2], date=date(2022, 1, 1))
        services.product_create(
            network=network,
            name="Hidden",
            stage=stages[1],
            stage_date=date(2023, 1, 1),
            visibility=Visibility.COORDINATORS,
        )
        member = list(selectors.stage_changes_visible_to(access=access(cast, "member")))
        assert [(c.product.name, c.date.year) for c in member] == [("Seen", 2022), ("Seen", 2020)]
        chart = selectors.timeline_chart(access=access(cast, "member"), changes=member)
        assert chart.labels == ["2020", "2021", "2022"]
        assert [d["label"] for d in chart.datasets] == ["Preclinical", "Phase I"]
        assert [d["data"] for d in chart.datasets] == [[1, 0, 0], [0, 0, 1]]
