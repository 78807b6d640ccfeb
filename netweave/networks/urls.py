from django.urls import path

from netweave.networks import views

app_name = "networks"
urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("n/<slug:network_slug>/", views.home, name="home"),
    path("n/<slug:network_slug>/apply/", views.apply, name="apply"),
    path("n/<slug:network_slug>/manage/settings/", views.settings_edit, name="settings"),
]
