"""Results held elsewhere: the jury's import page (the command is manage.py import_runs)."""

from django.urls import path

from contests import import_views

urlpatterns = [
    path("<slug:slug>/import/", import_views.import_runs, name="import_runs"),
]
