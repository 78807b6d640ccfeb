from django.contrib import admin
from django.urls import include, path

from netweave.api.api import api
from netweave.lib import views as lib_views

urlpatterns = [
    path("healthz", lib_views.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("api/v1/", api.urls),
    path("me/", include("netweave.accounts.urls")),
    path("invitations/", include("netweave.people.invitation_urls")),
    path("introductions/", include("netweave.weaving.respond_urls")),
    path("o/", include("netweave.outreach.public_urls")),
    path("n/<slug:network_slug>/", include("netweave.people.urls")),
    path("n/<slug:network_slug>/", include("netweave.ties.urls")),
    path("n/<slug:network_slug>/", include("netweave.ties.map_urls")),
    path("n/<slug:network_slug>/", include("netweave.surveys.urls")),
    path("n/<slug:network_slug>/", include("netweave.weaving.urls")),
    path("n/<slug:network_slug>/", include("netweave.library.urls")),
    path("n/<slug:network_slug>/", include("netweave.field.urls")),
    path("n/<slug:network_slug>/", include("netweave.outreach.urls")),
    path("", include("netweave.networks.urls")),
]
# Uploaded files are never served from MEDIA_URL, not even in development: the library serves
# each file through a view that checks the viewer may see it (library:resource_file).
