"""Addresses sent by email, where a secret token is the key (/o/...): a subscriber's preference
center and one-click unsubscribe, open and click counting, a registration, a member's calendar."""

from netweave.outreach import (
    urls_public_calendars,
    urls_public_events,
    urls_public_lists,
    urls_public_tracking,
)

app_name = "outreach_public"
urlpatterns = [
    *urls_public_lists.urlpatterns,
    *urls_public_tracking.urlpatterns,
    *urls_public_events.urlpatterns,
    *urls_public_calendars.urlpatterns,
]
