"""A teacher logs in and lands on "My groups", sees "1 to grade" and "1 late" on the group's card,
grades the work from there; the pupil then reads the grade and the teacher's words at the top
of the assignment page. Screenshots at a desktop's width and a phone's (390 px)."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from assessments.models import Submission
from tests import builders
from tests.assessments.builders import make_assignment, submit
from tests.e2e.conftest import DESKTOP, E2E_MARKS, PHONE, login, logout, screenshot_at

pytestmark = E2E_MARKS

FEEDBACK = "**Хорошо!** Добавьте в отчёт фото датчика."


def shots(page, name: str) -> None:
    page.evaluate("window.scrollTo(0, 0)")  # a full-page screenshot keeps the sticky header up
    for suffix, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
        path = screenshot_at(page, f"{name}-{suffix}", viewport)
        assert path.stat().st_size > 10_000, path


def no_sideways_scroll(page) -> None:
    page.set_viewport_size(PHONE)
    try:
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"{page.url} is {width}px wide at 390px"
    finally:
        page.set_viewport_size(DESKTOP)


def test_teacher_lands_on_my_groups_sees_what_needs_them_and_grades_it(
    live_server, page, console_errors
):
    two = builders.build_two_schools(pupils=2)
    host = two.host
    group, teacher = host.group_a, host.teacher_a
    worker, absent = host.pupils_a
    lesson = two.tree.lessons_of(two.tree.modules[0])[0]
    assignment = make_assignment(
        lesson,
        title="Робот на линии",
        instructions="Соберите робота и **сфотографируйте** его.",
        max_points=Decimal("10"),
        due_at=timezone.now() - timedelta(days=1),
        accepted_types="images, pdf, code",
    )
    work = submit(assignment, worker, group)
    url = live_server.url

    # The pupil who has handed nothing in sees what to do first, with one "Start" button.
    login(page, url, absent.username)
    assert page.url == f"{url}/learn/"
    page.goto(f"{url}/work/assignments/{assignment.pk}/")
    top = page.locator(".work-top")
    assert top.locator(".work-status-late").is_visible()
    assert top.locator("a.btn-large[href='#work']").count() == 1
    assert page.locator(".btn-large").count() == 1
    files_line = page.locator(".accepted-files").inner_text()
    assert ".jpeg" not in files_line.split("\n")[0]
    shots(page, "assignment-not-started-late")
    no_sideways_scroll(page)
    logout(page)

    # 1. The teacher logs in and lands on "My groups".
    login(page, url, teacher.username)
    assert page.url == f"{url}/teach/"
    card = page.locator(".group-card").filter(
        has=page.locator(f"h2 a[href='/teach/groups/{group.pk}/']")
    )
    assert card.count() == 1
    to_grade = card.locator(f"a.needs-grade[href='/work/grading/groups/{group.pk}/']")
    assert re.search(r"\b1\b", to_grade.inner_text()), to_grade.inner_text()
    late = card.locator(".needs-late")
    assert re.search(r"\b1\b", late.inner_text()), late.inner_text()
    shots(page, "teach-my-groups")
    no_sideways_scroll(page)

    # The group's page puts what needs the teacher first, with the late pupil by name.
    with page.expect_navigation():
        late.click()
    assert page.url.endswith(f"/teach/groups/{group.pk}/#attention")
    needs = page.locator("section#attention")
    assert needs.locator(".needs-item").filter(has_text=assignment.title).count() == 1
    assert absent.get_display_name() in needs.inner_text()
    assert worker.get_display_name() not in needs.inner_text()
    boxes = page.evaluate(
        "['attention-title', 'progress-title', 'roster-title']"
        ".map(id => document.getElementById(id).getBoundingClientRect().top + window.scrollY)"
    )
    assert boxes == sorted(boxes), boxes
    shots(page, "teach-group-needs")
    no_sideways_scroll(page)

    # 2. From "My groups" to the queue, and the work is graded and released.
    page.goto(f"{url}/teach/")
    with page.expect_navigation():
        to_grade.click()
    assert page.url == f"{url}/work/grading/groups/{group.pk}/"
    row = page.locator("table.grading-queue tbody tr").filter(has_text=worker.get_display_name())
    with page.expect_navigation():
        row.locator(f"a[href='/work/grading/submissions/{work.pk}/']").click()
    form = page.locator("form.grading-form")
    form.locator("input[name=points]").fill("8")
    form.locator("textarea[name=feedback]").fill(FEEDBACK)
    with page.expect_navigation():
        form.locator("button[name=action][value=release]").last.click()
    assert Submission.objects.get(pk=work.pk).status == Submission.Status.GRADED

    # Back on "My groups": nothing to grade now; the late pupil is still late.
    page.goto(f"{url}/teach/")
    card = page.locator(".group-card").filter(
        has=page.locator(f"h2 a[href='/teach/groups/{group.pk}/']")
    )
    assert card.locator(".needs-grade").count() == 0
    assert card.locator(".needs-none").count() == 1
    assert card.locator(".needs-late").count() == 1
    logout(page)

    # 3. The pupil reads the grade and the teacher's words first, with no big button.
    login(page, url, worker.username)
    page.goto(f"{url}/work/assignments/{assignment.pk}/")
    top = page.locator(".work-top")
    assert "8" in top.locator(".result-points").inner_text()
    assert top.locator(".grade-feedback strong").inner_text() == "Хорошо!"
    assert top.locator(".work-status").count() == 0  # no "open, hand in by…" for graded work
    assert page.locator(".btn-large").count() == 0
    order = page.evaluate(
        "['work-state-title', 'instructions-title', 'work-title']"
        ".map(id => document.getElementById(id).getBoundingClientRect().top + window.scrollY)"
    )
    assert order == sorted(order), order
    shots(page, "assignment-graded-top")
    no_sideways_scroll(page)

    assert console_errors == []


def test_returned_work_asks_to_improve_and_keeps_the_teachers_words_in_view(
    live_server, page, console_errors
):
    from assessments import grading

    two = builders.build_two_schools(pupils=1)
    host = two.host
    pupil, teacher = host.pupils_a[0], host.teacher_a
    lesson = two.tree.lessons_of(two.tree.modules[0])[0]
    assignment = make_assignment(lesson, title="Робот на линии", max_attempts=1)
    work = submit(assignment, pupil, host.group_a)
    grading.return_for_rework(work, teacher, "Добавьте **фото сбоку** и схему.")
    url = live_server.url

    login(page, url, pupil.username)
    page.goto(f"{url}/work/assignments/{assignment.pk}/")
    top = page.locator(".work-top-returned")
    assert top.locator(".grade-feedback strong").inner_text() == "фото сбоку"
    assert top.locator(".result-points").count() == 0  # no "0 of 10" for returned work
    improve = top.locator("form[action$='/start/'] button.btn-large")
    assert improve.count() == 1 and page.locator(".btn-large").count() == 1
    shots(page, "assignment-returned")
    no_sideways_scroll(page)
    with page.expect_navigation():
        improve.click()
    assert page.url.endswith("#work")
    assert page.locator("form.draft-form textarea[name=text]").input_value() == "Готово"
    top = page.locator(".work-top-draft")
    assert top.locator(".grade-feedback strong").inner_text() == "фото сбоку"
    shots(page, "assignment-improving")
    assert console_errors == []
