"""Read-mostly admin for surveys: answers are the members' own, and waves change state only
through the services (opening enforces one open wave; closing makes ties and a snapshot)."""

from django.contrib import admin

from netweave.surveys.models import RelationshipSurvey, SurveyAnswer, SurveyResponse, SurveyWave


class SurveyWaveInline(admin.TabularInline):
    model = SurveyWave
    extra = 0
    fields = ["number", "status", "opens_at", "closes_at", "closed_at", "reminder_days"]
    readonly_fields = ["number", "status", "opens_at", "closed_at"]


@admin.register(RelationshipSurvey)
class RelationshipSurveyAdmin(admin.ModelAdmin):
    list_display = ["title", "network", "ask_trust", "ask_value", "created_at"]
    list_filter = ["network"]
    search_fields = ["title"]
    raw_id_fields = ["created_by"]
    inlines = [SurveyWaveInline]


@admin.register(SurveyWave)
class SurveyWaveAdmin(admin.ModelAdmin):
    list_display = ["__str__", "network", "status", "opens_at", "closes_at", "closed_at"]
    list_filter = ["status", "network"]
    readonly_fields = ["status", "opens_at", "closed_at", "last_reminder_at"]
    raw_id_fields = ["survey", "network"]


@admin.register(SurveyResponse)
class SurveyResponseAdmin(admin.ModelAdmin):
    list_display = ["respondent", "wave", "started_at", "submitted_at"]
    list_filter = ["network"]
    raw_id_fields = ["wave", "network", "respondent"]
    readonly_fields = ["started_at", "updated_at", "submitted_at"]


@admin.register(SurveyAnswer)
class SurveyAnswerAdmin(admin.ModelAdmin):
    list_display = ["response", "target", "knows", "shares_information", "collaborates", "trust"]
    list_filter = ["network"]
    raw_id_fields = ["response", "wave", "network", "target"]
