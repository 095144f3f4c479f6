"""The header's link to the catalogue, on every page. Cached: no query once warm."""

from django.core.cache import cache

from courses.models import CataloguePage

CACHE_KEY = "lms:catalogue-url"


def catalogue_url() -> str | None:
    url = cache.get(CACHE_KEY)
    if url is None:
        catalogue = CataloguePage.objects.live().first()
        url = catalogue.url if catalogue else ""
        cache.set(CACHE_KEY, url, 300)
    return url or None


def catalogue(request) -> dict:
    # A callable: evaluated only where a template uses it, and once however often (the header
    # and a page's breadcrumbs both link to the catalogue: one cache read, not two).
    found: list[str | None] = []

    def url() -> str | None:
        if not found:
            found.append(catalogue_url())
        return found[0]

    return {"catalogue_url": url}
