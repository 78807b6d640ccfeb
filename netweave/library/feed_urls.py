"""The feeds the network follows and the inbox of what they bring (included by urls.py, in the
"library" namespace)."""

from django.urls import URLPattern, path

from netweave.library import feed_views as views

urlpatterns: list[URLPattern] = [
    path("library/feeds/", views.feed_list, name="feeds"),
    path("library/feeds/add/", views.feed_add_view, name="feed_add"),
    path("library/feeds/<int:feed_id>/edit/", views.feed_edit, name="feed_edit"),
    path("library/feeds/<int:feed_id>/remove/", views.feed_remove_view, name="feed_remove"),
    path("library/feeds/<int:feed_id>/fetch/", views.feed_fetch_view, name="feed_fetch"),
    path("library/feeds/<int:feed_id>/status/", views.feed_status, name="feed_status"),
    path("library/inbox/", views.inbox, name="feed_inbox"),
    path("library/inbox/dismiss/", views.items_dismiss_view, name="feed_items_dismiss"),
    path(
        "library/inbox/<int:feed_item_id>/accept/",
        views.item_accept_view,
        name="feed_item_accept",
    ),
    path(
        "library/inbox/<int:feed_item_id>/dismiss/",
        views.item_dismiss_view,
        name="feed_item_dismiss",
    ),
]
