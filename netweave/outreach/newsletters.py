"""Newsletter issues: the writes (services) and reads (selectors) of drafting, editing, editions,
test sends, scheduling, the public archive and the mail settings.

Sending itself belongs to the delivery area (`delivery.start_sending`, `delivery.cancel_scheduled`,
`delivery.counts`) and rendering the email to `mail.render_edition_html/text` and
`mail.send_test`; this module checks the rules of an issue and calls them."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from netweave.networks.models import Network
from netweave.networks.permissions import Access, Capability
from netweave.outreach.common import OutreachError, settings_for
from netweave.outreach.models import (
    Delivery,
    Edition,
    MailingList,
    Newsletter,
    OutreachSettings,
)
from netweave.outreach.selectors import active_subscribers
from netweave.people.models import Person

# Issues whose editions may still change: once sending starts, what went out is the record.
EDITABLE = (Newsletter.Status.DRAFT, Newsletter.Status.SCHEDULED, Newsletter.Status.CANCELLED)
# The first issue covers this many days of activity.
FIRST_PERIOD_DAYS = 30
MAX_TEST_ADDRESSES = 5
# The mail settings a coordinator may change (the form shows them in this order).
MAIL_SETTINGS_FIELDS = (
    "from_name",
    "from_email",
    "reply_to",
    "postal_address",
    "rate_per_second",
    "batch_size",
    "soft_bounce_threshold",
    "track_opens",
    "track_clicks",
)


# --- reads ---------------------------------------------------------------------------------------


def newsletters_for_network(network: Network) -> QuerySet[Newsletter]:
    """Every issue of `network`, newest first, with its list and delivery counts (one query)."""
    status = Delivery.Status
    return (
        Newsletter.objects.filter(network=network)
        .select_related("mailing_list")
        .annotate(
            recipients=Count("deliveries"),
            sent_count=Count("deliveries", filter=Q(deliveries__status=status.SENT)),
            queued_count=Count("deliveries", filter=Q(deliveries__status=status.QUEUED)),
            failed_count=Count("deliveries", filter=Q(deliveries__status=status.FAILED)),
        )
        .order_by("-number")
    )


def newsletter_in_network(network: Network, newsletter_id: int) -> Newsletter:
    """Issue `newsletter_id` of `network` (another network's issue is a 404)."""
    found = (
        Newsletter.objects.filter(network=network, pk=newsletter_id)
        .select_related("mailing_list", "network")
        .first()
    )
    if found is None:
        raise Http404(_("There is no such newsletter issue in this network."))
    return found


def editions_of(newsletter: Newsletter) -> list[Edition]:
    """The issue's editions, the default language first."""
    editions = list(newsletter.editions.all())
    editions.sort(key=lambda e: (e.language != newsletter.default_language, e.language))
    return editions


def edition_for(newsletter: Newsletter, language: str) -> Edition:
    found = Edition.objects.filter(newsletter=newsletter, language=language).first()
    if found is None:
        raise Http404(_("This issue has no edition in that language."))
    return found


def edition_for_reader(newsletter: Newsletter, language: str) -> Edition | None:
    """The edition in `language` when there is one, else the default edition."""
    editions = {edition.language: edition for edition in newsletter.editions.all()}
    return (
        editions.get(language)
        or editions.get(newsletter.default_language)
        or next(iter(editions.values()), None)
    )


def archive_issues(network: Network, access: Access | None = None) -> QuerySet[Newsletter]:
    """The archive: sent issues shown in it, newest first, with their editions. Only issues of
    public lists, plus those of members' lists for a viewer who sees members' pages
    (Capability.VIEW_DIRECTORY); an issue of a private list is never in the archive."""
    audiences = [MailingList.Visibility.PUBLIC]
    if access is not None and access.can(Capability.VIEW_DIRECTORY):
        audiences.append(MailingList.Visibility.MEMBERS)
    return (
        Newsletter.objects.filter(
            network=network,
            status=Newsletter.Status.SENT,
            in_archive=True,
            mailing_list__visibility__in=audiences,
        )
        .prefetch_related("editions")
        .order_by("-number")
    )


def archive_issue(network: Network, number: int, access: Access | None = None) -> Newsletter:
    found = archive_issues(network, access).filter(number=number).first()
    if found is None:
        raise Http404(_("This issue is not in the network's public archive."))
    return found


def recipients_count(newsletter: Newsletter) -> int:
    """How many addresses the issue would go to if it were sent now."""
    return active_subscribers(newsletter.mailing_list).count()


def mailing_lists_for(network: Network) -> QuerySet[MailingList]:
    return MailingList.objects.filter(network=network).order_by("-is_member_list", "name", "pk")


def network_languages(network: Network) -> list[str]:
    """The languages the network's editions may be in: its working languages the site speaks,
    else the site's languages."""
    supported = [code for code, _label in settings.LANGUAGES]
    chosen = [code for code in (network.languages or []) if code in supported]
    return chosen or supported


def default_time_zone(network: Network) -> str:
    """The time zone a coordinator most likely means: the one most of the network's events are
    held in (the network has no time zone of its own), else the site's."""
    from netweave.outreach.models import Event

    found = (
        Event.objects.filter(network=network)
        .values("time_zone")
        .annotate(n=Count("pk"))
        .order_by("-n", "time_zone")
        .values_list("time_zone", flat=True)
        .first()
    )
    return str(found or settings.TIME_ZONE)


def last_sent(network: Network) -> Newsletter | None:
    return (
        Newsletter.objects.filter(network=network, status=Newsletter.Status.SENT)
        .order_by("-number")
        .first()
    )


def period_start_for(network: Network, *, now: datetime | None = None) -> datetime:
    """Where the next issue's news begin: when the last sent issue started sending, else
    FIRST_PERIOD_DAYS ago."""
    now = now or timezone.now()
    previous = last_sent(network)
    if previous is not None:
        return previous.started_at or previous.scheduled_at or previous.created_at
    return now - timedelta(days=FIRST_PERIOD_DAYS)


def newsletter_stats(newsletter: Newsletter) -> dict[str, Any]:
    """Delivery counts of the issue; opens and clicks only when the network counts them (the
    privacy page says so), otherwise None."""
    from netweave.outreach import delivery

    mail_settings = settings_for(newsletter.network)
    counts = dict(delivery.counts(newsletter))
    return {
        "queued": int(counts.get("queued", 0)),
        "sent": int(counts.get("sent", 0)),
        "failed": int(counts.get("failed", 0)),
        "skipped": int(counts.get("skipped", 0)),
        "bounced": int(counts.get("bounced", 0)),
        "opens": int(counts.get("opens", 0)) if mail_settings.track_opens else None,
        "clicks": int(counts.get("clicks", 0)) if mail_settings.track_clicks else None,
        "track_opens": mail_settings.track_opens,
        "track_clicks": mail_settings.track_clicks,
    }


def progress_of(newsletter: Newsletter) -> dict[str, int]:
    """How far sending is: done (sent, failed, skipped or bounced) out of all deliveries."""
    rows = dict(
        Delivery.objects.filter(newsletter=newsletter)
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    total = sum(rows.values())
    done = total - rows.get(Delivery.Status.QUEUED, 0)
    percent = int(done * 100 / total) if total else 0
    return {
        "total": total,
        "done": done,
        "sent": rows.get(Delivery.Status.SENT, 0),
        "percent": percent,
    }


# --- writes --------------------------------------------------------------------------------------


def _require_editable(newsletter: Newsletter) -> None:
    if newsletter.status not in EDITABLE:
        raise OutreachError(
            _("Issue #%(number)s is %(status)s: what was sent cannot be changed.")
            % {"number": newsletter.number, "status": newsletter.get_status_display().lower()}
        )


def _check_language(network: Network, language: str) -> str:
    language = (language or "").strip().lower()
    if language not in network_languages(network):
        raise OutreachError(
            _("“%(code)s” is not one of this network's languages (%(codes)s).")
            % {"code": language, "codes": ", ".join(network_languages(network))}
        )
    return language


def newsletter_create(
    *,
    network: Network,
    mailing_list: MailingList,
    by: Person | None,
    language: str = "",
    subject: str = "",
    body: str = "",
    now: datetime | None = None,
) -> Newsletter:
    """Issue number N+1 of `network` for `mailing_list`, with its default edition."""
    if mailing_list.network_id != network.pk:
        raise OutreachError(_("That mailing list belongs to another network."))
    language = _check_language(network, language or network_languages(network)[0])
    start = period_start_for(network, now=now)
    for _attempt in range(3):  # two coordinators starting an issue at once: take the next number
        try:
            with transaction.atomic():
                number = (
                    Newsletter.objects.filter(network=network).aggregate(n=Max("number"))["n"] or 0
                ) + 1
                newsletter = Newsletter.objects.create(
                    network=network,
                    number=number,
                    mailing_list=mailing_list,
                    default_language=language,
                    period_start=start,
                    created_by=by,
                )
                Edition.objects.create(
                    newsletter=newsletter,
                    language=language,
                    subject=(
                        subject
                        or _("%(network)s — issue %(number)s")
                        % {"network": network.name, "number": number}
                    )[:200],
                    body=body,
                )
                return newsletter
        except IntegrityError:
            continue
    raise OutreachError(_("Another issue was started at the same moment; please try again."))


def newsletter_update(
    *,
    newsletter: Newsletter,
    mailing_list: MailingList | None = None,
    default_language: str | None = None,
    in_archive: bool | None = None,
) -> Newsletter:
    """Change the list, the default edition or whether the issue shows in the public archive
    (that last one even after sending)."""
    changed: list[str] = []
    if mailing_list is not None and mailing_list.pk != newsletter.mailing_list_id:
        _require_editable(newsletter)
        if mailing_list.network_id != newsletter.network_id:
            raise OutreachError(_("That mailing list belongs to another network."))
        if newsletter.status == Newsletter.Status.SCHEDULED:
            raise OutreachError(_("Cancel the schedule before choosing another list."))
        newsletter.mailing_list = mailing_list
        changed.append("mailing_list")
    if default_language is not None and default_language != newsletter.default_language:
        _require_editable(newsletter)
        if not newsletter.editions.filter(language=default_language).exists():
            raise OutreachError(
                _("Add an edition in “%(code)s” before making it the default.")
                % {"code": default_language}
            )
        newsletter.default_language = default_language
        changed.append("default_language")
    if in_archive is not None and in_archive != newsletter.in_archive:
        newsletter.in_archive = in_archive
        changed.append("in_archive")
    if changed:
        newsletter.save(update_fields=[*changed, "updated_at"])
    return newsletter


def newsletter_delete(*, newsletter: Newsletter) -> None:
    """Delete an issue that was never sent (a draft, or a cancelled one without deliveries)."""
    if newsletter.status not in (Newsletter.Status.DRAFT, Newsletter.Status.CANCELLED) or (
        newsletter.deliveries.filter(status=Delivery.Status.SENT).exists()
    ):
        raise OutreachError(
            _("Only a draft can be deleted; cancel the schedule first, and sent issues stay.")
        )
    with transaction.atomic():
        newsletter.deliveries.all().delete()
        newsletter.delete()


def edition_save(
    *,
    newsletter: Newsletter,
    language: str,
    subject: str,
    preheader: str = "",
    body: str = "",
) -> Edition:
    """Write the edition in `language` (made when missing). Refused once sending started."""
    _require_editable(newsletter)
    language = _check_language(newsletter.network, language)
    subject = (subject or "").strip()
    if not subject:
        raise OutreachError(_("Give the edition a subject."))
    with transaction.atomic():
        edition, _created = Edition.objects.update_or_create(
            newsletter=newsletter,
            language=language,
            defaults={"subject": subject[:200], "preheader": (preheader or "")[:200], "body": body},
        )
    return edition


def edition_add_language(*, newsletter: Newsletter, language: str) -> Edition:
    """A new edition in `language`: a copy of the default edition, to translate."""
    _require_editable(newsletter)
    language = _check_language(newsletter.network, language)
    if newsletter.editions.filter(language=language).exists():
        raise OutreachError(_("This issue already has an edition in that language."))
    source = edition_for_reader(newsletter, newsletter.default_language)
    return Edition.objects.create(
        newsletter=newsletter,
        language=language,
        subject=source.subject if source else "",
        preheader=source.preheader if source else "",
        body=source.body if source else "",
    )


def edition_delete(*, edition: Edition) -> None:
    newsletter = edition.newsletter
    _require_editable(newsletter)
    if edition.language == newsletter.default_language:
        raise OutreachError(
            _("The default edition cannot be deleted; make another edition the default first.")
        )
    edition.delete()


def newsletter_send_test(*, newsletter: Newsletter, language: str, emails: list[str]) -> int:
    """Send the edition in `language` to up to MAX_TEST_ADDRESSES addresses, marked [Test]."""
    from netweave.outreach import mail

    emails = list(dict.fromkeys(e.strip().lower() for e in emails if e.strip()))
    if not emails:
        raise OutreachError(_("Give at least one address to send the test to."))
    if len(emails) > MAX_TEST_ADDRESSES + 1:  # the coordinator's own, and up to five more
        raise OutreachError(
            _("A test goes to at most %(n)s addresses.") % {"n": MAX_TEST_ADDRESSES + 1}
        )
    edition = edition_for(newsletter, language)
    return int(mail.send_test(edition, emails))


def newsletter_schedule(
    *, newsletter: Newsletter, at: datetime | None, by: Person | None, now: datetime | None = None
) -> int:
    """Send the issue now (`at` None or past) or at `at`; the number of recipients."""
    from netweave.outreach import delivery

    now = now or timezone.now()
    if newsletter.status in (Newsletter.Status.SENDING, Newsletter.Status.SENT):
        raise OutreachError(_("This issue was already sent."))
    if newsletter.status == Newsletter.Status.SCHEDULED:
        raise OutreachError(_("This issue is already scheduled; cancel the schedule to change it."))
    if at is not None and timezone.is_naive(at):
        raise OutreachError(_("Give the sending time with its time zone."))
    if not newsletter.editions.filter(language=newsletter.default_language).exists():
        raise OutreachError(_("The issue has no default edition to send."))
    return int(delivery.start_sending(newsletter, at=at if at and at > now else None, by=by))


def newsletter_cancel(*, newsletter: Newsletter) -> None:
    from netweave.outreach import delivery

    if newsletter.status != Newsletter.Status.SCHEDULED:
        raise OutreachError(_("Only a scheduled issue can be cancelled."))
    delivery.cancel_scheduled(newsletter)


def mail_settings_update(*, network: Network, **fields: Any) -> OutreachSettings:
    """Change the network's mail settings (the form or the API has checked the values)."""
    allowed = set(MAIL_SETTINGS_FIELDS)
    unknown = set(fields) - allowed
    if unknown:
        names = ", ".join(sorted(unknown))
        raise OutreachError(_("Unknown settings: %(names)s") % {"names": names})
    with transaction.atomic():
        mail_settings = settings_for(network)
        for name, value in fields.items():
            setattr(mail_settings, name, value)
        mail_settings.save(update_fields=[*fields, "updated_at"])
    return mail_settings
