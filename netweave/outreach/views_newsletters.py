"""Newsletter pages: the coordinators' issues (drafting, editing with a live preview, editions,
test sends, scheduling), the network's mail settings, and the public archive and privacy page.

Every page works without JavaScript; with htmx the editor's preview follows the typing and the
progress of a sending issue updates itself every 2 s."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from netweave.networks.decorators import network_view
from netweave.networks.permissions import Access, Capability
from netweave.outreach import newsletters as issues
from netweave.outreach.common import OutreachError, settings_for
from netweave.outreach.drafting import draft_issue
from netweave.outreach.forms_newsletters import (
    EditionAddForm,
    EditionForm,
    MailSettingsForm,
    NewsletterNewForm,
    NewsletterOptionsForm,
    ScheduleForm,
    TestSendForm,
)
from netweave.outreach.models import Edition, Newsletter, OutreachSettings

PAGE_SIZE = 25


def _access(request: HttpRequest) -> Access:
    return request.access  # type: ignore[attr-defined,no-any-return]


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _detail_url(newsletter: Newsletter) -> str:
    return reverse("outreach:newsletter", args=[newsletter.network.slug, newsletter.pk])


def _edit_url(newsletter: Newsletter, language: str) -> str:
    return reverse(
        "outreach:newsletter_edit", args=[newsletter.network.slug, newsletter.pk, language]
    )


def _context(request: HttpRequest, **extra: Any) -> dict[str, Any]:
    access = _access(request)
    return {"network": access.network, "access": access, **extra}


# --- issues --------------------------------------------------------------------------------------


@require_safe
@network_view(Capability.SEND_NEWSLETTERS)
def newsletter_list(request: HttpRequest) -> HttpResponse:
    """Drafts, scheduled, sending (with live progress) and sent issues; start the next one."""
    network = _access(request).network
    rows = list(issues.newsletters_for_network(network)[:200])
    groups = {
        status: [n for n in rows if n.status == status] for status in Newsletter.Status.values
    }
    for newsletter in groups["sending"]:  # from the list's own counts, no query per issue
        total = newsletter.recipients  # type: ignore[attr-defined]
        done = total - newsletter.queued_count  # type: ignore[attr-defined]
        newsletter.progress = {  # type: ignore[attr-defined]
            "total": total,
            "done": done,
            "sent": newsletter.sent_count,  # type: ignore[attr-defined]
            "percent": int(done * 100 / total) if total else 0,
        }
    return render(
        request,
        "outreach/newsletters_list.html",
        _context(
            request,
            drafts=groups["draft"] + groups["cancelled"],
            scheduled=groups["scheduled"],
            sending=groups["sending"],
            sent=groups["sent"],
            new_form=NewsletterNewForm(network=network),
            has_lists=issues.mailing_lists_for(network).exists(),
            next_number=(rows[0].number + 1) if rows else 1,
        ),
    )


@require_POST
@network_view(Capability.SEND_NEWSLETTERS)
def newsletter_new(request: HttpRequest) -> HttpResponse:
    """Start issue N+1 for the chosen list, drafted from the news since the last issue."""
    access = _access(request)
    form = NewsletterNewForm(request.POST, network=access.network)
    if not form.is_valid():
        messages.error(request, _("Choose the list the issue goes to, and its language."))
        return redirect("outreach:newsletters", access.network.slug)
    try:
        newsletter = draft_issue(
            access.network,
            mailing_list=form.cleaned_data["mailing_list"],
            by=access.person,
            language=form.cleaned_data["language"],
        )
    except OutreachError as error:
        messages.error(request, str(error))
        return redirect("outreach:newsletters", access.network.slug)
    messages.success(
        request,
        _("Issue #%(number)s is drafted from the news since the last issue: read it and edit.")
        % {"number": newsletter.number},
    )
    return redirect(_edit_url(newsletter, newsletter.default_language))


@require_safe
@network_view(Capability.SEND_NEWSLETTERS)
def newsletter_detail(request: HttpRequest, newsletter_id: int) -> HttpResponse:
    access = _access(request)
    newsletter = issues.newsletter_in_network(access.network, newsletter_id)
    editions = issues.editions_of(newsletter)
    languages = issues.network_languages(access.network)
    missing = [code for code in languages if code not in {e.language for e in editions}]
    stats = (
        issues.newsletter_stats(newsletter) if newsletter.status in ("sending", "sent") else None
    )
    zone = issues.default_time_zone(access.network)
    return render(
        request,
        "outreach/newsletters_detail.html",
        _context(
            request,
            newsletter=newsletter,
            editions=editions,
            editable=newsletter.status in issues.EDITABLE,
            add_form=EditionAddForm(languages=missing) if missing else None,
            options_form=NewsletterOptionsForm(
                network=access.network,
                languages=[e.language for e in editions],
                initial={
                    "mailing_list": newsletter.mailing_list_id,
                    "default_language": newsletter.default_language,
                    "in_archive": newsletter.in_archive,
                },
            ),
            stats=stats,
            zone=zone,
            scheduled_local=_in_zone(newsletter.scheduled_at, zone),
            progress=issues.progress_of(newsletter) if newsletter.status == "sending" else None,
            recipients=issues.recipients_count(newsletter)
            if newsletter.status in issues.EDITABLE
            else None,
        ),
    )


@require_safe
@network_view(Capability.SEND_NEWSLETTERS)
def newsletter_progress(request: HttpRequest, newsletter_id: int) -> HttpResponse:
    """The progress bar of a sending issue (polled by htmx every 2 s while it sends)."""
    access = _access(request)
    newsletter = issues.newsletter_in_network(access.network, newsletter_id)
    return render(
        request,
        "outreach/newsletter_progress.html",
        _context(request, newsletter=newsletter, progress=issues.progress_of(newsletter)),
    )


@require_POST
@network_view(Capability.SEND_NEWSLETTERS)
def newsletter_options(request: HttpRequest, newsletter_id: int) -> HttpResponse:
    access = _access(request)
    newsletter = issues.newsletter_in_network(access.network, newsletter_id)
    form = NewsletterOptionsForm(
        request.POST,
        network=access.network,
        languages=[e.language for e in issues.editions_of(newsletter)],
    )
    if not form.is_valid():
        messages.error(request, _("Choose a list and a default edition from the lists."))
        return redirect(_detail_url(newsletter))
    try:
        issues.newsletter_update(
            newsletter=newsletter,
            mailing_list=form.cleaned_data["mailing_list"],
            default_language=form.cleaned_data["default_language"],
            in_archive=form.cleaned_data["in_archive"],
        )
    except OutreachError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The issue's options are saved."))
    return redirect(_detail_url(newsletter))


@require_http_methods(["GET", "HEAD", "POST"])
@network_view(Capability.SEND_NEWSLETTERS)
def newsletter_delete(request: HttpRequest, newsletter_id: int) -> HttpResponse:
    access = _access(request)
    newsletter = issues.newsletter_in_network(access.network, newsletter_id)
    if request.method == "POST":
        try:
            issues.newsletter_delete(newsletter=newsletter)
        except OutreachError as error:
            messages.error(request, str(error))
            return redirect(_detail_url(newsletter))
        messages.success(
            request, _("The draft of issue #%(n)s is deleted.") % {"n": newsletter.number}
        )
        return redirect("outreach:newsletters", access.network.slug)
    return render(
        request, "outreach/newsletters_delete.html", _context(request, newsletter=newsletter)
    )


# --- editions ------------------------------------------------------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
@network_view(Capability.SEND_NEWSLETTERS)
def newsletter_edit(request: HttpRequest, newsletter_id: int, language: str) -> HttpResponse:
    """Subject, preview text and Markdown body of one edition, with a live preview."""
    access = _access(request)
    newsletter = issues.newsletter_in_network(access.network, newsletter_id)
    edition = issues.edition_for(newsletter, language)
    editable = newsletter.status in issues.EDITABLE
    form = EditionForm(request.POST or None, instance=edition)
    status = 200
    if request.method == "POST":
        if not editable:
            messages.error(request, _("This issue was sent; its editions cannot change any more."))
            return redirect(_detail_url(newsletter))
        if form.is_valid():
            try:
                issues.edition_save(
                    newsletter=newsletter,
                    language=language,
                    subject=form.cleaned_data["subject"],
                    preheader=form.cleaned_data["preheader"],
                    body=form.cleaned_data["body"],
                )
            except OutreachError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("The edition is saved."))
                if "save_and_preview" in request.POST:
                    return redirect(
                        "outreach:newsletter_email_preview",
                        access.network.slug,
                        newsletter.pk,
                        language,
                    )
                return redirect(_edit_url(newsletter, language))
        status = 400
    if not editable:
        for field in form.fields.values():
            field.disabled = True
    return render(
        request,
        "outreach/newsletters_edit.html",
        _context(
            request,
            newsletter=newsletter,
            edition=edition,
            editions=issues.editions_of(newsletter),
            form=form,
            editable=editable,
            preview_html=_render_html(edition),
        ),
        status=status,
    )


def _render_html(edition: Edition) -> str:
    from netweave.outreach import mail

    return str(mail.render_edition_html(edition))


def _render_text(edition: Edition) -> str:
    from netweave.outreach import mail

    return str(mail.render_edition_text(edition))


@require_POST
@network_view(Capability.SEND_NEWSLETTERS)
def newsletter_preview(request: HttpRequest, newsletter_id: int, language: str) -> HttpResponse:
    """The email as it would look with the form's (unsaved) text: htmx swaps it into the
    editor's sandboxed preview frame. Nothing is saved."""
    access = _access(request)
    newsletter = issues.newsletter_in_network(access.network, newsletter_id)
    saved = issues.edition_for(newsletter, language)
    draft = Edition(
        pk=saved.pk,
        newsletter=newsletter,
        language=language,
        subject=request.POST.get("subject", saved.subject)[:200],
        preheader=request.POST.get("preheader", saved.preheader)[:200],
        body=request.POST.get("body", saved.body),
    )
    return render(
        request,
        "outreach/newsletter_preview_frame.html",
        _context(request, newsletter=newsletter, preview_html=_render_html(draft)),
    )


@require_safe
@network_view(Capability.SEND_NEWSLETTERS)
def newsletter_email_preview(
    request: HttpRequest, newsletter_id: int, language: str
) -> HttpResponse:
    """The exact email of one edition: its HTML (in a sandboxed frame) and its text part."""
    access = _access(request)
    newsletter = issues.newsletter_in_network(access.network, newsletter_id)
    edition = issues.edition_for(newsletter, language)
    return render(
        request,
        "outreach/newsletters_email_preview.html",
        _context(
            request,
            newsletter=newsletter,
            edition=edition,
            editions=issues.editions_of(newsletter),
            preview_html=_render_html(edition),
            preview_text=_render_text(edition),
        ),
    )


@require_POST
@network_view(Capability.SEND_NEWSLETTERS)
def newsletter_edition_add(request: HttpRequest, newsletter_id: int) -> HttpResponse:
    access = _access(request)
    newsletter = issues.newsletter_in_network(access.network, newsletter_id)
    form = EditionAddForm(request.POST, languages=issues.network_languages(access.network))
    if not form.is_valid():
        messages.error(request, _("Choose one of the network's languages for the new edition."))
        return redirect(_detail_url(newsletter))
    try:
        edition = issues.edition_add_language(
            newsletter=newsletter, language=form.cleaned_data["language"]
        )
    except OutreachError as error:
        messages.error(request, str(error))
        return redirect(_detail_url(newsletter))
    messages.success(request, _("A copy of the default edition is ready to translate."))
    return redirect(_edit_url(newsletter, edition.language))


@require_POST
@network_view(Capability.SEND_NEWSLETTERS)
def newsletter_edition_delete(
    request: HttpRequest, newsletter_id: int, language: str
) -> HttpResponse:
    access = _access(request)
    newsletter = issues.newsletter_in_network(access.network, newsletter_id)
    edition = issues.edition_for(newsletter, language)
    try:
        issues.edition_delete(edition=edition)
    except OutreachError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The edition is deleted."))
    return redirect(_detail_url(newsletter))


# --- test, schedule, cancel ----------------------------------------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
@network_view(Capability.SEND_NEWSLETTERS)
def newsletter_test(request: HttpRequest, newsletter_id: int) -> HttpResponse:
    """Send a test of one edition to the coordinator's address and up to five others."""
    access = _access(request)
    newsletter = issues.newsletter_in_network(access.network, newsletter_id)
    languages = [e.language for e in issues.editions_of(newsletter)]
    own = (access.person.email if access.person else "") or getattr(request.user, "email", "")
    form = TestSendForm(
        request.POST or None,
        languages=languages,
        initial={"language": newsletter.default_language},
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            emails = list(form.cleaned_data["addresses"])
            if form.cleaned_data["send_to_me"] and own:
                emails.insert(0, own)
            try:
                sent = issues.newsletter_send_test(
                    newsletter=newsletter, language=form.cleaned_data["language"], emails=emails
                )
            except OutreachError as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request,
                    ngettext(
                        "A test was sent to %(count)d address.",
                        "A test was sent to %(count)d addresses.",
                        sent,
                    )
                    % {"count": sent},
                )
                return redirect(_detail_url(newsletter))
    return render(
        request,
        "outreach/newsletters_test.html",
        _context(request, newsletter=newsletter, form=form, own_email=own),
        status=status,
    )


@require_http_methods(["GET", "HEAD", "POST"])
@network_view(Capability.SEND_NEWSLETTERS)
def newsletter_schedule(request: HttpRequest, newsletter_id: int) -> HttpResponse:
    """Send now or at a time: the form, then a confirmation step that names the number of
    recipients, then sending (or the schedule)."""
    access = _access(request)
    newsletter = issues.newsletter_in_network(access.network, newsletter_id)
    if newsletter.status not in (Newsletter.Status.DRAFT, Newsletter.Status.CANCELLED):
        messages.error(
            request,
            _("This issue is already scheduled or sent; cancel the schedule to change it."),
        )
        return redirect(_detail_url(newsletter))
    form = ScheduleForm(
        request.POST or None, initial={"time_zone": issues.default_time_zone(access.network)}
    )
    confirming = False
    status = 200
    if request.method == "POST":
        if form.is_valid():
            at = form.cleaned_data["at"]
            if form.cleaned_data.get("confirmed"):
                try:
                    count = issues.newsletter_schedule(
                        newsletter=newsletter, at=at, by=access.person
                    )
                except OutreachError as error:
                    messages.error(request, str(error))
                    return redirect(_detail_url(newsletter))
                if at is None:
                    text = ngettext(
                        "Issue #%(number)s is being sent to %(count)d recipient.",
                        "Issue #%(number)s is being sent to %(count)d recipients.",
                        count,
                    )
                else:
                    text = ngettext(
                        "Issue #%(number)s will be sent to %(count)d recipient.",
                        "Issue #%(number)s will be sent to %(count)d recipients.",
                        count,
                    )
                messages.success(request, text % {"number": newsletter.number, "count": count})
                return redirect(_detail_url(newsletter))
            confirming = True
        else:
            status = 400
    return render(
        request,
        "outreach/newsletters_schedule.html",
        _context(
            request,
            newsletter=newsletter,
            form=form,
            confirming=confirming,
            at=form.cleaned_data.get("at") if confirming else None,
            at_display=_in_zone(form.cleaned_data.get("at"), form.cleaned_data.get("time_zone"))
            if confirming
            else "",
            recipients=issues.recipients_count(newsletter),
            edition_count=newsletter.editions.count(),
        ),
        status=status,
    )


def _in_zone(at: datetime | None, zone: str | None) -> str:
    """`at` written in the time zone the coordinator chose."""
    if at is None:
        return ""
    try:
        tz = ZoneInfo(zone or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        tz = ZoneInfo("UTC")
    return date_format(timezone.localtime(at, tz), "DATETIME_FORMAT")


@require_POST
@network_view(Capability.SEND_NEWSLETTERS)
def newsletter_cancel(request: HttpRequest, newsletter_id: int) -> HttpResponse:
    access = _access(request)
    newsletter = issues.newsletter_in_network(access.network, newsletter_id)
    try:
        issues.newsletter_cancel(newsletter=newsletter)
    except OutreachError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The schedule is cancelled; nothing was sent."))
    return redirect(_detail_url(newsletter))


# --- mail settings -------------------------------------------------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
@network_view(Capability.SEND_NEWSLETTERS)
def mail_settings(request: HttpRequest) -> HttpResponse:
    access = _access(request)
    current = settings_for(access.network)
    form = MailSettingsForm(request.POST or None, instance=current)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            issues.mail_settings_update(
                network=access.network,
                **{name: form.cleaned_data[name] for name in MailSettingsForm.Meta.fields},
            )
            messages.success(request, _("The mail settings are saved."))
            return redirect("outreach:mail_settings", access.network.slug)
        status = 400
    return render(
        request,
        "outreach/newsletters_settings.html",
        _context(request, form=form, mail_settings=current),
        status=status,
    )


# --- public: archive and privacy -----------------------------------------------------------------


@require_safe
@network_view(Capability.VIEW_PUBLIC)
def archive(request: HttpRequest) -> HttpResponse:
    access = _access(request)
    language = (get_language() or "en")[:2]
    rows = []
    for newsletter in issues.archive_issues(access.network, access)[:500]:
        rows.append((newsletter, issues.edition_for_reader(newsletter, language)))
    return render(request, "outreach/newsletters_archive.html", _context(request, issues=rows))


@require_safe
@network_view(Capability.VIEW_PUBLIC)
def archive_issue(request: HttpRequest, number: int) -> HttpResponse:
    access = _access(request)
    newsletter = issues.archive_issue(access.network, number, access)
    edition = issues.edition_for_reader(newsletter, (get_language() or "en")[:2])
    return render(
        request,
        "outreach/newsletters_archive_issue.html",
        _context(request, newsletter=newsletter, edition=edition),
    )


@require_safe
@network_view(Capability.VIEW_PUBLIC)
def archive_feed(request: HttpRequest) -> HttpResponse:
    """An Atom feed of the archive (the newest 20 issues)."""
    from django.utils.feedgenerator import Atom1Feed

    from netweave.lib.markdown import render_markdown
    from netweave.outreach.common import absolute_url

    access = _access(request)
    network = access.network
    language = (get_language() or "en")[:2]
    feed = Atom1Feed(
        title=_("%(network)s — newsletter") % {"network": network.name},
        link=absolute_url(reverse("outreach:archive", args=[network.slug])),
        description=network.tagline,
        language=language,
        feed_url=absolute_url(request.path),
    )
    for newsletter in issues.archive_issues(network, access)[:20]:
        edition = issues.edition_for_reader(newsletter, language)
        if edition is None:
            continue
        link = absolute_url(
            reverse("outreach:archive_issue", args=[network.slug, newsletter.number])
        )
        feed.add_item(
            title=edition.subject,
            link=link,
            unique_id=link,
            description=str(render_markdown(edition.body)),
            pubdate=newsletter.started_at or newsletter.created_at,
            updateddate=newsletter.finished_at or newsletter.started_at or newsletter.created_at,
        )
    response = HttpResponse(content_type="application/atom+xml; charset=utf-8")
    feed.write(response, "utf-8")
    return response


@require_safe
@network_view(Capability.VIEW_PUBLIC)
def privacy(request: HttpRequest) -> HttpResponse:
    """What the network keeps about subscribers, whether it counts opens and clicks, and how to
    unsubscribe, download one's data or erase it."""
    access = _access(request)
    return render(
        request,
        "outreach/newsletters_privacy.html",
        _context(
            request,
            # Read, never create: a visitor's page view writes nothing.
            mail_settings=OutreachSettings.objects.filter(network=access.network).first()
            or OutreachSettings(network=access.network),
        ),
    )
