from __future__ import annotations

from typing import Any

from django import forms
from django.conf.locale import LANG_INFO
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from netweave.people.models import Membership, Person, Role
from netweave.people.services import normalize_tags


class ProfileForm(forms.ModelForm):
    expertise_text = forms.CharField(
        label=_("Expertise"), required=False, help_text=_("Separate tags with commas.")
    )
    interests_text = forms.CharField(
        label=_("Interests"), required=False, help_text=_("Separate tags with commas.")
    )
    languages_text = forms.CharField(
        label=_("Languages I work in"),
        required=False,
        help_text=_("Language codes separated by commas, for example: en, fr, es"),
    )
    links_text = forms.CharField(
        label=_("Links"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One web address per line."),
    )
    organization = forms.CharField(label=_("Organization"), required=False, max_length=200)
    title = forms.CharField(label=_("Title or position"), required=False, max_length=200)

    class Meta:
        model = Person
        fields = [
            "name",
            "bio",
            "offers",
            "seeks",
            "city",
            "country",
            "map_consent",
            "open_to_introductions",
        ]
        widgets = {
            "bio": forms.Textarea(attrs={"rows": 6}),
            "offers": forms.Textarea(attrs={"rows": 3}),
            "seeks": forms.Textarea(attrs={"rows": 3}),
            "map_consent": forms.RadioSelect,
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        person: Person = self.instance
        self.fields["expertise_text"].initial = ", ".join(person.expertise or [])
        self.fields["interests_text"].initial = ", ".join(person.interests or [])
        self.fields["languages_text"].initial = ", ".join(person.languages or [])
        self.fields["links_text"].initial = "\n".join(person.links or [])
        if person.pk:
            affiliation = person.primary_affiliation
            if affiliation:
                self.fields["organization"].initial = affiliation.organization.name
                self.fields["title"].initial = affiliation.title

    def clean_languages_text(self) -> list[str]:
        codes = [
            c.strip().lower()
            for c in self.cleaned_data["languages_text"].replace(";", ",").split(",")
            if c.strip()
        ]
        unknown = [c for c in codes if c not in LANG_INFO]
        if unknown:
            raise forms.ValidationError(
                _("Unknown language codes: %(codes)s. Use ISO codes such as en, fr, es, pt."),
                params={"codes": ", ".join(unknown)},
            )
        return list(dict.fromkeys(codes))

    def clean_links_text(self) -> list[str]:
        validator = forms.URLField(assume_scheme="https")
        links = []
        for line in self.cleaned_data["links_text"].splitlines():
            line = line.strip()
            if not line:
                continue
            try:
                links.append(validator.clean(line))
            except forms.ValidationError:
                raise forms.ValidationError(
                    _("“%(link)s” is not a web address; start it with https://"),
                    params={"link": line},
                ) from None
        return links[:10]

    def profile_changes(self) -> dict[str, Any]:
        data = {name: self.cleaned_data[name] for name in self.Meta.fields}
        data["expertise"] = normalize_tags(self.cleaned_data["expertise_text"])
        data["interests"] = normalize_tags(self.cleaned_data["interests_text"])
        data["languages"] = self.cleaned_data["languages_text"]
        data["links"] = self.cleaned_data["links_text"]
        return data


class DirectoryFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    organization = forms.IntegerField(label=_("Organization"), required=False)
    country = forms.ChoiceField(
        label=_("Country"),
        required=False,
        choices=lambda: [("", _("Any country")), *list(countries)],
    )
    language = forms.CharField(label=_("Language"), required=False, max_length=10)
    role = forms.ChoiceField(
        label=_("Role"), required=False, choices=[("", _("Any role")), *Role.choices]
    )
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[("name", _("Name")), ("recent", _("Recently joined")), ("country", _("Country"))],
    )


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("Email"))
    name = forms.CharField(label=_("Name"), required=False, max_length=200)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, initial=Role.MEMBER)
    message = forms.CharField(
        label=_("Personal message"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, allowed_roles: list[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if allowed_roles is not None:
            self.fields["role"].choices = [c for c in Role.choices if c[0] in allowed_roles]  # type: ignore[attr-defined]


class BulkInvitationForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_("Columns: email (required), name, role, message. One invitation per row."),
    )
    message = forms.CharField(
        label=_("Message for everyone"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)


class StatusForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[
            (Membership.Status.ACTIVE, _("Active (reinstate)")),
            (Membership.Status.LAPSED, _("Lapsed")),
            (Membership.Status.LEFT, _("Removed from the network")),
        ],
    )
    message = forms.CharField(label=_("Note for the history"), required=False, max_length=1000)


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", _("Approve")), ("decline", _("Decline"))])
    message = forms.CharField(
        label=_("Message to the applicant"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
    )
