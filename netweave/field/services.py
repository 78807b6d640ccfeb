"""Every write of the field trackers goes through here: the network's stage model, products in
development and their stage history, investments, exchange rates and the base currency.

Views, the API, the CSV import and the demo call these functions. They raise `FieldError` (or one
of its subclasses; the message is safe to show to whoever asked) when a request breaks a rule of
the field trackers; the API answers those with a 409."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from netweave.field.models import (
    DEFAULT_STAGES,
    ExchangeRate,
    FundingSettings,
    Investment,
    Product,
    ProductStage,
    StageChange,
)
from netweave.library.models import Resource, Topic, Visibility
from netweave.networks.models import Network
from netweave.people.models import Organization, Person
from netweave.people.services import organization_get_or_create

# ISO 4217: the codes in use, the funds codes (BOV, CHE, …), special drawing rights (XDR), and
# codes withdrawn since 1999 that older investments were made in (DEM, FRF, HRK, …).
CURRENCIES = frozenset(
    """
    AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BOV BRL BSD BTN
    BWP BYN BZD CAD CDF CHE CHF CHW CLF CLP CNY COP COU CRC CUC CUP CVE CZK DJF DKK DOP DZD EGP
    ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK
    JMD JOD JPY KES KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK
    MNT MOP MRU MUR MVR MWK MXN MXV MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN
    PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SLL SOS SRD SSP STN SVC SYP SZL THB
    TJS TMT TND TOP TRY TTD TWD TZS UAH UGX USD USN UYI UYU UYW UZS VED VES VND VUV WST XAF XCD
    XCG XDR XOF XPF XSU XUA YER ZAR ZMW ZWG ZWL
    ATS BEF BYR CYP DEM EEK ESP FIM FRF GHC GRD HRK IEP ITL LTL LUF LVL MRO MTL MZM NLG PTE ROL
    SDD SIT SKK STD TMM TRL VEB VEF ZMK ZWD
    """.split()  # noqa: SIM905
)
EARLIEST_YEAR = 1900
# Investments may be pledged for the coming years; further out is almost surely a typing error.
YEARS_AHEAD = 10
RATE_PLACES = Decimal("0.00000001")
MAX_INDICATIONS = 50


class FieldError(Exception):
    """A request that breaks a rule of the field trackers; its message is safe to show."""


class StageInUse(FieldError):
    """A stage that products are at, or that their history mentions, cannot be removed."""


class NameTaken(FieldError):
    """Another stage or product of the network already has this name."""


class InvalidStageChange(FieldError):
    """A stage change in the future, to the stage the product is already at, or elsewhere."""


class InvalidInvestment(FieldError):
    """An amount, currency or year that cannot be right."""


class InvalidRate(FieldError):
    """An exchange rate that is not positive, or a base currency that cannot be switched to."""


# --- small checks ---------------------------------------------------------------------------------


def clean_currency(value: str) -> str:
    """A three-letter ISO 4217 code in capitals ("usd " → "USD"); FieldError otherwise."""
    code = (value or "").strip().upper()
    if code not in CURRENCIES:
        raise InvalidInvestment(
            _("“%(code)s” is not a currency code; use three letters such as USD, EUR or KES.")
            % {"code": value}
        )
    return code


def _same_network(network: Network, *rows: Any) -> None:
    for row in rows:
        if row is not None and row.network_id != network.pk:
            raise FieldError(_("“%(name)s” belongs to another network.") % {"name": row})


def _others(model: Any, network: Network, exclude: int | None) -> Any:
    """The network's rows of `model`, but for the one being changed (if any)."""
    rows = model.objects.filter(network=network)
    return rows if exclude is None else rows.exclude(pk=exclude)


def _today() -> date:
    return timezone.localdate()


# --- the stage model ------------------------------------------------------------------------------


def stages_ensure_default(network: Network) -> list[ProductStage]:
    """The network's stages, in order; a network with none gets DEFAULT_STAGES first."""
    with transaction.atomic():
        stages = list(ProductStage.objects.filter(network=network))
        if stages:
            return stages
        ProductStage.objects.bulk_create(
            [
                ProductStage(network=network, name=str(name), slug=slug, position=index)
                for index, (slug, name) in enumerate(DEFAULT_STAGES)
            ]
        )
        return list(ProductStage.objects.filter(network=network))


def _unique_stage_slug(network: Network, name: str, exclude: int | None = None) -> str:
    base = slugify(name)[:36] or "stage"
    taken = set(_others(ProductStage, network, exclude).values_list("slug", flat=True))
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def _clean_stage_name(network: Network, name: str, exclude: int | None = None) -> str:
    name = (name or "").strip()
    if not name:
        raise FieldError(_("A stage needs a name."))
    if len(name) > 80:
        raise FieldError(_("A stage's name has at most 80 characters."))
    clash = _others(ProductStage, network, exclude).filter(name__iexact=name)
    if clash.exists():
        raise NameTaken(_("There is already a stage called “%(name)s”.") % {"name": name})
    return name


def _renumber(network: Network, ordered: Sequence[ProductStage]) -> None:
    changed = []
    for index, stage in enumerate(ordered):
        if stage.position != index:
            stage.position = index
            changed.append(stage)
    if changed:
        ProductStage.objects.bulk_update(changed, ["position"])


@transaction.atomic
def stage_create(
    *, network: Network, name: str, slug: str = "", position: int | None = None
) -> ProductStage:
    """Add a stage at `position` (0 is first), at the end when None."""
    name = _clean_stage_name(network, name)
    slug = slugify(slug)[:40] if slug else _unique_stage_slug(network, name)
    if ProductStage.objects.filter(network=network, slug=slug).exists():
        raise NameTaken(
            _("There is already a stage with the short name “%(slug)s”.") % {"slug": slug}
        )
    last = ProductStage.objects.filter(network=network).aggregate(m=Max("position"))["m"]
    stage = ProductStage.objects.create(
        network=network, name=name, slug=slug, position=(last + 1) if last is not None else 0
    )
    if position is not None:
        stage_move(stage=stage, position=position)
        stage.refresh_from_db()
    return stage


@transaction.atomic
def stage_update(
    *, stage: ProductStage, name: str | None = None, slug: str | None = None
) -> ProductStage:
    """Rename a stage (its products and history follow, since they point at it)."""
    fields = []
    if name is not None:
        stage.name = _clean_stage_name(stage.network, name, exclude=stage.pk)
        fields.append("name")
    if slug is not None:
        slug = slugify(slug)[:40]
        if not slug:
            raise FieldError(_("A short name needs letters or digits."))
        if (
            ProductStage.objects.filter(network=stage.network, slug=slug)
            .exclude(pk=stage.pk)
            .exists()
        ):
            raise NameTaken(
                _("There is already a stage with the short name “%(slug)s”.") % {"slug": slug}
            )
        stage.slug = slug
        fields.append("slug")
    if fields:
        stage.save(update_fields=fields)
    return stage


@transaction.atomic
def stage_move(*, stage: ProductStage, position: int) -> list[ProductStage]:
    """Put `stage` at `position` (0 is first; beyond the end means last) and number the stages
    0, 1, 2... again. Returns the stages in their new order."""
    stages = [
        s
        for s in ProductStage.objects.select_for_update().filter(network=stage.network_id)
        if s.pk != stage.pk
    ]
    position = max(0, min(position, len(stages)))
    stages.insert(position, stage)
    _renumber(stage.network, stages)
    return stages


@transaction.atomic
def stage_delete(*, stage: ProductStage) -> None:
    """Remove a stage nobody uses: no product is at it and no stage change mentions it."""
    products = Product.objects.filter(stage=stage).count()
    changes = StageChange.objects.filter(stage=stage).count()
    changes += StageChange.objects.filter(from_stage=stage).exclude(stage=stage).count()
    if products or changes:
        raise StageInUse(
            _(
                "The stage “%(name)s” is in use (%(products)d products are at it, %(changes)d "
                "stage changes mention it), so it cannot be removed. Rename it instead, or move "
                "those products to another stage and correct their history first."
            )
            % {"name": stage.name, "products": products, "changes": changes}
        )
    network = stage.network
    stage.delete()
    _renumber(network, list(ProductStage.objects.filter(network=network)))


def final_stage(network: Network) -> ProductStage | None:
    """The last stage of the model (e.g. "Approved"): its products are no longer in development."""
    return ProductStage.objects.filter(network=network).order_by("-position", "-pk").first()


# --- products -------------------------------------------------------------------------------------


def clean_indications(values: Iterable[str] | str) -> list[str]:
    """Indications from a list or from text (one per line, or separated by commas or
    semicolons), trimmed, without duplicates (case-insensitive), in the order given."""
    if isinstance(values, str):
        values = re.split(r"[\n;,]", values)
    seen: dict[str, str] = {}
    for value in values:
        text = " ".join(str(value).split())[:200]
        if text and text.lower() not in seen:
            seen[text.lower()] = text
    if len(seen) > MAX_INDICATIONS:
        raise FieldError(_("At most %(n)d indications, please.") % {"n": MAX_INDICATIONS})
    return list(seen.values())


def organizations_from_names(names: Iterable[str]) -> list[Organization]:
    """The organizations with these names, made when new (organizations are shared by every
    network of the installation, so an existing one is found whatever its case)."""
    found: dict[int, Organization] = {}
    for name in names:
        name = " ".join(str(name).split())[:200]
        if name:
            organization = organization_get_or_create(name=name)
            found.setdefault(organization.pk, organization)
    return list(found.values())


def _clean_product_name(network: Network, name: str, exclude: int | None = None) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise FieldError(_("A product needs a name."))
    if len(name) > 200:
        raise FieldError(_("A product's name has at most 200 characters."))
    clash = _others(Product, network, exclude).filter(name__iexact=name)
    if clash.exists():
        raise NameTaken(_("There is already a product called “%(name)s”.") % {"name": name})
    return name


def _check_links(
    network: Network, topics: Sequence[Topic] | None, resources: Sequence[Resource] | None
) -> None:
    _same_network(network, *(topics or []), *(resources or []))


@transaction.atomic
def product_create(
    *,
    network: Network,
    name: str,
    kind: str = Product.Kind.OTHER,
    stage: ProductStage | None = None,
    stage_date: date | None = None,
    stage_source: str = "",
    developers: Sequence[Organization] = (),
    indications: Iterable[str] | str = (),
    description: str = "",
    website: str = "",
    topics: Sequence[Topic] = (),
    resources: Sequence[Resource] = (),
    visibility: str = Visibility.NETWORK,
    by: Person | None = None,
) -> Product:
    """A new product; with a stage, its history starts with reaching that stage on
    `stage_date` (today when not given)."""
    name = _clean_product_name(network, name)
    _check_links(network, topics, resources)
    product = Product.objects.create(
        network=network,
        name=name,
        kind=kind,
        indications=clean_indications(indications),
        description=description,
        website=website,
        visibility=visibility,
    )
    product.developers.set(developers)
    product.topics.set(topics)
    product.resources.set(resources)
    if stage is not None:
        product_change_stage(
            product=product, stage=stage, date=stage_date or _today(), source=stage_source, by=by
        )
        product.refresh_from_db()
    return product


_UNSET: Any = object()


@transaction.atomic
def product_update(
    *,
    product: Product,
    name: str = _UNSET,
    kind: str = _UNSET,
    developers: Sequence[Organization] = _UNSET,
    indications: Iterable[str] | str = _UNSET,
    description: str = _UNSET,
    website: str = _UNSET,
    topics: Sequence[Topic] = _UNSET,
    resources: Sequence[Resource] = _UNSET,
    visibility: str = _UNSET,
) -> Product:
    """Change what is given and leave the rest. The stage changes only through
    `product_change_stage`, so that the history always says when and from where."""
    fields = []
    if name is not _UNSET:
        product.name = _clean_product_name(product.network, name, exclude=product.pk)
        fields.append("name")
    if indications is not _UNSET:
        product.indications = clean_indications(indications)
        fields.append("indications")
    for field, value in (
        ("kind", kind),
        ("description", description),
        ("website", website),
        ("visibility", visibility),
    ):
        if value is not _UNSET:
            setattr(product, field, value)
            fields.append(field)
    if fields:
        product.save(update_fields=[*fields, "updated_at"])
    if developers is not _UNSET:
        product.developers.set(developers)
    if topics is not _UNSET:
        _check_links(product.network, topics, None)
        product.topics.set(topics)
    if resources is not _UNSET:
        _check_links(product.network, None, resources)
        product.resources.set(resources)
    return product


@transaction.atomic
def product_delete(*, product: Product) -> None:
    """Remove a product and its stage history; investments in it stay, without a product."""
    product.delete()


@transaction.atomic
def product_change_stage(
    *,
    product: Product,
    stage: ProductStage,
    date: date,
    source: str = "",
    note: str = "",
    by: Person | None = None,
) -> StageChange:
    """Record that `product` reached `stage` on `date` (today or earlier).

    A change may be dated before changes already recorded (history is often filled in late):
    it goes in its place by date, each change's `from_stage` is the stage of the change before
    it, and the product's stage is the one of its latest change. Reaching the stage the product
    is already at on that date (or that the next recorded change moves it to) is refused."""
    if stage.network_id != product.network_id:
        raise InvalidStageChange(_("This stage belongs to another network's stage model."))
    if date > _today():
        raise InvalidStageChange(
            _("The date %(date)s is in the future; record a stage once it is reached.")
            % {"date": date.isoformat()}
        )
    # One writer per product at a time, so that two changes cannot interleave their chains.
    Product.objects.select_for_update().filter(pk=product.pk).first()
    history = list(product.stage_history.order_by("date", "pk"))
    # Without history, a product may still have a stage (set by an import, or in the admin).
    start = history[0].from_stage_id if history else product.stage_id
    before = [change for change in history if change.date <= date]
    after = [change for change in history if change.date > date]
    previous_stage = before[-1].stage_id if before else start
    if previous_stage == stage.pk:
        raise InvalidStageChange(
            _("%(product)s is already at “%(stage)s” on %(date)s.")
            % {"product": product.name, "stage": stage.name, "date": date.isoformat()}
        )
    if after and after[0].stage_id == stage.pk:
        raise InvalidStageChange(
            _(
                "The change recorded on %(date)s already moves %(product)s to “%(stage)s”; "
                "correct that date instead."
            )
            % {"date": after[0].date.isoformat(), "product": product.name, "stage": stage.name}
        )
    change = StageChange.objects.create(
        network_id=product.network_id,
        product=product,
        from_stage_id=previous_stage,
        stage=stage,
        date=date,
        source=source.strip()[:1000],
        note=note.strip(),
        recorded_by=by,
    )
    _rechain(product, start)
    return change


def _rechain(product: Product, start: int | None) -> None:
    """Each change comes from the stage of the change before it; the product is at the stage of
    its latest change, since that change's date."""
    previous = start
    latest = None
    for change in product.stage_history.order_by("date", "pk"):
        if change.from_stage_id != previous:
            change.from_stage_id = previous
            change.save(update_fields=["from_stage"])
        previous = change.stage_id
        latest = change
    if latest is not None:
        product.stage_id = latest.stage_id
        product.stage_since = latest.date
        product.save(update_fields=["stage", "stage_since", "updated_at"])


# --- investments ----------------------------------------------------------------------------------


def clean_amount(value: Decimal | int | str | float) -> Decimal:
    try:
        amount = Decimal(str(value).strip().replace(",", "").replace(" ", ""))
    except InvalidOperation:
        raise InvalidInvestment(
            _("“%(value)s” is not an amount; write digits, with a dot for decimals.")
            % {"value": value}
        ) from None
    if not amount.is_finite() or amount <= 0:
        raise InvalidInvestment(_("An amount must be more than zero."))
    if amount >= Decimal("1e14"):
        raise InvalidInvestment(_("This amount is too large; check the number of zeros."))
    return amount.quantize(Decimal("0.01"))


def clean_year(year: int) -> int:
    latest = _today().year + YEARS_AHEAD
    if not EARLIEST_YEAR <= int(year) <= latest:
        raise InvalidInvestment(
            _("The year must be between %(first)d and %(last)d.")
            % {"first": EARLIEST_YEAR, "last": latest}
        )
    return int(year)


def _check_investment(
    network: Network,
    funder: Organization | None,
    recipient: Organization | None,
    topic: Topic | None,
    product: Product | None,
) -> None:
    if funder is not None and recipient is not None and funder.pk == recipient.pk:
        raise InvalidInvestment(_("The funder and the recipient are the same organization."))
    _same_network(network, topic, product)


@transaction.atomic
def investment_create(
    *,
    network: Network,
    funder: Organization,
    amount: Decimal | int | str,
    year: int,
    currency: str = "",
    recipient: Organization | None = None,
    title: str = "",
    topic: Topic | None = None,
    product: Product | None = None,
    source: str = "",
    visibility: str = Visibility.NETWORK,
) -> Investment:
    """Money from `funder` to `recipient`; `currency` defaults to the network's base currency."""
    _check_investment(network, funder, recipient, topic, product)
    currency = clean_currency(currency) if currency else funding_settings_get(network).base_currency
    return Investment.objects.create(
        network=network,
        funder=funder,
        recipient=recipient,
        amount=clean_amount(amount),
        currency=currency,
        year=clean_year(year),
        title=title.strip()[:300],
        topic=topic,
        product=product,
        source=source.strip()[:1000],
        visibility=visibility,
    )


@transaction.atomic
def investment_update(
    *,
    investment: Investment,
    funder: Organization = _UNSET,
    recipient: Organization | None = _UNSET,
    amount: Decimal | int | str = _UNSET,
    currency: str = _UNSET,
    year: int = _UNSET,
    title: str = _UNSET,
    topic: Topic | None = _UNSET,
    product: Product | None = _UNSET,
    source: str = _UNSET,
    visibility: str = _UNSET,
) -> Investment:
    """Change what is given and leave the rest."""
    values: dict[str, Any] = {}
    if funder is not _UNSET:
        values["funder"] = funder
    if recipient is not _UNSET:
        values["recipient"] = recipient
    if amount is not _UNSET:
        values["amount"] = clean_amount(amount)
    if currency is not _UNSET:
        values["currency"] = clean_currency(currency)
    if year is not _UNSET:
        values["year"] = clean_year(year)
    if title is not _UNSET:
        values["title"] = title.strip()[:300]
    if topic is not _UNSET:
        values["topic"] = topic
    if product is not _UNSET:
        values["product"] = product
    if source is not _UNSET:
        values["source"] = source.strip()[:1000]
    if visibility is not _UNSET:
        values["visibility"] = visibility
    for field, value in values.items():
        setattr(investment, field, value)
    _check_investment(
        investment.network,
        investment.funder,
        investment.recipient,
        investment.topic,
        investment.product,
    )
    if values:
        investment.save(update_fields=[*values, "updated_at"])
    return investment


@transaction.atomic
def investment_delete(*, investment: Investment) -> None:
    investment.delete()


# --- exchange rates and the base currency ---------------------------------------------------------


def funding_settings_get(network: Network) -> FundingSettings:
    """The network's funding settings (USD until a coordinator says otherwise)."""
    settings, _created = FundingSettings.objects.get_or_create(network=network)
    return settings


def clean_rate(value: Decimal | int | str | float) -> Decimal:
    try:
        rate = Decimal(str(value).strip())
    except InvalidOperation:
        raise InvalidRate(
            _("“%(value)s” is not a rate; write a number such as 1.08.") % {"value": value}
        ) from None
    if not rate.is_finite() or rate <= 0:
        raise InvalidRate(_("A rate must be more than zero."))
    rate = rate.quantize(RATE_PLACES)
    if rate <= 0 or rate >= Decimal("1e10"):
        raise InvalidRate(_("This rate is out of range; check the number of zeros."))
    return rate


@transaction.atomic
def exchange_rate_set(
    *, network: Network, currency: str, year: int | None, rate: Decimal | int | str
) -> ExchangeRate:
    """1 `currency` = `rate` units of the base currency, for `year` (None: for any year that has
    no rate of its own). Setting it again replaces it."""
    currency = clean_currency(currency)
    base = funding_settings_get(network).base_currency
    if currency == base:
        raise InvalidRate(
            _("%(code)s is the base currency: it is always worth 1 %(code)s.") % {"code": base}
        )
    if year is not None:
        year = clean_year(year)
    value = clean_rate(rate)
    row = ExchangeRate.objects.filter(network=network, currency=currency, year=year).first()
    if row is None:
        try:
            with transaction.atomic():
                return ExchangeRate.objects.create(
                    network=network, currency=currency, year=year, rate=value
                )
        except IntegrityError:  # someone else entered it at the same moment
            row = ExchangeRate.objects.get(network=network, currency=currency, year=year)
    row.rate = value
    row.save(update_fields=["rate"])
    return row


@transaction.atomic
def exchange_rate_delete(*, rate: ExchangeRate) -> None:
    rate.delete()


@transaction.atomic
def funding_settings_update(*, network: Network, base_currency: str) -> FundingSettings:
    """Report funding in `base_currency` from now on.

    Rates say what a currency is worth in the base currency, so switching converts them: each
    rate is divided by the rate of the new base for the same year (or its any-year rate), and
    the old base gets a rate of its own. Without a rate for the new base, there is nothing to
    convert with: the switch is refused and says which rate to enter first."""
    settings = FundingSettings.objects.select_for_update().get_or_create(network=network)[0]
    new = clean_currency(base_currency)
    old = settings.base_currency
    if new == old:
        return settings
    rates = list(ExchangeRate.objects.filter(network=network))
    if rates:
        pivot = {row.year: row.rate for row in rates if row.currency == new}
        if not pivot:
            raise InvalidRate(
                _(
                    "The exchange rates are in %(old)s. Enter what 1 %(new)s is worth in "
                    "%(old)s first, so that they can be converted to %(new)s."
                )
                % {"old": old, "new": new}
            )
        converted: list[ExchangeRate] = []
        for row in rates:
            if row.currency == new:
                continue
            through = pivot.get(row.year, pivot.get(None))
            if through is None:
                raise InvalidRate(
                    _(
                        "There is a rate for %(code)s in %(year)s but none for %(new)s in that "
                        "year (nor for any year): enter one first."
                    )
                    % {"code": row.currency, "year": row.year, "new": new}
                )
            row.rate = clean_rate(row.rate / through)
            converted.append(row)
        ExchangeRate.objects.filter(network=network, currency=new).delete()
        ExchangeRate.objects.bulk_update(converted, ["rate"])
        ExchangeRate.objects.bulk_create(
            [
                ExchangeRate(network=network, currency=old, year=year, rate=clean_rate(1 / rate))
                for year, rate in pivot.items()
            ]
        )
    settings.base_currency = new
    settings.save(update_fields=["base_currency"])
    return settings
