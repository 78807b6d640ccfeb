"""A registrant's own page, reached by the token in their emails (/o/registrations/<token>/)."""

from django.urls import URLPattern, path

from netweave.outreach import views_events as views

urlpatterns: list[URLPattern] = [
    path(
        "registrations/<str:registration_token>/",
        views.registration_page,
        name="registration",
    ),
    path(
        "registrations/<str:registration_token>/event.ics",
        views.registration_ics,
        name="registration_ics",
    ),
]
