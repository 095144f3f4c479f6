"""The header's link to the events index, on every page. Cached: no query once warm; a publish
or unpublish of the index forgets it (events.signals)."""

from django.core.cache import cache

from events.models import EventIndexPage

CACHE_KEY = "events:index-url"


def events_index_url() -> str | None:
    url = cache.get(CACHE_KEY)
    if url is None:
        index = EventIndexPage.objects.live().public().first()
        url = index.url if index else ""
        cache.set(CACHE_KEY, url, 300)
    return url or None


def events(request) -> dict:
    return {"events_url": events_index_url}  # a callable: evaluated only where a template uses it
