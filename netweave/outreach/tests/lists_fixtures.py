"""Fixtures of the subscriber and list tests: a network with a public, a members' and a private
list, the member-list signal connected, and builders of bounce reports (mbox files written with
the email API, as mail servers write them)."""

from __future__ import annotations

import mailbox
from dataclasses import dataclass
from email.message import EmailMessage, Message
from email.mime.base import MIMEBase
from email.mime.message import MIMEMessage
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from netweave.lib.testing import Cast
from netweave.outreach import signals
from netweave.outreach.models import Delivery, MailingList, Newsletter, Subscriber, Subscription
from netweave.outreach.subscriptions import mailing_list_create, subscribe


@dataclass
class Lists:
    cast: Cast
    public: MailingList
    members_only: MailingList
    private: MailingList

    @property
    def network(self) -> Any:
        return self.cast.network


@pytest.fixture(name="member_signal")
def member_signal_fixture() -> None:
    """The member-list signal (the app's ready() connects it; connecting twice is harmless)."""
    signals.connect()


@pytest.fixture(name="lists")
def lists_fixture(member_signal: None, cast: Cast) -> Lists:
    network = cast.network
    return Lists(
        cast=cast,
        public=mailing_list_create(network=network, name="Monthly news", visibility="public"),
        members_only=mailing_list_create(
            network=network, name="Members' digest", visibility="members"
        ),
        private=mailing_list_create(network=network, name="Funders", visibility="private"),
    )


def signed_in(user: Any) -> Client:
    """A test client with `user`'s session."""
    assert user is not None
    client = Client()
    client.force_login(user)
    return client


def subscribed(network: Any, email: str, *mailing_lists: MailingList, **extra: Any) -> Subscriber:
    return subscribe(
        network=network,
        email=email,
        lists=list(mailing_lists),
        method=Subscription.Method.IMPORT,
        note="test",
        **extra,
    )


def delivery_to(subscriber: Subscriber, mailing_list: MailingList, number: int = 1) -> Delivery:
    newsletter, _created = Newsletter.objects.get_or_create(
        network=subscriber.network, number=number, defaults={"mailing_list": mailing_list}
    )
    return Delivery.objects.create(
        network=subscriber.network,
        newsletter=newsletter,
        subscriber=subscriber,
        email=subscriber.email,
        language="en",
        status=Delivery.Status.SENT,
        message_id=f"<issue{number}.{subscriber.pk}@netweave.test>",
        sent_at=subscriber.created_at,
    )


# --- bounce reports ------------------------------------------------------------------------------


def original_message(to: str, message_id: str) -> EmailMessage:
    original = EmailMessage()
    original["From"] = "Cast Network <news@netweave.test>"
    original["To"] = to
    original["Subject"] = "Monthly news #1"
    original["Message-ID"] = message_id
    original.set_content("Hello")
    return original


def dsn(
    recipient: str,
    *,
    action: str = "failed",
    status: str = "5.1.1",
    message_id: str = "",
    headers_only: bool = False,
    diagnostic: str = "smtp; 550 5.1.1 user unknown",
) -> Message:
    """A delivery status notification (RFC 3464)."""
    report = MIMEMultipart("report", report_type="delivery-status")
    report["From"] = "Mail Delivery System <MAILER-DAEMON@mx.example.net>"
    report["To"] = "bounces@netweave.test"
    report["Subject"] = "Delivery Status Notification (Failure)"
    report.attach(MIMEText(f"Your message to {recipient} could not be delivered.\n"))
    status_part = MIMEBase("message", "delivery-status")
    per_message, per_recipient = Message(), Message()
    per_message["Reporting-MTA"] = "dns; mx.example.net"
    per_recipient["Final-Recipient"] = f"rfc822; {recipient}"
    per_recipient["Action"] = action
    per_recipient["Status"] = status
    per_recipient["Diagnostic-Code"] = diagnostic
    status_part.set_payload([per_message, per_recipient])
    report.attach(status_part)
    original = original_message(recipient, message_id or "<unknown@elsewhere.test>")
    if headers_only:
        headers = MIMEText("".join(f"{k}: {v}\n" for k, v in original.items()), "rfc822-headers")
        report.attach(headers)
    else:
        report.attach(MIMEMessage(original))
    return report


def arf(recipient: str, *, message_id: str = "") -> Message:
    """A complaint in the Abuse Reporting Format (RFC 5965)."""
    report = MIMEMultipart("report", report_type="feedback-report")
    report["From"] = "Feedback Loop <fbl@isp.example.net>"
    report["To"] = "abuse@netweave.test"
    report["Subject"] = "Complaint about message"
    report.attach(MIMEText("This is an email abuse report.\n"))
    feedback = MIMEBase("message", "feedback-report")
    feedback.set_payload(
        f"Feedback-Type: abuse\nUser-Agent: FBL/1.0\nVersion: 1\nOriginal-Rcpt-To: <{recipient}>\n"
    )
    report.attach(feedback)
    report.attach(MIMEMessage(original_message(recipient, message_id or "<x@netweave.test>")))
    return report


def plain_bounce(recipient: str, *, code: str = "550 5.1.1") -> Message:
    message = MIMEText(
        "This is the mail system at host mx.example.net.\n\n"
        "I'm sorry to have to inform you that your message could not be delivered.\n\n"
        f"<{recipient}>: host mx.example.net said: {code} mailbox unavailable\n"
    )
    message["From"] = "MAILER-DAEMON@mx.example.net (Mail Delivery System)"
    message["To"] = "bounces@netweave.test"
    message["Subject"] = "Undelivered Mail Returned to Sender"
    return message


def ordinary(subject: str = "Thanks for the newsletter!") -> Message:
    message = MIMEText("Loved it.\n")
    message["From"] = "Reader <reader@example.org>"
    message["To"] = "news@netweave.test"
    message["Subject"] = subject
    return message


def write_mbox(path: Path, messages: list[Message]) -> Path:
    box = mailbox.mbox(str(path))
    try:
        for message in messages:
            box.add(message)
        box.flush()
    finally:
        box.close()
    return path
