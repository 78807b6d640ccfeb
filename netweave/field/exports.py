"""CSV exports of the field trackers: products, their stage history and investments.

Each export holds the rows its reader may see on the pages (the same `visibilities_for` rule),
so it tells nobody more than the pages do. Spreadsheet formulas are neutralized (CSV injection):
a cell that starts with = + - @ (or a tab or carriage return) gets a leading apostrophe."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import Any

from netweave.field.models import Investment, Product, StageChange
from netweave.field.selectors import Rates
from netweave.lib.csvimport import csv_cell

PRODUCT_COLUMNS = [
    "id", "name", "kind", "stage", "in_stage_since", "developers", "indications", "topics",
    "website", "visibility", "updated_at",
]  # fmt: skip
HISTORY_COLUMNS = [
    "product_id", "product", "date", "from_stage", "stage", "source", "note",
]  # fmt: skip
INVESTMENT_COLUMNS = [
    "id", "year", "funder", "recipient", "purpose", "amount", "currency", "amount_in_base",
    "base_currency", "topic", "product", "source", "visibility",
]  # fmt: skip


def _row(values: Iterable[Any]) -> list[str]:
    return [csv_cell(value) for value in values]


def product_rows(products: Iterable[Product]) -> Iterator[list[str]]:
    yield PRODUCT_COLUMNS
    for product in products:
        yield _row(
            [
                product.pk,
                product.name,
                product.kind,
                product.stage.name if product.stage else "",
                product.stage_since.isoformat() if product.stage_since else "",
                "; ".join(org.name for org in product.developers.all()),
                "; ".join(product.indications or []),
                "; ".join(topic.name for topic in product.topics.all()),
                product.website,
                product.visibility,
                product.updated_at.date().isoformat(),
            ]
        )


def history_rows(changes: Iterable[StageChange]) -> Iterator[list[str]]:
    yield HISTORY_COLUMNS
    for change in changes:
        yield _row(
            [
                change.product_id,
                change.product.name,
                change.date.isoformat(),
                change.from_stage.name if change.from_stage else "",
                change.stage.name,
                change.source,
                change.note,
            ]
        )


def investment_rows(investments: Iterable[Investment], rates: Rates) -> Iterator[list[str]]:
    yield INVESTMENT_COLUMNS
    for investment in investments:
        converted = rates.convert(investment.amount, investment.currency, investment.year)
        yield _row(
            [
                investment.pk,
                investment.year,
                investment.funder.name,
                investment.recipient.name if investment.recipient else "",
                investment.title,
                investment.amount,
                investment.currency,
                "" if converted is None else converted.quantize(Decimal("0.01")),
                rates.base,
                investment.topic.name if investment.topic else "",
                investment.product.name if investment.product else "",
                investment.source,
                investment.visibility,
            ]
        )
