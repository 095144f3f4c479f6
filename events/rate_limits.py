"""A fixed-window counter in the shared cache: how often one address may do something (a
visitor's registration, a certificate's name check). Schools sit behind one address, so the
limits are generous; they stop scripts, not classes."""

from __future__ import annotations

from django.core.cache import cache
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def too_many(request: HttpRequest, action: str, *, limit: int, window: int) -> bool:
    """Count one more `action` from this address; True once past `limit` in `window` seconds."""
    key = f"events:rate:{action}:{client_address(request)}"
    if cache.add(key, 1, window):
        return False
    try:
        return cache.incr(key) > limit
    except ValueError:  # expired between add and incr
        cache.add(key, 1, window)
        return False
