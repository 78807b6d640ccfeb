"""Coordinators' tie pages: the list of ties (add, end), the import (dry run, then commit), the
snapshots (take one, watch it being computed) and their exports."""

from __future__ import annotations

import base64
import binascii
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from netweave.networks.decorators import network_view
from netweave.networks.permissions import Capability
from netweave.people.models import Membership
from netweave.ties import selectors
from netweave.ties.exports import EXPORT_FORMATS, export_snapshot
from netweave.ties.forms import SnapshotTakeForm, TieAddForm, TieEditForm, TieImportForm
from netweave.ties.importing import CSV_COLUMNS, ties_import
from netweave.ties.models import Snapshot, Tie
from netweave.ties.services import TieError, snapshot_take, tie_add, tie_end, tie_update

PAGE_SIZE = 50


def _context(request: HttpRequest, **extra: Any) -> dict[str, Any]:
    access = request.access  # type: ignore[attr-defined]
    return {"network": access.network, "access": access, "nav": "ties", **extra}


def _filters(request: HttpRequest) -> selectors.TieFilters:
    kind = request.GET.get("kind", "")
    provenance = request.GET.get("provenance", "")
    state = request.GET.get("state", "active")
    person = request.GET.get("person", "")
    return selectors.TieFilters(
        kind=kind if kind in Tie.Kind.values else "",
        provenance=provenance if provenance in Tie.Provenance.values else "",
        state=state if state in ("active", "ended", "all") else "active",
        person=int(person) if person.isdigit() else None,
    )


@require_http_methods(["GET", "POST"])
@network_view(Capability.VIEW_RAW)
def tie_list(request: HttpRequest) -> HttpResponse:
    access = request.access  # type: ignore[attr-defined]
    form = TieAddForm(request.POST or None, network=access.network)
    if request.method == "POST" and form.is_valid():
        try:
            tie_add(network=access.network, created_by=access.person, **form.cleaned_data)
        except TieError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Tie added."))
            return redirect("ties:list", access.network.slug)
    filters = _filters(request)
    page = Paginator(selectors.ties_for_coordinator(access=access, filters=filters), PAGE_SIZE)
    people = (
        Membership.objects.filter(network=access.network, status=Membership.Status.ACTIVE)
        .order_by("sort_name")
        .values_list("person_id", "person__name")
    )
    return render(
        request,
        "ties/tie_list.html",
        _context(
            request,
            form=form,
            filters=filters,
            page=page.get_page(request.GET.get("page")),
            kinds=Tie.Kind.choices,
            provenances=Tie.Provenance.choices,
            people=people,
        ),
        status=400 if request.method == "POST" else 200,
    )


@require_http_methods(["GET", "POST"])
@network_view(Capability.VIEW_RAW)
def tie_edit(request: HttpRequest, tie_id: int) -> HttpResponse:
    access = request.access  # type: ignore[attr-defined]
    tie = selectors.tie_for_coordinator(access=access, tie_id=tie_id)
    initial = {name: getattr(tie, name) for name in TieEditForm.base_fields}
    form = TieEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            tie_update(tie=tie, **form.cleaned_data)
        except TieError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Tie saved."))
            return redirect("ties:list", access.network.slug)
    return render(
        request,
        "ties/tie_edit.html",
        _context(request, form=form, tie=tie),
        status=400 if request.method == "POST" else 200,
    )


@require_POST
@network_view(Capability.VIEW_RAW)
def tie_end_view(request: HttpRequest, tie_id: int) -> HttpResponse:
    access = request.access  # type: ignore[attr-defined]
    tie = selectors.tie_for_coordinator(access=access, tie_id=tie_id)
    tie_end(tie=tie)
    messages.success(
        request,
        _("The tie between %(a)s and %(b)s has ended; it stays in earlier snapshots.")
        % {"a": tie.source.name, "b": tie.target.name},
    )
    back = request.POST.get("next", "")
    if back and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        return redirect(back)
    return redirect("ties:list", access.network.slug)


@require_http_methods(["GET", "POST"])
@network_view(Capability.VIEW_RAW)
def tie_import(request: HttpRequest) -> HttpResponse:
    """First POST: check the file (dry run) and show the report. When the file is fine, the page
    carries its content in a hidden field, and "Import for real" checks it again and writes."""
    access = request.access  # type: ignore[attr-defined]
    report = None
    carried = ""
    form = TieImportForm()
    status = 200
    if request.method == "POST" and request.POST.get("commit"):
        try:
            content = base64.b64decode(request.POST.get("content", ""), validate=True)
        except (binascii.Error, ValueError):
            content = b""
        kind = request.POST.get("kind", Tie.Kind.KNOWS)
        if not content or kind not in Tie.Kind.values:
            messages.error(request, _("Upload the file again."))
            return redirect("ties:import", access.network.slug)
        report = ties_import(
            network=access.network,
            filename=request.POST.get("filename", "ties.csv")[:255],
            content=content,
            dry_run=False,
            default_kind=kind,
            created_by=access.person,
        )
        if report.committed:
            messages.success(
                request,
                _("Imported: %(created)d new ties, %(unchanged)d already there.")
                % {"created": report.to_create, "unchanged": report.unchanged},
            )
            return redirect("ties:list", access.network.slug)
        status = 400
    elif request.method == "POST":
        form = TieImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            content = upload.read()
            report = ties_import(
                network=access.network,
                filename=upload.name,
                content=content,
                dry_run=True,
                default_kind=form.cleaned_data["kind"],
            )
            if report.ok:
                carried = base64.b64encode(content).decode()
            else:
                status = 400
        else:
            status = 400
    return render(
        request,
        "ties/tie_import.html",
        _context(
            request,
            form=form,
            report=report,
            carried=carried,
            kind=(form.cleaned_data.get("kind") if form.is_bound and form.is_valid() else "")
            or request.POST.get("kind", Tie.Kind.KNOWS),
            columns=CSV_COLUMNS,
            kinds=Tie.Kind.values,
        ),
        status=status,
    )


@require_http_methods(["GET", "POST"])
@network_view(Capability.VIEW_RAW)
def snapshot_list(request: HttpRequest) -> HttpResponse:
    access = request.access  # type: ignore[attr-defined]
    form = SnapshotTakeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        kinds = form.cleaned_data["kinds"]
        try:
            snapshot_take(
                network=access.network,
                label=form.cleaned_data["label"],
                created_by=access.person,
                tie_filter={"kinds": kinds} if kinds else None,
            )
        except TieError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Snapshot taken; its figures are being computed."))
            return redirect("ties:snapshots", access.network.slug)
    page = Paginator(selectors.snapshots_for_network(access=access), PAGE_SIZE)
    return render(
        request,
        "ties/snapshot_list.html",
        _context(
            request,
            form=form,
            page=page.get_page(request.GET.get("page")),
            formats=EXPORT_FORMATS,
        ),
        status=400 if request.method == "POST" else 200,
    )


@require_GET
@network_view(Capability.VIEW_RAW)
def snapshot_status(request: HttpRequest, snapshot_id: int) -> HttpResponse:
    """One row of the snapshot table; htmx polls it every 2 s while the snapshot is computed."""
    access = request.access  # type: ignore[attr-defined]
    snapshot = selectors.snapshot_for_viewer(access=access, snapshot_id=snapshot_id)
    return render(request, "ties/_snapshot_row.html", _context(request, snapshot=snapshot))


@require_GET
@network_view(Capability.EXPORT)
def snapshot_export(request: HttpRequest, snapshot_id: int, file_format: str) -> HttpResponse:
    access = request.access  # type: ignore[attr-defined]
    if file_format not in EXPORT_FORMATS:
        raise Http404
    snapshot = selectors.snapshot_for_viewer(access=access, snapshot_id=snapshot_id)
    if snapshot.status != Snapshot.Status.DONE:
        raise Http404
    content_type, suffix = EXPORT_FORMATS[file_format]
    response = HttpResponse(export_snapshot(snapshot, file_format), content_type=content_type)
    filename = f"{access.network.slug}-snapshot-{snapshot.pk}-{snapshot.taken_at:%Y%m%d}.{suffix}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
