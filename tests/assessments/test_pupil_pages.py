"""The pupil's assignment page through the browser's eyes: drafts, files, handing in, attempts,
deadlines, bad files, who may open what (404 for everyone else), and the lesson's list."""

from __future__ import annotations

import io
from datetime import timedelta
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.http.multipartparser import MultiPartParser
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from assessments.models import Grade, Submission, SubmissionFile
from tests.assessments.builders import make_assignment

pytestmark = pytest.mark.django_db

MB = 1024 * 1024
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalogue >> endobj\ntrailer << >>\n%%EOF\n"
PROGRAM = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 256
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
BOUNDARY = "pupil-pages-boundary"


# --- helpers ----------------------------------------------------------------------------------


def png(color=(200, 30, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (80, 60), color).save(out, "PNG")
    return out.getvalue()


def multipart(fields: dict[str, str], files: list[tuple[str, bytes, str]]) -> dict:
    """A raw multipart body as a browser sends it (the test client would strip "../" and
    never send an empty file name through untouched)."""
    parts = [
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in fields.items()
    ]
    for filename, data, content_type in files:
        head = (
            f"--{BOUNDARY}\r\nContent-Disposition: form-data; "
            f'name="files"; filename="{filename}"\r\nContent-Type: {content_type}\r\n\r\n'
        )
        parts.append(head.encode() + data + b"\r\n")
    parts.append(f"--{BOUNDARY}--\r\n".encode())
    return {"data": b"".join(parts), "content_type": f"multipart/form-data; boundary={BOUNDARY}"}


def url(name: str, *args) -> str:
    return reverse(f"assessments:{name}", args=args)


def login(client: Client, user) -> Client:
    client.force_login(user)
    client.cookies["django_language"] = "en"
    return client


def said(response) -> str:
    return " | ".join(str(message) for message in get_messages(response.wsgi_request))


def save(client, assignment, *, attempt=1, text="", files=()):
    fields = {"attempt": str(attempt), "text": text}
    return client.post(url("save_draft", assignment.pk), **multipart(fields, list(files)))


def hand_in(client, assignment, attempt=1):
    return client.post(url("submit", assignment.pk), {"attempt": attempt})


def stored_files(root) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()}


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def world(two_schools, media):
    s = two_schools
    lesson = s.tree.lessons[0]  # module 1: the host's a-1 and the visiting v-1 take it
    assignment = make_assignment(
        lesson,
        instructions="Собери **робота** и сфотографируй его.",
        accepted_types="images, pdf, code",
        max_attempts=2,
        max_file_mb=1,
    )
    return SimpleNamespace(
        s=s, lesson=lesson, assignment=assignment, pupil=s.host.pupils_a[0], media=media
    )


def pupil_with_work(client, world, text="Мой робот едет по линии."):
    """The pupil of a-1 has a draft with a photo and a PDF."""
    login(client, world.pupil)
    response = save(
        client,
        world.assignment,
        text=text,
        files=[("front.png", png(), "image/png"), ("report.pdf", PDF, "application/pdf")],
    )
    assert response.status_code == 302, said(response)
    return Submission.objects.get(assignment=world.assignment, pupil=world.pupil)


# --- the journey ------------------------------------------------------------------------------


def test_pupil_saves_uploads_removes_and_hands_in(client, world):
    a = world.assignment
    login(client, world.pupil)
    page = client.get(url("assignment", a.pk))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Робот едет по линии" in html and "<strong>робота</strong>" in html
    assert 'type="file"' in html and "multiple" in html and 'name="text"' in html
    assert "0 of 2 used" in html and "up to 1.0" in html

    response = save(
        client,
        a,
        text="Мой робот едет по линии.",
        files=[
            ("front.png", png(), "image/png"),
            ("side.png", png((0, 0, 255)), "image/png"),
            ("report.pdf", PDF, "application/pdf"),
        ],
    )
    assert response.status_code == 302
    assert "3 files added" in said(response)
    draft = Submission.objects.get(assignment=a, pupil=world.pupil)
    assert draft.status == Submission.Status.DRAFT
    assert draft.text == "Мой робот едет по линии."
    files = {f.display_name: f for f in draft.files.all()}
    assert sorted(files) == ["front.png", "report.pdf", "side.png"]
    assert files["front.png"].content_type == "image/png" and files["front.png"].thumbnail
    assert files["report.pdf"].content_type == "application/pdf"

    html = client.get(url("assignment", a.pk)).content.decode()
    assert "side.png" in html and "data-confirm" in html
    assert url("remove_file", a.pk, files["side.png"].pk) in html
    assert url("submit", a.pk) in html

    side = files["side.png"]
    response = client.post(url("remove_file", a.pk, side.pk))
    assert "“side.png” removed" in said(response)
    assert draft.files.count() == 2
    assert not (world.media / side.file.name).exists()

    response = hand_in(client, a)
    assert "Handed in!" in said(response)
    draft.refresh_from_db()
    assert draft.status == Submission.Status.SUBMITTED and draft.submitted_at is not None
    assert not draft.is_late

    html = client.get(url("assignment", a.pk)).content.decode()
    assert 'name="text"' not in html and url("save_draft", a.pk) not in html
    assert "Waiting for your teacher" in html and "front.png" in html
    assert "1 of 2 used" in html and "Start a new attempt" in html

    # The handed-in attempt is read-only: a late form from an old tab changes nothing.
    before = stored_files(world.media)
    response = save(client, a, text="Другой текст", files=[("late.png", png(), "image/png")])
    assert "has been handed in and can no longer be changed" in said(response)
    draft.refresh_from_db()
    assert draft.text == "Мой робот едет по линии." and draft.files.count() == 2
    assert Submission.objects.filter(assignment=a, pupil=world.pupil).count() == 1
    assert stored_files(world.media) == before


def test_a_new_attempt_starts_as_a_copy_and_leaves_the_first_alone(client, world):
    a = world.assignment
    first = pupil_with_work(client, world)
    hand_in(client, a)
    response = client.post(url("start_attempt", a.pk))
    assert "Attempt 2 started" in said(response)
    second = Submission.objects.get(assignment=a, pupil=world.pupil, attempt=2)
    assert second.status == Submission.Status.DRAFT and second.text == first.text
    assert sorted(f.file.name for f in second.files.all()) == sorted(
        f.file.name for f in first.files.all()
    )
    # A second click on "Start a new attempt" makes no third one.
    assert "already working" in said(client.post(url("start_attempt", a.pk)))
    assert Submission.objects.filter(assignment=a, pupil=world.pupil).count() == 2

    photo = second.files.get(display_name="front.png")
    client.post(url("remove_file", a.pk, photo.pk))
    assert (world.media / photo.file.name).exists()  # attempt 1 still uses it
    assert first.files.count() == 2
    old = first.files.get(display_name="front.png")
    assert client.get(url("submission_file", old.pk)).status_code == 200

    response = save(client, a, attempt=2, text="Исправил датчик.")
    assert "Draft saved" in said(response)
    second.refresh_from_db()
    first.refresh_from_db()
    assert second.text == "Исправил датчик." and first.text == "Мой робот едет по линии."


def test_no_attempts_left(client, world):
    a = world.assignment
    a.max_attempts = 1
    a.save()
    pupil_with_work(client, world)
    hand_in(client, a)
    html = client.get(url("assignment", a.pk)).content.decode()
    assert "Start a new attempt" not in html and "You have used all your attempts." in html
    response = client.post(url("start_attempt", a.pk))
    assert "You have used all your attempts." in said(response)
    assert Submission.objects.filter(assignment=a).count() == 1


def test_returned_work_may_be_redone_whatever_the_limit(client, world):
    a = world.assignment
    a.max_attempts = 1
    a.save()
    first = pupil_with_work(client, world)
    hand_in(client, a)
    Submission.objects.filter(pk=first.pk).update(status=Submission.Status.RETURNED)
    html = client.get(url("assignment", a.pk)).content.decode()
    # The one primary step of returned work (the assignment page's top: assessments.pupil_page).
    assert "Returned for rework" in html and "Improve and hand in again" in html
    assert "Start a new attempt" not in html
    client.post(url("start_attempt", a.pk))
    assert Submission.objects.get(assignment=a, attempt=2).status == Submission.Status.DRAFT


@pytest.mark.parametrize(
    ("dates", "status", "refusal"),
    [
        ({"opens_at": timedelta(days=2)}, "Not open yet", "This assignment opens on"),
        (
            {"due_at": timedelta(days=-3), "cutoff_at": timedelta(days=-1)},
            "Closed (",
            "This assignment closed on",
        ),
    ],
    ids=["not-open-yet", "closed"],
)
def test_not_open_yet_and_closed(client, world, dates, status, refusal):
    a = world.assignment
    for field, delta in dates.items():
        setattr(a, field, timezone.now() + delta)
    a.save()
    login(client, world.pupil)
    html = client.get(url("assignment", a.pk)).content.decode()
    assert status in html and 'name="text"' not in html
    assert refusal in said(save(client, a, text="Готово"))
    assert refusal in said(client.post(url("start_attempt", a.pk)))
    assert not Submission.objects.filter(assignment=a).exists()


def test_late_work_is_taken_and_marked_late(client, world):
    a = world.assignment
    a.due_at = timezone.now() - timedelta(hours=2)
    a.late_penalty_per_day = 10
    a.late_penalty_cap = 50
    a.save()
    pupil_with_work(client, world)
    html = client.get(url("assignment", a.pk)).content.decode()
    assert "Late: the deadline has passed" in html
    assert "you lose 10% of the points for each day late (at most 50%)" in html
    response = hand_in(client, a)
    assert "Handed in, but late" in said(response)
    submission = Submission.objects.get(assignment=a)
    assert submission.is_late and submission.late_days == 1
    assert "late by 1 day" in client.get(url("assignment", a.pk)).content.decode()


def test_double_submit_consumes_one_attempt(client, world):
    a = world.assignment
    pupil_with_work(client, world)
    assert "Handed in!" in said(hand_in(client, a))
    assert "already been handed in" in said(hand_in(client, a))
    assert Submission.objects.filter(assignment=a, pupil=world.pupil).count() == 1
    # A repeat from an old tab after a new attempt has started leaves that draft alone.
    client.post(url("start_attempt", a.pk))
    assert "already been handed in" in said(hand_in(client, a, attempt=1))
    assert Submission.objects.get(assignment=a, attempt=2).status == Submission.Status.DRAFT


def test_nothing_to_hand_in(client, world):
    login(client, world.pupil)
    response = hand_in(client, world.assignment)
    assert "Add a file or write something" in said(response)
    assert not Submission.objects.exists()


# --- bad files --------------------------------------------------------------------------------


def test_each_bad_file_gets_its_own_message_and_good_ones_are_kept(client, world):
    login(client, world.pupil)
    response = save(
        client,
        world.assignment,
        text="Фото робота",
        files=[
            ("robot.jpg", PROGRAM, "image/jpeg"),
            ("empty.png", b"", "image/png"),
            ("logo.svg", SVG, "image/svg+xml"),
            ("huge.pdf", PDF + b"0" * MB, "application/pdf"),
            ("../../etc/😀 робот\u202egpj.png", png(), "image/png"),
        ],
    )
    messages = said(response)
    assert "“robot.jpg” looks like a program" in messages
    assert "“empty.png” is empty" in messages
    assert "SVG files are not accepted" in messages
    assert "“huge.pdf” is larger than the limit of 1.0" in messages
    assert "1 file added" in messages
    kept = SubmissionFile.objects.get()
    assert kept.display_name == "😀 роботgpj.png"  # no path, no invisible bidi override
    assert ".." not in kept.file.name and "😀" not in kept.file.name
    assert kept.file.name.startswith("submissions/")
    assert stored_files(world.media) == {kept.file.name, kept.thumbnail.name}


def test_too_many_files_for_one_attempt(client, world, settings):
    settings.LMS_SUBMISSION_MAX_FILES = 3
    login(client, world.pupil)
    files = [(f"photo{n}.png", png((n * 60, 0, 0)), "image/png") for n in range(4)]
    response = save(client, world.assignment, files=files[:2])
    assert "2 files added" in said(response)
    # The draft now exists (its files are prefetched with the page's state): still counted.
    response = save(client, world.assignment, files=files[2:])
    assert "At most 3 files per attempt." in said(response)
    assert SubmissionFile.objects.count() == 3


def test_a_request_larger_than_an_attempt_can_hold_is_refused_unread(client, world, monkeypatch):
    def parse(*args, **kwargs):
        raise AssertionError("the body was read")

    monkeypatch.setattr(MultiPartParser, "parse", parse)
    login(client, world.pupil)
    limit = (1 * 20 + 1) * MB  # max_file_mb x LMS_SUBMISSION_MAX_FILES + 1 MB
    body = multipart({"attempt": "1"}, [("big.png", png(), "image/png")])
    response = client.post(
        url("save_draft", world.assignment.pk), **body, CONTENT_LENGTH=str(limit + 1)
    )
    assert response.status_code == 302
    assert "too big to send at once" in said(response)
    assert not Submission.objects.exists()


def test_more_files_than_django_parses_get_a_message(client, world, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FILES = 2
    login(client, world.pupil)
    files = [(f"photo{n}.png", png(), "image/png") for n in range(3)]
    response = save(client, world.assignment, files=files)
    assert response.status_code == 302
    assert "Too many files at once" in said(response)
    assert not SubmissionFile.objects.exists()


def test_an_archived_assignment_takes_no_more_work(client, world):
    pupil_with_work(client, world)
    world.assignment.is_archived = True
    world.assignment.save()
    html = client.get(url("assignment", world.assignment.pk)).content.decode()
    assert "archived" in html and url("submit", world.assignment.pk) not in html
    assert "archived" in said(hand_in(client, world.assignment))
    assert Submission.objects.get().status == Submission.Status.DRAFT


def test_forms_need_the_csrf_token(world):
    client = login(Client(enforce_csrf_checks=True), world.pupil)
    response = save(client, world.assignment, text="Без токена")
    assert response.status_code == 403
    assert client.post(url("submit", world.assignment.pk), {"attempt": 1}).status_code == 403
    assert not Submission.objects.exists()
    # With the token from the page, the same form goes through (the check runs in the view).
    page = client.get(url("assignment", world.assignment.pk))
    token = page.context["csrf_token"]
    fields = {"csrfmiddlewaretoken": str(token), "attempt": "1", "text": "С токеном"}
    body = multipart(fields, [("front.png", png(), "image/png")])
    response = client.post(url("save_draft", world.assignment.pk), **body)
    assert response.status_code == 302, said(response)
    assert Submission.objects.get().files.count() == 1


def test_files_only_assignment_has_no_text_box(client, world):
    a = world.assignment
    a.allow_text = False
    a.save()
    login(client, world.pupil)
    html = client.get(url("assignment", a.pk)).content.decode()
    assert 'name="text"' not in html and "files only, no text" in html
    save(client, a, text="ignored", files=[("front.png", png(), "image/png")])
    draft = Submission.objects.get()
    assert draft.text == "" and draft.files.count() == 1


# --- what others see --------------------------------------------------------------------------


def test_xss_in_submission_text_is_sanitised(client, world):
    text = (
        '<script>alert("x")</script>\n\n[click](javascript:alert(1))\n\n'
        '<img src=x onerror="alert(1)"> **bold**'
    )
    pupil_with_work(client, world, text=text)
    hand_in(client, world.assignment)
    html = client.get(url("assignment", world.assignment.pk)).content.decode()
    assert "<strong>bold</strong>" in html
    assert "<script>alert" not in html
    assert "javascript:" not in html
    assert "<img src=x" not in html  # raw HTML shows as text: escaped, never a tag
    assert "&lt;img src=x onerror=" in html


def test_grades_are_shown_only_once_released(client, world):
    first = pupil_with_work(client, world)
    hand_in(client, world.assignment)
    grade = Grade.objects.create(
        submission=first,
        points=Decimal("8"),
        final_points=Decimal("8"),
        feedback="Отличная **работа**",
        is_released=False,
    )
    html = client.get(url("assignment", world.assignment.pk)).content.decode()
    assert "Отличная" not in html and "8 of 10" not in html and "Graded" not in html
    grade.is_released = True
    grade.save()
    html = client.get(url("assignment", world.assignment.pk)).content.decode()
    assert "8 of 10 points" in html and "Отличная <strong>работа</strong>" in html


def test_files_are_downloads_with_safe_headers(client, world):
    draft = pupil_with_work(client, world)
    photo = draft.files.get(display_name="front.png")
    pdf = draft.files.get(display_name="report.pdf")
    for user in (world.pupil, world.s.host.teacher_a, world.s.host.admin):
        login(client, user)
        response = client.get(url("submission_file", photo.pk))
        assert response.status_code == 200, user
        assert response["Content-Type"] == "image/png"
        assert response["Content-Disposition"].startswith("attachment")
        assert "front.png" in response["Content-Disposition"]
        assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert "no-store" in response["Cache-Control"]
        assert b"".join(response.streaming_content) == png()
    thumbnail = client.get(url("submission_thumbnail", photo.pk))
    assert thumbnail.status_code == 200 and thumbnail["Content-Type"] == "image/jpeg"
    assert b"".join(thumbnail.streaming_content).startswith(b"\xff\xd8\xff")
    assert client.get(url("submission_thumbnail", pdf.pk)).status_code == 404


def test_a_file_missing_from_storage_is_404_not_500(client, world):
    draft = pupil_with_work(client, world)
    photo = draft.files.get(display_name="front.png")
    (world.media / photo.file.name).unlink()
    assert client.get(url("submission_file", photo.pk)).status_code == 404


@pytest.mark.parametrize(
    "who", ["teacher of a-2", "teacher of the visiting school", "admin of the visiting school"]
)
def test_other_staff_cannot_download(client, world, who):
    draft = pupil_with_work(client, world)
    photo = draft.files.get(display_name="front.png")
    user = {
        "teacher of a-2": world.s.host.teacher_b,
        "teacher of the visiting school": world.s.visiting.teacher_a,
        "admin of the visiting school": world.s.visiting.admin,
    }[who]
    login(client, user)
    assert client.get(url("submission_file", photo.pk)).status_code == 404
    assert client.get(url("submission_thumbnail", photo.pk)).status_code == 404


def _all_urls(assignment, file_row):
    gets = [
        url("assignment", assignment.pk),
        url("submission_file", file_row.pk),
        url("submission_thumbnail", file_row.pk),
    ]
    posts = [
        url("start_attempt", assignment.pk),
        url("save_draft", assignment.pk),
        url("remove_file", assignment.pk, file_row.pk),
        url("submit", assignment.pk),
    ]
    return gets, posts


@pytest.mark.parametrize(
    "who", ["pupil of a-2 (not enrolled)", "pupil of v-1 (module 2 not shared)", "pupil of v-2"]
)
def test_pupils_outside_the_assignment_get_404_everywhere(client, world, who):
    lesson = world.s.tree.lessons_of(world.s.tree.modules[1])[0]
    assignment = make_assignment(lesson, title="Только для хозяев", accepted_types="images")
    login(client, world.pupil)
    save(client, assignment, files=[("front.png", png(), "image/png")])
    row = SubmissionFile.objects.get(submission__assignment=assignment)
    user = {
        "pupil of a-2 (not enrolled)": world.s.host.pupils_b[0],
        "pupil of v-1 (module 2 not shared)": world.s.visiting.pupils_a[0],
        "pupil of v-2": world.s.visiting.pupils_b[0],
    }[who]
    login(client, user)
    gets, posts = _all_urls(assignment, row)
    for target in gets:
        assert client.get(target).status_code == 404, target
    for target in posts:
        assert client.post(target, {"attempt": 1, "text": "чужое"}).status_code == 404, target
    assert SubmissionFile.objects.filter(pk=row.pk).exists()
    assert Submission.objects.filter(pupil=user).count() == 0


def test_a_classmate_cannot_reach_another_pupils_files(client, world):
    draft = pupil_with_work(client, world)
    photo = draft.files.get(display_name="front.png")
    login(client, world.s.host.pupils_a[1])
    assert client.get(url("assignment", world.assignment.pk)).status_code == 200  # their own
    assert client.get(url("submission_file", photo.pk)).status_code == 404
    assert client.get(url("submission_thumbnail", photo.pk)).status_code == 404
    assert client.post(url("remove_file", world.assignment.pk, photo.pk)).status_code == 404
    assert SubmissionFile.objects.filter(pk=photo.pk).exists()


def test_a_visiting_pupil_of_the_shared_module_works_too(client, world):
    pupil = world.s.visiting.pupils_a[0]
    login(client, pupil)
    assert client.get(url("assignment", world.assignment.pk)).status_code == 200
    save(client, world.assignment, text="Из гостевой школы")
    hand_in(client, world.assignment)
    submission = Submission.objects.get(pupil=pupil)
    assert submission.group == world.s.visiting.group_a
    assert submission.status == Submission.Status.SUBMITTED


@pytest.mark.parametrize(
    "who", ["teacher of a-1", "teacher of the visiting school", "methodologist"]
)
def test_staff_who_see_the_lesson_get_a_read_only_preview(client, world, who):
    user = {
        "teacher of a-1": world.s.host.teacher_a,
        "teacher of the visiting school": world.s.visiting.teacher_a,
        "methodologist": world.s.methodologist,
    }[who]
    login(client, user)
    response = client.get(url("assignment", world.assignment.pk))
    assert response.status_code == 200
    html = response.content.decode()
    assert "viewing this assignment as a teacher" in html
    assert "<strong>робота</strong>" in html
    assert 'name="text"' not in html and url("submit", world.assignment.pk) not in html
    assert client.post(url("save_draft", world.assignment.pk), {"attempt": 1}).status_code == 404
    assert not Submission.objects.exists()


def test_staff_who_do_not_see_the_lesson_get_404(client, world):
    login(client, world.s.host.teacher_b)  # a-2 is not enrolled
    assert client.get(url("assignment", world.assignment.pk)).status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(client, world):
    response = client.get(url("assignment", world.assignment.pk))
    assert response.status_code == 302 and "/login/" in response["Location"]


# --- the lesson page --------------------------------------------------------------------------


def test_the_lesson_page_links_its_assignments(client, world):
    archived = make_assignment(world.lesson, title="Старое задание", is_archived=True)
    for user in (world.pupil, world.s.host.teacher_a):
        login(client, user)
        html = client.get(world.lesson.url).content.decode()
        assert url("assignment", world.assignment.pk) in html
        assert world.assignment.title in html
        assert url("assignment", archived.pk) not in html
    other_lesson = world.s.tree.lessons[1]
    assert (
        url("assignment", world.assignment.pk) not in client.get(other_lesson.url).content.decode()
    )


def test_the_lesson_pages_queries_do_not_grow_with_its_assignments(client, world):
    login(client, world.pupil)

    def count() -> int:
        client.get(world.lesson.url)  # records the opening (which moves the progress token)
        client.get(world.lesson.url)  # warm caches
        with CaptureQueriesContext(connection) as queries:
            assert client.get(world.lesson.url).status_code == 200
        return len(queries)

    one = count()
    for n in range(5):
        make_assignment(world.lesson, title=f"Задание {n}", is_archived=n % 2 == 0)
    assert count() == one


# --- the page in the order a pupil needs (assessments.pupil_page) ------------------------------


def page(client, world) -> str:
    return client.get(url("assignment", world.assignment.pk)).content.decode()


def top_of(html: str) -> str:
    """The top card: from its title to the instructions."""
    return html[html.index('id="work-state-title"') : html.index('id="instructions-title"')]


def grade(submission, points="8", feedback="Отличная **работа**", released=True) -> Grade:
    return Grade.objects.create(
        submission=submission,
        points=Decimal(points) if points is not None else None,
        final_points=Decimal(points) if points is not None else None,
        feedback=feedback,
        is_released=released,
    )


def test_not_started_the_one_step_is_start(client, world):
    login(client, world.pupil)
    html = page(client, world)
    top = top_of(html)
    assert "Not started yet" in top and 'href="#work"' in top and "Start" in top
    assert "Open. Hand in your work by" in top or "Open. There is no deadline." in top
    assert html.index('id="work-state-title"') < html.index('id="instructions-title"')
    assert html.index('id="instructions-title"') < html.index('class="draft-form"')
    assert html.count("btn-large") == 1


def test_accepted_files_are_a_short_line_of_kinds(client, world):
    login(client, world.pupil)
    html = page(client, world)
    assert "Photos, PDF, code, Scratch projects" in html  # "images, pdf, code"
    assert "several files at once: photos, PDF, code, Scratch projects." in html
    facts = html[html.index('id="facts-title"') : html.index('id="work-title"')]
    outside_details = facts[: facts.index('class="accepted-exact"')]
    assert ".jpeg" not in outside_details and ".py" not in outside_details
    assert ".jpeg" in facts and ".py" in facts  # still there for who opens "Exact file types"


def test_a_draft_continues_and_hands_in(client, world):
    pupil_with_work(client, world)
    html = page(client, world)
    top = top_of(html)
    assert "Draft: not handed in yet" in top and "Continue your work" in top
    assert html.count("btn-large") == 1  # the form's "Hand in"
    assert url("submit", world.assignment.pk) in html


def test_handed_in_work_waits_and_does_not_say_open(client, world):
    pupil_with_work(client, world)
    hand_in(client, world.assignment)
    top = top_of(page(client, world))
    assert "Handed in: waiting for your teacher" in top and "Attempt 1 handed in on" in top
    assert "Open. Hand in" not in top
    assert "btn-large" not in top and "Start a new attempt" in top  # secondary: 1 attempt left
    assert "1 attempt left" in top


def test_graded_work_shows_the_grade_and_feedback_first(client, world):
    first = pupil_with_work(client, world)
    hand_in(client, world.assignment)
    Submission.objects.filter(pk=first.pk).update(status=Submission.Status.GRADED)
    grade(first)
    html = page(client, world)
    top = top_of(html)
    assert "Graded" in top and "8 of 10 points" in top
    assert "Your teacher says" in top and "Отличная <strong>работа</strong>" in top
    assert "Open. Hand in" not in top and "hand in by" not in top.lower()
    assert "btn-large" not in html  # no big "start a new attempt"
    assert 'class="btn btn-ghost" type="submit">Start a new attempt' in top
    assert html.count("Отличная <strong>работа</strong>") == 1  # not repeated in the history


def test_graded_with_no_attempts_left_has_no_step_at_all(client, world):
    a = world.assignment
    a.max_attempts = 1
    a.save()
    first = pupil_with_work(client, world)
    hand_in(client, a)
    Submission.objects.filter(pk=first.pk).update(status=Submission.Status.GRADED)
    grade(first)
    html = page(client, world)
    assert "work-top-actions" not in html and url("start_attempt", a.pk) not in html
    assert "You have used all your attempts." not in html  # nothing to say: it is graded


def test_returned_work_asks_to_improve_with_the_teachers_words_first(client, world):
    first = pupil_with_work(client, world)
    hand_in(client, world.assignment)
    Submission.objects.filter(pk=first.pk).update(status=Submission.Status.RETURNED)
    grade(first, points=None, feedback="Добавь **фото сбоку**")
    html = page(client, world)
    top = top_of(html)
    assert "Returned for rework" in top and "What your teacher asks you to improve" in top
    assert "Добавь <strong>фото сбоку</strong>" in top
    assert "Improve and hand in again" in top and top.count("btn-large") == 1
    assert "points" not in top  # no "0 of 10": returned work has no points yet
    history = html[html.index('class="handed-in-title"') :]
    assert "Returned for rework" in history and "Graded" not in history
    # Once the new attempt is started, the teacher's words stay on top while the pupil works.
    client.post(url("start_attempt", world.assignment.pk))
    top = top_of(page(client, world))
    assert "Draft: not handed in yet" in top and "Добавь <strong>фото сбоку</strong>" in top
    assert "Continue improving your work" in top


def test_older_feedback_is_folded_and_the_counted_points_are_said(client, world):
    a = world.assignment
    a.counts = "best"
    a.save()
    first = pupil_with_work(client, world)
    hand_in(client, a)
    Submission.objects.filter(pk=first.pk).update(status=Submission.Status.GRADED)
    grade(first, points="9", feedback="Первая")
    client.post(url("start_attempt", a.pk))
    hand_in(client, a, attempt=2)
    second = Submission.objects.get(assignment=a, attempt=2)
    Submission.objects.filter(pk=second.pk).update(status=Submission.Status.GRADED)
    grade(second, points="6", feedback="Вторая")
    html = page(client, world)
    top = top_of(html)
    assert "6 of 10 points" in top and "Your best attempt counts: 9 points." in top
    assert "Вторая" in top and "Первая" not in top
    assert '<details class="grade-feedback-older"><summary>What your teacher said' in html


def test_an_archived_assignment_says_so_on_top(client, world):
    pupil_with_work(client, world)
    world.assignment.is_archived = True
    world.assignment.save()
    top = top_of(page(client, world))
    assert "archived" in top and "work-top-actions" not in top


def test_the_page_costs_the_same_for_one_attempt_or_three(client, world):
    a = world.assignment
    a.max_attempts = 0
    a.save()
    first = pupil_with_work(client, world)
    hand_in(client, a)
    grade(first)

    def count() -> int:
        page(client, world)
        with CaptureQueriesContext(connection) as queries:
            page(client, world)
        return len(queries)

    one = count()
    for attempt in (2, 3):
        client.post(url("start_attempt", a.pk))
        hand_in(client, a, attempt=attempt)
        grade(Submission.objects.get(assignment=a, attempt=attempt))
    assert count() == one
