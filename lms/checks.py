"""Deployment checks of our own (`manage.py check --deploy`)."""

from __future__ import annotations

from django.conf import settings
from django.core import checks

LOCMEM = "django.core.cache.backends.locmem.LocMemCache"


@checks.register(checks.Tags.caches, deploy=True)
def shared_cache(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """Every cache that must be dropped on a change (the access facts, the user's row, page
    chains, anonymous pages, lesson bodies) is kept per process by LocMemCache: right for one
    process (the dev server), wrong for gunicorn's several workers or several nodes, where a
    change seen by one process stays unseen by the others until their copies expire."""
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    if backend != LOCMEM:
        return []
    return [
        checks.Warning(
            "The cache is each process's own memory (LocMemCache).",
            hint=(
                "With more than one process (gunicorn -w 2, several nodes), a change made "
                "through one (a publish, a new password, a pupil leaving a group) is not seen "
                "by the others for up to 10 minutes. Set REDIS_URL (docs/deployment.md)."
            ),
            id="lms.W001",
        )
    ]
