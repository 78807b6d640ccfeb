"""Survey pages: the coordinators' waves page, and each member's roster.

The roster works with and without JavaScript: with htmx each row is saved as soon as it changes
(`answer_row`); without it, the page is one form whose POST saves every row shown."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from netweave.networks.decorators import network_view
from netweave.networks.permissions import Capability
from netweave.people.models import Person
from netweave.surveys import selectors
from netweave.surveys.forms import (
    ITEM_LABELS,
    RosterFilterForm,
    SurveyForm,
    WaveForm,
    asked_scales,
    row_values,
)
from netweave.surveys.models import RelationshipSurvey, SurveyWave
from netweave.surveys.services import (
    SurveyError,
    answer_save,
    is_participant,
    response_submit,
    survey_create,
    wave_close,
    wave_create,
    wave_open,
)


def _manage_url(request: HttpRequest) -> str:
    return reverse("surveys:manage", args=[request.network.slug])  # type: ignore[attr-defined]


# --- coordinators -------------------------------------------------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
@network_view(Capability.MANAGE_SETTINGS)
def manage(request: HttpRequest) -> HttpResponse:
    """Surveys and their waves; create a survey."""
    access = request.access  # type: ignore[attr-defined]
    network = access.network
    form = SurveyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            survey = survey_create(
                network=network,
                title=form.cleaned_data["title"],
                introduction=form.cleaned_data["introduction"],
                items=form.cleaned_data["items"],
                ask_trust=form.cleaned_data["ask_trust"],
                ask_value=form.cleaned_data["ask_value"],
                created_by=access.person,
            )
        except SurveyError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("Survey “%(title)s” created. Create its first wave below.")
                % {"title": survey.title},
            )
            return redirect(_manage_url(request))
    surveys = list(selectors.surveys_of_network(network=network))
    for survey in surveys:
        # One form per survey, prefixed so that field ids stay unique on the page.
        survey.wave_form = WaveForm(prefix=f"survey{survey.pk}")  # type: ignore[attr-defined]
        for wave in survey.waves.all():  # the prefetched rows the template shows
            if wave.status != SurveyWave.Status.DRAFT:
                wave.rate = selectors.response_rate(wave=wave)  # type: ignore[attr-defined]
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "surveys/manage.html",
        {
            "network": network,
            "access": access,
            "form": form,
            "surveys": surveys,
        },
        status=status,
    )


def _survey(request: HttpRequest, survey_id: int) -> RelationshipSurvey:
    network = request.network  # type: ignore[attr-defined]
    return get_object_or_404(RelationshipSurvey, network=network, pk=survey_id)


@require_POST
@network_view(Capability.MANAGE_SETTINGS)
def wave_new(request: HttpRequest, survey_id: int) -> HttpResponse:
    survey = _survey(request, survey_id)
    form = WaveForm(request.POST, prefix=f"survey{survey.pk}")
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            text = " ".join(str(error) for error in errors)
            messages.error(request, f"{label}: {text}" if label else text)
        return redirect(_manage_url(request))
    closes_at = form.cleaned_data["closes_at"]
    if closes_at is not None and timezone.is_naive(closes_at):
        closes_at = timezone.make_aware(closes_at)
    wave = wave_create(
        survey=survey, closes_at=closes_at, reminder_days=form.cleaned_data["reminder_days"]
    )
    messages.success(
        request, _("Wave %(number)s created; open it when you are ready.") % {"number": wave.number}
    )
    return redirect(_manage_url(request))


@require_POST
@network_view(Capability.MANAGE_SETTINGS)
def wave_open_view(request: HttpRequest, wave_id: int) -> HttpResponse:
    access = request.access  # type: ignore[attr-defined]
    wave = selectors.wave_in_network(network=access.network, wave_id=wave_id)
    try:
        wave_open(wave=wave, actor=access.person)
    except SurveyError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("%(wave)s is open; members who have not answered get a reminder by email.")
            % {"wave": str(wave)},
        )
    return redirect(_manage_url(request))


@require_http_methods(["GET", "HEAD", "POST"])
@network_view(Capability.MANAGE_SETTINGS)
def wave_close_view(request: HttpRequest, wave_id: int) -> HttpResponse:
    """GET asks for confirmation; POST closes the wave (ties and a snapshot are made)."""
    access = request.access  # type: ignore[attr-defined]
    wave = selectors.wave_in_network(network=access.network, wave_id=wave_id)
    if request.method == "POST":
        try:
            wave_close(wave=wave, actor=access.person)
        except SurveyError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _("%(wave)s is closed; its answers are now ties, and a snapshot is being computed.")
                % {"wave": str(wave)},
            )
        return redirect(_manage_url(request))
    return render(
        request,
        "surveys/wave_close.html",
        {
            "network": access.network,
            "access": access,
            "wave": wave,
            "rate": selectors.response_rate(wave=wave),
        },
    )


@require_safe
@network_view(Capability.MANAGE_SETTINGS)
def wave_rate(request: HttpRequest, wave_id: int) -> HttpResponse:
    """The live response rate of one wave (polled by the waves page)."""
    access = request.access  # type: ignore[attr-defined]
    wave = selectors.wave_in_network(network=access.network, wave_id=wave_id)
    return render(
        request,
        "surveys/_rate.html",
        {"network": access.network, "wave": wave, "rate": selectors.response_rate(wave=wave)},
    )


# --- members: the roster ------------------------------------------------------------------------


def _respondent(request: HttpRequest, wave_id: int) -> tuple[SurveyWave, Person]:
    access = request.access  # type: ignore[attr-defined]
    wave = selectors.wave_in_network(network=access.network, wave_id=wave_id)
    person = access.person
    if person is None or not is_participant(network=access.network, person=person):
        raise PermissionDenied(_("Only active members of the network answer its surveys."))
    if wave.status == SurveyWave.Status.DRAFT:
        raise Http404
    return wave, person


def _roster_context(
    request: HttpRequest, wave: SurveyWave, person: Person, text: str
) -> dict[str, Any]:
    survey = wave.survey
    return {
        "network": wave.network,
        "access": request.access,  # type: ignore[attr-defined]
        "wave": wave,
        "survey": survey,
        "items": [(item, ITEM_LABELS[item]) for item in survey.items],
        "scales": asked_scales(survey),
        "scale_values": [1, 2, 3, 4],
        "rows": _roster_rows(selectors.roster(wave=wave, respondent=person, text=text), survey),
        "response": selectors.my_response(wave=wave, respondent=person),
        "filter_form": RosterFilterForm(request.GET or None),
        "query": text,
        "is_open": wave.status == SurveyWave.Status.OPEN,
    }


SCALE_LABELS = {"trust": gettext_lazy("Trust"), "value": gettext_lazy("Value")}


def _roster_rows(rows: list[selectors.RosterRow], survey: RelationshipSurvey) -> list[Any]:
    """Each row with its cells ready for the template (which cannot look up a field by name)."""
    scales = asked_scales(survey)
    for row in rows:
        row.cells = [  # type: ignore[attr-defined]
            {
                "name": item,
                "label": ITEM_LABELS[item],
                "checked": bool(row.answer and getattr(row.answer, item)),
            }
            for item in survey.items
        ]
        row.scales = [  # type: ignore[attr-defined]
            {
                "name": scale,
                "label": SCALE_LABELS[scale],
                "value": getattr(row.answer, scale) if row.answer else None,
            }
            for scale in scales
        ]
    return rows


@require_http_methods(["GET", "HEAD", "POST"])
@network_view(Capability.VIEW_OWN_EGO)
def answer(request: HttpRequest, wave_id: int) -> HttpResponse:
    """The roster. POST (the page without JavaScript) saves every row shown on the page, and
    with `done` also says "I am done"."""
    wave, person = _respondent(request, wave_id)
    text = (request.GET.get("q") or "").strip()[:100]
    if request.method == "POST":
        errors = _save_rows(request, wave, person)
        if errors:
            for error in errors:
                messages.error(request, error)
        elif "done" in request.POST:
            try:
                response_submit(wave=wave, respondent=person)
            except SurveyError as error:
                messages.error(request, str(error))
            else:
                messages.success(request, _("Thank you: your answers are in."))
        else:
            messages.success(request, _("Your answers are saved."))
        url = reverse("surveys:answer", args=[wave.network.slug, wave.pk])
        return redirect(f"{url}?{urlencode({'q': text})}" if text else url)
    return render(request, "surveys/answer.html", _roster_context(request, wave, person, text))


def _save_rows(request: HttpRequest, wave: SurveyWave, person: Person) -> list[str]:
    survey = wave.survey
    scales = asked_scales(survey)
    errors: list[str] = []
    ids = []
    for raw in request.POST.getlist("rows"):
        try:
            ids.append(int(raw))
        except ValueError:
            continue
    targets = {p.pk: p for p in Person.objects.filter(pk__in=ids)}
    for person_id in ids:
        target = targets.get(person_id)
        if target is None:
            continue
        try:
            values = row_values(request.POST, person_id, items=survey.items, scales=scales)
            answer_save(wave=wave, respondent=person, target=target, **values)
        except (SurveyError, ValueError) as error:
            errors.append(f"{target.name}: {error}")
    return errors


@require_POST
@network_view(Capability.VIEW_OWN_EGO)
def answer_row(request: HttpRequest, wave_id: int, person_id: int) -> HttpResponse:
    """Save one roster row (htmx, on every change); answers with the row's status text."""
    wave, person = _respondent(request, wave_id)
    target = get_object_or_404(Person, pk=person_id)
    survey = wave.survey
    try:
        values = row_values(
            request.POST, person_id, items=survey.items, scales=asked_scales(survey)
        )
        answer_save(wave=wave, respondent=person, target=target, **values)
    except (SurveyError, ValueError) as error:
        return render(
            request,
            "surveys/_row_status.html",
            {"error": str(error), "target": target},
            status=400 if not request.headers.get("HX-Request") else 200,
        )
    return render(request, "surveys/_row_status.html", {"saved": True, "target": target})
