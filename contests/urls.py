"""/contests/…: each concept's pages come from its own module's urlpatterns."""

from django.urls import include, path

app_name = "contests"

urlpatterns = [
    path("", include("contests.listing_urls")),  # the list, a contest's page
    path("", include("contests.participation_urls")),  # register, codes, start, tasks, runs
    path("", include("contests.round_urls")),
    path("", include("contests.standings_urls")),  # live and frozen standings, exports
    path("", include("contests.setup_urls")),  # the organisers' setup pages
    path("", include("contests.import_urls")),  # results held elsewhere
    path("", include("contests.sheets_urls")),  # judges' score sheets
    path("", include("contests.appeals_urls")),  # appeals and score changes
    path("", include("contests.results_urls")),  # awards, protocol, diplomas
]
