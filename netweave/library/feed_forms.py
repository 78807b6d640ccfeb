"""Forms of the feed pages: following a feed, filtering the inbox, dismissing in bulk."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy

from netweave.library.ingest import FeedError, feed_url_clean
from netweave.library.models import Feed, FeedItem, Resource, Topic
from netweave.networks.models import Network

INTERVAL_CHOICES = [
    (60, gettext_lazy("Every hour")),
    (180, gettext_lazy("Every 3 hours")),
    (360, gettext_lazy("Every 6 hours")),
    (720, gettext_lazy("Twice a day")),
    (1440, gettext_lazy("Once a day")),
    (10080, gettext_lazy("Once a week")),
]


class FeedForm(forms.Form):
    url = forms.URLField(
        label=gettext_lazy("Feed address"),
        max_length=1000,
        assume_scheme="https",
        help_text=gettext_lazy(
            "The address of the RSS or Atom feed, e.g. https://journal.example.org/rss. "
            "Journals show it behind an orange feed icon or a link named “RSS” or “Atom”."
        ),
    )
    title = forms.CharField(
        label=gettext_lazy("Name"),
        required=False,
        max_length=300,
        help_text=gettext_lazy("Leave it empty to use the feed's own title."),
    )
    interval_minutes = forms.TypedChoiceField(
        label=gettext_lazy("Fetch it"), coerce=int, choices=INTERVAL_CHOICES, initial=360
    )
    default_kind = forms.ChoiceField(
        label=gettext_lazy("Kind of the resources it brings"),
        choices=Resource.Kind.choices,
        initial=Resource.Kind.ARTICLE,
        help_text=gettext_lazy("You can change it for each item when you accept it."),
    )
    default_topics = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Topics of the resources it brings"),
        queryset=Topic.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    active = forms.BooleanField(
        label=gettext_lazy("Fetch it on schedule"),
        required=False,
        initial=True,
        help_text=gettext_lazy("Untick to pause the feed without losing its inbox."),
    )

    def __init__(self, *args: Any, network: Network, feed: Feed | None = None, **kwargs: Any):
        if feed is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "url": feed.url,
                "title": feed.title,
                "interval_minutes": feed.interval_minutes,
                "default_kind": feed.default_kind,
                "default_topics": list(feed.default_topics.all()),
                "active": feed.active,
            }
        super().__init__(*args, **kwargs)
        self.network = network
        topics = self.fields["default_topics"]
        topics.queryset = Topic.objects.filter(network=network).order_by("name")  # type: ignore[attr-defined]
        if not topics.queryset.exists():  # type: ignore[attr-defined]
            del self.fields["default_topics"]
        interval = self.fields["interval_minutes"]
        if feed is not None and feed.interval_minutes not in dict(INTERVAL_CHOICES):
            # Set through the API to a value the menu does not offer: keep it choosable.
            interval.choices = [  # type: ignore[attr-defined]
                (
                    feed.interval_minutes,
                    gettext_lazy("Every %(n)d minutes") % {"n": feed.interval_minutes},
                ),
                *INTERVAL_CHOICES,
            ]

    def clean_url(self) -> str:
        try:
            return feed_url_clean(self.cleaned_data["url"])
        except FeedError as error:
            raise forms.ValidationError(str(error)) from None


STATUS_CHOICES = [
    (FeedItem.Status.NEW, gettext_lazy("Waiting")),
    (FeedItem.Status.ACCEPTED, gettext_lazy("Accepted")),
    (FeedItem.Status.DISMISSED, gettext_lazy("Dismissed")),
]


class InboxFilterForm(forms.Form):
    feed = forms.TypedChoiceField(
        label=gettext_lazy("Feed"), coerce=int, required=False, empty_value=None
    )
    status = forms.ChoiceField(label=gettext_lazy("Status"), choices=STATUS_CHOICES, required=False)

    def __init__(self, *args: Any, feeds: list[Feed], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["feed"].choices = [  # type: ignore[attr-defined]
            ("", gettext_lazy("Every feed")),
            *[(feed.pk, str(feed)) for feed in feeds],
        ]


class ItemIdsForm(forms.Form):
    """The ticked items of the inbox (`ids`, repeated)."""

    ids = forms.TypedMultipleChoiceField(coerce=int, required=True)

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        raw = self.data.getlist("ids") if hasattr(self.data, "getlist") else []
        self.fields["ids"].choices = [  # type: ignore[attr-defined]
            (value, value) for value in raw if str(value).isdigit()
        ]
        self.fields["ids"].error_messages["required"] = gettext_lazy(
            "Tick the items to dismiss first."
        )
