"""Forms of the resource center: submitting and editing a resource, the search box and facets,
curation actions, and the topic tree."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.conf.locale import LANG_INFO
from django.db.models import Q
from django.utils.translation import gettext_lazy

from netweave.library.models import Resource, Topic, Visibility
from netweave.library.services import UploadRejected, upload_validate
from netweave.networks.models import PHASE_LABELS, Network
from netweave.people.models import Membership, Organization, Person

# Above this many members (or organizations) the authors are not offered as a list to pick from:
# a select of thousands of names helps nobody. "Other authors" takes names as text.
MAX_AUTHOR_CHOICES = 500


def language_choices(network: Network) -> list[tuple[str, Any]]:
    """The network's working languages first, then every language Django knows."""

    def label(code: str) -> str:
        info = LANG_INFO.get(code, {})
        name, local = info.get("name", code), info.get("name_local", "")
        return f"{local} ({name})" if local and local != name else str(name)

    first = [code for code in network.languages or [] if code in LANG_INFO]
    rest = sorted(
        (code for code, info in LANG_INFO.items() if "name" in info and code not in first),
        key=lambda code: str(LANG_INFO[code]["name"]),
    )
    return [("", gettext_lazy("Not said"))] + [(code, label(code)) for code in first + rest]


def phase_label(phase: str) -> str:
    """A life-cycle phase in words (a phase of the network's own model by its name)."""
    return str(PHASE_LABELS.get(phase, phase.replace("_", " ").capitalize()))


def phase_choices(network: Network) -> list[tuple[str, str]]:
    return [(phase, phase_label(phase)) for phase in network.phase_model or []]


def topic_choices(network: Network) -> list[tuple[int, str]]:
    """Topics in tree order, sub-topics indented with an en dash per level."""
    from netweave.library.selectors import TopicNode

    topics = list(Topic.objects.filter(network=network).order_by("position", "name"))
    children: dict[int | None, list[Topic]] = {}
    known = {topic.pk for topic in topics}
    for topic in topics:
        children.setdefault(topic.parent_id if topic.parent_id in known else None, []).append(topic)
    ordered: list[TopicNode] = []

    def walk(parent: int | None, depth: int, seen: set[int]) -> None:
        for topic in children.get(parent, []):
            if topic.pk not in seen:
                ordered.append(TopicNode(topic=topic, depth=depth, count=0))
                walk(topic.pk, depth + 1, seen | {topic.pk})

    walk(None, 0, set())
    return [(node.topic.pk, "– " * node.depth + node.topic.name) for node in ordered]


def _choice(form: forms.Form, name: str) -> forms.ChoiceField:
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    return field


def _model_choice(form: forms.Form, name: str) -> forms.ModelMultipleChoiceField:  # type: ignore[type-arg]
    field = form.fields[name]
    assert isinstance(field, forms.ModelMultipleChoiceField)
    return field


class ResourceForm(forms.Form):
    """A resource: submitted by a member, or added and edited by a curator."""

    title = forms.CharField(label=gettext_lazy("Title"), max_length=300)
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=Resource.Kind.choices)
    url = forms.URLField(
        label=gettext_lazy("Link"),
        required=False,
        max_length=1000,
        assume_scheme="https",
        help_text=gettext_lazy("Where the resource is on the web. A link, a file, or both."),
    )
    file = forms.FileField(
        label=gettext_lazy("File"),
        required=False,
        max_length=200,
    )
    remove_file = forms.BooleanField(label=gettext_lazy("Remove the file"), required=False)
    language = forms.ChoiceField(label=gettext_lazy("Language"), required=False)
    translation_of = forms.IntegerField(
        label=gettext_lazy("Translation of resource number"),
        required=False,
        min_value=1,
        help_text=gettext_lazy(
            "If this is a translation, the number of the original resource: 42 in …/library/42/."
        ),
    )
    summary = forms.CharField(
        label=gettext_lazy("Summary"),
        required=False,
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=gettext_lazy(
            "What it is and why it is useful. Markdown: **bold**, lists, links."
        ),
    )
    topics = forms.TypedMultipleChoiceField(
        label=gettext_lazy("Topics"),
        required=False,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
    )
    phases = forms.MultipleChoiceField(
        label=gettext_lazy("Life-cycle phases it helps with"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    author_people = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Authors who are members"),
        required=False,
        queryset=Person.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=gettext_lazy("Hold Ctrl (or ⌘) to choose several."),
    )
    author_organizations = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Authoring organizations"),
        required=False,
        queryset=Organization.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=gettext_lazy("Hold Ctrl (or ⌘) to choose several."),
    )
    other_authors = forms.CharField(
        label=gettext_lazy("Other authors"),
        required=False,
        max_length=500,
        help_text=gettext_lazy("Names of authors who are not listed above, separated by commas."),
    )
    publication_date = forms.DateField(
        label=gettext_lazy("Date of the work"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=gettext_lazy("When it came out (not when it is added here)."),
    )
    visibility = forms.ChoiceField(
        label=gettext_lazy("Who may see it once published"),
        choices=Visibility.choices,
        initial=Visibility.NETWORK,
        widget=forms.RadioSelect,
    )
    review_by = forms.DateField(
        label=gettext_lazy("Review by"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=gettext_lazy(
            "When a curator should check it is still current; set on publication if empty."
        ),
    )
    publish = forms.BooleanField(
        label=gettext_lazy("Publish it now"),
        required=False,
        help_text=gettext_lazy("Otherwise it waits in the review queue."),
    )
    note = forms.CharField(
        label=gettext_lazy("Note for the history"),
        required=False,
        max_length=2000,
        help_text=gettext_lazy("What you changed and why (optional)."),
    )

    def __init__(
        self,
        *args: Any,
        network: Network,
        curator: bool,
        resource: Resource | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.network = network
        self.resource = resource
        limit = settings.NETWEAVE_LIBRARY_MAX_UPLOAD_BYTES
        types = ", ".join(sorted(settings.NETWEAVE_LIBRARY_UPLOAD_TYPES))
        self.fields["file"].help_text = gettext_lazy("At most %(size)d MB; one of %(types)s.") % {
            "size": max(1, limit // 1_000_000),
            "types": types,
        }
        self.fields["file"].widget.attrs["accept"] = ",".join(
            sorted(settings.NETWEAVE_LIBRARY_UPLOAD_TYPES)
        )
        _choice(self, "language").choices = language_choices(network)
        _choice(self, "topics").choices = topic_choices(network)
        _choice(self, "phases").choices = phase_choices(network)
        self._author_choices(network, resource)
        if not _choice(self, "topics").choices:
            del self.fields["topics"]
        if resource is None or not resource.file:
            del self.fields["remove_file"]
        if not curator:
            del self.fields["review_by"]
            del self.fields["publish"]
        if resource is not None:
            self.fields.pop("publish", None)
        else:
            del self.fields["note"]

    def _author_choices(self, network: Network, resource: Resource | None) -> None:
        """Active members and their organizations to pick from (unless there are too many),
        plus whoever is already named."""
        members = Person.objects.filter(
            memberships__network=network, memberships__status=Membership.Status.ACTIVE
        )
        chosen_people = (
            list(resource.author_people.values_list("pk", flat=True)) if resource else []
        )
        if members.count() > MAX_AUTHOR_CHOICES:
            members = Person.objects.none()
        _model_choice(self, "author_people").queryset = Person.objects.filter(
            Q(pk__in=members.values("pk")) | Q(pk__in=chosen_people)
        ).order_by("name")
        organizations = Organization.objects.filter(
            affiliations__person__memberships__network=network,
            affiliations__person__memberships__status=Membership.Status.ACTIVE,
        )
        chosen_orgs = (
            list(resource.author_organizations.values_list("pk", flat=True)) if resource else []
        )
        if organizations.distinct().count() > MAX_AUTHOR_CHOICES:
            organizations = Organization.objects.none()
        _model_choice(self, "author_organizations").queryset = Organization.objects.filter(
            Q(pk__in=organizations.values("pk")) | Q(pk__in=chosen_orgs)
        ).order_by("name")

    def clean_file(self) -> Any:
        file = self.cleaned_data.get("file")
        if file:
            try:
                upload_validate(file)
            except UploadRejected as error:
                raise forms.ValidationError(str(error)) from None
        return file

    def clean_translation_of(self) -> Resource | None:
        number = self.cleaned_data.get("translation_of")
        if not number:
            return None
        original = Resource.objects.filter(network=self.network, pk=number).first()
        if original is None:
            raise forms.ValidationError(
                gettext_lazy("There is no resource number %(n)d in this network.") % {"n": number}
            )
        if self.resource is not None and original.pk == self.resource.pk:
            raise forms.ValidationError(gettext_lazy("A resource cannot translate itself."))
        return original

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        has_file = bool(data.get("file")) or (
            self.resource is not None and bool(self.resource.file) and not data.get("remove_file")
        )
        problems_elsewhere = "url" in self.errors or "file" in self.errors
        if not data.get("url") and not has_file and not problems_elsewhere:
            raise forms.ValidationError(
                gettext_lazy("Give a link to the resource, or upload it as a file.")
            )
        return data

    def service_fields(self) -> dict[str, Any]:
        """The cleaned data as keyword arguments of resource_create / resource_update."""
        data = self.cleaned_data
        fields: dict[str, Any] = {
            "title": data["title"],
            "kind": data["kind"],
            "url": data.get("url") or "",
            "language": data.get("language") or "",
            "summary": data.get("summary") or "",
            "topics": data.get("topics") or [],
            "phases": data.get("phases") or [],
            "author_people": list(data.get("author_people") or []),
            "author_organizations": list(data.get("author_organizations") or []),
            "other_authors": data.get("other_authors") or "",
            "publication_date": data.get("publication_date"),
            "visibility": data["visibility"],
            "translation_of": data.get("translation_of"),
        }
        if "topics" not in self.fields:
            fields.pop("topics")
        if "review_by" in self.fields:
            fields["review_by"] = data.get("review_by")
        if data.get("file"):
            fields["file"] = data["file"]
        elif data.get("remove_file"):
            fields["file"] = None
        return fields

    @classmethod
    def initial_for(cls, resource: Resource) -> dict[str, Any]:
        return {
            "title": resource.title,
            "kind": resource.kind,
            "url": resource.url,
            "language": resource.language,
            "translation_of": resource.translation_of_id,
            "summary": resource.summary,
            "topics": [topic.pk for topic in resource.topics.all()],
            "phases": list(resource.phases or []),
            "author_people": list(resource.author_people.all()),
            "author_organizations": list(resource.author_organizations.all()),
            "other_authors": resource.other_authors,
            "publication_date": resource.publication_date,
            "visibility": resource.visibility,
            "review_by": resource.review_by,
        }


class StatusForm(forms.Form):
    status = forms.ChoiceField(choices=Resource.Status.choices)
    note = forms.CharField(required=False, max_length=2000)


class ReviewedForm(forms.Form):
    review_by = forms.DateField(
        required=False,
        label=gettext_lazy("Next review by"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )


class TopicForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=120)
    slug = forms.SlugField(
        label=gettext_lazy("Short name in addresses"),
        required=False,
        max_length=80,
        help_text=gettext_lazy("Letters, digits and hyphens; made from the name if left empty."),
    )
    parent = forms.ModelChoiceField(
        label=gettext_lazy("Inside"),
        required=False,
        queryset=Topic.objects.none(),
        empty_label=gettext_lazy("(top level)"),
    )
    description = forms.CharField(
        label=gettext_lazy("Description"),
        required=False,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Markdown."),
    )
    position = forms.IntegerField(
        label=gettext_lazy("Position"),
        required=False,
        min_value=0,
        max_value=100_000,
        help_text=gettext_lazy("Lower numbers come first; equal ones go by name."),
    )

    def __init__(self, *args: Any, network: Network, topic: Topic | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        parents = Topic.objects.filter(network=network).order_by("name")
        if topic is not None:
            parents = parents.exclude(pk=topic.pk)
        self.fields["parent"].queryset = parents  # type: ignore[attr-defined]
        self.fields["parent"].label_from_instance = lambda t: t.name  # type: ignore[attr-defined]
