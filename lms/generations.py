"""Generation tokens in the shared cache: a random token that a change moves, stored with every
cached value made under it, so that moving it retires them all at once on every node (the body
cache's media generation, the public pages', the access facts', each user's row and progress,
the assignments'). `read`/`write` keep a value under one or several tokens; `changed` is what a
signal receiver calls."""

from __future__ import annotations

import logging
import uuid

from django.core.cache import cache
from django.db import transaction

logger = logging.getLogger(__name__)


def move(key: str) -> None:
    try:
        cache.set(key, uuid.uuid4().hex, None)
    except Exception:  # the cache is down: nothing stored under the old token can be read either
        logger.warning("Could not move the generation %s", key, exc_info=True)


def changed(key: str) -> None:
    """What the token `key` stands for has changed: move it at once (readers in this
    transaction, and tests, which never commit) and again once the transaction commits (readers
    that began before the commit and stored what they read)."""
    move(key)
    transaction.on_commit(lambda: move(key), robust=True)


def current(key: str, found: str | None) -> str:
    """The token read (`found`, from the caller's get_many), or a new one if it was evicted or
    never set (add: two processes agree on one)."""
    if found:
        return found
    token = uuid.uuid4().hex
    cache.add(key, token, None)
    return cache.get(key) or token


def read(key: str, *generation_keys: str) -> tuple[object | None, tuple[str, ...] | None]:
    """The value stored under `key` if it was made under the current tokens of
    `generation_keys`, and those tokens, in one round trip: (None, tokens) when there is none
    or it is of an older generation; (None, None) when the cache fails (compute, store
    nothing). Read the tokens before computing, store with `write(key, tokens, ...)`: a change
    that lands in between moves a token, and what was computed is never read."""
    try:
        found = cache.get_many([key, *generation_keys])
        tokens = tuple(current(name, found.get(name)) for name in generation_keys)
    except Exception:
        logger.warning("Cache unavailable (reading %s)", key, exc_info=True)
        return None, None
    entry = found.get(key)
    if entry is not None and entry[0] == tokens:
        return entry[1], tokens
    return None, tokens


def write(key: str, tokens: tuple[str, ...] | None, value: object, timeout: int) -> None:
    """Store `value` under `key`, made under `tokens` (from `read`; None: the cache failed)."""
    if tokens is None:
        return
    try:
        cache.set(key, (tokens, value), timeout)
    except Exception:
        logger.warning("Cache unavailable (writing %s)", key, exc_info=True)
