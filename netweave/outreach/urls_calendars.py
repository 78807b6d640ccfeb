"""Calendar pages of a network (/n/<slug>/...): its public feed, a member's private address, the
.ics import (merged into the "outreach" namespace by urls.py)."""

from django.urls import URLPattern, path

from netweave.outreach import views_calendars

urlpatterns: list[URLPattern] = [
    path("events.ics", views_calendars.calendar_feed, name="calendar_feed"),
    path("events/calendar/", views_calendars.calendar_reset, name="calendar_reset"),
    path("events/import/", views_calendars.events_import, name="events_import"),
]
