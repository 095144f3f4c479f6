"""The pupil's side of assignments, under /work/ (namespace "assessments")."""

from django.urls import path

from assessments import file_views, pupil_views

urlpatterns = [
    path("assignments/<int:assignment_id>/", pupil_views.assignment_page, name="assignment"),
    path(
        "assignments/<int:assignment_id>/start/",
        pupil_views.start_attempt,
        name="start_attempt",
    ),
    path("assignments/<int:assignment_id>/draft/", pupil_views.save_draft, name="save_draft"),
    path(
        "assignments/<int:assignment_id>/files/<int:file_id>/remove/",
        pupil_views.remove_file,
        name="remove_file",
    ),
    path("assignments/<int:assignment_id>/submit/", pupil_views.submit, name="submit"),
    path("files/<int:file_id>/", file_views.submission_file, name="submission_file"),
    path(
        "files/<int:file_id>/thumbnail/",
        file_views.submission_thumbnail,
        name="submission_thumbnail",
    ),
]
