"""Relationship surveys in waves: each member answers, for every other member, whether they know
them, exchange information, collaborate, and (optionally) how much they trust and value them on a
1–4 scale, as in PARTNER. Answers are saved as the member goes; closing a wave turns the answers
into survey ties and takes a snapshot."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def default_items() -> list[str]:
    return ["knows", "shares_information", "collaborates"]


class RelationshipSurvey(models.Model):
    network = models.ForeignKey(
        "networks.Network", on_delete=models.CASCADE, related_name="relationship_surveys"
    )
    title = models.CharField(_("title"), max_length=200)
    introduction = models.TextField(_("introduction (Markdown)"), blank=True)
    # Which yes/no items each roster row asks: knows, shares_information, collaborates.
    items = models.JSONField(_("questions"), default=default_items)
    ask_trust = models.BooleanField(_("ask how much they trust each person (1–4)"), default=False)
    ask_value = models.BooleanField(_("ask how much they value each person (1–4)"), default=False)
    created_by = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["network", "-created_at"]
        verbose_name = _("relationship survey")
        verbose_name_plural = _("relationship surveys")

    def __str__(self) -> str:
        return self.title


class SurveyWave(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Not opened yet")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    survey = models.ForeignKey(RelationshipSurvey, on_delete=models.CASCADE, related_name="waves")
    network = models.ForeignKey(
        "networks.Network", on_delete=models.CASCADE, related_name="survey_waves"
    )
    number = models.PositiveSmallIntegerField(_("wave"))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    opens_at = models.DateTimeField(_("opens"), null=True, blank=True)
    closes_at = models.DateTimeField(_("answer by"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    reminder_days = models.PositiveSmallIntegerField(_("remind every (days)"), default=7)
    last_reminder_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["survey", "number"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "number"], name="wave_number_unique"),
            models.UniqueConstraint(
                fields=["network"],
                condition=models.Q(status="open"),
                name="one_open_wave_per_network",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.survey} — wave {self.number}"


class SurveyResponse(models.Model):
    """One member's answers in one wave."""

    wave = models.ForeignKey(SurveyWave, on_delete=models.CASCADE, related_name="responses")
    network = models.ForeignKey("networks.Network", on_delete=models.CASCADE, related_name="+")
    respondent = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="survey_responses"
    )
    started_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["wave", "respondent"], name="one_response_per_wave"),
        ]

    def __str__(self) -> str:
        return f"{self.respondent_id} in {self.wave_id}"


class SurveyAnswer(models.Model):
    """One roster row: what the respondent says about one other member."""

    response = models.ForeignKey(SurveyResponse, on_delete=models.CASCADE, related_name="answers")
    wave = models.ForeignKey(SurveyWave, on_delete=models.CASCADE, related_name="answers")
    network = models.ForeignKey("networks.Network", on_delete=models.CASCADE, related_name="+")
    target = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    knows = models.BooleanField(default=False)
    shares_information = models.BooleanField(default=False)
    collaborates = models.BooleanField(default=False)
    trust = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    value = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["response", "target"], name="one_answer_per_target"),
        ]

    def __str__(self) -> str:
        return f"{self.response_id} about {self.target_id}"
