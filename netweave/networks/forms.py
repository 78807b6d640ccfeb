from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from netweave.networks.models import Network
from netweave.people.services import normalize_tags


class NetworkSettingsForm(forms.ModelForm):
    topics_text = forms.CharField(
        label=_("Topics"),
        required=False,
        help_text=_("Separate topics with commas."),
    )
    languages_text = forms.CharField(
        label=_("Working languages"),
        required=False,
        help_text=_("Language codes separated by commas, for example: en, fr, es"),
    )
    phase = forms.ChoiceField(label=_("Current phase"))

    class Meta:
        model = Network
        fields = [
            "name", "tagline", "description", "purpose", "phase", "visibility", "how_to_join",
            "period_start", "period_end",
        ]  # fmt: skip
        widgets = {
            "description": forms.Textarea(attrs={"rows": 8}),
            "how_to_join": forms.Textarea(attrs={"rows": 3}),
            "period_start": forms.DateInput(attrs={"type": "date"}),
            "period_end": forms.DateInput(attrs={"type": "date"}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        network = self.instance
        self.fields["phase"].choices = [  # type: ignore[attr-defined]
            (code, Network(phase=code).phase_label()) for code in network.phase_model or []
        ]
        self.fields["topics_text"].initial = ", ".join(network.topics or [])
        self.fields["languages_text"].initial = ", ".join(network.languages or [])

    def clean_languages_text(self) -> list[str]:
        from django.conf.locale import LANG_INFO

        codes = [
            c.strip().lower() for c in self.cleaned_data["languages_text"].split(",") if c.strip()
        ]
        unknown = [c for c in codes if c not in LANG_INFO]
        if unknown:
            raise forms.ValidationError(
                _("Unknown language codes: %(codes)s. Use ISO codes such as en, fr, es, pt."),
                params={"codes": ", ".join(unknown)},
            )
        return codes

    def clean_topics_text(self) -> list[str]:
        return normalize_tags(self.cleaned_data["topics_text"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("The period must end after it starts."))
        return data

    def settings_changes(self) -> dict[str, Any]:
        data = {name: self.cleaned_data[name] for name in self.Meta.fields}
        data["topics"] = self.cleaned_data["topics_text"]
        data["languages"] = self.cleaned_data["languages_text"]
        return data


class ApplicationForm(forms.Form):
    message = forms.CharField(
        label=_("Why would you like to join, and what would you bring?"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=4000,
    )
