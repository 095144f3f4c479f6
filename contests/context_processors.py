"""The header's link to the contests, on every page. No query once warm: whether any contest
is published is cached (a new one shows the link within CACHE_SECONDS, or at once where the
setup pages call `forget()`); school staff and methodologists always get it (their roles are
read once per request anyway, for the rest of the menu), so an organiser finds the list before
the first contest is published."""

from django.core.cache import cache
from django.urls import reverse

from lms import permissions

CACHE_KEY = "contests:any-published"
CACHE_SECONDS = 300


def any_published() -> bool:
    found = cache.get(CACHE_KEY)
    if found is None:
        from contests.models import Contest

        found = Contest.objects.filter(is_published=True).exists()
        cache.set(CACHE_KEY, found, CACHE_SECONDS)
    return found


def forget() -> None:
    cache.delete(CACHE_KEY)


def contests_url(user) -> str | None:
    if user.is_authenticated and (
        permissions.is_school_staff(user) or permissions.is_catalogue_staff(user)
    ):
        return reverse("contests:index")
    return reverse("contests:index") if any_published() else None


def contests(request) -> dict:
    # A callable: evaluated only where a template uses it.
    return {"contests_url": lambda: contests_url(request.user)}
