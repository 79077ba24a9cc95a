from django.urls import path

from projects import gallery_views, organiser_views, views

app_name = "projects"

urlpatterns = [
    # The public gallery and project page (projects/gallery_views.py).
    path("", gallery_views.project_gallery, name="gallery"),
    path("<int:pk>/", gallery_views.project_detail, name="detail"),
    # The team's editor (projects/views.py).
    path("team/<int:team_pk>/", views.project_edit, name="edit"),
    path("<int:pk>/submit/", views.project_submit, name="submit"),
    path("<int:pk>/withdraw/", views.project_withdraw, name="withdraw"),
    path("<int:pk>/images/", views.image_add, name="image_add"),
    path("<int:pk>/images/<int:image_id>/remove/", views.image_remove, name="image_remove"),
    path("<int:pk>/images/<int:image_id>/move/", views.image_move, name="image_move"),
    path("<int:pk>/versions/", views.version_list, name="versions"),
    path("<int:pk>/versions/<int:number>/", views.version_detail, name="version"),
    # The organisers' overview and CSV export (projects/organiser_views.py).
    path(
        "organiser/<slug:event_slug>/",
        organiser_views.submission_overview_view,
        name="organiser",
    ),
    path(
        "organiser/<slug:event_slug>/export.csv",
        organiser_views.submission_export,
        name="organiser_export",
    ),
]
