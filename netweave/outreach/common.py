"""Small helpers every outreach area shares: a network's mail settings and sender, absolute URLs
for emails, and the language a subscriber or a registrant reads."""

from __future__ import annotations

from email.utils import formataddr, parseaddr

from django.conf import settings
from django.urls import reverse

from netweave.networks.models import Network
from netweave.outreach.models import OutreachSettings


class OutreachError(Exception):
    """A rule of outreach was broken (the API answers 409 with the message, pages show it)."""


def settings_for(network: Network) -> OutreachSettings:
    """The network's mail settings, made with the defaults the first time they are needed."""
    found, _created = OutreachSettings.objects.get_or_create(network=network)
    return found


def sender_for(network: Network, mail_settings: OutreachSettings | None = None) -> str:
    """The From header of the network's mail: its sender (else the site's), its name."""
    mail_settings = mail_settings or settings_for(network)
    default_name, default_address = parseaddr(str(settings.DEFAULT_FROM_EMAIL))
    address = mail_settings.from_email or default_address or "netweave@localhost"
    name = mail_settings.from_name or network.name or default_name
    return formataddr((name, address))


def absolute_url(path: str) -> str:
    """`path` on the site's public address (NETWEAVE_BASE_URL), for links in emails."""
    return str(settings.NETWEAVE_BASE_URL).rstrip("/") + path


def absolute_reverse(name: str, *args: object) -> str:
    return absolute_url(reverse(name, args=args))


def supported_language(*candidates: str | None, network: Network | None = None) -> str:
    """The first of `candidates` (then the network's languages) that the site speaks."""
    supported = {code for code, _label in settings.LANGUAGES}
    pool = list(candidates) + list((network.languages if network else None) or [])
    for code in pool:
        code = str(code or "").lower()[:2]
        if code in supported:
            return code
    return str(settings.LANGUAGE_CODE)[:2]
