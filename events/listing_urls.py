"""URLs of the listing pages (included by events/urls.py, namespace events)."""

from django.urls import path

from events import listing_views

urlpatterns: list = [
    path("feed.ics", listing_views.feed_ics, name="feed"),
    path("<int:event_id>/event.ics", listing_views.event_ics, name="ical"),
]
