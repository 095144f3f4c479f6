"""The contests list and a contest's page."""

from django.urls import path, register_converter

from contests import listing_views
from contests.setup import RESERVED_SLUGS


class ContestSlug:
    """A contest's slug, but not one of the addresses under /contests/ that are pages
    (contests.setup.RESERVED_SLUGS: "new", "manage", …): this module's patterns come first, and
    `<slug>/` must not swallow them. A ValueError here means "no match"."""

    regex = "[-a-zA-Z0-9_]+"

    def to_python(self, value: str) -> str:
        if value.lower() in RESERVED_SLUGS:
            raise ValueError(value)
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(ContestSlug, "contest_slug")

urlpatterns = [
    path("", listing_views.index, name="index"),
    path("<contest_slug:slug>/", listing_views.detail, name="detail"),
]
