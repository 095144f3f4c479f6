"""The teacher's grading pages, under /work/grading/ (namespace "assessments")."""

from django.urls import path

from assessments import grading_views as views

urlpatterns = [
    path("groups/<int:group_id>/", views.queue, name="grading_queue"),
    path(
        "groups/<int:group_id>/assignments/<int:assignment_id>/release/",
        views.release_drafts,
        name="grading_release",
    ),
    path("submissions/<int:submission_id>/", views.grade_submission, name="grading_submission"),
    path(
        "submissions/<int:submission_id>/feedback-preview/",
        views.feedback_preview,
        name="grading_feedback_preview",
    ),
    path("files/<int:file_id>/preview/", views.preview_file, name="grading_file_preview"),
    path(
        "feedback-files/<int:file_id>/remove/",
        views.remove_feedback_file,
        name="grading_feedback_file_remove",
    ),
]
