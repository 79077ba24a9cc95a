from django.urls import path

from mentoring import views

app_name = "mentoring"

urlpatterns = [
    path("teams/<int:team_pk>/", views.team_help_requests, name="team_requests"),
    path("requests/<int:pk>/claim/", views.help_request_claim, name="claim"),
    path("requests/<int:pk>/release/", views.help_request_release, name="release"),
    path("requests/<int:pk>/close/", views.help_request_close, name="close"),
    path("<slug:event_slug>/", views.mentor_board, name="board"),
    path("<slug:event_slug>/stats/", views.help_stats, name="stats"),
]
