"""Calendar pages: the network's public feed (/n/<slug>/events.ics), a member's private feed by its
token (/o/calendar/<token>.ics), resetting that address, and importing an .ics file as events.

Feeds answer conditional GETs (ETag = hash of the bytes, Last-Modified = the latest change), so
calendar apps that poll every hour cost a 304 most of the time."""

from __future__ import annotations

import base64
import hashlib
import zlib
from datetime import datetime
from typing import Any
from zoneinfo import available_timezones

from django import forms
from django.contrib import messages
from django.core import signing
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe

from netweave.networks.decorators import network_view
from netweave.networks.models import Network
from netweave.networks.permissions import Access, Capability
from netweave.outreach import calendars
from netweave.outreach.ics_import import MAX_BYTES, IcsImportReport, import_calendar
from netweave.outreach.models import CalendarFeed, Event, Registration

SIGNING_SALT = "netweave.outreach.ics_import"
PAYLOAD_MAX_AGE = 60 * 60  # a dry run may be imported within the hour


def _access(request: HttpRequest) -> Access:
    return request.access  # type: ignore[attr-defined,no-any-return]


def _ics_response(
    request: HttpRequest,
    body: bytes,
    *,
    last_modified: datetime | None,
    filename: str,
    public: bool,
) -> HttpResponse:
    etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    stamp = int(last_modified.timestamp()) if last_modified else None
    not_modified = get_conditional_response(request, etag=etag, last_modified=stamp)
    if not_modified is not None:
        response = not_modified
    else:
        response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
        response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["ETag"] = etag
    if stamp is not None:
        response["Last-Modified"] = http_date(stamp)
    if public:
        patch_cache_control(response, public=True, max_age=3600)
    else:
        patch_cache_control(response, private=True, max_age=3600)
        response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _latest_change(events: list[Event], network: Network) -> datetime | None:
    stamps = [e.updated_at for e in events if e.updated_at]
    return max(stamps) if stamps else network.updated_at


# --- feeds ---------------------------------------------------------------------------------------


@require_safe
@network_view(Capability.VIEW_PUBLIC)
def calendar_feed(request: HttpRequest) -> HttpResponse:
    """The network's public events (past 6 months and the future), for calendar apps."""
    network: Network = request.network  # type: ignore[attr-defined]
    events = list(calendars.network_feed_events(network))
    body = calendars.calendar_ics(
        events,
        name=network.name,
        description=_("Public events of %(network)s") % {"network": network.name},
    )
    return _ics_response(
        request,
        body,
        last_modified=_latest_change(events, network),
        filename=f"{network.slug}.ics",
        public=network.visibility == Network.Visibility.PUBLIC,
    )


@require_safe
def personal_feed(request: HttpRequest, feed_token: str) -> HttpResponse:
    """A member's private feed: the events they registered for (?all=1: every event they may
    see). The token is the key; an unknown or replaced token is a 404."""
    feed = (
        CalendarFeed.objects.select_related("network", "person", "person__user")
        .filter(token=feed_token)
        .first()
    )
    if feed is None:
        raise Http404
    include_all = request.GET.get("all") in ("1", "true", "yes")
    events, waiting = calendars.personal_feed_events(feed, include_all=include_all)
    name = _("%(network)s: my events") % {"network": feed.network.name}
    registered = Registration.objects.filter(
        network_id=feed.network_id,
        person_id=feed.person_id,
        status=Registration.Status.REGISTERED,
    ).values_list("event_id", flat=True)
    body = calendars.calendar_ics(events, name=name, waitlisted=waiting, registered=set(registered))
    stamps = [e.updated_at for e in events if e.updated_at]
    return _ics_response(
        request,
        body,
        last_modified=max(stamps) if stamps else feed.created_at,
        filename=f"{feed.network.slug}-mine.ics",
        public=False,
    )


@require_http_methods(["GET", "POST"])
@network_view(Capability.VIEW_DIRECTORY)
def calendar_reset(request: HttpRequest) -> HttpResponse:
    """The member's private calendar address, and a button that replaces it."""
    network: Network = request.network  # type: ignore[attr-defined]
    person = _access(request).person
    if person is None:  # a superuser without a profile: nothing to subscribe to
        raise Http404
    if request.method == "POST":
        calendars.calendar_feed_reset(network=network, person=person)
        messages.success(
            request,
            _(
                "Your calendar has a new private address. Subscribe to it again in your "
                "calendar app: the old address no longer works."
            ),
        )
        return redirect("outreach:calendar_reset", network_slug=network.slug)
    url = calendars.personal_feed_url(network, person)
    return render(
        request,
        "outreach/calendars_personal.html",
        {
            "network": network,
            "personal_url": url,
            "personal_webcal": calendars.webcal(url),
            "personal_all_url": url + "?all=1",
            "personal_all_webcal": calendars.webcal(url) + "?all=1",
        },
    )


# --- import --------------------------------------------------------------------------------------


def _zone_choices() -> list[tuple[str, str]]:
    zones = sorted(available_timezones() - {"UTC"})
    return [("UTC", "UTC"), *((z, z) for z in zones)]


class IcsUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Calendar file (.ics or jCal .json, at most 2 MB)"),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".ics,.ical,.ifb,.jcal,.json,text/calendar"}
        ),
    )
    zone = forms.ChoiceField(
        label=gettext_lazy("Time zone for floating times and all-day events"),
        initial="UTC",
        help_text=gettext_lazy(
            "Times the file gives without a zone, and all-day events, are read in this zone."
        ),
    )
    kind = forms.ChoiceField(
        label=gettext_lazy("Kind of event, when the file's categories do not say"),
        choices=Event.Kind.choices,
        initial=Event.Kind.WEBINAR,
    )
    visibility = forms.ChoiceField(
        label=gettext_lazy("Who may see the imported events"),
        choices=Event.Visibility.choices,
        initial=Event.Visibility.MEMBERS,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["zone"].choices = _zone_choices()  # type: ignore[attr-defined]

    def clean_file(self) -> bytes:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than 2 MB; split it or export fewer events.")
            )
        return bytes(upload.read())


def _pack(data: bytes, options: dict[str, str], filename: str) -> str:
    payload = {
        "data": base64.b64encode(zlib.compress(data)).decode("ascii"),
        "filename": filename,
        **options,
    }
    return signing.dumps(payload, salt=SIGNING_SALT)


def _unpack(token: str, network: Network) -> dict[str, Any]:
    payload = signing.loads(token, salt=f"{SIGNING_SALT}", max_age=PAYLOAD_MAX_AGE)
    if payload.get("network") != network.pk:
        raise signing.BadSignature("another network")
    payload["data"] = zlib.decompress(base64.b64decode(payload["data"]))
    return dict(payload)


def _events_page(network: Network) -> str:
    try:
        return reverse("outreach:events", kwargs={"network_slug": network.slug})
    except NoReverseMatch:
        return reverse("outreach:events_import", kwargs={"network_slug": network.slug})


@require_http_methods(["GET", "POST"])
@network_view(Capability.MANAGE_EVENTS)
def events_import(request: HttpRequest) -> HttpResponse:
    """Upload an .ics file, see what it would do (nothing is written), then import it."""
    network: Network = request.network  # type: ignore[attr-defined]
    access = _access(request)
    context: dict[str, Any] = {"network": network, "max_mb": MAX_BYTES // (1024 * 1024)}
    if request.method == "POST" and request.POST.get("payload"):
        try:
            payload = _unpack(request.POST["payload"], network)
        except (signing.BadSignature, ValueError, zlib.error):
            messages.error(
                request,
                _("This check is too old or was changed. Upload the file again."),
            )
            return redirect("outreach:events_import", network_slug=network.slug)
        report = import_calendar(
            network,
            payload["data"],
            by=access.person,
            commit=True,
            zone=payload["zone"],
            kind=payload["kind"],
            visibility=payload["visibility"],
        )
        if report.refused:
            messages.error(request, report.refusal)
            return redirect("outreach:events_import", network_slug=network.slug)
        messages.success(
            request,
            _("Imported: %(created)d created, %(updated)d updated, %(skipped)d skipped.")
            % {"created": report.created, "updated": report.updated, "skipped": report.skipped},
        )
        return redirect(_events_page(network))

    form = IcsUploadForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            options = {
                "zone": form.cleaned_data["zone"],
                "kind": form.cleaned_data["kind"],
                "visibility": form.cleaned_data["visibility"],
            }
            data = form.cleaned_data["file"]
            checked: IcsImportReport = import_calendar(network, data, commit=False, **options)
            filename = getattr(request.FILES.get("file"), "name", "calendar.ics")
            context["report"] = checked
            context["filename"] = filename
            if not checked.refused and (checked.created or checked.updated):
                context["payload"] = _pack(data, {**options, "network": network.pk}, filename)  # type: ignore[dict-item]
            if checked.refused:
                status = 400
        else:
            status = 400
    context["form"] = form
    return render(request, "outreach/calendars_import.html", context, status=status)
