"""Import pages: upload a file, watch the dry run, read its report, then import for real.

One page serves every kind of import (members, organizations, resources, products,
investments): the coordinator chooses the kind, and `?kind=resources` preselects it for the
links from the resource center and the field trackers. `?template=<kind>` downloads a CSV with
the kind's columns and an example row. The work runs in the background
(importing.import_job_run); the job page polls a partial with htmx until the job is finished."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from netweave.networks.decorators import network_view
from netweave.networks.permissions import Capability
from netweave.people import selectors
from netweave.people.importing import (
    KINDS,
    PREVIEW_ROWS,
    VCARD_SUFFIXES,
    ImportNotAllowed,
    import_columns,
    import_job_commit,
    import_job_create,
    import_template,
)
from netweave.people.models import ImportJob

RECENT_JOBS = 10


class ImportUploadForm(forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("The file holds"), choices=ImportJob.Kind.choices, initial="people"
    )
    file = forms.FileField(
        label=gettext_lazy("File"),
        help_text=gettext_lazy(
            "CSV saved as UTF-8 with a header row; or, for members, a vCard file (.vcf)."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,.vcf,.vcard,text/csv"}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        upload = data.get("file")
        if upload is None:
            return data
        limit = settings.NETWEAVE_IMPORT_MAX_BYTES
        if upload.size > limit:
            self.add_error(
                "file",
                _("The file is %(size).1f MB; the limit is %(limit).1f MB. Split it into parts.")
                % {"size": upload.size / 1e6, "limit": limit / 1e6},
            )
        elif upload.size == 0:
            self.add_error("file", _("The file is empty."))
        elif upload.name.lower().endswith(VCARD_SUFFIXES) and data.get("kind") != "people":
            self.add_error("kind", _("A vCard file holds people: choose “Members”."))
        return data


def _job_context(request: HttpRequest, job: ImportJob) -> dict[str, Any]:
    access = request.access  # type: ignore[attr-defined]
    report = job.report or {}
    return {
        "network": access.network,
        "access": access,
        "nav": "manage",
        "job": job,
        "report": report,
        "more_errors": max(0, report.get("error_count", 0) - len(report.get("errors", []))),
        "preview_is_partial": len(report.get("preview", [])) >= PREVIEW_ROWS,
        "can_commit": (
            job.dry_run
            and job.status == ImportJob.Status.CHECKED
            and not report.get("error_count")
            and bool(report.get("total_rows"))
            and not report.get("commit_job_id")
        ),
    }


@require_http_methods(["GET", "POST"])
@network_view(Capability.MANAGE_MEMBERS)
def import_start(request: HttpRequest) -> HttpResponse:
    access = request.access  # type: ignore[attr-defined]
    network = access.network
    if request.method == "GET" and "template" in request.GET:
        return _template_download(network, request.GET["template"])
    kind = request.GET.get("kind", "")
    form = ImportUploadForm(
        request.POST or None,
        request.FILES or None,
        initial={"kind": kind} if kind in KINDS else None,
    )
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        job = import_job_create(
            network=network,
            kind=form.cleaned_data["kind"],
            filename=upload.name,
            content=upload.read(),
            dry_run=True,
            created_by=access.person,
        )
        return redirect("people:import_detail", network.slug, job.pk)
    return render(
        request,
        "people/import_start.html",
        {
            "network": network,
            "access": access,
            "nav": "manage",
            "form": form,
            "jobs": selectors.import_jobs(access=access)[:RECENT_JOBS],
            "columns": {name: import_columns(name) for name in KINDS},
            "phases": list(network.phase_model or []),
        },
        status=400 if request.method == "POST" else 200,
    )


def _template_download(network: Any, kind: str) -> HttpResponse:
    if kind not in KINDS:
        return HttpResponse(
            _("There is no template for “%(kind)s”; the kinds are: %(kinds)s.")
            % {"kind": kind, "kinds": ", ".join(KINDS)},
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    # With a byte order mark, so that spreadsheet programs open it as UTF-8.
    body = "\ufeff" + import_template(network=network, kind=kind)
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="netweave-{kind}-template.csv"'
    return response


@network_view(Capability.MANAGE_MEMBERS)
def import_detail(request: HttpRequest, job_id: int) -> HttpResponse:
    access = request.access  # type: ignore[attr-defined]
    job = get_object_or_404(selectors.import_jobs(access=access), pk=job_id)
    template = (
        "people/_import_progress.html"
        if request.headers.get("HX-Request")
        else "people/import_detail.html"
    )
    return render(request, template, _job_context(request, job))


@require_POST
@network_view(Capability.MANAGE_MEMBERS)
def import_commit(request: HttpRequest, job_id: int) -> HttpResponse:
    access = request.access  # type: ignore[attr-defined]
    job = get_object_or_404(selectors.import_jobs(access=access), pk=job_id)
    try:
        commit_job = import_job_commit(job=job, created_by=access.person)
    except ImportNotAllowed as error:
        messages.error(request, str(error))
        return redirect("people:import_detail", access.network.slug, job.pk)
    messages.success(request, _("The import has started."))
    return redirect("people:import_detail", access.network.slug, commit_job.pk)
