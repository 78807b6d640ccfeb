"""Events pages under /n/<network_slug>/events/ (merged into the "outreach" namespace)."""

from django.urls import URLPattern, path

from netweave.outreach import views_events as views

E = "events/<int:event_id>/"

urlpatterns: list[URLPattern] = [
    path("events/", views.event_list, name="events"),
    path("events/new/", views.event_new, name="event_new"),
    path(E, views.event_detail, name="event"),
    path(E + "edit/", views.event_edit, name="event_edit"),
    path(E + "cancel/", views.event_cancel, name="event_cancel"),
    path(E + "register/", views.event_register, name="event_register"),
    path(E + "unregister/", views.event_unregister, name="event_unregister"),
    path(E + "check-in/", views.event_checkin, name="event_checkin"),
    path(E + "propose/", views.event_propose, name="event_propose"),
    path(E + "questions/", views.event_questions, name="event_questions"),
    path(
        E + "questions/<int:question_id>/delete/",
        views.event_question_delete,
        name="event_question_delete",
    ),
    path(E + "sessions/", views.event_sessions, name="event_sessions"),
    path(E + "sessions/<int:session_id>/", views.event_session_edit, name="event_session_edit"),
    path(
        E + "sessions/<int:session_id>/delete/",
        views.event_session_delete,
        name="event_session_delete",
    ),
    path(E + "proposals/", views.event_proposals, name="event_proposals"),
    path(
        E + "proposals/<int:proposal_id>/decide/",
        views.event_proposal_decide,
        name="event_proposal_decide",
    ),
    path(E + "registrations/", views.event_registrations, name="event_registrations"),
    path(E + "registrations.csv", views.event_registrations_csv, name="event_registrations_csv"),
    path(
        E + "registrations/<int:registration_id>/promote/",
        views.event_registration_promote,
        name="event_registration_promote",
    ),
    path(
        E + "registrations/<int:registration_id>/check-in/",
        views.event_registration_checkin,
        name="event_registration_checkin",
    ),
]
