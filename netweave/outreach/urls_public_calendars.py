"""A member's private calendar feed (/o/calendar/<token>.ics): the token is the key (merged into
the "outreach_public" namespace by public_urls.py)."""

from django.urls import URLPattern, path

from netweave.outreach import views_calendars

urlpatterns: list[URLPattern] = [
    path("calendar/<str:feed_token>.ics", views_calendars.personal_feed, name="calendar"),
]
