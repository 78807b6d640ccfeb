"""Read-mostly admin of the resource center: resources change through the services (so that
every change writes a revision), so the admin shows them, their history, and the topic tree."""

from django.contrib import admin

from netweave.library.models import Feed, FeedItem, Resource, ResourceRevision, Topic


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "network", "parent", "position"]
    list_filter = ["network"]
    search_fields = ["name", "slug"]
    raw_id_fields = ["parent"]


class RevisionInline(admin.TabularInline):
    model = ResourceRevision
    extra = 0
    can_delete = False
    fields = ("number", "action", "editor", "changed", "note", "created_at")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(Resource)
class ResourceAdmin(admin.ModelAdmin):
    list_display = ["title", "network", "kind", "status", "visibility", "review_by", "link_status"]
    list_filter = ["network", "status", "kind", "visibility", "link_status"]
    search_fields = ["title", "url"]
    raw_id_fields = ["network", "translation_of", "submitted_by", "author_people"]
    filter_horizontal = ["author_organizations"]
    readonly_fields = [
        "status",
        "file",
        "file_type",
        "file_size",
        "link_status",
        "link_checked_at",
        "link_error",
        "search_text",
        "published_at",
        "created_at",
        "updated_at",
    ]
    list_select_related = ["network"]
    inlines = [RevisionInline]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False  # through the library's pages or the API, which write revision 1

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False  # through the library's pages or the API, which write a revision


@admin.register(ResourceRevision)
class ResourceRevisionAdmin(admin.ModelAdmin):
    list_display = ["resource", "number", "action", "editor", "created_at"]
    list_filter = ["network", "action"]
    raw_id_fields = ["resource", "editor"]
    readonly_fields = ["network", "resource", "number", "action", "editor", "changed", "data"]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False


@admin.register(Feed)
class FeedAdmin(admin.ModelAdmin):
    list_display = ["__str__", "network", "active", "last_status", "last_fetched_at", "failures"]
    list_filter = ["network", "active", "last_status"]
    search_fields = ["title", "url"]
    readonly_fields = ["etag", "last_modified", "last_fetched_at", "last_status", "last_error"]


@admin.register(FeedItem)
class FeedItemAdmin(admin.ModelAdmin):
    """Items come from fetches and are decided in the inbox; the admin only looks."""

    list_display = ["__str__", "feed", "status", "published_at", "fetched_at"]
    list_filter = ["network", "status", "feed"]
    search_fields = ["title", "link", "guid"]
    raw_id_fields = ["feed", "resource", "decided_by"]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False
