"""The course outline (modules, lessons, each pupil's marks), written in Python.

The lesson page, the course page and a locked lesson show it; a 20 × 20 course is 400 rows, and
as a template loop (courses/includes/outline.html before) it cost as much as the rest of the
lesson page's body. The markup is the same. Every text and URL is escaped here (`escape`), the
one place this HTML is put together."""

from __future__ import annotations

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from courses.services import LessonItem, ModuleItem, Outline

register = template.Library()


def _lesson(out: list[str], lesson: LessonItem, current_id: int | None, linked: bool, labels):
    classes = "outline-lesson"
    if lesson.completed:
        classes += " is-done"
    elif lesson.opened:
        classes += " is-opened"
    current = lesson.id == current_id
    if current:
        classes += " is-current"
    out.append(f'<li class="{classes}"><span class="status-dot" aria-hidden="true"></span>')
    if linked and lesson.accessible:
        aria = ' aria-current="page"' if current else ""
        out.append(f'<a href="{escape(lesson.url)}"{aria}>{escape(lesson.title)}</a>')
    else:
        out.append(f'<span class="lesson-title">{escape(lesson.title)}</span>')
    if lesson.completed:
        out.append(labels["done"])
    minutes = escape(gettext("%(m)s min") % {"m": lesson.duration_minutes})
    out.append(f'<span class="duration">{minutes}</span></li>')


def _module(out: list[str], number: int, module: ModuleItem, current_id, linked: bool, labels):
    locked = "" if module.accessible else " is-locked"
    out.append(
        f'<li class="outline-module{locked}" id="module-{int(module.id)}">'
        f'<div class="outline-module-title"><span class="module-number">{number}</span>'
        f"<span>{escape(module.title)}</span>"
    )
    if not module.accessible:
        out.append(labels["locked"])
    out.append('</div><ol class="outline-lessons">')
    for lesson in module.lessons:
        _lesson(out, lesson, current_id, linked, labels)
    out.append("</ol></li>")


@register.simple_tag
def course_outline(outline: Outline, access, current_id: int | None = None) -> SafeString:
    """{% course_outline outline access current_id %}: the outline's <ol>. Lessons are links
    only for a reader who may open the course (`access.allowed`) and the lesson's module. A
    page without an outline (an editor's preview) gets an empty list, as the template gave."""
    locked = escape(gettext("Not available to you"))
    labels = {
        "done": f'<span class="visually-hidden">{escape(gettext("done"))}</span>',
        "locked": f'<span class="lock" role="img" title="{locked}" aria-label="{locked}">🔒</span>',
    }
    linked = bool(access and access.allowed)
    out = ['<ol class="outline">']
    for number, module in enumerate(getattr(outline, "modules", None) or [], start=1):
        _module(out, number, module, current_id, linked, labels)
    out.append("</ol>")
    return mark_safe("".join(out))  # noqa: S308 - every text above is escaped
