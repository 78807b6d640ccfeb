from django.urls import path

from netweave.library import feed_urls, views

app_name = "library"
urlpatterns = [
    path("library/", views.browse, name="browse"),
    *feed_urls.urlpatterns,
]
