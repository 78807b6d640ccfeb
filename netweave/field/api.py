"""API v1: the field trackers. The stage model, products in development and their stage
history, investments, exchange rates, funding totals in the base currency, and the funding gap.

Mounted by netweave/api/api.py as `api.add_router("", field_router)`. Reading follows the pages:
everyone who can see the network sees its public products and investments, observers and up the
network's own, stewards and coordinators every row; only they write. A broken rule of the field
(`FieldError`: a name already taken, a stage in use, a change to the stage a product is already
at) is a 409; input that cannot be right (a date in the future, an unknown currency code, an id
from another network) is a 400 that names the field.

Money goes out as decimal strings ("1500.00"), never as binary floats."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Literal

from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.responses import Status
from pydantic import field_validator

from netweave.api.auth import network_access
from netweave.api.errors import responses
from netweave.api.pagination import Page, PageIn, paginate
from netweave.api.schemas import BodyIn, OrganizationRef, PatchIn
from netweave.field import selectors, services
from netweave.field.models import ExchangeRate, Investment, Product, ProductStage, StageChange
from netweave.library.models import Resource, Topic
from netweave.networks.permissions import Access, Capability
from netweave.people.models import Organization

router = Router(tags=["field"])

# Literal copies of the model choices keep the OpenAPI document explicit; a test checks them.
KindName = Literal["vaccine", "drug", "diagnostic", "device", "biologic", "digital", "other"]
VisibilityName = Literal["public", "network", "coordinators"]

CENT = Decimal("0.01")


def _denied(key: str) -> str:
    return {
        "curate": _("Only stewards and coordinators change the field trackers."),
        "rates": _("Only stewards and coordinators see and set the exchange rates."),
    }[key]


def _money(value: Decimal | None) -> str | None:
    return None if value is None else str(value.quantize(CENT))


def _clean_currency(value: str) -> str:
    try:
        return services.clean_currency(value)
    except services.FieldError as error:
        raise ValueError(str(error)) from None


def _not_future(value: dt.date | None) -> dt.date | None:
    if value is not None and value > timezone.localdate():
        raise ValueError(_("this date is in the future; record a stage once it is reached."))
    return value


def _year(value: int | None) -> int | None:
    if value is None:
        return None
    try:
        return services.clean_year(value)
    except services.FieldError as error:
        raise ValueError(str(error)) from None


# --- schemas -------------------------------------------------------------------------------------


class StageRef(Schema):
    id: int
    slug: str
    name: str


class TopicRef(Schema):
    id: int
    slug: str
    name: str


class ProductRef(Schema):
    id: int
    name: str


class ResourceRef(Schema):
    id: int
    title: str


class StageOut(StageRef):
    position: int = Field(..., description="0 for the first stage.")
    products: int = Field(..., description="Products at this stage that the caller may see.")


class StageIn(BodyIn):
    name: str = Field(..., min_length=1, max_length=80)
    slug: str = Field("", max_length=40, description="Made from the name when left out.")
    position: int | None = Field(None, ge=0, description="0 is first; at the end when left out.")


class StagePatchIn(PatchIn):
    name: str | None = Field(None, min_length=1, max_length=80)
    slug: str | None = Field(None, min_length=1, max_length=40)
    position: int | None = Field(None, ge=0, description="Move the stage here (0 is first).")


class StageChangeOut(Schema):
    id: int
    product: ProductRef
    from_stage: StageRef | None = Field(..., description="Null for the first recorded stage.")
    stage: StageRef
    date: dt.date
    source: str = Field(..., description="Where the change is known from.")
    note: str


class StageChangePage(Page[StageChangeOut]):
    pass


class StageChangeFilters(Schema):
    product_id: int | None = Field(None, description="Only this product's changes.")
    kind: KindName | None = Field(None, description="Only products of this kind.")


class ProductOut(Schema):
    id: int
    name: str
    kind: KindName
    stage: StageRef | None
    stage_since: dt.date | None = Field(..., description="The date of the latest stage change.")
    developers: list[OrganizationRef]
    indications: list[str]
    topics: list[TopicRef]
    website: str
    visibility: VisibilityName
    url: str = Field(..., description="The product's page (HTML).")
    updated_at: dt.datetime


class ProductPage(Page[ProductOut]):
    pass


class ProductFilters(Schema):
    stage: str = Field("", max_length=40, description="A stage's short name (`phase-2`).")
    kind: KindName | None = None
    topic: str = Field("", max_length=80, description="A topic's short name; subtopics included.")
    q: str = Field("", max_length=100, description="Words of the name or the indications.")


class InvestmentOut(Schema):
    id: int
    funder: OrganizationRef
    recipient: OrganizationRef | None
    title: str = Field(..., description="What the money is for.")
    amount: str = Field(..., description="In `currency`, as a decimal string.")
    currency: str
    amount_in_base: str | None = Field(
        ..., description="In `base_currency`; null when the currency has no exchange rate."
    )
    base_currency: str
    year: int
    topic: TopicRef | None
    product: ProductRef | None
    source: str
    visibility: VisibilityName


class InvestmentPage(Page[InvestmentOut]):
    pass


class InvestmentFilters(Schema):
    year: int | None = None
    topic: str = Field("", max_length=80, description="A topic's short name; subtopics included.")
    funder_id: int | None = None
    product_id: int | None = None


class ProductDetailOut(ProductOut):
    description: str = Field(..., description="Markdown.")
    history: list[StageChangeOut] = Field(..., description="Oldest first.")
    resources: list[ResourceRef] = Field(
        ..., description="Linked resources the caller may see (published)."
    )
    investments: list[InvestmentOut] = Field(..., description="Those the caller may see.")


class ProductIn(BodyIn):
    name: str = Field(..., min_length=1, max_length=200)
    kind: KindName = "other"
    stage_id: int | None = Field(None, description="The stage it is at; starts its history.")
    stage_date: dt.date | None = Field(None, description="When it reached it (default: today).")
    stage_source: str = Field("", max_length=1000)
    developer_ids: list[int] = Field(
        [], description="Organizations of the network's members, or already named in its field."
    )
    developer_names: list[str] = Field(
        [], description="Organizations by name; made when new.", max_length=50
    )
    indications: list[str] = Field([], max_length=services.MAX_INDICATIONS)
    description: str = Field("", max_length=20_000)
    website: str = Field("", max_length=1000)
    topic_ids: list[int] = []
    resource_ids: list[int] = []
    visibility: VisibilityName = "network"

    @field_validator("stage_date")
    @classmethod
    def _stage_date(cls, value: dt.date | None) -> dt.date | None:
        return _not_future(value)


class ProductPatchIn(PatchIn):
    """Every field optional; only those sent change. The stage changes through
    POST .../stage-changes, so that the history keeps when and from where."""

    name: str | None = Field(None, min_length=1, max_length=200)
    kind: KindName | None = None
    developer_ids: list[int] | None = Field(
        None, description="Replaces the developers (with `developer_names`, if sent)."
    )
    developer_names: list[str] | None = Field(None, max_length=50)
    indications: list[str] | None = Field(None, max_length=services.MAX_INDICATIONS)
    description: str | None = Field(None, max_length=20_000)
    website: str | None = Field(None, max_length=1000)
    topic_ids: list[int] | None = None
    resource_ids: list[int] | None = None
    visibility: VisibilityName | None = None


class StageChangeIn(BodyIn):
    stage_id: int = Field(..., description="The stage reached.")
    date: dt.date = Field(..., description="When; today or earlier.")
    source: str = Field("", max_length=1000, description="Where this is known from.")
    note: str = Field("", max_length=5000)

    @field_validator("date")
    @classmethod
    def _date(cls, value: dt.date) -> dt.date:
        return _not_future(value)  # type: ignore[return-value]


class InvestmentIn(BodyIn):
    funder_id: int | None = Field(None, description="An organization already known here...")
    funder_name: str | None = Field(None, max_length=200, description="...or one by name.")
    recipient_id: int | None = None
    recipient_name: str | None = Field(None, max_length=200)
    title: str = Field("", max_length=300)
    amount: Decimal = Field(..., gt=0, max_digits=16, decimal_places=2)
    currency: str = Field("", description="ISO 4217 code; the base currency when left out.")
    year: int
    topic_id: int | None = None
    product_id: int | None = None
    source: str = Field("", max_length=1000)
    visibility: VisibilityName = "network"

    @field_validator("currency")
    @classmethod
    def _currency(cls, value: str) -> str:
        return _clean_currency(value) if value else ""

    @field_validator("year")
    @classmethod
    def _year(cls, value: int) -> int:
        return _year(value)  # type: ignore[return-value]


class InvestmentPatchIn(PatchIn):
    nullable = frozenset({"recipient_id", "recipient_name", "topic_id", "product_id"})

    funder_id: int | None = None
    funder_name: str | None = Field(None, max_length=200)
    recipient_id: int | None = None
    recipient_name: str | None = Field(None, max_length=200)
    title: str | None = Field(None, max_length=300)
    amount: Decimal | None = Field(None, gt=0, max_digits=16, decimal_places=2)
    currency: str | None = None
    year: int | None = None
    topic_id: int | None = None
    product_id: int | None = None
    source: str | None = Field(None, max_length=1000)
    visibility: VisibilityName | None = None

    @field_validator("currency")
    @classmethod
    def _currency(cls, value: str | None) -> str | None:
        return None if value is None else _clean_currency(value)

    @field_validator("year")
    @classmethod
    def _year(cls, value: int | None) -> int | None:
        return _year(value)


class RateOut(Schema):
    id: int
    currency: str
    year: int | None = Field(..., description="Null: for every year that has no rate of its own.")
    rate: str = Field(..., description="What 1 unit is worth in the base currency.")


class MissingRateOut(Schema):
    currency: str
    years: list[int] = Field(..., description="Years of investments no rate converts.")


class RatesOut(Schema):
    base_currency: str
    rates: list[RateOut]
    missing: list[MissingRateOut]


class RateIn(BodyIn):
    currency: str
    year: int | None = Field(None, description="Null: for any year without a rate of its own.")
    rate: Decimal | None = Field(
        ..., gt=0, description="What 1 unit is worth in the base currency; null removes it."
    )

    @field_validator("currency")
    @classmethod
    def _currency(cls, value: str) -> str:
        return _clean_currency(value)

    @field_validator("year")
    @classmethod
    def _year(cls, value: int | None) -> int | None:
        return _year(value)


class RatesSetIn(BodyIn):
    base_currency: str | None = Field(
        None,
        description="Report funding in this currency from now on; the rates already entered are "
        "converted through the new base's rate (409 when it has none).",
    )
    rates: list[RateIn] = Field([], max_length=500, description="Set (or remove) these rates.")

    @field_validator("base_currency")
    @classmethod
    def _base(cls, value: str | None) -> str | None:
        return None if value is None else _clean_currency(value)


class UnconvertedOut(Schema):
    currency: str
    count: int
    amount: str = Field(..., description="Their total in that currency.")
    years: list[int]


class YearTotalOut(Schema):
    year: int
    amount: str


class TopicTotalOut(Schema):
    topic: TopicRef | None = Field(..., description="Null: investments with no topic.")
    amount: str
    count: int
    has_subtopics: bool = Field(..., description="Pass its short name as `topic` to drill down.")


class FunderTotalOut(Schema):
    funder: OrganizationRef
    amount: str
    count: int


class FlowOut(Schema):
    funder: OrganizationRef
    recipient: OrganizationRef | None
    amount: str
    count: int


class FundingFilters(Schema):
    since: int | None = Field(None, description="From this year on.")
    until: int | None = Field(None, description="Up to this year.")
    topic: str = Field(
        "", max_length=80, description="Drill down: this topic and each of its subtopics."
    )


class FundingSummaryOut(Schema):
    base_currency: str
    total: str
    count: int = Field(..., description="Investments converted and counted.")
    unconverted: list[UnconvertedOut] = Field(
        ..., description="Investments left out of every total: their currency has no rate."
    )
    topic: TopicRef | None
    by_year: list[YearTotalOut]
    by_topic: list[TopicTotalOut]
    by_funder: list[FunderTotalOut]
    flows: list[FlowOut] = Field(..., description="Funder → recipient, largest first (50 at most).")


class GapFilters(Schema):
    years: int = Field(
        selectors.DEFAULT_GAP_YEARS, ge=1, le=50, description="Funding over the last N years."
    )
    topic: str = Field("", max_length=80, description="Rank the subtopics of this topic instead.")


class TopicGapOut(Schema):
    topic: TopicRef
    resources: int
    products: int = Field(..., description="Still in development (not at the last stage).")
    changes: int = Field(..., description="Their stage changes in the last three years.")
    activity: int = Field(..., description="resources + products + changes")
    activity_share: float
    funding: str
    funding_share: float
    score: float = Field(..., description="activity_share − funding_share; higher, bigger gap.")
    is_gap: bool


class ProductGapOut(Schema):
    product: ProductRef
    stage: StageRef | None
    funding: str
    investments: int
    changes: int
    unfunded: bool = Field(..., description="No investment at all in the period.")


class FundingGapsOut(Schema):
    years: int
    since_year: int
    changes_since: dt.date
    base_currency: str
    formula: str = Field(..., description="How the score is computed, in plain words.")
    topics: list[TopicGapOut] = Field(..., description="Ranked by score, biggest gap first.")
    products: list[ProductGapOut] = Field(..., description="Unfunded first, then by funding.")
    unconverted: list[UnconvertedOut]


# --- serializers ---------------------------------------------------------------------------------


def _stage_ref(stage: ProductStage | None) -> dict[str, Any] | None:
    return None if stage is None else {"id": stage.pk, "slug": stage.slug, "name": stage.name}


def _topic_ref(topic: Topic | None) -> dict[str, Any] | None:
    return None if topic is None else {"id": topic.pk, "slug": topic.slug, "name": topic.name}


def _org_ref(org: Organization | None) -> dict[str, Any] | None:
    return None if org is None else {"id": org.pk, "name": org.name}


def product_out(product: Product, slug: str) -> dict[str, Any]:
    return {
        "id": product.pk,
        "name": product.name,
        "kind": product.kind,
        "stage": _stage_ref(product.stage),
        "stage_since": product.stage_since,
        "developers": [_org_ref(org) for org in product.developers.all()],
        "indications": list(product.indications or []),
        "topics": [_topic_ref(topic) for topic in product.topics.all()],
        "website": product.website,
        "visibility": product.visibility,
        "url": reverse("field:product", kwargs={"network_slug": slug, "product_id": product.pk}),
        "updated_at": product.updated_at,
    }


def change_out(change: StageChange) -> dict[str, Any]:
    return {
        "id": change.pk,
        "product": {"id": change.product_id, "name": change.product.name},
        "from_stage": _stage_ref(change.from_stage),
        "stage": _stage_ref(change.stage),
        "date": change.date,
        "source": change.source,
        "note": change.note,
    }


def investment_out(investment: Investment, rates: selectors.Rates) -> dict[str, Any]:
    converted = rates.convert(investment.amount, investment.currency, investment.year)
    return {
        "id": investment.pk,
        "funder": _org_ref(investment.funder),
        "recipient": _org_ref(investment.recipient),
        "title": investment.title,
        "amount": _money(investment.amount),
        "currency": investment.currency,
        "amount_in_base": _money(converted),
        "base_currency": rates.base,
        "year": investment.year,
        "topic": _topic_ref(investment.topic),
        "product": (
            {"id": investment.product.pk, "name": investment.product.name}
            if investment.product
            else None
        ),
        "source": investment.source,
        "visibility": investment.visibility,
    }


def _unconverted_out(rows: list[selectors.Unconverted]) -> list[dict[str, Any]]:
    return [
        {
            "currency": row.currency,
            "count": row.count,
            "amount": _money(row.amount),
            "years": row.year_list,
        }
        for row in rows
    ]


def product_detail_out(access: Access, product: Product) -> dict[str, Any]:
    rates = selectors.rates_for(access.network)
    history = selectors.product_history(product=product)
    for change in history:
        change.product = product  # already loaded: no query per change
    return {
        **product_out(product, access.network.slug),
        "description": product.description,
        "history": [change_out(change) for change in history],
        "resources": [
            {"id": resource.pk, "title": resource.title}
            for resource in selectors.product_resources(access=access, product=product)
        ],
        "investments": [
            investment_out(investment, rates)
            for investment in selectors.investments_filtered(access=access, product_id=product.pk)
        ],
    }


# --- looking up what a body names ----------------------------------------------------------------


def _stage(access: Access, stage_id: int, field: str) -> ProductStage:
    stage = ProductStage.objects.filter(network=access.network, pk=stage_id).first()
    if stage is None:
        raise HttpError(
            400,
            _("%(field)s: there is no stage %(id)d in this network's stage model.")
            % {"field": field, "id": stage_id},
        )
    return stage


def _by_id(queryset: QuerySet[Any], ids: list[int], message: str, field: str) -> list[Any]:
    """The rows of `queryset` with `ids`, in the order asked (repeats dropped); a 400 that names
    the missing ids when some are not there (`message` takes %(field)s and %(ids)s)."""
    found = {row.pk: row for row in queryset.filter(pk__in=ids)} if ids else {}
    missing = [i for i in ids if i not in found]
    if missing:
        raise HttpError(400, message % {"field": field, "ids": ", ".join(map(str, missing))})
    return [found[i] for i in dict.fromkeys(ids)]


def _organizations(access: Access, ids: list[int], field: str) -> list[Organization]:
    return _by_id(
        selectors.organization_choices(network=access.network),
        ids,
        _(
            "%(field)s: organizations %(ids)s are not known in this network; name them "
            "instead (they are made when new)."
        ),
        field,
    )


def _organization(
    access: Access, org_id: int | None, name: str | None, field: str
) -> Organization | None:
    if org_id is not None and name:
        raise HttpError(400, _("%(field)s: send an id or a name, not both.") % {"field": field})
    if org_id is not None:
        return _organizations(access, [org_id], f"{field}_id")[0]
    if name and name.strip():
        return services.organizations_from_names([name])[0]
    return None


def _topics(access: Access, ids: list[int]) -> list[Topic]:
    return _by_id(
        Topic.objects.filter(network=access.network),
        ids,
        _("%(field)s: there are no topics %(ids)s in this network."),
        "topic_ids",
    )


def _topic(access: Access, topic_id: int | None) -> Topic | None:
    if topic_id is None:
        return None
    topic = Topic.objects.filter(network=access.network, pk=topic_id).first()
    if topic is None:
        raise HttpError(
            400, _("topic_id: there is no topic %(id)d in this network.") % {"id": topic_id}
        )
    return topic


def _topic_by_slug(access: Access, slug: str) -> Topic | None:
    if not slug:
        return None
    topic = Topic.objects.filter(network=access.network, slug=slug).first()
    if topic is None:
        raise HttpError(400, _("topic: there is no topic “%(slug)s” here.") % {"slug": slug})
    return topic


def _resources(access: Access, ids: list[int]) -> list[Resource]:
    return _by_id(
        Resource.objects.filter(network=access.network),
        ids,
        _("%(field)s: there are no resources %(ids)s in this network."),
        "resource_ids",
    )


def _product(access: Access, product_id: int | None) -> Product | None:
    if product_id is None:
        return None
    product = Product.objects.filter(network=access.network, pk=product_id).first()
    if product is None:
        raise HttpError(
            400, _("product_id: there is no product %(id)d in this network.") % {"id": product_id}
        )
    return product


# --- the stage model -----------------------------------------------------------------------------


def _stages_out(access: Access) -> list[dict[str, Any]]:
    counts = selectors.stage_usage(access=access)
    return [
        {**_stage_ref(stage), "position": stage.position, "products": counts.get(stage.pk, 0)}  # type: ignore[dict-item]
        for stage in selectors.stages_for(access.network)
    ]


@router.get(
    "/networks/{slug}/product-stages",
    response=responses({200: list[StageOut]}, 401, 403, 404),
    operation_id="product_stages_list",
    summary="The network's stage model, in order",
    description="Everyone who can see the network. A network that never set one starts with "
    "the default model (discovery → preclinical → phase I → II → III → regulatory review → "
    "approved) once a steward or coordinator first uses the field trackers.",
)
def product_stages_list(request: HttpRequest, slug: str) -> list[dict[str, Any]]:
    access = network_access(request, slug, Capability.VIEW_PUBLIC)
    return _stages_out(access)


@router.post(
    "/networks/{slug}/product-stages",
    response=responses({201: StageOut}, 400, 401, 403, 404, 409),
    operation_id="product_stages_create",
    summary="Add a stage to the stage model",
    description="Stewards and coordinators. 409 when the name or short name is taken.",
)
def product_stages_create(request: HttpRequest, slug: str, payload: StageIn) -> Status[Any]:
    access = network_access(request, slug, Capability.CURATE, _denied("curate"))
    stage = services.stage_create(
        network=access.network,
        name=payload.name,
        slug=payload.slug,
        position=payload.position,
    )
    found = next(row for row in _stages_out(access) if row["id"] == stage.pk)
    return Status(201, found)


@router.patch(
    "/networks/{slug}/product-stages/{stage_id}",
    response=responses({200: StageOut}, 400, 401, 403, 404, 409),
    operation_id="product_stages_update",
    summary="Rename or move a stage",
    description="Stewards and coordinators. Products and their history follow the stage.",
)
def product_stages_update(
    request: HttpRequest, slug: str, stage_id: int, payload: StagePatchIn
) -> dict[str, Any]:
    access = network_access(request, slug, Capability.CURATE, _denied("curate"))
    stage = selectors.stage_in_network(network=access.network, stage_id=stage_id)
    with transaction.atomic():  # a refused move keeps the old name too
        services.stage_update(stage=stage, name=payload.name, slug=payload.slug)
        if payload.position is not None:
            services.stage_move(stage=stage, position=payload.position)
    return next(row for row in _stages_out(access) if row["id"] == stage.pk)


@router.delete(
    "/networks/{slug}/product-stages/{stage_id}",
    response=responses({204: None}, 401, 403, 404, 409),
    operation_id="product_stages_delete",
    summary="Remove a stage nobody uses",
    description="Stewards and coordinators. 409 when products are at it or their history "
    "mentions it: rename it instead.",
)
def product_stages_delete(request: HttpRequest, slug: str, stage_id: int) -> HttpResponse:
    access = network_access(request, slug, Capability.CURATE, _denied("curate"))
    stage = selectors.stage_in_network(network=access.network, stage_id=stage_id)
    services.stage_delete(stage=stage)
    return HttpResponse(status=204)  # no body, so no content type


# --- products ------------------------------------------------------------------------------------


@router.get(
    "/networks/{slug}/products",
    response=responses({200: ProductPage}, 400, 401, 403, 404),
    operation_id="products_list",
    summary="List products in development",
    description="The products the caller may see, by name; narrowed to a stage, a kind, a "
    "topic (with its subtopics) or words of the name or indications.",
)
def products_list(
    request: HttpRequest, slug: str, filters: Query[ProductFilters], paging: Query[PageIn]
) -> dict[str, Any]:
    access = network_access(request, slug, Capability.VIEW_PUBLIC)
    stage = None
    if filters.stage:
        stage = ProductStage.objects.filter(network=access.network, slug=filters.stage).first()
        if stage is None:
            raise HttpError(
                400, _("stage: there is no stage “%(slug)s” here.") % {"slug": filters.stage}
            )
    rows = selectors.products_filtered(
        access=access,
        kind=filters.kind or "",
        topic=_topic_by_slug(access, filters.topic),
        stage=stage,
        query=filters.q.strip(),
    )
    return paginate(rows, paging, lambda row: product_out(row, access.network.slug))


@router.post(
    "/networks/{slug}/products",
    response=responses({201: ProductDetailOut}, 400, 401, 403, 404, 409),
    operation_id="products_create",
    summary="Add a product",
    description="Stewards and coordinators. With `stage_id`, its history starts with reaching "
    "that stage on `stage_date` (today by default). 409 when the name is taken.",
)
def products_create(request: HttpRequest, slug: str, payload: ProductIn) -> Status[Any]:
    access = network_access(request, slug, Capability.CURATE, _denied("curate"))
    stage = _stage(access, payload.stage_id, "stage_id") if payload.stage_id is not None else None
    developers = _organizations(access, payload.developer_ids, "developer_ids")
    developers += services.organizations_from_names(payload.developer_names)
    product = services.product_create(
        network=access.network,
        name=payload.name,
        kind=payload.kind,
        stage=stage,
        stage_date=payload.stage_date,
        stage_source=payload.stage_source,
        developers=list({org.pk: org for org in developers}.values()),
        indications=payload.indications,
        description=payload.description,
        website=payload.website,
        topics=_topics(access, payload.topic_ids),
        resources=_resources(access, payload.resource_ids),
        visibility=payload.visibility,
        by=access.person,
    )
    found = selectors.product_for_viewer(access=access, product_id=product.pk)
    return Status(201, product_detail_out(access, found))


@router.get(
    "/networks/{slug}/products/{product_id}",
    response=responses({200: ProductDetailOut}, 401, 403, 404),
    operation_id="products_read",
    summary="Read one product, with its stage history",
    description="404 when the caller may not see it. Linked resources and investments are "
    "those the caller may see.",
)
def products_read(request: HttpRequest, slug: str, product_id: int) -> dict[str, Any]:
    access = network_access(request, slug, Capability.VIEW_PUBLIC)
    product = selectors.product_for_viewer(access=access, product_id=product_id)
    return product_detail_out(access, product)


@router.patch(
    "/networks/{slug}/products/{product_id}",
    response=responses({200: ProductDetailOut}, 400, 401, 403, 404, 409),
    operation_id="products_update",
    summary="Change a product",
    description="Stewards and coordinators; only the fields sent change. The stage changes "
    "through POST .../stage-changes.",
)
def products_update(
    request: HttpRequest, slug: str, product_id: int, payload: ProductPatchIn
) -> dict[str, Any]:
    access = network_access(request, slug, Capability.CURATE, _denied("curate"))
    product = selectors.product_for_curator(access=access, product_id=product_id)
    sent = payload.model_dump(exclude_unset=True)
    changes: dict[str, Any] = {}
    for key in ("name", "kind", "indications", "description", "website", "visibility"):
        if key in sent:
            changes[key] = sent[key]
    if "developer_ids" in sent or "developer_names" in sent:
        developers = _organizations(access, sent.get("developer_ids") or [], "developer_ids")
        developers += services.organizations_from_names(sent.get("developer_names") or [])
        changes["developers"] = list({org.pk: org for org in developers}.values())
    if "topic_ids" in sent:
        changes["topics"] = _topics(access, sent["topic_ids"])
    if "resource_ids" in sent:
        changes["resources"] = _resources(access, sent["resource_ids"])
    services.product_update(product=product, **changes)
    found = selectors.product_for_viewer(access=access, product_id=product.pk)
    return product_detail_out(access, found)


@router.delete(
    "/networks/{slug}/products/{product_id}",
    response=responses({204: None}, 401, 403, 404),
    operation_id="products_delete",
    summary="Remove a product and its stage history",
    description="Stewards and coordinators. Investments in it stay, without a product.",
)
def products_delete(request: HttpRequest, slug: str, product_id: int) -> HttpResponse:
    access = network_access(request, slug, Capability.CURATE, _denied("curate"))
    product = selectors.product_for_curator(access=access, product_id=product_id)
    services.product_delete(product=product)
    return HttpResponse(status=204)  # no body, so no content type


@router.post(
    "/networks/{slug}/products/{product_id}/stage-changes",
    response=responses({201: ProductDetailOut}, 400, 401, 403, 404, 409),
    operation_id="products_change_stage",
    summary="Record a stage change",
    description="Stewards and coordinators. The product reached `stage_id` on `date` (today or "
    "earlier; 400 otherwise). A change dated before others goes in its place in the history. "
    "409 when the product is already at that stage on that date.",
)
def products_change_stage(
    request: HttpRequest, slug: str, product_id: int, payload: StageChangeIn
) -> Status[Any]:
    access = network_access(request, slug, Capability.CURATE, _denied("curate"))
    product = selectors.product_for_curator(access=access, product_id=product_id)
    stage = _stage(access, payload.stage_id, "stage_id")
    services.product_change_stage(
        product=product,
        stage=stage,
        date=payload.date,
        source=payload.source,
        note=payload.note,
        by=access.person,
    )
    found = selectors.product_for_viewer(access=access, product_id=product.pk)
    return Status(201, product_detail_out(access, found))


@router.get(
    "/networks/{slug}/stage-changes",
    response=responses({200: StageChangePage}, 400, 401, 403, 404),
    operation_id="stage_changes_list",
    summary="The timeline: stage changes, newest first",
    description="The stage changes of the products the caller may see; narrowed to one product "
    "or one kind of product.",
)
def stage_changes_list(
    request: HttpRequest, slug: str, filters: Query[StageChangeFilters], paging: Query[PageIn]
) -> dict[str, Any]:
    access = network_access(request, slug, Capability.VIEW_PUBLIC)
    rows = selectors.stage_changes_visible_to(
        access=access, product_id=filters.product_id, kind=filters.kind or ""
    )
    return paginate(rows, paging, change_out)


# --- investments ---------------------------------------------------------------------------------


@router.get(
    "/networks/{slug}/investments",
    response=responses({200: InvestmentPage}, 400, 401, 403, 404),
    operation_id="investments_list",
    summary="List investments",
    description="The investments the caller may see, newest year first, largest first; "
    "narrowed to a year, a topic (with its subtopics), a funder or a product.",
)
def investments_list(
    request: HttpRequest, slug: str, filters: Query[InvestmentFilters], paging: Query[PageIn]
) -> dict[str, Any]:
    access = network_access(request, slug, Capability.VIEW_PUBLIC)
    rates = selectors.rates_for(access.network)
    rows = selectors.investments_filtered(
        access=access,
        year=filters.year,
        topic=_topic_by_slug(access, filters.topic),
        funder_id=filters.funder_id,
        product_id=filters.product_id,
    )
    return paginate(rows, paging, lambda row: investment_out(row, rates))


@router.post(
    "/networks/{slug}/investments",
    response=responses({201: InvestmentOut}, 400, 401, 403, 404, 409),
    operation_id="investments_create",
    summary="Record an investment",
    description="Stewards and coordinators. Name the funder by `funder_id` (an organization "
    "already known in the network) or `funder_name` (made when new); the same for the "
    "recipient. The currency defaults to the base currency.",
)
def investments_create(request: HttpRequest, slug: str, payload: InvestmentIn) -> Status[Any]:
    access = network_access(request, slug, Capability.CURATE, _denied("curate"))
    funder = _organization(access, payload.funder_id, payload.funder_name, "funder")
    if funder is None:
        raise HttpError(400, _("funder: send funder_id or funder_name."))
    investment = services.investment_create(
        network=access.network,
        funder=funder,
        recipient=_organization(access, payload.recipient_id, payload.recipient_name, "recipient"),
        amount=payload.amount,
        currency=payload.currency,
        year=payload.year,
        title=payload.title,
        topic=_topic(access, payload.topic_id),
        product=_product(access, payload.product_id),
        source=payload.source,
        visibility=payload.visibility,
    )
    found = selectors.investment_for_viewer(access=access, investment_id=investment.pk)
    return Status(201, investment_out(found, selectors.rates_for(access.network)))


@router.get(
    "/networks/{slug}/investments/{investment_id}",
    response=responses({200: InvestmentOut}, 401, 403, 404),
    operation_id="investments_read",
    summary="Read one investment",
    description="404 when the caller may not see it.",
)
def investments_read(request: HttpRequest, slug: str, investment_id: int) -> dict[str, Any]:
    access = network_access(request, slug, Capability.VIEW_PUBLIC)
    investment = selectors.investment_for_viewer(access=access, investment_id=investment_id)
    return investment_out(investment, selectors.rates_for(access.network))


@router.patch(
    "/networks/{slug}/investments/{investment_id}",
    response=responses({200: InvestmentOut}, 400, 401, 403, 404, 409),
    operation_id="investments_update",
    summary="Change an investment",
    description="Stewards and coordinators; only the fields sent change (null clears the "
    "recipient, the topic or the product).",
)
def investments_update(
    request: HttpRequest, slug: str, investment_id: int, payload: InvestmentPatchIn
) -> dict[str, Any]:
    access = network_access(request, slug, Capability.CURATE, _denied("curate"))
    investment = selectors.investment_for_curator(access=access, investment_id=investment_id)
    sent = payload.model_dump(exclude_unset=True)
    changes: dict[str, Any] = {}
    if "funder_id" in sent or "funder_name" in sent:
        funder = _organization(access, sent.get("funder_id"), sent.get("funder_name"), "funder")
        if funder is None:
            raise HttpError(400, _("funder: send funder_id or funder_name."))
        changes["funder"] = funder
    if "recipient_id" in sent or "recipient_name" in sent:
        changes["recipient"] = _organization(
            access, sent.get("recipient_id"), sent.get("recipient_name"), "recipient"
        )
    if "topic_id" in sent:
        changes["topic"] = _topic(access, sent["topic_id"])
    if "product_id" in sent:
        changes["product"] = _product(access, sent["product_id"])
    for key in ("title", "amount", "currency", "year", "source", "visibility"):
        if key in sent:
            changes[key] = sent[key]
    services.investment_update(investment=investment, **changes)
    found = selectors.investment_for_viewer(access=access, investment_id=investment.pk)
    return investment_out(found, selectors.rates_for(access.network))


@router.delete(
    "/networks/{slug}/investments/{investment_id}",
    response=responses({204: None}, 401, 403, 404),
    operation_id="investments_delete",
    summary="Remove an investment",
    description="Stewards and coordinators.",
)
def investments_delete(request: HttpRequest, slug: str, investment_id: int) -> HttpResponse:
    access = network_access(request, slug, Capability.CURATE, _denied("curate"))
    investment = selectors.investment_for_curator(access=access, investment_id=investment_id)
    services.investment_delete(investment=investment)
    return HttpResponse(status=204)  # no body, so no content type


# --- exchange rates ------------------------------------------------------------------------------


def _rates_out(access: Access) -> dict[str, Any]:
    return {
        "base_currency": selectors.base_currency(access.network),
        "rates": [
            {"id": row.pk, "currency": row.currency, "year": row.year, "rate": str(row.rate)}
            for row in selectors.exchange_rates(access=access)
        ],
        "missing": [
            {"currency": code, "years": years}
            for code, years in selectors.currencies_without_rates(access=access)
        ],
    }


@router.get(
    "/networks/{slug}/exchange-rates",
    response=responses({200: RatesOut}, 401, 403, 404),
    operation_id="exchange_rates_list",
    summary="The base currency and the exchange rates",
    description="Stewards and coordinators. `missing` lists the currencies (and years) of "
    "investments that no rate converts yet.",
)
def exchange_rates_list(request: HttpRequest, slug: str) -> dict[str, Any]:
    access = network_access(request, slug, Capability.CURATE, _denied("rates"))
    return _rates_out(access)


@router.post(
    "/networks/{slug}/exchange-rates",
    response=responses({200: RatesOut}, 400, 401, 403, 404, 409),
    operation_id="exchange_rates_set",
    summary="Set exchange rates, or the base currency",
    description="Stewards and coordinators. Each rate says what 1 unit of `currency` is worth "
    "in the base currency, for `year` or (null) any year without its own; `rate: null` removes "
    "it. `base_currency` switches the base first, converting the rates already entered. All "
    "or nothing: one refused rate (409) changes nothing.",
)
def exchange_rates_set(request: HttpRequest, slug: str, payload: RatesSetIn) -> dict[str, Any]:
    access = network_access(request, slug, Capability.CURATE, _denied("rates"))
    with transaction.atomic():
        if payload.base_currency:
            services.funding_settings_update(
                network=access.network, base_currency=payload.base_currency
            )
        for row in payload.rates:
            if row.rate is None:
                found = ExchangeRate.objects.filter(
                    network=access.network, currency=row.currency, year=row.year
                ).first()
                if found is not None:
                    services.exchange_rate_delete(rate=found)
            else:
                services.exchange_rate_set(
                    network=access.network, currency=row.currency, year=row.year, rate=row.rate
                )
    return _rates_out(access)


# --- funding -------------------------------------------------------------------------------------


@router.get(
    "/networks/{slug}/funding",
    response=responses({200: FundingSummaryOut}, 400, 401, 403, 404),
    operation_id="funding_summary",
    summary="Funding totals by year, topic and funder, in the base currency",
    description="Only the investments the caller may see count. Each is converted with the rate "
    "for its year, else its currency's any-year rate; those with no rate are listed in "
    "`unconverted`, never silently dropped. By topic: the top-level topics (everything under "
    "each rolled up), or with `topic` that topic and each of its subtopics. An investment with "
    "no topic counts for its product's topics, shared evenly.",
)
def funding_summary(
    request: HttpRequest, slug: str, filters: Query[FundingFilters]
) -> dict[str, Any]:
    access = network_access(request, slug, Capability.VIEW_PUBLIC)
    summary = selectors.funding_summary(
        access=access,
        topic=_topic_by_slug(access, filters.topic),
        since=filters.since,
        until=filters.until,
    )
    return {
        "base_currency": summary.base_currency,
        "total": _money(summary.total),
        "count": summary.count,
        "unconverted": _unconverted_out(summary.unconverted),
        "topic": _topic_ref(summary.topic),
        "by_year": [{"year": year, "amount": _money(amount)} for year, amount in summary.by_year],
        "by_topic": [
            {
                "topic": _topic_ref(row.topic),
                "amount": _money(row.amount),
                "count": row.count,
                "has_subtopics": row.has_children,
            }
            for row in summary.by_topic
        ],
        "by_funder": [
            {"funder": _org_ref(row.funder), "amount": _money(row.amount), "count": row.count}
            for row in summary.by_funder
        ],
        "flows": [
            {
                "funder": _org_ref(flow.funder),
                "recipient": _org_ref(flow.recipient),
                "amount": _money(flow.amount),
                "count": flow.count,
            }
            for flow in summary.flows
        ],
    }


GAP_FORMULA = (
    "For each topic (with its subtopics): activity = published resources + products still in "
    "development + their stage changes in the last three years; funding = investments in the "
    "last `years` years, in the base currency. score = the topic's share of all activity minus "
    "its share of all funding; the higher, the bigger the gap."
)


@router.get(
    "/networks/{slug}/funding/gaps",
    response=responses({200: FundingGapsOut}, 400, 401, 403, 404),
    operation_id="funding_gaps",
    summary="The funding gap: topics and products with activity but little funding",
    description=GAP_FORMULA + " Only what the caller may see is counted.",
)
def funding_gaps(request: HttpRequest, slug: str, filters: Query[GapFilters]) -> dict[str, Any]:
    access = network_access(request, slug, Capability.VIEW_PUBLIC)
    gaps = selectors.funding_gaps(
        access=access, years=filters.years, topic=_topic_by_slug(access, filters.topic)
    )
    return {
        "years": gaps.years,
        "since_year": gaps.since_year,
        "changes_since": gaps.changes_since,
        "base_currency": gaps.base_currency,
        "formula": GAP_FORMULA,
        "topics": [
            {
                "topic": _topic_ref(row.topic),
                "resources": row.resources,
                "products": row.products,
                "changes": row.changes,
                "activity": row.activity,
                "activity_share": round(row.activity_share, 6),
                "funding": _money(row.funding),
                "funding_share": round(row.funding_share, 6),
                "score": round(row.score, 6),
                "is_gap": row.is_gap,
            }
            for row in gaps.topics
        ],
        "products": [
            {
                "product": {"id": row.product.pk, "name": row.product.name},
                "stage": _stage_ref(row.product.stage),
                "funding": _money(row.funding),
                "investments": row.investments,
                "changes": row.changes,
                "unfunded": row.unfunded,
            }
            for row in gaps.products
        ],
        "unconverted": _unconverted_out(gaps.unconverted),
    }
