"""Pages of the resource center: browse and search, a resource and its history, submitting and
editing, topics, "new this month", and the curators' review and "needs attention" queues.

Everything works without JavaScript: actions are forms that POST and redirect back with a
message. The public part (browse, resources, topics, the Atom feeds) is open to anyone who may
see the network; what each visitor sees of it is decided by the selectors."""

from __future__ import annotations

import difflib
import logging
from datetime import date
from pathlib import PurePath
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from netweave.library import selectors
from netweave.library.forms import ResourceForm, ReviewedForm, StatusForm, TopicForm, phase_label
from netweave.library.models import Resource, ResourceRevision, Topic, Visibility
from netweave.library.search import FACETS, SearchQuery, resources_search
from netweave.library.services import (
    LibraryError,
    UploadRejected,
    allowed_statuses,
    resource_create,
    resource_mark_reviewed,
    resource_revert,
    resource_set_status,
    resource_update,
    topic_create,
    topic_delete,
    topic_move,
    topic_update,
)
from netweave.networks.decorators import network_view
from netweave.networks.permissions import Access, Capability
from netweave.people.models import Organization, Person

logger = logging.getLogger(__name__)

PAGE_SIZE = 20
HISTORY_PAGE_SIZE = 30
# Shown in the browser rather than downloaded (with a sandboxing CSP); everything else downloads.
INLINE_TYPES = frozenset({"application/pdf", "image/png", "image/jpeg"})


def _access(request: HttpRequest) -> Access:
    return request.access  # type: ignore[attr-defined,no-any-return]


def _base(access: Access, **context: Any) -> dict[str, Any]:
    return {
        "network": access.network,
        "access": access,
        "curator": access.can(Capability.CURATE),
        "counts": selectors.curation_counts(access=access),
        **context,
    }


def _refuse(request: HttpRequest) -> HttpResponse:
    """Anonymous visitors are sent to sign in; everyone else gets a 403."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    raise PermissionDenied


def redirect_back(request: HttpRequest, default: str) -> HttpResponse:
    """Redirect to the `next` the form sent (same site only), else to `default`."""
    target = request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(default)


def _resource_url(resource: Resource) -> str:
    return reverse("library:resource", args=[resource.network.slug, resource.pk])


# --- browse and search ---------------------------------------------------------------------------


def search_query_from(params: Any, access: Access) -> tuple[SearchQuery, int, list[str]]:
    """The browse page's query string as a SearchQuery, the page number, and the filters that
    were ignored because they name nothing (a deleted topic in an old link, a typo)."""
    network = access.network
    ignored: list[str] = []

    def pick(name: str, allowed: set[str]) -> list[str]:
        values = [value for value in params.getlist(name) if value]
        ignored.extend(f"{name}={value}" for value in values if value not in allowed)
        return list(dict.fromkeys(value for value in values if value in allowed))

    topics = set(Topic.objects.filter(network=network).values_list("slug", flat=True))
    from django.conf.locale import LANG_INFO

    years: list[int] = []
    for value in params.getlist("year"):
        if value.isdigit() and 1000 <= int(value) <= 2999:
            years.append(int(value))
        elif value:
            ignored.append(f"year={value}")
    sort = params.get("sort") or "relevance"
    if sort not in ("relevance", "newest"):
        ignored.append(f"sort={sort}")
        sort = "relevance"
    page_text = params.get("page") or "1"
    page = int(page_text) if page_text.isdigit() and 0 < int(page_text) < 100_000 else 1
    query = SearchQuery(
        text=(params.get("q") or "").strip()[:200],
        kinds=pick("kind", set(Resource.Kind.values)),
        topics=pick("topic", topics),
        phases=pick("phase", set(network.phase_model or [])),
        languages=pick("language", set(LANG_INFO)),
        years=list(dict.fromkeys(years)),
        sort=sort,
    )
    return query, page, ignored


@require_safe
@network_view(Capability.VIEW_PUBLIC)
def browse(request: HttpRequest) -> HttpResponse:
    """Search box, facets and results; anonymous visitors see the public resources."""
    access = _access(request)
    query, page, ignored = search_query_from(request.GET, access)
    results = resources_search(access=access, query=query, page=page, per_page=PAGE_SIZE)
    facet_names = {
        "kind": _("Kind"),
        "topic": _("Topic"),
        "phase": _("Life-cycle phase"),
        "language": _("Language"),
        "year": _("Year"),
    }
    facets: list[dict[str, Any]] = [
        {"name": name, "label": facet_names[name], "values": results.facets.get(name, [])}
        for name in FACETS
    ]
    selected = [
        {"name": facet["name"], "value": value.value, "label": value.label}
        for facet in facets
        for value in facet["values"]
        if value.selected
    ]
    filtered = bool(query.text or selected)
    return render(
        request,
        "library/browse.html",
        _base(
            access,
            query=query,
            results=results,
            facets=facets,
            selected=selected,
            filtered=filtered,
            ignored=ignored,
            tab="browse",
        ),
    )


# --- one resource --------------------------------------------------------------------------------


@require_safe
@network_view(Capability.VIEW_PUBLIC)
def resource(request: HttpRequest, resource_id: int) -> HttpResponse:
    access = _access(request)
    item = selectors.resource_for_viewer(access=access, resource_id=resource_id)
    curator = access.can(Capability.CURATE)
    return render(
        request,
        "library/resource_detail.html",
        _base(
            access,
            resource=item,
            translations=selectors.translations_of(access=access, resource=item),
            can_edit=selectors.can_edit_resource(access, item),
            is_submitter=selectors.is_submitter(access, item),
            next_statuses=allowed_statuses(item) if curator else [],
            show_profiles=access.can(Capability.VIEW_DIRECTORY),
            phase_labels=_phase_labels(item.phases),
            file_name=PurePath(item.file.name).name if item.file else "",
            today=timezone.localdate(),
        ),
    )


def _phase_labels(phases: list[str]) -> list[str]:
    return [phase_label(phase) for phase in phases]


@require_safe
@network_view(Capability.VIEW_PUBLIC)
def resource_file(request: HttpRequest, resource_id: int) -> HttpResponseBase:
    """The uploaded file, to whoever may see the resource. Never through MEDIA_URL: the path is
    checked to lie in the network's own folder, and the type is the one checked at upload."""
    access = _access(request)
    item = selectors.resource_for_viewer(access=access, resource_id=resource_id)
    name = item.file.name if item.file else ""
    if not name or not name.startswith(f"library/{access.network.pk}/"):
        raise Http404
    try:
        handle = item.file.storage.open(name, "rb")
    except (FileNotFoundError, OSError):
        logger.warning("The file of resource %s is missing from storage: %s", item.pk, name)
        raise Http404 from None
    content_type = item.file_type or "application/octet-stream"
    response = FileResponse(
        handle,
        as_attachment=content_type not in INLINE_TYPES,
        filename=PurePath(name).name,
        content_type=content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    public = item.status == Resource.Status.PUBLISHED and item.visibility == Visibility.PUBLIC
    response["Cache-Control"] = "public, max-age=3600" if public else "private, no-store"
    return response


# --- submitting and editing ----------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@network_view(Capability.VIEW_OWN_EGO)
def submit(request: HttpRequest) -> HttpResponse:
    """Members submit a resource for review; curators may publish it at once."""
    access = _access(request)
    curator = access.can(Capability.CURATE)
    initial = {
        key: request.GET[key] for key in ("title", "url", "kind", "language") if key in request.GET
    }
    form = ResourceForm(
        request.POST or None,
        request.FILES or None,
        network=access.network,
        curator=curator,
        initial=initial,
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            publish = curator and form.cleaned_data.get("publish")
            try:
                created = resource_create(
                    network=access.network,
                    by=access.person,
                    status=Resource.Status.PUBLISHED if publish else None,
                    **form.service_fields(),
                )
            except (LibraryError, UploadRejected) as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request,
                    _("Published.")
                    if publish
                    else _("Thank you! A curator will review it before it is published."),
                )
                return redirect(_resource_url(created))
        status = 400
    return render(
        request,
        "library/resource_form.html",
        _base(access, form=form, editing=None, tab="submit"),
        status=status,
    )


@require_http_methods(["GET", "POST"])
@network_view(Capability.VIEW_OWN_EGO)
def resource_edit(request: HttpRequest, resource_id: int) -> HttpResponse:
    """Curators edit any resource; the member who submitted it, until it is published."""
    access = _access(request)
    item = selectors.resource_for_viewer(access=access, resource_id=resource_id)
    if not selectors.can_edit_resource(access, item):
        raise PermissionDenied
    form = ResourceForm(
        request.POST or None,
        request.FILES or None,
        network=access.network,
        curator=access.can(Capability.CURATE),
        resource=item,
        initial=ResourceForm.initial_for(item),
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                resource_update(
                    resource=item,
                    by=access.person,
                    note=form.cleaned_data.get("note") or "",
                    **form.service_fields(),
                )
            except (LibraryError, UploadRejected) as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Your changes are saved."))
                return redirect(_resource_url(item))
        status = 400
    return render(
        request,
        "library/resource_form.html",
        _base(access, form=form, editing=item, tab=""),
        status=status,
    )


# --- curation ------------------------------------------------------------------------------------


STATUS_DONE = {
    Resource.Status.SUBMITTED: gettext_lazy("Sent back to the submitted resources."),
    Resource.Status.IN_REVIEW: gettext_lazy("Taken into review."),
    Resource.Status.PUBLISHED: gettext_lazy("Published."),
    Resource.Status.ARCHIVED: gettext_lazy("Archived: it is no longer listed."),
}


@require_POST
@network_view(Capability.CURATE)
def resource_status(request: HttpRequest, resource_id: int) -> HttpResponse:
    access = _access(request)
    item = selectors.resource_for_viewer(access=access, resource_id=resource_id)
    form = StatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose what should happen to the resource."))
    else:
        try:
            resource_set_status(
                resource=item,
                by=access.person,
                status=form.cleaned_data["status"],
                note=form.cleaned_data.get("note") or "",
            )
        except LibraryError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, str(STATUS_DONE[Resource.Status(item.status)]))
    return redirect_back(request, _resource_url(item))


@require_POST
@network_view(Capability.CURATE)
def resource_reviewed(request: HttpRequest, resource_id: int) -> HttpResponse:
    """A curator checked the resource is still current: a new review-by date."""
    access = _access(request)
    item = selectors.resource_for_viewer(access=access, resource_id=resource_id)
    form = ReviewedForm(request.POST)
    back = reverse("library:attention", args=[access.network.slug])
    if not form.is_valid():
        messages.error(request, " ".join(str(error) for error in form.errors["review_by"]))
        return redirect_back(request, back)
    review_by = form.cleaned_data.get("review_by")
    if review_by is not None and review_by <= timezone.localdate():
        messages.error(request, _("The next review date must be in the future."))
        return redirect_back(request, back)
    resource_mark_reviewed(resource=item, by=access.person, review_by=review_by)
    messages.success(
        request,
        _("Marked as reviewed; next review by %(date)s.")
        % {"date": item.review_by.isoformat() if item.review_by else ""},
    )
    return redirect_back(request, back)


@require_POST
@network_view(Capability.CURATE)
def resource_check(request: HttpRequest, resource_id: int) -> HttpResponse:
    """Check the resource's link again now (in the background)."""
    from netweave.library.tasks import check_link

    access = _access(request)
    item = selectors.resource_for_viewer(access=access, resource_id=resource_id)
    if not item.url:
        messages.error(request, _("This resource has no link to check."))
    else:
        transaction.on_commit(lambda: check_link.enqueue(item.pk))
        messages.success(request, _("The link is being checked; reload the page in a moment."))
    return redirect_back(request, _resource_url(item))


FIELD_LABELS = {
    "title": gettext_lazy("Title"),
    "kind": gettext_lazy("Kind"),
    "url": gettext_lazy("Link"),
    "file": gettext_lazy("File"),
    "file_type": gettext_lazy("File type"),
    "file_size": gettext_lazy("File size"),
    "language": gettext_lazy("Language"),
    "translation_of": gettext_lazy("Translation of"),
    "topics": gettext_lazy("Topics"),
    "phases": gettext_lazy("Life-cycle phases"),
    "author_people": gettext_lazy("Authors who are members"),
    "author_organizations": gettext_lazy("Authoring organizations"),
    "other_authors": gettext_lazy("Other authors"),
    "summary": gettext_lazy("Summary"),
    "visibility": gettext_lazy("Visibility"),
    "status": gettext_lazy("Status"),
    "publication_date": gettext_lazy("Date of the work"),
    "review_by": gettext_lazy("Review by"),
    "link_status": gettext_lazy("Link"),
}


def _names(revisions: list[ResourceRevision]) -> dict[str, dict[int, str]]:
    """Names of the topics, people and organizations the revisions mention (three queries)."""
    ids: dict[str, set[int]] = {
        "topics": set(),
        "author_people": set(),
        "author_organizations": set(),
    }
    for revision in revisions:
        for key in ids:
            ids[key].update(int(pk) for pk in (revision.data or {}).get(key) or [])
    return {
        "topics": dict(Topic.objects.filter(pk__in=ids["topics"]).values_list("pk", "name")),
        "author_people": dict(
            Person.objects.filter(pk__in=ids["author_people"]).values_list("pk", "name")
        ),
        "author_organizations": dict(
            Organization.objects.filter(pk__in=ids["author_organizations"]).values_list(
                "pk", "name"
            )
        ),
    }


def _shown(field: str, value: Any, names: dict[str, dict[int, str]]) -> str:
    if value in (None, "", []):
        return "—"
    if field in names:
        return ", ".join(names[field].get(int(pk), f"#{pk}") for pk in value)
    if field == "kind":
        return str(Resource.Kind(value).label) if value in Resource.Kind.values else str(value)
    if field == "visibility":
        return str(Visibility(value).label) if value in Visibility.values else str(value)
    if field == "status":
        return str(Resource.Status(value).label) if value in Resource.Status.values else str(value)
    if field == "link_status":
        choices = Resource.LinkStatus
        return str(choices(value).label) if value in choices.values else str(value)
    if field == "phases":
        return ", ".join(_phase_labels(list(value)))
    if field == "file":
        return PurePath(str(value)).name
    if field == "translation_of":
        return f"#{value}"
    return str(value)


def _changes(
    revision: ResourceRevision, before: dict[str, Any] | None, names: dict[str, dict[int, str]]
) -> list[dict[str, Any]]:
    after = revision.data or {}
    fields = [name for name in revision.changed or [] if name in FIELD_LABELS]
    changes = []
    for name in fields:
        old = (before or {}).get(name)
        new = after.get(name)
        if name == "link_status" and old is None and new is not None:
            # The checker notes only a change between broken and working: working now means
            # it was broken before (older revisions do not record the link's status).
            old = Resource.LinkStatus.BROKEN if new != Resource.LinkStatus.BROKEN else None
        change: dict[str, Any] = {
            "field": name,
            "label": FIELD_LABELS[name],
            "before": _shown(name, old, names) if before is not None else None,
            "after": _shown(name, new, names),
            "lines": [],
        }
        if name == "summary" and before is not None:
            diff = difflib.ndiff(str(old or "").splitlines(), str(new or "").splitlines())
            change["lines"] = [
                {"op": line[0], "text": line[2:]} for line in diff if line[:1] in ("-", "+", " ")
            ]
        changes.append(change)
    return changes


@require_safe
@network_view(Capability.VIEW_OWN_EGO)
def resource_history(request: HttpRequest, resource_id: int) -> HttpResponse:
    """Every revision, newest first, with what changed; curators may revert to one."""
    access = _access(request)
    item = selectors.resource_for_viewer(access=access, resource_id=resource_id)
    if not selectors.can_edit_resource(access, item):
        raise PermissionDenied
    page = Paginator(selectors.revisions_for(resource=item), HISTORY_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    revisions = [selectors.revision_for_viewer(access, row) for row in page.object_list]
    # The revision before the page's last one, to show what that one changed.
    older = (
        ResourceRevision.objects.filter(resource=item, number__lt=revisions[-1].number)
        .order_by("-number")
        .first()
        if revisions
        else None
    )
    if older is not None:
        older = selectors.revision_for_viewer(access, older)
    names = _names([*revisions, *([older] if older else [])])
    rows = []
    for index, revision in enumerate(revisions):
        previous = revisions[index + 1] if index + 1 < len(revisions) else older
        rows.append(
            {
                "revision": revision,
                "changes": _changes(revision, previous.data if previous else None, names),
                "is_current": revision.number == revisions[0].number and page.number == 1,
            }
        )
    return render(
        request,
        "library/resource_history.html",
        _base(access, resource=item, page=page, rows=rows, tab=""),
    )


@require_POST
@network_view(Capability.CURATE)
def resource_revert_view(request: HttpRequest, resource_id: int, revision_id: int) -> HttpResponse:
    access = _access(request)
    item = selectors.resource_for_viewer(access=access, resource_id=resource_id)
    revision = get_object_or_404(ResourceRevision, pk=revision_id, resource=item)
    try:
        resource_revert(resource=item, by=access.person, revision=revision)
    except LibraryError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("Reverted to revision %(number)d; the change is a new revision.")
            % {"number": revision.number},
        )
    return redirect("library:resource_history", access.network.slug, item.pk)


@require_safe
@network_view(Capability.CURATE)
def review(request: HttpRequest) -> HttpResponse:
    """The curation queue: submitted and in-review resources, oldest first."""
    access = _access(request)
    page = Paginator(selectors.resources_for_review(access=access), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "library/review.html", _base(access, page=page, tab="review"))


@require_safe
@network_view(Capability.CURATE)
def attention(request: HttpRequest) -> HttpResponse:
    """Resources past their review-by date or with a broken link."""
    access = _access(request)
    today = timezone.localdate()
    page = Paginator(
        selectors.resources_needing_attention(access=access, today=today), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    return render(
        request, "library/attention.html", _base(access, page=page, today=today, tab="attention")
    )


@require_safe
@network_view(Capability.VIEW_OWN_EGO)
def mine(request: HttpRequest) -> HttpResponse:
    """The member's own submissions, whatever became of them."""
    access = _access(request)
    page = Paginator(selectors.submissions_of(access=access), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "library/mine.html", _base(access, page=page, tab="mine"))


# --- new this month ------------------------------------------------------------------------------


def _month(value: str, today: date) -> tuple[int, int] | None:
    if not value:
        return today.year, today.month
    parts = value.split("-")
    if len(parts) == 2 and all(part.isdigit() for part in parts):
        year, month = int(parts[0]), int(parts[1])
        if 1900 <= year <= 2999 and 1 <= month <= 12:
            return year, month
    return None


@require_safe
@network_view(Capability.VIEW_PUBLIC)
def new(request: HttpRequest) -> HttpResponse:
    """Resources first published this month (or the month in ?month=YYYY-MM)."""
    access = _access(request)
    today = timezone.localdate()
    month = _month(request.GET.get("month", ""), today)
    if month is None:
        return render(
            request,
            "library/new.html",
            _base(
                access,
                error=_("Give the month as YYYY-MM, for example %(example)s.")
                % {"example": today.strftime("%Y-%m")},
                tab="new",
            ),
            status=400,
        )
    year, number = month
    page = Paginator(
        selectors.resources_published_in(access=access, year=year, month=number), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    first = date(year, number, 1)
    previous = date(year - (number == 1), (number - 2) % 12 + 1, 1)
    following = date(year + (number == 12), number % 12 + 1, 1)
    return render(
        request,
        "library/new.html",
        _base(
            access,
            page=page,
            month=first,
            is_current=(year, number) == (today.year, today.month),
            previous=previous.strftime("%Y-%m"),
            following=following.strftime("%Y-%m") if following <= today else "",
            tab="new",
        ),
    )


# --- topics --------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@network_view(Capability.VIEW_PUBLIC)
def topics(request: HttpRequest) -> HttpResponse:
    """The topic tree; curators add topics here."""
    access = _access(request)
    curator = access.can(Capability.CURATE)
    if request.method == "POST" and not curator:
        return _refuse(request)
    form = TopicForm(request.POST or None, network=access.network) if curator else None
    status = 200
    if form is not None and request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                created = topic_create(
                    network=access.network,
                    name=data["name"],
                    slug=data.get("slug") or "",
                    parent=data.get("parent"),
                    description=data.get("description") or "",
                    position=data.get("position") or 0,
                )
            except LibraryError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Topic “%(name)s” added.") % {"name": created.name})
                return redirect("library:topics", access.network.slug)
        status = 400
    return render(
        request,
        "library/topics.html",
        _base(access, nodes=selectors.topic_tree(access=access), form=form, tab="topics"),
        status=status,
    )


@require_safe
@network_view(Capability.VIEW_PUBLIC)
def topic(request: HttpRequest, topic_slug: str) -> HttpResponse:
    """A topic: where it sits, its sub-topics, and its resources newest first."""
    access = _access(request)
    item = selectors.topic_for_viewer(access=access, slug=topic_slug)
    page = Paginator(selectors.topic_resources(access=access, topic=item), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "library/topic_detail.html",
        _base(
            access,
            topic=item,
            ancestors=selectors.topic_ancestors(item),
            children=list(item.children.order_by("position", "name")),
            page=page,
            tab="topics",
        ),
    )


@require_http_methods(["GET", "POST"])
@network_view(Capability.CURATE)
def topic_edit(request: HttpRequest, topic_slug: str) -> HttpResponse:
    access = _access(request)
    item = selectors.topic_for_viewer(access=access, slug=topic_slug)
    form = TopicForm(
        request.POST or None,
        network=access.network,
        topic=item,
        initial={
            "name": item.name,
            "slug": item.slug,
            "parent": item.parent_id,
            "description": item.description,
            "position": item.position,
        },
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                with transaction.atomic():
                    topic_update(
                        topic=item,
                        name=data["name"],
                        slug=data.get("slug") or item.slug,
                        description=data.get("description") or "",
                        position=data.get("position") or 0,
                    )
                    parent = data.get("parent")
                    if (parent.pk if parent else None) != item.parent_id:
                        topic_move(topic=item, parent=parent)
            except LibraryError as error:
                item.refresh_from_db()
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Topic saved."))
                return redirect("library:topic", access.network.slug, item.slug)
        status = 400
    return render(
        request,
        "library/topic_form.html",
        _base(access, topic=item, form=form, tab="topics"),
        status=status,
    )


@require_POST
@network_view(Capability.CURATE)
def topic_delete_view(request: HttpRequest, topic_slug: str) -> HttpResponse:
    access = _access(request)
    item = selectors.topic_for_viewer(access=access, slug=topic_slug)
    name = item.name
    try:
        topic_delete(topic=item)
    except LibraryError as error:
        messages.error(request, str(error))
        return redirect("library:topic_edit", access.network.slug, item.slug)
    messages.success(request, _("Topic “%(name)s” deleted.") % {"name": name})
    return redirect("library:topics", access.network.slug)


# --- Atom feeds ----------------------------------------------------------------------------------


@require_safe
@network_view(Capability.VIEW_PUBLIC)
def atom(request: HttpRequest) -> HttpResponse:
    """Newly published public resources of the network (a feed reader is anonymous)."""
    from netweave.library.syndication import NetworkResourcesFeed

    return NetworkResourcesFeed()(request, network=_access(request).network)


@require_safe
@network_view(Capability.VIEW_PUBLIC)
def topic_atom(request: HttpRequest, topic_slug: str) -> HttpResponse:
    """Newly published public resources of one topic (and its sub-topics)."""
    from netweave.library.syndication import TopicResourcesFeed

    access = _access(request)
    item = selectors.topic_for_viewer(access=access, slug=topic_slug)
    return TopicResourcesFeed()(request, network=access.network, topic=item)
