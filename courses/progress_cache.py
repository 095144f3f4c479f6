"""A pupil's progress rows in one course, kept in the shared cache between requests.

Every page of a course shows the pupil's marks (opened, done), one query each time. The rows
are kept per pupil and course under the pupil's own progress token, which every write of their
progress moves: the signals of LessonProgress (courses.signals) and the two writes that
send none (`services.record_lesson_opened`: the first opening's INSERT, the last-seen UPDATE).
A value is stored tagged with the token read before the rows were loaded, so a write that lands
meanwhile (a second tab) makes it unreadable. A cache that is down costs the query."""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from lms import generations

PROGRESS_CACHE_VERSION = "1"
PROGRESS_CACHE_SECONDS = 300


def _generation_key(user_id: int) -> str:
    return f"lms:progress:{PROGRESS_CACHE_VERSION}:{user_id}:generation"


def progress_changed(user_id: int) -> None:
    """The pupil's progress was written: none of their stored rows is read again."""
    generations.changed(_generation_key(user_id))


def progress_saved(sender, instance, **_kwargs) -> None:
    progress_changed(instance.user_id)


def remembered(user_id: int, scope: str, load: Callable[[], dict]) -> dict:
    """The pupil's progress rows of `scope` (a course, or a course's listed lessons)."""
    digest = hashlib.blake2b(scope.encode(), digest_size=12).hexdigest()
    key = f"lms:progress:{PROGRESS_CACHE_VERSION}:{user_id}:{digest}"
    cached, generation = generations.read(key, _generation_key(user_id))
    if cached is not None:
        return dict(cached)
    rows = load()
    generations.write(key, generation, rows, PROGRESS_CACHE_SECONDS)
    return dict(rows)
