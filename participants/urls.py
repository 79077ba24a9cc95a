from django.urls import path

from participants import views

app_name = "participants"

urlpatterns = [
    path("profile/", views.profile_edit, name="profile"),
    path("<int:user_id>/", views.profile_detail, name="detail"),
    # Registration comes before the finder: an event slug "finder" then still registers.
    path("<slug:event_slug>/register/", views.register, name="register"),
    path("<slug:event_slug>/unregister/", views.unregister, name="unregister"),
    path("<slug:event_slug>/looking-for-team/", views.looking_for_team, name="looking_for_team"),
    path("finder/<slug:event_slug>/", views.people_finder, name="finder"),
]
