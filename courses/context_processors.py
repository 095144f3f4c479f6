"""The header's link to the catalogue, on every page. Cached: no query once warm."""

from django.core.cache import cache

from courses.models import CatalogPage

CACHE_KEY = "lms:catalogue-url"


def catalogue_url() -> str | None:
    url = cache.get(CACHE_KEY)
    if url is None:
        catalog = CatalogPage.objects.live().first()
        url = catalog.url if catalog else ""
        cache.set(CACHE_KEY, url, 300)
    return url or None


def catalogue(request) -> dict:
    return {"catalogue_url": catalogue_url}  # a callable: evaluated only where a template uses it
