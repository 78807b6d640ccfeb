"""Forms of the tie pages: add a tie, import a file, take a snapshot."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from netweave.networks.models import Network
from netweave.people.models import Membership, Person
from netweave.ties.models import Tie

IMPORT_MAX_BYTES = 20 * 1000 * 1000


class MemberChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} <{obj.email}>" if obj.email else str(obj.name)


def _members(network: Network) -> Any:
    return Person.objects.filter(
        memberships__network=network, memberships__status=Membership.Status.ACTIVE
    ).order_by("name", "pk")


class TieAddForm(forms.Form):
    source = MemberChoiceField(label=gettext_lazy("From"), queryset=Person.objects.none())
    target = MemberChoiceField(label=gettext_lazy("To"), queryset=Person.objects.none())
    kind = forms.ChoiceField(label=gettext_lazy("Kind of tie"), choices=Tie.Kind.choices)
    weight = forms.FloatField(
        label=gettext_lazy("Weight"),
        initial=1.0,
        min_value=0.001,
        help_text=gettext_lazy("How strong the tie is; 1 unless you weigh ties."),
    )
    directed = forms.BooleanField(label=gettext_lazy("One way only (from → to)"), required=False)
    note = forms.CharField(
        label=gettext_lazy("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, network: Network, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        members = _members(network)
        self.fields["source"].queryset = members  # type: ignore[attr-defined]
        self.fields["target"].queryset = members  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("source") and data.get("source") == data.get("target"):
            self.add_error("target", _("A tie links two different people."))
        return data


class TieEditForm(forms.Form):
    """What can change on a live tie; the two people cannot (end the tie and add another)."""

    kind = forms.ChoiceField(label=gettext_lazy("Kind of tie"), choices=Tie.Kind.choices)
    weight = forms.FloatField(label=gettext_lazy("Weight"), min_value=0.001)
    directed = forms.BooleanField(label=gettext_lazy("One way only (from → to)"), required=False)
    window_start = forms.DateField(
        label=gettext_lazy("Tie since"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    window_end = forms.DateField(
        label=gettext_lazy("Tie until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    note = forms.CharField(
        label=gettext_lazy("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("window_start"), data.get("window_end")
        if start and end and end < start:
            self.add_error("window_end", _("The tie must end after it starts."))
        return data


class TieImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("File"),
        help_text=gettext_lazy(
            "A CSV edge list (source,target[,kind,weight,directed,observed_at,note]; members by "
            "email address or person id), GraphML or GEXF."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,.graphml,.xml,.gexf"}),
    )
    kind = forms.ChoiceField(
        label=gettext_lazy("Kind of tie"),
        choices=Tie.Kind.choices,
        initial=Tie.Kind.KNOWS,
        help_text=gettext_lazy("For rows without a kind, and for every edge of GraphML or GEXF."),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        limit = min(IMPORT_MAX_BYTES, settings.NETWEAVE_IMPORT_MAX_BYTES)
        if upload.size > limit:
            raise forms.ValidationError(
                _("The file is %(size).1f MB; the limit is %(limit).1f MB. Split it into parts.")
                % {"size": upload.size / 1e6, "limit": limit / 1e6}
            )
        if upload.size == 0:
            raise forms.ValidationError(_("The file is empty."))
        return upload


class SnapshotTakeForm(forms.Form):
    label = forms.CharField(
        label=gettext_lazy("Label"),
        max_length=200,
        help_text=gettext_lazy("What this moment is, e.g. “Before the spring convening”."),
    )
    kinds = forms.MultipleChoiceField(
        label=gettext_lazy("Only these kinds of tie"),
        choices=Tie.Kind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("Leave every box empty to include every kind."),
    )
