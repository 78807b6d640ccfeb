from django.urls import path

from netweave.field import views

app_name = "field"
urlpatterns = [
    path("field/", views.pipeline, name="pipeline"),
]
