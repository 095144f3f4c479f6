"""The teacher's due-date pages, under /work/dates/ (namespace "assessments")."""

from django.urls import path

from assessments import dates_views as views

urlpatterns = [
    path("groups/<int:group_id>/", views.dates_index, name="dates_index"),
    path(
        "groups/<int:group_id>/assignments/<int:assignment_id>/",
        views.assignment_dates,
        name="dates",
    ),
    path(
        "groups/<int:group_id>/assignments/<int:assignment_id>/pupils/<int:pupil_id>/",
        views.extension,
        name="dates_extension",
    ),
]
