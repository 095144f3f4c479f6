"""The judges' score sheets: the list of what a judge scores, and one run's sheet."""

from django.urls import path

from contests import sheet_views

urlpatterns = [
    path("<slug:slug>/sheets/", sheet_views.sheet_list, name="sheets"),
    path(
        "<slug:slug>/sheets/<int:task_id>/<int:participant_id>/<int:run_number>/",
        sheet_views.sheet_page,
        name="sheet",
    ),
]
