"""URLs of the report pages (included by events/urls.py, namespace events)."""

from django.urls import path

from events import report_views

urlpatterns: list = [
    path("report/", report_views.report, name="report"),
]
