"""Field-tracker pages: the product pipeline, products and their stage history, the timeline of
stage changes, investments, funding (by year, topic and funder), the funding gap, and, for
stewards and coordinators, the stage model and the exchange rates.

Everyone who can see the network sees its public products and investments; observers and up
see the network's own; stewards and coordinators see every row and edit. CSV exports hold the
rows the reader can see on the pages, no more. Every page works without JavaScript; the charts
(frontend/src/field.js) draw over tables that hold the same numbers."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from netweave.field import exports, selectors, services
from netweave.field.forms import (
    BaseCurrencyForm,
    FundingFilterForm,
    GapFilterForm,
    InvestmentFilterForm,
    InvestmentForm,
    PipelineFilterForm,
    ProductForm,
    RateForm,
    StageChangeForm,
    StageForm,
    TimelineFilterForm,
)
from netweave.field.models import ExchangeRate, Investment, Product
from netweave.networks.decorators import network_view
from netweave.networks.permissions import Access, Capability
from netweave.people.models import Organization

PAGE_SIZE = 50


def _access(request: HttpRequest) -> Access:
    return request.access  # type: ignore[attr-defined,no-any-return]


def _url(name: str, access: Access, **kwargs: Any) -> str:
    return reverse(f"field:{name}", kwargs={"network_slug": access.network.slug, **kwargs})


def _context(access: Access, tab: str, **extra: Any) -> dict[str, Any]:
    return {
        "network": access.network,
        "access": access,
        "tab": tab,
        "can_curate": access.can(Capability.CURATE),
        **extra,
    }


def _chart_labels() -> dict[str, str]:
    return {
        "no_topic": _("No topic"),
        "funding": _("Funding"),
        "activity": _("Share of the activity"),
        "funding_share": _("Share of the funding"),
    }


# --- the pipeline and products --------------------------------------------------------------------


@require_safe
@network_view(Capability.VIEW_PUBLIC)
def pipeline(request: HttpRequest) -> HttpResponse:
    """Products by stage, in the stage model's order: columns on a wide screen, a list by stage
    on a phone."""
    access = _access(request)
    if access.can(Capability.CURATE):
        services.stages_ensure_default(access.network)
    form = PipelineFilterForm(request.GET or None, network=access.network)
    kind, topic, query = "", None, ""
    if form.is_valid():
        kind = form.cleaned_data["kind"]
        topic = selectors.topic_in_network(network=access.network, slug=form.cleaned_data["topic"])
        query = form.cleaned_data["q"].strip()
    board = selectors.pipeline(access=access, kind=kind, topic=topic, query=query)
    return render(
        request,
        "field/pipeline.html",
        _context(
            access,
            "pipeline",
            form=form,
            board=board,
            filtered=bool(kind or topic or query),
        ),
    )


def _apply_product_form(
    access: Access, form: ProductForm, product: Product | None
) -> Product | None:
    """Create or update from a valid form; a broken rule lands on the form (None returned)."""
    data = form.cleaned_data
    developers = list(data["developers"]) + services.organizations_from_names(
        form.developer_names()
    )
    developers = list({org.pk: org for org in developers}.values())
    try:
        if product is None:
            return services.product_create(
                network=access.network,
                name=data["name"],
                kind=data["kind"],
                stage=data.get("stage"),
                stage_date=data.get("stage_date"),
                stage_source=data.get("stage_source") or "",
                developers=developers,
                indications=data["indications"],
                description=data["description"],
                website=data["website"],
                topics=list(data["topics"]),
                resources=list(data["resources"]),
                visibility=data["visibility"],
                by=access.person,
            )
        return services.product_update(
            product=product,
            name=data["name"],
            kind=data["kind"],
            developers=developers,
            indications=data["indications"],
            description=data["description"],
            website=data["website"],
            topics=list(data["topics"]),
            resources=list(data["resources"]),
            visibility=data["visibility"],
        )
    except services.NameTaken as error:
        form.add_error("name", str(error))
    except services.FieldError as error:
        form.add_error(None, str(error))
    return None


@require_http_methods(["GET", "POST"])
@network_view(Capability.CURATE)
def product_new(request: HttpRequest) -> HttpResponse:
    access = _access(request)
    services.stages_ensure_default(access.network)
    form = ProductForm(request.POST or None, network=access.network)
    if request.method == "POST" and form.is_valid():
        product = _apply_product_form(access, form, None)
        if product is not None:
            messages.success(request, _("%(name)s was added.") % {"name": product.name})
            return redirect(_url("product", access, product_id=product.pk))
    return render(
        request, "field/product_form.html", _context(access, "pipeline", form=form, product=None)
    )


@require_safe
@network_view(Capability.VIEW_PUBLIC)
def product_detail(request: HttpRequest, product_id: int) -> HttpResponse:
    access = _access(request)
    product = selectors.product_for_viewer(access=access, product_id=product_id)
    investments = list(selectors.investments_filtered(access=access, product_id=product.pk))
    rates = selectors.rates_for(access.network)
    converted, unconverted = selectors.convert_rows(rates, investments)
    return render(
        request,
        "field/product_detail.html",
        _context(
            access,
            "pipeline",
            product=product,
            history=selectors.product_history(product=product),
            resources=selectors.product_resources(access=access, product=product),
            investments=investments,
            funding_total=sum((value for _i, value in converted), selectors.ZERO),
            unconverted=sorted(unconverted.values(), key=lambda row: row.currency),
            base_currency=rates.base,
        ),
    )


@require_http_methods(["GET", "POST"])
@network_view(Capability.CURATE)
def product_edit(request: HttpRequest, product_id: int) -> HttpResponse:
    access = _access(request)
    product = selectors.product_for_curator(access=access, product_id=product_id)
    initial = {
        "name": product.name,
        "kind": product.kind,
        "developers": list(product.developers.all()),
        "indications": "\n".join(product.indications or []),
        "topics": list(product.topics.all()),
        "resources": list(product.resources.all()),
        "website": product.website,
        "description": product.description,
        "visibility": product.visibility,
    }
    form = ProductForm(request.POST or None, network=access.network, editing=True, initial=initial)
    if (
        request.method == "POST"
        and form.is_valid()
        and _apply_product_form(access, form, product) is not None
    ):
        messages.success(request, _("Your changes to %(name)s are saved.") % {"name": product.name})
        return redirect(_url("product", access, product_id=product.pk))
    return render(
        request,
        "field/product_form.html",
        _context(access, "pipeline", form=form, product=product),
    )


@require_http_methods(["GET", "POST"])
@network_view(Capability.CURATE)
def product_delete(request: HttpRequest, product_id: int) -> HttpResponse:
    access = _access(request)
    product = selectors.product_for_curator(access=access, product_id=product_id)
    if request.method == "POST":
        name = product.name
        services.product_delete(product=product)
        messages.success(
            request, _("%(name)s and its stage history were removed.") % {"name": name}
        )
        return redirect(_url("pipeline", access))
    return render(
        request,
        "field/confirm_delete.html",
        _context(
            access,
            "pipeline",
            title=_("Remove %(name)s?") % {"name": product.name},
            explanation=_(
                "Its stage history goes with it. Investments in it stay, without a product."
            ),
            cancel=_url("product", access, product_id=product.pk),
        ),
    )


@require_http_methods(["GET", "POST"])
@network_view(Capability.CURATE)
def product_stage(request: HttpRequest, product_id: int) -> HttpResponse:
    """Record a stage change: the stage reached, when, and where that is known from."""
    access = _access(request)
    product = selectors.product_for_curator(access=access, product_id=product_id)
    services.stages_ensure_default(access.network)
    form = StageChangeForm(request.POST or None, network=access.network)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.product_change_stage(
                product=product,
                stage=data["stage"],
                date=data["date"],
                source=data["source"],
                note=data["note"],
                by=access.person,
            )
        except services.FieldError as error:
            form.add_error("stage", str(error))
        else:
            messages.success(
                request,
                _("%(product)s reached “%(stage)s” on %(date)s.")
                % {"product": product.name, "stage": data["stage"].name, "date": data["date"]},
            )
            return redirect(_url("product", access, product_id=product.pk))
    return render(
        request,
        "field/product_stage.html",
        _context(
            access,
            "pipeline",
            product=product,
            form=form,
            history=selectors.product_history(product=product),
        ),
    )


# --- the timeline ---------------------------------------------------------------------------------


@require_safe
@network_view(Capability.VIEW_PUBLIC)
def timeline(request: HttpRequest) -> HttpResponse:
    access = _access(request)
    products = selectors.products_visible_to(access).order_by("name")
    form = TimelineFilterForm(request.GET or None, products=products)
    kind, product = "", None
    if form.is_valid():
        kind = form.cleaned_data["kind"]
        product = form.cleaned_data["product"]
    changes = list(
        selectors.stage_changes_visible_to(
            access=access, product_id=product.pk if product else None, kind=kind
        )
    )
    chart = selectors.timeline_chart(access=access, changes=changes)
    paginator = Paginator(changes, PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "field/timeline.html",
        _context(
            access,
            "timeline",
            form=form,
            page=page,
            rows=page.object_list,
            chart=chart,
            chart_rows=_chart_table(chart),
            filtered=bool(kind or product),
        ),
    )


def _chart_table(chart: selectors.Chart) -> list[tuple[str, list[Any]]]:
    """A chart's numbers row by label, for the table beside it."""
    return [
        (label, [dataset["data"][index] for dataset in chart.datasets])
        for index, label in enumerate(chart.labels)
    ]


# --- the stage model ------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@network_view(Capability.CURATE)
def stages(request: HttpRequest) -> HttpResponse:
    """The stage model: rename, reorder, add and remove stages."""
    access = _access(request)
    services.stages_ensure_default(access.network)
    form = StageForm(request.POST or None, prefix="new")
    if request.method == "POST" and form.is_valid():
        try:
            stage = services.stage_create(network=access.network, name=form.cleaned_data["name"])
        except services.FieldError as error:
            form.add_error("name", str(error))
        else:
            messages.success(
                request, _("The stage “%(name)s” was added at the end.") % {"name": stage.name}
            )
            return redirect(_url("stages", access))
    rows = selectors.stages_for(access.network)
    in_use = selectors.stage_usage(access=access)
    for stage in rows:
        stage.product_count = in_use.get(stage.pk, 0)  # type: ignore[attr-defined]
    return render(
        request,
        "field/stages.html",
        _context(access, "stages", form=form, stages=rows),
    )


@require_POST
@network_view(Capability.CURATE)
def stage_action(request: HttpRequest, stage_id: int) -> HttpResponse:
    """Rename, move up or down, or remove one stage (the buttons of the stage model page)."""
    access = _access(request)
    stage = selectors.stage_in_network(network=access.network, stage_id=stage_id)
    action = request.POST.get("action", "")
    back = redirect(_url("stages", access))
    try:
        if action == "rename":
            old = stage.name
            services.stage_update(stage=stage, name=request.POST.get("name", ""))
            messages.success(
                request, _("“%(old)s” is now called “%(new)s”.") % {"old": old, "new": stage.name}
            )
        elif action in ("up", "down"):
            ordered = selectors.stages_for(access.network)
            index = next(i for i, s in enumerate(ordered) if s.pk == stage.pk)
            services.stage_move(stage=stage, position=index - 1 if action == "up" else index + 1)
            messages.success(request, _("“%(name)s” was moved.") % {"name": stage.name})
        elif action == "delete":
            name = stage.name
            services.stage_delete(stage=stage)
            messages.success(request, _("The stage “%(name)s” was removed.") % {"name": name})
        else:
            messages.error(
                request, _("Choose what to do with the stage: rename, move or remove it.")
            )
    except services.FieldError as error:
        messages.error(request, str(error))
    return back


# --- investments ----------------------------------------------------------------------------------


@require_safe
@network_view(Capability.VIEW_PUBLIC)
def investments(request: HttpRequest) -> HttpResponse:
    access = _access(request)
    form = InvestmentFilterForm(
        request.GET or None,
        network=access.network,
        years=selectors.investment_years(access=access),
        funders=selectors.funders(access=access),
    )
    year = topic = funder_id = None
    if form.is_valid():
        year = form.cleaned_data["year"]
        topic = selectors.topic_in_network(network=access.network, slug=form.cleaned_data["topic"])
        funder_id = form.cleaned_data["funder"]
    rows = selectors.investments_filtered(
        access=access, year=year, topic=topic, funder_id=funder_id
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    rates = selectors.rates_for(access.network)
    for investment in page.object_list:
        investment.converted = rates.convert(
            investment.amount, investment.currency, investment.year
        )  # type: ignore[attr-defined]
    return render(
        request,
        "field/investments.html",
        _context(
            access,
            "investments",
            form=form,
            page=page,
            rows=page.object_list,
            base_currency=rates.base,
            filtered=bool(year or topic or funder_id),
        ),
    )


def _organization(chosen: Organization | None, typed: str) -> Organization | None:
    if chosen is not None:
        return chosen
    found = services.organizations_from_names([typed])
    return found[0] if found else None


def _apply_investment_form(
    access: Access, form: InvestmentForm, investment: Investment | None
) -> Investment | None:
    data = form.cleaned_data
    funder = _organization(data["funder"], data["new_funder"])
    recipient = _organization(data["recipient"], data["new_recipient"])
    values = {
        "funder": funder,
        "recipient": recipient,
        "amount": data["amount"],
        "currency": data["currency"],
        "year": data["year"],
        "title": data["title"],
        "topic": data["topic"],
        "product": data["product"],
        "source": data["source"],
        "visibility": data["visibility"],
    }
    try:
        if investment is None:
            return services.investment_create(network=access.network, **values)
        return services.investment_update(investment=investment, **values)
    except services.FieldError as error:
        form.add_error(None, str(error))
    return None


def _investment_form_page(
    request: HttpRequest,
    access: Access,
    investment: Investment | None,
    initial: dict[str, Any],
    saved: str,
) -> HttpResponse:
    """The investment form, new (`investment` None) or filled in; `saved` is the note after."""
    form = InvestmentForm(
        request.POST or None,
        network=access.network,
        base_currency=selectors.base_currency(access.network),
        initial=initial,
    )
    if (
        request.method == "POST"
        and form.is_valid()
        and _apply_investment_form(access, form, investment) is not None
    ):
        messages.success(request, saved)
        return redirect(_url("investments", access))
    return render(
        request,
        "field/investment_form.html",
        _context(access, "investments", form=form, investment=investment),
    )


@require_http_methods(["GET", "POST"])
@network_view(Capability.CURATE)
def investment_new(request: HttpRequest) -> HttpResponse:
    access = _access(request)
    initial = {}
    product_id = request.GET.get("product", "")
    if product_id.isdigit():
        product = selectors.product_choices(network=access.network).filter(pk=product_id).first()
        initial["product"] = product
    return _investment_form_page(request, access, None, initial, _("The investment was added."))


@require_http_methods(["GET", "POST"])
@network_view(Capability.CURATE)
def investment_edit(request: HttpRequest, investment_id: int) -> HttpResponse:
    access = _access(request)
    investment = selectors.investment_for_curator(access=access, investment_id=investment_id)
    fields = ("funder", "recipient", "title", "amount", "currency", "year", "topic", "product")
    initial = {name: getattr(investment, name) for name in (*fields, "source", "visibility")}
    return _investment_form_page(
        request, access, investment, initial, _("Your changes to the investment are saved.")
    )


@require_http_methods(["GET", "POST"])
@network_view(Capability.CURATE)
def investment_delete(request: HttpRequest, investment_id: int) -> HttpResponse:
    access = _access(request)
    investment = selectors.investment_for_curator(access=access, investment_id=investment_id)
    if request.method == "POST":
        services.investment_delete(investment=investment)
        messages.success(request, _("The investment was removed."))
        return redirect(_url("investments", access))
    return render(
        request,
        "field/confirm_delete.html",
        _context(
            access,
            "investments",
            title=_("Remove this investment?"),
            explanation=_("%(funder)s → %(recipient)s, %(amount)s %(currency)s in %(year)s.")
            % {
                "funder": investment.funder.name,
                "recipient": investment.recipient.name
                if investment.recipient
                else _("no recipient"),
                "amount": investment.amount,
                "currency": investment.currency,
                "year": investment.year,
            },
            cancel=_url("investments", access),
        ),
    )


# --- funding and the gap --------------------------------------------------------------------------


@require_safe
@network_view(Capability.VIEW_PUBLIC)
def funding(request: HttpRequest) -> HttpResponse:
    access = _access(request)
    form = FundingFilterForm(request.GET or None, network=access.network)
    topic = since = until = None
    if form.is_valid():
        topic = selectors.topic_in_network(network=access.network, slug=form.cleaned_data["topic"])
        since, until = form.cleaned_data["since"], form.cleaned_data["until"]
    summary = selectors.funding_summary(access=access, topic=topic, since=since, until=until)
    charts = selectors.funding_charts(summary, _chart_labels())
    return render(
        request,
        "field/funding.html",
        _context(
            access,
            "funding",
            form=form,
            summary=summary,
            charts={key: chart.as_json() for key, chart in charts.items()},
            year_rows=[
                (label, values, total)
                for (label, values), (_year, total) in zip(
                    _chart_table(charts["by_year"]), summary.by_year, strict=True
                )
            ],
            year_series=[d["label"] for d in charts["by_year"].datasets],
            filtered=bool(topic or since or until),
        ),
    )


@require_safe
@network_view(Capability.VIEW_PUBLIC)
def funding_gaps(request: HttpRequest) -> HttpResponse:
    access = _access(request)
    form = GapFilterForm(request.GET or None, network=access.network)
    years, topic = selectors.DEFAULT_GAP_YEARS, None
    if form.is_valid():
        years = form.cleaned_data["years"] or selectors.DEFAULT_GAP_YEARS
        topic = selectors.topic_in_network(network=access.network, slug=form.cleaned_data["topic"])
    gaps = selectors.funding_gaps(access=access, years=years, topic=topic)
    chart = selectors.gap_chart(gaps, _chart_labels() | {"funding": _("Share of the funding")})
    return render(
        request,
        "field/funding_gaps.html",
        _context(access, "gaps", form=form, gaps=gaps, chart=chart.as_json()),
    )


# --- exchange rates -------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@network_view(Capability.CURATE)
def rates(request: HttpRequest) -> HttpResponse:
    """The base currency and the exchange rates into it. One page, two forms (`form` says
    which was sent)."""
    access = _access(request)
    base = selectors.base_currency(access.network)
    which = request.POST.get("form", "") if request.method == "POST" else ""
    rate_form = RateForm(request.POST if which == "rate" else None, prefix="rate")
    base_form = BaseCurrencyForm(
        request.POST if which == "base" else None, prefix="base", initial={"base_currency": base}
    )
    if which == "rate" and rate_form.is_valid():
        data = rate_form.cleaned_data
        try:
            row = services.exchange_rate_set(
                network=access.network,
                currency=data["currency"],
                year=data["year"],
                rate=data["rate"],
            )
        except services.FieldError as error:
            rate_form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("1 %(code)s = %(rate)s %(base)s is saved.")
                % {"code": row.currency, "rate": row.rate.normalize(), "base": base},
            )
            return redirect(_url("rates", access))
    elif which == "base" and base_form.is_valid():
        try:
            services.funding_settings_update(
                network=access.network, base_currency=base_form.cleaned_data["base_currency"]
            )
        except services.FieldError as error:
            base_form.add_error("base_currency", str(error))
        else:
            messages.success(
                request,
                _("Funding is now reported in %(code)s.")
                % {"code": base_form.cleaned_data["base_currency"]},
            )
            return redirect(_url("rates", access))
    elif request.method == "POST" and which not in ("rate", "base"):
        messages.error(request, _("Send the exchange rate form or the base currency form."))
    return render(
        request,
        "field/rates.html",
        _context(
            access,
            "rates",
            base_currency=base,
            rates=selectors.exchange_rates(access=access),
            missing=selectors.currencies_without_rates(access=access),
            rate_form=rate_form,
            base_form=base_form,
        ),
    )


@require_POST
@network_view(Capability.CURATE)
def rate_delete(request: HttpRequest, rate_id: int) -> HttpResponse:
    access = _access(request)
    row = ExchangeRate.objects.filter(network=access.network, pk=rate_id).first()
    if row is None:
        raise Http404
    services.exchange_rate_delete(rate=row)
    messages.success(request, _("The rate for %(code)s was removed.") % {"code": row.currency})
    return redirect(_url("rates", access))


# --- exports --------------------------------------------------------------------------------------


def _csv(access: Access, name: str, rows: Iterable[list[str]]) -> HttpResponse:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerows(rows)
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{access.network.slug}-{name}.csv"'
    return response


@require_safe
@network_view(Capability.VIEW_PUBLIC)
def export_products(request: HttpRequest) -> HttpResponse:
    access = _access(request)
    return _csv(
        access, "products", exports.product_rows(selectors.products_for_export(access=access))
    )


@require_safe
@network_view(Capability.VIEW_PUBLIC)
def export_stage_history(request: HttpRequest) -> HttpResponse:
    access = _access(request)
    changes = selectors.stage_changes_visible_to(access=access).order_by(
        "product__name", "date", "pk"
    )
    return _csv(access, "stage-history", exports.history_rows(changes))


@require_safe
@network_view(Capability.VIEW_PUBLIC)
def export_investments(request: HttpRequest) -> HttpResponse:
    access = _access(request)
    return _csv(
        access,
        "investments",
        exports.investment_rows(
            selectors.investments_for_export(access=access), selectors.rates_for(access.network)
        ),
    )
