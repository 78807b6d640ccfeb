"""The resource center (information in): resources, the topic tree, their revision history, and the
feeds the network follows with the items they bring in for curation."""

from __future__ import annotations

import uuid
from pathlib import PurePath

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Visibility(models.TextChoices):
    """Who may see a resource (and a product or an investment of the field trackers)."""

    PUBLIC = "public", _("Public: anyone")
    NETWORK = "network", _("Network: members and observers")
    COORDINATORS = "coordinators", _("Coordinators and stewards")


class Topic(models.Model):
    """A node of the network's topic tree."""

    network = models.ForeignKey(
        "networks.Network", on_delete=models.CASCADE, related_name="library_topics"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent topic"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="children",
    )
    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("short name in addresses"), max_length=80)
    description = models.TextField(_("description (Markdown)"), blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["position", "name"]
        constraints = [
            models.UniqueConstraint(fields=["network", "slug"], name="library_topic_unique_slug")
        ]
        verbose_name = _("topic")
        verbose_name_plural = _("topics")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse(
            "library:topic", kwargs={"network_slug": self.network.slug, "topic_slug": self.slug}
        )


def resource_upload_path(resource: Resource, filename: str) -> str:
    """Each network's files under their own folder, each file under a random folder of its own, so
    that names never collide and a path is never guessed from another's."""
    name = PurePath(filename).name[-120:] or "file"
    return f"library/{resource.network_id}/{uuid.uuid4().hex}/{name}"


class Resource(models.Model):
    class Kind(models.TextChoices):
        ARTICLE = "article", _("Article")
        PRESENTATION = "presentation", _("Presentation")
        REPORT = "report", _("Report")
        TOOL = "tool", _("Tool")
        GUIDANCE = "guidance", _("Guidance")
        STORY = "story", _("Story")
        DATASET = "dataset", _("Dataset")
        EVENT = "event", _("Event")
        FUNDING = "funding", _("Funding opportunity")
        RECORDING = "recording", _("Recording")

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        IN_REVIEW = "in_review", _("In review")
        PUBLISHED = "published", _("Published")
        ARCHIVED = "archived", _("Archived")

    class LinkStatus(models.TextChoices):
        UNCHECKED = "unchecked", _("Not checked yet")
        OK = "ok", _("Working")
        BROKEN = "broken", _("Broken")

    network = models.ForeignKey(
        "networks.Network", on_delete=models.CASCADE, related_name="resources"
    )
    kind = models.CharField(_("kind"), max_length=14, choices=Kind.choices, default=Kind.ARTICLE)
    title = models.CharField(_("title"), max_length=300)
    url = models.URLField(_("link"), max_length=1000, blank=True)
    file = models.FileField(_("file"), upload_to=resource_upload_path, max_length=300, blank=True)
    file_type = models.CharField(_("file type"), max_length=100, blank=True)
    file_size = models.PositiveBigIntegerField(_("file size"), null=True, blank=True)
    language = models.CharField(_("language"), max_length=12, blank=True)
    # Translations of one resource all point at the same original (which points at none).
    translation_of = models.ForeignKey(
        "self",
        verbose_name=_("translation of"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="translations",
    )
    topics = models.ManyToManyField(
        Topic, verbose_name=_("topics"), blank=True, related_name="resources"
    )
    phases = models.JSONField(_("life-cycle phases"), default=list, blank=True)
    author_people = models.ManyToManyField(
        "people.Person", verbose_name=_("authors (members)"), blank=True, related_name="resources"
    )
    author_organizations = models.ManyToManyField(
        "people.Organization",
        verbose_name=_("authors (organizations)"),
        blank=True,
        related_name="resources",
    )
    other_authors = models.CharField(_("other authors"), max_length=500, blank=True)
    summary = models.TextField(_("summary (Markdown)"), blank=True)
    visibility = models.CharField(
        _("visibility"), max_length=14, choices=Visibility.choices, default=Visibility.NETWORK
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.SUBMITTED
    )
    # When the work itself came out (its year is a search facet), not when it was published here.
    publication_date = models.DateField(_("date of the work"), null=True, blank=True)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True, editable=False)
    review_by = models.DateField(_("review by"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        "people.Person",
        verbose_name=_("submitted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="submitted_resources",
    )
    link_status = models.CharField(
        _("link"), max_length=10, choices=LinkStatus.choices, default=LinkStatus.UNCHECKED
    )
    link_checked_at = models.DateTimeField(null=True, blank=True)
    link_error = models.CharField(max_length=300, blank=True)
    # Title, summary, authors and topics in one column for the full-text index (search.py).
    search_text = models.TextField(blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)

    class Meta:
        ordering = ["-published_at", "-created_at"]
        indexes = [
            models.Index(
                fields=["network", "status", "visibility", "-published_at"],
                name="library_res_browse",
            ),
            models.Index(fields=["network", "kind"], name="library_res_kind"),
            models.Index(fields=["network", "review_by"], name="library_res_review"),
            models.Index(fields=["network", "link_status"], name="library_res_link"),
        ]
        verbose_name = _("resource")
        verbose_name_plural = _("resources")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse(
            "library:resource",
            kwargs={"network_slug": self.network.slug, "resource_id": self.pk},
        )

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED


class ResourceRevision(models.Model):
    """One change to a resource, with the resource as it was after the change."""

    class Action(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        EDITED = "edited", _("Edited")
        IN_REVIEW = "in_review", _("Taken into review")
        PUBLISHED = "published", _("Published")
        ARCHIVED = "archived", _("Archived")
        RESTORED = "restored", _("Restored")
        IMPORTED = "imported", _("Imported")
        LINK = "link", _("Link checked")

    network = models.ForeignKey("networks.Network", on_delete=models.CASCADE, related_name="+")
    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    action = models.CharField(max_length=10, choices=Action.choices)
    editor = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed = models.JSONField(default=list, blank=True)  # names of the fields that changed
    data = models.JSONField(default=dict, blank=True)  # the resource's fields after the change
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["resource", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["resource", "number"], name="library_revision_unique_number"
            )
        ]

    def __str__(self) -> str:
        return f"{self.resource_id} r{self.number} {self.action}"


class Feed(models.Model):
    """An RSS or Atom feed the network follows; its new items land in the curation inbox."""

    class FetchStatus(models.TextChoices):
        NEVER = "never", _("Not fetched yet")
        OK = "ok", _("Fetched")
        NOT_MODIFIED = "not_modified", _("Unchanged since the last fetch")
        ERROR = "error", _("Failed")
        REFUSED = "refused", _("Refused")

    network = models.ForeignKey("networks.Network", on_delete=models.CASCADE, related_name="feeds")
    title = models.CharField(_("title"), max_length=300, blank=True)
    url = models.URLField(_("feed address"), max_length=1000)
    site_url = models.URLField(_("website"), max_length=1000, blank=True)
    active = models.BooleanField(_("fetch on schedule"), default=True)
    interval_minutes = models.PositiveIntegerField(_("fetch every (minutes)"), default=360)
    default_kind = models.CharField(
        _("kind of the resources it brings"),
        max_length=14,
        choices=Resource.Kind.choices,
        default=Resource.Kind.ARTICLE,
    )
    default_topics = models.ManyToManyField(
        Topic, verbose_name=_("topics of the resources it brings"), blank=True, related_name="+"
    )
    etag = models.CharField(max_length=300, blank=True)
    last_modified = models.CharField(max_length=100, blank=True)
    last_fetched_at = models.DateTimeField(null=True, blank=True)
    next_fetch_at = models.DateTimeField(null=True, blank=True)
    last_status = models.CharField(
        max_length=14, choices=FetchStatus.choices, default=FetchStatus.NEVER
    )
    last_error = models.TextField(blank=True)
    failures = models.PositiveIntegerField(default=0)  # in a row
    added_by = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["title", "url"]
        constraints = [
            models.UniqueConstraint(fields=["network", "url"], name="library_feed_unique_url")
        ]
        indexes = [models.Index(fields=["active", "next_fetch_at"], name="library_feed_due")]
        verbose_name = _("feed")
        verbose_name_plural = _("feeds")

    def __str__(self) -> str:
        return self.title or self.url


class FeedItem(models.Model):
    """One entry a feed brought in; never published until a curator accepts it."""

    class Status(models.TextChoices):
        NEW = "new", _("New")
        ACCEPTED = "accepted", _("Accepted")
        DISMISSED = "dismissed", _("Dismissed")

    network = models.ForeignKey("networks.Network", on_delete=models.CASCADE, related_name="+")
    feed = models.ForeignKey(Feed, on_delete=models.CASCADE, related_name="items")
    guid = models.CharField(max_length=500)
    link = models.URLField(max_length=1000, blank=True)
    title = models.CharField(max_length=300, blank=True)
    summary = models.TextField(blank=True)  # plain text (feedparser's sanitized HTML, stripped)
    author = models.CharField(max_length=300, blank=True)
    language = models.CharField(max_length=12, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    fetched_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.NEW)
    resource = models.ForeignKey(
        Resource, null=True, blank=True, on_delete=models.SET_NULL, related_name="feed_items"
    )
    decided_by = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-published_at", "-fetched_at"]
        constraints = [
            models.UniqueConstraint(fields=["feed", "guid"], name="library_item_unique_guid")
        ]
        indexes = [
            models.Index(fields=["network", "link"], name="library_item_link"),
            models.Index(fields=["network", "status", "-fetched_at"], name="library_item_inbox"),
        ]

    def __str__(self) -> str:
        return self.title or self.link or self.guid
