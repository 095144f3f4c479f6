"""Generation tokens in the shared cache: a random token that a change moves, stored with every
cached value made under it, so that moving it retires them all at once on every node (the body
cache's media generation, the public pages' generation)."""

from __future__ import annotations

import logging
import uuid

from django.core.cache import cache

logger = logging.getLogger(__name__)


def move(key: str) -> None:
    try:
        cache.set(key, uuid.uuid4().hex, None)
    except Exception:  # the cache is down: nothing stored under the old token can be read either
        logger.warning("Could not move the generation %s", key, exc_info=True)


def current(key: str, found: str | None) -> str:
    """The token read (`found`, from the caller's get_many), or a new one if it was evicted or
    never set (add: two processes agree on one)."""
    if found:
        return found
    token = uuid.uuid4().hex
    cache.add(key, token, None)
    return cache.get(key) or token
