from django.urls import path

from netweave.surveys import views

app_name = "surveys"
urlpatterns = [
    path("surveys/", views.manage, name="manage"),
    path("surveys/<int:survey_id>/waves/new/", views.wave_new, name="wave_new"),
    path("surveys/waves/<int:wave_id>/open/", views.wave_open_view, name="wave_open"),
    path("surveys/waves/<int:wave_id>/close/", views.wave_close_view, name="wave_close"),
    path("surveys/waves/<int:wave_id>/rate/", views.wave_rate, name="wave_rate"),
    path("surveys/<int:wave_id>/answer/", views.answer, name="answer"),
    path("surveys/<int:wave_id>/answer/<int:person_id>/", views.answer_row, name="answer_row"),
]
