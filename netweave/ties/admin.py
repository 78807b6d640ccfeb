from django.contrib import admin

from netweave.ties.models import Snapshot, Tie


@admin.register(Tie)
class TieAdmin(admin.ModelAdmin):
    list_display = [
        "network",
        "source",
        "target",
        "kind",
        "weight",
        "provenance",
        "observed_at",
        "ended_at",
    ]
    list_filter = ["kind", "provenance", "network"]
    search_fields = ["source__name", "target__name", "evidence", "note"]
    raw_id_fields = ["network", "source", "target", "wave", "created_by"]
    list_select_related = ["network", "source", "target"]
    readonly_fields = ["created_at", "updated_at"]
    date_hierarchy = "observed_at"


@admin.register(Snapshot)
class SnapshotAdmin(admin.ModelAdmin):
    list_display = [
        "label",
        "network",
        "taken_at",
        "status",
        "node_count",
        "edge_count",
        "density",
        "stage",
    ]
    list_filter = ["status", "source", "network"]
    search_fields = ["label"]
    raw_id_fields = ["network", "wave", "created_by"]
    list_select_related = ["network"]
    # The frozen graph and the report can be megabytes: shown, never edited by hand.
    readonly_fields = [
        "graph",
        "report",
        "layout",
        "node_count",
        "edge_count",
        "density",
        "stage",
        "error",
        "finished_at",
    ]
