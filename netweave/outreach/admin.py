from django.contrib import admin

from netweave.outreach import models


@admin.register(models.MailingList)
class MailingListAdmin(admin.ModelAdmin):
    list_display = ["name", "network", "visibility", "is_member_list"]
    list_filter = ["network"]


@admin.register(models.Subscriber)
class SubscriberAdmin(admin.ModelAdmin):
    list_display = ["email", "name", "network", "language", "created_at"]
    list_filter = ["network"]
    search_fields = ["email", "name"]


@admin.register(models.Newsletter)
class NewsletterAdmin(admin.ModelAdmin):
    list_display = ["number", "network", "status", "mailing_list", "started_at", "finished_at"]
    list_filter = ["network", "status"]


@admin.register(models.Suppression)
class SuppressionAdmin(admin.ModelAdmin):
    list_display = ["email", "network", "reason", "created_at"]
    list_filter = ["network", "reason"]


@admin.register(models.Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["title", "network", "kind", "starts_at", "time_zone", "status"]
    list_filter = ["network", "kind", "status"]
    search_fields = ["title"]
