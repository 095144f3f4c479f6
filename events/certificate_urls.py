"""Certificates: the public check page and the PDF (namespace certificates, /certificates/)."""

from django.urls import path

from events import certificate_views as views

app_name = "certificates"
urlpatterns = [
    path("", views.mine, name="mine"),
    path("check/", views.lookup, name="lookup"),
    path("event/<int:event_id>/issue/", views.issue_for_event, name="issue_for_event"),
    path("<str:code>/", views.check, name="check"),
    path("<str:code>/pdf/", views.pdf, name="pdf"),
]
