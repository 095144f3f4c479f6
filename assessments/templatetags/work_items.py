"""`{% load work_items %}{% work_item work %}`: one of a pupil's works (assessments.next_steps.Work)
in a list: its title, where it is, its date and its state. Written in Python: the home, a course
page and "My grades" list up to dozens, and as an included template each cost as much as the
rest of the list. Every text and URL is escaped here (`escape`)."""

from __future__ import annotations

from datetime import datetime

from django import template
from django.utils.dateformat import format as date_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import localtime
from django.utils.translation import gettext

from assessments.next_steps import Work
from lms import numbers

register = template.Library()

WHEN = "j E, H:i"  # 5 декабря, 18:00


def _when(moment: datetime) -> str:
    return date_format(localtime(moment), WHEN)


def _date(work: Work) -> str:
    kind = work.date_kind
    if kind == "opens":
        text = gettext("opens %(when)s") % {"when": _when(work.timetable.opens_at)}
        return f'<span class="work-item-date">⏳ {escape(text)}</span>'
    if kind == "closed":
        text = gettext("closed %(when)s") % {"when": _when(work.timetable.cutoff_at)}
        return f'<span class="work-item-date">🔒 {escape(text)}</span>'
    if kind == "late":
        text = gettext("was due %(when)s") % {"when": _when(work.due_at)}
        return f'<span class="work-item-date is-late">⚠️ {escape(text)}</span>'
    if kind == "due":
        text = gettext("due %(when)s") % {"when": _when(work.due_at)}
        stamp = date_format(localtime(work.due_at), "c")
        return (
            f'<span class="work-item-date">📅 <time datetime="{escape(stamp)}">'
            f"{escape(text)}</time></span>"
        )
    if kind == "none":
        return f'<span class="work-item-date muted">{escape(gettext("no deadline"))}</span>'
    return ""


def _badge(work: Work) -> str:
    if work.state == "graded" and work.points is not None:
        label = gettext("graded: %(points)s of %(max)s") % {
            "points": numbers.number(work.points),
            "max": numbers.number(work.max_points),
        }
    else:
        label = str(work.state_label)
    return f'<span class="work-badge work-badge-{escape(work.state)}">{escape(label)}</span>'


@register.simple_tag
def work_item(work: Work, hide_course: bool = False) -> SafeString:
    """{% work_item work %}, or {% work_item work hide_course=True %} on the course's own page."""
    late = " is-late" if work.is_late else ""
    where = escape(work.lesson_title)
    if not hide_course:
        where = f"{escape(work.course_title)} · {where}"
    title, url = escape(work.title), escape(work.url)
    return mark_safe(  # noqa: S308 - every text above is escaped
        f'<li class="work-item work-{escape(work.state)}{late}"><div class="work-item-text">'
        f'<a class="work-item-title" href="{url}" title="{title}">{title}</a>'
        f'<span class="work-item-meta">{where}</span></div>'
        f'<div class="work-item-facts">{_date(work)}{_badge(work)}</div></li>'
    )
