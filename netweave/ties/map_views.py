"""The network map (/n/<slug>/map/) and the network-health page (/n/<slug>/health/).

Thin: parse the query, read through netweave.ties.map_data, render. Names follow the map's
consent rules everywhere (see map_data)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.gzip import gzip_page
from django.views.decorators.http import require_safe

from netweave.networks.decorators import network_view
from netweave.networks.permissions import Access, Capability
from netweave.ties import map_data
from netweave.ties.map_data import MapInputError
from netweave.ties.models import Snapshot


def _json_error(message: str, status: int) -> JsonResponse:
    return JsonResponse({"error": message}, status=status)


def _figures_and_stage(access: Access, snapshot: Snapshot) -> dict[str, Any]:
    """What the map and the health page both show of a snapshot: its key figures and its stage,
    whose reasons name members as the viewer may see them."""
    report = snapshot.report or {}
    return {
        "snapshot": snapshot,
        "figures": map_data.key_figures(report),
        "stage": map_data.stage_for_viewer(access=access, stage=report.get("stage") or {}),
    }


@require_safe
@network_view(Capability.VIEW_MAP)
def map_page(request: HttpRequest) -> HttpResponse:
    access = request.access  # type: ignore[attr-defined]
    network = access.network
    context: dict[str, Any] = {
        "network": network,
        "access": access,
        "snapshots": list(map_data.snapshots_for_map(network=network)),
        "colour_by_choices": list(map_data.colour_by_labels().items()),
        "size_by_choices": list(map_data.size_by_labels().items()),
        "error": "",
        "snapshot": None,
    }
    status = 200
    try:
        snapshot = map_data.snapshot_for_map(
            network=network, snapshot_id=request.GET.get("snapshot")
        )
    except MapInputError as error:
        snapshot = None
        context["error"] = str(error)
        status = 404
    if snapshot is not None:
        context.update(
            _figures_and_stage(access, snapshot),
            connections=map_data.ego_connections(access=access, snapshot=snapshot),
            in_snapshot=access.person is not None
            and any(node.get("id") == access.person.pk for node in snapshot.graph.get("nodes", [])),
        )
    return render(request, "ties/map.html", context, status=status)


@require_safe
@gzip_page  # 5,000 members are 1.5 MB of JSON, about 300 kB compressed
@network_view(Capability.VIEW_MAP)
def map_data_json(request: HttpRequest) -> HttpResponse:
    access = request.access  # type: ignore[attr-defined]
    try:
        snapshot = map_data.snapshot_for_map(
            network=access.network, snapshot_id=request.GET.get("snapshot")
        )
    except MapInputError as error:
        return _json_error(str(error), 404)
    if snapshot is None:
        return _json_error(_("This network has no map yet: no snapshot has been computed."), 404)
    try:
        payload = map_data.map_payload(
            access=access,
            snapshot=snapshot,
            colour_by=request.GET.get("colour") or "community",
            size_by=request.GET.get("size") or "degree",
        )
    except MapInputError as error:
        return _json_error(str(error), 400)
    return JsonResponse(payload)


def _snapshot_from_query(request: HttpRequest, name: str, network: Any) -> Snapshot | None:
    value = request.GET.get(name)
    if not value:
        return None
    return map_data.snapshot_for_map(network=network, snapshot_id=value)


@require_safe
@network_view(Capability.VIEW_MAP)
def health_page(request: HttpRequest) -> HttpResponse:
    access = request.access  # type: ignore[attr-defined]
    network = access.network
    snapshots = list(map_data.snapshots_for_map(network=network))
    context: dict[str, Any] = {
        "network": network,
        "access": access,
        "snapshots": snapshots,
        "snapshot": None,
        "error": "",
        "comparison": None,
        "can_act": access.can(Capability.MANAGE_SETTINGS),
    }
    status = 200
    try:
        snapshot = map_data.snapshot_for_map(
            network=network, snapshot_id=request.GET.get("snapshot")
        )
        before = _snapshot_from_query(request, "before", network)
        after = _snapshot_from_query(request, "after", network)
    except MapInputError as error:
        context["error"] = str(error)
        snapshot = before = after = None
        status = 404
    if snapshot is not None:
        context.update(
            _figures_and_stage(access, snapshot),
            lists=map_data.health_lists(access=access, report=snapshot.report or {}),
            timeline=map_data.timeline(network=network),
            chart_labels={
                "members": _("Members"),
                "density": _("Density"),
                "components": _("Separate groups"),
                "modularity": _("Modularity"),
                "stage": _("Stage"),
            },
        )
        if before is None and after is None and len(snapshots) >= 2:
            # By default, what changed since the snapshot before this one.
            older = [s for s in snapshots if s.taken_at < snapshot.taken_at]
            if older:
                before, after = older[0], snapshot
        if before is not None and after is not None:
            if before.pk == after.pk:
                context["compare_error"] = _("Choose two different snapshots to compare.")
            else:
                if before.taken_at > after.taken_at:
                    before, after = after, before
                context["comparison"] = map_data.snapshot_comparison(
                    access=access, before=before, after=after
                )
                context["before"], context["after"] = before, after
    return render(request, "ties/health.html", context, status=status)
