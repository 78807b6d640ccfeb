"""Forms of the subscriber and list pages. They check input and say what to fix; the services in
subscriptions.py and bounces.py then apply the rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from netweave.networks.models import Network
from netweave.outreach.models import MailingList, Subscriber, Subscription

MAX_MBOX_BYTES = 50 * 1024 * 1024


def language_choices(empty: Any = None) -> list[tuple[str, Any]]:
    choices = [(code, name) for code, name in settings.LANGUAGES]
    return [("", empty), *choices] if empty is not None else choices


class ListCheckboxes(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj: MailingList) -> str:  # type: ignore[override]
        return obj.name


class SubscribeForm(forms.Form):
    email = forms.EmailField(label=_("Email"), max_length=254)
    name = forms.CharField(label=_("Name (optional)"), max_length=200, required=False)
    language = forms.ChoiceField(label=_("Language of the emails"), choices=language_choices())
    lists = ListCheckboxes(
        label=_("Lists"),
        queryset=MailingList.objects.none(),
        error_messages={"required": _("Choose at least one list to subscribe to.")},
    )
    # A honeypot: hidden from people (CSS and aria-hidden), filled in by bots.
    website = forms.CharField(label=_("Leave this empty"), required=False)

    def __init__(self, *args: Any, network: Network, language: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        lists = MailingList.objects.filter(
            network=network, visibility=MailingList.Visibility.PUBLIC
        )
        self.fields["lists"].queryset = lists  # type: ignore[attr-defined]
        if len(lists) == 1:
            self.fields["lists"].initial = [lists[0].pk]
        self.fields["language"].initial = language

    @property
    def is_bot(self) -> bool:
        return bool(self.data.get("website"))


class PreferencesForm(forms.Form):
    lists = ListCheckboxes(
        label=_("The lists you receive"), queryset=MailingList.objects.none(), required=False
    )
    language = forms.ChoiceField(label=_("Language of the emails"), choices=language_choices())
    frequency = forms.ChoiceField(label=_("How often"), choices=Subscriber.Frequency.choices)

    def __init__(self, *args: Any, offered: list[MailingList], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["lists"].queryset = MailingList.objects.filter(  # type: ignore[attr-defined]
            pk__in=[m.pk for m in offered]
        )


class MailingListForm(forms.ModelForm):
    class Meta:
        model = MailingList
        fields = ["name", "slug", "description", "visibility"]
        help_texts = {
            "slug": _(
                "Letters, digits and hyphens; the import's “lists” column names lists by it."
            ),
        }

    def __init__(self, *args: Any, network: Network, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.network = network
        self.fields["slug"].required = False
        if self.instance.pk and self.instance.is_member_list:
            self.fields["visibility"].disabled = True

    def clean_slug(self) -> str:
        slug = self.cleaned_data.get("slug") or ""
        if slug and (
            MailingList.objects.filter(network=self.network, slug=slug)
            .exclude(pk=self.instance.pk)
            .exists()
        ):
            raise forms.ValidationError(_("Another list of this network has this short name."))
        return slug

    def validate_unique(self) -> None:
        # The (network, slug) constraint is checked in clean_slug; the network is not a field.
        pass


class SubscriberAddForm(forms.Form):
    email = forms.EmailField(label=_("Email"), max_length=254)
    name = forms.CharField(label=_("Name"), max_length=200, required=False)
    language = forms.ChoiceField(
        label=_("Language"), choices=language_choices(_("The network's language")), required=False
    )
    lists = ListCheckboxes(
        label=_("Lists"),
        queryset=MailingList.objects.none(),
        error_messages={"required": _("Choose at least one list.")},
    )
    consent_note = forms.CharField(
        label=_("How did they give their consent?"),
        max_length=300,
        help_text=_("For example: “asked in person at the March workshop”. Kept with the record."),
    )

    def __init__(self, *args: Any, network: Network, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["lists"].queryset = MailingList.objects.filter(  # type: ignore[attr-defined]
            network=network
        )


class SubscriberFilterForm(forms.Form):
    q = forms.CharField(label=_("Email or name"), required=False, max_length=100)
    list = forms.TypedChoiceField(label=_("List"), required=False, coerce=int, empty_value=None)
    status = forms.ChoiceField(label=_("Status"), required=False)

    def __init__(self, *args: Any, network: Network, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["list"].choices = [  # type: ignore[attr-defined]
            ("", _("Every list")),
            *[(m.pk, m.name) for m in MailingList.objects.filter(network=network)],
        ]
        self.fields["status"].choices = [  # type: ignore[attr-defined]
            ("", _("Any status")),
            *Subscription.Status.choices,
            ("suppressed", _("Suppressed address")),
        ]


class SuppressionForm(forms.Form):
    email = forms.EmailField(label=_("Email"), max_length=254)
    detail = forms.CharField(
        label=_("Reason"),
        max_length=500,
        help_text=_("Why no newsletter should go to this address; kept with it."),
    )


class MboxUploadForm(forms.Form):
    mbox = forms.FileField(
        label=_("Mailbox file (mbox) with bounce reports"),
        help_text=_(
            "Export the bounce mailbox as an .mbox file from your mail program or server. "
            "Delivery reports and spam complaints in it are recorded; other messages are counted "
            "and left alone."
        ),
    )

    def clean_mbox(self) -> bytes:
        upload = self.cleaned_data["mbox"]
        if upload.size > MAX_MBOX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than 50 MB. Split the mailbox and upload the parts.")
            )
        content: bytes = upload.read()
        from netweave.outreach.bounces import looks_like_mbox

        if not looks_like_mbox(content):
            raise forms.ValidationError(
                _(
                    "This is not an mbox file: an mbox starts with a line beginning with "
                    "“From ”. Export the mailbox in mbox format."
                )
            )
        return content


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "Columns: email, name, language, lists (short names separated by “;”), consent "
            "(yes/no), consent_date (2024-03-31), consent_note."
        ),
    )
