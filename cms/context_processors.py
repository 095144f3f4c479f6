"""What every page's chrome needs: the catalogue link and the languages. Cached: no query."""

from django.conf import settings
from django.core.cache import cache


def catalogue_url() -> str | None:
    url = cache.get("lms:catalogue-url")
    if url is None:
        from courses.models import CatalogPage

        catalog = CatalogPage.objects.live().first()
        url = catalog.url if catalog else ""
        cache.set("lms:catalogue-url", url, 300)
    return url or None


def site_chrome(request) -> dict:
    from lms import permissions

    # Callables: the template evaluates them only where it uses them.
    return {
        "catalogue_url": catalogue_url,
        "can_author": lambda: permissions.can_open_admin(request.user),
        "is_school_staff": lambda: permissions.is_school_staff(request.user),
        "is_school_admin": lambda: permissions.is_school_admin(request.user),
        "idle_minutes": settings.LMS_PUPIL_IDLE_MINUTES,  # the login page's shared-computer hint
    }
