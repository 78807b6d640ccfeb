"""`network_view`: resolve /n/<slug>/, compute the viewer's access once, enforce a capability."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from netweave.networks.permissions import Capability
from netweave.networks.selectors import network_for_viewer


def network_view(capability: Capability) -> Callable[..., Any]:
    """Views decorated with this get `request.network` and `request.access`.

    A private network is a 404 to outsiders; an anonymous visitor who lacks the capability is sent
    to sign in; a signed-in visitor who lacks it gets a 403."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(
            request: HttpRequest, network_slug: str, *args: Any, **kwargs: Any
        ) -> HttpResponse:
            network, access = network_for_viewer(slug=network_slug, user=request.user)
            if not access.can(capability):
                if not request.user.is_authenticated:
                    return redirect_to_login(request.get_full_path())
                raise PermissionDenied
            request.network = network  # type: ignore[attr-defined]
            request.access = access  # type: ignore[attr-defined]
            return view(request, *args, **kwargs)

        wrapper.required_capability = capability  # type: ignore[attr-defined]
        return wrapper

    return decorator
