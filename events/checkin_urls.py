"""URLs of the check-in pages (included by events/urls.py, namespace events, under /event/)."""

from django.urls import path

from events import checkin_views

urlpatterns = [
    path("<int:event_id>/check-in/", checkin_views.checkin_list, name="checkin"),
    path("<int:event_id>/check-in/data/", checkin_views.checkin_data, name="checkin_data"),
    path("<int:event_id>/check-in/sync/", checkin_views.checkin_sync, name="checkin_sync"),
    path("<int:event_id>/check-in/walk-in/", checkin_views.walk_in, name="walk_in"),
    path("check-in/<str:code>/", checkin_views.checkin_code, name="checkin_code"),
]
