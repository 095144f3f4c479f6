"""The logged-in user from the shared cache instead of a query on every request.

Django's `auth.get_user` loads the session's user by primary key on every request, then checks
the session's auth hash against the user's password hash. Here the user row is kept in the
shared cache per user, under a per-user generation token that any save or delete of the user
moves (lms.signals: a new password, a deactivated account, a renamed pupil; at once and again
on commit). A value is stored tagged with the token read before the row was loaded, so a save
that lands meanwhile makes it unreadable, as in lms.access_cache.

Only a cached user that is active and whose auth hash matches the session's is taken; anything
else (no entry, another backend, an old hash, the fallback secrets, a cache that is down) goes
through Django's own `get_user`, which also flushes a session that no longer verifies. So a
changed password still ends the other sessions at once."""

from __future__ import annotations

from django.conf import settings
from django.contrib import auth
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth.middleware import AuthenticationMiddleware
from django.http import HttpRequest
from django.utils.crypto import constant_time_compare
from django.utils.functional import SimpleLazyObject

from lms import generations
from lms.models import User

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"
USER_CACHE_VERSION = "1"
USER_CACHE_SECONDS = 300


def _keys(user_id: object) -> tuple[str, str]:
    return (
        f"lms:user:{USER_CACHE_VERSION}:{user_id}",
        f"lms:user:{USER_CACHE_VERSION}:{user_id}:generation",
    )


def user_changed(sender, instance: User, **_kwargs) -> None:
    """A user row was saved or deleted: their cached copy is not read again."""
    _, generation_key = _keys(instance.pk)
    generations.changed(generation_key)


def get_user(request: HttpRequest):
    """`django.contrib.auth.get_user`, with the user row from the shared cache."""
    session = request.session
    raw_id = session.get(SESSION_KEY)
    if raw_id is None or session.get(BACKEND_SESSION_KEY) != MODEL_BACKEND:
        return auth.get_user(request)
    if MODEL_BACKEND not in settings.AUTHENTICATION_BACKENDS:
        return auth.get_user(request)
    key, generation_key = _keys(raw_id)
    cached, generation = generations.read(key, generation_key)
    if cached is not None and _verifies(cached, session):
        return cached
    user = auth.get_user(request)
    if user.is_authenticated and str(user.pk) == str(raw_id):
        generations.write(key, generation, user, USER_CACHE_SECONDS)
    return user


def _verifies(user: object, session) -> bool:
    if not isinstance(user, User) or not user.is_active:
        return False
    session_hash = session.get(HASH_SESSION_KEY)
    return bool(session_hash) and constant_time_compare(session_hash, user.get_session_auth_hash())


def _lazy_user(request: HttpRequest):
    if not hasattr(request, "_cached_user"):
        request._cached_user = get_user(request)
    return request._cached_user


class CachedUserAuthenticationMiddleware(AuthenticationMiddleware):
    """Django's AuthenticationMiddleware, taking the user from `get_user` above."""

    def process_request(self, request: HttpRequest) -> None:
        super().process_request(request)
        request.user = SimpleLazyObject(lambda: _lazy_user(request))
