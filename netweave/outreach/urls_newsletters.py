"""Newsletter pages under /n/<network_slug>/: the coordinators' issues and mail settings, and the
public archive and privacy page (merged into the "outreach" namespace by urls.py)."""

from django.urls import URLPattern, path

from netweave.outreach import views_newsletters as views

urlpatterns: list[URLPattern] = [
    path("newsletters/", views.newsletter_list, name="newsletters"),
    path("newsletters/new/", views.newsletter_new, name="newsletter_new"),
    path("newsletters/settings/", views.mail_settings, name="mail_settings"),
    path("newsletters/archive/", views.archive, name="archive"),
    path("newsletters/archive/feed.atom", views.archive_feed, name="archive_feed"),
    path("newsletters/archive/<int:number>/", views.archive_issue, name="archive_issue"),
    path("newsletters/privacy/", views.privacy, name="privacy"),
    path("newsletters/<int:newsletter_id>/", views.newsletter_detail, name="newsletter"),
    path(
        "newsletters/<int:newsletter_id>/progress/",
        views.newsletter_progress,
        name="newsletter_progress",
    ),
    path(
        "newsletters/<int:newsletter_id>/options/",
        views.newsletter_options,
        name="newsletter_options",
    ),
    path(
        "newsletters/<int:newsletter_id>/delete/", views.newsletter_delete, name="newsletter_delete"
    ),
    path(
        "newsletters/<int:newsletter_id>/editions/",
        views.newsletter_edition_add,
        name="newsletter_edition_add",
    ),
    path(
        "newsletters/<int:newsletter_id>/editions/<str:language>/",
        views.newsletter_edit,
        name="newsletter_edit",
    ),
    path(
        "newsletters/<int:newsletter_id>/editions/<str:language>/preview/",
        views.newsletter_preview,
        name="newsletter_preview",
    ),
    path(
        "newsletters/<int:newsletter_id>/editions/<str:language>/email/",
        views.newsletter_email_preview,
        name="newsletter_email_preview",
    ),
    path(
        "newsletters/<int:newsletter_id>/editions/<str:language>/delete/",
        views.newsletter_edition_delete,
        name="newsletter_edition_delete",
    ),
    path("newsletters/<int:newsletter_id>/test/", views.newsletter_test, name="newsletter_test"),
    path(
        "newsletters/<int:newsletter_id>/schedule/",
        views.newsletter_schedule,
        name="newsletter_schedule",
    ),
    path(
        "newsletters/<int:newsletter_id>/cancel/", views.newsletter_cancel, name="newsletter_cancel"
    ),
]
