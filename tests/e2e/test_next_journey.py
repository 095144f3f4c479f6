"""A pupil's "what next" in a real browser: they log in and the home's "next" panel shows the
work due (with its deadline and state) and the next lesson by name; they follow it to the work
and hand it in; the work then waits for a grade; the teacher returns it for rework, and the
home shows it with the teacher's words and the 🔔 its count. Screenshots at desktop and 390 px.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from assessments import grading
from assessments.models import Submission
from courses.models import LessonPage, LessonProgress
from tests import builders
from tests.assessments.builders import make_assignment
from tests.e2e.conftest import E2E_MARKS, PHONE, login, screenshot, screenshot_at

pytestmark = E2E_MARKS

NEXT_LESSON = "Инфракрасные датчики линии"
WORK = "Собрать датчик линии"
LONG_WORK = "Проект: " + "робот, который едет по чёрной линии и объезжает препятствия " * 3
FEEDBACK = "**Хорошее начало!** Датчик стоит высоко: опустите его на 5 мм и проверьте снова."
PUPIL_TEXT = "Собрали датчик, он видит линию."


def assert_screenshot(path) -> None:
    assert path.exists(), path
    assert path.stat().st_size > 10_000, f"{path} is suspiciously small"


def assert_fits(page, selector: str, width: int) -> None:
    box = page.locator(selector).bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width + 1, box


def test_pupil_goes_from_the_next_panel_to_the_work_and_sees_it_returned(
    live_server, page, console_errors
):
    two = builders.build_two_schools(pupils=1)
    tree, host = two.tree, two.host
    pupil, teacher = host.pupils_a[0], host.teacher_a
    LessonPage.objects.filter(pk=tree.lessons[1].pk).update(title=NEXT_LESSON)
    LessonProgress.objects.create(
        user=pupil, lesson=tree.lessons[0], course=tree.course, completed_at=timezone.now()
    )
    due = timezone.now() + timedelta(days=2)
    work = make_assignment(tree.lessons[1], title=WORK, due_at=due)
    make_assignment(tree.lessons[2], title=LONG_WORK[:150], due_at=due + timedelta(days=5))
    make_assignment(tree.lessons[3], title="Рассказать о проекте")  # no due date
    url = live_server.url

    # 1. Log in: the home's "next" panel comes first, the soonest work on top, then the rest.
    login(page, url, pupil.username)
    assert page.url == f"{url}/learn/"
    panel = page.locator(".next-panel")
    assert panel.is_visible()
    assert panel.bounding_box()["y"] < page.locator(".dashboard-grid").bounding_box()["y"]
    items = panel.locator(".next-due .work-item")
    assert items.count() == 3
    first = items.first
    assert first.locator(".work-item-title").inner_text() == WORK
    assert first.locator(".work-badge-not_started").count() == 1
    assert first.locator(".work-item-date time").get_attribute("datetime")
    assert items.last.locator(".work-item-title").inner_text() == "Рассказать о проекте"
    lesson_link = panel.locator(".next-lesson a.next-lesson-link")
    assert NEXT_LESSON in lesson_link.inner_text()
    assert lesson_link.get_attribute("href") == tree.lessons[1].url
    assert page.locator(".bell-count").count() == 0
    assert_screenshot(screenshot(page, "next-panel"))
    assert_screenshot(screenshot_at(page, "next-panel-phone", PHONE))
    page.set_viewport_size(PHONE)
    assert_fits(page, ".next-panel", PHONE["width"])
    page.set_viewport_size({"width": 1280, "height": 900})

    # 2. From the panel to the work; write, save and hand it in.
    with page.expect_navigation():
        first.locator(".work-item-title").click()
    assert page.url == f"{url}/work/assignments/{work.pk}/"
    start = page.locator("form[action$='/start/'] button[type=submit]")
    if start.count():
        with page.expect_navigation():
            start.click()
    draft_form = page.locator("form.draft-form")
    draft_form.locator("textarea[name=text]").fill(PUPIL_TEXT)
    with page.expect_navigation():
        draft_form.locator("button[type=submit]").click()
    page.once("dialog", lambda dialog: dialog.accept())
    with page.expect_navigation():
        page.locator("form.handin-form button[type=submit]").click()
    submission = Submission.objects.get(assignment=work, pupil=pupil)
    assert submission.status == Submission.Status.SUBMITTED

    # 3. Home again: the work has left the list of work due and waits for a grade.
    page.goto(f"{url}/learn/")
    titles = panel.locator(".next-due .work-item-title").all_inner_texts()
    assert WORK not in titles and len(titles) == 2
    assert panel.locator(".next-waiting a[href$='#waiting']").count() == 1
    page.goto(f"{url}/work/gradebook/mine/")
    waiting = page.locator("#waiting .work-item").filter(has_text=WORK)
    assert waiting.locator(".work-badge-handed_in").count() == 1
    assert page.locator("#to-do .work-item").count() == 2
    assert_screenshot(screenshot(page, "my-grades-work"))
    assert_screenshot(screenshot_at(page, "my-grades-work-phone", PHONE))
    # The course page lists its assignments with their dates and states.
    page.goto(f"{url}{tree.course.url}")
    course_work = page.locator(".course-work .work-item")
    assert course_work.count() == 3
    assert course_work.filter(has_text=WORK).locator(".work-badge-handed_in").count() == 1
    assert_screenshot(screenshot(page, "course-work"))
    assert_screenshot(screenshot_at(page, "course-work-phone", PHONE))

    # 4. The teacher returns it for rework: the home shows it with the teacher's words, and the
    # 🔔 its count; the button leads straight to the returned attempt.
    grading.return_for_rework(submission, teacher, FEEDBACK)
    page.goto(f"{url}/learn/")
    assert page.locator(".bell-count").inner_text() == "1"
    returned = panel.locator(".next-returned .returned-item")
    assert returned.count() == 1
    assert returned.locator(".work-item-title").inner_text() == WORK
    words = returned.locator(".teacher-words").inner_text()
    assert "Хорошее начало!" in words and "**" not in words
    assert WORK not in panel.locator(".next-due").inner_text()
    assert_screenshot(screenshot(page, "next-panel-returned"))
    assert_screenshot(screenshot_at(page, "next-panel-returned-phone", PHONE))
    with page.expect_navigation():
        returned.locator("a.btn").click()
    assert page.url == f"{url}/work/assignments/{work.pk}/#attempt-1"
    # The 🔔 list has the encouraging message, linking to the same place.
    page.goto(f"{url}/work/notifications/")
    note = page.locator(".notification-list li.is-unread a")
    assert note.count() == 1
    assert note.get_attribute("href") == f"/work/assignments/{work.pk}/#attempt-1"
    page.locator("form[data-mark-read]").wait_for(state="hidden")
    page.goto(f"{url}/learn/")
    assert page.locator(".bell-count").count() == 0  # marked read: the count is gone

    assert console_errors == []
