"""Read-mostly admin: introductions change state only through the services (answers, the tie,
the follow-up), so the admin shows them and lets staff search."""

from django.contrib import admin

from netweave.weaving.models import Introduction, Recommendation, RecommendationRun


@admin.register(Recommendation)
class RecommendationAdmin(admin.ModelAdmin):
    list_display = ["person", "suggested", "network", "score", "goals", "status", "computed_at"]
    list_filter = ["network", "status"]
    search_fields = ["person__name", "suggested__name"]
    raw_id_fields = ["person", "suggested", "dismissed_by"]
    readonly_fields = ["details", "score", "computed_at"]


@admin.register(Introduction)
class IntroductionAdmin(admin.ModelAdmin):
    list_display = ["person_a", "person_b", "network", "status", "outcome", "created_at"]
    list_filter = ["network", "status", "outcome"]
    search_fields = ["person_a__name", "person_b__name"]
    raw_id_fields = ["person_a", "person_b", "proposed_by", "recommendation", "tie", "outcome_by"]
    readonly_fields = [
        "status",
        "a_answer",
        "b_answer",
        "a_answered_at",
        "b_answered_at",
        "a_token",
        "b_token",
        "decided_at",
        "tie",
    ]


@admin.register(RecommendationRun)
class RecommendationRunAdmin(admin.ModelAdmin):
    list_display = ["network", "status", "members", "recommendations", "created_at", "finished_at"]
    list_filter = ["network", "status"]
