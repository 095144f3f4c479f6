"""The question bank and the quiz builder, under /admin/quiz/ (namespace "quiz_admin"); Wagtail
requires admin access on each of them, and the views answer 404 to anyone else."""

from django.urls import path

from assessments.quiz.admin import bank_views, import_views, question_views, quiz_builder

app_name = "quiz_admin"

urlpatterns = [
    path("", bank_views.index, name="index"),
    path("export/", bank_views.export, name="export"),
    path("categories/new/", bank_views.category_create, name="category_create"),
    path("categories/<int:category_id>/", bank_views.category_edit, name="category_edit"),
    path(
        "categories/<int:category_id>/delete/", bank_views.category_delete, name="category_delete"
    ),
    path("questions/new/", question_views.question_create, name="question_create"),
    path("questions/<int:question_id>/", question_views.question_edit, name="question_edit"),
    path("questions/<int:question_id>/move/", question_views.question_move, name="question_move"),
    path(
        "questions/<int:question_id>/archive/",
        question_views.question_archive,
        name="question_archive",
    ),
    path("import/", import_views.upload, name="import"),
    path("import/<str:token>/", import_views.preview, name="import_preview"),
    path("quizzes/", quiz_builder.quiz_list, name="quizzes"),
    path("quizzes/<int:assignment_id>/", quiz_builder.builder, name="quiz"),
    path("quizzes/<int:assignment_id>/slots/", quiz_builder.slot_action, name="quiz_slots"),
    path("quizzes/<int:assignment_id>/add-fixed/", quiz_builder.add_fixed, name="quiz_add_fixed"),
    path(
        "quizzes/<int:assignment_id>/add-random/", quiz_builder.add_random, name="quiz_add_random"
    ),
]
