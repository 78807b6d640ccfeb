"""Drafting an issue from what happened in the network since the last one.

`draft_issue` starts issue N+1 and writes its default edition in Markdown: an intro line to edit,
then one section per kind of news (new resources, upcoming events, funding opportunities, member
news, product stage changes), each from a small function that returns its lines, or nothing when
there is no news of that kind (the section is then left out).

A newsletter goes to subscribers who are not members, and its archive is public: every section
shows only what the public may see (public, published resources; public, published events; public
products). Members are counted, never named: no member agreed to have their name sent to the
subscribers (map consent is about the network map, which only members see)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from netweave.field.models import StageChange
from netweave.library.models import Resource, Visibility
from netweave.networks.models import Network
from netweave.outreach.common import absolute_url
from netweave.outreach.models import Event, MailingList, Newsletter
from netweave.outreach.newsletters import (
    network_languages,
    newsletter_create,
    period_start_for,
)
from netweave.people.models import Membership, Person

MAX_ITEMS = 8
EVENTS_AHEAD_DAYS = 60
SUMMARY_CHARS = 160


@dataclass(frozen=True)
class Period:
    """What an issue covers: news after `since`, events up to `until`."""

    network: Network
    since: datetime
    now: datetime

    @property
    def until(self) -> datetime:
        return self.now + timedelta(days=EVENTS_AHEAD_DAYS)


Section = Callable[[Period], tuple[str, list[str]]]

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|<>~])")


def escape_markdown(text: str) -> str:
    """Text shown as is in Markdown (a title with brackets or stars stays a title)."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(str(text).split()))


def one_line(text: str, limit: int = SUMMARY_CHARS) -> str:
    """The first paragraph of a Markdown summary as plain text, cut at a word near `limit`."""
    first = next((p for p in re.split(r"\n\s*\n", text or "") if p.strip()), "")
    plain = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", first)  # links keep their text
    plain = re.sub(r"[*_`#>]+", "", plain)
    plain = " ".join(plain.split())
    if len(plain) > limit:
        plain = plain[:limit].rsplit(" ", 1)[0].rstrip(",;:.") + "…"
    return plain


def _link(title: str, url: str) -> str:
    return f"[{escape_markdown(title)}]({url})"


def _reverse_or(names: list[tuple[str, list[object]]], fallback: str) -> str:
    for name, args in names:
        try:
            return reverse(name, args=args)
        except NoReverseMatch:
            continue
    return fallback


# --- the sections --------------------------------------------------------------------------------


def _public_resources(period: Period) -> list[Resource]:
    return list(
        Resource.objects.filter(
            network=period.network,
            status=Resource.Status.PUBLISHED,
            visibility=Visibility.PUBLIC,
            published_at__gt=period.since,
            published_at__lte=period.now,
        )
        .select_related("network")
        .order_by("-published_at", "-pk")
    )


def _resource_lines(resources: list[Resource]) -> list[str]:
    lines = []
    for resource in resources[:MAX_ITEMS]:
        line = "- " + _link(resource.title, absolute_url(resource.get_absolute_url()))
        summary = one_line(resource.summary)
        if summary:
            line += " — " + escape_markdown(summary)
        lines.append(line)
    return lines


def section_resources(period: Period) -> tuple[str, list[str]]:
    """New public resources of the library, newest first (funding opportunities apart)."""
    found = [r for r in _public_resources(period) if r.kind != Resource.Kind.FUNDING]
    return _("New in the library"), _resource_lines(found)


def section_funding(period: Period) -> tuple[str, list[str]]:
    """New public funding opportunities, newest first."""
    found = [r for r in _public_resources(period) if r.kind == Resource.Kind.FUNDING]
    return _("Funding opportunities"), _resource_lines(found)


def _event_zone(event: Event) -> ZoneInfo:
    try:
        return ZoneInfo(event.time_zone or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def section_events(period: Period) -> tuple[str, list[str]]:
    """Public, published events in the next EVENTS_AHEAD_DAYS days, soonest first, dated in the
    event's own time zone."""
    events = Event.objects.filter(
        network=period.network,
        status=Event.Status.PUBLISHED,
        visibility=Event.Visibility.PUBLIC,
        starts_at__gte=period.now,
        starts_at__lte=period.until,
    ).order_by("starts_at", "pk")[:MAX_ITEMS]
    slug = period.network.slug
    lines = []
    for event in events:
        local = timezone.localtime(event.starts_at, _event_zone(event))
        day, hour = date_format(local, "DATE_FORMAT"), date_format(local, "TIME_FORMAT")
        when = f"{day}, {hour} ({event.time_zone})"
        url = absolute_url(
            _reverse_or(
                [("outreach:event", [slug, event.pk]), ("outreach:events", [slug])],
                period.network.get_absolute_url(),
            )
        )
        lines.append(f"- **{escape_markdown(when)}** — {_link(event.title, url)}")
    return _("Coming up"), lines


def section_members(period: Period) -> tuple[str, list[str]]:
    """How many people joined: a count, never names (see the module's docstring)."""
    joined = Membership.objects.filter(
        network=period.network,
        status=Membership.Status.ACTIVE,
        joined_at__gt=period.since,
        joined_at__lte=period.now,
    ).count()
    if not joined:
        return _("Member news"), []
    line = ngettext(
        "%(count)d new member joined the network.",
        "%(count)d new members joined the network.",
        joined,
    ) % {"count": joined}
    return _("Member news"), [line]


def section_products(period: Period) -> tuple[str, list[str]]:
    """Public products that reached a new stage, latest first."""
    changes = (
        StageChange.objects.filter(
            network=period.network,
            product__visibility=Visibility.PUBLIC,
            date__gt=timezone.localdate(period.since),
            date__lte=timezone.localdate(period.now),
        )
        .select_related("product", "product__network", "stage")
        .order_by("-date", "-pk")[:MAX_ITEMS]
    )
    lines = []
    for change in changes:
        product = change.product
        link = _link(product.name, absolute_url(product.get_absolute_url()))
        lines.append(
            "- "
            + _("%(product)s reached %(stage)s (%(date)s)")
            % {
                "product": link,
                "stage": escape_markdown(change.stage.name),
                "date": date_format(change.date, "DATE_FORMAT"),
            }
        )
    return _("Products in development"), lines


SECTIONS: list[Section] = [
    section_resources,
    section_events,
    section_funding,
    section_members,
    section_products,
]


def draft_body(network: Network, *, since: datetime, now: datetime | None = None) -> str:
    """The Markdown of a drafted edition: an intro to edit, then the sections that have news."""
    period = Period(network=network, since=since, now=now or timezone.now())
    parts = [
        _("_Write a few words of introduction here: what this issue is about._"),
    ]
    for section in SECTIONS:
        heading, lines = section(period)
        if lines:
            parts.append(f"## {heading}\n\n" + "\n".join(lines))
    if len(parts) == 1:
        parts.append(
            _("Nothing new was published for the public since %(date)s: add your own news below.")
            % {"date": date_format(timezone.localtime(since), "DATE_FORMAT")}
        )
    return "\n\n".join(parts) + "\n"


def draft_issue(
    network: Network,
    *,
    mailing_list: MailingList,
    by: Person | None,
    language: str = "",
    now: datetime | None = None,
) -> Newsletter:
    """Start issue N+1 for `mailing_list` with a default edition drafted from the news since
    the last sent issue (or the last 30 days)."""
    now = now or timezone.now()
    since = period_start_for(network, now=now)
    language = language or network_languages(network)[0]
    with translation.override(language):
        return newsletter_create(
            network=network,
            mailing_list=mailing_list,
            by=by,
            language=language,
            body=draft_body(network, since=since, now=now),
            now=now,
        )
