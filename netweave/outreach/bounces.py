"""Bounces and complaints: recording them (and suppressing addresses), and reading them from a
mailbox file or a webhook.

- A hard bounce or a complaint suppresses the address at once; soft bounces do once there have
  been `OutreachSettings.soft_bounce_threshold` of them in the last 30 days.
- A mailbox file (mbox) is read message by message: delivery status notifications (RFC 3464,
  multipart/report; report-type=delivery-status: Action failed with Status 5.x.x is hard, 4.x.x
  or Action delayed is soft), complaints in the Abuse Reporting Format (RFC 5965,
  report-type=feedback-report), and, best-effort, the plain-text bounces some servers still
  send. The delivery is found by the returned message's Message-ID, else by the address.
  Every message of the file is counted as a bounce, a complaint, or "not a bounce" with why.
"""

from __future__ import annotations

import email
import email.policy
import mailbox
import os
import re
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from email.message import Message
from email.parser import HeaderParser
from email.utils import getaddresses
from typing import Any

from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from netweave.networks.models import Network
from netweave.outreach.common import settings_for
from netweave.outreach.models import Bounce, Delivery, Suppression
from netweave.outreach.subscriptions import normalize_email, suppression_add

SOFT_WINDOW = timedelta(days=30)
KINDS = (Bounce.Kind.HARD, Bounce.Kind.SOFT, Bounce.Kind.COMPLAINT)


@transaction.atomic
def record_bounce(
    *,
    network: Network,
    email: str,
    kind: str,
    source: str,
    status_code: str = "",
    detail: str = "",
    delivery: Delivery | None = None,
) -> Bounce:
    """Keep one bounce or complaint; suppress the address when the rules say so, and mark the
    delivery it answers as bounced."""
    address = normalize_email(email)
    bounce = Bounce.objects.create(
        network=network,
        email=address,
        kind=kind,
        source=source[:20],
        status_code=status_code[:20],
        detail=detail[:500],
        delivery=delivery,
    )
    if delivery is not None and delivery.status != Delivery.Status.BOUNCED:
        Delivery.objects.filter(pk=delivery.pk).update(status=Delivery.Status.BOUNCED)
        delivery.status = Delivery.Status.BOUNCED
    if kind == Bounce.Kind.HARD:
        suppression_add(
            network=network,
            email=address,
            reason=Suppression.Reason.HARD_BOUNCE,
            detail=" ".join(part for part in (status_code, detail) if part),
        )
    elif kind == Bounce.Kind.COMPLAINT:
        suppression_add(
            network=network, email=address, reason=Suppression.Reason.COMPLAINT, detail=detail
        )
    elif kind == Bounce.Kind.SOFT:
        threshold = max(1, settings_for(network).soft_bounce_threshold)
        recent = Bounce.objects.filter(
            network=network,
            email=address,
            kind=Bounce.Kind.SOFT,
            received_at__gte=timezone.now() - SOFT_WINDOW,
        ).count()
        if recent >= threshold:
            suppression_add(
                network=network,
                email=address,
                reason=Suppression.Reason.SOFT_BOUNCES,
                detail=_("%(count)d soft bounces in 30 days") % {"count": recent},
            )
    return bounce


def delivery_for(network: Network, *, message_id: str = "", email: str = "") -> Delivery | None:
    """The delivery a report is about: by the returned message's Message-ID, else the latest one
    sent to the address."""
    deliveries = Delivery.objects.filter(network=network)
    bare = message_id.strip().strip("<>").strip()
    if bare:
        found = deliveries.filter(message_id__in=[bare, f"<{bare}>"]).first()
        if found is not None:
            return found
    if email:
        return (
            deliveries.filter(email=normalize_email(email))
            .exclude(sent_at=None)
            .order_by("-sent_at", "-pk")
            .first()
        )
    return None


# --- reading reports -----------------------------------------------------------------------------


@dataclass
class Finding:
    """One recipient a report is about."""

    email: str
    kind: str
    status_code: str = ""
    detail: str = ""
    message_id: str = ""


@dataclass
class MessageOutcome:
    number: int  # 1 for the file's first message
    subject: str
    outcome: str  # "bounce" | "complaint" | "ignored"
    reason: str = ""  # why it is not a bounce
    findings: list[Finding] = field(default_factory=list)


@dataclass
class MboxReport:
    messages: list[MessageOutcome] = field(default_factory=list)
    suppressed: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.messages)

    @property
    def bounces(self) -> int:
        return sum(1 for m in self.messages if m.outcome == "bounce")

    @property
    def complaints(self) -> int:
        return sum(1 for m in self.messages if m.outcome == "complaint")

    @property
    def ignored(self) -> int:
        return sum(1 for m in self.messages if m.outcome == "ignored")

    def lines(self) -> list[str]:
        out = []
        for m in self.messages:
            if m.outcome == "ignored":
                out.append(
                    _("#%(n)d %(subject)s: not a bounce (%(reason)s)")
                    % {"n": m.number, "subject": m.subject, "reason": m.reason}
                )
                continue
            for f in m.findings:
                label = (
                    _("complaint recorded") if m.outcome == "complaint" else _("bounce recorded")
                )
                out.append(
                    _("#%(n)d %(subject)s: %(label)s for %(email)s (%(kind)s %(code)s)")
                    % {
                        "n": m.number,
                        "subject": m.subject,
                        "label": label,
                        "email": f.email,
                        "kind": f.kind,
                        "code": f.status_code,
                    }
                )
        return out


_STATUS = re.compile(r"\b([245])\.(\d{1,3})\.(\d{1,3})\b")
_SMTP_CODE = re.compile(r"\b([45])\d\d\b")
_MESSAGE_ID = re.compile(r"^Message-ID:\s*(<[^>\s]+>)", re.IGNORECASE | re.MULTILINE)
_BOUNCE_SUBJECT = re.compile(
    r"undeliver|delivery status notification|returned mail|failure notice|"
    r"mail delivery (failed|subsystem)|delivery (has )?failed|non.?delivery",
    re.IGNORECASE,
)
_BOUNCE_SENDER = re.compile(r"mailer-daemon|postmaster", re.IGNORECASE)
_ADDRESS = re.compile(r"[\w.!#$%&'*+/=?^`{|}~-]+@[\w-]+(?:\.[\w-]+)+")


def _address_of(value: str) -> str:
    """'rfc822; Jane@Example.org' or '<jane@example.org>' -> 'jane@example.org'."""
    value = str(value or "")
    if ";" in value:
        value = value.split(";", 1)[1]
    found = _ADDRESS.search(value)
    return normalize_email(found.group(0)) if found else ""


def _field_blocks(part: Message) -> list[Message]:
    """The header-like blocks of a message/delivery-status or message/feedback-report part."""
    payload = part.get_payload()
    if isinstance(payload, list):
        blocks: list[Message] = []
        for item in payload:
            if isinstance(item, Message):
                blocks.append(item)
        return blocks
    text = payload if isinstance(payload, str) else ""
    if not text and isinstance(part.get_payload(decode=True), bytes):
        text = part.get_payload(decode=True).decode("utf-8", "replace")  # type: ignore[union-attr]
    return [HeaderParser().parsestr(block) for block in re.split(r"\r?\n\s*\r?\n", text) if block]


def _original_headers(report: Message) -> Message | None:
    for part in report.walk():
        content_type = part.get_content_type()
        if content_type in ("message/rfc822", "message/global"):
            payload = part.get_payload()
            if isinstance(payload, list) and payload and isinstance(payload[0], Message):
                return payload[0]
        if content_type in ("text/rfc822-headers", "text/rfc822-header"):
            raw = part.get_payload(decode=True)
            text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw or "")
            return HeaderParser().parsestr(text)
    return None


def _dsn(report: Message) -> tuple[list[Finding], str]:
    status_part = next(
        (p for p in report.walk() if p.get_content_type() == "message/delivery-status"), None
    )
    if status_part is None:
        return [], _("a delivery report without its delivery-status part")
    original = _original_headers(report)
    message_id = str(original.get("Message-ID", "")) if original is not None else ""
    findings: list[Finding] = []
    actions: list[str] = []
    for block in _field_blocks(status_part):
        action = str(block.get("Action", "")).strip().lower()
        recipient = _address_of(
            str(block.get("Final-Recipient", "") or block.get("Original-Recipient", ""))
        )
        if not action:
            continue  # the per-message block
        actions.append(action)
        status = str(block.get("Status", "")).strip()
        match = _STATUS.search(status)
        code = match.group(0) if match else status[:20]
        diagnostic = " ".join(str(block.get("Diagnostic-Code", "")).split())
        if action == "failed":
            kind = Bounce.Kind.SOFT if code.startswith("4") else Bounce.Kind.HARD
        elif action == "delayed":
            kind = Bounce.Kind.SOFT
        else:
            continue
        if not recipient and original is not None:
            recipient = _address_of(str(original.get("To", "")))
        if recipient:
            findings.append(Finding(recipient, kind, code, diagnostic, message_id))
    if not findings:
        if actions:
            return [], _("a delivery report that says %(actions)s, not a failure") % {
                "actions": ", ".join(sorted(set(actions)))
            }
        return [], _("a delivery report that names no failed recipient")
    return findings, ""


def _arf(report: Message) -> tuple[list[Finding], str]:
    feedback = next(
        (p for p in report.walk() if p.get_content_type() == "message/feedback-report"), None
    )
    fields: dict[str, str] = {}
    if feedback is not None:
        for block in _field_blocks(feedback):
            for key, value in block.items():
                fields.setdefault(key.lower(), str(value))
    original = _original_headers(report)
    recipient = _address_of(fields.get("original-rcpt-to", ""))
    if not recipient and original is not None:
        recipient = _address_of(str(original.get("To", "")))
    if not recipient:
        return [], _("a complaint that names no recipient")
    message_id = str(original.get("Message-ID", "")) if original is not None else ""
    detail = _("feedback type: %(type)s") % {"type": fields.get("feedback-type", "abuse").strip()}
    return [Finding(recipient, Bounce.Kind.COMPLAINT, "", detail, message_id)], ""


def _text_of(message: Message) -> str:
    parts = []
    for part in message.walk():
        if part.get_content_maintype() == "text":
            raw = part.get_payload(decode=True)
            if isinstance(raw, bytes):
                charset = part.get_content_charset() or "utf-8"
                try:
                    parts.append(raw.decode(charset, "replace"))
                except LookupError:
                    parts.append(raw.decode("utf-8", "replace"))
    return "\n".join(parts)


def _plain_bounce(message: Message) -> tuple[list[Finding], str]:
    sender = str(message.get("From", ""))
    subject = str(message.get("Subject", ""))
    if not (_BOUNCE_SENDER.search(sender) or _BOUNCE_SUBJECT.search(subject)):
        return [], _("neither from a mail server nor titled as a bounce")
    body = _text_of(message)
    recipients = [_address_of(value) for value in message.get_all("X-Failed-Recipients", [])]
    recipients = [r for r in recipients if r]
    if not recipients:
        own = {addr.lower() for _n, addr in getaddresses([sender, str(message.get("To", ""))])}
        for line in body.splitlines():
            if line.lstrip().lower().startswith(("from:", "message-id:", "reply-to:")):
                continue
            for found in _ADDRESS.findall(line):
                address = normalize_email(found)
                if address not in own and not _BOUNCE_SENDER.search(address):
                    recipients.append(address)
            if recipients:
                break
    if not recipients:
        return [], _("a bounce that names no recipient")
    status = _STATUS.search(body)
    if status:
        code = status.group(0)
        kind = Bounce.Kind.SOFT if code.startswith("4") else Bounce.Kind.HARD
    else:
        smtp = _SMTP_CODE.search(body)
        code = smtp.group(0) if smtp else ""
        kind = Bounce.Kind.HARD if code.startswith("5") else Bounce.Kind.SOFT
    ids = _MESSAGE_ID.findall(body)
    message_id = ids[-1] if ids else ""
    detail = _("plain-text bounce: %(subject)s") % {"subject": subject}
    return [Finding(r, kind, code, detail, message_id) for r in dict.fromkeys(recipients)], ""


def classify(message: Message) -> tuple[str, list[Finding], str]:
    """(outcome, findings, reason): outcome "bounce", "complaint" or "ignored"."""
    if message.get_content_type() == "multipart/report":
        report_type = str(message.get_param("report-type", "") or "").lower()
        if report_type == "delivery-status":
            findings, reason = _dsn(message)
            return ("bounce" if findings else "ignored"), findings, reason
        if report_type == "feedback-report":
            findings, reason = _arf(message)
            return ("complaint" if findings else "ignored"), findings, reason
        if report_type == "disposition-notification":
            return "ignored", [], _("a read receipt")
    findings, reason = _plain_bounce(message)
    return ("bounce" if findings else "ignored"), findings, reason


def _messages(path: str) -> Iterator[Message]:
    box = mailbox.mbox(path, factory=None, create=False)
    try:
        for key in box.iterkeys():
            raw = box.get_bytes(key)
            yield email.message_from_bytes(raw, policy=email.policy.compat32)
    finally:
        box.close()


@transaction.atomic
def process_messages(
    *, network: Network, messages: Iterator[Message], source: str = "mbox"
) -> MboxReport:
    """Record every report of `messages` in one transaction: a file that fails half-way keeps
    nothing, so reading it again does not count its soft bounces twice."""
    report = MboxReport()
    before = set(Suppression.objects.filter(network=network).values_list("email", flat=True))
    for number, message in enumerate(messages, start=1):
        subject = " ".join(str(message.get("Subject", "") or _("(no subject)")).split())[:120]
        outcome, findings, reason = classify(message)
        report.messages.append(MessageOutcome(number, subject, outcome, reason, findings))
        for finding in findings:
            delivery = delivery_for(network, message_id=finding.message_id, email=finding.email)
            record_bounce(
                network=network,
                email=finding.email,
                kind=finding.kind,
                source=source,
                status_code=finding.status_code,
                detail=finding.detail,
                delivery=delivery,
            )
    after = Suppression.objects.filter(network=network).values_list("email", flat=True)
    report.suppressed = sorted(set(after) - before)
    return report


def process_mbox(*, network: Network, path: str) -> MboxReport:
    """Read the mailbox file at `path` and record what it reports (see the module's doc)."""
    if not os.path.isfile(path):
        raise FileNotFoundError(path)
    return process_messages(network=network, messages=_messages(path))


def process_mbox_bytes(*, network: Network, content: bytes) -> MboxReport:
    """The same, for an uploaded file."""
    handle, path = tempfile.mkstemp(suffix=".mbox")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(content)
        return process_mbox(network=network, path=path)
    finally:
        os.unlink(path)


def looks_like_mbox(content: bytes) -> bool:
    return content.lstrip(b"\r\n").startswith(b"From ")


# --- the webhook ---------------------------------------------------------------------------------


class WebhookInvalid(ValueError):
    """The webhook's body is not what it must be; the message says what to fix."""


@dataclass
class WebhookItem:
    email: str
    kind: str
    status: str
    detail: str
    message_id: str


def webhook_items(data: Any) -> list[WebhookItem]:
    """A JSON object {"email", "kind": hard|soft|complaint, "status", "detail", "message_id"} or
    a list of them, checked; WebhookInvalid names the item and field to fix."""
    items = data if isinstance(data, list) else [data]
    if not items:
        raise WebhookInvalid(_("The list is empty: send at least one report."))
    cleaned: list[WebhookItem] = []
    for index, item in enumerate(items):
        where = _("item %(n)d: ") % {"n": index + 1} if isinstance(data, list) else ""
        if not isinstance(item, dict):
            raise WebhookInvalid(
                where + _('send a JSON object such as {"email": "a@example.org", "kind": "hard"}.')
            )
        unknown = set(item) - {"email", "kind", "status", "detail", "message_id"}
        if unknown:
            raise WebhookInvalid(
                where
                + _("unknown fields: %(fields)s. The fields are email, kind, status, detail and "
                    "message_id.") % {"fields": ", ".join(sorted(unknown))}
            )  # fmt: skip
        address = normalize_email(str(item.get("email") or ""))
        try:
            validate_email(address)
        except Exception:
            raise WebhookInvalid(where + _("“email” must be an email address.")) from None
        kind = str(item.get("kind") or "").lower()
        if kind not in KINDS:
            raise WebhookInvalid(where + _("“kind” must be one of hard, soft or complaint."))
        for name in ("status", "detail", "message_id"):
            if item.get(name) is not None and not isinstance(item.get(name), str):
                raise WebhookInvalid(where + _("“%(name)s” must be text.") % {"name": name})
        cleaned.append(
            WebhookItem(
                email=address,
                kind=kind,
                status=str(item.get("status") or "")[:20],
                detail=str(item.get("detail") or "")[:500],
                message_id=str(item.get("message_id") or ""),
            )
        )
    return cleaned


@transaction.atomic
def record_webhook(*, network: Network, items: list[WebhookItem]) -> list[Bounce]:
    return [
        record_bounce(
            network=network,
            email=item.email,
            kind=item.kind,
            source="webhook",
            status_code=item.status,
            detail=item.detail,
            delivery=delivery_for(network, message_id=item.message_id, email=item.email),
        )
        for item in items
    ]
