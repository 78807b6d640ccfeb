from django.urls import path

from netweave.ties import views

app_name = "ties"
urlpatterns = [
    path("ties/", views.tie_list, name="list"),
    path("ties/<int:tie_id>/end/", views.tie_end_view, name="end"),
    path("ties/<int:tie_id>/edit/", views.tie_edit, name="edit"),
    path("ties/import/", views.tie_import, name="import"),
    path("snapshots/", views.snapshot_list, name="snapshots"),
    path("snapshots/<int:snapshot_id>/status/", views.snapshot_status, name="snapshot_status"),
    path(
        "snapshots/<int:snapshot_id>/export.<str:file_format>",
        views.snapshot_export,
        name="snapshot_export",
    ),
]
