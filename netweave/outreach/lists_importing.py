"""CSV import and export of subscribers, with their consent status.

The import runs on lib/csvimport.py like every other import: checked first (a dry run: nothing is
written, every bad cell is reported by line and column), then imported in one transaction, every
row or none. Columns: email, name, language, lists (list short names, ";"-separated), consent
(yes/no), consent_date, consent_note. A row without consent may only go on private lists (a
coordinator adds people there by hand); someone who unsubscribed from a list is not put back on
it (a warning says so).

The export writes one row per subscription with the consent record (method, date, address), and
can be imported back (the columns an import does not set are ignored). Cells that look like
spreadsheet formulas are neutralized."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from netweave.lib.csvimport import (
    CheckContext,
    CsvKind,
    RawRow,
    RowProblems,
    WriteTicker,
    by_lower,
    chunks,
    csv_cell,
    split_list,
)
from netweave.networks.models import Network
from netweave.outreach.models import MailingList, Subscriber, Subscription, Suppression

COLUMNS = (
    "email", "name", "language", "lists", "consent", "consent_date", "consent_note",
)  # fmt: skip
EXPORT_COLUMNS = [
    "email", "name", "language", "frequency", "lists", "status", "consent", "consent_date",
    "consent_note", "consent_method", "consent_ip", "requested_at", "confirmed_at",
    "unsubscribed_at", "suppressed",
]  # fmt: skip
IGNORED = (
    "frequency", "status", "consent_method", "consent_ip", "requested_at", "confirmed_at",
    "unsubscribed_at", "suppressed",
)  # fmt: skip
YES = {"yes", "y", "true", "1", "oui", "si", "sí"}
NO = {"no", "n", "false", "0", "non"}


@dataclass
class SubscriberRow:
    line: int
    email: str
    name: str
    language: str
    lists: list[MailingList]
    consent: bool
    consent_at: datetime.datetime | None
    note: str


@dataclass
class SubscriberPlan:
    network: Network
    new_subscribers: list[Subscriber] = field(default_factory=list)
    changed_subscribers: list[Subscriber] = field(default_factory=list)
    # (subscriber email, Subscription without its subscriber yet)
    new_subscriptions: list[tuple[str, Subscription]] = field(default_factory=list)
    changed_subscriptions: list[Subscription] = field(default_factory=list)

    def size(self) -> int:
        return (
            len(self.new_subscribers)
            + len(self.changed_subscribers)
            + len(self.new_subscriptions)
            + len(self.changed_subscriptions)
        )

    def write(self, writes: WriteTicker) -> None:
        for batch in chunks(self.new_subscribers, 500):
            Subscriber.objects.bulk_create(batch)
            writes.add(len(batch))
        if self.changed_subscribers:
            Subscriber.objects.bulk_update(
                self.changed_subscribers, ["name", "language"], batch_size=500
            )
            writes.add(len(self.changed_subscribers))
        by_email = {s.email: s for s in self.new_subscribers}
        missing = {e for e, _s in self.new_subscriptions if e not in by_email}
        if missing:
            by_email.update(
                {
                    s.email: s
                    for s in Subscriber.objects.filter(network=self.network, email__in=missing)
                }
            )
        subs: list[Subscription] = []
        for email, sub in self.new_subscriptions:
            sub.subscriber_id = by_email[email].pk
            subs.append(sub)
        for part in chunks(subs, 500):
            Subscription.objects.bulk_create(part)
            writes.add(len(part))
        if self.changed_subscriptions:
            Subscription.objects.bulk_update(
                self.changed_subscriptions,
                [
                    "status", "consent_method", "consent_at", "consent_ip", "consent_note",
                    "requested_at", "confirmed_at",
                ],
                batch_size=500,
            )  # fmt: skip
            writes.add(len(self.changed_subscriptions))


def _clean(raw: RawRow, lists_by_slug: dict[str, MailingList], now: datetime.datetime) -> tuple[
    SubscriberRow, list[Any]
]:  # fmt: skip
    problems = RowProblems(raw.line)
    values = raw.values
    email = values.get("email", "").strip().lower()
    if not email:
        problems.error("email", _("This cell is required and is empty."))
    else:
        try:
            validate_email(email)
        except ValidationError:
            problems.error("email", _("“%(value)s” is not an email address.") % {"value": email})
    name = problems.text(values, "name", 200)
    language = problems.language(values, "language")[:8]
    slugs = split_list(values.get("lists", ""))
    lists: list[MailingList] = []
    if not slugs:
        problems.error(
            "lists",
            _("Name at least one list by its short name (several separated by “;”): %(known)s.")
            % {"known": ", ".join(sorted(lists_by_slug)) or _("no lists yet; create one first")},
        )
    for slug in slugs:
        found = lists_by_slug.get(slug.lower())
        if found is None:
            problems.error(
                "lists",
                _("There is no list “%(slug)s” in this network; the lists are: %(known)s.")
                % {"slug": slug, "known": ", ".join(sorted(lists_by_slug))},
            )
        else:
            lists.append(found)
    consent_value = values.get("consent", "").strip().lower()
    consent = consent_value in YES
    if consent_value and not consent and consent_value not in NO:
        problems.error(
            "consent",
            _("Write yes or no, not “%(value)s”.") % {"value": values.get("consent", "")},
        )
    not_private = [m for m in lists if m.visibility != MailingList.Visibility.PRIVATE]
    if not consent and not_private and "consent" not in {e.column for e in problems.errors}:
        problems.error(
            "consent",
            _(
                "Without consent (consent: yes) nobody can be put on %(lists)s: only private "
                "lists take people without their consent. Remove the row, or record their consent."
            )
            % {"lists": ", ".join(m.slug for m in not_private)},
        )
    consent_date = problems.date(values, "consent_date")
    consent_at = None
    if consent_date is not None:
        if consent_date > now.date():
            problems.error(
                "consent_date",
                _("%(date)s is in the future; write the date consent was given.")
                % {"date": consent_date.isoformat()},
            )
        else:
            consent_at = datetime.datetime.combine(
                consent_date, datetime.time(), tzinfo=datetime.UTC
            )
    note = problems.text(values, "consent_note", 300)
    row = SubscriberRow(raw.line, email, name, language, lists, consent, consent_at, note)
    return row, problems.errors


def check(rows: list[RawRow], context: CheckContext) -> SubscriberPlan:
    network, report, now = context.network, context.report, context.now
    lists_by_slug = {m.slug.lower(): m for m in MailingList.objects.filter(network=network)}
    cleaned: list[SubscriberRow] = []
    seen: dict[tuple[str, int], int] = {}
    for index, raw in enumerate(rows, start=1):
        row, errors = _clean(raw, lists_by_slug, now)
        for mailing_list in row.lists:
            key = (row.email, mailing_list.pk)
            if key in seen:
                errors.append(
                    _row_error(
                        row.line,
                        "email",
                        _("%(email)s on %(list)s is also on line %(first)d; keep one row.")
                        % {"email": row.email, "list": mailing_list.slug, "first": seen[key]},
                    )
                )
            else:
                seen[key] = row.line
        report.errors.extend(errors)
        if not errors:
            cleaned.append(row)
        context.tick(index)
    plan = SubscriberPlan(network=network)
    existing = by_lower(
        Subscriber,
        "email",
        (row.email for row in cleaned),
        queryset=Subscriber.objects.filter(network=network),
    )
    subs: dict[tuple[int, int], Subscription] = {}
    ids = [s.pk for s in existing.values()]
    for part in chunks(ids, 900):
        for stored in Subscription.objects.filter(subscriber_id__in=part):
            subs[(stored.subscriber_id, stored.mailing_list_id)] = stored
    new_by_email: dict[str, Subscriber] = {}
    changed: set[int] = set()
    for row in cleaned:
        subscriber = existing.get(row.email) or new_by_email.get(row.email)
        changes: list[str] = []
        if subscriber is None:
            subscriber = Subscriber(
                network=network, email=row.email, name=row.name, language=row.language
            )
            new_by_email[row.email] = subscriber
            plan.new_subscribers.append(subscriber)
            action = "create"
            report.to_create += 1
        else:
            action = "update"
            if subscriber.pk is not None:
                if row.name and not subscriber.name:
                    subscriber.name = row.name
                    changes.append("name")
                if row.language and not subscriber.language:
                    subscriber.language = row.language
                    changes.append("language")
                if changes and subscriber.pk not in changed:
                    changed.add(subscriber.pk)
                    plan.changed_subscribers.append(subscriber)
        method = Subscription.Method.IMPORT if row.consent else Subscription.Method.COORDINATOR
        note = row.note or ("" if row.consent else _("imported without consent (private list)"))
        for mailing_list in row.lists:
            sub: Subscription | None = (
                subs.get((subscriber.pk, mailing_list.pk)) if subscriber.pk else None
            )
            if sub is not None and sub.status == Subscription.Status.SUBSCRIBED:
                continue
            if sub is not None and sub.status == Subscription.Status.UNSUBSCRIBED:
                report.warnings.append(
                    _row_error(
                        row.line,
                        "lists",
                        _(
                            "%(email)s unsubscribed from %(list)s on %(date)s and is not put "
                            "back on it."
                        )
                        % {
                            "email": row.email,
                            "list": mailing_list.slug,
                            "date": (sub.unsubscribed_at or now).date().isoformat(),
                        },
                    )
                )
                continue
            target = sub or Subscription(network=network, mailing_list=mailing_list)
            target.status = Subscription.Status.SUBSCRIBED
            target.consent_method = method
            target.consent_at = (row.consent_at or now) if row.consent else None
            target.consent_ip = None
            target.consent_note = note[:300]
            target.requested_at = now
            target.confirmed_at = None
            if sub is None:
                plan.new_subscriptions.append((row.email, target))
            else:
                plan.changed_subscriptions.append(target)
            changes.append(mailing_list.slug)
        if action == "update" and not changes:
            report.unchanged += 1
            action = "unchanged"
        elif action == "update":
            report.to_update += 1
        report.add_preview(row.line, row.email, action, changes)
    return plan


def _row_error(line: int, column: str, message: str) -> Any:
    from netweave.lib.csvimport import RowError

    return RowError(line, column, message)


def _example(network: Network) -> dict[str, str]:
    first = MailingList.objects.filter(network=network).exclude(is_member_list=True).first()
    return {
        "email": "amara@example.org",
        "name": "Amara Okafor",
        "language": "en",
        "lists": first.slug if first else "newsletter",
        "consent": "yes",
        "consent_date": "2024-03-31",
        "consent_note": "Signed up at the 2024 conference",
    }


SUBSCRIBERS = CsvKind(
    name="subscribers",
    columns=COLUMNS,
    required=("email",),
    check=check,
    example=_example,
    ignored=IGNORED,
)


# --- export ---------------------------------------------------------------------------------------


def _iso(value: datetime.datetime | None) -> str:
    return value.isoformat() if value else ""


def export_rows(network: Network, *, list_id: int | None = None) -> Iterator[list[str]]:
    """One row per subscription, in email order, streamed in chunks."""
    yield list(EXPORT_COLUMNS)
    suppressed = set(Suppression.objects.filter(network=network).values_list("email", flat=True))
    subs = (
        Subscription.objects.filter(network=network)
        .select_related("subscriber", "mailing_list")
        .order_by("subscriber__email", "mailing_list__slug")
    )
    if list_id:
        subs = subs.filter(mailing_list_id=list_id)
    for sub in subs.iterator(chunk_size=2000):
        subscriber = sub.subscriber
        yield [
            csv_cell(value)
            for value in (
                subscriber.email,
                subscriber.name,
                subscriber.language,
                subscriber.frequency,
                sub.mailing_list.slug,
                sub.status,
                "yes" if sub.consent_at else "no",
                sub.consent_at.date().isoformat() if sub.consent_at else "",
                sub.consent_note,
                sub.consent_method,
                sub.consent_ip or "",
                _iso(sub.requested_at),
                _iso(sub.confirmed_at),
                _iso(sub.unsubscribed_at),
                "yes" if subscriber.email in suppressed else "no",
            )
        ]


def export_csv_lines(rows: Iterable[list[str]]) -> Iterator[str]:
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for row in rows:
        writer.writerow(row)
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate(0)
