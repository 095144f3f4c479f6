"""Feedback files: the teacher attaches files while grading; the pupil downloads them once the
grade is released; nobody outside the group ever does; a refused file refuses the whole save."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import ProtectedError
from django.urls import reverse
from django.utils import translation

from assessments import grading
from assessments.models import Grade, GradeFile
from tests.assessments.builders import make_assignment, submit

pytestmark = pytest.mark.django_db

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00"
    b"\x00\x00IEND\xaeB`\x82"
)
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalogue >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
EXE = b"MZ\x90\x00" + b"\x00" * 200


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    with translation.override("en"):
        yield


@pytest.fixture
def world(two_schools):
    w = two_schools
    assignment = make_assignment(w.tree.lessons[0], title="Line follower")
    pupil = w.host.pupils_a[0]
    return SimpleNamespace(
        w=w,
        assignment=assignment,
        teacher=w.host.teacher_a,
        pupil=pupil,
        work=submit(assignment, pupil, w.host.group_a),
    )


def login(client, user):
    client.cookies["django_language"] = "en"
    client.force_login(user)
    return client


def grade_url(submission) -> str:
    return reverse("assessments:grading_submission", args=[submission.pk])


def file_url(row) -> str:
    return reverse("assessments:feedback_file", args=[row.pk])


def post_grade(client, submission, action="draft", files=(), **extra):
    data = {"action": action, "points": "8", "feedback": "See the notes.", **extra}
    if files:
        data["files"] = list(files)
    return client.post(grade_url(submission), data)


def stored_files(root) -> list:
    return [p for p in root.rglob("*") if p.is_file()]


def test_teacher_attaches_files_to_a_draft_pupil_sees_them_after_release(world, client, tmp_path):
    teacher = login(client, world.teacher)
    response = post_grade(
        teacher,
        world.work,
        files=[SimpleUploadedFile("notes.pdf", PDF), SimpleUploadedFile("robot.png", PNG)],
    )
    assert response.status_code == 302
    grade = Grade.objects.get(submission=world.work)
    assert not grade.is_released
    rows = list(grade.files.order_by("pk"))
    assert [(r.display_name, r.kind, r.added_by) for r in rows] == [
        ("notes.pdf", "pdf", world.teacher),
        ("robot.png", "image", world.teacher),
    ]
    assert all(r.file.name.startswith("feedback/") for r in rows)
    assert len(stored_files(tmp_path)) == 2

    page = teacher.get(grade_url(world.work)).content.decode()
    assert "notes.pdf" in page and file_url(rows[0]) in page
    download = teacher.get(file_url(rows[0]))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    assert download["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert download["X-Content-Type-Options"] == "nosniff"
    assert b"".join(download.streaming_content) == PDF

    pupil = login(client, world.pupil)
    assert pupil.get(file_url(rows[0])).status_code == 404  # a draft grade: not yet
    page_url = reverse("assessments:assignment", args=[world.assignment.pk])
    assert file_url(rows[0]) not in pupil.get(page_url).content.decode()

    grading.save_grade(world.work, world.teacher, points="8", release=True)
    assert pupil.get(file_url(rows[1])).status_code == 200
    page = pupil.get(page_url).content.decode()
    assert file_url(rows[0]) in page and file_url(rows[1]) in page


def test_nobody_outside_the_group_opens_a_feedback_file(world, client):
    login(client, world.teacher)
    post_grade(client, world.work, action="release", files=[SimpleUploadedFile("n.pdf", PDF)])
    row = GradeFile.objects.get()
    for outsider in [
        world.w.host.teacher_b,  # same school, another group
        world.w.host.pupils_a[1],  # a classmate
        world.w.visiting.teacher_a,  # another school
        world.w.visiting.admin,
    ]:
        login(client, outsider)
        assert client.get(file_url(row)).status_code == 404, outsider
        assert (
            client.post(
                reverse("assessments:grading_feedback_file_remove", args=[row.pk])
            ).status_code
            == 404
        )
    client.logout()
    assert client.get(file_url(row)).status_code == 302  # to the login page
    assert GradeFile.objects.filter(pk=row.pk).exists()


def test_an_executable_renamed_pdf_is_refused_and_nothing_is_saved(world, client, tmp_path):
    login(client, world.teacher)
    response = post_grade(
        client,
        world.work,
        files=[SimpleUploadedFile("fine.png", PNG), SimpleUploadedFile("notes.pdf", EXE)],
    )
    assert response.status_code == 200
    assert "notes.pdf" in response.content.decode()
    assert response.context["form"].errors["files"]
    assert not Grade.objects.filter(submission=world.work).exists()
    assert not GradeFile.objects.exists()
    assert stored_files(tmp_path) == []


def test_a_refused_grade_deletes_the_stored_files(world, client, tmp_path):
    login(client, world.teacher)
    response = post_grade(
        client, world.work, points="1000", files=[SimpleUploadedFile("n.pdf", PDF)]
    )
    assert response.status_code == 200
    assert not GradeFile.objects.exists()
    assert stored_files(tmp_path) == []


def test_teacher_removes_a_feedback_file(world, client, django_capture_on_commit_callbacks):
    login(client, world.teacher)
    post_grade(
        client,
        world.work,
        files=[SimpleUploadedFile("a.pdf", PDF), SimpleUploadedFile("b.png", PNG)],
    )
    first, second = GradeFile.objects.order_by("pk")
    with pytest.raises(ProtectedError):  # the grade keeps its files
        Grade.objects.get(submission=world.work).delete()
    remove_url = reverse("assessments:grading_feedback_file_remove", args=[first.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(remove_url)
    assert response.status_code == 302
    assert list(GradeFile.objects.all()) == [second]
    assert not default_storage.exists(first.file.name)
    assert default_storage.exists(second.file.name)
    assert client.get(file_url(first)).status_code == 404
    assert client.get(grade_url(world.work)).status_code == 200
