"""Sending an issue: one Delivery row per recipient, and a sender that delivers each exactly once.

Recipients
    `start_sending` makes every Delivery row up front (bulk, in chunks, ignoring conflicts, so a
    second call adds nobody twice): the list's active subscribers, less those whose frequency
    (monthly: 28 days, quarterly: 85 days) says they had an issue too recently.

Leases
    A sender claims a batch of QUEUED rows with an UPDATE that only matches rows whose lease is
    empty or expired (`claimed_by` = "<host>:<pid>:<random>", `claimed_until` = now + lease,
    NETWEAVE_DELIVERY_LEASE_SECONDS, default 120). The UPDATE re-checks the lease on the row it
    writes (SQLite serializes writers; PostgreSQL re-evaluates the WHERE on the newest row version),
    so two senders never hold the same row. A lease held by a process of this host that no longer
    exists (a killed worker) is taken at once instead of waiting for it to expire; "this host" is
    `host_id()` (the host name with a digest of the boot and the PID namespace), so a live sender
    on another machine or container is never taken for a dead one. Even a wrong takeover could not
    send twice: the commit below only marks rows still held by the committing worker.

Exactly once, even through SIGKILL
    The message is sent at the SMTP protocol level: MAIL, RCPT, DATA (354), then the dot-stuffed
    message WITHOUT the terminating "<CRLF>.<CRLF>". Only then is the row committed as SENT (its own
    autocommit UPDATE ... WHERE pk AND status=queued AND claimed_by=me), and only after the commit
    is the terminator sent and the reply read.
    - Killed before the commit: the server holds an unterminated transaction, which it discards
      when the connection drops (RFC 5321 4.1.1.4: nothing is delivered without the final dot).
      The row is still QUEUED and is sent after the restart.
    - Killed after `send()` of the terminator: the bytes are in the kernel's send buffer, which
      the kernel still delivers (and then closes the connection) after the process is gone.
    - The only window is the microseconds between the commit returning and the terminator's
      `send()` system call: a kill exactly there leaves a row marked SENT whose message the server
      discards (at most once, never twice). A lost commit (the UPDATE matched nothing: the lease
      was lost to another sender) drops the connection instead of sending the terminator.
    Messages go out in groups, one per connection (NETWEAVE_DELIVERY_CONNECTIONS, default 8):
    every envelope (MAIL, RCPT, DATA pipelined where the server offers RFC 2920 PIPELINING), every
    unterminated message, then ONE commit for the group (UPDATE ... RETURNING the rows still held),
    then the terminators of exactly those rows. The round trips and the commit's WAL flush are
    shared by the group; the window is then the few microseconds it takes to write the group's
    terminators (a handful of `sendall` calls of five bytes each).
    With a non-SMTP email backend (console, locmem in tests) each message is handed to the backend
    and then marked SENT: at least once, which is all such a backend can offer.

Replies
    A 5xx to MAIL/RCPT/DATA or to the final dot marks the row FAILED with the reply; a 4xx puts it
    back in the queue with attempts+1 (FAILED after 3 attempts). A recipient suppressed or
    unsubscribed between creation and sending is SKIPPED. When nothing is QUEUED any more the issue
    becomes SENT with `finished_at`.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import secrets
import smtplib
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.utils import parseaddr
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.mail import get_connection
from django.core.mail.backends.smtp import EmailBackend as SmtpBackend
from django.core.mail.message import sanitize_address
from django.db import connection, transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from netweave.outreach.common import OutreachError, sender_for, settings_for
from netweave.outreach.mail import NewsletterComposer, new_message_id, sender_domain
from netweave.outreach.models import Delivery, Newsletter, Subscriber
from netweave.outreach.selectors import active_subscribers

MAX_ATTEMPTS = 3
CREATE_CHUNK = 2000
FREQUENCY_DAYS = {Subscriber.Frequency.MONTHLY: 28, Subscriber.Frequency.QUARTERLY: 85}
UNSENT = (Newsletter.Status.DRAFT, Newsletter.Status.SCHEDULED, Newsletter.Status.CANCELLED)

Progress = Callable[["DeliveryCounts", int], None]


@dataclass
class DeliveryCounts:
    """What one `send_pending` run did."""

    sent: int = 0
    failed: int = 0
    skipped: int = 0
    requeued: int = 0
    lost: int = 0  # rows whose lease another sender took: not sent by this run
    started: float = field(default_factory=time.monotonic)

    @property
    def done(self) -> int:
        return self.sent + self.failed + self.skipped

    @property
    def elapsed(self) -> float:
        return time.monotonic() - self.started

    @property
    def rate(self) -> float:
        return self.sent / self.elapsed if self.elapsed > 0 else 0.0


def lease_seconds() -> int:
    return int(getattr(settings, "NETWEAVE_DELIVERY_LEASE_SECONDS", 120))


def host_id() -> str:
    """This host, as worker ids name it: the host name (shortened) and a digest of the whole
    name, the boot and the PID namespace. Two machines (or containers) whose names share a prefix,
    or two containers with the same name on one machine, get different ids, so a sender never
    takes a process of another host for a dead one of its own."""
    parts = [socket.gethostname()]
    for source in ("/proc/sys/kernel/random/boot_id", "/etc/machine-id"):
        with contextlib.suppress(OSError):
            parts.append(Path(source).read_text().strip())
    with contextlib.suppress(OSError):
        parts.append(str(os.stat("/proc/self/ns/pid").st_ino))
    digest = hashlib.sha256("\n".join(parts).encode()).hexdigest()[:12]
    name = re.sub(r"[^A-Za-z0-9.-]", "-", socket.gethostname())[:40]
    return f"{name}~{digest}"


def new_worker_id() -> str:
    return f"{host_id()}:{os.getpid()}:{secrets.token_hex(4)}"


# --- creating the deliveries -------------------------------------------------------------------


def recipients_for(newsletter: Newsletter, *, now: datetime | None = None) -> Any:
    """The subscribers an issue goes to: active on its list, and due by their frequency."""
    now = now or timezone.now()
    recipients = active_subscribers(newsletter.mailing_list)
    for frequency, days in FREQUENCY_DAYS.items():
        recent = Delivery.objects.filter(
            subscriber=OuterRef("pk"),
            status=Delivery.Status.SENT,
            sent_at__gte=now - timedelta(days=days),
        ).exclude(newsletter_id=newsletter.pk)
        recipients = recipients.filter(~(Q(frequency=frequency) & Exists(recent)))
    return recipients


def _language_picker(newsletter: Newsletter, languages: set[str]) -> Callable[[str], str]:
    default = newsletter.default_language if newsletter.default_language in languages else ""
    default = default or sorted(languages)[0]

    def pick(wanted: str) -> str:
        wanted = (wanted or "").lower()
        if wanted in languages:
            return wanted
        if wanted[:2] in languages:
            return wanted[:2]
        return default

    return pick


def start_sending(
    newsletter: Newsletter,
    *,
    at: datetime | None = None,
    by: Any = None,
    enqueue: bool = True,
) -> int:
    """Make a Delivery for every recipient and start (or schedule) the sending; returns how many
    deliveries were made. OutreachError when the issue is already sent or sending, or has no
    edition. `enqueue=False` leaves the sending to the caller (the CLI sends in its process)."""
    now = timezone.now()
    with transaction.atomic():
        locked = (
            Newsletter.objects.select_for_update(of=("self",))
            .select_related("network", "mailing_list")
            .get(pk=newsletter.pk)
        )
        if locked.status in (Newsletter.Status.SENDING, Newsletter.Status.SENT):
            raise OutreachError(
                f"Issue #{locked.number} is already {locked.get_status_display().lower()}."
            )
        languages = set(locked.editions.values_list("language", flat=True))
        if not languages:
            raise OutreachError(
                f"Issue #{locked.number} has no edition yet: write one before sending it."
            )
        pick = _language_picker(locked, languages)
        domain = sender_domain(sender_for(locked.network))
        before = Delivery.objects.filter(newsletter=locked).count()
        rows = recipients_for(locked, now=now).order_by("pk").values_list("pk", "email", "language")
        chunk: list[Delivery] = []
        for subscriber_id, email, language in rows.iterator(chunk_size=CREATE_CHUNK):
            chunk.append(
                Delivery(
                    network_id=locked.network_id,
                    newsletter_id=locked.pk,
                    subscriber_id=subscriber_id,
                    email=email,
                    language=pick(language),
                    message_id=new_message_id(locked, domain),
                )
            )
            if len(chunk) >= CREATE_CHUNK:
                Delivery.objects.bulk_create(chunk, ignore_conflicts=True)
                chunk = []
        if chunk:
            Delivery.objects.bulk_create(chunk, ignore_conflicts=True)
        made = Delivery.objects.filter(newsletter=locked).count() - before
        scheduled = at is not None and at > now
        locked.status = Newsletter.Status.SCHEDULED if scheduled else Newsletter.Status.SENDING
        locked.scheduled_at = at if scheduled else None
        locked.started_at = None if scheduled else now
        locked.save(update_fields=["status", "scheduled_at", "started_at", "updated_at"])
        newsletter.status, newsletter.scheduled_at = locked.status, locked.scheduled_at
        newsletter.started_at = locked.started_at
        if enqueue:
            pk, when = locked.pk, (at if scheduled else None)
            transaction.on_commit(lambda: enqueue_delivery(pk, run_after=when))
    return made


def enqueue_delivery(newsletter_id: int, *, run_after: datetime | None = None) -> bool:
    """Hand the sending to the task worker (deferred when the backend can; otherwise
    `outreach_tick` starts a scheduled issue when it is due)."""
    from netweave.outreach.tasks import deliver_newsletter

    if run_after is None:
        deliver_newsletter.enqueue(newsletter_id)
        return True
    if not getattr(deliver_newsletter.get_backend(), "supports_defer", False):
        return False
    deliver_newsletter.using(run_after=run_after).enqueue(newsletter_id)
    return True


def cancel_scheduled(newsletter: Newsletter) -> None:
    """Take a scheduled issue back to a draft; its unsent deliveries are removed (the recipients
    are chosen again when it is next sent)."""
    with transaction.atomic():
        locked = Newsletter.objects.select_for_update().get(pk=newsletter.pk)
        if locked.status != Newsletter.Status.SCHEDULED:
            raise OutreachError(f"Issue #{locked.number} is not scheduled.")
        Delivery.objects.filter(newsletter=locked, status=Delivery.Status.QUEUED).delete()
        locked.status = Newsletter.Status.DRAFT
        locked.scheduled_at = None
        locked.save(update_fields=["status", "scheduled_at", "updated_at"])
    newsletter.status, newsletter.scheduled_at = locked.status, None


# --- leases ------------------------------------------------------------------------------------


def _pid_is_gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    try:  # a killed child its parent has not reaped yet is a zombie: gone as well
        status = Path(f"/proc/{pid}/stat").read_text()
        return status.rsplit(")", 1)[1].split()[0] == "Z"
    except (OSError, IndexError):
        return False


def dead_claimers(newsletter_id: int, *, now: datetime | None = None) -> list[str]:
    """Senders of this host holding unexpired leases whose process no longer exists."""
    now = now or timezone.now()
    host, me = host_id(), os.getpid()
    holders = (
        Delivery.objects.filter(
            newsletter_id=newsletter_id,
            status=Delivery.Status.QUEUED,
            claimed_until__gte=now,
        )
        .exclude(claimed_by="")
        .values_list("claimed_by", flat=True)
        .distinct()
    )
    dead = []
    for holder in holders:
        parts = holder.rsplit(":", 2)
        if len(parts) != 3 or parts[0] != host or not parts[1].isdigit():
            continue
        pid = int(parts[1])
        if pid != me and _pid_is_gone(pid):
            dead.append(holder)
    return dead


def _claimable(now: datetime, dead: list[str]) -> Q:
    free = Q(claimed_until__isnull=True) | Q(claimed_until__lt=now)
    return free | Q(claimed_by__in=dead) if dead else free


def claim_candidates(newsletter_id: int, size: int, *, dead: list[str] | None = None) -> list[int]:
    """Ids of up to `size` QUEUED rows nobody holds (step one of a claim)."""
    now = timezone.now()
    return list(
        Delivery.objects.filter(newsletter_id=newsletter_id, status=Delivery.Status.QUEUED)
        .filter(_claimable(now, dead or []))
        .order_by("pk")
        .values_list("pk", flat=True)[:size]
    )


def claim_rows(ids: list[int], worker: str, *, dead: list[str] | None = None) -> list[int]:
    """Step two: take those of `ids` that are still free; returns the ids this worker now holds.
    The UPDATE re-checks the lease, so of two workers racing for a row only one gets it."""
    if not ids:
        return []
    now = timezone.now()
    Delivery.objects.filter(pk__in=ids, status=Delivery.Status.QUEUED).filter(
        _claimable(now, dead or [])
    ).update(claimed_by=worker, claimed_until=now + timedelta(seconds=lease_seconds()))
    return list(
        Delivery.objects.filter(
            pk__in=ids, claimed_by=worker, status=Delivery.Status.QUEUED
        ).values_list("pk", flat=True)
    )


def claim_batch(newsletter_id: int, worker: str, size: int) -> list[int]:
    dead = dead_claimers(newsletter_id)
    return claim_rows(claim_candidates(newsletter_id, size, dead=dead), worker, dead=dead)


def release(newsletter_id: int, worker: str) -> int:
    """Give back the rows this worker holds but did not finish."""
    return Delivery.objects.filter(
        newsletter_id=newsletter_id, claimed_by=worker, status=Delivery.Status.QUEUED
    ).update(claimed_by="", claimed_until=None)


# --- sending -----------------------------------------------------------------------------------


class TokenBucket:
    """At most `rate` messages a second on average (0: no limit), sleeping when ahead."""

    def __init__(self, rate: int) -> None:
        self.rate = rate
        self.tokens = float(max(rate, 1))
        self.last = time.monotonic()

    def take(self) -> None:
        if self.rate <= 0:
            return
        now = time.monotonic()
        self.tokens = min(float(self.rate), self.tokens + (now - self.last) * self.rate)
        self.last = now
        if self.tokens < 1:
            time.sleep((1 - self.tokens) / self.rate)
            self.tokens = 1.0
            self.last = time.monotonic()
        self.tokens -= 1


_DOT_RE = re.compile(rb"(?m)^\.")


def _commit_sql(count: int, *, returning: bool) -> str:
    """Mark `count` rows SENT if this worker still holds them (each still QUEUED)."""
    q = connection.ops.quote_name
    table = q(Delivery._meta.db_table)
    ids = ", ".join(["%s"] * count)
    # Only quoted identifiers are formatted in; every value is a query parameter.
    return (
        f"UPDATE {table} SET {q('status')} = %s, {q('sent_at')} = %s, "  # noqa: S608
        f"{q('claimed_by')} = '', {q('claimed_until')} = NULL, "
        f"{q('attempts')} = {q('attempts')} + 1, {q('error')} = '' "
        f"WHERE {q('id')} IN ({ids}) AND {q('status')} = 'queued' AND {q('claimed_by')} = %s"
        + (f" RETURNING {q('id')}" if returning else "")
    )


def _can_return() -> bool:
    if connection.vendor == "postgresql":
        return True
    database = getattr(connection, "Database", None)
    version = getattr(database, "sqlite_version_info", (0,))
    return connection.vendor == "sqlite" and tuple(version) >= (3, 35)


_EOL_RE = re.compile(rb"\r\n|\n|\r")
TERMINATOR = b"\r\n.\r\n"


class _Rejected(Exception):
    def __init__(self, code: int, reply: bytes | str) -> None:
        text = reply.decode("utf-8", "replace") if isinstance(reply, bytes) else reply
        super().__init__(f"{code} {text}"[:490])
        self.code = code


@dataclass
class Outgoing:
    """One message on its way: the envelope, the bytes, and the row it is for."""

    sender: str
    recipient: str
    data: bytes
    delivery_id: int
    slot: int = 0
    result: tuple[str, str] | None = None


def connection_count() -> int:
    return max(1, int(getattr(settings, "NETWEAVE_DELIVERY_CONNECTIONS", 8)))


class _Sender:
    """A few mail connections reused across batches, with the exactly-once protocol for SMTP.

    A group of messages (one per connection) goes out together: every envelope, then every
    message without its terminating dot, then ONE commit marking the group's rows SENT, then the
    terminators. The commit's cost (a WAL flush on PostgreSQL) and the round trips are shared by
    the group; each row is still committed before its own terminator leaves."""

    def __init__(self, worker: str, *, width: int | None = None) -> None:
        self.worker = worker
        self.backends = [get_connection() for _ in range(width or connection_count())]
        self.backend = self.backends[0]
        self.smtp_mode = isinstance(self.backend, SmtpBackend)
        self.width = len(self.backends) if self.smtp_mode else 1

    def smtp(self, slot: int = 0) -> smtplib.SMTP:
        backend = self.backends[slot]
        if backend.connection is None:
            backend.open()
            # The terminator is a small write after a large one: without TCP_NODELAY, Nagle's
            # algorithm holds it until the server's delayed ACK (40 ms a message).
            sock = getattr(backend.connection, "sock", None)
            if sock is not None:
                with contextlib.suppress(OSError):
                    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            if backend.connection is not None:
                backend.connection.ehlo_or_helo_if_needed()
        return backend.connection  # type: ignore[no-any-return]

    def drop(self, slot: int = 0) -> None:
        """Close the socket without QUIT (a QUIT inside DATA would be message text)."""
        backend = self.backends[slot]
        smtp, backend.connection = backend.connection, None
        if smtp is not None:
            with contextlib.suppress(OSError):
                smtp.close()

    def close(self) -> None:
        for slot, backend in enumerate(self.backends):
            try:
                backend.close()
            except (OSError, smtplib.SMTPException):
                self.drop(slot)

    def send(self, message: Any, delivery_id: int) -> tuple[str, str]:
        """Send one Django message; returns (the row's new status, error text)."""
        if not self.smtp_mode:
            self.backend.send_messages([message])
            return (Delivery.Status.SENT if self._commit([delivery_id])[0] else "lost"), ""
        encoding = message.encoding or settings.DEFAULT_CHARSET
        sender = parseaddr(sanitize_address(message.from_email, encoding))[1]
        data = message.message().as_bytes(linesep="\r\n")
        return self.send_bytes(sender, message.to[0], data, delivery_id)

    def send_bytes(
        self, sender: str, recipient: str, data: bytes, delivery_id: int
    ) -> tuple[str, str]:
        """Send one message given as bytes (see `send_group`)."""
        outgoing = Outgoing(sender, recipient, data, delivery_id)
        self.send_group([outgoing])
        assert outgoing.result is not None
        return outgoing.result

    def send_group(self, group: list[Outgoing]) -> None:
        """Send up to `width` messages, one per connection; sets each one's `result`."""
        pending = []
        for slot, outgoing in enumerate(group):
            outgoing.slot = slot
            if not outgoing.recipient.isascii():
                try:
                    outgoing.recipient = parseaddr(sanitize_address(outgoing.recipient, "utf-8"))[1]
                except (ValueError, UnicodeError) as error:  # an address no server can take
                    error_text = f"cannot send to this address: {error}"
                    outgoing.result = (_fail(outgoing.delivery_id, self.worker, error_text), "")
                    continue
            data = _EOL_RE.sub(b"\r\n", outgoing.data)
            outgoing.data = _DOT_RE.sub(b"..", data).rstrip(b"\r\n")
            pending.append(outgoing)
        if not pending:
            return
        for attempt in (1, 2):
            broken = self._deliver(pending)
            if not broken:
                return
            if attempt == 2:  # twice no connection: give the rows back, stop this run
                raise smtplib.SMTPServerDisconnected("the mail server keeps closing the connection")
            pending = broken

    def _deliver(self, group: list[Outgoing]) -> list[Outgoing]:
        """One try; returns the messages whose connection broke before their commit (nothing
        was delivered for them, so they may be tried again on a new connection)."""
        broken: list[Outgoing] = []

        def lost_connection(outgoing: Outgoing) -> None:
            self.drop(outgoing.slot)
            broken.append(outgoing)

        # 1. The envelopes: MAIL, RCPT and DATA, in one write where the server pipelines.
        started = []
        for outgoing in group:
            try:
                self._send_envelope(outgoing)
                started.append(outgoing)
            except (smtplib.SMTPServerDisconnected, OSError):
                lost_connection(outgoing)
        # 2. Their replies, then each message without its terminator.
        ready = []
        for outgoing in started:
            smtp = self.smtp(outgoing.slot)
            try:
                self._read_envelope(outgoing)
                smtp.send(outgoing.data)
                ready.append(outgoing)
            except _Rejected as rejected:
                try:
                    smtp.rset()
                except (smtplib.SMTPException, OSError):
                    self.drop(outgoing.slot)
                outgoing.result = self._refused(outgoing.delivery_id, rejected, sent=False)
            except (smtplib.SMTPServerDisconnected, OSError):
                lost_connection(outgoing)
        if not ready:
            return broken
        # 3. One commit for the group, and at once the terminators of the rows it marked.
        sockets = {o.delivery_id: self.smtp(o.slot).sock for o in ready}
        committed, unterminated = self._commit([o.delivery_id for o in ready], terminate=sockets)
        # 4. The final replies.
        for outgoing in ready:
            if outgoing.delivery_id not in committed:
                self.drop(outgoing.slot)  # the lease was lost: no terminator, nothing delivered
                outgoing.result = ("lost", "")
                continue
            if outgoing.delivery_id in unterminated:
                # The connection broke before the whole terminator was written: the server
                # discards the message, so the row goes back to the queue.
                self.drop(outgoing.slot)
                refusal = _Rejected(421, "the connection broke before the end of the message")
                outgoing.result = self._refused(outgoing.delivery_id, refusal, sent=True)
                continue
            try:
                code, reply = self.smtp(outgoing.slot).getreply()
            except (smtplib.SMTPServerDisconnected, OSError) as error:
                self.drop(outgoing.slot)  # the dot may have arrived: sent, rather than twice
                Delivery.objects.filter(pk=outgoing.delivery_id).update(
                    error=f"no reply after DATA: {error}"[:490]
                )
                outgoing.result = (Delivery.Status.SENT, "")
                continue
            if not 200 <= code < 300:
                outgoing.result = self._refused(
                    outgoing.delivery_id, _Rejected(code, reply), sent=True
                )
            else:
                outgoing.result = (Delivery.Status.SENT, "")
        return broken

    def _send_envelope(self, outgoing: Outgoing) -> None:
        smtp = self.smtp(outgoing.slot)
        if smtp.has_extn("pipelining"):
            smtp.send(
                f"MAIL FROM:<{outgoing.sender}>\r\nRCPT TO:<{outgoing.recipient}>\r\nDATA\r\n"
            )

    def _read_envelope(self, outgoing: Outgoing) -> None:
        smtp = self.smtp(outgoing.slot)
        if not smtp.has_extn("pipelining"):  # one command at a time
            code, reply = smtp.mail(outgoing.sender)
            if code != 250:
                raise _Rejected(code, reply)
            code, reply = smtp.rcpt(outgoing.recipient)
            if code not in (250, 251):
                raise _Rejected(code, reply)
            smtp.putcmd("data")
            code, reply = smtp.getreply()
            if code != 354:
                raise _Rejected(code, reply)
            return
        replies = [smtp.getreply() for _ in range(3)]
        (mail_code, _m), (rcpt_code, _r), (data_code, _d) = replies
        accepted = mail_code == 250 and rcpt_code in (250, 251)
        if data_code == 354 and not accepted:  # a server that took DATA anyway: end it empty
            smtp.send(b".\r\n")
            smtp.getreply()
        for (code, reply), good in zip(replies, ((250,), (250, 251), (354,)), strict=True):
            if code not in good:
                raise _Rejected(code, reply)

    def _commit(
        self, delivery_ids: list[int], *, terminate: dict[int, Any] | None = None
    ) -> tuple[set[int], set[int]]:
        """Mark the rows SENT in one autocommit UPDATE (those this worker still holds); then, for
        each row it marked, send the DATA terminator on its socket in `terminate` at once.
        Returns the rows marked, and those of them whose terminator could not be written (a
        broken connection must not keep the other rows' terminators from leaving)."""
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        returning = _can_return()
        sql = _commit_sql(len(delivery_ids), returning=returning)
        with connection.cursor() as cursor:
            if returning:
                cursor.execute(sql, ["sent", now, *delivery_ids, self.worker])
                committed = {int(row[0]) for row in cursor.fetchall()}
            else:  # an old SQLite: one row at a time, each its own commit
                committed = set()
                one = _commit_sql(1, returning=False)
                for delivery_id in delivery_ids:
                    cursor.execute(one, ["sent", now, delivery_id, self.worker])
                    if cursor.rowcount == 1:
                        committed.add(delivery_id)
            unterminated = set()
            for delivery_id in committed:
                sock = (terminate or {}).get(delivery_id)
                if sock is not None:
                    try:
                        sock.sendall(TERMINATOR)
                    except OSError:
                        unterminated.add(delivery_id)
        return committed, unterminated

    def _refused(self, delivery_id: int, rejected: _Rejected, *, sent: bool) -> tuple[str, str]:
        row = Delivery.objects.filter(pk=delivery_id)
        if not sent:
            row = row.filter(status=Delivery.Status.QUEUED, claimed_by=self.worker)
        attempts = (row.values_list("attempts", flat=True).first() or 0) + (0 if sent else 1)
        temporary = 400 <= rejected.code < 500 and attempts < MAX_ATTEMPTS
        status = Delivery.Status.QUEUED if temporary else Delivery.Status.FAILED
        row.update(
            status=status,
            attempts=attempts,
            error=str(rejected),
            sent_at=None,
            claimed_by="",
            claimed_until=None,
        )
        if temporary and sent:
            # The row was SENT for a moment: another sender may have found nothing queued and
            # finished the issue meanwhile. It is sending again, so the row is not forgotten.
            now = timezone.now()
            Newsletter.objects.filter(
                deliveries__pk=delivery_id, status=Newsletter.Status.SENT
            ).update(status=Newsletter.Status.SENDING, finished_at=None, updated_at=now)
        return ("requeued" if temporary else status), str(rejected)


def send_pending(newsletter_id: int, *, progress: Progress | None = None) -> DeliveryCounts:
    """Send every QUEUED delivery of the issue this process can claim (the loop the task and the
    CLI run). Idempotent: a second run sends nothing twice; a scheduled issue not yet due and a
    draft or cancelled issue are left alone."""
    counts = DeliveryCounts()
    newsletter = (
        Newsletter.objects.select_related("network", "mailing_list")
        .filter(pk=newsletter_id)
        .first()
    )
    if newsletter is None:
        return counts
    now = timezone.now()
    if newsletter.status == Newsletter.Status.SCHEDULED:
        if newsletter.scheduled_at is not None and newsletter.scheduled_at > now:
            return counts
        Newsletter.objects.filter(pk=newsletter.pk, status=Newsletter.Status.SCHEDULED).update(
            status=Newsletter.Status.SENDING, started_at=now, updated_at=now
        )
        newsletter.status = Newsletter.Status.SENDING
    if newsletter.status != Newsletter.Status.SENDING:
        return counts
    mail_settings = settings_for(newsletter.network)
    composer = NewsletterComposer(newsletter, mail_settings=mail_settings)
    total = Delivery.objects.filter(
        newsletter_id=newsletter.pk, status=Delivery.Status.QUEUED
    ).count()
    batch_size = max(1, mail_settings.batch_size)
    if mail_settings.rate_per_second:  # a batch must finish well inside its lease
        batch_size = max(1, min(batch_size, mail_settings.rate_per_second * lease_seconds() // 2))
    bucket = TokenBucket(mail_settings.rate_per_second)
    worker = new_worker_id()
    sender = _Sender(worker)
    try:
        while True:
            ids = claim_batch(newsletter.pk, worker, batch_size)
            if not ids:
                break
            _send_batch(newsletter, composer, sender, bucket, ids, counts)
            if progress is not None:
                progress(counts, total)
    finally:
        release(newsletter.pk, worker)
        sender.close()
    finish_if_done(newsletter.pk)
    return counts


def _send_batch(
    newsletter: Newsletter,
    composer: NewsletterComposer,
    sender: _Sender,
    bucket: TokenBucket,
    ids: list[int],
    counts: DeliveryCounts,
) -> None:
    rows = list(
        Delivery.objects.filter(pk__in=ids, claimed_by=sender.worker)
        .select_related("subscriber")
        .only(
            "pk",
            "email",
            "language",
            "message_id",
            "subscriber__id",
            "subscriber__name",
            "subscriber__token",
        )
        .order_by("pk")
    )
    subscriber_ids = {row.subscriber_id for row in rows if row.subscriber_id}
    active = set(
        active_subscribers(newsletter.mailing_list)
        .filter(pk__in=subscriber_ids)
        .values_list("pk", flat=True)
    )
    skipped = [row.pk for row in rows if row.subscriber_id not in active]
    if skipped:
        counts.skipped += Delivery.objects.filter(
            pk__in=skipped, status=Delivery.Status.QUEUED, claimed_by=sender.worker
        ).update(status=Delivery.Status.SKIPPED, claimed_by="", claimed_until=None)
    renew_at = time.monotonic() + lease_seconds() / 2
    group: list[Outgoing] = []
    for row in rows:
        if row.subscriber_id not in active:
            continue
        bucket.take()
        if time.monotonic() > renew_at:  # a slow server: keep the batch's lease
            renew_at = time.monotonic() + lease_seconds() / 2
            Delivery.objects.filter(
                pk__in=ids, claimed_by=sender.worker, status=Delivery.Status.QUEUED
            ).update(claimed_until=timezone.now() + timedelta(seconds=lease_seconds()))
        try:
            if sender.smtp_mode:
                data = composer.bytes_for_delivery(row)
                group.append(Outgoing(composer.envelope_from, row.email, data, row.pk))
                if len(group) >= sender.width:
                    _send_group(sender, group, counts)
                    group = []
                continue
            status, _error = sender.send(composer.for_delivery(row), row.pk)
        except (ValueError, UnicodeError) as error:  # an address no server can take
            status = _fail(row.pk, sender.worker, f"cannot send to this address: {error}")
        _tally(counts, status)
    if group:
        _send_group(sender, group, counts)


def _send_group(sender: _Sender, group: list[Outgoing], counts: DeliveryCounts) -> None:
    sender.send_group(group)
    for outgoing in group:
        _tally(counts, outgoing.result[0] if outgoing.result else "lost")


def _tally(counts: DeliveryCounts, status: str) -> None:
    if status == Delivery.Status.SENT:
        counts.sent += 1
    elif status == Delivery.Status.FAILED:
        counts.failed += 1
    elif status == "requeued":
        counts.requeued += 1
    else:
        counts.lost += 1


def _fail(delivery_id: int, worker: str, error: str) -> str:
    Delivery.objects.filter(
        pk=delivery_id, status=Delivery.Status.QUEUED, claimed_by=worker
    ).update(status=Delivery.Status.FAILED, error=error[:490], claimed_by="", claimed_until=None)
    return Delivery.Status.FAILED


def finish_if_done(newsletter_id: int) -> bool:
    """Mark a sending issue SENT once none of its deliveries is QUEUED."""
    if Delivery.objects.filter(newsletter_id=newsletter_id, status=Delivery.Status.QUEUED).exists():
        return False
    now = timezone.now()
    return bool(
        Newsletter.objects.filter(pk=newsletter_id, status=Newsletter.Status.SENDING).update(
            status=Newsletter.Status.SENT, finished_at=now, updated_at=now
        )
    )


def needs_resuming(newsletter_id: int) -> bool:
    """True when QUEUED rows are left that no live sender holds (its worker died or stopped)."""
    now = timezone.now()
    dead = dead_claimers(newsletter_id, now=now)
    return (
        Delivery.objects.filter(newsletter_id=newsletter_id, status=Delivery.Status.QUEUED)
        .filter(_claimable(now, dead))
        .exists()
    )


def counts(newsletter: Newsletter) -> dict[str, int]:
    """The issue's deliveries by status, with how many were opened and clicked (unique)."""
    status = Delivery.Status
    found = Delivery.objects.filter(newsletter_id=newsletter.pk).aggregate(
        total=Count("pk"),
        queued=Count("pk", filter=Q(status=status.QUEUED)),
        sent=Count("pk", filter=Q(status=status.SENT)),
        failed=Count("pk", filter=Q(status=status.FAILED)),
        skipped=Count("pk", filter=Q(status=status.SKIPPED)),
        bounced=Count("pk", filter=Q(status=status.BOUNCED)),
        opens=Count("pk", filter=Q(opened_at__isnull=False)),
        clicks=Count("pk", filter=Q(clicked_at__isnull=False)),
    )
    return {key: int(value or 0) for key, value in found.items()}
