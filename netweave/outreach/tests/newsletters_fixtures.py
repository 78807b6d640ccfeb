"""Rows the newsletter tests share: a mailing list with confirmed subscribers, and issues in a
given state. Built with the ORM so that these tests depend on the newsletter area only."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from netweave.lib.testing import Cast
from netweave.networks.models import Network
from netweave.outreach.models import Edition, MailingList, Newsletter, Subscriber, Subscription


def make_list(network: Network, name: str = "Monthly news") -> MailingList:
    return MailingList.objects.create(
        network=network, name=name, slug=name.lower().replace(" ", "-")
    )


def subscribe(mailing_list: MailingList, email: str, **fields: Any) -> Subscriber:
    subscriber = Subscriber.objects.create(
        network=mailing_list.network, email=email.lower(), **fields
    )
    Subscription.objects.create(
        network=mailing_list.network,
        subscriber=subscriber,
        mailing_list=mailing_list,
        status=Subscription.Status.SUBSCRIBED,
        consent_method=Subscription.Method.COORDINATOR,
        consent_at=timezone.now(),
        confirmed_at=timezone.now(),
    )
    return subscriber


def make_issue(
    mailing_list: MailingList,
    number: int,
    *,
    status: str = Newsletter.Status.DRAFT,
    in_archive: bool = True,
    subject: str = "",
    body: str = "Hello **readers**.",
    language: str = "en",
) -> Newsletter:
    now = timezone.now()
    sent = status in (Newsletter.Status.SENDING, Newsletter.Status.SENT)
    newsletter = Newsletter.objects.create(
        network=mailing_list.network,
        number=number,
        mailing_list=mailing_list,
        status=status,
        in_archive=in_archive,
        default_language=language,
        started_at=now if sent else None,
        finished_at=now if status == Newsletter.Status.SENT else None,
    )
    Edition.objects.create(
        newsletter=newsletter,
        language=language,
        subject=subject or f"Issue {number}",
        body=body,
    )
    return newsletter


@pytest.fixture(name="news_list")
def news_list_fixture(cast: Cast) -> MailingList:
    """`news_list`: the cast network's list, with two confirmed subscribers (import
    `news_list_fixture` to use it)."""
    mailing_list = make_list(cast.network)
    subscribe(mailing_list, "reader.one@example.org")
    subscribe(mailing_list, "reader.two@example.org")
    return mailing_list
