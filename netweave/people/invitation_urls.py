from django.urls import path

from netweave.people import views

app_name = "invitations"
urlpatterns = [
    path("<str:token>/", views.invitation_page, name="accept"),
]
