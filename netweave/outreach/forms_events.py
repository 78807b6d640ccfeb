"""Forms of the events pages. Times are typed as a local date-time in the event's IANA zone and
stored in UTC (`events.local_to_utc`)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from netweave.outreach import events
from netweave.outreach.common import OutreachError
from netweave.outreach.models import Event, EventSession, RegistrationQuestion
from netweave.people.models import Membership, Person

LOCAL_FORMAT = "%Y-%m-%dT%H:%M"


class LocalDateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format=LOCAL_FORMAT, **kwargs)


def _local_field(label: Any, required: bool = True) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        required=required,
        widget=LocalDateTimeInput(),
        input_formats=[LOCAL_FORMAT, "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
    )


def _naive(value: datetime | None) -> datetime | None:
    return value.replace(tzinfo=None) if value is not None else None


class EventFilterForm(forms.Form):
    when = forms.ChoiceField(
        label=_("When"),
        required=False,
        choices=[("upcoming", _("Upcoming")), ("past", _("Past"))],
    )
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All kinds")), *Event.Kind.choices]
    )


class EventForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=Event.Kind.choices)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Markdown: **bold**, _italic_, [link](https://…), lists."),
    )
    starts_at = _local_field(_("Starts (local time of the event)"))
    ends_at = _local_field(_("Ends (local time of the event)"))
    time_zone = forms.ChoiceField(
        label=_("Time zone"),
        help_text=_("Where the event is held; everyone also sees the times in their own zone."),
    )
    online_url = forms.URLField(label=_("Online link"), required=False, max_length=1000)
    venue = forms.CharField(label=_("Venue"), required=False, max_length=300)
    capacity = forms.IntegerField(
        label=_("Places"), required=False, min_value=1, help_text=_("Leave empty for no limit.")
    )
    waitlist = forms.BooleanField(label=_("Keep a waiting list when full"), required=False)
    visibility = forms.ChoiceField(
        label=_("Who may see and register"),
        choices=Event.Visibility.choices,
        widget=forms.RadioSelect,
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[
            (Event.Status.PUBLISHED, _("Published")),
            (Event.Status.DRAFT, _("Draft (only organisers see it)")),
        ],
    )
    registration_open = forms.BooleanField(label=_("Registration open"), required=False)
    registration_closes_at = _local_field(_("Registration closes (optional)"), required=False)
    accepts_proposals = forms.BooleanField(
        label=_("Members may propose to present"), required=False
    )

    def __init__(self, *args: Any, event: Event | None = None, **kwargs: Any) -> None:
        if event is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                **{name: getattr(event, name) for name in events.EVENT_FIELDS},
                "starts_at": _naive(events.in_event_zone(event, event.starts_at)),
                "ends_at": _naive(events.in_event_zone(event, event.ends_at)),
                "registration_closes_at": _naive(
                    events.in_event_zone(event, event.registration_closes_at)
                    if event.registration_closes_at
                    else None
                ),
            }
        kwargs.setdefault(
            "initial",
            {
                "time_zone": "UTC",
                "waitlist": True,
                "registration_open": True,
                "visibility": "public",
            },
        )
        super().__init__(*args, **kwargs)
        zone_field = self.fields["time_zone"]
        assert isinstance(zone_field, forms.ChoiceField)
        zone_field.choices = [(name, name) for name in events.time_zone_names()]
        if event is not None and event.status == Event.Status.CANCELLED:
            status_field = self.fields["status"]
            assert isinstance(status_field, forms.ChoiceField)
            status_field.choices = Event.Status.choices

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        zone = data.get("time_zone")
        if not zone:
            return data
        for name in ("starts_at", "ends_at", "registration_closes_at"):
            value = data.get(name)
            if value is not None:
                # The form typed a wall-clock time in the event's zone, not the server's.
                try:
                    data[name] = events.local_to_utc(value.replace(tzinfo=None), zone)
                except OutreachError as error:
                    self.add_error("time_zone", str(error))
                    return data
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("The event must end after it starts."))
        return data

    def event_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {name: data.get(name) for name in events.EVENT_FIELDS if name in data} | {
            "description": data.get("description") or "",
            "online_url": data.get("online_url") or "",
            "venue": data.get("venue") or "",
        }


class RegistrationForm(forms.Form):
    """Name and address (for visitors who are not signed in), then the event's questions."""

    name = forms.CharField(label=_("Your name"), max_length=200)
    email = forms.EmailField(label=_("Your email"), max_length=254)

    def __init__(
        self, *args: Any, event: Event, person: Person | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.event = event
        if person is not None:
            del self.fields["name"]
            del self.fields["email"]
        self.questions = list(event.questions.all())
        for question in self.questions:
            self.fields[f"q_{question.pk}"] = _question_field(question)

    def answers(self) -> dict[str, Any]:
        return {
            str(question.pk): self.cleaned_data.get(f"q_{question.pk}")
            for question in self.questions
        }


def _question_field(question: RegistrationQuestion) -> forms.Field:
    kind, label, required = question.kind, question.label, question.required
    choices = [(choice, choice) for choice in question.choices]
    if kind == RegistrationQuestion.Kind.LONG:
        return forms.CharField(
            label=label, required=required, max_length=events.ANSWER_MAX, widget=forms.Textarea
        )
    if kind == RegistrationQuestion.Kind.CHOICE:
        return forms.ChoiceField(
            label=label, required=required, choices=choices, widget=forms.RadioSelect
        )
    if kind == RegistrationQuestion.Kind.CHOICES:
        return forms.MultipleChoiceField(
            label=label, required=required, choices=choices, widget=forms.CheckboxSelectMultiple
        )
    if kind == RegistrationQuestion.Kind.YES_NO:
        return forms.ChoiceField(
            label=label,
            required=required,
            choices=[("yes", _("Yes")), ("no", _("No"))],
            widget=forms.RadioSelect,
        )
    return forms.CharField(label=label, required=required, max_length=200)


class CheckInForm(forms.Form):
    code = forms.CharField(
        label=_("Check-in code"),
        max_length=12,
        help_text=_("The code shown on the screen or by the organisers."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )
    token = forms.CharField(required=False, widget=forms.HiddenInput)


class ProposalForm(forms.Form):
    title = forms.CharField(label=_("Title of your contribution"), max_length=200)
    abstract = forms.CharField(
        label=_("What you would present"), required=False, widget=forms.Textarea(attrs={"rows": 6})
    )


class ProposalDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("accept", _("Accept")), ("decline", _("Decline"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note to the proposer"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    session = forms.ModelChoiceField(
        label=_("Session"),
        required=False,
        queryset=EventSession.objects.none(),
        empty_label=_("A new session named after the proposal"),
    )

    def __init__(self, *args: Any, event: Event, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["session"].queryset = event.sessions.all()  # type: ignore[attr-defined]


class QuestionForm(forms.Form):
    label = forms.CharField(label=_("Question"), max_length=300)
    kind = forms.ChoiceField(label=_("Kind of answer"), choices=RegistrationQuestion.Kind.choices)
    choices = forms.CharField(
        label=_("Choices"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For choice questions: one choice per line."),
    )
    required = forms.BooleanField(label=_("An answer is required"), required=False)

    def choice_list(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data.get("choices", "").splitlines()]


class SessionForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    starts_at = _local_field(_("Starts (local time of the event)"))
    ends_at = _local_field(_("Ends (local time of the event)"))
    room = forms.CharField(label=_("Room or link"), required=False, max_length=200)
    presenters = forms.ModelMultipleChoiceField(
        label=_("Presenters"),
        required=False,
        queryset=Person.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_("Members of the network; hold Ctrl (or ⌘) to choose several."),
    )

    def __init__(self, *args: Any, event: Event, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.event = event
        members = Membership.objects.filter(
            network_id=event.network_id, status=Membership.Status.ACTIVE
        ).values("person_id")
        self.fields["presenters"].queryset = Person.objects.filter(  # type: ignore[attr-defined]
            pk__in=members
        ).order_by("name")
        if not self.is_bound:
            self.initial.setdefault(
                "starts_at", _naive(events.in_event_zone(event, event.starts_at))
            )
            self.initial.setdefault("ends_at", _naive(events.in_event_zone(event, event.ends_at)))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name in ("starts_at", "ends_at"):
            if data.get(name) is not None:
                data[name] = events.local_to_utc(
                    data[name].replace(tzinfo=None), self.event.time_zone
                )
        if data.get("starts_at") and data.get("ends_at") and data["ends_at"] <= data["starts_at"]:
            self.add_error("ends_at", _("The session must end after it starts."))
        return data
