"""Permission entries, URL parameter fillers and rows for the walk (see permission_areas.py):
the field trackers (netweave/field).

Reading is "public catalogue, public resources": everyone who can see the network sees its public
products and investments (observers and up also the network's own, curators every row; each page
filters its rows, so the walk's rows are public). Exports hold the same rows as the pages, no
more, so they are open like the pages. Writing is curation: stewards and coordinators."""

from __future__ import annotations

from datetime import date
from typing import Any

from netweave.tests.perm_rules import Who
from netweave.tests.permission_table import ApiOp, Page, Row

_READ = Page(Row.PUBLIC, get=Who.EVERYONE, post=Who.NO_ONE)
_EXPORT = Page(
    Row.PUBLIC,
    get=Who.EVERYONE,
    post=Who.NO_ONE,
    note="the rows the reader can see on the pages, no more (curators: every row)",
)
_CURATE = Page(Row.SETTINGS, get=Who.STEWARD_UP, post=Who.STEWARD_UP)
_CURATE_POST = Page(Row.SETTINGS, get=Who.NO_ONE, post=Who.STEWARD_UP)

# Rows named in URLs: another network's are not found through this network's URLs.
OBJECT_PARAMS = {"product_id", "investment_id", "stage_id", "rate_id"}

PAGES: dict[str, Page] = {
    "field:pipeline": _READ,
    "field:product": Page(
        Row.PUBLIC,
        get=Who.EVERYONE,
        post=Who.NO_ONE,
        note="a public product; a product the reader may not see answers 404",
    ),
    "field:timeline": _READ,
    "field:investments": _READ,
    "field:funding": _READ,
    "field:funding_gaps": _READ,
    "field:export_products": _EXPORT,
    "field:export_stage_history": _EXPORT,
    "field:export_investments": _EXPORT,
    "field:product_new": _CURATE,
    "field:product_edit": _CURATE,
    "field:product_delete": _CURATE,
    "field:product_stage": _CURATE,
    "field:stages": _CURATE,
    "field:stage_action": _CURATE_POST,
    "field:investment_new": _CURATE,
    "field:investment_edit": _CURATE,
    "field:investment_delete": _CURATE,
    "field:rates": _CURATE,
    "field:rate_delete": _CURATE_POST,
}

API: dict[str, ApiOp] = {
    # reading: every row the caller may see
    "product_stages_list": ApiOp(Row.PUBLIC, Who.EVERYONE),
    "products_list": ApiOp(Row.PUBLIC, Who.EVERYONE),
    "products_read": ApiOp(Row.PUBLIC, Who.EVERYONE, note="a public product"),
    "stage_changes_list": ApiOp(Row.PUBLIC, Who.EVERYONE),
    "investments_list": ApiOp(Row.PUBLIC, Who.EVERYONE),
    "investments_read": ApiOp(Row.PUBLIC, Who.EVERYONE, note="a public investment"),
    "funding_summary": ApiOp(Row.PUBLIC, Who.EVERYONE),
    "funding_gaps": ApiOp(Row.PUBLIC, Who.EVERYONE),
    # curation: stewards and coordinators
    "product_stages_create": ApiOp(Row.SETTINGS, Who.STEWARD_UP, body={"name": "Walk stage"}),
    "product_stages_update": ApiOp(Row.SETTINGS, Who.STEWARD_UP, body={"name": "Walk renamed"}),
    "product_stages_delete": ApiOp(
        Row.SETTINGS, Who.STEWARD_UP, note="the walk's stage is in use: 409 past the check"
    ),
    "products_create": ApiOp(Row.SETTINGS, Who.STEWARD_UP, body={"name": "Walk product 2"}),
    "products_update": ApiOp(Row.SETTINGS, Who.STEWARD_UP, body={"kind": "drug"}),
    "products_delete": ApiOp(Row.SETTINGS, Who.STEWARD_UP),
    "products_change_stage": ApiOp(
        Row.SETTINGS,
        Who.STEWARD_UP,
        body={"stage_id": 1, "date": "2020-01-01"},
        note="a stage of another network, or the stage it is at, is refused past the check",
    ),
    "investments_create": ApiOp(
        Row.SETTINGS,
        Who.STEWARD_UP,
        body={"funder_name": "Walk Funder", "amount": "100.00", "year": 2020},
    ),
    "investments_update": ApiOp(Row.SETTINGS, Who.STEWARD_UP, body={"title": "Changed"}),
    "investments_delete": ApiOp(Row.SETTINGS, Who.STEWARD_UP),
    "exchange_rates_list": ApiOp(Row.SETTINGS, Who.STEWARD_UP),
    "exchange_rates_set": ApiOp(
        Row.SETTINGS,
        Who.STEWARD_UP,
        body={"rates": [{"currency": "GBP", "year": None, "rate": "1.25"}]},
    ),
}

FILLERS: dict[str, Any] = {
    "product_id": lambda w, role: w.extras["field_product"].pk,
    "investment_id": lambda w, role: w.extras["field_investment"].pk,
    "stage_id": lambda w, role: w.extras["field_stage"].pk,
    "rate_id": lambda w, role: w.extras["field_rate"].pk,
}


def build(cast: Any, network: Any, person: Any, other: Any) -> dict[str, Any]:
    """The default stage model, a public product at a stage (with its history), a public
    investment in it and an exchange rate."""
    from netweave.field.models import Visibility
    from netweave.field.services import (
        exchange_rate_set,
        investment_create,
        organizations_from_names,
        product_create,
        stages_ensure_default,
    )

    stages = stages_ensure_default(network)
    funder, developer = organizations_from_names(["Walk Funder", "Walk Developer"])
    product = product_create(
        network=network,
        name="Walk product",
        kind="vaccine",
        stage=stages[2],
        stage_date=date(2021, 3, 1),
        developers=[developer],
        visibility=Visibility.PUBLIC,
    )
    investment = investment_create(
        network=network,
        funder=funder,
        recipient=developer,
        amount="250000",
        currency="EUR",
        year=2022,
        product=product,
        visibility=Visibility.PUBLIC,
    )
    rate = exchange_rate_set(network=network, currency="EUR", year=None, rate="1.1")
    return {
        "field_stage": stages[2],
        "field_product": product,
        "field_investment": investment,
        "field_rate": rate,
    }
