"""The programming problems' admin, under /admin/programming/ (namespace "programming_admin");
Wagtail requires admin access on each of them, and the views answer 404 to anyone else."""

from django.urls import path

from assessments.programming.admin import exercise_views, import_views, problem_views

app_name = "programming_admin"

urlpatterns = [
    path("", problem_views.index, name="index"),
    path("new/", problem_views.create, name="create"),
    path("import/", import_views.upload, name="import"),
    path("<int:problem_id>/", problem_views.edit, name="edit"),
    path("<int:problem_id>/publish/", problem_views.publish, name="publish"),
    path("<int:problem_id>/check/", problem_views.check, name="check"),
    path("<int:problem_id>/export/", problem_views.export, name="export"),
    path("exercises/", exercise_views.exercise_list, name="exercises"),
    path("exercises/<int:assignment_id>/", exercise_views.exercise, name="exercise"),
]
