"""Forms of the survey pages. The roster itself is not a Django form: its fields are named per
person (`knows-12`, `trust-12`) and read by `row_values`."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from netweave.surveys.services import ITEMS, SCALE_FIELDS

ITEM_LABELS = {
    "knows": gettext_lazy("I know them"),
    "shares_information": gettext_lazy("We share information"),
    "collaborates": gettext_lazy("We collaborate"),
}


class SurveyForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Title"), max_length=200)
    introduction = forms.CharField(
        label=gettext_lazy("Introduction (Markdown)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("Shown above the roster: why you ask, and who sees the answers."),
    )
    items = forms.MultipleChoiceField(
        label=gettext_lazy("Ask about each person"),
        choices=[(item, ITEM_LABELS[item]) for item in ITEMS],
        initial=list(ITEMS),
        widget=forms.CheckboxSelectMultiple,
    )
    ask_trust = forms.BooleanField(
        label=gettext_lazy("Also ask how much they trust each person (1–4)"), required=False
    )
    ask_value = forms.BooleanField(
        label=gettext_lazy("Also ask how much they value each person (1–4)"), required=False
    )


class WaveForm(forms.Form):
    closes_at = forms.DateTimeField(
        label=gettext_lazy("Answer by (optional)"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d"],
    )
    reminder_days = forms.IntegerField(
        label=gettext_lazy("Remind those who have not answered every (days)"),
        min_value=1,
        max_value=60,
        initial=7,
    )


class RosterFilterForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("Find a person"), required=False, max_length=100)


def row_values(
    data: QueryDict, person_id: int, *, items: list[str], scales: list[str]
) -> dict[str, Any]:
    """What the roster row of `person_id` says: every asked item (unticked boxes are not sent, so
    absent means no) and the 1–4 scales (empty means not answered)."""
    values: dict[str, Any] = {item: data.get(f"{item}-{person_id}") == "on" for item in items}
    for scale in scales:
        raw = (data.get(f"{scale}-{person_id}") or "").strip()
        if raw and raw not in {"1", "2", "3", "4"}:
            raise ValueError(
                _("Choose a value from 1 to 4 for %(field)s, or leave it empty.") % {"field": scale}
            )
        values[scale] = int(raw) if raw else None
    return values


def asked_scales(survey: Any) -> list[str]:
    return [name for name in SCALE_FIELDS if getattr(survey, f"ask_{name}")]
