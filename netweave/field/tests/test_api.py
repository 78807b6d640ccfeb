"""API v1 for the field trackers: round trips through every operation, who may read and write
what, the errors that say what to fix (400) and the rules that clash with the current state
(409), and totals that never include what the caller may not see."""

from __future__ import annotations

from datetime import date, timedelta
from typing import get_args

import pytest
from django.utils import timezone

from netweave.api.tests.conftest import ApiCaller
from netweave.field import api as field_api
from netweave.field import services
from netweave.field.models import Investment, Product, ProductStage, StageChange
from netweave.field.tests.scenes import gap_field, org, resource, stage, topic
from netweave.lib.testing import Cast
from netweave.library.models import Visibility

pytestmark = pytest.mark.django_db

BASE = "/networks/cast"


class ChoicesTests:
    def test_the_literal_names_match_the_model_choices(self) -> None:
        assert set(get_args(field_api.KindName)) == set(Product.Kind.values)
        assert set(get_args(field_api.VisibilityName)) == set(Visibility.values)


class StageModelApiTests:
    def test_a_steward_adds_renames_moves_and_removes_a_stage(
        self, cast: Cast, api: ApiCaller
    ) -> None:
        services.stages_ensure_default(cast.network)
        made = api.post("steward", f"{BASE}/product-stages", {"name": "Post-market"})
        assert made.status == 201, made.body
        assert (made.body["slug"], made.body["position"]) == ("post-market", 7)
        moved = api.patch(
            "steward",
            f"{BASE}/product-stages/{made.body['id']}",
            {"name": "Surveillance", "position": 0},
        )
        assert (moved.body["name"], moved.body["position"]) == ("Surveillance", 0)
        listed = api.get("anonymous", f"{BASE}/product-stages")
        assert [s["slug"] for s in listed.body][:2] == ["post-market", "discovery"]
        gone = api.delete("steward", f"{BASE}/product-stages/{made.body['id']}")
        assert gone.status == 204
        assert not ProductStage.objects.filter(pk=made.body["id"]).exists()

    def test_a_stage_in_use_is_a_conflict_with_what_to_do(self, cast: Cast, api: ApiCaller) -> None:
        services.stages_ensure_default(cast.network)
        services.product_create(
            network=cast.network, name="P", stage=stage(cast.network, "phase-1")
        )
        answer = api.delete(
            "coordinator", f"{BASE}/product-stages/{stage(cast.network, 'phase-1').pk}"
        )
        assert answer.status == 409
        assert "Rename it instead" in answer.error

    def test_members_cannot_change_the_stage_model(self, cast: Cast, api: ApiCaller) -> None:
        answer = api.post("member", f"{BASE}/product-stages", {"name": "Mine"})
        assert answer.status == 403
        assert answer.error == "Only stewards and coordinators change the field trackers."


class ProductApiTests:
    def test_a_product_round_trip(self, cast: Cast, api: ApiCaller) -> None:
        network = cast.network
        services.stages_ensure_default(network)
        prevention = topic(network, "Prevention")
        known = org("Kenya Medical Research Institute")  # the member's organization
        report = resource(network, "Trial report", [prevention])
        made = api.post(
            "coordinator",
            f"{BASE}/products",
            {
                "name": "Dapivirine ring",
                "kind": "drug",
                "stage_id": stage(network, "phase-3").pk,
                "stage_date": "2020-06-01",
                "stage_source": "https://registry.example.org/ring",
                "developer_ids": [known.pk],
                "developer_names": ["Ring Partners"],
                "indications": ["HIV prevention"],
                "topic_ids": [prevention.pk],
                "resource_ids": [report.pk],
                "visibility": "public",
            },
        )
        assert made.status == 201, made.body
        product_id = made.body["id"]
        assert made.body["stage"]["slug"] == "phase-3"
        assert [d["name"] for d in made.body["developers"]] == [
            "Kenya Medical Research Institute",
            "Ring Partners",
        ]
        assert made.body["history"][0]["source"] == "https://registry.example.org/ring"
        assert made.body["url"] == f"/n/cast/field/products/{product_id}/"

        moved = api.post(
            "coordinator",
            f"{BASE}/products/{product_id}/stage-changes",
            {"stage_id": stage(network, "regulatory").pk, "date": "2023-01-10", "source": "EMA"},
        )
        assert moved.status == 201, moved.body
        assert [(c["from_stage"] and c["from_stage"]["slug"], c["stage"]["slug"])
                for c in moved.body["history"]] == [(None, "phase-3"), ("phase-3", "regulatory")]  # fmt: skip

        changed = api.patch(
            "steward", f"{BASE}/products/{product_id}", {"website": "https://ring.example.org"}
        )
        assert changed.status == 200 and changed.body["website"] == "https://ring.example.org"
        assert changed.body["kind"] == "drug"  # left out, so kept

        read = api.get("anonymous", f"{BASE}/products/{product_id}")
        assert read.status == 200 and read.body["resources"] == []  # the report is network-only
        assert api.get("member", f"{BASE}/products/{product_id}").body["resources"] == [
            {"id": report.pk, "title": "Trial report"}
        ]
        listed = api.get("anonymous", f"{BASE}/products", {"stage": "regulatory"})
        assert [p["name"] for p in listed.body["items"]] == ["Dapivirine ring"]
        timeline = api.get("anonymous", f"{BASE}/stage-changes", {"product_id": product_id})
        assert [c["date"] for c in timeline.body["items"]] == ["2023-01-10", "2020-06-01"]

        assert api.delete("coordinator", f"{BASE}/products/{product_id}").status == 204
        assert not Product.objects.filter(pk=product_id).exists()

    def test_a_future_date_is_bad_input_that_names_the_field(
        self, cast: Cast, api: ApiCaller
    ) -> None:
        services.stages_ensure_default(cast.network)
        product = services.product_create(network=cast.network, name="P")
        tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
        answer = api.post(
            "coordinator",
            f"{BASE}/products/{product.pk}/stage-changes",
            {"stage_id": stage(cast.network, "phase-1").pk, "date": tomorrow},
        )
        assert answer.status == 400
        assert answer.error.startswith("date: this date is in the future")

    def test_the_stage_it_is_already_at_is_a_conflict(self, cast: Cast, api: ApiCaller) -> None:
        services.stages_ensure_default(cast.network)
        phase1 = stage(cast.network, "phase-1")
        product = services.product_create(
            network=cast.network, name="P", stage=phase1, stage_date=date(2020, 1, 1)
        )
        answer = api.post(
            "coordinator",
            f"{BASE}/products/{product.pk}/stage-changes",
            {"stage_id": phase1.pk, "date": "2021-01-01"},
        )
        assert answer.status == 409 and "already at" in answer.error
        assert StageChange.objects.filter(product=product).count() == 1

    def test_a_name_taken_is_a_conflict(self, cast: Cast, api: ApiCaller) -> None:
        services.product_create(network=cast.network, name="Taken")
        answer = api.post("coordinator", f"{BASE}/products", {"name": "TAKEN"})
        assert answer.status == 409

    def test_ids_from_another_network_are_bad_input(self, cast: Cast, api: ApiCaller) -> None:
        foreign_stage = services.stages_ensure_default(cast.other_network)[0]
        foreign_topic = topic(cast.other_network, "Elsewhere")
        answer = api.post(
            "coordinator", f"{BASE}/products", {"name": "P", "stage_id": foreign_stage.pk}
        )
        assert answer.status == 400 and answer.error.startswith("stage_id:")
        answer = api.post(
            "coordinator", f"{BASE}/products", {"name": "P", "topic_ids": [foreign_topic.pk]}
        )
        assert answer.status == 400 and answer.error.startswith("topic_ids:")
        assert not Product.objects.filter(network=cast.network).exists()

    def test_another_networks_product_is_not_found(self, cast: Cast, api: ApiCaller) -> None:
        foreign = services.product_create(
            network=cast.other_network, name="Foreign", visibility=Visibility.PUBLIC
        )
        assert api.get("coordinator", f"{BASE}/products/{foreign.pk}").status == 404
        assert api.delete("coordinator", f"{BASE}/products/{foreign.pk}").status == 404
        assert Product.objects.filter(pk=foreign.pk).exists()

    def test_each_caller_lists_the_products_of_their_rung(self, cast: Cast, api: ApiCaller) -> None:
        for name, visibility in [
            ("Open", Visibility.PUBLIC),
            ("Inside", Visibility.NETWORK),
            ("Curators", Visibility.COORDINATORS),
        ]:
            services.product_create(network=cast.network, name=name, visibility=visibility)
        names = {
            who: [p["name"] for p in api.get(who, f"{BASE}/products").body["items"]]
            for who in ("anonymous", "outsider", "member", "steward")
        }
        assert names == {
            "anonymous": ["Open"],
            "outsider": ["Open"],
            "member": ["Inside", "Open"],
            "steward": ["Curators", "Inside", "Open"],
        }
        hidden = Product.objects.get(name="Curators")
        assert api.get("member", f"{BASE}/products/{hidden.pk}").status == 404

    def test_the_list_takes_the_same_queries_for_many_products(
        self, cast: Cast, api: ApiCaller, django_assert_max_num_queries
    ) -> None:
        stages = services.stages_ensure_default(cast.network)
        for n in range(30):
            services.product_create(
                network=cast.network,
                name=f"P{n}",
                stage=stages[n % 7],
                developers=[org(f"D{n}")],
                topics=[topic(cast.network, f"T{n}")],
            )
        client = api.client("member")
        with django_assert_max_num_queries(10):
            answer = api.get("member", f"{BASE}/products", client=client)
        assert answer.body["count"] == 30


class InvestmentApiTests:
    def test_an_investment_round_trip(self, cast: Cast, api: ApiCaller) -> None:
        network = cast.network
        hiv = topic(network, "HIV")
        services.exchange_rate_set(network=network, currency="EUR", year=2023, rate="1.1")
        made = api.post(
            "coordinator",
            f"{BASE}/investments",
            {
                "funder_name": "New Philanthropy",
                "recipient_name": "Kenya Medical Research Institute",
                "amount": "1000.00",
                "currency": "eur",
                "year": 2023,
                "topic_id": hiv.pk,
                "visibility": "public",
            },
        )
        assert made.status == 201, made.body
        assert (made.body["amount"], made.body["currency"], made.body["amount_in_base"]) == (
            "1000.00", "EUR", "1100.00",
        )  # fmt: skip
        investment_id = made.body["id"]
        changed = api.patch(
            "steward", f"{BASE}/investments/{investment_id}", {"year": 2024, "topic_id": None}
        )
        assert changed.status == 200, changed.body
        assert (changed.body["year"], changed.body["topic"]) == (2024, None)
        assert changed.body["amount_in_base"] is None  # no EUR rate for 2024 (nor any year)
        read = api.get("anonymous", f"{BASE}/investments/{investment_id}")
        assert read.body["funder"]["name"] == "New Philanthropy"
        listed = api.get("anonymous", f"{BASE}/investments", {"year": 2024})
        assert [i["id"] for i in listed.body["items"]] == [investment_id]
        assert api.delete("coordinator", f"{BASE}/investments/{investment_id}").status == 204
        assert not Investment.objects.exists()

    def test_a_funder_is_needed_and_bad_amounts_are_refused(
        self, cast: Cast, api: ApiCaller
    ) -> None:
        answer = api.post("coordinator", f"{BASE}/investments", {"amount": "10", "year": 2020})
        assert answer.status == 400 and "funder" in answer.error
        answer = api.post(
            "coordinator",
            f"{BASE}/investments",
            {"funder_name": "F", "amount": "-5", "year": 2020},
        )
        assert answer.status == 400 and answer.error.startswith("amount:")
        answer = api.post(
            "coordinator",
            f"{BASE}/investments",
            {"funder_name": "F", "amount": "5", "year": 2020, "currency": "dollars"},
        )
        assert answer.status == 400 and "not a currency code" in answer.error
        assert not Investment.objects.exists()

    def test_a_funder_id_must_be_known_in_the_network(self, cast: Cast, api: ApiCaller) -> None:
        stranger = org("Stranger Org")  # exists, but nobody here is affiliated with it
        answer = api.post(
            "coordinator",
            f"{BASE}/investments",
            {"funder_id": stranger.pk, "amount": "5", "year": 2020},
        )
        assert answer.status == 400 and "funder_id" in answer.error

    def test_a_coordinators_only_investment_never_reaches_members(
        self, cast: Cast, api: ApiCaller
    ) -> None:
        field = gap_field(cast.network)
        listed = api.get("member", f"{BASE}/investments")
        assert "Quiet Trust" not in [i["funder"]["name"] for i in listed.body["items"]]
        assert api.get("member", f"{BASE}/investments/{field.secret.pk}").status == 404
        member = api.get("member", f"{BASE}/funding").body
        assert member["total"] == "6200.00"  # 600 + 400 EUR at 1.5 + the old 5,000
        assert "Quiet Trust" not in [f["funder"]["name"] for f in member["by_funder"]]
        coordinator = api.get("coordinator", f"{BASE}/funding").body
        assert coordinator["total"] == "7200.00"
        assert "Quiet Trust" in [f["funder"]["name"] for f in coordinator["by_funder"]]


class RatesAndFundingApiTests:
    def test_rates_are_set_removed_and_the_base_switched_all_or_nothing(
        self, cast: Cast, api: ApiCaller
    ) -> None:
        answer = api.post(
            "steward",
            f"{BASE}/exchange-rates",
            {"rates": [
                {"currency": "EUR", "year": None, "rate": "1.25"},
                {"currency": "GBP", "year": 2023, "rate": "1.5"},
            ]},
        )  # fmt: skip
        assert answer.status == 200, answer.body
        assert [(r["currency"], r["year"], r["rate"]) for r in answer.body["rates"]] == [
            ("EUR", None, "1.25000000"),
            ("GBP", 2023, "1.50000000"),
        ]
        refused = api.post(
            "steward",
            f"{BASE}/exchange-rates",
            {"base_currency": "KES", "rates": [{"currency": "GBP", "year": 2023, "rate": None}]},
        )
        assert refused.status == 409
        assert api.get("steward", f"{BASE}/exchange-rates").body["base_currency"] == "USD"
        switched = api.post(
            "steward",
            f"{BASE}/exchange-rates",
            {"base_currency": "EUR", "rates": [{"currency": "GBP", "year": 2023, "rate": None}]},
        )
        assert switched.status == 200, switched.body
        assert switched.body["base_currency"] == "EUR"
        assert [(r["currency"], r["year"], r["rate"]) for r in switched.body["rates"]] == [
            ("USD", None, "0.80000000"),
        ]

    def test_members_do_not_see_the_rates(self, cast: Cast, api: ApiCaller) -> None:
        assert api.get("member", f"{BASE}/exchange-rates").status == 403
        assert api.get("anonymous", f"{BASE}/exchange-rates").status == 401

    def test_missing_rates_are_listed(self, cast: Cast, api: ApiCaller) -> None:
        services.investment_create(
            network=cast.network, funder=org("F"), amount=1, currency="KES", year=2021
        )
        answer = api.get("coordinator", f"{BASE}/exchange-rates")
        assert answer.body["missing"] == [{"currency": "KES", "years": [2021]}]

    def test_the_funding_summary_counts_the_unconverted_apart(
        self, cast: Cast, api: ApiCaller
    ) -> None:
        services.investment_create(network=cast.network, funder=org("A"), amount=10, year=2023)
        services.investment_create(
            network=cast.network, funder=org("B"), amount=7, currency="JPY", year=2023
        )
        body = api.get("anonymous", f"{BASE}/funding").body
        assert (body["total"], body["count"]) == ("0.00", 0)  # both network-only
        body = api.get("member", f"{BASE}/funding").body
        assert (body["total"], body["count"], body["base_currency"]) == ("10.00", 1, "USD")
        assert body["unconverted"] == [
            {"currency": "JPY", "count": 1, "amount": "7.00", "years": [2023]}
        ]
        assert body["by_year"] == [{"year": 2023, "amount": "10.00"}]

    def test_the_summary_drills_into_a_topic(self, cast: Cast, api: ApiCaller) -> None:
        gap_field(cast.network)
        body = api.get("member", f"{BASE}/funding", {"topic": "vaccines"}).body
        assert body["topic"]["slug"] == "vaccines"
        assert [(r["topic"]["name"], r["amount"]) for r in body["by_topic"]] == [
            ("Mucosal vaccines", "600.00")
        ]
        assert api.get("member", f"{BASE}/funding", {"topic": "nope"}).status == 400

    def test_the_gaps_rank_as_worked_out_by_hand(self, cast: Cast, api: ApiCaller) -> None:
        gap_field(cast.network)
        body = api.get("member", f"{BASE}/funding/gaps").body
        assert [(t["topic"]["name"], t["score"], t["is_gap"]) for t in body["topics"]] == [
            ("Diagnostics", 0.375, True),
            ("Vaccines", 0.0, False),
            ("Therapeutics", -0.375, False),
        ]
        assert [(p["product"]["name"], p["unfunded"]) for p in body["products"]] == [
            ("Beta", True),
            ("Alpha", False),
        ]
        assert "share of all activity minus its share of all funding" in body["formula"]
        assert api.get("member", f"{BASE}/funding/gaps", {"years": 0}).status == 400
