from django.contrib import admin

from netweave.networks.models import Network


@admin.register(Network)
class NetworkAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "purpose", "phase", "visibility", "host", "created_at"]
    list_filter = ["purpose", "visibility", "phase"]
    search_fields = ["name", "slug", "tagline"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["host"]
