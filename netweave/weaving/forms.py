"""Forms of the weaving pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy

from netweave.people.models import Person
from netweave.weaving.models import Goal, Introduction
from netweave.weaving.services import NOTE_MAX

NOTE_HELP = gettext_lazy(
    "Both people read it in the email that asks them. Say why they should meet and what they "
    "could do together."
)


class IntroductionForm(forms.Form):
    """A coordinator introduces two members; a member asks to meet one (`person_a` is then
    the member, and not a field)."""

    person_a = forms.ModelChoiceField(
        queryset=Person.objects.none(), label=gettext_lazy("Introduce"), required=True
    )
    person_b = forms.ModelChoiceField(
        queryset=Person.objects.none(), label=gettext_lazy("to"), required=True
    )
    note = forms.CharField(
        label=gettext_lazy("Why they should meet"),
        required=False,
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=NOTE_HELP,
    )

    def __init__(self, *args: Any, people: Any, me: Person | None, both: bool, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["person_a"].queryset = people  # type: ignore[attr-defined]
        self.fields["person_b"].queryset = (  # type: ignore[attr-defined]
            people.exclude(pk=me.pk) if me else people
        )
        if not both:
            del self.fields["person_a"]
            self.fields["person_b"].label = gettext_lazy("Who would you like to meet?")
            self.fields["note"].label = gettext_lazy("Why would you like to meet?")


class NoteForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("A note for both (optional)"),
        required=False,
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(
        label=gettext_lazy("What came of the introduction?"),
        choices=[(value, label) for value, label in Introduction.Outcome.choices if value],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=gettext_lazy("Anything to add (optional)"),
        required=False,
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class BoardFilterForm(forms.Form):
    goal = forms.ChoiceField(
        label=gettext_lazy("Goal"),
        required=False,
        choices=[("", gettext_lazy("Every goal")), *list(Goal.choices)],
    )
    q = forms.CharField(label=gettext_lazy("Name"), required=False, max_length=100)


class IntroductionFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=gettext_lazy("Status"),
        required=False,
        choices=[("", gettext_lazy("Any status")), *list(Introduction.Status.choices)],
    )
