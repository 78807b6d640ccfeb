"""API v1: newsletter issues (coordinators) and the public archive.

Coordinators (Capability.SEND_NEWSLETTERS) list, draft, read and change issues, write their
editions, send tests, send or schedule them, cancel a schedule and read the counts. The archive
of sent issues is open to everyone who can see the network. A broken rule of an issue (editing
after sending, sending twice) is an `OutreachError`: 409."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.responses import Status
from pydantic import field_validator

from netweave.api.auth import network_access
from netweave.api.errors import responses
from netweave.api.pagination import Page, PageIn, paginate
from netweave.api.schemas import BodyIn, PatchIn
from netweave.networks.permissions import Access, Capability
from netweave.outreach import newsletters as issues
from netweave.outreach.api_lists import clean_email
from netweave.outreach.common import absolute_reverse
from netweave.outreach.drafting import draft_issue
from netweave.outreach.models import Edition, MailingList, Newsletter

router = Router(tags=["outreach"])

NewsletterStatusName = Literal["draft", "scheduled", "sending", "sent", "cancelled"]


def _coordinator(request: HttpRequest, slug: str) -> Access:
    return network_access(
        request,
        slug,
        Capability.SEND_NEWSLETTERS,
        _("Only coordinators write and send the network's newsletter."),
    )


# --- schemas -------------------------------------------------------------------------------------


class EditionOut(Schema):
    language: str
    subject: str
    preheader: str
    body: str = Field(..., description="Markdown.")
    updated_at: datetime


class NewsletterOut(Schema):
    id: int
    number: int = Field(..., description="The issue number, 1 for the network's first.")
    status: NewsletterStatusName
    mailing_list_id: int
    mailing_list: str
    default_language: str
    languages: list[str] = Field(..., description="The languages of its editions.")
    in_archive: bool
    period_start: datetime | None = Field(..., description="Its news begin after this time.")
    scheduled_at: datetime | None
    started_at: datetime | None
    finished_at: datetime | None
    created_at: datetime


class NewsletterPage(Page[NewsletterOut]):
    pass


class NewsletterFilters(Schema):
    status: NewsletterStatusName | None = Field(None, description="Only issues in this status.")


class NewsletterIn(BodyIn):
    mailing_list_id: int = Field(..., description="The list it goes to (of this network).")
    language: str = Field(
        "", max_length=8, description="The default edition's language (the network's first)."
    )


class NewsletterPatchIn(PatchIn):
    mailing_list_id: int | None = None
    default_language: str | None = Field(
        None, max_length=8, description="An edition in this language must exist."
    )
    in_archive: bool | None = Field(
        None, description="Shown in the public archive once sent (may change after sending)."
    )


class EditionIn(BodyIn):
    subject: str = Field(..., min_length=1, max_length=200)
    preheader: str = Field("", max_length=200)
    body: str = Field("", max_length=200_000, description="Markdown.")


class SendIn(BodyIn):
    scheduled_at: datetime | None = Field(
        None, description="With its time zone; null or a past time sends now."
    )

    @field_validator("scheduled_at")
    @classmethod
    def _aware(cls, value: datetime | None) -> datetime | None:
        if value is not None and value.tzinfo is None:
            raise ValueError(_("give the time zone, e.g. 2030-01-01T09:00:00+01:00"))
        return value


class SendOut(Schema):
    newsletter: NewsletterOut
    recipients: int


class TestIn(BodyIn):
    emails: list[str] = Field(
        ...,
        max_length=issues.MAX_TEST_ADDRESSES + 1,
        description="Up to six addresses (one's own and five others).",
    )
    language: str = Field("", max_length=8, description="The edition (the default one).")


class TestOut(Schema):
    sent: int


class StatsOut(Schema):
    queued: int
    sent: int
    failed: int
    skipped: int
    bounced: int
    opens: int | None = Field(..., description="null when the network does not count opens.")
    clicks: int | None = Field(..., description="null when the network does not count clicks.")
    track_opens: bool
    track_clicks: bool


class ArchiveIssueOut(Schema):
    number: int
    language: str
    subject: str
    preheader: str
    sent_at: datetime | None
    url: str = Field(..., description="The issue's public web page.")


class ArchivePage(Page[ArchiveIssueOut]):
    pass


# --- output --------------------------------------------------------------------------------------


def _newsletter_out(newsletter: Newsletter) -> dict[str, Any]:
    return {
        "id": newsletter.pk,
        "number": newsletter.number,
        "status": newsletter.status,
        "mailing_list_id": newsletter.mailing_list_id,
        "mailing_list": newsletter.mailing_list.name,
        "default_language": newsletter.default_language,
        "languages": sorted(e.language for e in newsletter.editions.all()),
        "in_archive": newsletter.in_archive,
        "period_start": newsletter.period_start,
        "scheduled_at": newsletter.scheduled_at,
        "started_at": newsletter.started_at,
        "finished_at": newsletter.finished_at,
        "created_at": newsletter.created_at,
    }


def _edition_out(edition: Edition) -> dict[str, Any]:
    return {
        "language": edition.language,
        "subject": edition.subject,
        "preheader": edition.preheader,
        "body": edition.body,
        "updated_at": edition.updated_at,
    }


def _mailing_list(access: Access, mailing_list_id: int) -> MailingList:
    found = MailingList.objects.filter(network=access.network, pk=mailing_list_id).first()
    if found is None:
        raise HttpError(
            400,
            _("mailing_list_id: list %(id)d is not a list of this network.")
            % {"id": mailing_list_id},
        )
    return found


def _language(access: Access, language: str, field: str) -> str:
    language = (language or "").strip().lower()
    allowed = issues.network_languages(access.network)
    if language and language not in allowed:
        raise HttpError(
            400,
            _("%(field)s: “%(code)s” is not one of this network's languages (%(codes)s).")
            % {"field": field, "code": language, "codes": ", ".join(allowed)},
        )
    return language


# --- coordinators --------------------------------------------------------------------------------


@router.get(
    "/networks/{slug}/newsletters",
    response=responses({200: NewsletterPage}, 400, 401, 403, 404),
    operation_id="newsletters_list",
    summary="List the newsletter's issues",
    description="Coordinators. Newest first; narrowed to one status.",
)
def newsletters_list(
    request: HttpRequest, slug: str, filters: Query[NewsletterFilters], paging: Query[PageIn]
) -> dict[str, Any]:
    access = _coordinator(request, slug)
    rows = (
        Newsletter.objects.filter(network=access.network)
        .select_related("mailing_list")
        .prefetch_related("editions")
        .order_by("-number")
    )
    if filters.status:
        rows = rows.filter(status=filters.status)
    return paginate(rows, paging, _newsletter_out)


@router.post(
    "/networks/{slug}/newsletters",
    response=responses({201: NewsletterOut}, 400, 401, 403, 404, 409),
    operation_id="newsletters_create",
    summary="Draft the next issue",
    description="Coordinators. Issue N+1 for the list, with its default edition drafted from "
    "what the public may see of the news since the last sent issue (or the last 30 days).",
)
def newsletters_create(request: HttpRequest, slug: str, payload: NewsletterIn) -> Status[Any]:
    access = _coordinator(request, slug)
    mailing_list = _mailing_list(access, payload.mailing_list_id)
    language = _language(access, payload.language, "language")
    newsletter = draft_issue(
        access.network, mailing_list=mailing_list, by=access.person, language=language
    )
    return Status(201, _newsletter_out(newsletter))


def _issue(access: Access, newsletter_id: int) -> Newsletter:
    return issues.newsletter_in_network(access.network, newsletter_id)


@router.get(
    "/networks/{slug}/newsletters/{newsletter_id}",
    response=responses({200: NewsletterOut}, 401, 403, 404),
    operation_id="newsletter_read",
    summary="Read an issue",
    description="Coordinators.",
)
def newsletter_read(request: HttpRequest, slug: str, newsletter_id: int) -> dict[str, Any]:
    access = _coordinator(request, slug)
    return _newsletter_out(_issue(access, newsletter_id))


@router.patch(
    "/networks/{slug}/newsletters/{newsletter_id}",
    response=responses({200: NewsletterOut}, 400, 401, 403, 404, 409),
    operation_id="newsletter_update",
    summary="Change an issue's list, default edition or archive flag",
    description="Coordinators. The list and default edition only before sending (409 after); "
    "whether it shows in the public archive at any time.",
)
def newsletter_update(
    request: HttpRequest, slug: str, newsletter_id: int, payload: NewsletterPatchIn
) -> dict[str, Any]:
    access = _coordinator(request, slug)
    newsletter = _issue(access, newsletter_id)
    mailing_list = (
        _mailing_list(access, payload.mailing_list_id)
        if payload.mailing_list_id is not None
        else None
    )
    language = (
        _language(access, payload.default_language, "default_language") or None
        if payload.default_language is not None
        else None
    )
    issues.newsletter_update(
        newsletter=newsletter,
        mailing_list=mailing_list,
        default_language=language,
        in_archive=payload.in_archive,
    )
    return _newsletter_out(newsletter)


@router.get(
    "/networks/{slug}/newsletters/{newsletter_id}/editions",
    response=responses({200: list[EditionOut]}, 401, 403, 404),
    operation_id="editions_list",
    summary="The editions of an issue",
    description="Coordinators. The default edition first.",
)
def editions_list(request: HttpRequest, slug: str, newsletter_id: int) -> list[dict[str, Any]]:
    access = _coordinator(request, slug)
    return [_edition_out(e) for e in issues.editions_of(_issue(access, newsletter_id))]


@router.put(
    "/networks/{slug}/newsletters/{newsletter_id}/editions/{language}",
    response=responses({200: EditionOut}, 400, 401, 403, 404, 409),
    operation_id="edition_upsert",
    summary="Write the edition in one language",
    description="Coordinators. Creates the edition when the issue has none in that language "
    "(one of the network's languages). 409 once the issue is sending or sent.",
)
def edition_upsert(
    request: HttpRequest, slug: str, newsletter_id: int, language: str, payload: EditionIn
) -> dict[str, Any]:
    access = _coordinator(request, slug)
    newsletter = _issue(access, newsletter_id)
    language = _language(access, language, "language")
    edition = issues.edition_save(
        newsletter=newsletter,
        language=language,
        subject=payload.subject,
        preheader=payload.preheader,
        body=payload.body,
    )
    return _edition_out(edition)


@router.post(
    "/networks/{slug}/newsletters/{newsletter_id}/send",
    response=responses({200: SendOut}, 400, 401, 403, 404, 409),
    operation_id="newsletter_send",
    summary="Send an issue now or at a time",
    description="Coordinators. Creates one delivery per recipient and starts sending, or "
    "schedules it for `scheduled_at`. 409 when it is already scheduled, sending or sent.",
)
def newsletter_send(
    request: HttpRequest, slug: str, newsletter_id: int, payload: SendIn
) -> dict[str, Any]:
    access = _coordinator(request, slug)
    newsletter = _issue(access, newsletter_id)
    count = issues.newsletter_schedule(
        newsletter=newsletter, at=payload.scheduled_at, by=access.person
    )
    newsletter.refresh_from_db()
    return {"newsletter": _newsletter_out(newsletter), "recipients": count}


@router.post(
    "/networks/{slug}/newsletters/{newsletter_id}/cancel",
    response=responses({200: NewsletterOut}, 401, 403, 404, 409),
    operation_id="newsletter_cancel",
    summary="Cancel a scheduled issue",
    description="Coordinators. 409 unless the issue is scheduled; nothing is sent.",
)
def newsletter_cancel(request: HttpRequest, slug: str, newsletter_id: int) -> dict[str, Any]:
    access = _coordinator(request, slug)
    newsletter = _issue(access, newsletter_id)
    issues.newsletter_cancel(newsletter=newsletter)
    newsletter.refresh_from_db()
    return _newsletter_out(newsletter)


@router.post(
    "/networks/{slug}/newsletters/{newsletter_id}/test",
    response=responses({200: TestOut}, 400, 401, 403, 404, 409),
    operation_id="newsletter_test",
    summary="Send a test of an edition",
    description="Coordinators. “[Test]” before the subject; no delivery is recorded. With no "
    "address, the test goes to the caller's own.",
)
def newsletter_test(
    request: HttpRequest, slug: str, newsletter_id: int, payload: TestIn
) -> dict[str, Any]:
    access = _coordinator(request, slug)
    newsletter = _issue(access, newsletter_id)
    emails = [clean_email(e, "emails") for e in payload.emails if e.strip()]
    if not emails:
        own = access.person.email if access.person else ""
        if not own:
            raise HttpError(400, _("emails: give at least one address."))
        emails = [own]
    language = _language(access, payload.language, "language") or newsletter.default_language
    sent = issues.newsletter_send_test(newsletter=newsletter, language=language, emails=emails)
    return {"sent": sent}


@router.get(
    "/networks/{slug}/newsletters/{newsletter_id}/stats",
    response=responses({200: StatsOut}, 401, 403, 404),
    operation_id="newsletter_stats",
    summary="Delivery counts of an issue",
    description="Coordinators. Opens and clicks are null unless the network counts them.",
)
def newsletter_stats(request: HttpRequest, slug: str, newsletter_id: int) -> dict[str, Any]:
    access = _coordinator(request, slug)
    return issues.newsletter_stats(_issue(access, newsletter_id))


# --- public --------------------------------------------------------------------------------------


@router.get(
    "/networks/{slug}/newsletter-archive",
    response=responses({200: ArchivePage}, 400, 401, 403, 404),
    operation_id="archive_list",
    summary="The newsletter's public archive",
    description="Everyone who can see the network: sent issues shown in the archive, newest "
    "first, each in the caller's language when there is such an edition.",
)
def archive_list(request: HttpRequest, slug: str, paging: Query[PageIn]) -> dict[str, Any]:
    from django.utils.translation import get_language

    access = network_access(request, slug, Capability.VIEW_PUBLIC)
    language = (get_language() or "en")[:2]

    def out(newsletter: Newsletter) -> dict[str, Any]:
        edition = issues.edition_for_reader(newsletter, language)
        return {
            "number": newsletter.number,
            "language": edition.language if edition else newsletter.default_language,
            "subject": edition.subject if edition else "",
            "preheader": edition.preheader if edition else "",
            "sent_at": newsletter.started_at,
            "url": absolute_reverse(
                "outreach:archive_issue", access.network.slug, newsletter.number
            ),
        }

    return paginate(issues.archive_issues(access.network, access), paging, out)
