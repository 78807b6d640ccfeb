"""A signed-in person's own pages: their networks, their profile, their API tokens."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from netweave.accounts.forms import ApiTokenForm
from netweave.accounts.models import ApiToken, User
from netweave.accounts.services import api_token_create, api_token_revoke
from netweave.people.forms import ProfileForm
from netweave.people.selectors import memberships_of_person
from netweave.people.services import (
    organization_get_or_create,
    person_ensure_for_user,
    person_set_affiliation,
    person_update_profile,
)


@require_safe
@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    person = person_ensure_for_user(user=request.user)
    return render(
        request,
        "accounts/dashboard.html",
        {"person": person, "memberships": memberships_of_person(person=person)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def profile_edit(request: HttpRequest) -> HttpResponse:
    person = person_ensure_for_user(user=request.user)
    form = ProfileForm(request.POST or None, instance=person)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            person_update_profile(person=person, **form.profile_changes())
            org_name = form.cleaned_data["organization"].strip()
            organization = organization_get_or_create(name=org_name) if org_name else None
            person_set_affiliation(
                person=person, organization=organization, title=form.cleaned_data["title"]
            )
        messages.success(request, _("Your profile is saved."))
        return redirect("accounts:profile")
    return render(request, "accounts/profile_edit.html", {"person": person, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def tokens(request: HttpRequest) -> HttpResponse:
    user = cast(User, request.user)
    form = ApiTokenForm(request.POST or None)
    new_token = None
    if request.method == "POST" and form.is_valid():
        _token, new_token = api_token_create(user=user, name=form.cleaned_data["name"])
        form = ApiTokenForm()
    return render(
        request,
        "accounts/tokens.html",
        {
            "form": form,
            "tokens": ApiToken.objects.filter(user=user),
            "new_token": new_token,
        },
    )


@login_required
@require_POST
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=token_id, user=request.user)
    api_token_revoke(token=token)
    messages.success(request, _("Token revoked."))
    return redirect("accounts:tokens")
