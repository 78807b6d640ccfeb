"""The API lists and the CSV exports of the field trackers take the same number of queries for
many rows as for a few (no query per row)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from netweave.api.tests.conftest import ApiCaller
from netweave.field import services
from netweave.field.models import Product
from netweave.field.tests.scenes import org, topic
from netweave.lib.testing import Cast
from netweave.library.models import Visibility

pytestmark = pytest.mark.django_db

BASE = "/networks/cast"


@pytest.fixture
def busy_field(cast: Cast) -> None:
    """30 products, each with a developer, a topic and two stage changes, and an investment in
    each (every third one in a coordinators-only product)."""
    stages = services.stages_ensure_default(cast.network)
    for n in range(30):
        product = services.product_create(
            network=cast.network,
            name=f"P{n}",
            stage=stages[0],
            developers=[org(f"D{n}")],
            topics=[topic(cast.network, f"T{n}")],
            visibility=Visibility.COORDINATORS if n % 3 == 0 else Visibility.NETWORK,
        )
        services.product_change_stage(product=product, stage=stages[1], date=timezone.localdate())
        services.investment_create(
            network=cast.network,
            funder=org(f"F{n}"),
            recipient=org(f"D{n}"),
            amount=100 + n,
            currency="EUR" if n % 2 else "",
            year=2024,
            topic=None if n % 2 else product.topics.first(),
            product=product,
        )


class ApiListQueryTests:
    @pytest.mark.parametrize(
        "path", ["investments", "stage-changes", "funding", "funding/gaps", "products"]
    )
    def test_a_list_takes_a_bounded_number_of_queries(
        self, cast: Cast, busy_field: None, path: str, django_assert_max_num_queries
    ) -> None:
        api = ApiCaller(cast)
        client = api.client("member")
        api.get("member", f"{BASE}/{path}", client=client)
        with django_assert_max_num_queries(16):
            answer = api.get("member", f"{BASE}/{path}", client=client)
        assert answer.status == 200, answer.body


class ExportQueryTests:
    @pytest.mark.parametrize(
        "name", ["export_products", "export_stage_history", "export_investments"]
    )
    def test_an_export_takes_a_bounded_number_of_queries(
        self, cast: Cast, busy_field: None, name: str, django_assert_max_num_queries
    ) -> None:
        client = Client()
        client.force_login(cast.user("coordinator"))  # type: ignore[arg-type]
        address = reverse(f"field:{name}", kwargs={"network_slug": "cast"})
        client.get(address)
        with django_assert_max_num_queries(12):
            answer = client.get(address)
        assert answer.status_code == 200
        assert len(answer.content.decode().splitlines()) > 30

    def test_a_product_page_takes_a_bounded_number_of_queries(
        self, cast: Cast, busy_field: None, django_assert_max_num_queries
    ) -> None:
        client = Client()
        client.force_login(cast.user("member"))  # type: ignore[arg-type]
        product = Product.objects.get(name="P1")
        address = reverse(
            "field:product", kwargs={"network_slug": "cast", "product_id": product.pk}
        )
        client.get(address)
        with django_assert_max_num_queries(20):
            assert client.get(address).status_code == 200
