"""URLs of quizzes, under /work/quiz/ (namespace "quiz")."""

from django.urls import path

from assessments.quiz import marking_views, report_views, views

app_name = "quiz"

urlpatterns = [
    path("<int:assignment_id>/", views.quiz_page, name="quiz"),
    path("<int:assignment_id>/start/", views.start, name="start"),
    path("attempts/<int:submission_id>/", views.attempt_page, name="attempt"),
    path("attempts/<int:submission_id>/answer/", views.save_answer, name="answer"),
    path("attempts/<int:submission_id>/page/", views.save_page, name="save_page"),
    path("attempts/<int:submission_id>/summary/", views.summary, name="summary"),
    path("attempts/<int:submission_id>/finish/", views.finish, name="finish"),
    path("attempts/<int:submission_id>/review/", views.review_page, name="review"),
    # the teacher's side
    path("attempts/<int:submission_id>/mark/", marking_views.mark_attempt, name="mark"),
    path(
        "<int:assignment_id>/report/<int:group_id>/regrade/", marking_views.regrade, name="regrade"
    ),
    path("<int:assignment_id>/report/<int:group_id>/", report_views.overview, name="report"),
    path(
        "<int:assignment_id>/report/<int:group_id>/statistics/",
        report_views.statistics,
        name="statistics",
    ),
    path(
        "<int:assignment_id>/report/<int:group_id>/export.<str:fmt>",
        report_views.export,
        name="export",
    ),
]
