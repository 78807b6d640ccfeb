"""Pages of feed ingestion, for curators (stewards and coordinators): the feeds the network
follows, and the inbox of what they bring.

Every page works without JavaScript (forms that POST and redirect back); with htmx, "fetch now"
shows its progress in place and accepting or dismissing an item replaces it in the list."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from netweave.library import feed_selectors as selectors
from netweave.library.feed_forms import FeedForm, InboxFilterForm, ItemIdsForm
from netweave.library.ingest import (
    FeedError,
    feed_add,
    feed_fetch_request,
    feed_remove,
    feed_update,
    item_accept,
    item_dismiss,
    items_dismiss,
)
from netweave.library.models import Feed, FeedItem, Resource
from netweave.library.views import redirect_back
from netweave.networks.decorators import network_view
from netweave.networks.permissions import Access, Capability

PAGE_SIZE = 25
# "Fetch now" shows its progress this long; after that the worker is probably not running.
WAIT_LIMIT = timedelta(minutes=2)


def _access(request: HttpRequest) -> Access:
    return request.access  # type: ignore[attr-defined,no-any-return]


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _feeds_url(access: Access) -> str:
    return reverse("library:feeds", args=[access.network.slug])


def _inbox_url(access: Access) -> str:
    return reverse("library:feed_inbox", args=[access.network.slug])


def resource_edit_url(access: Access, resource: Resource) -> str:
    return reverse("library:resource_edit", args=[access.network.slug, resource.pk])


def feed_hint(feed: Feed) -> str:
    """What a curator can do about a feed's last failure, in plain words."""
    if feed.last_status == Feed.FetchStatus.REFUSED:
        hint = _(
            "Open the address in a browser: if it shows a web page rather than a feed, look on "
            "that page for the RSS or Atom link and edit the feed to use it."
        )
    elif feed.last_status == Feed.FetchStatus.ERROR:
        hint = _(
            "It is tried again on its own. If it keeps failing, check the address in a browser "
            "or ask the publisher whether the feed moved."
        )
    else:
        return ""
    if feed.failures >= 5:
        hint += " " + _(
            "It has failed %(count)d times in a row, so it is now tried less often (once a day "
            "at most)."
        ) % {"count": feed.failures}
    return hint


def _since(request: HttpRequest) -> datetime | None:
    value = parse_datetime(request.GET.get("since", "") or "")
    if value is not None and timezone.is_naive(value):
        value = timezone.make_aware(value, UTC)
    return value


def _status_context(feed: Feed, since: datetime | None) -> dict[str, Any]:
    now = timezone.now()
    waiting = since is not None and (feed.last_fetched_at is None or feed.last_fetched_at < since)
    return {
        "feed": feed,
        "hint": feed_hint(feed),
        "since": since,
        "waiting": waiting and now - since < WAIT_LIMIT if since else False,
        "stalled": waiting and now - since >= WAIT_LIMIT if since else False,
        "due": feed.next_fetch_at is not None and feed.next_fetch_at <= now,
    }


# --- feeds ---------------------------------------------------------------------------------------


@require_safe
@network_view(Capability.CURATE)
def feed_list(request: HttpRequest) -> HttpResponse:
    access = _access(request)
    feeds = list(selectors.feeds_for_curation(access=access))
    rows = [_status_context(feed, None) for feed in feeds]
    return render(
        request,
        "library/feeds/list.html",
        {
            "network": access.network,
            "access": access,
            "rows": rows,
            "waiting_total": sum(feed.waiting for feed in feeds),  # type: ignore[attr-defined]
            "tab": "feeds",
        },
    )


@require_http_methods(["GET", "POST"])
@network_view(Capability.CURATE)
def feed_add_view(request: HttpRequest) -> HttpResponse:
    access = _access(request)
    form = FeedForm(request.POST or None, network=access.network)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            feed = feed_add(
                network=access.network,
                url=data["url"],
                by=access.person,
                title=data["title"],
                default_kind=data["default_kind"],
                default_topics=data.get("default_topics") or (),
                interval_minutes=data["interval_minutes"],
                active=data["active"],
            )
        except FeedError as error:
            form.add_error("url", str(error))
        else:
            messages.success(
                request,
                _(
                    "The network now follows %(feed)s. It is being fetched; its new items will "
                    "wait in the inbox for you."
                )
                % {"feed": feed},
            )
            return redirect(_feeds_url(access))
    return render(
        request,
        "library/feeds/form.html",
        {"network": access.network, "access": access, "form": form, "feed": None},
        status=400 if request.method == "POST" else 200,
    )


@require_http_methods(["GET", "POST"])
@network_view(Capability.CURATE)
def feed_edit(request: HttpRequest, feed_id: int) -> HttpResponse:
    access = _access(request)
    feed = selectors.feed_for_curator(access=access, feed_id=feed_id)
    form = FeedForm(request.POST or None, network=access.network, feed=feed)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        fields = {
            "url": data["url"],
            "title": data["title"],
            "interval_minutes": data["interval_minutes"],
            "default_kind": data["default_kind"],
            "active": data["active"],
        }
        if "default_topics" in form.fields:
            fields["default_topics"] = data.get("default_topics") or ()
        try:
            feed_update(feed=feed, by=access.person, **fields)
        except FeedError as error:
            form.add_error("url", str(error))
        else:
            messages.success(request, _("Saved."))
            return redirect(_feeds_url(access))
    return render(
        request,
        "library/feeds/form.html",
        {"network": access.network, "access": access, "form": form, "feed": feed},
        status=400 if request.method == "POST" else 200,
    )


@require_http_methods(["GET", "POST"])
@network_view(Capability.CURATE)
def feed_remove_view(request: HttpRequest, feed_id: int) -> HttpResponse:
    access = _access(request)
    feed = selectors.feed_for_curator(access=access, feed_id=feed_id)
    if request.method == "POST":
        name = str(feed)
        feed_remove(feed=feed, by=access.person)
        messages.success(
            request,
            _("The network no longer follows %(feed)s. Resources accepted from it stay.")
            % {"feed": name},
        )
        return redirect(_feeds_url(access))
    return render(
        request,
        "library/feeds/remove.html",
        {"network": access.network, "access": access, "feed": feed},
    )


@require_POST
@network_view(Capability.CURATE)
def feed_fetch_view(request: HttpRequest, feed_id: int) -> HttpResponse:
    """ "Fetch now": queue the fetch; htmx shows its progress in place."""
    access = _access(request)
    feed = selectors.feed_for_curator(access=access, feed_id=feed_id)
    since = timezone.now()
    feed_fetch_request(feed=feed, by=access.person, now=since)
    # A backend that runs tasks at once (tests, a small install) has fetched it already.
    feed = selectors.feed_for_curator(access=access, feed_id=feed_id)
    if _is_htmx(request):
        return render(
            request,
            "library/feeds/_status.html",
            {**_status_context(feed, since), "network": access.network},
        )
    messages.info(
        request,
        _("%(feed)s will be fetched in a moment; reload this page to see the result.")
        % {"feed": feed},
    )
    return redirect_back(request, _feeds_url(access))


@require_safe
@network_view(Capability.CURATE)
def feed_status(request: HttpRequest, feed_id: int) -> HttpResponse:
    """A feed's status (polled by the feeds page after "fetch now")."""
    access = _access(request)
    feed = selectors.feed_for_curator(access=access, feed_id=feed_id)
    return render(
        request,
        "library/feeds/_status.html",
        {**_status_context(feed, _since(request)), "network": access.network},
    )


# --- the inbox -----------------------------------------------------------------------------------


@require_safe
@network_view(Capability.CURATE)
def inbox(request: HttpRequest) -> HttpResponse:
    access = _access(request)
    feeds = list(Feed.objects.filter(network=access.network).order_by("title", "url"))
    form = InboxFilterForm(request.GET or None, feeds=feeds)
    feed_id: int | None = None
    status = FeedItem.Status.NEW
    if form.is_valid():
        feed_id = form.cleaned_data["feed"]
        status = form.cleaned_data["status"] or FeedItem.Status.NEW
    page = Paginator(
        selectors.inbox_items(access=access, feed_id=feed_id, status=status), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    counts = selectors.inbox_counts(access=access, feed_id=feed_id)
    return render(
        request,
        "library/feeds/inbox.html",
        {
            "network": access.network,
            "access": access,
            "form": form,
            "feeds": feeds,
            "feed_id": feed_id,
            "status": status,
            "page": page,
            "items": list(page),
            "statuses": [
                {"key": key, "label": label, "count": counts.get(key, 0)}
                for key, label in form.fields["status"].choices  # type: ignore[attr-defined]
            ],
            "tab": "inbox",
        },
    )


def _after_item(
    request: HttpRequest,
    access: Access,
    item: FeedItem,
    text: str,
    ok: bool,
    resource: Resource | None = None,
) -> HttpResponse:
    if _is_htmx(request):
        return render(
            request,
            "library/feeds/_item_done.html",
            {
                "network": access.network,
                "item": item,
                "text": text,
                "ok": ok,
                "resource_url": resource_edit_url(access, resource) if resource else "",
            },
            status=200 if ok else 409,
        )
    (messages.success if ok else messages.error)(request, text)
    return redirect_back(request, _inbox_url(access))


@require_POST
@network_view(Capability.CURATE)
def item_accept_view(request: HttpRequest, feed_item_id: int) -> HttpResponse:
    """Accept: the item becomes a resource in review, and the curator goes to its edit page.
    Accept and publish (`publish=1`): it is published, and the curator stays in the inbox."""
    from netweave.library.services import LibraryError

    access = _access(request)
    item = selectors.item_for_curator(access=access, item_id=feed_item_id)
    publish = request.POST.get("publish") == "1"
    try:
        resource = item_accept(item=item, by=access.person, publish=publish)
    except (FeedError, LibraryError) as error:
        return _after_item(request, access, item, str(error), False)
    if not publish:
        messages.success(
            request,
            _("“%(title)s” is now a resource in review. Check it, then publish it.")
            % {"title": resource.title},
        )
        target = resource_edit_url(access, resource)
        if _is_htmx(request):
            response = HttpResponse(status=204)
            response["HX-Redirect"] = target
            return response
        return redirect(target)
    return _after_item(
        request,
        access,
        item,
        _("“%(title)s” is published in the resource center.") % {"title": resource.title},
        True,
        resource,
    )


@require_POST
@network_view(Capability.CURATE)
def item_dismiss_view(request: HttpRequest, feed_item_id: int) -> HttpResponse:
    access = _access(request)
    item = selectors.item_for_curator(access=access, item_id=feed_item_id)
    try:
        item_dismiss(item=item, by=access.person)
    except FeedError as error:
        return _after_item(request, access, item, str(error), False)
    return _after_item(
        request,
        access,
        item,
        _("Dismissed “%(title)s”.") % {"title": item.title or item.link},
        True,
    )


@require_POST
@network_view(Capability.CURATE)
def items_dismiss_view(request: HttpRequest) -> HttpResponse:
    access = _access(request)
    form = ItemIdsForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Tick the items to dismiss first."))
        return redirect_back(request, _inbox_url(access))
    count = items_dismiss(network=access.network, ids=form.cleaned_data["ids"], by=access.person)
    messages.success(
        request,
        ngettext("%(count)d item dismissed.", "%(count)d items dismissed.", count)
        % {"count": count},
    )
    return redirect_back(request, _inbox_url(access))
