"""A pupil's way through the site in a real browser: log in, open the course, read a lesson,
mark it done and see the progress move. And what outsiders see when they open a lesson."""

from __future__ import annotations

import re

from tests import builders
from tests.e2e.conftest import E2E_MARKS, login, screenshot

pytestmark = E2E_MARKS

PROGRESS_1_OF_4 = re.compile(r"\b1\s+(of|из)\s+4\b")
PROGRESS_0_OF_4 = re.compile(r"\b0\s+(of|из)\s+4\b")


def assert_screenshot(path) -> None:
    assert path.exists(), path
    assert path.stat().st_size > 10_000, f"{path} is suspiciously small"


def test_pupil_reads_a_lesson_marks_it_done_and_sees_progress(live_server, page, console_errors):
    tree = builders.build_course()
    school = builders.build_school("a")
    builders.enrol(school.group_a, tree)
    pupil = school.pupils_a[0]
    lesson = tree.lessons[0]

    # Log in through the form; the login redirect lands on "My courses".
    login(page, live_server.url, pupil.username)
    assert page.url == f"{live_server.url}/learn/"
    card = page.locator(".dash-card").filter(has_text=tree.course.title)
    assert card.count() == 1
    progress = card.locator("progress")
    assert progress.get_attribute("value") == "0"
    assert progress.get_attribute("max") == "4"
    assert PROGRESS_0_OF_4.search(card.locator(".progress-label").inner_text())
    assert_screenshot(screenshot(page, "dashboard-before"))

    # Open the course and its first lesson from the outline.
    with page.expect_navigation():
        card.locator("h2 a").click()
    assert page.locator(".course-hero h1").inner_text() == tree.course.title
    assert page.locator(".join-box").count() == 0
    first_lesson_link = page.locator(".course-outline .outline-lesson a").first
    assert first_lesson_link.inner_text() == lesson.title
    with page.expect_navigation():
        first_lesson_link.click()

    # Read it: title, rendered markdown table, highlighted code, callout.
    assert page.url.endswith(lesson.url)
    assert page.locator(".lesson-header h1").inner_text() == lesson.title
    body = page.locator(".lesson-body")
    table = body.locator("table")
    assert table.is_visible()
    assert table.locator("th").all_inner_texts() == ["a", "b"]
    assert body.locator("strong", has_text="робота").is_visible()
    code = body.locator("pre").first
    assert code.is_visible()
    assert "print(i)" in code.inner_text()
    assert body.get_by_text("Паяльник горячий!").is_visible()
    assert page.locator(".done-badge").count() == 0
    assert_screenshot(screenshot(page, "lesson"))

    # Mark it done: the page comes back with the completion state.
    with page.expect_navigation():
        page.locator("form.done-form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.url.endswith(lesson.url)
    assert page.locator(".done-badge").is_visible()
    assert page.locator("form.done-form .done-note").is_visible()
    assert page.locator("form.done-form input[name=done]").get_attribute("value") == "0"
    assert page.locator(".message-success").is_visible()
    sidebar_progress = page.locator(".lesson-sidebar progress")
    assert sidebar_progress.get_attribute("value") == "1"
    current = page.locator(".lesson-sidebar .outline-lesson.is-current")
    assert "is-done" in (current.get_attribute("class") or "")
    assert_screenshot(screenshot(page, "lesson-done"))

    # The course page and the dashboard both show 1 of 4.
    page.goto(f"{live_server.url}{tree.course.url}")
    hero_progress = page.locator(".course-hero progress")
    assert hero_progress.get_attribute("value") == "1"
    assert PROGRESS_1_OF_4.search(page.locator(".course-hero .progress-label").inner_text())

    with page.expect_navigation():
        page.locator(".main-nav a[href='/learn/']").click()
    assert page.url == f"{live_server.url}/learn/"
    card = page.locator(".dash-card").filter(has_text=tree.course.title)
    assert card.locator("progress").get_attribute("value") == "1"
    assert PROGRESS_1_OF_4.search(card.locator(".progress-label").inner_text())
    assert_screenshot(screenshot(page, "dashboard-after"))

    assert console_errors == []


def test_outsiders_opening_a_lesson_get_the_overview_with_how_to_join(live_server, page):
    tree = builders.build_course()
    enrolled = builders.build_school("a")
    builders.enrol(enrolled.group_a, tree)
    outsider = builders.build_school("b").pupils_a[0]
    lesson_url = f"{live_server.url}{tree.lessons[0].url}"

    # Anonymous visitor: 403 with why the lesson is locked, a login link and the course's
    # programme (tests/e2e/test_visitor_journey.py goes through it in detail).
    response = page.goto(lesson_url)
    assert response.status == 403
    assert page.locator(".locked-lesson h1").inner_text() == tree.lessons[0].title
    assert page.locator(".locked-course h2").inner_text() == tree.course.title
    assert page.locator(".notice-locked").is_visible()
    assert page.locator(".lesson-body").count() == 0
    panel = page.locator(".locked-lesson")
    login_link = panel.locator("a[href^='/login/']")
    assert login_link.is_visible()
    assert "next=" in (login_link.get_attribute("href") or "")
    screenshot(page, "lesson-anonymous")

    # A pupil of a school whose groups are not enrolled: the "ask your teacher for a code"
    # text instead of the login link, and no lesson links.
    login(page, live_server.url, outsider.username)
    response = page.goto(lesson_url)
    assert response.status == 403
    panel = page.locator(".locked-lesson")
    assert panel.is_visible()
    assert panel.locator("a[href^='/login/']").count() == 0
    assert panel.locator("a[href='/join/']").is_visible()
    assert page.locator(".course-outline .outline-lesson a").count() == 0
    assert page.locator(".lesson-body").count() == 0
    screenshot(page, "lesson-not-enrolled")
