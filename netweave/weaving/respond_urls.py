"""The link in an introduction's emails: answer (or tell the outcome) without signing in; the
token is the recipient's own and works for their side of one introduction only."""

from django.urls import path

from netweave.weaving import views

app_name = "introductions"
urlpatterns = [
    path("<str:answer_token>/", views.respond, name="respond"),
]
