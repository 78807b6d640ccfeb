"""Counting opens and clicks (only when the network's mail settings turn them on).

Both addresses name the delivery by a signed id (never its guessable primary key). The open
pixel always answers the GIF; the click redirect only ever goes to the URL its signature covers,
so it cannot be used as an open redirect."""

from __future__ import annotations

from django.db.models import F
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from netweave.outreach.mail import delivery_id_from, link_from
from netweave.outreach.models import Delivery, LinkClick, OutreachSettings

# The smallest transparent GIF (1x1).
PIXEL = (
    b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00"
    b",\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"
)


def _delivery(token: str) -> Delivery | None:
    delivery_id = delivery_id_from(token)
    if delivery_id is None:
        return None
    return Delivery.objects.filter(pk=delivery_id).only("pk", "network_id", "newsletter_id").first()


def _tracks(delivery: Delivery, flag: str) -> bool:
    return OutreachSettings.objects.filter(network_id=delivery.network_id, **{flag: True}).exists()


@require_safe
@never_cache
def open_pixel(request: HttpRequest, delivery_token: str) -> HttpResponse:
    delivery = _delivery(delivery_token)
    if delivery is not None and _tracks(delivery, "track_opens"):
        now = timezone.now()
        Delivery.objects.filter(pk=delivery.pk).update(
            open_count=F("open_count") + 1, opened_at=Coalesce(F("opened_at"), now)
        )
    response = HttpResponse(PIXEL, content_type="image/gif")
    response["Cache-Control"] = "no-store, max-age=0"
    return response


@require_safe
@never_cache
def click(request: HttpRequest, delivery_token: str, link: str) -> HttpResponse:
    url = link_from(link)
    if url is None:
        return render(request, "outreach/delivery_bad_link.html", status=400)
    delivery = _delivery(delivery_token)
    if delivery is not None and _tracks(delivery, "track_clicks"):
        now = timezone.now()
        Delivery.objects.filter(pk=delivery.pk).update(
            click_count=F("click_count") + 1,
            clicked_at=Coalesce(F("clicked_at"), now),
            # A click also proves the message was opened (images may be blocked).
            opened_at=Coalesce(F("opened_at"), now),
        )
        LinkClick.objects.create(
            newsletter_id=delivery.newsletter_id, delivery_id=delivery.pk, url=url[:2000]
        )
    return HttpResponseRedirect(url)
