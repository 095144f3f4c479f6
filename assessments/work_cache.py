"""A pupil's hand-ins (attempts with their grades, and extensions) for the assignments a page
lists, kept in the shared cache between requests.

The course page and the pupil's home show each assignment's state, two queries every time
(`next_steps.pupil_work`). The rows are kept per pupil under the pupil's own work token, which
every write of them moves: the signals of Submission, Grade and Extension (assessments.apps)
and the writes that send none, each of which calls `work_changed` itself (hand-in and draft
text: assessments.submissions; a quiz attempt handed in: quiz.attempts; grades released in
bulk: grading.release). A value is stored tagged with the token read before the rows were
loaded (lms.generations), so a write that lands meanwhile makes it unreadable. What depends on
the clock (open, due, late) is worked out from the rows on every request, never stored. A cache
that is down costs the queries."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable

from lms import generations

WORK_CACHE_VERSION = "1"
WORK_CACHE_SECONDS = 300


def _generation_key(pupil_id: int) -> str:
    return f"lms:work:{WORK_CACHE_VERSION}:{pupil_id}:generation"


def work_changed(pupil_id: int) -> None:
    """The pupil's hand-ins, grades or extensions were written: none stored is read again."""
    generations.changed(_generation_key(pupil_id))


def submission_saved(sender, instance, **_kwargs) -> None:
    work_changed(instance.pupil_id)


def grade_saved(sender, instance, **_kwargs) -> None:
    # The submission is usually loaded already (grading works from it); else one small query.
    work_changed(instance.submission.pupil_id)


def remembered(pupil_id: int, scope: Iterable[object], load: Callable[[], object]) -> object:
    """What `load` reads of the pupil's work, for `scope` (the assignment and group ids)."""
    digest = hashlib.blake2b(repr(tuple(scope)).encode(), digest_size=12).hexdigest()
    key = f"lms:work:{WORK_CACHE_VERSION}:{pupil_id}:{digest}"
    cached, tokens = generations.read(key, _generation_key(pupil_id))
    if cached is not None:
        return cached
    value = load()
    generations.write(key, tokens, value, WORK_CACHE_SECONDS)
    return value
