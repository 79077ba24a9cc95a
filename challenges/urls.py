from django.urls import path

from challenges import views

app_name = "challenges"

urlpatterns = [
    path("", views.challenge_list, name="list"),
    path("mine/", views.my_challenges, name="mine"),
    path("new/<slug:event_slug>/", views.challenge_create, name="create"),
    path("<int:number>/", views.challenge_detail, name="detail"),
    path("<int:number>/edit/", views.challenge_edit, name="edit"),
    path("<int:number>/submit/", views.challenge_submit, name="submit"),
    path("<int:number>/support/", views.challenge_support_toggle, name="support"),
    path("<int:number>/questions/", views.challenge_question_ask, name="question_ask"),
    path("questions/<int:pk>/answer/", views.challenge_question_answer, name="question_answer"),
    path("questions/<int:pk>/hide/", views.challenge_question_hide, name="question_hide"),
]
