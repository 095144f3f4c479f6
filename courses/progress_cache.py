"""A pupil's progress rows in one course, kept in the shared cache between requests.

Every page of a course shows the pupil's marks (opened, done), one query each time. The rows
are kept per pupil and course under the pupil's own progress token, which every write of their
progress moves: the signals of LessonProgress (lms... courses.signals) and the two writes that
send none (`services.record_lesson_opened`: the first opening's INSERT, the last-seen UPDATE).
A value is stored tagged with the token read before the rows were loaded, so a write that lands
meanwhile (a second tab) makes it unreadable. A cache that is down costs the query."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable

from django.core.cache import cache
from django.db import transaction

from lms import generations

logger = logging.getLogger(__name__)

PROGRESS_CACHE_VERSION = "1"
PROGRESS_CACHE_SECONDS = 300


def _generation_key(user_id: int) -> str:
    return f"lms:progress:{PROGRESS_CACHE_VERSION}:{user_id}:generation"


def progress_changed(user_id: int) -> None:
    """The pupil's progress was written: none of their stored rows is read again."""
    key = _generation_key(user_id)
    generations.move(key)
    transaction.on_commit(lambda: generations.move(key), robust=True)


def progress_saved(sender, instance, **_kwargs) -> None:
    progress_changed(instance.user_id)


def remembered(user_id: int, scope: str, load: Callable[[], dict]) -> dict:
    """The pupil's progress rows of `scope` (a course, or a course's listed lessons)."""
    digest = hashlib.blake2b(scope.encode(), digest_size=12).hexdigest()
    key = f"lms:progress:{PROGRESS_CACHE_VERSION}:{user_id}:{digest}"
    generation_key = _generation_key(user_id)
    try:
        found = cache.get_many([key, generation_key])
        generation = generations.current(generation_key, found.get(generation_key))
    except Exception:
        logger.warning("Progress cache unavailable", exc_info=True)
        return load()
    entry = found.get(key)
    if entry is not None and entry[0] == generation:
        return dict(entry[1])
    rows = load()
    try:
        cache.set(key, (generation, rows), PROGRESS_CACHE_SECONDS)
    except Exception:
        logger.warning("Progress cache unavailable", exc_info=True)
    return dict(rows)
