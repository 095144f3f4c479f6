"""courses.templatetags.outline_tags: the outline written in Python, escaped, with each mark."""

from __future__ import annotations

from django.utils import translation

from courses.permissions import NO_ACCESS, CourseAccess
from courses.services import LessonItem, ModuleItem, Outline
from courses.templatetags.outline_tags import course_outline

HOSTILE = '<script>alert("x")</script> & «Урок»'


def outline() -> Outline:
    first = ModuleItem(id=1, title=HOSTILE, accessible=True)
    first.lessons = [
        LessonItem(
            id=10,
            title=HOSTILE,
            url='/c/m1/l1/?a=1&b="2"',
            duration_minutes=45,
            module_id=1,
            opened=True,
            completed=True,
        ),
        LessonItem(
            id=11, title="Второй", url="/c/m1/l2/", duration_minutes=30, module_id=1, opened=True
        ),
    ]
    locked = ModuleItem(id=2, title="Закрытый", accessible=False)
    locked.lessons = [
        LessonItem(
            id=20,
            title="Третий",
            url="/c/m2/l1/",
            duration_minutes=5,
            module_id=2,
            accessible=False,
        ),
    ]
    return Outline(modules=[first, locked])


def test_every_text_and_url_is_escaped():
    html = course_outline(outline(), CourseAccess(whole_course=True), 11)
    assert "<script>" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; «Урок»" in html
    assert 'href="/c/m1/l1/?a=1&amp;b=&quot;2&quot;"' in html


def test_marks_current_done_opened_and_locked():
    with translation.override("ru"):
        html = course_outline(outline(), CourseAccess(module_ids=frozenset({1})), 11)
    assert '<li class="outline-lesson is-done">' in html
    assert '<li class="outline-lesson is-opened is-current">' in html
    assert '<a href="/c/m1/l2/" aria-current="page">Второй</a>' in html
    assert '<li class="outline-module is-locked" id="module-2">' in html
    assert 'title="Вам недоступно" aria-label="Вам недоступно"' in html
    assert '<span class="lesson-title">Третий</span>' in html  # a locked module: no link
    assert "45 мин" in html and html.count('class="module-number"') == 2
    assert html.startswith('<ol class="outline">') and html.endswith("</ol>")


def test_no_links_for_a_reader_without_access():
    html = course_outline(outline(), NO_ACCESS)
    assert "<a " not in html and html.count('class="lesson-title"') == 3


def test_a_page_without_an_outline_gets_an_empty_list():
    assert course_outline("", "") == '<ol class="outline"></ol>'  # a missing context variable
