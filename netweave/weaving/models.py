"""Weaving: the introductions NetWeave recommends, and the introductions people make.

A `Recommendation` is one member's suggestion to meet another, with its score and reasons, kept
so that a member can dismiss it (never suggested again) and a coordinator can act on it. An
`Introduction` is double opt-in: both people say yes before either learns the other's address or
answer; once both accept it becomes a tie (`tie_observe`, kind "introduced"), and a follow-up weeks
later records whether they worked together."""

from __future__ import annotations

import secrets

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Goal(models.TextChoices):
    """What a coordinator weaves for; each recommendation serves the goals its signals name."""

    NEWCOMERS = "newcomers", _("Integrate newcomers")
    BRIDGE = "bridge", _("Bridge clusters")
    CORE = "core", _("Strengthen the core")
    HUB = "hub", _("Relieve an overloaded hub")


# Which recommender signals (netweave.analysis.recommend.SIGNALS) serve which goal.
GOAL_SIGNALS: dict[str, frozenset[str]] = {
    Goal.NEWCOMERS: frozenset({"weaver", "core"}),
    Goal.BRIDGE: frozenset({"bridge", "differ"}),
    Goal.CORE: frozenset({"core_pair"}),
    Goal.HUB: frozenset({"relief"}),
}


def goals_for(signals: list[str]) -> list[str]:
    return [goal for goal, wanted in GOAL_SIGNALS.items() if wanted & set(signals)]


class RecommendationRun(models.Model):
    """One computation of a network's recommendations (a background task), for progress and
    for "last computed" on the pages."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    network = models.ForeignKey(
        "networks.Network", on_delete=models.CASCADE, related_name="recommendation_runs"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    requested_by = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    members = models.PositiveIntegerField(default=0)
    recommendations = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["network", "-created_at", "-id"]
        get_latest_by = "created_at"

    def __str__(self) -> str:
        return f"{self.network} {self.created_at:%Y-%m-%d %H:%M} {self.status}"

    @property
    def is_pending(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)


class Recommendation(models.Model):
    """`person` should meet `suggested`, with the score and reasons of the recommender."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        DISMISSED = "dismissed", _("Dismissed")
        INTRODUCED = "introduced", _("Introduction proposed")

    network = models.ForeignKey(
        "networks.Network", on_delete=models.CASCADE, related_name="recommendations"
    )
    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="recommendations"
    )
    suggested = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    score = models.FloatField()
    rank = models.PositiveSmallIntegerField(default=1)
    # The reasons as data ({"code": ..., values}); worded per reader by weaving.reasons.
    details = models.JSONField(default=list, blank=True)
    # ",bridge,core," — the goals this pair serves, searchable the same way on every database.
    goals = models.CharField(max_length=80, blank=True, default="")
    # The weaker direction of a pair recommended both ways; the board shows each pair once.
    is_mirror = models.BooleanField(default=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    computed_at = models.DateTimeField(default=timezone.now)
    dismissed_at = models.DateTimeField(null=True, blank=True)
    dismissed_by = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["network", "-score", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["network", "person", "suggested"], name="recommendation_pair_unique"
            ),
        ]
        indexes = [
            models.Index(fields=["network", "status", "-score"], name="recommendation_board_idx"),
            models.Index(fields=["person", "network", "status"], name="recommendation_person_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.person} → {self.suggested} ({self.score:.2f})"

    @property
    def signals(self) -> list[str]:
        return [str(detail.get("code", "")) for detail in self.details or []]

    @property
    def goal_list(self) -> list[str]:
        return [goal for goal in self.goals.split(",") if goal]


def introduction_token() -> str:
    return secrets.token_urlsafe(32)


class Introduction(models.Model):
    """A double opt-in introduction of `person_a` and `person_b`."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Waiting for answers")
        ACCEPTED = "accepted", _("Introduced")
        DECLINED = "declined", _("Did not go ahead")
        EXPIRED = "expired", _("Expired without an answer")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    class Answer(models.TextChoices):
        PENDING = "pending", _("No answer yet")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")

    class Outcome(models.TextChoices):
        UNKNOWN = "", _("Not known yet")
        COLLABORATED = "collaborated", _("We worked together")
        IN_TOUCH = "in_touch", _("We are in touch, nothing together yet")
        NO_CONTACT = "no_contact", _("We did not follow up")

    network = models.ForeignKey(
        "networks.Network", on_delete=models.CASCADE, related_name="introductions"
    )
    person_a = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="introductions_as_a"
    )
    person_b = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="introductions_as_b"
    )
    proposed_by = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recommendation = models.ForeignKey(
        Recommendation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(_("why you should meet"), blank=True)
    # The recommender's reasons as data, from person_a's point of view.
    details = models.JSONField(default=list, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PROPOSED)
    a_answer = models.CharField(max_length=10, choices=Answer.choices, default=Answer.PENDING)
    b_answer = models.CharField(max_length=10, choices=Answer.choices, default=Answer.PENDING)
    a_answered_at = models.DateTimeField(null=True, blank=True)
    b_answered_at = models.DateTimeField(null=True, blank=True)
    a_token = models.CharField(max_length=64, unique=True, default=introduction_token)
    b_token = models.CharField(max_length=64, unique=True, default=introduction_token)
    a_asked_at = models.DateTimeField(null=True, blank=True)
    b_asked_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    decided_at = models.DateTimeField(null=True, blank=True)
    introduced_mail_at = models.DateTimeField(null=True, blank=True)
    closed_mail_at = models.DateTimeField(null=True, blank=True)
    tie = models.ForeignKey(
        "ties.Tie", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    follow_up_due_at = models.DateTimeField(null=True, blank=True)
    follow_up_sent_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(
        max_length=12, choices=Outcome.choices, default=Outcome.UNKNOWN, blank=True
    )
    outcome_note = models.TextField(blank=True)
    outcome_at = models.DateTimeField(null=True, blank=True)
    outcome_by = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["network", "-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(person_a=models.F("person_b")),
                name="introduction_two_people",
            ),
        ]
        indexes = [
            models.Index(fields=["network", "status", "-created_at"], name="introduction_list_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.person_a} ↔ {self.person_b} ({self.status})"

    def side_of(self, person_id: int | None) -> str | None:
        """ "a" or "b" for one of the two people, None for anyone else."""
        if person_id is None:
            return None
        if person_id == self.person_a_id:
            return "a"
        if person_id == self.person_b_id:
            return "b"
        return None

    def other(self, side: str) -> object:
        return self.person_b if side == "a" else self.person_a

    def answer_of(self, side: str) -> str:
        return str(self.a_answer if side == "a" else self.b_answer)

    def token_of(self, side: str) -> str:
        return str(self.a_token if side == "a" else self.b_token)
