"""URLs of code exercises, under /work/code/ (namespace "programming")."""

from django.urls import path

from assessments.programming import teacher_views, views

app_name = "programming"

urlpatterns = [
    path("<int:assignment_id>/", views.exercise_page, name="exercise"),
    path("<int:assignment_id>/draft/", views.save_draft, name="draft"),
    path("<int:assignment_id>/run/", views.run, name="run"),
    path("<int:assignment_id>/submit/", views.submit, name="submit"),
    path("runs/<int:run_id>/", views.run_status, name="run_status"),
    path("submissions/<int:submission_id>/", views.submission_page, name="submission"),
    path("submissions/<int:submission_id>/status/", views.status, name="status"),
    # the teacher's side
    path("submissions/<int:submission_id>/review/", teacher_views.review, name="review"),
    path("submissions/<int:submission_id>/rejudge/", teacher_views.rejudge_one, name="rejudge"),
    path(
        "<int:assignment_id>/groups/<int:group_id>/rejudge/",
        teacher_views.rejudge_group,
        name="rejudge_group",
    ),
]
