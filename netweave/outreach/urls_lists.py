"""The subscriber and list pages of a network (/n/<slug>/...), merged by urls.py."""

from django.urls import URLPattern, path

from netweave.outreach import views_lists as views

urlpatterns: list[URLPattern] = [
    path("subscribe/", views.subscribe, name="subscribe"),
    path("outreach/lists/", views.lists, name="lists"),
    path("outreach/lists/new/", views.list_new, name="list_new"),
    path("outreach/lists/<int:mailing_list_id>/edit/", views.list_edit, name="list_edit"),
    path("outreach/lists/<int:mailing_list_id>/delete/", views.list_delete, name="list_delete"),
    path("outreach/subscribers/", views.subscribers, name="subscribers"),
    path("outreach/subscribers/new/", views.subscriber_new, name="subscriber_new"),
    path("outreach/subscribers/import/", views.subscribers_import, name="subscribers_import"),
    path(
        "outreach/subscribers/import/commit/",
        views.subscribers_import_commit,
        name="subscribers_import_commit",
    ),
    path("outreach/subscribers/export.csv", views.subscribers_export, name="subscribers_export"),
    path("outreach/subscribers/<int:subscriber_id>/", views.subscriber, name="subscriber"),
    path(
        "outreach/subscribers/<int:subscriber_id>/unsubscribe/",
        views.subscriber_unsubscribe,
        name="subscriber_unsubscribe",
    ),
    path("outreach/suppressions/", views.suppressions, name="suppressions"),
    path(
        "outreach/suppressions/<int:suppression_id>/delete/",
        views.suppression_delete,
        name="suppression_delete",
    ),
    path("outreach/bounces/upload/", views.bounces_upload, name="bounces_upload"),
]
