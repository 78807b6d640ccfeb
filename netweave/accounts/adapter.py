from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.http import HttpRequest


class AccountAdapter(DefaultAccountAdapter):
    """Sign-up is open (people need an account to apply or to accept an invitation); after sign-in
    people land on the page they came from, or their own page."""

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return bool(getattr(settings, "NETWEAVE_OPEN_SIGNUP", True))

    def get_login_redirect_url(self, request: HttpRequest) -> str:
        return str(super().get_login_redirect_url(request))

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        context.setdefault("site_name", settings.NETWEAVE_SITE_NAME)
        super().send_mail(template_prefix, email, context)
