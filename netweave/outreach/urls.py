"""The network's outreach pages (/n/<slug>/...): each area keeps its patterns in its own module."""

from netweave.outreach import urls_calendars, urls_events, urls_lists, urls_newsletters

app_name = "outreach"
urlpatterns = [
    *urls_lists.urlpatterns,
    *urls_newsletters.urlpatterns,
    *urls_events.urlpatterns,
    *urls_calendars.urlpatterns,
]
