"""An investment a member may see can name a product they may not (a coordinators-only one):
the product's name, link and topics stay hidden from them on every page, export and API answer,
while curators see it."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from netweave.api.tests.conftest import ApiCaller
from netweave.field import selectors, services
from netweave.field.models import Investment, Product
from netweave.field.tests.scenes import org, topic
from netweave.lib.testing import Cast
from netweave.library.models import Visibility
from netweave.networks.permissions import access_for

pytestmark = pytest.mark.django_db

SECRET = "Project Nightjar"


@pytest.fixture
def hidden(cast: Cast) -> Investment:
    """A network-visible investment in a coordinators-only product filed under "Vaccines"."""
    vaccines = topic(cast.network, "Vaccines")
    product = services.product_create(
        network=cast.network,
        name=SECRET,
        kind=Product.Kind.VACCINE,
        topics=[vaccines],
        visibility=Visibility.COORDINATORS,
    )
    return services.investment_create(
        network=cast.network,
        funder=org("Open Fund"),
        amount=Decimal("250"),
        year=timezone.localdate().year,
        product=product,
        visibility=Visibility.NETWORK,
    )


def _client(cast: Cast, who: str) -> Client:
    client = Client()
    user = cast.user(who)
    if user is not None:
        client.force_login(user)
    return client


def _url(name: str) -> str:
    return reverse(f"field:{name}", kwargs={"network_slug": "cast"})


class HiddenProductPagesTests:
    def test_the_investments_page_does_not_name_it_to_a_member(
        self, cast: Cast, hidden: Investment
    ) -> None:
        page = _client(cast, "member").get(_url("investments")).content.decode()
        assert "Open Fund" in page
        assert SECRET not in page
        assert SECRET in _client(cast, "coordinator").get(_url("investments")).content.decode()

    def test_the_investments_export_does_not_name_it_to_a_member(
        self, cast: Cast, hidden: Investment
    ) -> None:
        answer = _client(cast, "member").get(_url("export_investments"))
        rows = list(csv.reader(io.StringIO(answer.content.decode())))
        assert len(rows) == 2
        assert rows[1][rows[0].index("product")] == ""
        answer = _client(cast, "coordinator").get(_url("export_investments"))
        assert SECRET in answer.content.decode()


class HiddenProductApiTests:
    def test_the_investment_list_and_read_do_not_name_it_to_a_member(
        self, cast: Cast, hidden: Investment
    ) -> None:
        api = ApiCaller(cast)
        listed = api.get("member", "/networks/cast/investments")
        assert listed.status == 200
        assert [row["product"] for row in listed.body["items"]] == [None]
        read = api.get("member", f"/networks/cast/investments/{hidden.pk}")
        assert read.body["product"] is None
        narrowed = api.get("member", f"/networks/cast/investments?product_id={hidden.product_id}")
        assert narrowed.body["count"] == 0
        seen = api.get("coordinator", f"/networks/cast/investments/{hidden.pk}")
        assert seen.body["product"]["name"] == SECRET


class HiddenProductTotalsTests:
    def test_its_topics_do_not_file_the_money_for_a_member(
        self, cast: Cast, hidden: Investment
    ) -> None:
        member = selectors.funding_summary(access=access_for(cast.user("member"), cast.network))
        assert [(row.topic, row.amount) for row in member.by_topic] == [(None, Decimal(250))]
        curator = selectors.funding_summary(
            access=access_for(cast.user("coordinator"), cast.network)
        )
        assert [row.topic.name for row in curator.by_topic if row.topic] == ["Vaccines"]


class HiddenProductStageCountTests:
    def test_the_stage_model_counts_only_the_products_the_caller_may_see(
        self, cast: Cast, hidden: Investment
    ) -> None:
        stages = services.stages_ensure_default(cast.network)
        product = Product.objects.get(name=SECRET)
        services.product_change_stage(product=product, stage=stages[2], date=timezone.localdate())
        api = ApiCaller(cast)
        counts = {
            who: {
                s["slug"]: s["products"] for s in api.get(who, "/networks/cast/product-stages").body
            }
            for who in ("anonymous", "member", "coordinator")
        }
        assert counts["anonymous"][stages[2].slug] == 0
        assert counts["member"][stages[2].slug] == 0
        assert counts["coordinator"][stages[2].slug] == 1
