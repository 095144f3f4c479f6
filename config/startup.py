"""What a server process does once its apps are loaded, before its first request."""

from __future__ import annotations

import gc


def freeze_startup_objects() -> int:
    """Load the URLconf, then leave everything loaded so far out of the garbage collector's
    passes, and return how many objects that is.

    The models, URL patterns, templates' loaders and translations of a process never become
    garbage, yet the collector's full passes walk them all, several hundred thousand objects,
    whenever enough new objects have piled up; a request that makes many (a standings board
    makes 60,000) sets one off, and its time doubles (measured: bench/standings.py). Frozen,
    they are skipped (gc.freeze, the pattern of large Django deployments)."""
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018  (loads every app's urls.py now, not per request)
    gc.collect()
    gc.freeze()
    return gc.get_freeze_count()
