"""Forms of the field-tracker pages. They check input and say what to fix; the services then
apply the rules of the field (and their `FieldError` messages land on the form)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy

from netweave.field import selectors
from netweave.field.models import Product, ProductStage
from netweave.field.services import (
    EARLIEST_YEAR,
    YEARS_AHEAD,
    FieldError,
    clean_currency,
    clean_indications,
)
from netweave.library.models import Resource, Topic, Visibility
from netweave.networks.models import Network
from netweave.people.models import Organization

MULTI_HELP = gettext_lazy("Hold Ctrl (or Cmd on a Mac) to choose several.")


def topic_label_maker(network: Network) -> Any:
    """Topic names indented by their depth in the tree, for choice lists."""
    tree = selectors.topic_tree(network)

    def depth(topic: Topic) -> int:
        n, current = 0, topic
        while current.parent_id in tree.topics and n < 20:
            current = tree.topics[current.parent_id]  # type: ignore[index]
            n += 1
        return n

    return lambda topic: "— " * depth(topic) + topic.name


def ordered_topics(network: Network) -> list[Topic]:
    """Topics in tree order: each parent followed by its children."""
    tree = selectors.topic_tree(network)
    ordered: list[Topic] = []

    def walk(parent: int | None) -> None:
        for topic in tree.children.get(parent, []):
            ordered.append(topic)
            walk(topic.pk)

    walk(None)
    return ordered


def topic_slug_choices(network: Network, empty: str) -> list[tuple[str, str]]:
    label = topic_label_maker(network)
    return [("", empty), *[(topic.slug, label(topic)) for topic in ordered_topics(network)]]


class TopicMultipleField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        maker = getattr(self, "label_maker", None)
        return maker(obj) if maker else str(obj)


class TopicField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        maker = getattr(self, "label_maker", None)
        return maker(obj) if maker else str(obj)


def field(form: forms.Form, name: str) -> Any:
    """A form's field, to set what its type does not declare (queryset, choices)."""
    return form.fields[name]


def _names(text: str) -> list[str]:
    return [name.strip() for name in text.replace(";", "\n").splitlines() if name.strip()]


class ProductForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=200)
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=Product.Kind.choices)
    developers = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Developers"),
        queryset=Organization.objects.none(),
        required=False,
        help_text=MULTI_HELP,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    new_developers = forms.CharField(
        label=gettext_lazy("Other developers"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("Organizations not in the list above, one per line."),
    )
    indications = forms.CharField(
        label=gettext_lazy("Indications"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("What it is for, one per line (e.g. HIV prevention)."),
    )
    stage = forms.ModelChoiceField(
        label=gettext_lazy("Stage"),
        queryset=ProductStage.objects.none(),
        required=False,
        empty_label=gettext_lazy("Not known yet"),
    )
    stage_date = forms.DateField(
        label=gettext_lazy("In this stage since"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=gettext_lazy("Today if left empty."),
    )
    stage_source = forms.CharField(
        label=gettext_lazy("Source for the stage"),
        required=False,
        max_length=1000,
        help_text=gettext_lazy("Where this is known from: a link, a registry entry, a report."),
    )
    topics = TopicMultipleField(
        label=gettext_lazy("Topics"),
        queryset=Topic.objects.none(),
        required=False,
        help_text=MULTI_HELP,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    resources = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Linked resources"),
        queryset=Resource.objects.none(),
        required=False,
        help_text=MULTI_HELP,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    website = forms.URLField(
        label=gettext_lazy("Website"), required=False, max_length=1000, assume_scheme="https"
    )
    description = forms.CharField(
        label=gettext_lazy("Description (Markdown)"),
        required=False,
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    visibility = forms.ChoiceField(
        label=gettext_lazy("Who may see it"),
        choices=Visibility.choices,
        initial=Visibility.NETWORK,
    )

    def __init__(self, *args: Any, network: Network, editing: bool = False, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.network = network
        field(self, "developers").queryset = selectors.organization_choices(network=network)
        field(self, "stage").queryset = ProductStage.objects.filter(network=network)
        topics = field(self, "topics")
        topics.queryset = Topic.objects.filter(network=network).order_by(
            "parent_id", "position", "name"
        )
        topics.label_maker = topic_label_maker(network)
        field(self, "resources").queryset = selectors.resource_choices(network=network)
        if editing:  # the stage changes through "record a stage change", with its history
            for name in ("stage", "stage_date", "stage_source"):
                del self.fields[name]

    def clean_indications(self) -> list[str]:
        try:
            return clean_indications(self.cleaned_data.get("indications") or "")
        except FieldError as error:
            raise forms.ValidationError(str(error)) from None

    def clean_stage_date(self) -> dt.date | None:
        value = self.cleaned_data.get("stage_date")
        if value and value > timezone.localdate():
            raise forms.ValidationError(
                gettext_lazy("This date is in the future; record a stage once it is reached.")
            )
        return value

    def developer_names(self) -> list[str]:
        return _names(self.cleaned_data.get("new_developers") or "")


class StageChangeForm(forms.Form):
    stage = forms.ModelChoiceField(
        label=gettext_lazy("New stage"), queryset=ProductStage.objects.none()
    )
    date = forms.DateField(
        label=gettext_lazy("Date reached"), widget=forms.DateInput(attrs={"type": "date"})
    )
    source = forms.CharField(
        label=gettext_lazy("Source"),
        required=False,
        max_length=1000,
        help_text=gettext_lazy("Where this is known from: a link, a registry entry, a report."),
    )
    note = forms.CharField(
        label=gettext_lazy("Note"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, network: Network, **kwargs: Any):
        kwargs.setdefault("initial", {}).setdefault("date", timezone.localdate())
        super().__init__(*args, **kwargs)
        field(self, "stage").queryset = ProductStage.objects.filter(network=network)

    def clean_date(self) -> dt.date:
        value = self.cleaned_data["date"]
        if value > timezone.localdate():
            raise forms.ValidationError(
                gettext_lazy("This date is in the future; record a stage once it is reached.")
            )
        return value  # type: ignore[no-any-return]


class StageForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name of the stage"), max_length=80)


def _year_field(label: Any, required: bool = True) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        required=required,
        min_value=EARLIEST_YEAR,
        max_value=timezone.localdate().year + YEARS_AHEAD,
    )


class InvestmentForm(forms.Form):
    funder = forms.ModelChoiceField(
        label=gettext_lazy("Funder"),
        queryset=Organization.objects.none(),
        required=False,
        empty_label=gettext_lazy("Choose, or type a new funder below"),
    )
    new_funder = forms.CharField(
        label=gettext_lazy("New funder"),
        required=False,
        max_length=200,
        help_text=gettext_lazy("The funder's name, when it is not in the list."),
    )
    recipient = forms.ModelChoiceField(
        label=gettext_lazy("Recipient"),
        queryset=Organization.objects.none(),
        required=False,
        empty_label=gettext_lazy("None, or type a new recipient below"),
    )
    new_recipient = forms.CharField(
        label=gettext_lazy("New recipient"), required=False, max_length=200
    )
    title = forms.CharField(label=gettext_lazy("Purpose"), required=False, max_length=300)
    amount = forms.DecimalField(
        label=gettext_lazy("Amount"),
        min_value=Decimal("0.01"),
        max_digits=16,
        decimal_places=2,
    )
    currency = forms.CharField(
        label=gettext_lazy("Currency"),
        max_length=3,
        min_length=3,
        help_text=gettext_lazy("Three letters: USD, EUR, GBP, KES..."),
    )
    year = forms.IntegerField(label=gettext_lazy("Year"))
    topic = TopicField(
        label=gettext_lazy("Topic"),
        queryset=Topic.objects.none(),
        required=False,
        empty_label=gettext_lazy("No topic"),
    )
    product = forms.ModelChoiceField(
        label=gettext_lazy("Product"),
        queryset=Product.objects.none(),
        required=False,
        empty_label=gettext_lazy("No product"),
    )
    source = forms.CharField(
        label=gettext_lazy("Source"),
        required=False,
        max_length=1000,
        help_text=gettext_lazy("Where this is known from: a link, an annual report, a database."),
    )
    visibility = forms.ChoiceField(
        label=gettext_lazy("Who may see it"),
        choices=Visibility.choices,
        initial=Visibility.NETWORK,
    )

    def __init__(self, *args: Any, network: Network, base_currency: str, **kwargs: Any):
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("currency", base_currency)
        kwargs["initial"].setdefault("year", timezone.localdate().year)
        super().__init__(*args, **kwargs)
        organizations = selectors.organization_choices(network=network)
        field(self, "funder").queryset = organizations
        field(self, "recipient").queryset = organizations
        topic = field(self, "topic")
        topic.queryset = Topic.objects.filter(network=network)
        topic.label_maker = topic_label_maker(network)
        field(self, "product").queryset = selectors.product_choices(network=network)
        # The latest year allowed moves with the calendar: made per form, not at import.
        self.fields["year"] = _year_field(gettext_lazy("Year"))

    def clean_currency(self) -> str:
        try:
            return clean_currency(self.cleaned_data.get("currency") or "")
        except FieldError as error:
            raise forms.ValidationError(str(error)) from None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        new_funder = (data.get("new_funder") or "").strip()
        if data.get("funder") and new_funder:
            self.add_error(
                "new_funder", gettext_lazy("Choose a funder from the list or type one, not both.")
            )
        elif not data.get("funder") and not new_funder and "funder" not in self.errors:
            self.add_error("funder", gettext_lazy("Say who the funder is."))
        if data.get("recipient") and (data.get("new_recipient") or "").strip():
            self.add_error(
                "new_recipient",
                gettext_lazy("Choose a recipient from the list or type one, not both."),
            )
        return data


class RateForm(forms.Form):
    currency = forms.CharField(
        label=gettext_lazy("Currency"),
        max_length=3,
        min_length=3,
        help_text=gettext_lazy("Three letters: EUR, GBP, KES..."),
    )
    year = forms.IntegerField(
        label=gettext_lazy("Year"),
        required=False,
        min_value=EARLIEST_YEAR,
        help_text=gettext_lazy(
            "Leave empty for a rate used in every year that has none of its own."
        ),
    )
    rate = forms.DecimalField(
        label=gettext_lazy("Worth in the base currency"),
        min_value=Decimal("0.00000001"),
        max_digits=18,
        decimal_places=8,
    )

    def clean_currency(self) -> str:
        try:
            return clean_currency(self.cleaned_data.get("currency") or "")
        except FieldError as error:
            raise forms.ValidationError(str(error)) from None


class BaseCurrencyForm(forms.Form):
    base_currency = forms.CharField(
        label=gettext_lazy("Report funding in"), max_length=3, min_length=3
    )

    def clean_base_currency(self) -> str:
        try:
            return clean_currency(self.cleaned_data.get("base_currency") or "")
        except FieldError as error:
            raise forms.ValidationError(str(error)) from None


# --- filters --------------------------------------------------------------------------------------


class PipelineFilterForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("Name or indication"), required=False, max_length=100)
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), required=False)
    topic = forms.ChoiceField(label=gettext_lazy("Topic"), required=False)

    def __init__(self, *args: Any, network: Network, **kwargs: Any):
        super().__init__(*args, **kwargs)
        field(self, "kind").choices = [("", gettext_lazy("Every kind")), *Product.Kind.choices]
        field(self, "topic").choices = topic_slug_choices(network, str(gettext_lazy("Every topic")))


class TimelineFilterForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), required=False)
    product = forms.ModelChoiceField(
        label=gettext_lazy("Product"),
        queryset=Product.objects.none(),
        required=False,
        empty_label=gettext_lazy("Every product"),
    )

    def __init__(self, *args: Any, products: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        field(self, "kind").choices = [("", gettext_lazy("Every kind")), *Product.Kind.choices]
        field(self, "product").queryset = products


class InvestmentFilterForm(forms.Form):
    year = forms.TypedChoiceField(
        label=gettext_lazy("Year"), required=False, coerce=int, empty_value=None
    )
    topic = forms.ChoiceField(label=gettext_lazy("Topic"), required=False)
    funder = forms.TypedChoiceField(
        label=gettext_lazy("Funder"), required=False, coerce=int, empty_value=None
    )

    def __init__(
        self,
        *args: Any,
        network: Network,
        years: list[int],
        funders: list[Organization],
        **kwargs: Any,
    ):
        super().__init__(*args, **kwargs)
        field(self, "year").choices = [("", gettext_lazy("Every year")), *[(y, y) for y in years]]
        field(self, "topic").choices = topic_slug_choices(network, str(gettext_lazy("Every topic")))
        field(self, "funder").choices = [
            ("", gettext_lazy("Every funder")),
            *[(f.pk, f.name) for f in funders],
        ]


class FundingFilterForm(forms.Form):
    since = forms.IntegerField(
        label=gettext_lazy("From year"), required=False, min_value=EARLIEST_YEAR, max_value=9999
    )
    until = forms.IntegerField(
        label=gettext_lazy("To year"), required=False, min_value=EARLIEST_YEAR, max_value=9999
    )
    topic = forms.ChoiceField(label=gettext_lazy("Topic"), required=False)

    def __init__(self, *args: Any, network: Network, **kwargs: Any):
        super().__init__(*args, **kwargs)
        field(self, "topic").choices = topic_slug_choices(
            network, str(gettext_lazy("Every top-level topic"))
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            self.add_error("until", gettext_lazy("The last year comes after the first one."))
        return data


class GapFilterForm(forms.Form):
    years = forms.IntegerField(
        label=gettext_lazy("Funding over the last (years)"),
        initial=5,
        required=False,
        min_value=1,
        max_value=50,
    )
    topic = forms.ChoiceField(label=gettext_lazy("Topic"), required=False)

    def __init__(self, *args: Any, network: Network, **kwargs: Any):
        super().__init__(*args, **kwargs)
        field(self, "topic").choices = topic_slug_choices(
            network, str(gettext_lazy("Every top-level topic"))
        )
