from django.urls import path, re_path

from teams import finder_views, manage_views, views

app_name = "teams"

urlpatterns = [
    # The team pages (founding, the team, its admins' pages, invitations).
    path("mine/", views.my_teams, name="mine"),
    path("new/<slug:event_slug>/", views.team_create, name="create"),
    # Tokens are secrets.token_urlsafe(32) (43 characters); nothing else reaches the view.
    re_path(r"^join/(?P<token>[A-Za-z0-9_-]{1,64})/$", views.invitation_page, name="invitation"),
    path("<int:pk>/", views.team_detail, name="detail"),
    path("<int:pk>/edit/", views.team_edit, name="edit"),
    path("<int:pk>/close/", views.team_close, name="close"),
    path("<int:pk>/roles/", views.open_role_create, name="role_create"),
    path("<int:pk>/roles/<int:role_id>/", views.open_role_edit, name="role_edit"),
    path("<int:pk>/roles/<int:role_id>/delete/", views.open_role_delete, name="role_delete"),
    path("<int:pk>/request/", views.join_request_create, name="request"),
    path("<int:pk>/request/withdraw/", views.join_request_withdraw, name="request_withdraw"),
    path("<int:pk>/leave/", views.membership_leave, name="leave"),
    path("<int:pk>/manage/", manage_views.team_manage, name="manage"),
    path(
        "<int:pk>/requests/<int:request_id>/accept/",
        manage_views.join_request_accept,
        name="request_accept",
    ),
    path(
        "<int:pk>/requests/<int:request_id>/decline/",
        manage_views.join_request_decline,
        name="request_decline",
    ),
    path(
        "<int:pk>/members/<int:membership_id>/remove/",
        manage_views.membership_remove,
        name="member_remove",
    ),
    path(
        "<int:pk>/members/<int:membership_id>/make-admin/",
        manage_views.admin_hand_over,
        name="member_make_admin",
    ),
    path("<int:pk>/invitations/", manage_views.invitation_create, name="invitation_create"),
    path("<int:pk>/invite/", manage_views.invitation_personal_create, name="invite_person"),
    path(
        "<int:pk>/invitations/<int:invitation_id>/revoke/",
        manage_views.invitation_revoke,
        name="invitation_revoke",
    ),
    # The finder and the suggestions (teams/finder_views.py).
    path("", finder_views.team_finder, name="finder"),
    path("suggestions/<slug:event_slug>/", finder_views.team_suggestions, name="suggestions"),
    path(
        "<int:pk>/suggested-people/",
        finder_views.team_suggested_people,
        name="suggested_people",
    ),
]
