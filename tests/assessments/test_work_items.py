"""A pupil's work in a list (assessments/templatetags/work_items.py) and the progress bar
(courses/templatetags/progress_tags.py): the date each state shows, in the reader's time zone
and language, and every text escaped."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone, translation

from assessments.deadlines import Timetable, Window
from assessments.next_steps import State, Work

HOSTILE = '"><script>alert(1)</script>'
DUE = datetime(2026, 12, 5, 14, 0, tzinfo=UTC)  # 18:00 in Samara (UTC+4)


def work(**fields) -> Work:
    defaults = {
        "assignment_id": 7,
        "kind": "project",
        "title": "Робот",
        "course_title": "Ардуино",
        "course_id": 1,
        "lesson_title": "Датчики",
        "lesson_path": "0001",
        "max_points": Decimal(10),
        "group_id": 1,
        "timetable": Timetable(None, DUE, None),
        "window": Window.OPEN,
        "state": State.NOT_STARTED,
    }
    return Work(**{**defaults, **fields})


def render(item: Work, hide_course: bool = False) -> str:
    template = Template("{% load work_items %}{% work_item work hide_course=hide %}")
    with timezone.override("Europe/Samara"):
        return template.render(Context({"work": item, "hide": hide_course}))


def test_due_work_shows_its_date_in_the_readers_zone_and_language():
    html = render(work())
    assert "сдать до 5 декабря, 18:00" in html
    assert '<time datetime="2026-12-05T18:00:00+04:00">' in html
    assert f'href="{reverse("assessments:assignment", args=[7])}"' in html
    assert "Ардуино · Датчики" in html
    assert "не начато" in html
    with translation.override("en"):
        assert "due 5 December, 18:00" in render(work())


def test_each_date_kind():
    opens = DUE + timedelta(days=1)
    assert "откроется 6 декабря, 18:00" in render(
        work(timetable=Timetable(opens, DUE + timedelta(days=2), None), window=Window.NOT_OPEN)
    )
    closed = render(work(timetable=Timetable(None, DUE, DUE), window=Window.CLOSED))
    assert "🔒" in closed and "5 декабря, 18:00" in closed
    late = render(work(window=Window.LATE))
    assert "is-late" in late and "⚠️" in late
    assert "без срока" in render(work(timetable=Timetable(None, None, None)))
    returned = render(work(state=State.RETURNED, reopened=True, returned_attempt=2))
    assert "work-item-date" not in returned
    assert f'href="{reverse("assessments:assignment", args=[7])}#attempt-2"' in returned


def test_points_in_the_readers_decimal_mark_and_the_course_hidden_on_its_own_page():
    graded = work(state=State.GRADED, points=Decimal("8.50"))
    assert "оценено: 8,5 из 10" in render(graded)
    with translation.override("en"):
        assert "graded: 8.5 of 10" in render(graded)
    assert "Ардуино" not in render(graded, hide_course=True)


def test_every_text_is_escaped():
    html = render(work(title=HOSTILE, course_title=HOSTILE, lesson_title=HOSTILE))
    assert "<script>" not in html and html.count("&lt;script&gt;") == 4


def test_the_progress_bar():
    template = Template("{% load progress_tags %}{% progress_bar done total percent %}")
    html = template.render(Context({"done": 3, "total": 8, "percent": 37}))
    assert '<progress value="3" max="8" aria-label="Прогресс">37%</progress>' in html
    assert "Пройдено 3 из 8 уроков · 37%" in html
    empty = template.render(Context({"done": 0, "total": 0, "percent": 0}))
    assert 'max="1"' in empty
