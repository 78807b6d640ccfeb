"""Subscriber and list pages.

On the network's pages: the public subscribe form (double opt-in), and for coordinators
(Capability.SEND_NEWSLETTERS) the lists, the subscribers with their consent records, the
suppression list with bounce uploads, and CSV import and export.

At /o/ (the emailed token is the key, no sign-in): the confirmation link, the preference center
(lists, language, frequency, download or erase my data), one-click unsubscribe (RFC 8058: a POST
unsubscribes at once without CSRF; a GET only shows a button), and the bounce webhook."""

from __future__ import annotations

import json
import secrets
from typing import Any

from django.contrib import messages
from django.core import signing
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    JsonResponse,
    StreamingHttpResponse,
)
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from netweave.lib.csvimport import import_rows, template_csv
from netweave.networks.decorators import network_view
from netweave.networks.models import Network
from netweave.networks.permissions import Access, Capability
from netweave.outreach import bounces, lists_importing, subscriptions
from netweave.outreach.common import OutreachError, settings_for, supported_language
from netweave.outreach.forms_lists import (
    ImportForm,
    MailingListForm,
    MboxUploadForm,
    PreferencesForm,
    SubscribeForm,
    SubscriberAddForm,
    SubscriberFilterForm,
    SuppressionForm,
)
from netweave.outreach.models import MailingList, Subscriber, Subscription

PAGE_SIZE = 50
IMPORT_SALT = "netweave.outreach.import"


def _access(request: HttpRequest) -> Access:
    return request.access  # type: ignore[attr-defined,no-any-return]


def client_ip(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


def _url(name: str, access: Access, *args: Any) -> str:
    return reverse(f"outreach:{name}", args=[access.network.slug, *args])


def _context(access: Access, tab: str, **extra: Any) -> dict[str, Any]:
    return {"network": access.network, "access": access, "tab": tab, **extra}


# --- subscribing from the network's pages ---------------------------------------------------------


@require_http_methods(["GET", "POST"])
@network_view(Capability.VIEW_PUBLIC)
def subscribe(request: HttpRequest) -> HttpResponse:
    access = _access(request)
    network = access.network
    language = supported_language(get_language(), network=network)
    form = SubscribeForm(request.POST or None, network=network, language=language)
    if request.method == "POST" and form.is_valid():
        if not form.is_bot:
            subscriptions.subscribe(
                network=network,
                email=form.cleaned_data["email"],
                name=form.cleaned_data["name"],
                language=form.cleaned_data["language"],
                lists=list(form.cleaned_data["lists"]),
                method=Subscription.Method.FORM,
                ip=client_ip(request),
            )
        # The same answer whoever the address belongs to: nothing tells whether it was known.
        return render(
            request,
            "outreach/lists_subscribe_done.html",
            _context(access, "subscribe", email=form.cleaned_data["email"]),
        )
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "outreach/lists_subscribe.html",
        _context(access, "subscribe", form=form, has_lists=form.fields["lists"].queryset.exists()),  # type: ignore[attr-defined]
        status=status,
    )


# --- lists ---------------------------------------------------------------------------------------


@require_safe
@network_view(Capability.SEND_NEWSLETTERS)
def lists(request: HttpRequest) -> HttpResponse:
    access = _access(request)
    rows = list(subscriptions.lists_with_counts(access.network))
    return render(request, "outreach/lists_lists.html", _context(access, "lists", rows=rows))


def _save_list(access: Access, form: MailingListForm, mailing_list: MailingList | None) -> bool:
    data = form.cleaned_data
    try:
        if mailing_list is None:
            subscriptions.mailing_list_create(
                network=access.network,
                name=data["name"],
                slug=data["slug"],
                description=data["description"],
                visibility=data["visibility"],
            )
        else:
            subscriptions.mailing_list_update(
                mailing_list=mailing_list,
                name=data["name"],
                slug=data["slug"] or mailing_list.slug,
                description=data["description"],
                visibility=data.get("visibility") or mailing_list.visibility,
            )
    except OutreachError as error:
        form.add_error(None, str(error))
        return False
    return True


@require_http_methods(["GET", "POST"])
@network_view(Capability.SEND_NEWSLETTERS)
def list_new(request: HttpRequest) -> HttpResponse:
    access = _access(request)
    form = MailingListForm(request.POST or None, network=access.network)
    if request.method == "POST" and form.is_valid() and _save_list(access, form, None):
        messages.success(request, _("The list %(name)s was created.") % form.cleaned_data)
        return redirect(_url("lists", access))
    return render(
        request, "outreach/lists_list_form.html", _context(access, "lists", form=form, item=None)
    )


@require_http_methods(["GET", "POST"])
@network_view(Capability.SEND_NEWSLETTERS)
def list_edit(request: HttpRequest, mailing_list_id: int) -> HttpResponse:
    access = _access(request)
    item = subscriptions.list_in_network(access.network, mailing_list_id)
    form = MailingListForm(request.POST or None, network=access.network, instance=item)
    if request.method == "POST" and form.is_valid():
        item.refresh_from_db()  # the form changed the instance; the service compares
        if _save_list(access, form, item):
            messages.success(request, _("Your changes to %(name)s are saved.") % {"name": item})
            return redirect(_url("lists", access))
    return render(
        request, "outreach/lists_list_form.html", _context(access, "lists", form=form, item=item)
    )


@require_http_methods(["GET", "POST"])
@network_view(Capability.SEND_NEWSLETTERS)
def list_delete(request: HttpRequest, mailing_list_id: int) -> HttpResponse:
    access = _access(request)
    item = subscriptions.list_in_network(access.network, mailing_list_id)
    if request.method == "POST":
        try:
            subscriptions.mailing_list_delete(mailing_list=item)
        except OutreachError as error:
            messages.error(request, str(error))
            return redirect(_url("lists", access))
        messages.success(request, _("The list %(name)s was deleted.") % {"name": item.name})
        return redirect(_url("lists", access))
    return render(request, "outreach/lists_list_delete.html", _context(access, "lists", item=item))


# --- subscribers ---------------------------------------------------------------------------------


@require_safe
@network_view(Capability.SEND_NEWSLETTERS)
def subscribers(request: HttpRequest) -> HttpResponse:
    access = _access(request)
    form = SubscriberFilterForm(request.GET or None, network=access.network)
    query, list_id, status = "", None, ""
    if form.is_valid():
        query = form.cleaned_data["q"]
        list_id = form.cleaned_data["list"]
        status = form.cleaned_data["status"]
    rows = subscriptions.subscribers_filtered(
        network=access.network, query=query, list_id=list_id, status=status
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "outreach/lists_subscribers.html",
        _context(
            access,
            "subscribers",
            form=form,
            page=page,
            rows=page.object_list,
            filtered=bool(query or list_id or status),
            counts=subscriptions.subscriber_counts(access.network),
            has_lists=MailingList.objects.filter(network=access.network).exists(),
        ),
    )


@require_safe
@network_view(Capability.SEND_NEWSLETTERS)
def subscriber(request: HttpRequest, subscriber_id: int) -> HttpResponse:
    access = _access(request)
    found = subscriptions.subscriber_in_network(access.network, subscriber_id)
    return render(
        request,
        "outreach/lists_subscriber.html",
        _context(
            access,
            "subscribers",
            subscriber=found,
            subs=list(found.subscriptions.all()),
            bounce_rows=list(subscriptions.bounces_of(found)[:100]),
            suppression=subscriptions.suppression_of(found),
        ),
    )


@require_http_methods(["GET", "POST"])
@network_view(Capability.SEND_NEWSLETTERS)
def subscriber_new(request: HttpRequest) -> HttpResponse:
    access = _access(request)
    form = SubscriberAddForm(request.POST or None, network=access.network)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        added = subscriptions.subscribe(
            network=access.network,
            email=data["email"],
            name=data["name"],
            language=data["language"],
            lists=list(data["lists"]),
            method=Subscription.Method.COORDINATOR,
            note=data["consent_note"],
            by=access.person,
        )
        messages.success(request, _("%(email)s was added.") % {"email": added.email})
        return redirect(_url("subscriber", access, added.pk))
    return render(
        request, "outreach/lists_subscriber_new.html", _context(access, "subscribers", form=form)
    )


@require_POST
@network_view(Capability.SEND_NEWSLETTERS)
def subscriber_unsubscribe(request: HttpRequest, subscriber_id: int) -> HttpResponse:
    access = _access(request)
    found = subscriptions.subscriber_in_network(access.network, subscriber_id)
    which = request.POST.get("list", "")
    if which == "all":
        subscriptions.unsubscribe_all(
            subscriber=found, method=subscriptions.UNSUBSCRIBED_COORDINATOR
        )
        messages.success(request, _("%(email)s is off every list.") % {"email": found.email})
    elif which.isdigit():
        mailing_list = subscriptions.list_in_network(access.network, int(which))
        subscriptions.unsubscribe(
            subscriber=found,
            mailing_list=mailing_list,
            method=subscriptions.UNSUBSCRIBED_COORDINATOR,
        )
        messages.success(
            request,
            _("%(email)s is off %(list)s.") % {"email": found.email, "list": mailing_list.name},
        )
    else:
        messages.error(request, _("Say which list to take them off (or all)."))
    return redirect(_url("subscriber", access, found.pk))


# --- suppressions and bounces --------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@network_view(Capability.SEND_NEWSLETTERS)
def suppressions(request: HttpRequest) -> HttpResponse:
    access = _access(request)
    form = SuppressionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        subscriptions.suppression_add(
            network=access.network,
            email=form.cleaned_data["email"],
            detail=form.cleaned_data["detail"],
        )
        messages.success(
            request, _("No newsletter goes to %(email)s any more.") % form.cleaned_data
        )
        return redirect(_url("suppressions", access))
    query = subscriptions.search_text(request.GET.get("q", ""))
    rows = subscriptions.suppressions_filtered(access.network, query)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    mail_settings = settings_for(access.network)
    return render(
        request,
        "outreach/lists_suppressions.html",
        _context(
            access,
            "suppressions",
            form=form,
            upload_form=MboxUploadForm(),
            page=page,
            rows=page.object_list,
            query=query,
            webhook_url=request.build_absolute_uri(
                reverse(
                    "outreach_public:bounce_webhook",
                    args=[access.network.slug, mail_settings.webhook_secret],
                )
            ),
            threshold=mail_settings.soft_bounce_threshold,
        ),
        status=400 if request.method == "POST" else 200,
    )


@require_POST
@network_view(Capability.SEND_NEWSLETTERS)
def suppression_delete(request: HttpRequest, suppression_id: int) -> HttpResponse:
    access = _access(request)
    found = subscriptions.suppression_in_network(access.network, suppression_id)
    subscriptions.suppression_remove(suppression=found)
    messages.success(request, _("%(email)s receives newsletters again.") % {"email": found.email})
    return redirect(_url("suppressions", access))


@require_http_methods(["GET", "POST"])
@network_view(Capability.SEND_NEWSLETTERS)
def bounces_upload(request: HttpRequest) -> HttpResponse:
    access = _access(request)
    form = MboxUploadForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        report = bounces.process_mbox_bytes(
            network=access.network, content=form.cleaned_data["mbox"]
        )
    return render(
        request,
        "outreach/lists_bounces_upload.html",
        _context(access, "suppressions", form=form, report=report),
        status=400 if request.method == "POST" and not form.is_valid() else 200,
    )


# --- import and export ---------------------------------------------------------------------------


def _stash_upload(access: Access, content: bytes) -> str:
    """Keep the checked file until the coordinator says "import": a signed name of a file."""
    name = default_storage.save(
        f"outreach-imports/{access.network.pk}/{secrets.token_urlsafe(16)}.csv",
        ContentFile(content),
    )
    return signing.dumps({"n": access.network.pk, "f": name}, salt=IMPORT_SALT)


def _stashed(access: Access, stash: str) -> str | None:
    try:
        data = signing.loads(stash, salt=IMPORT_SALT, max_age=24 * 3600)
    except signing.BadSignature:
        return None
    if data.get("n") != access.network.pk or not default_storage.exists(data.get("f", "")):
        return None
    return str(data["f"])


@require_http_methods(["GET", "POST"])
@network_view(Capability.SEND_NEWSLETTERS)
def subscribers_import(request: HttpRequest) -> HttpResponse:
    """Upload: the file is checked (nothing written) and the report shown, with an "import"
    button when every row is good."""
    access = _access(request)
    if request.GET.get("template"):
        kind = lists_importing.SUBSCRIBERS
        response = HttpResponse(
            template_csv(kind.columns, kind.example(access.network)),
            content_type="text/csv; charset=utf-8",
        )
        response["Content-Disposition"] = 'attachment; filename="subscribers-template.csv"'
        return response
    form = ImportForm(request.POST or None, request.FILES or None)
    report = stash = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        content = upload.read()
        report = import_rows(
            kind=lists_importing.SUBSCRIBERS,
            network=access.network,
            filename=upload.name,
            content=content,
            dry_run=True,
            actor=access.person,
        )
        if report.ok:
            stash = _stash_upload(access, content)
    return render(
        request,
        "outreach/lists_import.html",
        _context(access, "import", form=form, report=report, stash=stash),
        status=400 if request.method == "POST" and not form.is_valid() else 200,
    )


@require_POST
@network_view(Capability.SEND_NEWSLETTERS)
def subscribers_import_commit(request: HttpRequest) -> HttpResponse:
    access = _access(request)
    name = _stashed(access, request.POST.get("stash", ""))
    if name is None:
        messages.error(
            request,
            _("The checked file is no longer here (or the link is broken). Upload it again."),
        )
        return redirect(_url("subscribers_import", access))
    with default_storage.open(name, "rb") as stored:
        content = stored.read()
    report = import_rows(
        kind=lists_importing.SUBSCRIBERS,
        network=access.network,
        filename=name.rsplit("/", 1)[-1],
        content=content,
        dry_run=False,
        actor=access.person,
    )
    if report.committed:
        default_storage.delete(name)
        messages.success(
            request,
            _("Imported: %(new)d new, %(updated)d updated, %(same)d unchanged.")
            % {"new": report.to_create, "updated": report.to_update, "same": report.unchanged},
        )
        return redirect(_url("subscribers", access))
    return render(
        request,
        "outreach/lists_import.html",
        _context(access, "import", form=ImportForm(), report=report, stash=None),
    )


@require_safe
@network_view(Capability.SEND_NEWSLETTERS)
def subscribers_export(request: HttpRequest) -> StreamingHttpResponse:
    access = _access(request)
    list_id = request.GET.get("list", "")
    the_list = (
        subscriptions.list_in_network(access.network, int(list_id)) if list_id.isdigit() else None
    )
    rows = lists_importing.export_rows(access.network, list_id=the_list.pk if the_list else None)
    response = StreamingHttpResponse(
        lists_importing.export_csv_lines(rows), content_type="text/csv; charset=utf-8"
    )
    suffix = f"-{the_list.slug}" if the_list else ""
    stamp = timezone.now().date().isoformat()
    response["Content-Disposition"] = (
        f'attachment; filename="{access.network.slug}-subscribers{suffix}-{stamp}.csv"'
    )
    return response


# --- token pages (/o/) ---------------------------------------------------------------------------


def _subscriber_for(token: str) -> Subscriber:
    found = Subscriber.objects.select_related("network").filter(token=token).first()
    if found is None:
        raise Http404(_("This link is not valid any more."))
    return found


def _public(subscriber: Subscriber | None, network: Network | None, **extra: Any) -> dict[str, Any]:
    return {"subscriber": subscriber, "network": network, **extra}


@require_http_methods(["GET", "POST"])
def confirm(request: HttpRequest, confirmation: str) -> HttpResponse:
    """The link of the confirmation email: a page with a button (mail scanners that open links
    do not confirm anything); the button confirms."""
    try:
        found, list_ids = subscriptions.read_confirmation(confirmation)
    except subscriptions.ConfirmationInvalid as error:
        return render(
            request, "outreach/lists_confirm.html", _public(None, None, problem=str(error)),
            status=404,
        )  # fmt: skip
    if request.method == "POST":
        found, confirmed = subscriptions.confirm(token=confirmation, ip=client_ip(request))
        return render(
            request,
            "outreach/lists_confirm.html",
            _public(found, found.network, done=True, confirmed=confirmed),
        )
    waiting = MailingList.objects.filter(pk__in=list_ids, network=found.network)
    return render(
        request,
        "outreach/lists_confirm.html",
        _public(found, found.network, lists=list(waiting)),
    )


@require_http_methods(["GET", "POST"])
def preferences(request: HttpRequest, subscriber_token: str) -> HttpResponse:
    found = _subscriber_for(subscriber_token)
    offered = subscriptions.lists_for_preferences(found)
    statuses = subscriptions.statuses_of(found)
    initial = {
        "lists": [m.pk for m in offered if statuses.get(m.pk) == Subscription.Status.SUBSCRIBED],
        "language": supported_language(found.language, network=found.network),
        "frequency": found.frequency,
    }
    status = 200
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action == "unsubscribe_all":
            subscriptions.unsubscribe_all(
                subscriber=found, method=subscriptions.UNSUBSCRIBED_EVERYTHING
            )
            messages.success(request, _("You are unsubscribed from every list."))
            return redirect("outreach_public:preferences", found.token)
        form = PreferencesForm(request.POST, offered=offered, initial=initial)
        if action != "save":
            form.add_error(None, _("Choose “Save my choices” or “Unsubscribe from everything”."))
            status = 400
        elif form.is_valid():
            subscriptions.preferences_save(
                subscriber=found,
                chosen=list(form.cleaned_data["lists"]),
                language=form.cleaned_data["language"],
                frequency=form.cleaned_data["frequency"],
                ip=client_ip(request),
            )
            messages.success(request, _("Your choices are saved."))
            return redirect("outreach_public:preferences", found.token)
        else:
            status = 400
    else:
        form = PreferencesForm(offered=offered, initial=initial)
    return render(
        request,
        "outreach/lists_preferences.html",
        _public(found, found.network, form=form, statuses=statuses, offered=offered),
        status=status,
    )


@require_safe
def data_download(request: HttpRequest, subscriber_token: str) -> HttpResponse:
    found = _subscriber_for(subscriber_token)
    data = subscriptions.subscriber_data(found)
    response = JsonResponse(data, json_dumps_params={"indent": 2, "ensure_ascii": False})
    response["Content-Disposition"] = (
        f'attachment; filename="{found.network.slug}-my-subscription-data.json"'
    )
    response["Cache-Control"] = "no-store"
    return response


@require_http_methods(["GET", "POST"])
def erase(request: HttpRequest, subscriber_token: str) -> HttpResponse:
    found = _subscriber_for(subscriber_token)
    network = found.network
    if request.method == "POST":
        if request.POST.get("confirm") != "erase":
            return render(
                request,
                "outreach/lists_erase.html",
                _public(found, network, problem=_("Tick the box to confirm the erasure.")),
                status=400,
            )
        subscriptions.erase(subscriber=found)
        return render(request, "outreach/lists_erase.html", _public(None, network, done=True))
    return render(request, "outreach/lists_erase.html", _public(found, network))


@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, subscriber_token: str, mailing_list_id: int) -> HttpResponse:
    """RFC 8058: mail clients POST "List-Unsubscribe=One-Click" here, without cookies or CSRF
    token, and the address is off the list at once. A GET (a person, or a link scanner) only
    shows the page with its button."""
    found = _subscriber_for(subscriber_token)
    mailing_list = MailingList.objects.filter(
        pk=mailing_list_id, network_id=found.network_id
    ).first()
    if mailing_list is None:
        raise Http404(_("This link is not valid any more."))
    if request.method == "POST":
        one_click = request.POST.get("List-Unsubscribe") == "One-Click"
        subscriptions.unsubscribe(
            subscriber=found,
            mailing_list=mailing_list,
            method=(
                subscriptions.UNSUBSCRIBED_ONE_CLICK
                if one_click
                else subscriptions.UNSUBSCRIBED_PAGE
            ),
        )
        if one_click:
            return HttpResponse(
                _("Unsubscribed from %(list)s.") % {"list": mailing_list.name},
                content_type="text/plain; charset=utf-8",
            )
        return render(
            request,
            "outreach/lists_unsubscribe.html",
            _public(found, found.network, mailing_list=mailing_list, done=True),
        )
    subscribed = Subscription.objects.filter(
        subscriber=found, mailing_list=mailing_list, status=Subscription.Status.SUBSCRIBED
    ).exists()
    return render(
        request,
        "outreach/lists_unsubscribe.html",
        _public(found, found.network, mailing_list=mailing_list, subscribed=subscribed),
    )


@csrf_exempt
@require_POST
def bounce_webhook(request: HttpRequest, slug: str, secret: str) -> HttpResponse:
    """POST JSON {"email", "kind", "status", "detail", "message_id"} or a list of them."""
    network = Network.objects.filter(slug=slug).first()
    if network is None:
        raise Http404
    expected = settings_for(network).webhook_secret
    if not secrets.compare_digest(expected.encode(), secret.encode()):
        raise Http404
    try:
        data = json.loads(request.body.decode("utf-8") or "null")
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as error:
        return _webhook_error(_("The body is not valid JSON (%(problem)s).") % {"problem": error})
    if data is None:
        return _webhook_error(
            _('Send a JSON body: {"email": "a@example.org", "kind": "hard"} or a list of them.')
        )
    try:
        items = bounces.webhook_items(data)
    except bounces.WebhookInvalid as error:
        return _webhook_error(str(error))
    recorded = bounces.record_webhook(network=network, items=items)
    return JsonResponse({"recorded": len(recorded)})


def _webhook_error(message: str) -> HttpResponse:
    return JsonResponse({"error": message}, status=400)
