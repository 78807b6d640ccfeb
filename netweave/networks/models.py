"""The tenant: a `Network` and everything that is the network's own settings."""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# The four-phase life cycle most network guides use; a network may keep another list (phases are
# data, not code).
DEFAULT_PHASE_MODEL = ["catalyzing", "launching", "expanding", "transforming"]
PHASE_LABELS = {
    "catalyzing": _("Catalyzing"),
    "launching": _("Launching"),
    "expanding": _("Expanding and enhancing"),
    "transforming": _("Transforming"),
}


def default_phase_model() -> list[str]:
    return list(DEFAULT_PHASE_MODEL)


class Network(models.Model):
    class Purpose(models.TextChoices):
        LEARNING = "learning", _("Learning network")
        ACTION = "action", _("Action network")
        HYBRID = "hybrid", _("Hybrid (learning and action)")

    class Visibility(models.TextChoices):
        PUBLIC = "public", _("Public: listed, anyone may apply to join")
        LISTED = "listed", _("Listed: in the catalogue, joining by invitation")
        PRIVATE = "private", _("Private: members only")

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name in addresses"), max_length=60, unique=True)
    tagline = models.CharField(_("tagline"), max_length=240, blank=True)
    description = models.TextField(_("description (Markdown)"), blank=True)
    purpose = models.CharField(
        _("purpose"), max_length=10, choices=Purpose.choices, default=Purpose.LEARNING
    )
    phase_model = models.JSONField(_("life-cycle phases"), default=default_phase_model)
    phase = models.CharField(_("current phase"), max_length=60, default="catalyzing")
    topics = models.JSONField(_("topics"), default=list, blank=True)
    languages = models.JSONField(_("working languages"), default=list, blank=True)
    period_start = models.DateField(_("current learning period starts"), null=True, blank=True)
    period_end = models.DateField(_("current learning period ends"), null=True, blank=True)
    visibility = models.CharField(
        _("visibility"), max_length=10, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    how_to_join = models.TextField(_("how to join (shown in the catalogue)"), blank=True)
    host = models.ForeignKey(
        "people.Organization",
        verbose_name=_("host organization"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="hosted_networks",
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("network")
        verbose_name_plural = _("networks")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("networks:home", kwargs={"network_slug": self.slug})

    @property
    def accepts_applications(self) -> bool:
        return self.visibility == self.Visibility.PUBLIC

    @property
    def in_catalogue(self) -> bool:
        return self.visibility in (self.Visibility.PUBLIC, self.Visibility.LISTED)

    def phase_label(self) -> str:
        return str(PHASE_LABELS.get(self.phase, self.phase.replace("_", " ").capitalize()))

    def phase_index(self) -> int:
        try:
            return list(self.phase_model).index(self.phase) + 1
        except ValueError:
            return 0
