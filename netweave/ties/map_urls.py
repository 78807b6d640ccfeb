from django.urls import path

from netweave.ties import map_views

app_name = "maps"
urlpatterns = [
    path("map/", map_views.map_page, name="map"),
    path("map/data.json", map_views.map_data_json, name="map_data"),
    path("health/", map_views.health_page, name="health"),
]
