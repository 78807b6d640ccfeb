"""The newsletter email: one multipart/alternative message (text and HTML) per recipient.

Composition is the hot path of sending (100,000 recipients at hundreds a second), so the templates
and the edition's Markdown are rendered ONCE per (newsletter, language) with placeholders in the
personal places (greeting, the subscriber's token in the preference and unsubscribe links, the
signed delivery id in the open pixel and the click links); each message is then a few plain string
replacements. The placeholders hold a random nonce, so no text a coordinator writes can hit one.

Tracking is off unless the network's mail settings turn it on: then the HTML carries a 1x1 open
pixel and its links go through a click redirect whose target is signed (never an open redirect);
the delivery is named by a signed id, not by its guessable primary key."""

from __future__ import annotations

import re
import secrets
from binascii import b2a_qp
from dataclasses import dataclass
from email.header import Header
from email.utils import formatdate, parseaddr
from html import unescape as html_unescape
from typing import Any

from django.core import signing
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.message import sanitize_address
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext as _

from netweave.lib.markdown import render_markdown
from netweave.outreach.common import (
    absolute_reverse,
    sender_for,
    settings_for,
)
from netweave.outreach.models import Delivery, Edition, Newsletter, OutreachSettings

DELIVERY_SALT = "netweave.outreach.delivery"
LINK_SALT = "netweave.outreach.link"

# Inline styles for the tags the Markdown sanitizer lets through: mail clients ignore <style>.
_FONT = "font-family:Helvetica,Arial,sans-serif;"
_TAG_STYLES = {
    "p": "margin:0 0 16px;line-height:1.5;",
    "h2": "margin:24px 0 12px;font-size:20px;line-height:1.3;",
    "h3": "margin:20px 0 10px;font-size:17px;line-height:1.3;",
    "h4": "margin:16px 0 8px;font-size:15px;",
    "ul": "margin:0 0 16px;padding-left:24px;",
    "ol": "margin:0 0 16px;padding-left:24px;",
    "li": "margin:0 0 6px;line-height:1.5;",
    "blockquote": "margin:0 0 16px;padding:0 0 0 12px;border-left:3px solid #cbd5e1;color:#475569;",
    "pre": "margin:0 0 16px;padding:12px;background:#f1f5f9;white-space:pre-wrap;",
    "table": "border-collapse:collapse;margin:0 0 16px;",
    "th": "border:1px solid #cbd5e1;padding:4px 8px;",
    "td": "border:1px solid #cbd5e1;padding:4px 8px;",
    "hr": "border:0;border-top:1px solid #e2e8f0;margin:24px 0;",
}
_TAG_RE = re.compile(r"<(" + "|".join(_TAG_STYLES) + r")(\s[^>]*)?>")
_HREF_RE = re.compile(r'<a href="(https?://[^"]+)"')


def delivery_token(delivery_id: int) -> str:
    """The signed id of a delivery, for the open pixel and click links."""
    return signing.Signer(salt=DELIVERY_SALT).sign(str(delivery_id))


def delivery_id_from(token: str) -> int | None:
    """The delivery id in `token`, or None when the signature does not match."""
    try:
        return int(signing.Signer(salt=DELIVERY_SALT).unsign(token))
    except (signing.BadSignature, ValueError):
        return None


def sign_link(url: str) -> str:
    """`url` signed, as one URL path segment (URL-safe base64 and a signature)."""
    return signing.dumps(url, salt=LINK_SALT, compress=True)


def link_from(signed: str) -> str | None:
    """The URL a click link was made for, or None when its signature does not match."""
    try:
        url = signing.loads(signed, salt=LINK_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(url, str) or not url.startswith(("http://", "https://")):
        return None
    return url


def _header(value: str) -> str:
    """A header value as 7-bit text: RFC 2047 words for anything else, folded when long."""
    value = " ".join(value.split())
    if value.isascii() and len(value) < 900:
        return value
    return Header(value, "utf-8", header_name="Subject").encode(linesep="\r\n")


def _quoted_printable(text: str) -> bytes:
    body = text.replace("\r\n", "\n").replace("\r", "\n").encode("utf-8")
    return b2a_qp(body, istext=True).replace(b"\n", b"\r\n")


def sender_domain(sender: str) -> str:
    address = parseaddr(sender)[1]
    return address.rpartition("@")[2].lower() or "localhost"


def new_message_id(newsletter: Newsletter, domain: str) -> str:
    """`<{uuid4 hex}.{newsletter pk}@{domain}>`, made when the Delivery row is made."""
    return f"<{secrets.token_hex(16)}.{newsletter.pk}@{domain}>"


def _style_tags(html: str) -> str:
    def styled(match: re.Match[str]) -> str:
        tag, attributes = match.group(1), match.group(2) or ""
        return f'<{tag}{attributes} style="{_TAG_STYLES[tag]}">'

    html = _TAG_RE.sub(styled, html)
    return html.replace("<a ", '<a style="color:#1d4ed8;text-decoration:underline;" ')


@dataclass
class _Copy:
    """One language's rendered copy, placeholders in the personal places."""

    language: str
    subject: str
    text: str
    html: str
    greeting_named: str  # "Hello %(name)s," in the language
    greeting_plain: str


class NewsletterComposer:
    """Composes every message of one newsletter; each language is rendered once, on first use."""

    def __init__(
        self,
        newsletter: Newsletter,
        *,
        mail_settings: OutreachSettings | None = None,
        editions: list[Edition] | None = None,
    ) -> None:
        self.newsletter = newsletter
        self.network = newsletter.network
        self.mailing_list = newsletter.mailing_list
        self.mail_settings = mail_settings or settings_for(self.network)
        self.editions = {e.language: e for e in (editions or list(newsletter.editions.all()))}
        self.sender = sender_for(self.network, self.mail_settings)
        self.domain = sender_domain(self.sender)
        nonce = secrets.token_hex(8)
        self._greeting = f"nw{nonce}greeting"
        self._subscriber = f"nw{nonce}subscriber"
        self._delivery = f"nw{nonce}delivery"
        self._copies: dict[tuple[str, bool], _Copy] = {}
        self._subjects: dict[str, str] = {}
        name = self.network.name.replace("\\", "").replace('"', "'")
        self.list_id = (
            f'"{name} {self.mailing_list.slug}" '
            f"<{self.mailing_list.slug}.{self.network.slug}.list-id.{self.domain}>"
        )
        self._preferences = absolute_reverse("outreach_public:preferences", self._subscriber)
        self._unsubscribe = absolute_reverse(
            "outreach_public:unsubscribe", self._subscriber, self.mailing_list.pk
        )
        if self.mail_settings.track_opens or self.mail_settings.track_clicks:
            self._pixel = absolute_reverse("outreach_public:open", self._delivery)
            self._click = absolute_reverse(
                "outreach_public:click", self._delivery, f"{self._greeting}link"
            )
        # The raw message's fixed parts (see message_bytes), encoded once.
        self.envelope_from = parseaddr(sanitize_address(self.sender, "utf-8"))[1]
        self._boundary = f"=_nw{nonce}"  # "=" never appears raw in quoted-printable bodies
        fixed = [
            f"From: {_header(self.sender)}",
            f"List-Id: {_header(self.list_id)}",
            "List-Unsubscribe-Post: List-Unsubscribe=One-Click",
            "Precedence: bulk",
        ]
        if self.mail_settings.reply_to:
            fixed.append(f"Reply-To: {_header(self.mail_settings.reply_to)}")
        fixed += [
            "MIME-Version: 1.0",
            f'Content-Type: multipart/alternative; boundary="{self._boundary}"',
        ]
        self._fixed_headers = "\r\n".join(fixed)

    def edition_for(self, language: str) -> Edition:
        """The edition in `language`, else the default edition, else any."""
        found = self.editions.get(language) or self.editions.get(self.newsletter.default_language)
        if found is None:
            if not self.editions:
                raise Edition.DoesNotExist(f"issue #{self.newsletter.number} has no edition")
            found = next(iter(self.editions.values()))
        return found

    def copy(self, language: str, *, personal: bool = True) -> _Copy:
        edition = self.edition_for(language)
        key = (edition.language, personal)
        if key not in self._copies:
            self._copies[key] = self._render(edition, personal=personal)
        return self._copies[key]

    def _render(self, edition: Edition, *, personal: bool) -> _Copy:
        tracking = personal and (self.mail_settings.track_opens or self.mail_settings.track_clicks)
        body_html = str(render_markdown(edition.body))
        if personal and self.mail_settings.track_clicks:
            click, link_slot = self._click, f"{self._greeting}link"

            def tracked(match: re.Match[str]) -> str:
                target = html_unescape(match.group(1))  # the href is HTML-escaped (&amp;)
                return f'<a href="{click.replace(link_slot, sign_link(target))}"'

            body_html = _HREF_RE.sub(tracked, body_html)
        body_html = _style_tags(body_html)
        with translation.override(edition.language):
            context: dict[str, Any] = {
                "network": self.network,
                "network_url": absolute_reverse("networks:home", self.network.slug),
                "mailing_list": self.mailing_list,
                "newsletter": self.newsletter,
                "edition": edition,
                "body_html": body_html,
                "body_text": edition.body.strip(),
                "greeting": self._greeting,
                "preferences_url": self._preferences if personal else "",
                "unsubscribe_url": self._unsubscribe if personal else "",
                "pixel_url": self._pixel if tracking and self.mail_settings.track_opens else "",
                "postal_address": self.mail_settings.postal_address,
                "font": _FONT,
                "language": edition.language,
            }
            html = render_to_string("outreach/email/newsletter.html", context)
            text = render_to_string("outreach/email/newsletter.txt", context)
            greeting_named = _("Hello %(name)s,")
            greeting_plain = _("Hello,")
        return _Copy(
            language=edition.language,
            subject=edition.subject,
            text=text,
            html=html,
            greeting_named=greeting_named,
            greeting_plain=greeting_plain,
        )

    def bodies(
        self, *, language: str, name: str, subscriber_token: str | None, delivery_id: int | None
    ) -> tuple[str, str, str]:
        """(subject, text, html) of one message; without a subscriber token, a generic copy."""
        personal = subscriber_token is not None
        copy = self.copy(language, personal=personal)
        name = " ".join(name.split())
        greeting = copy.greeting_named % {"name": name} if name else copy.greeting_plain
        text = copy.text.replace(self._greeting, greeting)
        html = copy.html.replace(self._greeting, escape(greeting))
        if personal:
            text = text.replace(self._subscriber, str(subscriber_token))
            html = html.replace(self._subscriber, str(subscriber_token))
            if delivery_id is not None and self._delivery in html:
                html = html.replace(self._delivery, delivery_token(delivery_id))
        return copy.subject, text, html

    def unsubscribe_url(self, subscriber_token: str) -> str:
        return self._unsubscribe.replace(self._subscriber, subscriber_token)

    def message(
        self,
        *,
        email: str,
        language: str,
        name: str,
        subscriber_token: str,
        delivery_id: int | None,
        message_id: str,
        connection: Any = None,
    ) -> EmailMultiAlternatives:
        subject, text, html = self.bodies(
            language=language,
            name=name,
            subscriber_token=subscriber_token,
            delivery_id=delivery_id,
        )
        headers = {
            "Message-ID": message_id,
            "List-Id": self.list_id,
            "List-Unsubscribe": f"<{self.unsubscribe_url(subscriber_token)}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Precedence": "bulk",
        }
        message = EmailMultiAlternatives(
            subject=subject,
            body=text,
            from_email=self.sender,
            to=[email],
            reply_to=[self.mail_settings.reply_to] if self.mail_settings.reply_to else None,
            headers=headers,
            connection=connection,
        )
        message.attach_alternative(html, "text/html")
        return message

    def message_bytes(
        self,
        *,
        email: str,
        language: str,
        name: str,
        subscriber_token: str,
        delivery_id: int | None,
        message_id: str,
    ) -> bytes:
        """The same message as `message()`, as the bytes SMTP carries (CRLF line ends), built
        without the email package: its header folding costs a millisecond a message."""
        subject, text, html = self.bodies(
            language=language,
            name=name,
            subscriber_token=subscriber_token,
            delivery_id=delivery_id,
        )
        subject_header = self._subjects.get(subject)
        if subject_header is None:
            subject_header = self._subjects[subject] = _header(subject)
        boundary = self._boundary
        head = (
            f"Subject: {subject_header}\r\n{self._fixed_headers}\r\n"
            f"To: {email if email.isascii() else sanitize_address(email, 'utf-8')}\r\n"
            f"Date: {formatdate()}\r\n"
            f"Message-ID: {message_id}\r\n"
            f"List-Unsubscribe: <{self.unsubscribe_url(subscriber_token)}>\r\n"
            f"\r\n--{boundary}\r\n"
            'Content-Type: text/plain; charset="utf-8"\r\n'
            "Content-Transfer-Encoding: quoted-printable\r\n\r\n"
        )
        middle = (
            f"\r\n--{boundary}\r\n"
            'Content-Type: text/html; charset="utf-8"\r\n'
            "Content-Transfer-Encoding: quoted-printable\r\n\r\n"
        )
        return b"".join(
            (
                head.encode("ascii"),
                _quoted_printable(text),
                middle.encode("ascii"),
                _quoted_printable(html),
                f"\r\n--{boundary}--\r\n".encode("ascii"),
            )
        )

    @staticmethod
    def _personal(delivery: Delivery) -> dict[str, Any]:
        """What `message` and `message_bytes` take of one delivery and its subscriber."""
        subscriber = delivery.subscriber
        return {
            "email": delivery.email,
            "language": delivery.language,
            "name": subscriber.name if subscriber else "",
            "subscriber_token": subscriber.token if subscriber else "",
            "delivery_id": delivery.pk,
            "message_id": delivery.message_id,
        }

    def for_delivery(self, delivery: Delivery, *, connection: Any = None) -> EmailMultiAlternatives:
        return self.message(**self._personal(delivery), connection=connection)

    def bytes_for_delivery(self, delivery: Delivery) -> bytes:
        """`message_bytes` of one delivery (the sender's hot path)."""
        return self.message_bytes(**self._personal(delivery))


def build_newsletter_message(
    delivery: Delivery,
    edition: Edition,
    *,
    mail_settings: OutreachSettings | None = None,
    connection: Any = None,
) -> EmailMultiAlternatives:
    """The message of one delivery in `edition` (for sending many, use NewsletterComposer)."""
    composer = NewsletterComposer(
        edition.newsletter, mail_settings=mail_settings, editions=[edition]
    )
    return composer.for_delivery(delivery, connection=connection)


def render_edition_html(edition: Edition, *, delivery: Delivery | None = None) -> str:
    """The HTML body of `edition` for `delivery`, or a generic copy (no personal links)."""
    return _render_edition(edition, delivery)[1]


def render_edition_text(edition: Edition, *, delivery: Delivery | None = None) -> str:
    return _render_edition(edition, delivery)[0]


def _render_edition(edition: Edition, delivery: Delivery | None) -> tuple[str, str]:
    composer = NewsletterComposer(edition.newsletter, editions=[edition])
    subscriber = delivery.subscriber if delivery is not None else None
    _subject, text, html = composer.bodies(
        language=edition.language,
        name=subscriber.name if subscriber else "",
        subscriber_token=subscriber.token if subscriber else None,
        delivery_id=delivery.pk if delivery is not None else None,
    )
    return text, html


def send_test(edition: Edition, emails: list[str]) -> int:
    """Send the generic copy of `edition` to `emails` (subject "[Test] ..."); no Delivery rows."""
    composer = NewsletterComposer(edition.newsletter, editions=[edition])
    subject, text, html = composer.bodies(
        language=edition.language, name="", subscriber_token=None, delivery_id=None
    )
    with translation.override(edition.language):
        prefix = _("[Test]")
    messages = []
    for address in emails:
        message = EmailMultiAlternatives(
            subject=f"{prefix} {subject}",
            body=text,
            from_email=composer.sender,
            to=[address],
            reply_to=[composer.mail_settings.reply_to] if composer.mail_settings.reply_to else None,
            headers={"List-Id": composer.list_id},
        )
        message.attach_alternative(html, "text/html")
        messages.append(message)
    if not messages:
        return 0
    return int(get_connection().send_messages(messages) or 0)


__all__ = [
    "NewsletterComposer",
    "build_newsletter_message",
    "delivery_id_from",
    "delivery_token",
    "link_from",
    "render_edition_html",
    "render_edition_text",
    "send_test",
    "sign_link",
]
