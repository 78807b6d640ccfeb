from django.urls import path

from netweave.library import feed_urls, views

app_name = "library"
urlpatterns = [
    path("library/", views.browse, name="browse"),
    path("library/new/", views.new, name="new"),
    path("library/submit/", views.submit, name="submit"),
    path("library/mine/", views.mine, name="mine"),
    path("library/review/", views.review, name="review"),
    path("library/attention/", views.attention, name="attention"),
    path("library/feed.atom", views.atom, name="atom"),
    path("library/topics/", views.topics, name="topics"),
    path("library/topics/<slug:topic_slug>/", views.topic, name="topic"),
    path("library/topics/<slug:topic_slug>/edit/", views.topic_edit, name="topic_edit"),
    path("library/topics/<slug:topic_slug>/delete/", views.topic_delete_view, name="topic_delete"),
    path("library/topics/<slug:topic_slug>/feed.atom", views.topic_atom, name="topic_atom"),
    path("library/<int:resource_id>/", views.resource, name="resource"),
    path("library/<int:resource_id>/file/", views.resource_file, name="resource_file"),
    path("library/<int:resource_id>/edit/", views.resource_edit, name="resource_edit"),
    path("library/<int:resource_id>/status/", views.resource_status, name="resource_status"),
    path("library/<int:resource_id>/reviewed/", views.resource_reviewed, name="resource_reviewed"),
    path("library/<int:resource_id>/check/", views.resource_check, name="resource_check"),
    path("library/<int:resource_id>/history/", views.resource_history, name="resource_history"),
    path(
        "library/<int:resource_id>/history/<int:revision_id>/revert/",
        views.resource_revert_view,
        name="resource_revert",
    ),
    *feed_urls.urlpatterns,
]
