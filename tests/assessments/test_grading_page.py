"""The grading page's viewer, running total and feedback preview (issue 15, item 5).

The security of showing a pupil's file inline: only photos we made a thumbnail of and PDFs are
previewed, only to who may grade the work, only when the bytes are what the row says; every
other file stays a download. The feedback's preview goes through the one sanitiser. And the
page's query count stays pinned whatever the number of files."""

from __future__ import annotations

import io
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image

from assessments import file_responses, grading
from assessments.models import Grade, Rubric, Submission, SubmissionFile
from tests.assessments.builders import make_assignment, submit

pytestmark = pytest.mark.django_db

# Pinned: the grading page with a rubric, a saved grade, earlier attempts and a dozen files
# (photos, PDFs, downloads). Was 12 before the viewer; the viewer adds none.
GRADING_PAGE_QUERIES = 9  # was 12: the roles, group rights and the user from the shared cache

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def png(size=(64, 48), colour="orange") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "PNG")
    return out.getvalue()


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def rubric_with_halves() -> Rubric:
    """Two criteria with points a Russian page would write with a comma (2,5)."""
    rubric = Rubric.objects.create(
        title="Проект",
        criteria=[
            {
                "type": "criterion",
                "value": {
                    "title": title,
                    "description": "",
                    "levels": [
                        {"title": "Нет", "points": "0", "description": ""},
                        {"title": "Почти", "points": "2.5", "description": ""},
                        {"title": "Да", "points": "5", "description": ""},
                    ],
                },
            }
            for title in ("Конструкция", "Программа")
        ],
    )
    rubric.table()  # give every level an id, once
    rubric.criteria = rubric.criteria.get_prep_value()
    rubric.save()
    rubric.refresh_from_db()
    return rubric


@pytest.fixture
def world(two_schools):
    w = two_schools
    lesson = w.tree.lessons[0]
    rubric = rubric_with_halves()
    return SimpleNamespace(
        w=w,
        plain=make_assignment(lesson, title="Line follower", late_penalty_per_day=10),
        rubric_task=make_assignment(
            lesson, title="Robot project", rubric=rubric, late_penalty_per_day=10
        ),
        rubric=rubric,
        teacher=w.host.teacher_a,
        pupil=w.host.pupils_a[0],
        group=w.host.group_a,
    )


def stored(work, name, content: bytes, content_type: str, kind: str, thumbnail: bool = False):
    """A handed-in file as add_file leaves it (a thumbnail only for photos Pillow could read)."""
    thumb = default_storage.save("thumbnails/t.jpg", ContentFile(png())) if thumbnail else ""
    return SubmissionFile.objects.create(
        submission=work,
        file=default_storage.save("submissions/f.bin", ContentFile(content)),
        display_name=name,
        kind=kind,
        content_type=content_type,
        size=len(content),
        thumbnail=thumb,
    )


def photo(work, name="робот.png", **extra):
    return stored(work, name, png(), "image/png", "image", thumbnail=True, **extra)


def pdf(work, name="отчёт.pdf"):
    return stored(work, name, PDF, "application/pdf", "pdf")


def grade_url(work) -> str:
    return reverse("assessments:grading_submission", args=[work.pk])


def preview_url(row) -> str:
    return reverse("assessments:grading_file_preview", args=[row.pk])


def feedback_preview_url(work) -> str:
    return reverse("assessments:grading_feedback_preview", args=[work.pk])


# --- The viewer on the page ---------------------------------------------------------------------


def test_photos_and_pdfs_are_previewed_and_the_rest_are_downloads(client, world):
    work = submit(world.plain, world.pupil, world.group)
    first, second = photo(work, "спереди.png"), photo(work, "сбоку.png")
    report = pdf(work)
    heic = stored(work, "IMG_1.heic", b"\0\0\0\x18ftypheic", "image/heic", "image")
    huge = stored(work, "огромное.png", png(), "image/png", "image")  # no thumbnail: not safe
    page_html = stored(work, "index.html", b"<script>x</script>", "text/plain", "text")
    client.force_login(world.teacher)
    html = client.get(grade_url(work)).content.decode()

    for row in (first, second, report):
        assert f'src="{preview_url(row)}' in html
    assert html.count('class="viewer-slide ') == 3
    assert 'data-slide="1"' in html and 'data-slide="3"' in html
    assert html.count("<iframe") == 1 and 'class="viewer-media viewer-pdf"' in html
    for row in (heic, huge, page_html):  # only their download link
        assert preview_url(row) not in html
        assert reverse("assessments:submission_file", args=[row.pk]) in html
    assert 'src="/static/js/grading.js"' in html and "css/grading.css" in html
    assert "<dialog" in html and "data-viewer-dialog" in html


def test_a_work_without_previews_has_no_viewer(client, world):
    work = submit(world.plain, world.pupil, world.group)
    stored(work, "проект.zip", b"PK\x03\x04rest", "application/zip", "archive")
    client.force_login(world.teacher)
    html = client.get(grade_url(work)).content.decode()
    assert "data-viewer" not in html and "<dialog" not in html
    assert "проект.zip" in html


def test_the_page_runs_no_inline_script_and_writes_no_style_attribute(client, world):
    work = submit(world.rubric_task, world.pupil, world.group)
    photo(work)
    pdf(work)
    client.force_login(world.teacher)
    html = client.get(grade_url(work)).content.decode()
    assert "<script>" not in html and " style=" not in html and "onclick" not in html


def test_query_count_is_pinned_and_does_not_grow_with_files(client, world):
    def prepare(pupil, files: int, attempts: int) -> Submission:
        for attempt in range(1, attempts):
            earlier = submit(world.rubric_task, pupil, world.group, attempt=attempt)
            grading.return_for_rework(earlier, world.teacher, f"Попытка {attempt}")
        work = submit(world.rubric_task, pupil, world.group, attempt=attempts)
        for n in range(files):
            if n % 3 == 0:
                photo(work)
            elif n % 3 == 1:
                pdf(work)
            else:
                stored(work, f"{n}.zip", b"PK\x03\x04", "application/zip", "archive")
        levels = {c.id: c.levels[1].id for c in world.rubric.table()}
        grading.save_grade(work, world.teacher, rubric_levels=levels, feedback="**Да**")
        return work

    small = prepare(world.w.host.pupils_a[0], files=1, attempts=2)
    large = prepare(world.w.host.pupils_a[1], files=12, attempts=5)
    client.force_login(world.teacher)
    counts = []
    for work in (small, large):
        client.get(grade_url(work))  # warm caches
        with CaptureQueriesContext(connection) as queries:
            response = client.get(grade_url(work))
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts == [GRADING_PAGE_QUERIES, GRADING_PAGE_QUERIES], counts


# --- The running total --------------------------------------------------------------------------


def test_the_total_starts_from_the_saved_levels_with_points_the_script_can_read(client, world):
    """Under Russian the page writes 2,5; the radios carry 2.5 for the script."""
    work = submit(world.rubric_task, world.pupil, world.group)
    Submission.objects.filter(pk=work.pk).update(is_late=True, late_days=2)
    build, program = world.rubric.table()
    levels = {build.id: build.levels[1].id, program.id: program.levels[2].id}
    grading.save_grade(work, world.teacher, rubric_levels=levels)
    client.force_login(world.teacher)
    html = client.get(grade_url(work)).content.decode()  # Russian, the default
    assert 'data-points="2.50"' in html or 'data-points="2.5"' in html
    assert 'data-points="2,5' not in html
    assert 'data-max="10' in html and 'data-penalty="20"' in html and 'data-criteria="2"' in html
    assert "<strong data-total-points>7,5</strong>" in html  # as the script writes it
    assert "<span data-total-chosen>2</span>" in html
    assert "<strong data-total-final>6</strong>" in html  # 7.5 less 20 %


def test_the_total_before_any_level_is_chosen(client, world, english):
    work = submit(world.rubric_task, world.pupil, world.group)
    client.cookies["django_language"] = "en"
    client.force_login(world.teacher)
    html = client.get(grade_url(work)).content.decode()
    assert "Total: <strong data-total-points>0</strong> of 10" in html
    assert "Criteria chosen: <span data-total-chosen>0</span> of 2" in html
    assert "data-total-final" not in html  # handed in on time: no penalty line


def test_the_server_sum_is_the_grade_whatever_the_page_showed(client, world):
    work = submit(world.rubric_task, world.pupil, world.group)
    build, program = world.rubric.table()
    client.force_login(world.teacher)
    data = {
        "action": "release",
        f"level_{build.id}": build.levels[1].id,
        f"level_{program.id}": program.levels[1].id,
        "points": "10",  # a forged field: a rubric grade has no typed points
    }
    assert client.post(grade_url(work), data).status_code == 302
    assert Grade.objects.get(submission=work).points == Decimal("5")


# --- The inline preview of a file -----------------------------------------------------------


def test_a_photo_preview_is_inline_and_keeps_the_sandbox(client, world):
    work = submit(world.plain, world.pupil, world.group)
    row = photo(work, 'робот "1".png')
    client.force_login(world.teacher)
    response = client.get(preview_url(row))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("inline")
    csp = response["Content-Security-Policy"]
    assert "default-src 'none'" in csp and "sandbox" in csp and "frame-ancestors 'self'" in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert response["Cache-Control"] == "private, no-store"
    assert response["Cross-Origin-Resource-Policy"] == "same-origin"
    assert b"".join(response.streaming_content) == png()


def test_a_pdf_preview_is_inline_without_sandbox_but_runs_nothing(client, world):
    """Chromium will not start its PDF viewer under a CSP sandbox (assessments.file_responses)."""
    work = submit(world.plain, world.pupil, world.group)
    row = pdf(work)
    client.force_login(world.teacher)
    response = client.get(preview_url(row))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline")
    csp = response["Content-Security-Policy"]
    assert csp == "default-src 'none'; frame-ancestors 'self'"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    # The ordinary link still downloads it, sandboxed.
    download = client.get(reverse("assessments:submission_file", args=[row.pk]))
    assert download["Content-Disposition"].startswith("attachment")
    assert "sandbox" in download["Content-Security-Policy"]


@pytest.mark.parametrize(
    ("name", "content", "content_type", "kind", "thumbnail"),
    [
        # What a browser would run or draw as a page: never inline, whatever the row says.
        ("page.html", b"<html><script>alert(1)</script>", "text/html", "text", False),
        ("page.html", b"<html><script>alert(1)</script>", "text/plain", "text", False),
        ("pic.svg", b"<svg onload=alert(1)></svg>", "image/svg+xml", "image", True),
        ("app.js", b"alert(1)", "text/plain; charset=utf-8", "text", False),
        # A row that says PNG over other bytes (a polyglot, or a row edited by hand).
        ("fake.png", b"<html><script>alert(1)</script>", "image/png", "image", True),
        ("fake.pdf", b"<html><script>alert(1)</script>", "application/pdf", "pdf", False),
        # Kinds a browser cannot show, or not safely: downloads only.
        ("IMG_1.heic", b"\0\0\0\x18ftypheic....", "image/heic", "image", False),
        ("big.png", b"\x89PNG\r\n\x1a\n....", "image/png", "image", False),  # no thumbnail
        ("clip.mp4", b"\0\0\0\x18ftypisom", "video/mp4", "video", False),
        ("notes.docx", b"PK\x03\x04", "application/vnd.oasis.opendocument.text", "document", False),
    ],
)  # fmt: skip
def test_anything_else_is_never_shown_inline(
    client, world, name, content, content_type, kind, thumbnail
):
    work = submit(world.plain, world.pupil, world.group)
    row = stored(work, name, content, content_type, kind, thumbnail=thumbnail)
    client.force_login(world.teacher)
    assert client.get(preview_url(row)).status_code == 404
    download = client.get(reverse("assessments:submission_file", args=[row.pk]))
    assert download.status_code == 200 and download["Content-Disposition"].startswith("attachment")


def test_only_who_grades_the_group_sees_a_preview(client, world):
    work = submit(world.plain, world.pupil, world.group)
    row = photo(work)
    url = preview_url(row)
    host, visiting = world.w.host, world.w.visiting
    for user in (world.pupil, host.teacher_b, host.admin, visiting.teacher_a, visiting.admin):
        client.force_login(user)
        assert client.get(url).status_code == 404, user
    client.force_login(world.pupil)  # the pupil keeps the ordinary download of their own file
    assert client.get(reverse("assessments:submission_file", args=[row.pk])).status_code == 200
    client.logout()
    assert client.get(url).status_code == 302
    client.force_login(world.teacher)
    assert client.get(url).status_code == 200
    assert client.post(url).status_code == 405
    missing = reverse("assessments:grading_file_preview", args=[999_999])
    assert client.get(missing).status_code == 404


def test_a_preview_of_a_file_gone_from_storage_is_404(client, world):
    work = submit(world.plain, world.pupil, world.group)
    row = photo(work)
    default_storage.delete(row.file.name)
    client.force_login(world.teacher)
    assert client.get(preview_url(row)).status_code == 404


def test_inline_kind_is_the_one_rule():
    kind = file_responses.inline_kind
    assert kind("image/jpeg", has_thumbnail=True) == "image"
    assert kind("image/webp", has_thumbnail=True) == "image"
    assert kind("image/jpeg", has_thumbnail=False) is None
    assert kind("application/pdf", has_thumbnail=False) == "pdf"
    for other in ("image/svg+xml", "text/html", "image/heic", "text/plain", "video/mp4", ""):
        assert kind(other, has_thumbnail=True) is None


# --- The feedback's preview ---------------------------------------------------------------------


def test_feedback_preview_goes_through_the_one_sanitiser(client, world):
    work = submit(world.plain, world.pupil, world.group)
    client.force_login(world.teacher)
    text = (
        "**Молодец**\n\n- раз\n- два\n\n`код` [ссылка](https://example.org) "
        '<script>alert(1)</script> [x](javascript:alert(1)) <img src=x onerror="alert(1)">'
        " ![пиксель](https://tracker.example/p.png)"
    )
    response = client.post(feedback_preview_url(work), {"text": text})
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    html = response.json()["html"]
    assert "<strong>Молодец</strong>" in html and "<li>раз</li>" in html
    assert "<code>код</code>" in html and 'href="https://example.org"' in html
    assert "<script" not in html and "<img" not in html and 'href="javascript' not in html
    assert "&lt;script&gt;" in html  # raw HTML is text in markdown here
    assert 'src="https://tracker.example' not in html  # no pictures from other sites: a link
    assert not Grade.objects.exists()  # a preview changes nothing


def test_feedback_preview_of_nothing_and_of_too_much(client, world):
    work = submit(world.plain, world.pupil, world.group)
    client.force_login(world.teacher)
    assert client.post(feedback_preview_url(work), {"text": "  "}).json() == {"html": ""}
    response = client.post(
        feedback_preview_url(work), {"text": "x" * (grading.FEEDBACK_MAX_CHARS + 1)}
    )
    assert response.status_code == 400 and response.json()["error"]


def test_feedback_preview_is_for_who_grades_the_work(client, world):
    work = submit(world.plain, world.pupil, world.group)
    url = feedback_preview_url(work)
    host = world.w.host
    for user in (world.pupil, host.teacher_b, host.admin, world.w.visiting.teacher_a):
        client.force_login(user)
        assert client.post(url, {"text": "x"}).status_code == 404, user
    client.force_login(world.teacher)
    assert client.get(url).status_code == 405
    missing = reverse("assessments:grading_feedback_preview", args=[999_999])
    assert client.post(missing, {"text": "x"}).status_code == 404
    client.logout()
    assert client.post(url, {"text": "x"}).status_code == 302


def test_feedback_preview_needs_the_csrf_token(world):
    from django.test import Client

    work = submit(world.plain, world.pupil, world.group)
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(world.teacher)
    assert strict.post(feedback_preview_url(work), {"text": "x"}).status_code == 403


def test_the_toolbar_and_preview_are_on_the_page(client, world, english):
    work = submit(world.plain, world.pupil, world.group)
    client.cookies["django_language"] = "en"
    client.force_login(world.teacher)
    html = client.get(grade_url(work)).content.decode()
    assert f'data-preview-url="{feedback_preview_url(work)}"' in html
    for tool in ("bold", "list", "link", "code"):
        assert f'data-md="{tool}"' in html
    assert 'role="toolbar"' in html and "data-md-output" in html
    # The stored form stays markdown: the textarea posts the text as typed.
    response = client.post(
        grade_url(work), {"action": "draft", "points": "5", "feedback": "**Да**"}
    )
    assert response.status_code == 302
    assert Grade.objects.get(submission=work).feedback == "**Да**"
