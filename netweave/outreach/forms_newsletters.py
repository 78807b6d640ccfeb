"""Forms of the newsletter pages: starting an issue, an edition, a test send, scheduling, the
issue's options and the network's mail settings."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from django import forms
from django.conf import settings
from django.conf.locale import LANG_INFO
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from netweave.networks.models import Network
from netweave.outreach.models import Edition, MailingList, OutreachSettings
from netweave.outreach.newsletters import (
    MAIL_SETTINGS_FIELDS,
    MAX_TEST_ADDRESSES,
    mailing_lists_for,
    network_languages,
)


def language_choices(codes: list[str]) -> list[tuple[str, str]]:
    return [(code, str(LANG_INFO.get(code, {}).get("name_local", code))) for code in codes]


class NewsletterNewForm(forms.Form):
    mailing_list = forms.ModelChoiceField(
        label=_("Send to"), queryset=MailingList.objects.none(), empty_label=None
    )
    language = forms.ChoiceField(label=_("Language of the first edition"))

    def __init__(self, *args: Any, network: Network, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["mailing_list"].queryset = mailing_lists_for(network)  # type: ignore[attr-defined]
        self.fields["language"].choices = language_choices(network_languages(network))  # type: ignore[attr-defined]


class EditionForm(forms.ModelForm):
    class Meta:
        model = Edition
        fields = ["subject", "preheader", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 24, "class": "markdown-editor"})}
        help_texts = {
            "preheader": _("The line mail programs show after the subject; optional."),
            "body": _(
                "Markdown: ## for a heading, **bold**, [text](https://...) for a link, - for a "
                "list. The preview shows the email as subscribers will see it."
            ),
        }


class EditionAddForm(forms.Form):
    language = forms.ChoiceField(label=_("Add an edition in"))

    def __init__(self, *args: Any, languages: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = language_choices(languages)  # type: ignore[attr-defined]


class TestSendForm(forms.Form):
    language = forms.ChoiceField(label=_("Edition"))
    send_to_me = forms.BooleanField(
        label=_("Send it to my own address"), required=False, initial=True
    )
    addresses = forms.CharField(
        label=_("Other addresses"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Up to five addresses, one a line or separated by commas."),
    )

    def __init__(self, *args: Any, languages: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = language_choices(languages)  # type: ignore[attr-defined]

    def clean_addresses(self) -> list[str]:
        raw = self.cleaned_data.get("addresses") or ""
        found = [part.strip() for part in raw.replace(",", "\n").replace(";", "\n").split()]
        found = [part for part in found if part]
        wrong = []
        for address in found:
            try:
                validate_email(address)
            except ValidationError:
                wrong.append(address)
        if wrong:
            raise ValidationError(
                _("These are not email addresses: %(wrong)s"), params={"wrong": ", ".join(wrong)}
            )
        if len(found) > MAX_TEST_ADDRESSES:
            raise ValidationError(
                _("At most %(n)s other addresses; you gave %(given)s."),
                params={"n": MAX_TEST_ADDRESSES, "given": len(found)},
            )
        return [address.lower() for address in found]


def time_zone_choices() -> list[tuple[str, str]]:
    return [(name, name.replace("_", " ")) for name in sorted(available_timezones())]


class ScheduleForm(forms.Form):
    WHEN_CHOICES = [("now", _("Send now")), ("later", _("Send at a date and time"))]

    when = forms.ChoiceField(
        label=_("When"), choices=WHEN_CHOICES, widget=forms.RadioSelect, initial="now"
    )
    send_at = forms.DateTimeField(
        label=_("Date and time"),
        required=False,
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    time_zone = forms.ChoiceField(label=_("Time zone"), initial=settings.TIME_ZONE)
    confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["time_zone"].choices = time_zone_choices()  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("when") != "later":
            data["at"] = None
            return data
        naive = data.get("send_at")
        if naive is None:
            self.add_error("send_at", _("Give the date and time to send at."))
            return data
        try:
            zone = ZoneInfo(data.get("time_zone") or settings.TIME_ZONE)
        except (ZoneInfoNotFoundError, ValueError):
            self.add_error("time_zone", _("Choose a time zone from the list."))
            return data
        # The field reads the typed wall-clock time in the current time zone: keep the wall
        # clock, and read it in the zone the coordinator chose instead.
        if isinstance(naive, datetime) and timezone.is_aware(naive):
            naive = naive.replace(tzinfo=None)
        at = timezone.make_aware(naive, zone)
        if at <= timezone.now():
            self.add_error(
                "send_at", _("That time has passed; choose a time in the future or send now.")
            )
            return data
        data["at"] = at
        return data


class NewsletterOptionsForm(forms.Form):
    mailing_list = forms.ModelChoiceField(
        label=_("Send to"), queryset=MailingList.objects.none(), empty_label=None
    )
    default_language = forms.ChoiceField(label=_("Default edition"))
    in_archive = forms.BooleanField(label=_("Show in the public archive once sent"), required=False)

    def __init__(self, *args: Any, network: Network, languages: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["mailing_list"].queryset = mailing_lists_for(network)  # type: ignore[attr-defined]
        self.fields["default_language"].choices = language_choices(languages)  # type: ignore[attr-defined]


class MailSettingsForm(forms.ModelForm):
    class Meta:
        model = OutreachSettings
        fields = list(MAIL_SETTINGS_FIELDS)
        help_texts = {
            "from_name": _("Empty: the network's name."),
            "from_email": _("Empty: the site's own sender address."),
            "postal_address": _("Anti-spam laws ask for a postal address in bulk email."),
            "batch_size": _("How many messages one run of the sender takes at a time."),
            "track_opens": _(
                "Off by default. When on, emails carry a tiny image that counts opens; the "
                "network's privacy page says so."
            ),
            "track_clicks": _(
                "Off by default. When on, links go through this site to be counted; the "
                "network's privacy page says so."
            ),
        }

    def clean_batch_size(self) -> int:
        value = int(self.cleaned_data["batch_size"])
        if value < 1:
            raise ValidationError(_("A batch holds at least one message."))
        return value

    def clean_soft_bounce_threshold(self) -> int:
        value = int(self.cleaned_data["soft_bounce_threshold"])
        if value < 1:
            raise ValidationError(_("Suppress after at least one soft bounce."))
        return value
