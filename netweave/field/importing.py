"""Product and investment import: CSV files for the field trackers, checked first (a dry run),
then written in one transaction, every row or none. Run by the import page and the CLI through
netweave.people.importing.import_file (kinds "products" and "investments"); the machinery is
lib/csvimport.py.

**Products** — columns ``name`` (required), ``kind`` (vaccine, drug, … or the English label),
``stage`` (the name or short name of a stage of the network's stage model; a network without
one gets the default stages), ``stage_date`` (the date the stage was reached: 2024-03-31, not in
the future; today when empty), ``developers`` (organization names separated by ";", made when
new), ``indications`` (separated by ";"), ``description`` (Markdown), ``website``, ``topics``
(names or short names of the network's topics, separated by ";"; unknown ones are an error) and
``visibility`` (public, network — the default — or coordinators).

A product is found by its name, whatever the case. A new name adds a product; a known one
updates it: the cells the file fills replace the stored values, empty cells leave them as they
are, and developers, indications and topics are added to the product's own (an import never
removes any). A stage records a stage change dated ``stage_date`` with the source "import",
from the stage the product was at; a product already at that stage is left there.

**Investments** — columns ``funder`` (required: an organization's name, made when new),
``recipient`` (likewise, optional), ``amount`` (required, more than zero), ``currency`` (an ISO
4217 code such as USD, EUR, KES; the network's reporting currency when empty), ``year``
(required, from 1900 to next year), ``topic`` (one topic, by name or short name), ``product``
(the name of a product of the network), ``title`` (the purpose), ``source`` and ``visibility``.

The CSV exports of the field trackers can be edited and imported back: the columns they write
that an import does not set (id, updated_at, amount_in_base, base_currency) are ignored, their
``in_stage_since`` is read as ``stage_date`` and ``purpose`` as ``title``, and the apostrophe they
put before a cell that looks like a formula is taken off again.

Amounts: spaces and apostrophes group digits (1 234 567, 1'234'567). When both a dot and a comma
appear, the last one is the decimal mark (1,234.50 and 1.234,50 are both 1234.50); a mark that
appears more than once groups digits (1,234,567; 1.234.567); a single comma followed by exactly
three digits groups them (1,234 is 1234) and otherwise is the decimal mark (1234,5 is 1234.50);
a single dot is the decimal mark. At most two decimals; no currency signs (use the currency
column). A row identical to a stored investment (same funder, recipient, amount, currency, year,
purpose, product and topic) is counted as unchanged and not added again, so importing a file
twice adds nothing.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from netweave.field.models import (
    DEFAULT_STAGES,
    FundingSettings,
    Investment,
    Product,
    ProductStage,
    StageChange,
)
from netweave.field.services import CURRENCIES
from netweave.lib.csvimport import (
    LOOKUP_CHUNK,
    CheckContext,
    CsvKind,
    New,
    RawRow,
    RowProblems,
    WriteTicker,
    by_name,
    chunks,
    insert,
    split_list,
    update_rows,
)
from netweave.library.importing import TopicTable
from netweave.library.models import Topic, Visibility
from netweave.networks.models import Network
from netweave.people.models import Organization

__all__ = [
    "CURRENCIES",
    "INVESTMENTS",
    "INVESTMENT_COLUMNS",
    "PRODUCTS",
    "PRODUCT_COLUMNS",
    "parse_amount",
]

PRODUCT_COLUMNS = (
    "name", "kind", "stage", "stage_date", "developers", "indications", "description", "website",
    "topics", "visibility",
)  # fmt: skip
INVESTMENT_COLUMNS = (
    "funder", "recipient", "amount", "currency", "year", "topic", "product", "title", "source",
    "visibility",
)  # fmt: skip
MAX_NAME = 200
MAX_INDICATION = 200
MAX_INDICATIONS = 50
EARLIEST_YEAR = 1900
CENT = Decimal("0.01")
LARGEST_AMOUNT = Decimal("1e14")  # Investment.amount: 16 digits, 2 of them decimals
IMPORT_SOURCE = "import"


# --- cells ---------------------------------------------------------------------------------------


def parse_amount(value: str) -> Decimal:
    """An amount as people write it (see the module's docstring); ValueError with a message
    that says what to write instead.

    >>> [str(parse_amount(v)) for v in ("1,234.50", "1 234,50", "1.234,5", "250,000", "12")]
    ['1234.50', '1234.50', '1234.50', '250000.00', '12.00']
    """
    text = re.sub(r"[\s\u00a0\u202f'’_]", "", value)
    if text.startswith("-") or (text.startswith("(") and text.endswith(")")):
        raise ValueError(
            _("“%(value)s” is negative; an amount is more than zero.") % {"value": value}
        )
    if not re.fullmatch(r"\+?[0-9.,]*[0-9][0-9.,]*", text):
        raise ValueError(
            _("“%(value)s” is not an amount: write digits only, such as 1234.50 or 1,234.50 "
              "(the currency goes in its own column).") % {"value": value}
        )  # fmt: skip
    text = text.lstrip("+")
    dots, commas = text.count("."), text.count(",")
    if dots and commas:
        decimal_mark = "." if text.rfind(".") > text.rfind(",") else ","
        grouping = "," if decimal_mark == "." else "."
        if text.count(decimal_mark) > 1:
            raise ValueError(_("“%(value)s” has more than one decimal mark.") % {"value": value})
        text = text.replace(grouping, "").replace(decimal_mark, ".")
    elif commas > 1 or dots > 1:
        text = text.replace("," if commas else ".", "")
    elif commas == 1:
        whole, _sep, part = text.partition(",")
        text = whole + part if len(part) == 3 else f"{whole}.{part}"
    try:
        amount = Decimal(text)
    except InvalidOperation:
        raise ValueError(_("“%(value)s” is not an amount.") % {"value": value}) from None
    if amount.as_tuple().exponent < -2:  # type: ignore[operator]
        raise ValueError(
            _("“%(value)s” has more than two decimals; round it to the cent.") % {"value": value}
        )
    return amount.quantize(CENT)


def _amount(problems: RowProblems, values: dict[str, str]) -> Decimal | None:
    value = values.get("amount", "")
    if not value:
        problems.error("amount", _("This cell is required and is empty."))
        return None
    try:
        amount = parse_amount(value)
    except ValueError as error:
        problems.error("amount", str(error))
        return None
    if amount <= 0:
        problems.error("amount", _("An amount must be more than zero."))
        return None
    if amount >= LARGEST_AMOUNT:
        problems.error("amount", _("This amount is too large; check the number of zeros."))
        return None
    return amount


def _currency(problems: RowProblems, values: dict[str, str], default: str) -> str:
    value = values.get("currency", "")
    if not value:
        return default
    code = value.strip().upper()
    if code not in CURRENCIES:
        problems.error(
            "currency",
            _("“%(value)s” is not an ISO 4217 currency code; use three letters such as USD, EUR, "
              "GBP, KES or XOF.") % {"value": value},
        )  # fmt: skip
        return ""
    return code


def _year(problems: RowProblems, values: dict[str, str]) -> int | None:
    value = values.get("year", "").strip()
    latest = timezone.localdate().year + 1
    if not value:
        problems.error("year", _("This cell is required and is empty."))
        return None
    if not re.fullmatch(r"\d{4}", value) or not EARLIEST_YEAR <= int(value) <= latest:
        problems.error(
            "year",
            _("“%(value)s” is not a year from %(first)d to %(last)d.")
            % {"value": value, "first": EARLIEST_YEAR, "last": latest},
        )
        return None
    return int(value)


class _Organizations:
    """Organizations by name, whatever the case; a name not known yet is made (once) on import."""

    def __init__(self, names: list[str]) -> None:
        self.known: dict[str, Any] = by_name(Organization.objects.all(), "name", names)
        self.new: dict[str, New] = {}

    def get(self, name: str, *, funder: bool = False) -> Organization | New:
        key = name.lower()
        found = self.known.get(key)
        if found is None:
            found = self.new.get(key)
        if found is None:
            found = self.new[key] = New(name=name, kind=Organization.Kind.OTHER)
        if funder and isinstance(found, New):
            found.values["kind"] = Organization.Kind.FUNDER
        return found  # type: ignore[no-any-return]


def _organization_name(problems: RowProblems, values: dict[str, str], column: str) -> str:
    return problems.text(values, column, MAX_NAME)


# --- products ------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Stage:
    pk: int | None  # None in a dry run of a network that has no stages yet
    slug: str
    name: str


class _StageTable:
    """The network's stage model by name and short name; the default one for a network without
    stages (made for real only inside the import's transaction)."""

    def __init__(self, network: Network, *, create: bool) -> None:
        if create:
            from netweave.field.services import stages_ensure_default

            stored = stages_ensure_default(network)
        else:
            stored = list(ProductStage.objects.filter(network=network))
        if stored:
            self.stages = [_Stage(s.pk, s.slug, s.name) for s in stored]
        else:
            self.stages = [_Stage(None, slug, str(name)) for slug, name in DEFAULT_STAGES]
        self.table: dict[str, _Stage] = {}
        for stage in self.stages:
            self.table.setdefault(stage.slug.lower(), stage)
            self.table.setdefault(" ".join(stage.name.lower().split()), stage)

    def resolve(self, problems: RowProblems, value: str) -> _Stage | None:
        if not value:
            return None
        stage = self.table.get(" ".join(value.lower().split()))
        if stage is None:
            problems.error(
                "stage",
                _("Unknown stage “%(value)s”. The stages of this network are: %(stages)s.")
                % {"value": value, "stages": ", ".join(s.name for s in self.stages)},
            )
        return stage


@dataclass(slots=True)
class ProductRow:
    line: int
    name: str
    fields: dict[str, Any]  # the product's own fields the file fills
    stage: _Stage | None
    stage_date: date | None
    developers: list[str]
    indications: list[str]
    topics: list[int]


def _clean_product(
    raw: RawRow, stages: _StageTable, topics: TopicTable
) -> tuple[ProductRow, RowProblems]:
    values = raw.values
    problems = RowProblems(raw.line)
    name = problems.required(values, "name", MAX_NAME)
    fields = {
        "kind": problems.choice(values, "kind", Product.Kind),
        "description": values.get("description", ""),
        "website": problems.url(values, "website", 1000),
        "visibility": problems.choice(values, "visibility", Visibility),
    }
    stage = stages.resolve(problems, values.get("stage", ""))
    stage_date = problems.date(values, "stage_date")
    if stage_date is not None and stage_date > timezone.localdate():
        problems.error(
            "stage_date",
            _("%(date)s is in the future; record a stage once it is reached.")
            % {"date": stage_date.isoformat()},
        )
    if stage_date is not None and "stage" not in values:
        problems.error("stage_date", _("A stage date needs the stage reached on that date."))
    developers = split_list(values.get("developers", ""))
    for developer in developers:
        if len(developer) > MAX_NAME:
            problems.error(
                "developers",
                _("“%(name)s…” is longer than %(max)d characters.")
                % {"name": developer[:40], "max": MAX_NAME},
            )
    indications = split_list(values.get("indications", ""))
    if len(indications) > MAX_INDICATIONS:
        problems.error(
            "indications",
            _("At most %(n)d indications, please.") % {"n": MAX_INDICATIONS},
        )
    if any(len(item) > MAX_INDICATION for item in indications):
        problems.error(
            "indications",
            _("An indication has at most %(max)d characters.") % {"max": MAX_INDICATION},
        )
    row = ProductRow(
        line=raw.line,
        name=name,
        fields={key: value for key, value in fields.items() if value},
        stage=stage,
        stage_date=stage_date,
        developers=developers,
        indications=indications,
        topics=topics.resolve(problems, "topics", values.get("topics", "")),
    )
    return row, problems


@dataclass
class ProductPlan:
    organizations: list[New] = field(default_factory=list)
    new: list[New] = field(default_factory=list)
    changed: list[tuple[Product, tuple[str, ...]]] = field(default_factory=list)
    developers: list[New] = field(default_factory=list)
    topics: list[New] = field(default_factory=list)
    stage_changes: list[New] = field(default_factory=list)

    def size(self) -> int:
        return sum(
            len(part)
            for part in (
                self.organizations, self.new, self.changed, self.developers, self.topics,
                self.stage_changes,
            )
        )  # fmt: skip

    def write(self, writes: WriteTicker) -> None:
        insert(Organization, self.organizations, writes, returning=True)
        insert(Product, self.new, writes, returning=True)
        update_rows(Product, self.changed, writes)
        insert(Product.developers.through, self.developers, writes)
        insert(Product.topics.through, self.topics, writes)
        insert(StageChange, self.stage_changes, writes)


def _moves(product: Product, stage: _Stage | None) -> bool:
    """Whether the file moves `product` to `stage` (a default stage not made yet, in a dry run,
    is a move: the product cannot be at it)."""
    return stage is not None and (stage.pk is None or stage.pk != product.stage_id)


def _latest_changes(product_ids: list[int]) -> dict[int, date]:
    latest: dict[int, date] = {}
    for chunk in chunks(product_ids, LOOKUP_CHUNK):
        for product_id, day in StageChange.objects.filter(product_id__in=chunk).values_list(
            "product_id", "date"
        ):
            if product_id not in latest or day > latest[product_id]:
                latest[product_id] = day
    return latest


def _links(through: Any, column: str, product_ids: list[int]) -> set[tuple[int, int]]:
    links: set[tuple[int, int]] = set()
    for chunk in chunks(product_ids, LOOKUP_CHUNK):
        links.update(through.objects.filter(product_id__in=chunk).values_list("product_id", column))
    return links


def check_products(raw_rows: list[RawRow], context: CheckContext) -> ProductPlan:
    network, report = context.network, context.report
    stages = _StageTable(network, create=not context.dry_run)
    topics = TopicTable(network)
    rows: list[ProductRow] = []
    problems: list[RowProblems] = []
    for index, raw in enumerate(raw_rows, start=1):
        row, problem = _clean_product(raw, stages, topics)
        rows.append(row)
        problems.append(problem)
        context.tick(index)

    first_line: dict[str, int] = {}
    for row, problem in zip(rows, problems, strict=True):
        key = row.name.lower()
        if not key:
            continue
        if key in first_line:
            problem.error(
                "name",
                _("“%(value)s” is also on line %(first)d; keep one of the two rows.")
                % {"value": row.name, "first": first_line[key]},
            )
        else:
            first_line[key] = row.line

    products: dict[str, Product] = {
        " ".join(product.name.lower().split()): product
        for product in Product.objects.filter(network=network)
    }
    existing_ids = [products[key].pk for key in first_line if key in products]
    latest = _latest_changes(existing_ids)
    developer_links = _links(Product.developers.through, "organization_id", existing_ids)
    topic_links = _links(Product.topics.through, "topic_id", existing_ids)
    organizations = _Organizations([name for row in rows for name in row.developers])
    plan = ProductPlan()
    today = timezone.localdate()

    for row, problem in zip(rows, problems, strict=True):
        product = products.get(row.name.lower())
        stage = row.stage
        day = row.stage_date or today
        if (
            product is not None
            and _moves(product, stage)
            and product.pk in latest
            and day < latest[product.pk]
        ):
            problem.error(
                    "stage_date",
                    _("%(product)s has a stage change recorded on %(latest)s, after %(date)s; "
                      "record this one on the product's page, or give a later date.")
                    % {"product": product.name, "latest": latest[product.pk].isoformat(),
                       "date": day.isoformat()},
                )  # fmt: skip
        if problem.errors:
            report.errors.extend(problem.errors)
            continue
        note = _("%(file)s, line %(line)d") % {"file": context.filename, "line": row.line}
        target: Product | New
        if product is None:
            target = New(
                network=network, name=row.name, indications=row.indications,
                created_at=context.now, **row.fields,
            )  # fmt: skip
            if stage is not None:
                target.values.update(stage=stage.pk, stage_since=day)
            plan.new.append(target)
            links: tuple[set[tuple[int, int]], set[tuple[int, int]]] = (set(), set())
            from_stage = None
            report.to_create += 1
            report.add_preview(row.line, row.name, "create", [])
        else:
            target = product
            links = (developer_links, topic_links)
            from_stage = product.stage_id
            changed = [
                name for name, value in row.fields.items() if getattr(product, name) != value
            ]
            for name in changed:
                setattr(product, name, row.fields[name])
            added = [item for item in row.indications if item.lower() not in
                     {known.lower() for known in product.indications or []}]  # fmt: skip
            if added:
                product.indications = [*(product.indications or []), *added]
                changed.append("indications")
            if _moves(product, stage):
                product.stage_id, product.stage_since = stage.pk, day  # type: ignore[union-attr]
                changed += ["stage", "stage_since"]
            shown = [name for name in changed if name != "stage_since"]
        new_developers = _plan_links(
            plan.developers, target, "organization",
            [organizations.get(name) for name in row.developers], links[0],
        )  # fmt: skip
        new_topics = _plan_links(plan.topics, target, "topic", row.topics, links[1])
        if stage is not None and (product is None or "stage" in changed):
            plan.stage_changes.append(
                New(
                    network=network, product=target, from_stage=from_stage, stage=stage.pk,
                    date=day, source=IMPORT_SOURCE, note=note, recorded_by=context.actor,
                    created_at=context.now,
                )
            )  # fmt: skip
        if product is None:
            continue
        shown += ["developers"] * bool(new_developers) + ["topics"] * bool(new_topics)
        if changed:
            product.updated_at = context.now
            plan.changed.append((product, (*changed, "updated_at")))
        if shown:
            report.to_update += 1
            report.add_preview(row.line, row.name, "update", shown)
        else:
            report.unchanged += 1
            report.add_preview(row.line, row.name, "unchanged", [])
    plan.organizations = list(organizations.new.values())
    report.new_organizations = len(plan.organizations)
    return plan


def _plan_links(
    links: list[New],
    product: Product | New,
    column: str,
    targets: list[Any],
    existing: set[tuple[int, int]],
) -> int:
    """Add the links of `product` to `targets` (objects or ids) that it does not have yet."""
    added = 0
    for target in targets:
        target_id = target if isinstance(target, int) else target.pk
        if isinstance(product, Product) and target_id is not None:
            if (product.pk, target_id) in existing:
                continue
            existing.add((product.pk, target_id))
        links.append(New(product=product, **{column: target}))
        added += 1
    return added


def product_example(network: Network) -> dict[str, str]:
    stage = ProductStage.objects.filter(network=network).first()
    topic = Topic.objects.filter(network=network).order_by("position", "name").first()
    return {
        "name": "Example malaria vaccine candidate",
        "kind": "vaccine",
        "stage": stage.name if stage else str(DEFAULT_STAGES[0][1]),
        "stage_date": "2024-03-31",
        "developers": "Example Vaccine Institute; Example University",
        "indications": "malaria; severe malaria in children",
        "description": "A **second-generation** candidate.",
        "website": "https://example.org/vaccine",
        "topics": topic.name if topic else "",
        "visibility": "network",
    }


PRODUCTS = CsvKind(
    name="products",
    columns=PRODUCT_COLUMNS,
    required=("name",),
    check=check_products,
    example=product_example,
    # field/exports.py PRODUCT_COLUMNS
    ignored=("id", "updated_at"),
    aliases={"in_stage_since": "stage_date"},
)


# --- investments ---------------------------------------------------------------------------------


@dataclass(slots=True)
class InvestmentRow:
    line: int
    funder: str
    recipient: str
    values: dict[str, Any]
    product: str


def _clean_investment(
    raw: RawRow, topics: TopicTable, base_currency: str
) -> tuple[InvestmentRow, RowProblems]:
    values = raw.values
    problems = RowProblems(raw.line)
    funder = _organization_name(problems, values, "funder")
    if "funder" not in values:
        problems.error("funder", _("This cell is required and is empty."))
    recipient = _organization_name(problems, values, "recipient")
    if funder and recipient and funder.lower() == recipient.lower():
        problems.error("recipient", _("The funder and the recipient are the same organization."))
    topic = topics.resolve(problems, "topic", values.get("topic", ""), many=False)
    row = InvestmentRow(
        line=raw.line,
        funder=funder,
        recipient=recipient,
        product=" ".join(values.get("product", "").split()),
        values={
            "amount": _amount(problems, values),
            "currency": _currency(problems, values, base_currency),
            "year": _year(problems, values),
            "topic": topic[0] if topic else None,
            "title": problems.text(values, "title", 300),
            "source": problems.text(values, "source", 1000),
            "visibility": problems.choice(values, "visibility", Visibility) or Visibility.NETWORK,
        },
    )
    return row, problems


@dataclass
class InvestmentPlan:
    organizations: list[New] = field(default_factory=list)
    new: list[New] = field(default_factory=list)

    def size(self) -> int:
        return len(self.organizations) + len(self.new)

    def write(self, writes: WriteTicker) -> None:
        insert(Organization, self.organizations, writes, returning=True)
        insert(Investment, self.new, writes)


def _same_key(funder: Any, recipient: Any, values: dict[str, Any], product: Any) -> tuple[Any, ...]:
    return (
        funder, recipient, values["amount"], values["currency"], values["year"],
        values["title"].lower(), product, values["topic"],
    )  # fmt: skip


def _stored_investments(network: Network, funder_ids: list[int]) -> Counter[tuple[Any, ...]]:
    stored: Counter[tuple[Any, ...]] = Counter()
    for chunk in chunks(sorted(set(funder_ids)), LOOKUP_CHUNK):
        for funder, recipient, amount, currency, year, title, product, topic in (
            Investment.objects.filter(network=network, funder_id__in=chunk).values_list(
                "funder_id", "recipient_id", "amount", "currency", "year", "title", "product_id",
                "topic_id",
            )
        ):  # fmt: skip
            values = {"amount": amount, "currency": currency, "year": year, "title": title,
                      "topic": topic}  # fmt: skip
            stored[_same_key(funder, recipient, values, product)] += 1
    return stored


def check_investments(raw_rows: list[RawRow], context: CheckContext) -> InvestmentPlan:
    network, report = context.network, context.report
    topics = TopicTable(network)
    funding = FundingSettings.objects.filter(network=network).first()
    base_currency = funding.base_currency if funding else "USD"
    rows: list[InvestmentRow] = []
    problems: list[RowProblems] = []
    for index, raw in enumerate(raw_rows, start=1):
        row, problem = _clean_investment(raw, topics, base_currency)
        rows.append(row)
        problems.append(problem)
        context.tick(index)

    products: dict[str, int] = {
        " ".join(name.lower().split()): pk
        for pk, name in Product.objects.filter(network=network).values_list("pk", "name")
    }
    organizations = _Organizations(
        [name for row in rows for name in (row.funder, row.recipient) if name]
    )
    known = organizations.known
    funder_ids = [known[r.funder.lower()].pk for r in rows if r.funder.lower() in known]
    stored = _stored_investments(network, funder_ids)
    plan = InvestmentPlan()
    for row, problem in zip(rows, problems, strict=True):
        product = products.get(row.product.lower()) if row.product else None
        if row.product and product is None:
            problem.error(
                "product",
                _("No product of this network is called “%(name)s”. Import the products first, "
                  "or leave the cell empty.") % {"name": row.product},
            )  # fmt: skip
        if problem.errors:
            report.errors.extend(problem.errors)
            continue
        funder = organizations.get(row.funder, funder=True)
        recipient = organizations.get(row.recipient) if row.recipient else None
        name = f"{row.funder} → {row.recipient}" if row.recipient else row.funder
        name += f": {row.values['amount']} {row.values['currency']}, {row.values['year']}"
        key = _same_key(
            funder.pk if isinstance(funder, Organization) else funder,
            recipient.pk if isinstance(recipient, Organization) else recipient,
            row.values,
            product,
        )
        if stored.get(key):
            stored[key] -= 1
            report.unchanged += 1
            report.add_preview(row.line, name, "unchanged", [])
            continue
        plan.new.append(
            New(
                network=network, funder=funder, recipient=recipient, product=product,
                created_at=context.now, **row.values,
            )
        )  # fmt: skip
        report.to_create += 1
        report.add_preview(row.line, name, "create", [])
    plan.organizations = list(organizations.new.values())
    report.new_organizations = len(plan.organizations)
    return plan


def investment_example(network: Network) -> dict[str, str]:
    topic = Topic.objects.filter(network=network).order_by("position", "name").first()
    product = Product.objects.filter(network=network).order_by("name").first()
    return {
        "funder": "Example Foundation",
        "recipient": "Example Vaccine Institute",
        "amount": "1,250,000.00",
        "currency": "USD",
        "year": str(timezone.localdate().year - 1),
        "topic": topic.name if topic else "",
        "product": product.name if product else "",
        "title": "Phase II trial sites",
        "source": "https://example.org/annual-report",
        "visibility": "network",
    }


INVESTMENTS = CsvKind(
    name="investments",
    columns=INVESTMENT_COLUMNS,
    required=("funder", "amount", "year"),
    check=check_investments,
    example=investment_example,
    # field/exports.py INVESTMENT_COLUMNS
    ignored=("id", "amount_in_base", "base_currency"),
    aliases={"purpose": "title"},
)
