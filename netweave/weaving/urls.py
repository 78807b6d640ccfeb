from django.urls import path

from netweave.weaving import views

app_name = "weaving"
urlpatterns = [
    path("meet/", views.meet, name="meet"),
    path("meet/<int:recommendation_id>/ask/", views.ask, name="ask"),
    path("meet/<int:recommendation_id>/dismiss/", views.dismiss, name="dismiss"),
    path("meet/status/", views.run_status, name="run_status"),
    path("weaving/", views.board, name="board"),
    path("weaving/refresh/", views.refresh, name="refresh"),
    path("weaving/report/", views.report, name="report"),
    path("weaving/<int:recommendation_id>/propose/", views.propose, name="propose"),
    path("introductions/", views.introduction_list, name="introductions"),
    path("introductions/new/", views.introduction_new, name="introduction_new"),
    path("introductions/<int:introduction_id>/", views.introduction_detail, name="introduction"),
    path(
        "introductions/<int:introduction_id>/answer/",
        views.introduction_answer_view,
        name="introduction_answer",
    ),
    path(
        "introductions/<int:introduction_id>/outcome/",
        views.introduction_outcome_view,
        name="introduction_outcome",
    ),
    path(
        "introductions/<int:introduction_id>/withdraw/",
        views.introduction_withdraw_view,
        name="introduction_withdraw",
    ),
]
