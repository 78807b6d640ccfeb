"""Rows and SMTP servers the delivery tests (and bench/outreach/send.py) share."""

from __future__ import annotations

import threading
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from netweave.networks.models import Network
from netweave.outreach.models import (
    Edition,
    MailingList,
    Newsletter,
    OutreachSettings,
    Subscriber,
    Subscription,
)

BODY = """## What happened this month

Read [the field report](https://field.example.org/report?year=2026&x=1) and tell us what you think.

- Three new members joined
- A webinar on **funding gaps**
"""


@dataclass
class Issue:
    network: Network
    mailing_list: MailingList
    newsletter: Newsletter
    subscribers: list[Subscriber]


def add_subscribers(
    network: Network,
    mailing_list: MailingList,
    count: int,
    *,
    prefix: str = "reader",
    language: str = "",
    chunk: int = 5000,
) -> int:
    """`count` confirmed subscribers on `mailing_list`, made in bulk (fast at 100,000)."""
    now = timezone.now()
    made = 0
    for start in range(0, count, chunk):
        people = [
            Subscriber(
                network=network,
                email=f"{prefix}{n}@example.org",
                name=f"Reader {n}",
                language=language,
            )
            for n in range(start, min(count, start + chunk))
        ]
        Subscriber.objects.bulk_create(people)
        emails = [p.email for p in people]
        ids = Subscriber.objects.filter(network=network, email__in=emails).values_list(
            "pk", flat=True
        )
        Subscription.objects.bulk_create(
            [
                Subscription(
                    network=network,
                    subscriber_id=pk,
                    mailing_list=mailing_list,
                    status=Subscription.Status.SUBSCRIBED,
                    consent_method=Subscription.Method.IMPORT,
                    consent_at=now,
                    confirmed_at=now,
                )
                for pk in ids
            ]
        )
        made += len(people)
    return made


def make_issue(
    network: Network,
    *,
    readers: int = 0,
    number: int = 1,
    editions: tuple[str, ...] = ("en",),
    mailing_list: MailingList | None = None,
    **mail_settings: Any,
) -> Issue:
    """A list with `readers` confirmed subscribers and a draft issue with its editions."""
    OutreachSettings.objects.update_or_create(
        network=network,
        defaults={
            "from_name": "Field Network",
            "from_email": "news@field.example.org",
            "postal_address": "1 Network Street, 1000 Brussels",
            **mail_settings,
        },
    )
    mailing_list = mailing_list or MailingList.objects.create(
        network=network, name="Monthly news", slug=f"news-{number}"
    )
    if readers:
        add_subscribers(network, mailing_list, readers, prefix=f"reader{number}-")
    newsletter = Newsletter.objects.create(
        network=network, number=number, mailing_list=mailing_list
    )
    subjects = {"en": "Field news", "fr": "Nouvelles du terrain", "es": "Noticias"}
    for language in editions:
        Edition.objects.create(
            newsletter=newsletter,
            language=language,
            subject=f"{subjects.get(language, 'News')} #{number}",
            preheader="Three new members and a webinar",
            body=BODY if language == "en" else f"Bonjour ({language})\n\n{BODY}",
        )
    subscribers = list(Subscriber.objects.filter(subscriptions__mailing_list=mailing_list))
    return Issue(network, mailing_list, newsletter, subscribers)


def subscribe(issue: Issue, email: str, *, name: str = "", language: str = "") -> Subscriber:
    subscriber = Subscriber.objects.create(
        network=issue.network, email=email, name=name, language=language
    )
    Subscription.objects.create(
        network=issue.network,
        subscriber=subscriber,
        mailing_list=issue.mailing_list,
        status=Subscription.Status.SUBSCRIBED,
        consent_method=Subscription.Method.COORDINATOR,
        consent_at=timezone.now(),
    )
    return subscriber


# --- SMTP servers --------------------------------------------------------------------------------


@dataclass
class Sink:
    """An SMTP server that only counts: messages per recipient and per Message-ID. `reject` maps
    an address to the reply its RCPT gets (e.g. "550 5.1.1 no such user"), `reject_data` to the
    reply to its message's final dot."""

    messages: int = 0
    per_recipient: Counter[str] = field(default_factory=Counter)
    per_message_id: Counter[str] = field(default_factory=Counter)
    reject: dict[str, str] = field(default_factory=dict)
    reject_data: dict[str, str] = field(default_factory=dict)
    pipelining: bool = False  # advertise RFC 2920 PIPELINING (as Postfix does)
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_EHLO(
        self, server: Any, session: Any, envelope: Any, hostname: str, responses: list[str]
    ) -> list[str]:
        session.host_name = hostname
        if self.pipelining:
            responses.insert(len(responses) - 1, "250-PIPELINING")
        return responses

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        if address in self.reject:
            return self.reject[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        for address in envelope.rcpt_tos:
            if address in self.reject_data:
                return self.reject_data[address]
        content = envelope.original_content or b""
        message_id = ""
        head = content.split(b"\r\n\r\n", 1)[0]
        for line in head.split(b"\r\n"):
            if line.lower().startswith(b"message-id:"):
                message_id = line.split(b":", 1)[1].strip().decode()
        with self.lock:
            self.messages += 1
            for address in envelope.rcpt_tos:
                self.per_recipient[address] += 1
            self.per_message_id[message_id] += 1
        return "250 Message accepted"


def start_sink(sink: Sink, port: int) -> Any:
    from aiosmtpd.controller import Controller

    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    return controller


def use_smtp(settings: Any, port: int) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 10
