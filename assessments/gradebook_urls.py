"""The gradebook: a group's grades in a course, its exports, "download all" of one assignment,
and the pupil's own grades. Included at /work/gradebook/ in the "assessments" namespace."""

from django.urls import path

from assessments import gradebook_views as views

urlpatterns = [
    path("mine/", views.my_grades, name="gradebook_mine"),
    path(
        "groups/<int:group_id>/courses/<int:course_id>/",
        views.gradebook,
        name="gradebook",
    ),
    path(
        "groups/<int:group_id>/courses/<int:course_id>/export.<str:fmt>",
        views.export,
        name="gradebook_export",
    ),
    path(
        "groups/<int:group_id>/assignments/<int:assignment_id>/download/",
        views.download,
        name="gradebook_download",
    ),
]
