"""Reads shared by the outreach areas."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, QuerySet

from netweave.outreach.models import MailingList, Subscriber, Subscription, Suppression


def active_subscribers(mailing_list: MailingList) -> QuerySet[Subscriber]:
    """Who an issue sent to `mailing_list` goes to: confirmed subscribers, no suppressed address."""
    subscribed = Subscription.objects.filter(
        mailing_list=mailing_list,
        subscriber=OuterRef("pk"),
        status=Subscription.Status.SUBSCRIBED,
    )
    suppressed = Suppression.objects.filter(
        network_id=mailing_list.network_id, email=OuterRef("email")
    )
    return (
        Subscriber.objects.filter(network_id=mailing_list.network_id)
        .filter(Exists(subscribed))
        .exclude(Exists(suppressed))
    )
