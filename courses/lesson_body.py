"""A lesson's body and its assignments for one request, in one query at most.

The body comes from the shared body cache (cms.body_cache: keyed by page, live revision, body
digest and language; pictures and files invalidated by their own signals). The blocks that
higher apps add to lessons (settings.LMS_LESSON_BLOCKS: the assignment card) show objects this
app cannot watch (an assignment retitled, archived, its due date in the reader's time zone), so
they are never cached as HTML: they are rendered per request from the lesson's own
assignments, the same list that is shown below the body. That list is kept in the shared cache
per lesson under the assignments generation, which any save or delete of an assignment moves
(connected by assessments.apps), so a retitled or archived assignment shows at once; a cold
cache costs one query. A card for an assignment of another lesson shows nothing, as the block
promises."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Model
from django.http import HttpRequest
from django.utils.safestring import SafeString

from cms.body_cache import render_body
from courses.models import LessonPage
from lms import generations

ASSIGNMENTS_GENERATION_KEY = "lms:lesson-assignments:generation"
ASSIGNMENTS_CACHE_SECONDS = 600


@dataclass
class LessonBody:
    html: SafeString
    assignments: list[Model]  # the lesson's assignments, archived ones included


def live_block_types() -> tuple[str, ...]:
    return tuple(name for name, _path in settings.LMS_LESSON_BLOCKS)


def assignments_changed(**_kwargs) -> None:
    """An assignment was saved or deleted: no lesson's stored list is read again (at once, and
    once the change commits)."""
    generations.changed(ASSIGNMENTS_GENERATION_KEY)


def lesson_assignments(lesson: LessonPage) -> list[Model]:
    """The lesson's assignments (from the shared cache, else one query), or none for a preview
    of a lesson not saved yet."""
    related = getattr(lesson, "assignments", None)
    if related is None or lesson.pk is None:
        return []
    key = f"lms:lesson-assignments:{lesson.pk}"
    cached, generation = generations.read(key, ASSIGNMENTS_GENERATION_KEY)
    if cached is not None:
        return list(cached)
    assignments = list(related.all())
    generations.write(key, generation, assignments, ASSIGNMENTS_CACHE_SECONDS)
    return assignments


def lesson_body(request: HttpRequest, lesson: LessonPage, context: dict) -> LessonBody:
    assignments = lesson_assignments(lesson)
    known: dict[type, dict[int, Model]] = {}
    related = getattr(lesson, "assignments", None)
    if related is not None:
        known[related.model] = {a.pk: a for a in assignments}
    # Previews and drafts are not the live revision: rendered afresh, never stored.
    use_cache = bool(lesson.pk and lesson.live and not getattr(request, "is_preview", False))
    html = render_body(
        lesson,
        lesson.body,
        context,
        live_types=live_block_types(),
        known=known,
        use_cache=use_cache,
    )
    return LessonBody(html=html, assignments=assignments)
