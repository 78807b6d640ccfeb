"""Subscribers and mailing lists: subscribing (double opt-in through a signed link), the consent
record, the member list, the preference center's choices, unsubscribing, and a subscriber's own
data (download and erasure); then the reads the coordinator's pages and the API share.

The consent record lives on each `Subscription`: how (`consent_method`), when (`consent_at`,
`requested_at`, `confirmed_at`) and from where (`consent_ip`: the address the request came from;
`consent_note` says where it was confirmed from). Erasure forgets a subscriber entirely: their
rows go, and the deliveries sent to them keep only a hashed placeholder so that counts stay
right."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from datetime import timedelta
from typing import Any

from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from netweave.networks.models import Network
from netweave.outreach.common import (
    OutreachError,
    absolute_reverse,
    sender_for,
    settings_for,
    supported_language,
)
from netweave.outreach.models import (
    Bounce,
    Delivery,
    MailingList,
    Registration,
    Subscriber,
    Subscription,
    Suppression,
)
from netweave.people.models import Person

CONFIRMATION_SALT = "netweave.outreach.confirm"
CONFIRMATION_MAX_AGE = timedelta(days=7)
RESEND_AFTER = timedelta(minutes=10)
MEMBER_LIST_SLUG = "members"
# How `Subscription.unsubscribe_method` records who or what unsubscribed someone.
UNSUBSCRIBED_ONE_CLICK = "one-click"
UNSUBSCRIBED_PAGE = "unsubscribe page"
UNSUBSCRIBED_PREFERENCES = "preferences"
UNSUBSCRIBED_EVERYTHING = "everything"
UNSUBSCRIBED_MEMBERSHIP_ENDED = "membership ended"
UNSUBSCRIBED_COORDINATOR = "coordinator"
UNSUBSCRIBED_API = "api"

SUBJECT_CONFIRM = gettext_noop("%(network)s: please confirm your subscription")


class ConfirmationInvalid(OutreachError):
    """The confirmation link is broken, was tampered with, or is older than 7 days."""


def normalize_email(email: str) -> str:
    return (email or "").strip().lower()


# --- mailing lists -------------------------------------------------------------------------------


def member_list(network: Network) -> MailingList:
    """The network's member list (every active member is on it), made the first time."""
    found = MailingList.objects.filter(network=network, is_member_list=True).first()
    if found is not None:
        return found
    slug = MEMBER_LIST_SLUG
    taken = set(MailingList.objects.filter(network=network).values_list("slug", flat=True))
    n = 2
    while slug in taken:
        slug, n = f"{MEMBER_LIST_SLUG}-{n}", n + 1
    with translation.override(supported_language(network=network)):
        name = _("Members of %(network)s") % {"network": network.name}
        description = _("Every active member of the network is on this list.")
    with transaction.atomic():
        created = MailingList.objects.create(
            network=network,
            name=name[:120],
            slug=slug,
            visibility=MailingList.Visibility.MEMBERS,
            is_member_list=True,
            description=description,
        )
        member_list_sync(network, created)
    return created


@transaction.atomic
def member_list_sync(network: Network, the_list: MailingList | None = None) -> int:
    """Put every active member with an address on the member list, in bulk (for the members who
    joined before the list existed, or through an import that wrote rows directly). Nobody who
    left the list is put back; returns how many subscriptions were made."""
    from netweave.people.models import Membership

    the_list = the_list or member_list(network)
    now = timezone.now()
    people = {
        normalize_email(email): (pk, name)
        for pk, email, name in Membership.objects.filter(
            network=network, status=Membership.Status.ACTIVE
        )
        .exclude(person__email="")
        .values_list("person_id", "person__email", "person__name")
    }
    existing = {
        s.email: s for s in Subscriber.objects.filter(network=network, email__in=list(people))
    }
    Subscriber.objects.bulk_create(
        [
            Subscriber(network=network, email=email, name=name[:200], person_id=pk)
            for email, (pk, name) in people.items()
            if email not in existing
        ],
        batch_size=500,
        ignore_conflicts=True,
    )
    on_list = set(
        Subscription.objects.filter(mailing_list=the_list).values_list(
            "subscriber__email", flat=True
        )
    )
    ids = dict(
        Subscriber.objects.filter(network=network, email__in=list(people)).values_list(
            "email", "pk"
        )
    )
    made = Subscription.objects.bulk_create(
        [
            Subscription(
                network=network,
                subscriber_id=ids[email],
                mailing_list=the_list,
                status=Subscription.Status.SUBSCRIBED,
                consent_method=Subscription.Method.MEMBER,
                consent_at=now,
                requested_at=now,
            )
            for email in people
            if email in ids and email not in on_list
        ],
        batch_size=500,
        ignore_conflicts=True,
    )
    return len(made)


def unique_list_slug(network: Network, name: str, *, exclude_pk: int | None = None) -> str:
    base = slugify(name)[:50] or "list"
    others = MailingList.objects.filter(network=network)
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    taken = set(others.values_list("slug", flat=True))
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def list_slug_taken(network: Network, slug: str, *, exclude_pk: int | None = None) -> bool:
    found = MailingList.objects.filter(network=network, slug=slug)
    if exclude_pk is not None:
        found = found.exclude(pk=exclude_pk)
    return found.exists()


@transaction.atomic
def mailing_list_create(
    *, network: Network, name: str, slug: str = "", description: str = "", visibility: str
) -> MailingList:
    slug = slug or unique_list_slug(network, name)
    if list_slug_taken(network, slug):
        raise OutreachError(
            _("Another list of this network already has the short name “%(slug)s”.")
            % {"slug": slug}
        )
    return MailingList.objects.create(
        network=network, name=name, slug=slug, description=description, visibility=visibility
    )


@transaction.atomic
def mailing_list_update(*, mailing_list: MailingList, **fields: Any) -> MailingList:
    """Change `name`, `slug`, `description` or `visibility` (the member list stays members-only)."""
    if "slug" in fields and list_slug_taken(
        mailing_list.network, fields["slug"], exclude_pk=mailing_list.pk
    ):
        raise OutreachError(
            _("Another list of this network already has the short name “%(slug)s”.")
            % {"slug": fields["slug"]}
        )
    if mailing_list.is_member_list and fields.get("visibility", "members") != "members":
        raise OutreachError(_("The member list is for members only; its audience cannot change."))
    changed = []
    for name in ("name", "slug", "description", "visibility"):
        if name in fields and getattr(mailing_list, name) != fields[name]:
            setattr(mailing_list, name, fields[name])
            changed.append(name)
    if changed:
        mailing_list.save(update_fields=changed)
    return mailing_list


@transaction.atomic
def mailing_list_delete(*, mailing_list: MailingList) -> None:
    """Only an empty list goes: nobody ever on it and no issue sent to it."""
    if mailing_list.is_member_list:
        raise OutreachError(_("The member list cannot be deleted."))
    if mailing_list.subscriptions.exists():
        raise OutreachError(
            _(
                "%(name)s has subscribers (or had them): it cannot be deleted, so that their "
                "consent records are kept. Make it private instead."
            )
            % {"name": mailing_list.name}
        )
    if mailing_list.newsletters.exists():
        raise OutreachError(
            _("Newsletters were sent to %(name)s: it cannot be deleted.")
            % {"name": mailing_list.name}
        )
    mailing_list.delete()


# --- subscribing ---------------------------------------------------------------------------------


def _get_or_create_subscriber(
    network: Network, email: str, name: str, language: str, person: Person | None = None
) -> Subscriber:
    subscriber = Subscriber.objects.filter(network=network, email=email).first()
    if subscriber is None:
        try:
            with transaction.atomic():
                return Subscriber.objects.create(
                    network=network, email=email, name=name, language=language, person=person
                )
        except IntegrityError:  # created meanwhile by another request
            subscriber = Subscriber.objects.get(network=network, email=email)
    changed = []
    if name and not subscriber.name:
        subscriber.name = name
        changed.append("name")
    if language and not subscriber.language:
        subscriber.language = language
        changed.append("language")
    if person is not None and subscriber.person_id is None:
        subscriber.person = person
        changed.append("person")
    if changed:
        subscriber.save(update_fields=[*changed, "updated_at"])
    return subscriber


@transaction.atomic
def subscribe(
    *,
    network: Network,
    email: str,
    name: str = "",
    language: str = "",
    lists: Iterable[MailingList],
    method: str,
    ip: str | None = None,
    note: str = "",
    confirmed: bool = False,
    by: Person | None = None,
    consent_at: Any = None,
) -> Subscriber:
    """Put `email` on `lists` with the consent record.

    A subscription through the form (`method` FORM) waits for confirmation (PENDING) and a
    confirmation email goes out once the transaction commits, at most once per 10 minutes per
    address; with `confirmed=True` (the address is already proven) or any other method, it is
    SUBSCRIBED at once. Someone already subscribed stays as they are. `consent_at` (imports) is
    when consent was given, if not now."""
    email = normalize_email(email)
    subscriber = _get_or_create_subscriber(network, email, name.strip(), language)
    now = timezone.now()
    immediate = confirmed or method != Subscription.Method.FORM
    pending_now: list[Subscription] = []
    recently_asked = Subscription.objects.filter(
        subscriber=subscriber,
        status=Subscription.Status.PENDING,
        requested_at__gt=now - RESEND_AFTER,
    ).exists()
    existing = {
        sub.mailing_list_id: sub
        for sub in Subscription.objects.filter(subscriber=subscriber).select_for_update()
    }
    if by is not None and not note and method == Subscription.Method.COORDINATOR:
        note = _("added by %(name)s") % {"name": by.name}
    for mailing_list in lists:
        if mailing_list.network_id != network.pk:
            raise OutreachError(_("That list belongs to another network."))
        sub = existing.get(mailing_list.pk)
        if sub is not None and sub.status == Subscription.Status.SUBSCRIBED:
            continue
        if sub is None:
            sub = Subscription(network=network, subscriber=subscriber, mailing_list=mailing_list)
        sub.consent_method = method
        sub.consent_ip = ip
        sub.consent_note = note[:300]
        sub.requested_at = now
        sub.unsubscribed_at = None
        sub.unsubscribe_method = ""
        if immediate:
            sub.status = Subscription.Status.SUBSCRIBED
            sub.consent_at = consent_at or now
            sub.confirmed_at = now if method == Subscription.Method.FORM else None
        else:
            sub.status = Subscription.Status.PENDING
            sub.consent_at = None
            sub.confirmed_at = None
            pending_now.append(sub)
        sub.save()
    if pending_now and not recently_asked:
        list_ids = sorted(sub.mailing_list_id for sub in pending_now)
        subscriber_id = subscriber.pk
        transaction.on_commit(lambda: send_confirmation(subscriber_id, list_ids), robust=True)
    return subscriber


def confirmation_token(subscriber: Subscriber, list_ids: Sequence[int]) -> str:
    return signing.dumps(
        {"s": subscriber.pk, "e": subscriber.email, "l": list(list_ids)},
        salt=CONFIRMATION_SALT,
        compress=True,
    )


def read_confirmation(token: str) -> tuple[Subscriber, list[int]]:
    """The subscriber and lists a confirmation link stands for (ConfirmationInvalid if none)."""
    try:
        data = signing.loads(token, salt=CONFIRMATION_SALT, max_age=CONFIRMATION_MAX_AGE)
    except signing.SignatureExpired:
        raise ConfirmationInvalid(
            _("This confirmation link is more than 7 days old. Subscribe again to get a new one.")
        ) from None
    except signing.BadSignature:
        raise ConfirmationInvalid(
            _("This confirmation link is broken. Copy the whole link from the email.")
        ) from None
    subscriber = Subscriber.objects.filter(pk=data.get("s"), email=data.get("e")).first()
    if subscriber is None:
        raise ConfirmationInvalid(
            _("This subscription no longer exists. Subscribe again from the network's page.")
        )
    return subscriber, [int(pk) for pk in data.get("l", [])]


def send_confirmation(subscriber_id: int, list_ids: Sequence[int]) -> bool:
    """The double opt-in email, in the subscriber's language: a signed link valid for 7 days.
    Sent only for subscriptions still pending; not to a suppressed address."""
    subscriber = Subscriber.objects.select_related("network").filter(pk=subscriber_id).first()
    if subscriber is None:
        return False
    network = subscriber.network
    pending = list(
        MailingList.objects.filter(
            pk__in=list_ids,
            subscriptions__subscriber=subscriber,
            subscriptions__status=Subscription.Status.PENDING,
        )
    )
    if not pending:
        return False
    if Suppression.objects.filter(network=network, email=subscriber.email).exists():
        return False
    language = supported_language(subscriber.language, network=network)
    mail_settings = settings_for(network)
    with translation.override(language):
        context = {
            "network": network,
            "subscriber": subscriber,
            "lists": pending,
            "confirm_url": absolute_reverse(
                "outreach_public:confirm",
                confirmation_token(subscriber, [m.pk for m in pending]),
            ),
            "postal_address": mail_settings.postal_address,
            "LANGUAGE_CODE": language,
        }
        subject = _(SUBJECT_CONFIRM) % {"network": network.name}
        context["subject"] = subject
        text = render_to_string("outreach/email/lists_confirm.txt", context)
        html = render_to_string("outreach/email/lists_confirm.html", context)
    message = EmailMultiAlternatives(
        subject,
        text,
        from_email=sender_for(network, mail_settings),
        to=[subscriber.email],
        reply_to=[mail_settings.reply_to] if mail_settings.reply_to else None,
        headers={"Auto-Submitted": "auto-generated", "Content-Language": language},
    )
    message.attach_alternative(html, "text/html")
    message.send()
    return True


@transaction.atomic
def confirm(*, token: str, ip: str | None = None) -> tuple[Subscriber, list[MailingList]]:
    """Confirm the subscriptions a link stands for: SUBSCRIBED, with when and from where."""
    subscriber, list_ids = read_confirmation(token)
    now = timezone.now()
    confirmed: list[MailingList] = []
    subs = Subscription.objects.select_for_update().filter(
        subscriber=subscriber, mailing_list_id__in=list_ids
    )
    for sub in subs.select_related("mailing_list"):
        if sub.status == Subscription.Status.PENDING:
            sub.status = Subscription.Status.SUBSCRIBED
            sub.consent_at = now
            sub.confirmed_at = now
            if ip:
                sub.consent_note = (_("confirmed from %(ip)s") % {"ip": ip})[:300]
            sub.save(update_fields=["status", "consent_at", "confirmed_at", "consent_note"])
        if sub.status == Subscription.Status.SUBSCRIBED:
            confirmed.append(sub.mailing_list)
    return subscriber, confirmed


@transaction.atomic
def unsubscribe(*, subscriber: Subscriber, mailing_list: MailingList, method: str) -> bool:
    """Take `subscriber` off `mailing_list` at once. False when they were not on it."""
    sub = (
        Subscription.objects.select_for_update()
        .filter(subscriber=subscriber, mailing_list=mailing_list)
        .first()
    )
    if sub is None or sub.status == Subscription.Status.UNSUBSCRIBED:
        return False
    sub.status = Subscription.Status.UNSUBSCRIBED
    sub.unsubscribed_at = timezone.now()
    sub.unsubscribe_method = method[:20]
    sub.save(update_fields=["status", "unsubscribed_at", "unsubscribe_method"])
    return True


@transaction.atomic
def unsubscribe_all(*, subscriber: Subscriber, method: str) -> int:
    """Off every list; how many subscriptions changed."""
    return (
        Subscription.objects.filter(subscriber=subscriber)
        .exclude(status=Subscription.Status.UNSUBSCRIBED)
        .update(
            status=Subscription.Status.UNSUBSCRIBED,
            unsubscribed_at=timezone.now(),
            unsubscribe_method=method[:20],
        )
    )


# --- the member list -----------------------------------------------------------------------------


@transaction.atomic
def member_joined(*, network: Network, person: Person) -> Subscription | None:
    """An active member is on the member list (method MEMBER). Idempotent; someone who left the
    list stays off it."""
    email = normalize_email(person.email)
    if not email:
        return None
    the_list = member_list(network)
    subscriber = _get_or_create_subscriber(network, email, person.name, "", person=person)
    sub = Subscription.objects.filter(subscriber=subscriber, mailing_list=the_list).first()
    if sub is not None:
        ended_membership = sub.unsubscribe_method == UNSUBSCRIBED_MEMBERSHIP_ENDED
        if sub.status != Subscription.Status.UNSUBSCRIBED or not ended_membership:
            return sub  # subscribed already, or left the list themselves
    now = timezone.now()
    if sub is None:
        sub = Subscription(network=network, subscriber=subscriber, mailing_list=the_list)
    sub.status = Subscription.Status.SUBSCRIBED
    sub.consent_method = Subscription.Method.MEMBER
    sub.consent_at = sub.requested_at = now
    sub.unsubscribed_at = None
    sub.unsubscribe_method = ""
    sub.save()
    return sub


@transaction.atomic
def member_left(*, network: Network, person: Person) -> bool:
    the_list = MailingList.objects.filter(network=network, is_member_list=True).first()
    if the_list is None:
        return False
    subscriber = Subscriber.objects.filter(network=network, person=person).first()
    if subscriber is None and person.email:
        subscriber = Subscriber.objects.filter(
            network=network, email=normalize_email(person.email)
        ).first()
    if subscriber is None:
        return False
    return unsubscribe(
        subscriber=subscriber, mailing_list=the_list, method=UNSUBSCRIBED_MEMBERSHIP_ENDED
    )


def is_active_member(subscriber: Subscriber) -> bool:
    from netweave.people.models import Membership

    members = Membership.objects.filter(
        network_id=subscriber.network_id, status=Membership.Status.ACTIVE
    )
    if subscriber.person_id:
        return members.filter(person_id=subscriber.person_id).exists()
    return members.filter(person__email__iexact=subscriber.email).exists()


# --- the preference center -----------------------------------------------------------------------


def lists_for_preferences(subscriber: Subscriber) -> list[MailingList]:
    """What a subscriber may choose: the public lists, the member list if they are a member, and
    any list they are (or were) on."""
    own = Subscription.objects.filter(subscriber=subscriber, mailing_list=OuterRef("pk"))
    visible = Q(visibility=MailingList.Visibility.PUBLIC) | Q(Exists(own))
    if is_active_member(subscriber):
        visible |= Q(is_member_list=True)
    return list(MailingList.objects.filter(network_id=subscriber.network_id).filter(visible))


def statuses_of(subscriber: Subscriber) -> dict[int, str]:
    return dict(
        Subscription.objects.filter(subscriber=subscriber).values_list("mailing_list_id", "status")
    )


@transaction.atomic
def preferences_save(
    *,
    subscriber: Subscriber,
    chosen: Iterable[MailingList],
    language: str,
    frequency: str,
    ip: str | None = None,
) -> None:
    """The preference center's form: on the `chosen` lists, off the others it offers. The link
    came by email, so a list chosen here is confirmed at once."""
    offered = {m.pk: m for m in lists_for_preferences(subscriber)}
    chosen_ids = {m.pk for m in chosen if m.pk in offered}
    statuses = statuses_of(subscriber)
    to_add = [
        offered[pk] for pk in chosen_ids if statuses.get(pk) != Subscription.Status.SUBSCRIBED
    ]
    if to_add:
        subscribe(
            network=subscriber.network,
            email=subscriber.email,
            lists=to_add,
            method=Subscription.Method.FORM,
            ip=ip,
            note=_("chosen in the preference center"),
            confirmed=True,
        )
    for pk, mailing_list in offered.items():
        if pk not in chosen_ids and statuses.get(pk) in (
            Subscription.Status.SUBSCRIBED,
            Subscription.Status.PENDING,
        ):
            unsubscribe(
                subscriber=subscriber, mailing_list=mailing_list, method=UNSUBSCRIBED_PREFERENCES
            )
    subscriber.language = language
    subscriber.frequency = frequency
    subscriber.save(update_fields=["language", "frequency", "updated_at"])


# --- a subscriber's own data ---------------------------------------------------------------------


def _iso(value: Any) -> str | None:
    return value.isoformat() if value else None


def subscriber_data(subscriber: Subscriber) -> dict[str, Any]:
    """Everything the network keeps about this address, as plain JSON-ready data."""
    subs = Subscription.objects.filter(subscriber=subscriber).select_related("mailing_list")
    deliveries = Delivery.objects.filter(subscriber=subscriber).select_related("newsletter")
    bounces = Bounce.objects.filter(network_id=subscriber.network_id, email=subscriber.email)
    registrations = Registration.objects.filter(
        network_id=subscriber.network_id, email__iexact=subscriber.email
    ).select_related("event")
    suppression = Suppression.objects.filter(
        network_id=subscriber.network_id, email=subscriber.email
    ).first()
    return {
        "network": subscriber.network.name,
        "subscriber": {
            "email": subscriber.email,
            "name": subscriber.name,
            "language": subscriber.language,
            "frequency": subscriber.frequency,
            "created_at": _iso(subscriber.created_at),
            "is_member": subscriber.person_id is not None,
        },
        "subscriptions": [
            {
                "list": sub.mailing_list.name,
                "status": sub.status,
                "consent": {
                    "method": sub.consent_method,
                    "given_at": _iso(sub.consent_at),
                    "ip": sub.consent_ip,
                    "note": sub.consent_note,
                    "requested_at": _iso(sub.requested_at),
                    "confirmed_at": _iso(sub.confirmed_at),
                },
                "unsubscribed_at": _iso(sub.unsubscribed_at),
                "unsubscribe_method": sub.unsubscribe_method,
            }
            for sub in subs
        ],
        "deliveries": [
            {
                "issue": delivery.newsletter.number,
                "status": delivery.status,
                "language": delivery.language,
                "sent_at": _iso(delivery.sent_at),
                "opens": delivery.open_count,
                "clicks": delivery.click_count,
            }
            for delivery in deliveries
        ],
        "bounces": [
            {
                "kind": bounce.kind,
                "status_code": bounce.status_code,
                "detail": bounce.detail,
                "received_at": _iso(bounce.received_at),
            }
            for bounce in bounces
        ],
        "suppressed": (
            {"reason": suppression.reason, "since": _iso(suppression.created_at)}
            if suppression
            else None
        ),
        "registrations": [
            {
                "event": registration.event.title,
                "starts_at": _iso(registration.event.starts_at),
                "name": registration.name,
                "status": registration.status,
                "registered_at": _iso(registration.created_at),
            }
            for registration in registrations
        ],
    }


def erased_placeholder(email: str) -> str:
    digest = hashlib.sha256(email.encode("utf-8")).hexdigest()[:16]
    return f"erased-{digest}@erased.invalid"


@transaction.atomic
def erase(*, subscriber: Subscriber) -> None:
    """Forget this subscriber: the subscriber, their subscriptions (with the consent records),
    their bounces and any suppression of the address go; the deliveries sent to them keep a
    hashed placeholder instead of the address, so an issue's counts stay right."""
    network_id, email = subscriber.network_id, subscriber.email
    Delivery.objects.filter(
        Q(subscriber=subscriber) | Q(network_id=network_id, email=email)
    ).update(email=erased_placeholder(email), subscriber=None)
    Bounce.objects.filter(network_id=network_id, email=email).delete()
    Suppression.objects.filter(network_id=network_id, email=email).delete()
    subscriber.delete()  # its subscriptions cascade


# --- reads for the coordinator's pages and the API -----------------------------------------------


def lists_with_counts(network: Network) -> QuerySet[MailingList]:
    return MailingList.objects.filter(network=network).annotate(
        subscribed=Count(
            "subscriptions", filter=Q(subscriptions__status=Subscription.Status.SUBSCRIBED)
        ),
        pending=Count("subscriptions", filter=Q(subscriptions__status=Subscription.Status.PENDING)),
        unsubscribed=Count(
            "subscriptions", filter=Q(subscriptions__status=Subscription.Status.UNSUBSCRIBED)
        ),
    )


def public_lists(network: Network) -> QuerySet[MailingList]:
    return MailingList.objects.filter(network=network, visibility=MailingList.Visibility.PUBLIC)


def subscribers_filtered(
    *, network: Network, query: str = "", list_id: int | None = None, status: str = ""
) -> QuerySet[Subscriber]:
    """Subscribers of the network, by email; `query` in the email or name; `list_id` and
    `status` narrow to a list and/or a subscription status ("suppressed" for suppressed
    addresses). Each row carries `is_suppressed` and its subscriptions prefetched."""
    from django.db.models import Prefetch

    rows = Subscriber.objects.filter(network=network)
    query = search_text(query)
    if query:
        rows = rows.filter(Q(email__icontains=query) | Q(name__icontains=query))
    suppressed = Suppression.objects.filter(network=network, email=OuterRef("email"))
    if status == "suppressed":
        rows = rows.filter(Exists(suppressed))
        status = ""
    if list_id or status:
        subs = Subscription.objects.filter(subscriber=OuterRef("pk"))
        if list_id:
            subs = subs.filter(mailing_list_id=list_id)
        if status:
            subs = subs.filter(status=status)
        rows = rows.filter(Exists(subs))
    return rows.annotate(is_suppressed=Exists(suppressed)).prefetch_related(
        Prefetch(
            "subscriptions",
            queryset=Subscription.objects.select_related("mailing_list").order_by(
                "mailing_list__name"
            ),
        )
    )


def search_text(query: str) -> str:
    """A search box's text, trimmed and without NUL characters (PostgreSQL refuses them)."""
    return (query or "").replace("\x00", "").strip()


def suppressions_filtered(network: Network, query: str = "") -> QuerySet[Suppression]:
    """The network's suppressed addresses, newest first; `query` in the address."""
    rows = Suppression.objects.filter(network=network).order_by("-created_at", "email")
    query = search_text(query)
    return rows.filter(email__icontains=query) if query else rows


def subscriber_counts(network: Network) -> dict[str, int]:
    subs = Subscription.objects.filter(network=network)
    return {
        "subscribers": Subscriber.objects.filter(network=network).count(),
        "subscribed": subs.filter(status=Subscription.Status.SUBSCRIBED)
        .values("subscriber_id")
        .distinct()
        .count(),
        "pending": subs.filter(status=Subscription.Status.PENDING)
        .values("subscriber_id")
        .distinct()
        .count(),
        "suppressed": Suppression.objects.filter(network=network).count(),
    }


def subscriber_in_network(network: Network, subscriber_id: int) -> Subscriber:
    from django.http import Http404

    found = subscribers_filtered(network=network).filter(pk=subscriber_id).first()
    if found is None:
        raise Http404
    return found


def list_in_network(network: Network, list_id: int) -> MailingList:
    from django.http import Http404

    found = MailingList.objects.filter(network=network, pk=list_id).first()
    if found is None:
        raise Http404
    return found


def suppression_in_network(network: Network, suppression_id: int) -> Suppression:
    from django.http import Http404

    found = Suppression.objects.filter(network=network, pk=suppression_id).first()
    if found is None:
        raise Http404
    return found


def bounces_of(subscriber: Subscriber) -> QuerySet[Bounce]:
    return Bounce.objects.filter(network_id=subscriber.network_id, email=subscriber.email).order_by(
        "-received_at"
    )


def suppression_of(subscriber: Subscriber) -> Suppression | None:
    return Suppression.objects.filter(
        network_id=subscriber.network_id, email=subscriber.email
    ).first()


# --- suppressions by hand ------------------------------------------------------------------------


@transaction.atomic
def suppression_add(
    *, network: Network, email: str, reason: str = Suppression.Reason.MANUAL, detail: str = ""
) -> Suppression:
    """Suppress an address (idempotent: an existing suppression is kept as it is)."""
    suppression, _created = Suppression.objects.get_or_create(
        network=network,
        email=normalize_email(email),
        defaults={"reason": reason, "detail": detail[:500]},
    )
    return suppression


@transaction.atomic
def suppression_remove(*, suppression: Suppression) -> None:
    suppression.delete()
