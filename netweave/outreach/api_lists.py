"""API v1: mailing lists, subscribers (with the consent record per list), the suppression list,
and the public subscribe operation (double opt-in). Merged by outreach/api.py.

Everything but `subscribe` is for coordinators (Capability.SEND_NEWSLETTERS). Writes go through
netweave.outreach.subscriptions; a broken rule (`OutreachError`) is a 409."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Any, Literal

from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.responses import Status

from netweave.api.auth import network_access
from netweave.api.errors import responses
from netweave.api.pagination import Page, PageIn, paginate
from netweave.api.schemas import BodyIn, PatchIn
from netweave.networks.permissions import Access, Capability
from netweave.outreach import subscriptions
from netweave.outreach.models import MailingList, Subscriber, Subscription, Suppression

router = Router(tags=["outreach"])

ListVisibilityName = Literal["public", "members", "private"]
SubscriptionStatusName = Literal["pending", "subscribed", "unsubscribed"]
ConsentMethodName = Literal["form", "import", "member", "api", "coordinator"]
FrequencyName = Literal["every", "monthly", "quarterly"]
SuppressionReasonName = Literal["hard_bounce", "soft_bounces", "complaint", "manual"]
SLUG_PATTERN = r"^[-a-zA-Z0-9_]+$"


def _coordinators(request: HttpRequest, slug: str) -> Access:
    return network_access(
        request,
        slug,
        Capability.SEND_NEWSLETTERS,
        _("Only the network's coordinators manage its lists and subscribers."),
    )


# --- schemas -------------------------------------------------------------------------------------


class MailingListOut(Schema):
    id: int
    name: str
    slug: str
    description: str
    visibility: ListVisibilityName
    is_member_list: bool = Field(..., description="Every active member is on it.")
    subscribed: int
    pending: int = Field(..., description="Waiting for the email confirmation.")
    unsubscribed: int
    created_at: datetime


class MailingListIn(BodyIn):
    name: str = Field(..., min_length=1, max_length=120)
    slug: str = Field(
        "",
        max_length=60,
        pattern=r"^([-a-zA-Z0-9_]+)?$",
        description="Made from the name when empty.",
    )
    description: str = ""
    visibility: ListVisibilityName = "public"


class MailingListPatchIn(PatchIn):
    name: str | None = Field(None, min_length=1, max_length=120)
    slug: str | None = Field(None, min_length=1, max_length=60, pattern=SLUG_PATTERN)
    description: str | None = None
    visibility: ListVisibilityName | None = None


class SubscriptionOut(Schema):
    list_id: int
    list_slug: str
    status: SubscriptionStatusName
    consent_method: ConsentMethodName
    consent_at: datetime | None = Field(..., description="When consent was given.")
    consent_ip: str | None = Field(..., description="The address the request came from.")
    consent_note: str
    requested_at: datetime
    confirmed_at: datetime | None
    unsubscribed_at: datetime | None
    unsubscribe_method: str


class SubscriberOut(Schema):
    id: int
    email: str
    name: str
    language: str
    frequency: FrequencyName
    person_id: int | None = Field(..., description="The member this address belongs to, if any.")
    suppressed: bool = Field(..., description="No newsletter goes to this address.")
    created_at: datetime
    subscriptions: list[SubscriptionOut]


class SubscriberPage(Page[SubscriberOut]):
    pass


class SubscriberFilters(Schema):
    q: str = Field("", max_length=100, description="Part of the email or name.")
    list_id: int | None = Field(None, description="Only subscribers with a subscription to it.")
    status: SubscriptionStatusName | Literal["suppressed"] | None = Field(
        None, description="Only subscribers with a subscription in this status (or suppressed)."
    )


class SubscriberIn(BodyIn):
    email: str = Field(..., max_length=254)
    name: str = Field("", max_length=200)
    language: str = Field("", max_length=8)
    list_ids: list[int] = Field(..., description="The lists to put them on (at least one).")
    consent_note: str = Field(
        "",
        max_length=300,
        description="How consent was given (required for public and members' lists).",
    )
    consent_date: date | None = Field(None, description="When consent was given (default now).")
    consent_ip: str | None = Field(None, description="Where consent was given from, if known.")


class UnsubscribeIn(BodyIn):
    list_ids: list[int] | None = Field(None, description="The lists; null or left out: every list.")


class UnsubscribeOut(Schema):
    unsubscribed: int = Field(..., description="Subscriptions that changed.")
    subscriber: SubscriberOut


class SuppressionOut(Schema):
    id: int
    email: str
    reason: SuppressionReasonName
    detail: str
    created_at: datetime


class SuppressionPage(Page[SuppressionOut]):
    pass


class SuppressionFilters(Schema):
    q: str = Field("", max_length=100, description="Part of the address.")


class SuppressionIn(BodyIn):
    email: str = Field(..., max_length=254)
    detail: str = Field("", max_length=500, description="Why; kept with the address.")


class SubscribeIn(BodyIn):
    email: str = Field(..., max_length=254)
    name: str = Field("", max_length=200)
    language: str = Field("", max_length=8, description="The language of the emails (en, fr, es).")
    list_ids: list[int] = Field(..., description="Public lists of the network (at least one).")


class SubscribeOut(Schema):
    detail: str = Field(
        ...,
        description="The same answer whether or not the address was known: a confirmation "
        "email is on its way if the address can be subscribed.",
    )


# --- helpers -------------------------------------------------------------------------------------


def list_out(item: MailingList) -> dict[str, Any]:
    return {
        "id": item.pk,
        "name": item.name,
        "slug": item.slug,
        "description": item.description,
        "visibility": item.visibility,
        "is_member_list": item.is_member_list,
        "subscribed": getattr(item, "subscribed", 0),
        "pending": getattr(item, "pending", 0),
        "unsubscribed": getattr(item, "unsubscribed", 0),
        "created_at": item.created_at,
    }


def subscriber_out(item: Subscriber) -> dict[str, Any]:
    return {
        "id": item.pk,
        "email": item.email,
        "name": item.name,
        "language": item.language,
        "frequency": item.frequency,
        "person_id": item.person_id,
        "suppressed": bool(getattr(item, "is_suppressed", False)),
        "created_at": item.created_at,
        "subscriptions": [
            {
                "list_id": sub.mailing_list_id,
                "list_slug": sub.mailing_list.slug,
                "status": sub.status,
                "consent_method": sub.consent_method,
                "consent_at": sub.consent_at,
                "consent_ip": sub.consent_ip,
                "consent_note": sub.consent_note,
                "requested_at": sub.requested_at,
                "confirmed_at": sub.confirmed_at,
                "unsubscribed_at": sub.unsubscribed_at,
                "unsubscribe_method": sub.unsubscribe_method,
            }
            for sub in item.subscriptions.all()
        ],
    }


def suppression_out(item: Suppression) -> dict[str, Any]:
    return {
        "id": item.pk,
        "email": item.email,
        "reason": item.reason,
        "detail": item.detail,
        "created_at": item.created_at,
    }


def _list_with_counts(access: Access, list_id: int) -> MailingList:
    found = subscriptions.lists_with_counts(access.network).filter(pk=list_id).first()
    if found is None:
        raise Http404
    return found


def clean_email(value: str, field: str = "email") -> str:
    from django.core.exceptions import ValidationError
    from django.core.validators import validate_email

    address = subscriptions.normalize_email(value)
    try:
        validate_email(address)
    except ValidationError:
        raise HttpError(
            400,
            _("%(field)s: “%(value)s” is not an email address.") % {"field": field, "value": value},
        ) from None
    return address


def _lists(access: Access, ids: list[int], *, public_only: bool = False) -> list[MailingList]:
    if not ids:
        raise HttpError(400, _("list_ids: name at least one list."))
    found = {m.pk: m for m in MailingList.objects.filter(network=access.network, pk__in=ids)}
    unknown = [pk for pk in ids if pk not in found]
    if public_only:
        unknown += [pk for pk, m in found.items() if m.visibility != MailingList.Visibility.PUBLIC]
    if unknown:
        raise HttpError(
            400,
            _("list_ids: %(ids)s are not lists of this network you can subscribe to.")
            % {"ids": ", ".join(str(pk) for pk in sorted(set(unknown)))},
        )
    return [found[pk] for pk in dict.fromkeys(ids)]


def _clean_language(value: str) -> str:
    from django.conf import settings

    value = value.strip().lower()
    if value and value not in {code for code, _label in settings.LANGUAGES}:
        raise HttpError(
            400,
            _("language: use one of %(codes)s.")
            % {"codes": ", ".join(code for code, _label in settings.LANGUAGES)},
        )
    return value


# --- lists ---------------------------------------------------------------------------------------


@router.get(
    "/networks/{slug}/outreach/lists",
    response=responses({200: list[MailingListOut]}, 401, 403, 404),
    operation_id="mailing_lists_list",
    summary="List the network's mailing lists with their counts",
    description="Coordinators only.",
)
def mailing_lists_list(request: HttpRequest, slug: str) -> list[dict[str, Any]]:
    access = _coordinators(request, slug)
    return [list_out(item) for item in subscriptions.lists_with_counts(access.network)]


@router.post(
    "/networks/{slug}/outreach/lists",
    response=responses({201: MailingListOut}, 400, 401, 403, 404, 409),
    operation_id="mailing_lists_create",
    summary="Create a mailing list",
    description="Coordinators only. 409 when the short name is taken.",
)
def mailing_lists_create(request: HttpRequest, slug: str, body: MailingListIn) -> Status[Any]:
    access = _coordinators(request, slug)
    item = subscriptions.mailing_list_create(
        network=access.network,
        name=body.name.strip(),
        slug=body.slug,
        description=body.description,
        visibility=body.visibility,
    )
    return Status(201, list_out(_list_with_counts(access, item.pk)))


@router.patch(
    "/networks/{slug}/outreach/lists/{mailing_list_id}",
    response=responses({200: MailingListOut}, 400, 401, 403, 404, 409),
    operation_id="mailing_lists_update",
    summary="Change a mailing list",
    description="Coordinators only. The member list stays members-only (409).",
)
def mailing_lists_update(
    request: HttpRequest, slug: str, mailing_list_id: int, body: MailingListPatchIn
) -> dict[str, Any]:
    access = _coordinators(request, slug)
    item = subscriptions.list_in_network(access.network, mailing_list_id)
    subscriptions.mailing_list_update(mailing_list=item, **body.model_dump(exclude_unset=True))
    return list_out(_list_with_counts(access, item.pk))


@router.delete(
    "/networks/{slug}/outreach/lists/{mailing_list_id}",
    response=responses({204: None}, 401, 403, 404, 409),
    operation_id="mailing_lists_delete",
    summary="Delete an empty mailing list",
    description="Coordinators only. A list anyone was ever on, or that an issue went to, "
    "cannot be deleted (409), so that consent records stay.",
)
def mailing_lists_delete(request: HttpRequest, slug: str, mailing_list_id: int) -> HttpResponse:
    access = _coordinators(request, slug)
    item = subscriptions.list_in_network(access.network, mailing_list_id)
    subscriptions.mailing_list_delete(mailing_list=item)
    return HttpResponse(status=204)  # no body, so no content type


# --- subscribers ---------------------------------------------------------------------------------


@router.get(
    "/networks/{slug}/outreach/subscribers",
    response=responses({200: SubscriberPage}, 400, 401, 403, 404),
    operation_id="subscribers_list",
    summary="List the network's subscribers with their consent records",
    description="Coordinators only; by email, narrowed by `q`, `list_id` and `status`.",
)
def subscribers_list(
    request: HttpRequest, slug: str, filters: Query[SubscriberFilters], paging: Query[PageIn]
) -> dict[str, Any]:
    access = _coordinators(request, slug)
    rows = subscriptions.subscribers_filtered(
        network=access.network,
        query=filters.q,
        list_id=filters.list_id,
        status=filters.status or "",
    )
    return paginate(rows, paging, subscriber_out)


@router.post(
    "/networks/{slug}/outreach/subscribers",
    response=responses({201: SubscriberOut}, 400, 401, 403, 404, 409),
    operation_id="subscribers_create",
    summary="Add a subscriber with the record of their consent",
    description="Coordinators only. Subscribed at once (method `api`); `consent_note` says how "
    "consent was given and is required unless every list is private.",
)
def subscribers_create(request: HttpRequest, slug: str, body: SubscriberIn) -> Status[Any]:
    access = _coordinators(request, slug)
    email = clean_email(body.email)
    lists = _lists(access, body.list_ids)
    if not body.consent_note.strip() and any(
        m.visibility != MailingList.Visibility.PRIVATE for m in lists
    ):
        raise HttpError(
            400,
            _("consent_note: say how they gave their consent; only private lists take people "
              "without it."),
        )  # fmt: skip
    consent_at = None
    if body.consent_date is not None:
        if body.consent_date > timezone.now().date():
            raise HttpError(400, _("consent_date: this date is in the future."))
        consent_at = datetime.combine(body.consent_date, time(), tzinfo=UTC)
    ip = (body.consent_ip or "").strip() or None
    if ip is not None:
        from django.core.exceptions import ValidationError
        from django.core.validators import validate_ipv46_address

        try:
            validate_ipv46_address(ip)
        except ValidationError:
            raise HttpError(400, _("consent_ip: this is not an IP address.")) from None
    created = subscriptions.subscribe(
        network=access.network,
        email=email,
        name=body.name.strip(),
        language=_clean_language(body.language),
        lists=lists,
        method=Subscription.Method.API,
        ip=ip,
        note=body.consent_note.strip(),
        consent_at=consent_at,
        by=access.person,
    )
    return Status(
        201, subscriber_out(subscriptions.subscriber_in_network(access.network, created.pk))
    )


@router.get(
    "/networks/{slug}/outreach/subscribers/{subscriber_id}",
    response=responses({200: SubscriberOut}, 401, 403, 404),
    operation_id="subscriber_read",
    summary="Read a subscriber with the consent record of each list",
    description="Coordinators only.",
)
def subscriber_read(request: HttpRequest, slug: str, subscriber_id: int) -> dict[str, Any]:
    access = _coordinators(request, slug)
    return subscriber_out(subscriptions.subscriber_in_network(access.network, subscriber_id))


@router.post(
    "/networks/{slug}/outreach/subscribers/{subscriber_id}/unsubscribe",
    response=responses({200: UnsubscribeOut}, 400, 401, 403, 404),
    operation_id="subscribers_unsubscribe",
    summary="Take a subscriber off some lists, or off every list",
    description="Coordinators only. Unsubscribing twice changes nothing.",
)
def subscribers_unsubscribe(
    request: HttpRequest, slug: str, subscriber_id: int, body: UnsubscribeIn
) -> dict[str, Any]:
    access = _coordinators(request, slug)
    found = subscriptions.subscriber_in_network(access.network, subscriber_id)
    if body.list_ids is None:
        changed = subscriptions.unsubscribe_all(
            subscriber=found, method=subscriptions.UNSUBSCRIBED_API
        )
    else:
        changed = sum(
            subscriptions.unsubscribe(
                subscriber=found, mailing_list=item, method=subscriptions.UNSUBSCRIBED_API
            )
            for item in _lists(access, body.list_ids)
        )
    return {
        "unsubscribed": changed,
        "subscriber": subscriber_out(subscriptions.subscriber_in_network(access.network, found.pk)),
    }


# --- suppressions --------------------------------------------------------------------------------


@router.get(
    "/networks/{slug}/outreach/suppressions",
    response=responses({200: SuppressionPage}, 400, 401, 403, 404),
    operation_id="suppressions_list",
    summary="List the suppressed addresses",
    description="Coordinators only. No newsletter goes to these addresses.",
)
def suppressions_list(
    request: HttpRequest, slug: str, filters: Query[SuppressionFilters], paging: Query[PageIn]
) -> dict[str, Any]:
    access = _coordinators(request, slug)
    rows = subscriptions.suppressions_filtered(access.network, filters.q)
    return paginate(rows, paging, suppression_out)


@router.post(
    "/networks/{slug}/outreach/suppressions",
    response=responses({201: SuppressionOut}, 400, 401, 403, 404),
    operation_id="suppressions_create",
    summary="Suppress an address by hand",
    description="Coordinators only. An address already suppressed keeps its first reason.",
)
def suppressions_create(request: HttpRequest, slug: str, body: SuppressionIn) -> Status[Any]:
    access = _coordinators(request, slug)
    item = subscriptions.suppression_add(
        network=access.network, email=clean_email(body.email), detail=body.detail.strip()
    )
    return Status(201, suppression_out(item))


@router.delete(
    "/networks/{slug}/outreach/suppressions/{suppression_id}",
    response=responses({204: None}, 401, 403, 404),
    operation_id="suppressions_delete",
    summary="Lift a suppression: newsletters go to the address again",
    description="Coordinators only.",
)
def suppressions_delete(request: HttpRequest, slug: str, suppression_id: int) -> HttpResponse:
    access = _coordinators(request, slug)
    item = subscriptions.suppression_in_network(access.network, suppression_id)
    subscriptions.suppression_remove(suppression=item)
    return HttpResponse(status=204)  # no body, so no content type


# --- subscribing (anyone) ------------------------------------------------------------------------


@router.post(
    "/networks/{slug}/outreach/subscribe",
    response=responses({202: SubscribeOut}, 400, 401, 404),
    operation_id="subscribers_subscribe",
    summary="Subscribe an address to public lists (double opt-in)",
    description="Anyone who can see the network, signed in or not. A confirmation email goes "
    "to the address (at most one per 10 minutes); nothing is sent to it until its link is "
    "followed. The answer is the same whether or not the address was already known.",
)
def subscribe(request: HttpRequest, slug: str, body: SubscribeIn) -> Status[Any]:
    access = network_access(request, slug, Capability.VIEW_PUBLIC)
    email = clean_email(body.email)
    lists = _lists(access, body.list_ids, public_only=True)
    subscriptions.subscribe(
        network=access.network,
        email=email,
        name=body.name.strip(),
        language=_clean_language(body.language),
        lists=lists,
        method=Subscription.Method.FORM,
        ip=request.META.get("REMOTE_ADDR") or None,
    )
    return Status(
        202,
        {
            "detail": _(
                "If this address can be subscribed, a confirmation email is on its way to it."
            )
        },
    )
