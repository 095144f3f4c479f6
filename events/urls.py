"""The events' own pages beside the Wagtail event pages (namespace events, under /event/)."""

from events import checkin_urls, listing_urls, registration_urls, report_urls

app_name = "events"
urlpatterns = [
    *registration_urls.urlpatterns,
    *checkin_urls.urlpatterns,
    *listing_urls.urlpatterns,
    *report_urls.urlpatterns,
]
