"""Who is connected to whom in a network, and the network frozen at a date.

A `Tie` is one relationship between two members of one network, with where it came from
(provenance). Nothing is deleted: a tie that ends gets `ended_at`. A `Snapshot` freezes the graph
of a network at a moment (after a survey wave, or on demand) with every figure the analysis
library computes, so the network's history can be compared."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Tie(models.Model):
    class Kind(models.TextChoices):
        KNOWS = "knows", _("Knows")
        SHARES_INFORMATION = "shares_information", _("Shares information")
        COLLABORATES = "collaborates", _("Collaborates")
        ADVICE = "advice", _("Gives advice")
        FUNDS = "funds", _("Funds")
        INTRODUCED = "introduced", _("Was introduced")
        CO_ATTENDED = "co_attended", _("Attended the same event")
        CO_AUTHORED = "co_authored", _("Co-authored")
        OTHER = "other", _("Other")

    class Provenance(models.TextChoices):
        SURVEY = "survey", _("Relationship survey")
        OBSERVED = "observed", _("Observed on the platform")
        MANUAL = "manual", _("Entered by a coordinator")
        IMPORTED = "imported", _("Imported")

    network = models.ForeignKey("networks.Network", on_delete=models.CASCADE, related_name="ties")
    source = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="ties_out")
    target = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="ties_in")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.KNOWS)
    weight = models.FloatField(_("weight"), default=1.0)
    directed = models.BooleanField(_("directed"), default=False)
    provenance = models.CharField(
        _("provenance"), max_length=10, choices=Provenance.choices, default=Provenance.MANUAL
    )
    # When the relationship was observed: the survey wave's date, the event's date, the day a
    # coordinator entered it; `window_*` for ties that describe a period.
    observed_at = models.DateTimeField(_("observed"), default=timezone.now)
    window_start = models.DateField(_("from"), null=True, blank=True)
    window_end = models.DateField(_("until"), null=True, blank=True)
    wave = models.ForeignKey(
        "surveys.SurveyWave", null=True, blank=True, on_delete=models.SET_NULL, related_name="ties"
    )
    # For observed ties: what produced it ("event:12", "introduction:7"), so observing the same
    # thing twice is idempotent.
    evidence = models.CharField(max_length=120, blank=True)
    note = models.TextField(_("note"), blank=True)
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    created_by = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["network", "-observed_at", "id"]
        verbose_name = _("tie")
        verbose_name_plural = _("ties")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(source=models.F("target")), name="tie_not_self"
            ),
            models.CheckConstraint(condition=models.Q(weight__gt=0), name="tie_weight_positive"),
        ]
        indexes = [
            models.Index(fields=["network", "ended_at", "kind"], name="tie_network_live_idx"),
            models.Index(fields=["network", "source"], name="tie_source_idx"),
            models.Index(fields=["network", "target"], name="tie_target_idx"),
            models.Index(fields=["network", "evidence"], name="tie_evidence_idx"),
        ]

    def __str__(self) -> str:
        arrow = "→" if self.directed else "—"
        return f"{self.source_id} {arrow} {self.target_id} ({self.kind})"


class Snapshot(models.Model):
    """The network's graph frozen at `taken_at`, with its analysis report (computed in a task)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to be computed")
        RUNNING = "running", _("Computing")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    class Source(models.TextChoices):
        WAVE = "wave", _("Closing a survey wave")
        MANUAL = "manual", _("Taken by a coordinator")
        SCHEDULED = "scheduled", _("Scheduled")

    network = models.ForeignKey(
        "networks.Network", on_delete=models.CASCADE, related_name="snapshots"
    )
    label = models.CharField(_("label"), max_length=200)
    taken_at = models.DateTimeField(_("taken"), default=timezone.now)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.MANUAL)
    wave = models.OneToOneField(
        "surveys.SurveyWave",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="snapshot",
    )
    # Which ties went in (kinds, provenances) so the snapshot can be explained and recomputed.
    tie_filter = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    # The frozen graph: {"nodes": [{"id": person_id, ...attributes}], "edges": [[s, t, w], ...],
    # "directed": bool}; person ids, never names (names are joined at read time, by consent).
    graph = models.JSONField(default=dict, blank=True)
    # netweave.analysis.network_report(...) output, and the cached map layout {id: [x, y]}.
    report = models.JSONField(default=dict, blank=True)
    layout = models.JSONField(default=dict, blank=True)
    # Denormalized for the timeline.
    node_count = models.PositiveIntegerField(default=0)
    edge_count = models.PositiveIntegerField(default=0)
    density = models.FloatField(null=True, blank=True)
    stage = models.CharField(max_length=20, blank=True)
    error = models.TextField(blank=True)
    created_by = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["network", "-taken_at"]
        verbose_name = _("snapshot")
        verbose_name_plural = _("snapshots")
        indexes = [models.Index(fields=["network", "status", "-taken_at"], name="snapshot_recent")]

    def __str__(self) -> str:
        return f"{self.network_id}: {self.label} ({self.taken_at:%Y-%m-%d})"
