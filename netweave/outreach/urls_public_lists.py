"""A subscriber's token pages (/o/...), merged by public_urls.py: the confirmation link, the
preference center, one-click unsubscribe, the data download and erasure; and the bounce webhook
(its secret is the key)."""

from django.urls import URLPattern, path

from netweave.outreach import views_lists as views

urlpatterns: list[URLPattern] = [
    path("confirm/<str:confirmation>/", views.confirm, name="confirm"),
    path("s/<str:subscriber_token>/", views.preferences, name="preferences"),
    path("s/<str:subscriber_token>/data.json", views.data_download, name="data_download"),
    path("s/<str:subscriber_token>/erase/", views.erase, name="erase"),
    path(
        "s/<str:subscriber_token>/unsubscribe/<int:mailing_list_id>/",
        views.unsubscribe,
        name="unsubscribe",
    ),
    path("bounces/<slug:slug>/<str:secret>/", views.bounce_webhook, name="bounce_webhook"),
]
