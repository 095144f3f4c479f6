"""An uploaded GIFT file kept between the import's preview and its confirmation: in Django's
cache (Redis when there are several web nodes; never a local file), under a random token bound
to the user who uploaded it, for an hour. Confirming takes it out, so a double post imports once."""

from __future__ import annotations

import re
import secrets

from django.core.cache import cache

TTL_SECONDS = 60 * 60
_TOKEN = re.compile(r"[A-Za-z0-9_-]{20,64}")


def _key(user_id: int, token: str) -> str:
    return f"quiz-gift-import:{user_id}:{token}"


def keep(user_id: int, payload: dict) -> str:
    token = secrets.token_urlsafe(24)
    cache.set(_key(user_id, token), payload, TTL_SECONDS)
    return token


def peek(user_id: int, token: str) -> dict | None:
    if not _TOKEN.fullmatch(token or ""):
        return None
    payload = cache.get(_key(user_id, token))
    return payload if isinstance(payload, dict) else None


def update(user_id: int, token: str, payload: dict) -> None:
    cache.set(_key(user_id, token), payload, TTL_SECONDS)


def take(user_id: int, token: str) -> dict | None:
    """The payload, once: of two requests racing for it, only the one whose delete removed the
    key gets it."""
    payload = peek(user_id, token)
    if payload is None or not cache.delete(_key(user_id, token)):
        return None
    return payload
