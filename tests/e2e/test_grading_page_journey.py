"""The grading page in a real browser (issue 15, item 5): a teacher opens a work with two photos
and a PDF, steps through them with the buttons, the arrow keys and the larger view, picks rubric
levels and watches the running total, formats and previews the feedback, and saves: the grade
is the server's sum, the feedback is stored as markdown. Screenshots at a desktop's width and a
phone's (390 px); no sideways scrolling on the phone."""

from __future__ import annotations

import io
import re
from datetime import timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image, ImageDraw

from assessments import submissions
from assessments.models import Rubric, Submission
from tests import builders
from tests.assessments.builders import make_assignment
from tests.e2e.conftest import (
    DESKTOP,
    E2E_MARKS,
    PHONE,
    SCREENSHOT_DIR,
    login,
    screenshot_at,
)

pytestmark = E2E_MARKS

PUPIL_TEXT = "Собрали робота на двух моторах. Фото спереди и сбоку, отчёт в PDF."
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 300 200]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def photo(name: str, size: tuple[int, int], colour: tuple[int, int, int]) -> SimpleUploadedFile:
    """A picture with a label and stripes, so it is not a flat colour."""
    picture = Image.new("RGB", size, colour)
    draw = ImageDraw.Draw(picture)
    for x in range(0, size[0], 60):
        draw.rectangle((x, 0, x + 12, size[1]), fill=(250, 250, 250))
    draw.text((20, 20), name, fill=(0, 0, 0))
    out = io.BytesIO()
    picture.save(out, "PNG")
    return SimpleUploadedFile(name, out.getvalue())


def rubric() -> Rubric:
    criteria = [
        ("Конструкция", [("Не собрана", "0"), ("Шатается", "2"), ("Надёжная", "4")]),
        ("Программа", [("Нет", "0"), ("Едет", "2.5"), ("Едет по линии", "4")]),
        ("Отчёт", [("Нет", "0"), ("Есть", "2")]),
    ]
    made = Rubric.objects.create(
        title="Робот",
        criteria=[
            {
                "type": "criterion",
                "value": {
                    "title": title,
                    "description": "",
                    "levels": [{"title": t, "points": p, "description": ""} for t, p in levels],
                },
            }
            for title, levels in criteria
        ],
    )
    made.table()
    made.criteria = made.criteria.get_prep_value()
    made.save()
    made.refresh_from_db()
    return made


def handed_in(assignment, pupil) -> Submission:
    state = submissions.pupil_state(pupil, assignment)
    draft = submissions.start_draft(state, pupil)
    submissions.save_text(draft, PUPIL_TEXT)
    submissions.add_file(draft, photo("robot-front.png", (1200, 900), (220, 60, 40)))
    submissions.add_file(draft, photo("robot-side.png", (800, 1000), (40, 120, 220)))
    submissions.add_file(draft, SimpleUploadedFile("report.pdf", PDF))
    return submissions.submit(draft, state)


# A full-page screenshot keeps sticky boxes where the window's edges were: the running total
# (stuck to the window's bottom while the rubric is filled in) would be drawn mid-page. For
# the whole-page pictures it is put back in its place; `window_shots` shows it stuck.
UNSTICK = ".rubric-total { position: static !important; }"


def shots(page, name: str) -> None:
    page.evaluate("window.scrollTo(0, 0)")
    style = page.add_style_tag(content=UNSTICK)
    for suffix, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
        path = screenshot_at(page, f"{name}-{suffix}", viewport)
        assert path.stat().st_size > 10_000, path
    style.evaluate("node => node.remove()")


def window_shots(page, name: str, scroll_to: str | None = None) -> None:
    """What the window shows (a modal dialog covers the window, not the whole page), with the
    element `scroll_to` a little below the window's top."""
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    for suffix, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
        page.set_viewport_size(viewport)
        if scroll_to:
            page.locator(scroll_to).first.evaluate(
                "node => window.scrollTo(0, node.getBoundingClientRect().top + scrollY - 240)"
            )
        path = SCREENSHOT_DIR / f"{name}-{suffix}.png"
        page.screenshot(path=str(path))
        assert path.stat().st_size > 5_000, path
    page.set_viewport_size(DESKTOP)


def no_sideways_scroll(page) -> None:
    page.set_viewport_size(PHONE)
    try:
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"{page.url} is {width}px wide at 390px"
    finally:
        page.set_viewport_size(DESKTOP)


def shown_slide(page) -> str:
    """The name of the file the viewer shows (the one slide not hidden)."""
    return page.locator(".viewer-slide:not([hidden]) .viewer-name").inner_text()


def image_loaded(page, selector: str) -> dict:
    page.wait_for_function(
        "s => { const i = document.querySelector(s); return i && i.complete && i.naturalWidth }",
        arg=selector,
    )
    return page.evaluate(
        "sel => { const r = document.querySelector(sel).getBoundingClientRect();"
        " return {width: r.width, height: r.height} }",
        selector,
    )


def test_teacher_steps_through_photos_sees_the_total_previews_feedback_and_saves(
    live_server, page, console_errors, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    two = builders.build_two_schools(pupils=1)
    host = two.host
    pupil, teacher = host.pupils_a[0], host.teacher_a
    lesson = two.tree.lessons_of(two.tree.modules[0])[0]
    assignment = make_assignment(
        lesson,
        title="Робот едет по линии",
        rubric=rubric(),
        accepted_types="images, pdf",
        due_at=timezone.now() + timedelta(days=3),
    )
    work = handed_in(assignment, pupil)
    assert [f.display_name for f in work.files.all()] == [
        "robot-front.png",
        "robot-side.png",
        "report.pdf",
    ]
    url = live_server.url
    login(page, url, teacher.username)
    page.goto(f"{url}/work/grading/submissions/{work.pk}/")

    # 1. The viewer shows the first photo at a readable size, one file at a time.
    viewer = page.locator(".work-viewer")
    assert viewer.locator(".viewer-bar").is_visible()
    assert page.locator(".viewer-slide:not([hidden])").count() == 1
    assert shown_slide(page) == "robot-front.png"
    box = image_loaded(page, ".viewer-slide:not([hidden]) img")
    assert box["width"] >= 400, box  # not a 56 px thumbnail
    position = viewer.locator("[data-viewer-position]")
    assert re.fullmatch(r"1\D+3", position.inner_text().strip()), position.inner_text()
    current = page.locator(".file-list li.is-current .work-file-name")
    assert current.inner_text() == "robot-front.png"
    shots(page, "grading-viewer")
    no_sideways_scroll(page)

    # 2. Next, previous, the arrow keys, the file list: each shows its file.
    viewer.locator("[data-viewer-next]").click()
    assert shown_slide(page) == "robot-side.png"
    assert re.match(r"2\D", position.inner_text().strip())
    image_loaded(page, ".viewer-slide:not([hidden]) img")
    page.keyboard.press("ArrowRight")  # the focus is on the viewer's button
    assert shown_slide(page) == "report.pdf"
    pdf_frame = page.locator(".viewer-slide:not([hidden]) iframe.viewer-pdf")
    assert pdf_frame.is_visible()
    assert pdf_frame.get_attribute("src").startswith("/work/grading/files/")
    page.keyboard.press("ArrowRight")  # round to the first
    assert shown_slide(page) == "robot-front.png"
    page.keyboard.press("ArrowLeft")
    assert shown_slide(page) == "report.pdf"
    page.locator(".file-list a[data-viewer-show='2']").click()
    assert shown_slide(page) == "robot-side.png"
    assert current.inner_text() == "robot-side.png"

    # 3. The larger view fills the window; the arrows step there too; Escape closes it.
    viewer.locator("[data-viewer-zoom]").click()
    dialog = page.locator("dialog.viewer-dialog")
    assert dialog.is_visible()
    big = image_loaded(page, "dialog.viewer-dialog img")
    assert big["height"] >= 600, big  # a 1000 px tall photo in a 900 px window
    assert dialog.locator("[data-viewer-dialog-name]").inner_text() == "robot-side.png"
    window_shots(page, "grading-viewer-larger")
    page.keyboard.press("ArrowLeft")
    assert dialog.locator("[data-viewer-dialog-name]").inner_text() == "robot-front.png"
    page.keyboard.press("Escape")
    assert not dialog.is_visible()
    assert shown_slide(page) == "robot-front.png"

    # 4. The rubric: the total follows the levels as they are picked.
    total = page.locator("[data-total-points]")
    chosen = page.locator("[data-total-chosen]")
    assert total.inner_text() == "0" and chosen.inner_text() == "0"
    rows = page.locator(".rubric-table tr[role=radiogroup]")
    assert rows.count() == 3
    rows.nth(0).locator("td.level-cell").nth(2).click()  # 4
    assert total.inner_text() == "4" and chosen.inner_text() == "1"
    rows.nth(1).locator("td.level-cell").nth(1).click()  # 2.5
    assert total.inner_text() == "6,5"  # the page's language: Russian
    rows.nth(2).locator("td.level-cell").nth(1).click()  # 2
    assert total.inner_text() == "8,5" and chosen.inner_text() == "3"
    rows.nth(0).locator("td.level-cell").nth(1).click()  # 4 -> 2
    assert total.inner_text() == "6,5"
    assert "is-complete" in page.locator("[data-rubric-total]").get_attribute("class")
    # The rubric in the window, the total stuck to its bottom.
    window_shots(page, "grading-rubric-total", scroll_to=".rubric-table tr[role=radiogroup]")

    # 5. The feedback: bold from the toolbar, a list, then the server's preview.
    feedback = page.locator("textarea[name=feedback]")
    feedback.fill("Молодцы")
    feedback.evaluate("t => t.setSelectionRange(0, t.value.length)")
    page.locator("[data-md=bold]").click()
    assert feedback.input_value() == "**Молодцы**"
    feedback.press("End")
    feedback.type("\n\nЧто улучшить:\nдатчик ближе к полу")
    page.locator("[data-md=list]").click()
    assert feedback.input_value().endswith("\n\n- датчик ближе к полу")
    page.locator("[data-md=code]").click()
    feedback.type("speed = 80")
    assert "`speed = 80`" in feedback.input_value()
    page.locator("[data-md-preview]").click()
    preview = page.locator("[data-md-output]")
    preview.locator("strong").wait_for()
    assert preview.locator("strong").inner_text() == "Молодцы"
    assert preview.locator("li").count() == 1 and preview.locator("code").count() == 1
    assert not feedback.is_visible()
    shots(page, "grading-feedback-preview")
    no_sideways_scroll(page)
    page.locator("[data-md-preview]").click()  # back to the text
    assert feedback.is_visible()
    typed = feedback.input_value()

    # 6. Save and release: the grade is the server's sum, the feedback stays markdown.
    with page.expect_navigation():
        page.locator(".grading-actions button[name=action][value=release]").click()
    grade = Submission.objects.get(pk=work.pk).grade
    assert grade.is_released and grade.points == Decimal("6.5")
    # As typed (a browser posts a textarea's line ends as CRLF).
    assert grade.feedback.replace("\r\n", "\n") == typed
    assert grade.feedback.startswith("**Молодцы**")
    assert page.locator(".message-success").first.is_visible()
    assert console_errors == []


def test_the_saved_page_shows_the_saved_total_and_late_penalty(
    live_server, page, settings, tmp_path
):
    """Opened again: the total starts from the saved levels, and a late work shows the points
    after the penalty as the server computes them."""
    from assessments import grading

    settings.MEDIA_ROOT = tmp_path / "media"
    two = builders.build_two_schools(pupils=1)
    host = two.host
    pupil, teacher = host.pupils_a[0], host.teacher_a
    lesson = two.tree.lessons_of(two.tree.modules[0])[0]
    made = rubric()
    assignment = make_assignment(
        lesson, title="Робот", rubric=made, accepted_types="images, pdf", late_penalty_per_day=10
    )
    work = handed_in(assignment, pupil)
    Submission.objects.filter(pk=work.pk).update(is_late=True, late_days=1)
    levels = {c.id: c.levels[1].id for c in made.table()}  # 2 + 2.5 + 2
    grading.save_grade(work, teacher, rubric_levels=levels)
    login(page, live_server.url, teacher.username)
    page.goto(f"{live_server.url}/work/grading/submissions/{work.pk}/")
    assert page.locator("[data-total-points]").inner_text() == "6,5"
    final = page.locator("[data-total-final]")
    assert final.inner_text() == "5,85"  # 6.5 less 10 %
    page.locator(".rubric-table tr[role=radiogroup]").nth(0).locator("td.level-cell").nth(2).click()
    assert page.locator("[data-total-points]").inner_text() == "8,5"
    assert final.inner_text() == "7,65"
    assert Submission.objects.get(pk=work.pk).grade.final_points == Decimal("5.85")
