"""Reads of the field trackers. Every read filters by network and by what the viewer may see:
`visibilities_for(access)` (public rows for everyone, network rows for observers and up, every row
for stewards and coordinators) applies to products, their history and investments alike, so a
total a member sees never includes money they could not see row by row.

Money is converted to the network's base currency in Python with `Decimal`, with the rates the
coordinator entered: the rate for the investment's year, else the currency's any-year rate. An
investment whose currency has no rate is never dropped silently: it is left out of the totals and
counted in `unconverted`, which the pages and the API show."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from netweave.field.models import (
    ExchangeRate,
    FundingSettings,
    Investment,
    Product,
    ProductStage,
    StageChange,
)
from netweave.library.models import Resource, Topic
from netweave.library.selectors import resources_visible_to, visibilities_for
from netweave.networks.models import Network
from netweave.networks.permissions import Access, Capability
from netweave.people.models import Membership, Organization

ZERO = Decimal(0)
# How far back stage changes count as activity in the funding-gap view.
RECENT_CHANGE_YEARS = 3
DEFAULT_GAP_YEARS = 5


# --- stages and topics ----------------------------------------------------------------------------


def stages_for(network: Network) -> list[ProductStage]:
    """The network's stage model, in order (one query)."""
    return list(ProductStage.objects.filter(network=network).order_by("position", "pk"))


def stage_in_network(*, network: Network, stage_id: int) -> ProductStage:
    stage = ProductStage.objects.filter(network=network, pk=stage_id).first()
    if stage is None:
        raise Http404
    return stage


def stage_usage(*, access: Access) -> dict[int, int]:
    """How many of the products the viewer may see are at each stage (stages with none are
    left out): every product for curators, never a coordinators-only one for the others."""
    return dict(
        products_visible_to(access)
        .filter(stage__isnull=False)
        .values("stage_id")
        .annotate(n=Count("pk"))
        .values_list("stage_id", "n")
    )


@dataclass
class TopicTree:
    """The network's topic tree, loaded once: parents, children, roots and subtrees by id."""

    topics: dict[int, Topic]
    children: dict[int | None, list[Topic]]

    def root_of(self, topic_id: int) -> int:
        seen = set()
        topic = self.topics[topic_id]
        while topic.parent_id is not None and topic.parent_id in self.topics:
            if topic.pk in seen:  # a loop in the data: stop where it closes
                break
            seen.add(topic.pk)
            topic = self.topics[topic.parent_id]
        return topic.pk

    def subtree(self, topic_id: int) -> set[int]:
        """`topic_id` and every topic under it."""
        found, todo = set(), [topic_id]
        while todo:
            current = todo.pop()
            if current in found:
                continue
            found.add(current)
            todo.extend(child.pk for child in self.children.get(current, []))
        return found

    def roots(self) -> list[Topic]:
        return self.children.get(None, [])

    def group_of(self, topic_id: int, parent: Topic | None) -> int | None:
        """The topic that `topic_id` is counted under: its top-level topic, or, when drilling
        down into `parent`, the child of `parent` it sits under (`parent` itself for rows in
        `parent`). None when it is outside `parent`'s subtree."""
        if topic_id not in self.topics:
            return None
        if parent is None:
            return self.root_of(topic_id)
        path = [topic_id]
        topic = self.topics[topic_id]
        while topic.parent_id is not None and topic.parent_id in self.topics and len(path) < 100:
            path.append(topic.parent_id)
            topic = self.topics[topic.parent_id]
        if parent.pk not in path:
            return None
        index = path.index(parent.pk)
        return path[index - 1] if index > 0 else parent.pk

    def groups(self, parent: Topic | None) -> list[Topic]:
        """The topics counted separately: the top-level ones, or `parent` and its children."""
        if parent is None:
            return self.roots()
        return [parent, *self.children.get(parent.pk, [])]


def topic_tree(network: Network) -> TopicTree:
    """One query for the whole tree."""
    topics = list(Topic.objects.filter(network=network).order_by("position", "name"))
    by_id = {topic.pk: topic for topic in topics}
    children: dict[int | None, list[Topic]] = defaultdict(list)
    for topic in topics:
        parent = topic.parent_id if topic.parent_id in by_id else None
        children[parent].append(topic)
    return TopicTree(topics=by_id, children=dict(children))


def topic_in_network(*, network: Network, slug: str) -> Topic | None:
    if not slug:
        return None
    topic = Topic.objects.filter(network=network, slug=slug).first()
    if topic is None:
        raise Http404
    return topic


def organization_choices(*, network: Network) -> QuerySet[Organization]:
    """Organizations to offer as developers, funders and recipients: those of the network's
    active members, and those its products and investments already name."""
    return (
        Organization.objects.filter(
            Q(
                affiliations__person__memberships__network=network,
                affiliations__person__memberships__status=Membership.Status.ACTIVE,
            )
            | Q(products__network=network)
            | Q(investments_made__network=network)
            | Q(investments_received__network=network)
        )
        .distinct()
        .order_by("name")
    )


# --- products -------------------------------------------------------------------------------------


def products_visible_to(access: Access) -> QuerySet[Product]:
    return Product.objects.filter(network=access.network, visibility__in=visibilities_for(access))


def product_for_viewer(*, access: Access, product_id: int) -> Product:
    """One product the viewer may see (a 404 otherwise, even when it exists)."""
    product = (
        products_visible_to(access)
        .select_related("stage", "network")
        .prefetch_related("developers", "topics")
        .filter(pk=product_id)
        .first()
    )
    if product is None:
        raise Http404
    return product


def product_for_curator(*, access: Access, product_id: int) -> Product:
    access.require(Capability.CURATE)
    return product_for_viewer(access=access, product_id=product_id)


def products_filtered(
    *,
    access: Access,
    kind: str = "",
    topic: Topic | None = None,
    stage: ProductStage | None = None,
    query: str = "",
) -> QuerySet[Product]:
    """Visible products, narrowed to a kind, a topic (with its subtopics), a stage or words of
    the name or indications; developers and topics prefetched."""
    products = products_visible_to(access)
    if kind:
        products = products.filter(kind=kind)
    if topic is not None:
        subtree = topic_tree(access.network).subtree(topic.pk)
        products = products.filter(topics__in=subtree).distinct()
    if stage is not None:
        products = products.filter(stage=stage)
    if query:
        products = products.filter(Q(name__icontains=query) | Q(indications__icontains=query))
    return (
        products.select_related("stage").prefetch_related("developers", "topics").order_by("name")
    )


@dataclass
class PipelineColumn:
    stage: ProductStage | None  # None: products nobody has given a stage yet
    products: list[Product]

    @property
    def count(self) -> int:
        return len(self.products)


@dataclass
class Pipeline:
    columns: list[PipelineColumn]
    total: int

    @property
    def counts(self) -> list[tuple[str, int]]:
        return [(c.stage.name if c.stage else "", c.count) for c in self.columns]


def pipeline(
    *, access: Access, kind: str = "", topic: Topic | None = None, query: str = ""
) -> Pipeline:
    """Visible products by stage, in the stage model's order, with their developers (four
    queries whatever the number of products). Products without a stage come first, in a column
    of their own, only when there are some."""
    stages = stages_for(access.network)
    products = list(products_filtered(access=access, kind=kind, topic=topic, query=query))
    by_stage: dict[int | None, list[Product]] = defaultdict(list)
    for product in products:
        by_stage[product.stage_id].append(product)
    columns = [PipelineColumn(stage=None, products=by_stage[None])] if by_stage.get(None) else []
    columns += [
        PipelineColumn(stage=stage, products=by_stage.get(stage.pk, [])) for stage in stages
    ]
    return Pipeline(columns=columns, total=len(products))


def product_history(*, product: Product) -> list[StageChange]:
    """A product's stage changes, oldest first (the product's own visibility was checked)."""
    return list(
        product.stage_history.select_related("stage", "from_stage", "recorded_by").order_by(
            "date", "pk"
        )
    )


def product_resources(*, access: Access, product: Product) -> list[Resource]:
    """The product's linked resources that the viewer may see (published, visible)."""
    return list(resources_visible_to(access).filter(products=product).order_by("title"))


# --- the timeline ---------------------------------------------------------------------------------


def stage_changes_visible_to(
    *, access: Access, product_id: int | None = None, kind: str = ""
) -> QuerySet[StageChange]:
    """Stage changes of visible products, newest first, narrowed to a product or a kind."""
    changes = StageChange.objects.filter(
        network=access.network, product__visibility__in=visibilities_for(access)
    )
    if product_id is not None:
        changes = changes.filter(product_id=product_id)
    if kind:
        changes = changes.filter(product__kind=kind)
    return changes.select_related("product", "stage", "from_stage").order_by("-date", "-pk")


@dataclass
class Chart:
    """What field.js draws, and what the table beside the chart says in words."""

    labels: list[str]
    datasets: list[dict[str, Any]]
    kind: str = "bar"
    stacked: bool = False
    horizontal: bool = False
    unit: str = ""

    def as_json(self) -> dict[str, Any]:
        return {
            "type": self.kind,
            "labels": self.labels,
            "datasets": self.datasets,
            "stacked": self.stacked,
            "horizontal": self.horizontal,
            "unit": self.unit,
        }


def timeline_chart(*, access: Access, changes: Iterable[StageChange]) -> Chart:
    """Stage changes per year, stacked by the stage reached (in the stage model's order)."""
    stages = stages_for(access.network)
    counts: dict[int, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for change in changes:
        counts[change.date.year][change.stage_id] += 1
    if not counts:
        return Chart(labels=[], datasets=[], stacked=True)
    years = list(range(min(counts), max(counts) + 1))
    datasets = [
        {"label": stage.name, "data": [counts[year].get(stage.pk, 0) for year in years]}
        for stage in stages
        if any(counts[year].get(stage.pk) for year in years)
    ]
    return Chart(labels=[str(year) for year in years], datasets=datasets, stacked=True)


# --- money ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rates:
    """A network's exchange rates into its base currency."""

    base: str
    yearly: dict[tuple[str, int], Decimal]
    any_year: dict[str, Decimal]

    def rate(self, currency: str, year: int) -> Decimal | None:
        if currency == self.base:
            return Decimal(1)
        found = self.yearly.get((currency, year))
        return found if found is not None else self.any_year.get(currency)

    def convert(self, amount: Decimal, currency: str, year: int) -> Decimal | None:
        """`amount` in the base currency, or None when `currency` has no rate for `year`."""
        rate = self.rate(currency, year)
        return None if rate is None else amount * rate


def base_currency(network: Network) -> str:
    settings = FundingSettings.objects.filter(network=network).first()
    return settings.base_currency if settings else "USD"


def rates_for(network: Network) -> Rates:
    """Two queries: the base currency and every rate."""
    yearly: dict[tuple[str, int], Decimal] = {}
    any_year: dict[str, Decimal] = {}
    for row in ExchangeRate.objects.filter(network=network):
        if row.year is None:
            any_year[row.currency] = row.rate
        else:
            yearly[(row.currency, row.year)] = row.rate
    return Rates(base=base_currency(network), yearly=yearly, any_year=any_year)


def exchange_rates(*, access: Access) -> list[ExchangeRate]:
    access.require(Capability.CURATE)
    return list(ExchangeRate.objects.filter(network=access.network).order_by("currency", "year"))


def currencies_without_rates(*, access: Access) -> list[tuple[str, list[int]]]:
    """Currencies (with the years) of investments that no rate converts: what to enter next."""
    access.require(Capability.CURATE)
    rates = rates_for(access.network)
    missing: dict[str, set[int]] = defaultdict(set)
    pairs = (
        Investment.objects.filter(network=access.network).values_list("currency", "year").distinct()
    )
    for currency, year in pairs:
        if rates.rate(currency, year) is None:
            missing[currency].add(year)
    return [(code, sorted(years)) for code, years in sorted(missing.items())]


@dataclass
class Unconverted:
    """Investments left out of the totals because their currency has no rate."""

    currency: str
    count: int = 0
    amount: Decimal = ZERO
    years: set[int] = field(default_factory=set)

    @property
    def year_list(self) -> list[int]:
        return sorted(self.years)


def investments_visible_to(access: Access) -> QuerySet[Investment]:
    return Investment.objects.filter(
        network=access.network, visibility__in=visibilities_for(access)
    )


def with_related(access: Access, investments: QuerySet[Investment]) -> QuerySet[Investment]:
    """Investments with their funder, recipient, topic and product loaded (one query more).
    A product the viewer may not see reads as none: an investment they may see must not name
    a coordinators-only product."""
    return investments.select_related("funder", "recipient", "topic").prefetch_related(
        Prefetch("product", queryset=products_visible_to(access))
    )


def investment_for_viewer(*, access: Access, investment_id: int) -> Investment:
    investment = with_related(
        access, investments_visible_to(access).filter(pk=investment_id)
    ).first()
    if investment is None:
        raise Http404
    return investment


def investment_for_curator(*, access: Access, investment_id: int) -> Investment:
    access.require(Capability.CURATE)
    return investment_for_viewer(access=access, investment_id=investment_id)


def investments_filtered(
    *,
    access: Access,
    year: int | None = None,
    topic: Topic | None = None,
    funder_id: int | None = None,
    product_id: int | None = None,
) -> QuerySet[Investment]:
    """Visible investments, largest first within each year (newest year first); a topic takes
    its subtopics along."""
    investments = investments_visible_to(access)
    if year is not None:
        investments = investments.filter(year=year)
    if topic is not None:
        investments = investments.filter(topic__in=topic_tree(access.network).subtree(topic.pk))
    if funder_id is not None:
        investments = investments.filter(funder_id=funder_id)
    if product_id is not None:  # a product the viewer may not see has no investments for them
        investments = investments.filter(
            product_id=product_id, product__visibility__in=visibilities_for(access)
        )
    return with_related(access, investments).order_by("-year", "-amount", "pk")


def investment_years(*, access: Access) -> list[int]:
    return list(
        investments_visible_to(access).order_by("-year").values_list("year", flat=True).distinct()
    )


def funders(*, access: Access) -> list[Organization]:
    """Organizations that funded a visible investment."""
    return list(
        Organization.objects.filter(investments_made__in=investments_visible_to(access))
        .distinct()
        .order_by("name")
    )


def convert_rows(
    rates: Rates, investments: Iterable[Investment]
) -> tuple[list[tuple[Investment, Decimal]], dict[str, Unconverted]]:
    """Each investment with its amount in the base currency, and those that could not be
    converted, by currency."""
    converted: list[tuple[Investment, Decimal]] = []
    unconverted: dict[str, Unconverted] = {}
    for investment in investments:
        value = rates.convert(investment.amount, investment.currency, investment.year)
        if value is None:
            row = unconverted.setdefault(investment.currency, Unconverted(investment.currency))
            row.count += 1
            row.amount += investment.amount
            row.years.add(investment.year)
        else:
            converted.append((investment, value))
    return converted, unconverted


def _product_topics(access: Access, product_ids: Iterable[int]) -> dict[int, list[int]]:
    """Topic ids of each product the viewer may see (one query): a hidden product's topics
    must not file a visible investment's money."""
    ids = set(product_ids)
    found: dict[int, list[int]] = defaultdict(list)
    if ids:
        pairs = Product.topics.through.objects.filter(
            product_id__in=ids, product__visibility__in=visibilities_for(access)
        ).values_list("product_id", "topic_id")
        for product_id, topic_id in pairs:
            found[product_id].append(topic_id)
    return found


def _topic_shares(
    tree: TopicTree,
    parent: Topic | None,
    investment: Investment,
    product_topics: dict[int, list[int]],
) -> list[tuple[int | None, Decimal]]:
    """Which topic groups an investment counts for, and what share of it each gets: its own
    topic; with no topic, its product's topics (split evenly, so the total stays whole); with
    neither, "no topic" (None). Outside the drilled-down topic: no share at all."""
    if investment.topic_id is not None:
        topic_ids = [investment.topic_id]
    elif investment.product_id is not None and product_topics.get(investment.product_id):
        topic_ids = product_topics[investment.product_id]
    else:
        topic_ids = []
    groups = list(dict.fromkeys(tree.group_of(t, parent) for t in topic_ids))
    groups = [group for group in groups if group is not None]
    if not groups:
        return [] if parent is not None else [(None, Decimal(1))]
    share = Decimal(1) / len(groups)
    return [(group, share) for group in groups]


@dataclass
class TopicTotal:
    topic: Topic | None  # None: investments with no topic
    amount: Decimal
    count: int
    has_children: bool = False


@dataclass
class FunderTotal:
    funder: Organization
    amount: Decimal
    count: int


@dataclass
class Flow:
    funder: Organization
    recipient: Organization | None
    amount: Decimal
    count: int


@dataclass
class FundingSummary:
    base_currency: str
    total: Decimal
    count: int  # investments converted and counted
    by_year: list[tuple[int, Decimal]]
    by_topic: list[TopicTotal]
    by_funder: list[FunderTotal]
    flows: list[Flow]
    by_year_topic: dict[int, dict[int | None, Decimal]]
    unconverted: list[Unconverted]
    topic: Topic | None = None  # the topic drilled into, if any
    years: tuple[int | None, int | None] = (None, None)

    @property
    def unconverted_count(self) -> int:
        return sum(row.count for row in self.unconverted)


def funding_summary(
    *,
    access: Access,
    topic: Topic | None = None,
    since: int | None = None,
    until: int | None = None,
    flows_limit: int = 50,
) -> FundingSummary:
    """Visible investments in the base currency: the total, by year, by topic (top-level topics,
    or `topic` and its children when drilling down), by funder, and funder → recipient flows.
    A fixed number of queries (settings, rates, topics, investments, product topics)."""
    rates = rates_for(access.network)
    tree = topic_tree(access.network)
    investments = investments_visible_to(access).select_related("funder", "recipient")
    if since is not None:
        investments = investments.filter(year__gte=since)
    if until is not None:
        investments = investments.filter(year__lte=until)
    rows = list(investments)
    product_topics = _product_topics(
        access, (i.product_id for i in rows if i.product_id and not i.topic_id)
    )

    shared: list[tuple[Investment, list[tuple[int | None, Decimal]]]] = []
    for investment in rows:
        shares = _topic_shares(tree, topic, investment, product_topics)
        if shares:
            shared.append((investment, shares))
    converted, unconverted = convert_rows(rates, (investment for investment, _ in shared))
    shares_of = {investment.pk: shares for investment, shares in shared}

    total = ZERO
    by_year: dict[int, Decimal] = defaultdict(lambda: ZERO)
    by_topic: dict[int | None, Decimal] = defaultdict(lambda: ZERO)
    topic_counts: dict[int | None, int] = defaultdict(int)
    by_year_topic: dict[int, dict[int | None, Decimal]] = defaultdict(
        lambda: defaultdict(lambda: ZERO)
    )
    by_funder: dict[int, FunderTotal] = {}
    flows: dict[tuple[int, int | None], Flow] = {}
    for investment, value in converted:
        total += value
        by_year[investment.year] += value
        for group, share in shares_of[investment.pk]:
            by_topic[group] += value * share
            topic_counts[group] += 1
            by_year_topic[investment.year][group] += value * share
        funder = by_funder.setdefault(investment.funder_id, FunderTotal(investment.funder, ZERO, 0))
        funder.amount += value
        funder.count += 1
        flow = flows.setdefault(
            (investment.funder_id, investment.recipient_id),
            Flow(investment.funder, investment.recipient, ZERO, 0),
        )
        flow.amount += value
        flow.count += 1

    topic_rows = [
        TopicTotal(
            topic=group,
            amount=by_topic.get(group.pk, ZERO),
            count=topic_counts.get(group.pk, 0),
            has_children=bool(tree.children.get(group.pk)) and group != topic,
        )
        for group in tree.groups(topic)
    ]
    topic_rows = [row for row in topic_rows if row.count]
    topic_rows.sort(key=lambda row: (-row.amount, row.topic.name if row.topic else ""))
    if topic is None and topic_counts.get(None):
        topic_rows.append(TopicTotal(topic=None, amount=by_topic[None], count=topic_counts[None]))
    # Every year from the first to the last, so that a year without money shows as one.
    years = range(min(by_year), max(by_year) + 1) if by_year else range(0)
    return FundingSummary(
        base_currency=rates.base,
        total=total,
        count=len(converted),
        by_year=[(year, by_year.get(year, ZERO)) for year in years],
        by_topic=topic_rows,
        by_funder=sorted(by_funder.values(), key=lambda f: (-f.amount, f.funder.name)),
        flows=sorted(
            flows.values(),
            key=lambda f: (-f.amount, f.funder.name, f.recipient.name if f.recipient else ""),
        )[:flows_limit],
        by_year_topic={year: dict(groups) for year, groups in by_year_topic.items()},
        unconverted=sorted(unconverted.values(), key=lambda row: row.currency),
        topic=topic,
        years=(since, until),
    )


def funding_charts(summary: FundingSummary, labels: dict[str, str]) -> dict[str, Chart]:
    """The funding page's three charts, from the same numbers as its tables."""
    unit = summary.base_currency
    years = [year for year, _ in summary.by_year]
    groups = [row for row in summary.by_topic]
    by_year = Chart(
        labels=[str(year) for year in years],
        datasets=[
            {
                "label": row.topic.name if row.topic else labels["no_topic"],
                "data": [
                    float(
                        summary.by_year_topic.get(year, {}).get(
                            row.topic.pk if row.topic else None, ZERO
                        )
                    )
                    for year in years
                ],
            }
            for row in groups
        ],
        stacked=True,
        unit=unit,
    )
    by_funder = Chart(
        labels=[row.funder.name for row in summary.by_funder[:15]],
        datasets=[
            {"label": labels["funding"], "data": [float(r.amount) for r in summary.by_funder[:15]]}
        ],
        horizontal=True,
        unit=unit,
    )
    by_topic = Chart(
        labels=[row.topic.name if row.topic else labels["no_topic"] for row in groups],
        datasets=[{"label": labels["funding"], "data": [float(row.amount) for row in groups]}],
        horizontal=True,
        unit=unit,
    )
    return {"by_year": by_year, "by_funder": by_funder, "by_topic": by_topic}


# --- the funding gap ------------------------------------------------------------------------------


@dataclass
class TopicGap:
    topic: Topic
    resources: int
    products: int  # in development (not yet at the final stage)
    changes: int  # stage changes in the last RECENT_CHANGE_YEARS years
    funding: Decimal
    activity_share: float = 0.0
    funding_share: float = 0.0

    @property
    def activity(self) -> int:
        return self.resources + self.products + self.changes

    @property
    def score(self) -> float:
        return self.activity_share - self.funding_share

    @property
    def is_gap(self) -> bool:
        return self.activity > 0 and self.score > 0

    # For the page: shares in per cent and the score in percentage points, one decimal.
    @property
    def activity_percent(self) -> float:
        return round(self.activity_share * 100, 1)

    @property
    def funding_percent(self) -> float:
        return round(self.funding_share * 100, 1)

    @property
    def score_points(self) -> float:
        return round(self.score * 100, 1)


@dataclass
class ProductGap:
    product: Product
    funding: Decimal
    investments: int
    changes: int

    @property
    def unfunded(self) -> bool:
        return self.investments == 0


@dataclass
class FundingGaps:
    years: int
    since_year: int
    changes_since: date
    base_currency: str
    topics: list[TopicGap]
    products: list[ProductGap]
    unconverted: list[Unconverted]
    total_activity: int
    total_funding: Decimal
    parent: Topic | None = None

    @property
    def unconverted_count(self) -> int:
        return sum(row.count for row in self.unconverted)

    @property
    def gaps(self) -> list[TopicGap]:
        return [row for row in self.topics if row.is_gap]

    @property
    def unfunded_products(self) -> list[ProductGap]:
        return [row for row in self.products if row.unfunded]


def funding_gaps(
    *,
    access: Access,
    years: int = DEFAULT_GAP_YEARS,
    topic: Topic | None = None,
    today: date | None = None,
) -> FundingGaps:
    """Where the field is active but little money goes, as far as the viewer can see.

    For each top-level topic (or, with `topic`, for `topic` and each of its children), with
    everything under it rolled up:

    - activity = published resources in it + its products still in development (not yet at the
      final stage) + their stage changes in the last three years;
    - funding = investments in it over the last `years` years (this one included), in the base
      currency (an investment with no topic counts for its product's topics);
    - score = its share of all activity − its share of all funding. A topic with a third of the
      activity and a tenth of the money scores 0.33 − 0.10 = +0.23; the higher, the bigger the
      gap. Topics are ranked by score, highest first.

    Products still in development are listed with their funding over the same years, those with
    no investment at all first (they are flagged). About a dozen queries whatever the size."""
    today = today or timezone.localdate()
    years = max(1, int(years))
    since_year = today.year - years + 1
    try:
        changes_since = today.replace(year=today.year - RECENT_CHANGE_YEARS)
    except ValueError:  # 29 February
        changes_since = today.replace(year=today.year - RECENT_CHANGE_YEARS, day=28)
    tree = topic_tree(access.network)
    groups = tree.groups(topic)
    final = ProductStage.objects.filter(network=access.network).order_by("-position", "-pk").first()

    def grouped(topic_ids: Iterable[int]) -> set[int]:
        found = {tree.group_of(t, topic) for t in topic_ids}
        found.discard(None)
        return found  # type: ignore[return-value]

    # Published, visible resources per group (a resource counts once per group it touches).
    resource_topics: dict[int, list[int]] = defaultdict(list)
    pairs = Resource.topics.through.objects.filter(
        resource__in=resources_visible_to(access)
    ).values_list("resource_id", "topic_id")
    for resource_id, topic_id in pairs:
        resource_topics[resource_id].append(topic_id)
    resources: dict[int, int] = defaultdict(int)
    for topic_ids in resource_topics.values():
        for group in grouped(topic_ids):
            resources[group] += 1

    # Visible products still in development, with their topics and recent stage changes.
    active = products_visible_to(access).select_related("stage")
    if final is not None:
        active = active.exclude(stage=final)
    active_products = list(active.order_by("name"))
    product_ids = [product.pk for product in active_products]
    topics_of = _product_topics(access, product_ids)
    recent = dict(
        StageChange.objects.filter(product_id__in=product_ids, date__gte=changes_since)
        .values("product_id")
        .annotate(n=Count("pk"))
        .values_list("product_id", "n")
    )
    products: dict[int, int] = defaultdict(int)
    changes: dict[int, int] = defaultdict(int)
    for product in active_products:
        for group in grouped(topics_of.get(product.pk, [])):
            products[group] += 1
            changes[group] += recent.get(product.pk, 0)

    # Visible investments of the last `years` years, converted.
    rates = rates_for(access.network)
    investments = list(
        investments_visible_to(access).filter(year__gte=since_year, year__lte=today.year)
    )
    missing_topics = _product_topics(
        access,
        (
            i.product_id
            for i in investments
            if i.product_id and not i.topic_id and i.product_id not in topics_of
        ),
    )
    all_topics = {**missing_topics, **topics_of}
    converted, unconverted = convert_rows(rates, investments)
    funding: dict[int, Decimal] = defaultdict(lambda: ZERO)
    product_funding: dict[int, Decimal] = defaultdict(lambda: ZERO)
    product_investments: dict[int, int] = defaultdict(int)
    for investment, value in converted:
        for counted, share in _topic_shares(tree, topic, investment, all_topics):
            if counted is not None:
                funding[counted] += value * share
        if investment.product_id is not None:
            product_funding[investment.product_id] += value
            product_investments[investment.product_id] += 1
    # An investment that could not be converted still says the product is not unfunded.
    for investment in investments:
        if (
            investment.product_id is not None
            and rates.rate(investment.currency, investment.year) is None
        ):
            product_investments[investment.product_id] += 1

    rows = [
        TopicGap(
            topic=group,
            resources=resources.get(group.pk, 0),
            products=products.get(group.pk, 0),
            changes=changes.get(group.pk, 0),
            funding=funding.get(group.pk, ZERO),
        )
        for group in groups
    ]
    rows = [row for row in rows if row.activity or row.funding]
    total_activity = sum(row.activity for row in rows)
    total_funding = sum((row.funding for row in rows), ZERO)
    for row in rows:
        row.activity_share = row.activity / total_activity if total_activity else 0.0
        row.funding_share = float(row.funding / total_funding) if total_funding else 0.0
    rows.sort(key=lambda row: (-row.score, -row.activity, row.topic.name.lower()))

    product_rows = [
        ProductGap(
            product=product,
            funding=product_funding.get(product.pk, ZERO),
            investments=product_investments.get(product.pk, 0),
            changes=recent.get(product.pk, 0),
        )
        for product in active_products
    ]
    product_rows.sort(
        key=lambda row: (not row.unfunded, row.funding, -row.changes, row.product.name.lower())
    )
    return FundingGaps(
        years=years,
        since_year=since_year,
        changes_since=changes_since,
        base_currency=rates.base,
        topics=rows,
        products=product_rows,
        unconverted=sorted(unconverted.values(), key=lambda row: row.currency),
        total_activity=total_activity,
        total_funding=total_funding,
        parent=topic,
    )


def gap_chart(gaps: FundingGaps, labels: dict[str, str]) -> Chart:
    """Each topic's share of the activity beside its share of the funding, in per cent."""
    return Chart(
        labels=[row.topic.name for row in gaps.topics],
        datasets=[
            {
                "label": labels["activity"],
                "data": [row.activity_percent for row in gaps.topics],
            },
            {
                "label": labels["funding"],
                "data": [row.funding_percent for row in gaps.topics],
            },
        ],
        horizontal=True,
        unit="%",
    )


def products_for_export(*, access: Access) -> QuerySet[Product]:
    return (
        products_visible_to(access)
        .select_related("stage")
        .prefetch_related("developers", "topics")
        .order_by("name")
    )


def investments_for_export(*, access: Access) -> QuerySet[Investment]:
    return with_related(access, investments_visible_to(access)).order_by(
        "-year", "funder__name", "pk"
    )


def product_choices(*, network: Network) -> QuerySet[Product]:
    return Product.objects.filter(network=network).order_by("name")


def resource_choices(*, network: Network) -> QuerySet[Resource]:
    return Resource.objects.filter(network=network, status=Resource.Status.PUBLISHED).order_by(
        "title"
    )
