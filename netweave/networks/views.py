from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from netweave.networks import selectors
from netweave.networks.decorators import network_view
from netweave.networks.forms import ApplicationForm, NetworkSettingsForm
from netweave.networks.models import Network
from netweave.networks.permissions import Capability, person_for_user
from netweave.networks.services import NetworkError, network_update
from netweave.people import selectors as people_selectors
from netweave.people.services import PeopleError, membership_apply, person_ensure_for_user


@require_safe
def catalogue(request: HttpRequest) -> HttpResponse:
    text = request.GET.get("q", "").strip()
    purpose = request.GET.get("purpose", "")
    if purpose not in Network.Purpose.values:
        purpose = ""
    networks = list(selectors.catalogue(text=text, purpose=purpose))
    # One query for the viewer's memberships, not one access_for() per network listed.
    person = person_for_user(request.user)
    memberships = people_selectors.memberships_of_person(person=person) if person else []
    active = {m.network_id: m for m in memberships if m.is_active}
    for network in networks:
        network.viewer_membership = active.get(network.pk)  # type: ignore[attr-defined]
    return render(
        request,
        "networks/catalogue.html",
        {"networks": networks, "q": text, "purpose": purpose, "purposes": Network.Purpose.choices},
    )


@require_safe
@network_view(Capability.VIEW_PUBLIC)
def home(request: HttpRequest) -> HttpResponse:
    network: Network = request.network  # type: ignore[attr-defined]
    access = request.access  # type: ignore[attr-defined]
    counts = people_selectors.network_counts(network=network)
    context = {
        "network": network,
        "access": access,
        "counts": counts,
        "coordinators": people_selectors.coordinators(network=network),
        "recent": (
            people_selectors.recent_events(access=access)
            if access.can(Capability.VIEW_DIRECTORY)
            else []
        ),
        "pending_applications": (counts["applications"] if access.can(Capability.ONBOARD) else 0),
    }
    return render(request, "networks/home.html", context)


@login_required
@require_http_methods(["GET", "POST"])
@network_view(Capability.VIEW_PUBLIC)
def apply(request: HttpRequest) -> HttpResponse:
    network: Network = request.network  # type: ignore[attr-defined]
    access = request.access  # type: ignore[attr-defined]
    form = ApplicationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        person = access.person or person_ensure_for_user(user=request.user)
        try:
            membership_apply(network=network, person=person, message=form.cleaned_data["message"])
        except PeopleError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _("Thank you. A coordinator will read your application and answer by email."),
            )
            return redirect(network.get_absolute_url())
    return render(
        request, "networks/apply.html", {"network": network, "access": access, "form": form}
    )


@require_http_methods(["GET", "POST"])
@network_view(Capability.MANAGE_SETTINGS)
def settings_edit(request: HttpRequest) -> HttpResponse:
    network: Network = request.network  # type: ignore[attr-defined]
    form = NetworkSettingsForm(request.POST or None, instance=Network.objects.get(pk=network.pk))
    if request.method == "POST" and form.is_valid():
        try:
            network_update(network=network, **form.settings_changes())
        except NetworkError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Settings saved."))
            return redirect("networks:settings", network_slug=network.slug)
    return render(
        request,
        "networks/settings.html",
        {"network": network, "access": request.access, "form": form},  # type: ignore[attr-defined]
    )
