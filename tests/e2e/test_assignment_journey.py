"""An assignment from start to finish in a real browser: a pupil hands in a project with two
photos and text, the teacher grades it with the rubric and releases the grade, the pupil reads
the points and the feedback, and the gradebook shows the grade and exports it to XLSX."""

from __future__ import annotations

from decimal import Decimal

import openpyxl
from PIL import Image

from assessments.models import Submission
from tests import builders
from tests.assessments.builders import make_assignment, make_rubric
from tests.e2e.conftest import E2E_MARKS, login, logout, screenshot

pytestmark = E2E_MARKS

PUPIL_TEXT = "Собрали робота на двух моторах. Датчик линии стоит спереди."
FEEDBACK = "**Отлично!** Робот едет ровно, программа понятная."


def assert_screenshot(path) -> None:
    assert path.exists(), path
    assert path.stat().st_size > 10_000, f"{path} is suspiciously small"


def make_photos(folder) -> list[str]:
    """Two real PNG photos of different sizes and colours."""
    paths = []
    for name, size, colour in (
        ("robot-front.png", (640, 480), (220, 60, 40)),
        ("robot-side.png", (480, 640), (40, 120, 220)),
    ):
        picture = Image.new("RGB", size, colour)
        for x in range(0, size[0], 40):  # stripes, so the picture is not a flat colour
            picture.paste((250, 250, 250), (x, 0, x + 10, size[1]))
        path = folder / name
        picture.save(path, format="PNG")
        paths.append(str(path))
    return paths


def thumbnails_loaded(page, selector: str) -> list[int]:
    """The natural widths of the thumbnail images, once each has finished loading."""
    images = page.locator(selector)
    for n in range(images.count()):
        images.nth(n).scroll_into_view_if_needed()  # they load lazily
    page.wait_for_function(
        "sel => [...document.querySelectorAll(sel)].every(img => img.complete)", arg=selector
    )
    page.evaluate("window.scrollTo(0, 0)")  # a full-page screenshot keeps the sticky header up
    return images.evaluate_all("imgs => imgs.map(img => img.naturalWidth)")


def test_pupil_hands_in_photos_teacher_grades_with_rubric_and_gradebook_exports(
    live_server, page, console_errors, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    two = builders.build_two_schools(pupils=1)
    host, tree = two.host, two.tree
    group, pupil, teacher = host.group_a, host.pupils_a[0], host.teacher_a
    lesson = tree.lessons_of(tree.modules[0])[0]
    assignment = make_assignment(
        lesson, rubric=make_rubric(), max_points=Decimal("10"), max_attempts=2
    )
    photos = make_photos(tmp_path)
    url = live_server.url

    # 1. The pupil opens the lesson and follows the link in its assignments box.
    login(page, url, pupil.username)
    page.goto(f"{url}{lesson.url}")
    box = page.locator(".lesson-assignments")
    assert box.is_visible()
    with page.expect_navigation():
        box.locator(f"a.lesson-assignment[href='/work/assignments/{assignment.pk}/']").click()
    assert page.url == f"{url}/work/assignments/{assignment.pk}/"
    assert page.locator(".assignment-header h1").inner_text() == assignment.title
    start = page.locator("form[action$='/start/'] button[type=submit]")
    if start.count():
        with page.expect_navigation():
            start.click()

    # Text and two photos, saved as a draft: both files are listed with their thumbnails.
    draft_form = page.locator("form.draft-form")
    draft_form.locator("textarea[name=text]").fill(PUPIL_TEXT)
    draft_form.locator("input[type=file][name=files]").set_input_files(photos)
    with page.expect_navigation():
        draft_form.locator("button[type=submit]").click()
    work = page.locator(".work-card")
    assert work.locator(".work-file-name").all_inner_texts() == [
        "robot-front.png",
        "robot-side.png",
    ]
    widths = thumbnails_loaded(page, ".work-card img.work-thumb")
    assert len(widths) == 2 and all(w > 0 for w in widths), widths
    assert page.locator("form.draft-form textarea[name=text]").input_value() == PUPIL_TEXT

    # Hands in, confirming the question the page asks.
    page.once("dialog", lambda dialog: dialog.accept())
    with page.expect_navigation():
        page.locator("form.handin-form button[type=submit]").click()
    submission = Submission.objects.get(assignment=assignment, pupil=pupil)
    assert submission.status == Submission.Status.SUBMITTED
    assert submission.files.count() == 2
    attempt = page.locator("article.attempt-submitted")
    assert attempt.count() == 1
    assert PUPIL_TEXT in attempt.locator(".attempt-text").inner_text()
    assert attempt.locator(".work-file").count() == 2
    assert page.locator("form.handin-form").count() == 0
    widths = thumbnails_loaded(page, "article.attempt img.work-thumb")
    assert len(widths) == 2 and all(w > 0 for w in widths), widths
    assert_screenshot(screenshot(page, "assignment-handed-in"))
    logout(page)

    # 2. The teacher goes from the group page to the work to grade and opens the submission.
    login(page, url, teacher.username)
    page.goto(f"{url}/teach/groups/{group.pk}/")
    with page.expect_navigation():
        page.locator(f".page-header a[href='/work/grading/groups/{group.pk}/']").click()
    row = page.locator("table.grading-queue tbody tr").filter(has_text=pupil.get_display_name())
    assert row.count() == 1
    assert "queue-new" in (row.get_attribute("class") or "")
    with page.expect_navigation():
        row.locator(f"a[href='/work/grading/submissions/{submission.pk}/']").click()
    work = page.locator(".grading-work")
    assert PUPIL_TEXT in work.locator(".submission-text").inner_text()
    assert work.locator(".file-list li").count() == 2
    widths = thumbnails_loaded(page, ".grading-work img.work-thumb")
    assert len(widths) == 2 and all(w > 0 for w in widths), widths

    # The top level of each criterion, feedback in Markdown; then save and release.
    rows = page.locator(".rubric-table tr[role=radiogroup]")
    assert rows.count() == 2
    for n in range(2):
        rows.nth(n).locator("td.level-cell").last.click()
        assert rows.nth(n).locator("td.level-cell").last.locator("input").is_checked()
    page.locator(".grading-form textarea[name=feedback]").fill(FEEDBACK)
    assert_screenshot(screenshot(page, "grading-before-release"))
    with page.expect_navigation():
        page.locator(".grading-actions button[name=action][value=release]").click()
    grade = Submission.objects.get(pk=submission.pk).grade
    assert grade.is_released
    assert grade.final_points == Decimal("10")
    assert page.locator(".message-success").is_visible()
    logout(page)

    # 3. The pupil sees the points and the feedback, bold rendered, and "My grades" lists it.
    login(page, url, pupil.username)
    page.goto(f"{url}/work/assignments/{assignment.pk}/")
    # The grade and the feedback are the top of the page (assessments.pupil_page).
    graded = page.locator(".work-top-graded")
    assert graded.count() == 1
    points = graded.locator(".grade-points").inner_text()
    assert "10" in points and ("из 10" in points or "of 10" in points), points
    feedback = graded.locator(".grade-feedback")
    assert feedback.locator("strong").inner_text() == "Отлично!"
    assert "**" not in feedback.inner_text()
    assert all(w > 0 for w in thumbnails_loaded(page, "article.attempt img.work-thumb"))
    assert_screenshot(screenshot(page, "assignment-graded"))
    page.goto(f"{url}/work/gradebook/mine/")
    mine = page.locator(".my-grade").filter(has_text=assignment.title)
    assert mine.count() == 1
    assert mine.locator(".my-grade-points strong").inner_text() == "10"
    assert mine.locator(".feedback strong").inner_text() == "Отлично!"
    assert_screenshot(screenshot(page, "my-grades"))
    # The 🔔 page shows the grade as new; its script marks what it shows read by POST (the GET
    # changes nothing), so the next visit shows it without the "new" mark.
    page.goto(f"{url}/work/notifications/")
    assert page.locator(".notification-list li.is-unread").filter(has_text=assignment.title).count()
    # A locator's wait, not wait_for_function: the page's CSP forbids eval.
    page.locator("form[data-mark-read]").wait_for(state="hidden")
    assert_screenshot(screenshot(page, "notifications"))
    page.reload()
    assert page.locator(".notification-list li.is-unread").count() == 0
    assert page.locator("form[data-mark-read]").count() == 0
    logout(page)

    # 4. The teacher opens the gradebook from the group's course list and exports it.
    login(page, url, teacher.username)
    page.goto(f"{url}/teach/groups/{group.pk}/")
    gradebook_url = f"/work/gradebook/groups/{group.pk}/courses/{tree.course.pk}/"
    with page.expect_navigation():
        page.locator(f"a[href='{gradebook_url}']").click()
    assert page.url == f"{url}{gradebook_url}"
    pupil_row = page.locator("table.gradebook tbody tr").filter(has_text=pupil.username)
    assert pupil_row.count() == 1
    cell = pupil_row.locator("td.grade-cell")
    assert cell.count() == 1
    assert cell.inner_text().strip() == "10"
    assert "is-graded" in (cell.get_attribute("class") or "")
    assert_screenshot(screenshot(page, "gradebook"))
    with page.expect_download() as download_info:
        page.locator(".toolbar a[href*='export.xlsx']").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".xlsx"), download.suggested_filename
    saved = tmp_path / "gradebook.xlsx"
    download.save_as(saved)
    sheet = openpyxl.load_workbook(saved, read_only=True).active
    header, *rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    column = next(i for i, title in enumerate(header) if assignment.title in str(title))
    pupil_rows = [r for r in rows if r[1] == pupil.username]
    assert len(pupil_rows) == 1, rows
    assert pupil_rows[0][0] == pupil.get_display_name()
    assert pupil_rows[0][column] == "10"
    assert pupil_rows[0][-1] == "10"  # the total points

    assert console_errors == []
