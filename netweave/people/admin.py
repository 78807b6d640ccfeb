from django.contrib import admin

from netweave.people.models import (
    Affiliation,
    ImportJob,
    Invitation,
    Membership,
    MembershipEvent,
    Organization,
    Person,
)


class AffiliationInline(admin.TabularInline):
    model = Affiliation
    extra = 0
    autocomplete_fields = ["organization"]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    fields = ["network", "role", "status", "tier", "joined_at", "left_at"]
    readonly_fields = ["joined_at", "left_at"]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["name", "email", "country", "map_consent", "user", "updated_at"]
    list_filter = ["map_consent", "country"]
    search_fields = ["name", "email", "search_text"]
    raw_id_fields = ["user"]
    readonly_fields = ["search_text", "created_at", "updated_at"]
    list_select_related = ["user"]  # nullable: the admin's automatic select_related skips it
    inlines = [AffiliationInline, MembershipInline]

    def save_related(self, request, form, formsets, change):  # type: ignore[no-untyped-def]
        # After the inlines: the search text holds the names of the person's organizations.
        from netweave.people.services import person_reindex

        super().save_related(request, form, formsets, change)
        person_reindex(person=form.instance)


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "country", "sector", "website"]
    list_filter = ["kind", "country"]
    search_fields = ["name", "sector"]


class MembershipEventInline(admin.TabularInline):
    model = MembershipEvent
    extra = 0
    can_delete = False
    fields = ("created_at", "kind", "old_value", "new_value", "actor", "message")
    readonly_fields = ("created_at", "kind", "old_value", "new_value", "actor", "message")

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["person", "network", "role", "status", "tier", "joined_at"]
    list_filter = ["network", "role", "status", "tier"]
    search_fields = ["person__name", "person__email"]
    raw_id_fields = ["person"]
    inlines = [MembershipEventInline]

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False  # history is kept: lapse or end a membership instead


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "network", "role", "status", "created_at", "sent_at", "expires_at"]
    list_filter = ["network", "status", "role"]
    search_fields = ["email", "name"]
    readonly_fields = ["token", "accepted_at", "accepted_by", "sent_at"]
    raw_id_fields = ["invited_by"]


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    list_display = [
        "filename",
        "network",
        "kind",
        "dry_run",
        "status",
        "processed",
        "total",
        "created_at",
    ]
    list_filter = ["network", "kind", "status"]
    exclude = ["content"]
    readonly_fields = ["report", "processed", "total", "finished_at"]

    def get_queryset(self, request):  # type: ignore[no-untyped-def]
        return super().get_queryset(request).defer("content")  # the uploaded file: megabytes
