from django.urls import path

from netweave.people import import_views, views

app_name = "people"
urlpatterns = [
    path("members/", views.directory, name="directory"),
    path("members/export.csv", views.directory_export, name="directory_export"),
    path("members/filters/", views.directory_facets, name="directory_facets"),
    path("people/<int:person_id>/", views.person_detail, name="person"),
    path("organizations/", views.organization_list, name="organizations"),
    path("organizations/<int:organization_id>/", views.organization_detail, name="organization"),
    path("manage/members/", views.manage_members, name="manage_members"),
    path("manage/members/<int:membership_id>/", views.manage_membership, name="manage_membership"),
    path("manage/applications/", views.manage_applications, name="manage_applications"),
    path(
        "manage/applications/<int:membership_id>/decide/",
        views.decide_application,
        name="decide_application",
    ),
    path("manage/invitations/", views.manage_invitations, name="manage_invitations"),
    path(
        "manage/invitations/<int:invitation_id>/<str:action>/",
        views.invitation_action,
        name="invitation_action",
    ),
    path("manage/import/", import_views.import_start, name="import_start"),
    path("manage/import/<int:job_id>/", import_views.import_detail, name="import_detail"),
    path("manage/import/<int:job_id>/commit/", import_views.import_commit, name="import_commit"),
]
