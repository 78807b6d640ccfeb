"""Weaving pages: a member's people to meet, the coordinators' weaving board and report, the
introductions, and the answer link of the emails.

Every page works without JavaScript (forms that POST and redirect back); with htmx, asking and
dismissing replace the suggestion in place and the "computing" notice refreshes itself."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from netweave.networks.decorators import network_view
from netweave.networks.permissions import Access, Capability
from netweave.people.models import Person
from netweave.surveys.services import participants
from netweave.weaving import selectors
from netweave.weaving.forms import (
    BoardFilterForm,
    IntroductionFilterForm,
    IntroductionForm,
    NoteForm,
    OutcomeForm,
)
from netweave.weaving.models import Goal, Introduction, Recommendation
from netweave.weaving.services import (
    WeavingError,
    introduction_answer,
    introduction_propose,
    introduction_record_outcome,
    introduction_withdraw,
    recommendation_dismiss,
    recommendation_run_request,
)

PAGE_SIZE = 25


def _access(request: HttpRequest) -> Access:
    return request.access  # type: ignore[attr-defined,no-any-return]


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _back(request: HttpRequest, default: str) -> HttpResponse:
    """Redirect to the `next` the form sent (same site only), else to `default`."""
    target = request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(default)


def _fresh_enough(access: Access) -> Any:
    """The latest computation; a new one is queued when there is none or it is over a week old
    (ties and profiles change), so suggestions stay current without anyone asking."""
    run = selectors.latest_run(network=access.network)
    max_age = timedelta(days=settings.NETWEAVE_RECOMMENDATIONS_MAX_AGE_DAYS)
    stale = run is None or (
        not run.is_pending
        and (run.finished_at is None or run.finished_at < timezone.now() - max_age)
    )
    if stale:
        recommendation_run_request(network=access.network, requested_by=access.person)
        run = selectors.latest_run(network=access.network)
    return run


# --- members ------------------------------------------------------------------------------------


@require_safe
@network_view(Capability.VIEW_OWN_EGO)
def meet(request: HttpRequest) -> HttpResponse:
    """People to meet, with the reasons, and the member's introductions."""
    access = _access(request)
    run = _fresh_enough(access)
    suggestions = selectors.recommendations_for_member(
        access=access, limit=settings.NETWEAVE_RECOMMENDATIONS_PER_MEMBER
    )
    me = access.person.pk if access.person is not None else -1
    mine = selectors.introductions_for_viewer(access=access).filter(
        Q(person_a_id=me) | Q(person_b_id=me)
    )
    # Open ones expire, so they are few; the made ones only grow: the ten latest are shown.
    proposed = list(mine.filter(status=Introduction.Status.PROPOSED)[:50])
    made = list(mine.filter(status=Introduction.Status.ACCEPTED)[:10])
    to_answer: list[Introduction] = []
    waiting: list[Introduction] = []
    for item in proposed + made:
        side = item.side_of(me)
        item.other_person = item.other(side) if side else None  # type: ignore[attr-defined]
        if item.status == Introduction.Status.PROPOSED:
            pending = side and item.answer_of(side) == Introduction.Answer.PENDING
            (to_answer if pending else waiting).append(item)
    return render(
        request,
        "weaving/meet.html",
        {
            "network": access.network,
            "access": access,
            "run": run,
            "suggestions": suggestions,
            "to_answer": to_answer,
            "waiting": waiting,
            "made": made,
            "open_to_introductions": access.person is None or access.person.open_to_introductions,
        },
    )


@require_POST
@network_view(Capability.VIEW_OWN_EGO)
def ask(request: HttpRequest, recommendation_id: int) -> HttpResponse:
    """The member asks to be introduced to a suggested person."""
    access = _access(request)
    recommendation = selectors.recommendation_for_viewer(
        access=access, recommendation_id=recommendation_id
    )
    if access.person is None or recommendation.person_id != access.person.pk:
        raise PermissionDenied
    form = NoteForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        introduction_propose(
            network=access.network,
            proposed_by=access.person,
            person_a=access.person,
            person_b=recommendation.suggested,
            note=note,
            recommendation=recommendation,
        )
    except WeavingError as error:
        text, ok = str(error), False
    else:
        text, ok = (
            _(
                "We asked %(name)s. You will get an email with their address if they say yes; "
                "nothing about you is shared otherwise."
            )
            % {"name": recommendation.suggested.name},
            True,
        )
    return _after_action(request, access, recommendation, text, ok)


@require_POST
@network_view(Capability.VIEW_OWN_EGO)
def dismiss(request: HttpRequest, recommendation_id: int) -> HttpResponse:
    """Not interested: the pair is never suggested again."""
    access = _access(request)
    recommendation = selectors.recommendation_for_viewer(
        access=access, recommendation_id=recommendation_id
    )
    try:
        recommendation_dismiss(recommendation=recommendation, by=access.person)
    except WeavingError as error:
        text, ok = str(error), False
    else:
        text, ok = (
            _("%(name)s will not be suggested again.") % {"name": recommendation.suggested.name}
            if recommendation.person_id == (access.person.pk if access.person else None)
            else _("%(a)s and %(b)s will not be suggested again.")
            % {"a": recommendation.person.name, "b": recommendation.suggested.name},
            True,
        )
    return _after_action(request, access, recommendation, text, ok)


def _after_action(
    request: HttpRequest, access: Access, recommendation: Recommendation, text: str, ok: bool
) -> HttpResponse:
    if _is_htmx(request):
        return render(
            request,
            "weaving/_suggestion_done.html",
            {"recommendation": recommendation, "text": text, "ok": ok},
            status=200 if ok else 409,
        )
    (messages.success if ok else messages.error)(request, text)
    return _back(request, reverse("weaving:meet", args=[access.network.slug]))


@require_safe
@network_view(Capability.VIEW_OWN_EGO)
def run_status(request: HttpRequest) -> HttpResponse:
    """The state of the latest computation (polled by the pages while it runs)."""
    access = _access(request)
    run = selectors.latest_run(network=access.network)
    response = render(request, "weaving/_run_status.html", {"run": run, "network": access.network})
    if run is not None and not run.is_pending and request.GET.get("waiting"):
        response["HX-Refresh"] = "true"  # the page was waiting for this run: show its results
    return response


# --- coordinators -------------------------------------------------------------------------------


@require_safe
@network_view(Capability.WEAVE)
def board(request: HttpRequest) -> HttpResponse:
    """Recommended introductions across the network, ranked, filtered by goal."""
    access = _access(request)
    run = _fresh_enough(access)
    form = BoardFilterForm(request.GET or None)
    goal = query = ""
    if form.is_valid():
        goal, query = form.cleaned_data["goal"], form.cleaned_data["q"]
    page = Paginator(
        selectors.recommendations_for_board(access=access, goal=goal, query=query), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    rows = selectors.worded(access=access, recommendations=list(page), reader="coordinator")
    counts = selectors.goal_counts(access=access)
    return render(
        request,
        "weaving/board.html",
        {
            "network": access.network,
            "access": access,
            "run": run,
            "form": form,
            "goal": goal,
            "query": query,
            "page": page,
            "rows": rows,
            "goals": [
                {"key": "", "label": _("Every goal"), "count": counts[""]},
                *[
                    {"key": key, "label": label, "count": counts.get(key, 0)}
                    for key, label in Goal.choices
                ],
            ],
            "tab": "board",
        },
    )


@require_POST
@network_view(Capability.WEAVE)
def refresh(request: HttpRequest) -> HttpResponse:
    access = _access(request)
    run = recommendation_run_request(network=access.network, requested_by=access.person)
    if run.is_pending:
        messages.info(request, _("The suggestions are being computed; this page updates itself."))
    return redirect("weaving:board", access.network.slug)


@require_POST
@network_view(Capability.WEAVE)
def propose(request: HttpRequest, recommendation_id: int) -> HttpResponse:
    """A coordinator proposes the introduction a suggestion describes."""
    access = _access(request)
    recommendation = selectors.recommendation_for_viewer(
        access=access, recommendation_id=recommendation_id
    )
    form = NoteForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        introduction = introduction_propose(
            network=access.network,
            proposed_by=access.person,
            person_a=recommendation.person,
            person_b=recommendation.suggested,
            note=note,
            recommendation=recommendation,
        )
    except WeavingError as error:
        text, ok = str(error), False
    else:
        text, ok = (
            _("Introduction proposed: %(a)s and %(b)s are asked by email.")
            % {"a": introduction.person_a.name, "b": introduction.person_b.name},
            True,
        )
    return _after_action(request, access, recommendation, text, ok)


@require_safe
@network_view(Capability.WEAVE)
def report(request: HttpRequest) -> HttpResponse:
    """Whether weaving works: introductions, their outcomes, the network's figures around them."""
    access = _access(request)
    data = selectors.weaving_report(access=access)
    return render(
        request,
        "weaving/report.html",
        {
            "network": access.network,
            "access": access,
            "report": data,
            "figure_labels": {
                "density": _("Density"),
                "transitivity": _("Transitivity (closed triangles)"),
                "average_clustering": _("Average clustering"),
                "components": _("Separate groups"),
                "average_path_length": _("Average distance"),
            },
            "chart_labels": {
                "proposed": _("Proposed"),
                "accepted": _("Accepted"),
                "collaborated": _("Led to collaboration"),
            },
            "tab": "report",
        },
    )


# --- introductions ------------------------------------------------------------------------------


@require_safe
@network_view(Capability.VIEW_OWN_EGO)
def introduction_list(request: HttpRequest) -> HttpResponse:
    access = _access(request)
    form = IntroductionFilterForm(request.GET or None)
    status = form.cleaned_data["status"] if form.is_valid() else ""
    page = Paginator(
        selectors.introductions_for_viewer(access=access, status=status), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    me = access.person.pk if access.person is not None else None
    rows = [{"item": item, "side": item.side_of(me)} for item in page]
    return render(
        request,
        "weaving/introduction_list.html",
        {
            "network": access.network,
            "access": access,
            "form": form,
            "page": page,
            "rows": rows,
            "tab": "introductions",
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
@network_view(Capability.VIEW_OWN_EGO)
def introduction_new(request: HttpRequest) -> HttpResponse:
    """A coordinator introduces two members; a member asks to meet another."""
    access = _access(request)
    both = access.can(Capability.WEAVE)
    people = Person.objects.filter(
        pk__in=participants(network=access.network).values("person_id")
    ).order_by("name")
    initial = {}
    if request.method != "POST" and request.GET.get("to", "").isdigit():
        initial["person_b"] = int(request.GET["to"])
    form = IntroductionForm(
        request.POST or None, initial=initial, people=people, me=access.person, both=both
    )
    if request.method == "POST" and form.is_valid():
        me = access.person
        person_a = form.cleaned_data.get("person_a") or me
        if person_a is None:
            form.add_error(None, _("Your account has no member profile in this network."))
        else:
            try:
                introduction = introduction_propose(
                    network=access.network,
                    proposed_by=me,
                    person_a=person_a,
                    person_b=form.cleaned_data["person_b"],
                    note=form.cleaned_data["note"],
                )
            except WeavingError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Introduction proposed: both people are asked."))
                return redirect("weaving:introduction", access.network.slug, introduction.pk)
    return render(
        request,
        "weaving/introduction_new.html",
        {"network": access.network, "access": access, "form": form, "both": both},
        status=400 if request.method == "POST" else 200,
    )


def _introduction(access: Access, introduction_id: int) -> Introduction:
    return selectors.introduction_for_viewer(access=access, introduction_id=introduction_id)


@require_safe
@network_view(Capability.VIEW_OWN_EGO)
def introduction_detail(request: HttpRequest, introduction_id: int) -> HttpResponse:
    access = _access(request)
    introduction = _introduction(access, introduction_id)
    me = access.person.pk if access.person is not None else None
    side = introduction.side_of(me)
    view = selectors.introduction_view(access=access, introduction=introduction, side=side)
    return render(
        request,
        "weaving/introduction_detail.html",
        {
            "network": access.network,
            "access": access,
            **view,
            "outcome_form": OutcomeForm(),
        },
    )


@require_POST
@network_view(Capability.VIEW_OWN_EGO)
def introduction_answer_view(request: HttpRequest, introduction_id: int) -> HttpResponse:
    access = _access(request)
    introduction = _introduction(access, introduction_id)
    me = access.person
    if me is None or introduction.side_of(me.pk) is None:
        raise PermissionDenied
    answer = request.POST.get("answer")
    if answer not in ("yes", "no"):
        return HttpResponse(_("Answer yes or no."), status=400)
    try:
        introduction_answer(
            introduction=introduction,
            person=me,
            accept=answer == "yes",
        )
    except WeavingError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _answered_text(introduction, answer == "yes"))
    return redirect("weaving:introduction", access.network.slug, introduction.pk)


def _answered_text(introduction: Introduction, accepted: bool) -> str:
    introduction.refresh_from_db(fields=["status"])
    if not accepted:
        return _("Thank you. The introduction will not go ahead; nothing about you was shared.")
    if introduction.status == Introduction.Status.ACCEPTED:
        return _("You are introduced. You both get an email with each other's address.")
    return _("Thank you. If the other person says yes too, you both get an email.")


@require_POST
@network_view(Capability.VIEW_OWN_EGO)
def introduction_outcome_view(request: HttpRequest, introduction_id: int) -> HttpResponse:
    access = _access(request)
    introduction = _introduction(access, introduction_id)
    me = access.person.pk if access.person else None
    if introduction.side_of(me) is None and not access.can(Capability.WEAVE):
        raise PermissionDenied
    form = OutcomeForm(request.POST)
    if not form.is_valid():
        return HttpResponse(_("Choose what came of the introduction."), status=400)
    try:
        introduction_record_outcome(
            introduction=introduction,
            outcome=form.cleaned_data["outcome"],
            note=form.cleaned_data["note"],
            by=access.person,
        )
    except WeavingError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Thank you: the outcome is recorded."))
    return redirect("weaving:introduction", access.network.slug, introduction.pk)


@require_POST
@network_view(Capability.VIEW_OWN_EGO)
def introduction_withdraw_view(request: HttpRequest, introduction_id: int) -> HttpResponse:
    access = _access(request)
    introduction = _introduction(access, introduction_id)
    me = access.person.pk if access.person else None
    if not access.can(Capability.WEAVE) and (me is None or introduction.proposed_by_id != me):
        raise PermissionDenied
    try:
        introduction_withdraw(introduction=introduction)
    except WeavingError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The introduction is withdrawn."))
    return redirect("weaving:introduction", access.network.slug, introduction.pk)


# --- the link in the emails ---------------------------------------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
def respond(request: HttpRequest, answer_token: str) -> HttpResponse:
    """Answer an introduction, or say what came of it, from the email's link, signed in or not:
    the token is the recipient's and acts for their side only."""
    introduction = (
        Introduction.objects.select_related("network", "person_a", "person_b", "proposed_by")
        .filter(Q(a_token=answer_token) | Q(b_token=answer_token))
        .first()
    )
    if introduction is None:
        raise Http404
    side = "a" if introduction.a_token == answer_token else "b"
    me = introduction.person_a if side == "a" else introduction.person_b
    error = ""
    if request.method == "POST":
        try:
            if "answer" in request.POST:
                if request.POST["answer"] not in ("yes", "no"):
                    return HttpResponse(_("Answer yes or no."), status=400)
                accepted = request.POST["answer"] == "yes"
                introduction_answer(introduction=introduction, person=me, accept=accepted)
                messages.success(request, _answered_text(introduction, accepted))
            else:
                form = OutcomeForm(request.POST)
                if not form.is_valid():
                    return HttpResponse(_("Choose what came of the introduction."), status=400)
                introduction_record_outcome(
                    introduction=introduction,
                    outcome=form.cleaned_data["outcome"],
                    note=form.cleaned_data["note"],
                    by=me,
                )
                messages.success(request, _("Thank you: the outcome is recorded."))
        except WeavingError as exc:
            error = str(exc)
        else:
            return redirect("introductions:respond", answer_token)
        introduction.refresh_from_db()
    view = selectors.introduction_view(access=None, introduction=introduction, side=side)
    return render(
        request,
        "weaving/respond.html",
        {
            "network": introduction.network,
            **view,
            "error": error,
            "suggested_answer": request.GET.get("answer", ""),
            "outcome_form": OutcomeForm(initial={"outcome": request.GET.get("outcome", "")}),
            "answer_token": answer_token,
        },
        status=409 if error else 200,
    )
