from django.urls import path

from contests import standings_views

urlpatterns = [
    # ?category=<id>|all, ?view=public (the jury), ?fragment=1 (the live board alone)
    path("<slug:slug>/standings/", standings_views.standings_page, name="standings"),
    path(
        "<slug:slug>/standings.<str:fmt>",
        standings_views.export,
        name="standings_export",
    ),
]
