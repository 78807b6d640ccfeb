"""Pages for a network's people: the directory, profiles, and the coordinator's back office."""

from __future__ import annotations

import csv
from typing import Any

from allauth.account.adapter import get_adapter
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.html import format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from netweave.lib.pagination import CappedPaginator
from netweave.networks.decorators import network_view
from netweave.networks.permissions import Capability, person_for_user
from netweave.people import selectors
from netweave.people.csvio import directory_rows, parse_invitation_csv
from netweave.people.forms import (
    BulkInvitationForm,
    DecisionForm,
    DirectoryFilterForm,
    InvitationForm,
    RoleForm,
    StatusForm,
)
from netweave.people.models import Invitation, Membership
from netweave.people.services import (
    PeopleError,
    invitation_accept,
    invitation_create,
    invitation_revoke,
    membership_change_role,
    membership_change_status,
    membership_decide,
    person_ensure_for_user,
)

PAGE_SIZE = 24


def _options(choices: list[tuple[str, str, int]], selected: str) -> SafeString:
    return format_html_join(
        "",
        '<option value="{}"{}>{} ({})</option>',
        (
            (value, mark_safe(" selected") if value == selected else "", label, count)
            for value, label, count in choices
        ),
    )


def _facet_options(facets: dict[str, Any], query: selectors.DirectoryQuery) -> dict[str, Any]:
    # Hundreds of options: joined here, because a template loop costs tens of milliseconds.
    return {
        "country_options": _options(facets.get("countries", []), query.country),
        "organization_options": _options(
            facets.get("organizations", []), str(query.organization or "")
        ),
    }


def _directory_query(form: DirectoryFilterForm) -> selectors.DirectoryQuery:
    data = form.cleaned_data if form.is_valid() else {}
    return selectors.DirectoryQuery(
        text=data.get("q") or "",
        organization=data.get("organization"),
        country=data.get("country") or "",
        language=(data.get("language") or "").lower(),
        role=data.get("role") or "",
        sort=data.get("sort") or "name",
    )


@require_safe
@network_view(Capability.VIEW_DIRECTORY)
def directory(request: HttpRequest) -> HttpResponse:
    access = request.access  # type: ignore[attr-defined]
    form = DirectoryFilterForm(request.GET or None)
    query = _directory_query(form)
    paginator = CappedPaginator(
        selectors.members_for_directory(access=access, query=query), PAGE_SIZE
    )
    if query.text and not query.filtered and paginator.count <= selectors.FEW_MATCHES:
        # Counted, and few: the page query may fetch the text matches first (same results).
        # Not with another filter: then the count says little about how many match the text.
        paginator.object_list = selectors.members_for_directory(
            access=access, query=query, few_matches=True
        )
    page = paginator.get_page(request.GET.get("page"))
    partial = bool(request.headers.get("HX-Request"))  # live search: the results only
    context = {
        "network": request.network,  # type: ignore[attr-defined]
        "access": access,
        "form": form,
        "page": page,
        "query": query,
    }
    if not partial:
        facets = selectors.directory_facets(access=access, compute=False)
        if facets is not None:
            context.update(_facet_options(facets, query), facets_ready=True)
    template = "people/_directory_results.html" if partial else "people/directory.html"
    return render(request, template, context)


@require_safe
@network_view(Capability.VIEW_DIRECTORY)
def directory_facets(request: HttpRequest) -> HttpResponse:
    """The country and organization filters with their counts (loaded after the page)."""
    access = request.access  # type: ignore[attr-defined]
    query = _directory_query(DirectoryFilterForm(request.GET or None))
    facets = selectors.directory_facets(access=access) or {}
    context = {"network": access.network, "query": query, **_facet_options(facets, query)}
    return render(request, "people/_directory_facets.html", context)


@require_safe
@network_view(Capability.EXPORT)
def directory_export(request: HttpRequest) -> StreamingHttpResponse:
    access = request.access  # type: ignore[attr-defined]
    memberships = selectors.members_for_directory(access=access, query=selectors.DirectoryQuery())

    class Echo:
        def write(self, value: str) -> str:
            return value

    writer = csv.writer(Echo())
    response = StreamingHttpResponse(
        (writer.writerow(row) for row in directory_rows(memberships.iterator(chunk_size=2000))),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{access.network.slug}-members.csv"'
    return response


@require_safe
@network_view(Capability.VIEW_DIRECTORY)
def person_detail(request: HttpRequest, person_id: int) -> HttpResponse:
    access = request.access  # type: ignore[attr-defined]
    person = selectors.person_in_network(access=access, person_id=person_id)
    membership = person.memberships.filter(network=access.network).first()
    return render(
        request,
        "people/person_detail.html",
        {"network": access.network, "access": access, "person": person, "membership": membership},
    )


@require_safe
@network_view(Capability.VIEW_DIRECTORY)
def organization_list(request: HttpRequest) -> HttpResponse:
    access = request.access  # type: ignore[attr-defined]
    organizations = selectors.organizations_in_network(access=access)
    page = Paginator(organizations, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "people/organization_list.html",
        {"network": access.network, "access": access, "page": page},
    )


@require_safe
@network_view(Capability.VIEW_DIRECTORY)
def organization_detail(request: HttpRequest, organization_id: int) -> HttpResponse:
    access = request.access  # type: ignore[attr-defined]
    organization, members = selectors.organization_in_network(
        access=access, organization_id=organization_id
    )
    return render(
        request,
        "people/organization_detail.html",
        {
            "network": access.network,
            "access": access,
            "organization": organization,
            "members": members,
        },
    )


# --- back office --------------------------------------------------------------------------------


@require_safe
@network_view(Capability.ONBOARD)
def manage_members(request: HttpRequest) -> HttpResponse:
    access = request.access  # type: ignore[attr-defined]
    status = request.GET.get("status", Membership.Status.ACTIVE)
    if status not in Membership.Status.values and status != "all":
        status = Membership.Status.ACTIVE
    memberships = selectors.memberships_for_back_office(
        access=access, status="" if status == "all" else status, text=request.GET.get("q", "")
    )
    page = Paginator(memberships, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "people/manage_members.html",
        {
            "network": access.network,
            "access": access,
            "page": page,
            "status": status,
            "statuses": Membership.Status.choices,
            "q": request.GET.get("q", ""),
        },
    )


@require_http_methods(["GET", "POST"])
@network_view(Capability.ONBOARD)
def manage_membership(request: HttpRequest, membership_id: int) -> HttpResponse:
    access = request.access  # type: ignore[attr-defined]
    membership = selectors.membership_for_back_office(access=access, membership_id=membership_id)
    role_form = RoleForm(initial={"role": membership.role}, prefix="role")
    status_form = StatusForm(initial={"status": membership.status}, prefix="status")
    if request.method == "POST":
        if not access.can(Capability.MANAGE_MEMBERS):
            raise PermissionDenied(_("Only coordinators can change roles and statuses."))
        try:
            if "role-role" in request.POST:
                role_form = RoleForm(request.POST, prefix="role")
                if role_form.is_valid():
                    membership_change_role(
                        membership=membership,
                        role=role_form.cleaned_data["role"],
                        actor=access.person,
                    )
                    messages.success(request, _("Role changed."))
                    return redirect("people:manage_membership", access.network.slug, membership.pk)
            elif "status-status" in request.POST:
                status_form = StatusForm(request.POST, prefix="status")
                if status_form.is_valid():
                    membership_change_status(
                        membership=membership,
                        status=status_form.cleaned_data["status"],
                        actor=access.person,
                        message=status_form.cleaned_data["message"],
                    )
                    messages.success(request, _("Status changed."))
                    return redirect("people:manage_membership", access.network.slug, membership.pk)
        except PeopleError as error:
            messages.error(request, str(error))
    return render(
        request,
        "people/manage_membership.html",
        {
            "network": access.network,
            "access": access,
            "membership": membership,
            "history": selectors.membership_history(access=access, membership_id=membership.pk),
            "role_form": role_form,
            "status_form": status_form,
        },
    )


@require_safe
@network_view(Capability.ONBOARD)
def manage_applications(request: HttpRequest) -> HttpResponse:
    access = request.access  # type: ignore[attr-defined]
    return render(
        request,
        "people/manage_applications.html",
        {
            "network": access.network,
            "access": access,
            "applications": selectors.pending_applications(access=access),
            "form": DecisionForm(),
        },
    )


@require_POST
@network_view(Capability.ONBOARD)
def decide_application(request: HttpRequest, membership_id: int) -> HttpResponse:
    access = request.access  # type: ignore[attr-defined]
    membership = selectors.membership_for_back_office(access=access, membership_id=membership_id)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose approve or decline."))
    else:
        approve = form.cleaned_data["decision"] == "approve"
        try:
            membership_decide(
                membership=membership, approve=approve, actor=access.person,
                message=form.cleaned_data["message"],
            )  # fmt: skip
        except PeopleError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                (
                    _("%(name)s is now a member.")
                    if approve
                    else _("Application from %(name)s declined.")
                )
                % {"name": membership.person.name},
            )
    return redirect("people:manage_applications", access.network.slug)


@require_http_methods(["GET", "POST"])
@network_view(Capability.ONBOARD)
def manage_invitations(request: HttpRequest) -> HttpResponse:
    access = request.access  # type: ignore[attr-defined]
    allowed = access.assignable_roles()
    form = InvitationForm(allowed_roles=allowed, prefix="one")
    bulk_form = BulkInvitationForm(prefix="bulk")
    bulk_errors: list[str] = []
    if request.method == "POST" and "one-email" in request.POST:
        form = InvitationForm(request.POST, allowed_roles=allowed, prefix="one")
        if form.is_valid():
            try:
                invitation_create(
                    network=access.network, invited_by=access.person, **form.cleaned_data
                )
            except PeopleError as error:
                form.add_error("email", str(error))
            else:
                messages.success(
                    request,
                    _("Invitation sent to %(email)s.") % {"email": form.cleaned_data["email"]},
                )
                return redirect("people:manage_invitations", access.network.slug)
    elif request.method == "POST":
        bulk_form = BulkInvitationForm(request.POST, request.FILES, prefix="bulk")
        if bulk_form.is_valid():
            rows, bulk_errors = parse_invitation_csv(
                bulk_form.cleaned_data["file"].read(), allowed_roles=allowed
            )
            if not bulk_errors:
                try:
                    with transaction.atomic():
                        for row in rows:
                            invitation_create(
                                network=access.network,
                                invited_by=access.person,
                                email=row["email"],
                                name=row["name"],
                                role=row["role"],
                                message=row["message"] or bulk_form.cleaned_data["message"],
                            )
                except PeopleError as error:
                    bulk_errors = [str(error)]
                else:
                    messages.success(
                        request,
                        ngettext(
                            "%(count)d invitation sent.", "%(count)d invitations sent.", len(rows)
                        )
                        % {"count": len(rows)},
                    )
                    return redirect("people:manage_invitations", access.network.slug)
    return render(
        request,
        "people/manage_invitations.html",
        {
            "network": access.network,
            "access": access,
            "invitations": selectors.pending_invitations(access=access),
            "form": form,
            "bulk_form": bulk_form,
            "bulk_errors": bulk_errors,
        },
    )


@require_POST
@network_view(Capability.ONBOARD)
def invitation_action(request: HttpRequest, invitation_id: int, action: str) -> HttpResponse:
    access = request.access  # type: ignore[attr-defined]
    if action not in ("revoke", "resend"):
        raise Http404
    invitation = selectors.invitation_for_back_office(access=access, invitation_id=invitation_id)
    try:
        if action == "revoke":
            invitation_revoke(invitation=invitation)
            messages.success(request, _("Invitation withdrawn."))
        else:
            invitation_create(
                network=access.network, email=invitation.email, name=invitation.name,
                role=invitation.role, message=invitation.message, invited_by=access.person,
            )  # fmt: skip
            messages.success(request, _("Invitation sent again."))
    except PeopleError as error:
        messages.error(request, str(error))
    return redirect("people:manage_invitations", access.network.slug)


# --- accepting an invitation (outside /n/<slug>/: the token is the key) ---------------------------


@require_http_methods(["GET", "POST"])
def invitation_page(request: HttpRequest, token: str) -> HttpResponse:
    invitation = get_object_or_404(
        Invitation.objects.select_related("network", "invited_by"), token=token
    )
    context = {"invitation": invitation, "network": invitation.network}
    if not invitation.is_open and invitation.status != Invitation.Status.ACCEPTED:
        return render(request, "people/invitation_closed.html", context, status=410)
    if not request.user.is_authenticated:
        # The link came by email to this address, which proves the invitee owns it: allauth then
        # pre-fills the sign-up form and skips the separate verification step for that address.
        get_adapter(request).stash_verified_email(request, invitation.email)
        return render(request, "people/invitation_welcome.html", context)
    if request.method == "POST":
        person = person_for_user(request.user) or person_ensure_for_user(user=request.user)
        try:
            invitation_accept(invitation=invitation, person=person)
        except PeopleError as error:
            messages.error(request, str(error))
            return render(request, "people/invitation_closed.html", context, status=409)
        messages.success(
            request, _("Welcome to %(network)s!") % {"network": invitation.network.name}
        )
        return redirect("accounts:profile")
    return render(request, "people/invitation_accept.html", context)
