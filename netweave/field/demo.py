"""Demo: the field trackers of the learning network (`lahp`), and a few rows for the action
network (`vdan`).

- The default stage model, and 25 products in development across all of its stages (vaccines,
  drugs, biologics, devices, diagnostics, a digital tool), made by demo organizations and three
  outside developers, with indications, topics, linked resources and stage histories of one to
  five changes, each with its source.
- 150 investments over six years from ten funders (four of them created here), in USD, EUR, GBP
  and CHF with the exchange rates to convert them (EUR per year; GBP and CHF for any year, GBP
  with one year of its own) and two in AUD, which has no rate: the funding page says they are
  not converted. The money is deliberately uneven: products and delivery programmes get most of
  it; community work, regulatory and safety work, and pregnancy and breastfeeding get almost
  nothing though the library and the pipeline are busy with them, so the funding-gap page finds
  them. Four or five products in development have no investment at all (flagged there too).

Written directly with bulk inserts, keeping the rules of the field services: each product's
history is a chain (the first change from no stage, each next one from the stage before) that
ends at the product's stage on its `stage_since` date."""

from __future__ import annotations

import random
from collections import Counter
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.text import slugify

from netweave.demo import data
from netweave.demo.load import DEMO_SLUGS, DemoContext, demo_step
from netweave.demo.plan import LAHP, VDAN
from netweave.field import demo_data as field_words
from netweave.library import demo_data as library_words
from netweave.library.demo_data import bare

INVESTMENTS = 150
UNFUNDED_PRODUCTS = {
    "CMEMT-R2 pregnancy-safe monthly ring",
    "NB-DBS drug-level assay",
    "Entoto SR-1 self-sampling HIV RNA test",
    "Pwani PrEP Companion app",
}
# How often an investment in a topic funds one of its products rather than a programme.
PRODUCT_SHARE = {
    "injectables": 0.6, "implants-and-rings": 0.6, "long-acting-products": 0.7,
    "pricing-procurement": 0.3, "monitoring-evaluation": 0.4, "differentiated-delivery": 0.2,
    "pharmacy-delivery": 0.2, "agyw": 0.15,
}  # fmt: skip
AUD_PER_USD = Decimal("1.52")


def remove_field() -> None:
    """Investments protect their funders and recipients: they go first, then the products, then
    the organizations this step created when nothing else uses them."""
    from netweave.field.models import Investment, Product
    from netweave.people.models import Organization

    Investment.objects.filter(network__slug__in=DEMO_SLUGS).delete()
    Product.objects.filter(network__slug__in=DEMO_SLUGS).delete()
    Organization.objects.filter(
        name__in=[org.name for org in field_words.FIELD_ORGANIZATIONS],
        affiliations__isnull=True,
        hosted_networks__isnull=True,
        investments_made__isnull=True,
        investments_received__isnull=True,
        products__isnull=True,
    ).delete()


def _organizations(ctx: DemoContext) -> None:
    from netweave.people.services import organization_get_or_create

    for org in field_words.FIELD_ORGANIZATIONS:
        ctx.organizations[org.name] = organization_get_or_create(
            name=org.name,
            kind=org.kind,
            country=org.country,
            sector=org.sector,
            website=org.website,
        )


def _stages(network: Any) -> list[Any]:
    """The network's stage model (the default one, made here if the network has none)."""
    from netweave.field.models import DEFAULT_STAGES, ProductStage

    if not ProductStage.objects.filter(network=network).exists():
        ProductStage.objects.bulk_create(
            [
                ProductStage(network=network, name=str(name), slug=slug, position=index)
                for index, (slug, name) in enumerate(DEFAULT_STAGES)
            ]
        )
    return list(ProductStage.objects.filter(network=network).order_by("position", "pk"))


def _fmt_day(day: date) -> str:
    return f"{day.day} {library_words.MONTHS['en'][day.month - 1]} {day.year}"


class Field:
    def __init__(self, ctx: DemoContext, network: Any) -> None:
        from netweave.library.models import Topic

        self.ctx, self.rng, self.network = ctx, ctx.rng, network
        self.today = ctx.today
        self.now = timezone.now()
        self.topics = {t.slug: t for t in Topic.objects.filter(network=network)}
        self.stages = _stages(network)
        self.stage_index = {stage.slug: i for i, stage in enumerate(self.stages)}
        lead = ctx.people[data.COORDINATOR_EMAIL]
        self.recorders = [lead] + [
            ctx.people[m.email]
            for m in ctx.plan.memberships
            if m.network == network.slug
            and m.status == "active"
            and m.role in ("coordinator", "steward")
            and m.email != data.COORDINATOR_EMAIL
        ]

    def moment(self, day: date) -> datetime:
        when = timezone.make_aware(
            datetime.combine(day, time(self.rng.randint(8, 17), self.rng.randint(0, 59)))
        )
        return min(when, self.now - timedelta(minutes=10))

    def source(self, stage: str, day: date) -> str:
        template = self.rng.choice(field_words.STAGE_SOURCES[stage])
        month = library_words.MONTHS["en"][day.month - 1]
        return template.format(
            date=_fmt_day(day),
            month_year=f"{month} {day.year}",
            trial=self.rng.randint(4_000_000, 7_299_999),
        )

    def history(self, stage: str, kind: str) -> list[tuple[int, date]]:
        """(stage index, date reached) from the first change recorded to the current stage.
        Digital tools and diagnostics have no discovery stage to speak of."""
        rng = self.rng
        current = self.stage_index[stage]
        earliest = {"digital": 2, "diagnostic": 1}.get(kind, 0)
        back = rng.randint(0, max(0, min(4, current - earliest)))
        since = self.today - timedelta(days=rng.randint(*field_words.STAGE_SINCE[stage]))
        chain = [(current, since)]
        for index in range(current - 1, current - back - 1, -1):
            days = rng.randint(*field_words.STAGE_DAYS[self.stages[index].slug])
            chain.insert(0, (index, chain[0][1] - timedelta(days=days)))
        return chain

    def products(self, specs: list[field_words.ProductSpec]) -> list[tuple[Any, Any]]:
        """The products with their stage histories; returns (product, spec) pairs."""
        from netweave.field.models import Product, StageChange
        from netweave.library.models import Resource

        rng = self.rng
        published = list(
            Resource.objects.filter(network=self.network, status="published")
            .order_by("pk")
            .values_list("pk", "topics__slug")
        )
        by_topic: dict[str, list[int]] = {}
        for pk, slug in published:
            if slug:
                by_topic.setdefault(slug, []).append(pk)
        rows, histories = [], []
        for spec in specs:
            chain = self.history(spec.stage, spec.kind)
            developer = self.ctx.organizations[spec.developers[0]]
            rows.append(
                Product(
                    network=self.network,
                    name=spec.name,
                    kind=spec.kind,
                    stage=self.stages[chain[-1][0]],
                    stage_since=chain[-1][1],
                    indications=list(spec.indications),
                    description=spec.description,
                    website=f"{developer.website.rstrip('/')}/pipeline/{slugify(spec.name)}",
                    visibility=spec.visibility,
                    created_at=self.moment(chain[0][1] + timedelta(days=rng.randint(1, 20))),
                )
            )
            histories.append(chain)
        products = Product.objects.bulk_create(rows)
        changes = []
        for product, chain in zip(products, histories, strict=True):
            previous = None
            for index, day in chain:
                stage = self.stages[index]
                changes.append(
                    StageChange(
                        network=self.network,
                        product=product,
                        from_stage=previous,
                        stage=stage,
                        date=day,
                        source=self.source(stage.slug, day),
                        note=rng.choice(field_words.STAGE_NOTES.get(stage.slug, [""])),
                        recorded_by=rng.choice(self.recorders),
                        created_at=max(
                            product.created_at, self.moment(day + timedelta(days=rng.randint(0, 6)))
                        ),
                    )
                )
                previous = stage
        StageChange.objects.bulk_create(changes)
        through_developers = Product.developers.through
        through_topics = Product.topics.through
        through_resources = Product.resources.through
        developer_rows, topic_rows, resource_rows = [], [], []
        for product, spec in zip(products, specs, strict=True):
            for name in spec.developers:
                developer_rows.append(
                    through_developers(
                        product_id=product.pk, organization_id=self.ctx.organizations[name].pk
                    )
                )
            for slug in spec.topics:
                topic_rows.append(
                    through_topics(product_id=product.pk, topic_id=self.topics[slug].pk)
                )
            candidates = sorted({pk for slug in spec.topics for pk in by_topic.get(slug, [])})
            for pk in rng.sample(candidates, min(len(candidates), rng.randint(1, 4))):
                resource_rows.append(through_resources(product_id=product.pk, resource_id=pk))
        through_developers.objects.bulk_create(developer_rows)
        through_topics.objects.bulk_create(topic_rows)
        through_resources.objects.bulk_create(resource_rows)
        return list(zip(products, specs, strict=True))


def _rates(network: Any, year: int) -> dict[tuple[str, int | None], Decimal]:
    from netweave.field.models import ExchangeRate, FundingSettings

    FundingSettings.objects.get_or_create(network=network, defaults={"base_currency": "USD"})
    rates: dict[tuple[str, int | None], Decimal] = {}
    for age, rate in enumerate(field_words.EUR_BY_AGE):
        rates[("EUR", year - age)] = Decimal(str(rate))
    rates[("GBP", None)] = Decimal(str(field_words.GBP_ANY_YEAR))
    for age, rate in field_words.GBP_BY_AGE.items():
        rates[("GBP", year - age)] = Decimal(str(rate))
    rates[("CHF", None)] = Decimal(str(field_words.CHF_ANY_YEAR))
    ExchangeRate.objects.bulk_create(
        [
            ExchangeRate(network=network, currency=currency, year=year_, rate=rate)
            for (currency, year_), rate in sorted(
                rates.items(), key=lambda kv: (kv[0][0], kv[0][1] or 0)
            )
        ]
    )
    return rates


def _in_currency(
    usd: int, currency: str, year: int, rates: dict[tuple[str, int | None], Decimal]
) -> Decimal:
    """`usd` US dollars in `currency`, rounded to a thousand the way grants are."""
    if currency == "USD":
        amount = Decimal(usd)
    elif currency == field_words.UNCONVERTED_CURRENCY:
        amount = Decimal(usd) * AUD_PER_USD
    else:
        rate = rates.get((currency, year)) or rates[(currency, None)]
        amount = Decimal(usd) / rate
    return (amount / 1000).quantize(Decimal(1)) * 1000


def _investments(
    ctx: DemoContext,
    network: Any,
    topics: dict[str, Any],
    products: list[tuple[Any, Any]],
    rates: dict[tuple[str, int | None], Decimal],
) -> list[Any]:
    from netweave.field.models import Investment

    rng: random.Random = ctx.rng
    year_now = ctx.today.year
    years = list(range(year_now - len(field_words.YEAR_WEIGHTS) + 1, year_now + 1))
    funders = list(field_words.FUNDERS)
    recipients = [
        ctx.organizations[o.name]
        for o in ctx.plan.organizations
        if o.kind in ("ngo", "university", "government")
    ]
    places = list(library_words.PLACES)
    children: dict[str, list[str]] = {}
    for spec in library_words.LAHP_TOPICS:
        if spec.parent:
            children.setdefault(spec.parent, []).append(spec.slug)
    first_year = {product.pk: product.created_at.year for product, _spec in products}
    plan: list[str] = []
    for slug, funding in field_words.FUNDING.items():
        plan += [slug] * funding.investments
    assert len(plan) == INVESTMENTS
    chosen_funders = rng.choices(funders, weights=[f.weight for f in funders], k=INVESTMENTS)
    # Two of Harbourlight's grants are in a currency the network has no rate for.
    harbourlight = [
        i for i, f in enumerate(chosen_funders) if f.name == field_words.UNCONVERTED_FUNDER
    ]
    while len(harbourlight) < 2:
        index = rng.randrange(INVESTMENTS)
        if index not in harbourlight:
            chosen_funders[index] = next(
                f for f in funders if f.name == field_words.UNCONVERTED_FUNDER
            )
            harbourlight.append(index)
    unconverted = set(sorted(harbourlight)[:2])
    fundable = [(p, spec) for p, spec in products if spec.name not in UNFUNDED_PRODUCTS]
    # Every product the network follows has some money behind it, but the four left out.
    linked: dict[int, tuple[Any, Any]] = {}
    for pair in fundable:
        slots = [
            i
            for i, slug in enumerate(plan)
            if slug in pair[1].topics and i not in linked and i not in unconverted
        ]
        if slots:
            linked[rng.choice(slots)] = pair
    rows = []
    for index, (slug, funder) in enumerate(zip(plan, chosen_funders, strict=True)):
        funding = field_words.FUNDING[slug]
        usd = rng.randint(funding.low, funding.high) * 1000
        year = rng.choices(years, weights=field_words.YEAR_WEIGHTS)[0]
        product = None
        candidates = [(p, spec) for p, spec in fundable if slug in spec.topics]
        if index in linked or (candidates and rng.random() < PRODUCT_SHARE.get(slug, 0)):
            product, spec = linked.get(index) or rng.choice(candidates)
            year = max(year, first_year[product.pk])
            recipient = ctx.organizations[rng.choice(spec.developers)]
            stage = product.stage
            if stage.slug.startswith("phase-"):
                title = field_words.PRODUCT_PURPOSES[0].format(
                    stage=stage.name, product=product.name
                )
            elif stage.slug == "regulatory":
                title = field_words.PRODUCT_PURPOSES[2].format(product=product.name)
            elif stage.slug == "approved":
                title = rng.choice(field_words.PRODUCT_PURPOSES[1::3]).format(product=product.name)
            else:
                title = field_words.PRODUCT_PURPOSES[3].format(product=product.name)
        else:
            recipient = rng.choice(recipients)
            leaf = slug if slug in library_words.SUBJECTS else rng.choice(children[slug])
            subject = rng.choice(library_words.SUBJECTS[leaf]).en
            place = rng.choice(places)
            title = rng.choice(field_words.PROGRAMME_PURPOSES).format(
                S=bare(subject),
                s=subject,
                where=place.where.en,
                city=rng.choice(place.cities),
                n=rng.randint(3, 30),
            )
        currency = field_words.UNCONVERTED_CURRENCY if index in unconverted else funder.currency
        funder_org = ctx.organizations[funder.name]
        source = rng.choice(field_words.SOURCES).format(
            domain=funder_org.website.split("/")[2],
            year=year,
            number=f"{rng.randint(1, 480):04d}",
            funder=funder.name,
        )
        rows.append(
            Investment(
                network=network,
                funder=funder_org,
                recipient=recipient,
                title=title[:300],
                amount=_in_currency(usd, currency, year, rates),
                currency=currency,
                year=year,
                topic=topics[slug],
                product=product,
                source=source,
                visibility=rng.choices(
                    ["public", "network", "coordinators"], weights=[0.8, 0.15, 0.05]
                )[0],
            )
        )
    return Investment.objects.bulk_create(rows)


def _action_network(ctx: DemoContext) -> tuple[int, int]:
    from netweave.field.models import ExchangeRate, FundingSettings, Investment

    network = ctx.networks[VDAN]
    field = Field(ctx, network)
    products = field.products(field_words.VDAN_PRODUCTS)
    FundingSettings.objects.get_or_create(network=network, defaults={"base_currency": "USD"})
    ExchangeRate.objects.create(network=network, currency="EUR", year=None, rate=Decimal("1.10"))
    patch = next(pair for pair in products if "microarray" in pair[0].name)
    funders = {f.name: f.currency for f in field_words.FUNDERS}
    rows = []
    for funder, topic, title, thousands in field_words.VDAN_FUNDING:
        currency = "EUR" if funders[funder] == "EUR" else "USD"
        amount = Decimal(thousands * 1000)
        if currency == "EUR":
            amount = (amount / Decimal("1.10") / 1000).quantize(Decimal(1)) * 1000
        product, spec = patch if "microarray" in title else (None, None)
        rows.append(
            Investment(
                network=network,
                funder=ctx.organizations[funder],
                recipient=ctx.organizations[spec.developers[0]] if spec else None,
                title=title,
                amount=amount,
                currency=currency,
                year=ctx.today.year - ctx.rng.randint(0, 2),
                topic=field.topics[topic],
                product=product,
                visibility="network",
            )
        )
    Investment.objects.bulk_create(rows)
    return len(products), len(rows)


@demo_step("field", order=610, remove=remove_field)
def load_field(ctx: DemoContext) -> None:
    """Stage model, products with histories, funders, exchange rates, investments (see the
    module). Runs after the library's step: products and investments are filed under its
    topics and link to its resources."""
    _organizations(ctx)
    network = ctx.networks[LAHP]
    field = Field(ctx, network)
    products = field.products(field_words.PRODUCTS)
    rates = _rates(network, ctx.today.year)
    investments = _investments(ctx, network, field.topics, products, rates)
    vdan_products, vdan_investments = _action_network(ctx)
    stages = Counter(product.stage.slug for product, _spec in products)
    currencies = Counter(investment.currency for investment in investments)
    ctx.log(
        f"    {len(products)} products in {LAHP} ("
        + ", ".join(f"{stages[stage.slug]} {stage.slug}" for stage in field.stages)
        + f"), {len(investments)} investments ("
        + ", ".join(f"{n} {code}" for code, n in sorted(currencies.items()))
        + f"); {vdan_products} products and {vdan_investments} investments in {VDAN}"
    )
