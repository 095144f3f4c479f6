"""Stored names never end in an extension a web server or browser would run or render: code
and text kinds are stored as .txt, and files stored before that are renamed by a migration."""

import importlib
import re
from io import BytesIO

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from assessments import uploads
from assessments.models import GradeFile, Submission, SubmissionFile
from tests.assessments.builders import make_assignment, submit

rename = importlib.import_module("courses.migrations.0007_safe_stored_names")


class _Upload(BytesIO):
    def __init__(self, name: str, content: bytes) -> None:
        super().__init__(content)
        self.name, self.size = name, len(content)


@pytest.mark.parametrize("name", ["index.html", "script.js", "style.css", "game.py", "notes.md"])
def test_a_handed_in_page_or_script_is_stored_as_txt(name):
    checked = uploads.check_upload(
        _Upload(name, b"<script>alert(1)</script>\n"), accepted=[], max_bytes=1024
    )
    assert checked.kind == "text"
    stored = uploads.storage_name(checked.extension)
    assert re.fullmatch(r"submissions/\d{4}/\d{2}/[0-9a-f]{32}\.txt", stored)


def test_no_stored_name_ends_in_an_executable_extension():
    for extension in uploads.KINDS["text"].types:
        assert uploads.storage_name(extension).endswith(".txt"), extension
        assert uploads.storage_name(extension.upper(), folder="feedback").endswith(".txt")
    for extension in ("svg", "xml", "php", "htm", "xhtml", "mjs", "exe", "tar.html", "HTML.gz"):
        with pytest.raises(ValueError):
            uploads.storage_name(extension)
    assert uploads.storage_name("pdf").endswith(".pdf")
    assert uploads.storage_name("tar.gz").endswith(".tar.gz")


@pytest.fixture
def submission(two_schools, settings, tmp_path) -> Submission:
    settings.MEDIA_ROOT = tmp_path
    lesson = two_schools.tree.lessons[0]
    return submit(make_assignment(lesson), two_schools.host.pupils_a[0], two_schools.host.group_a)


def _row(model, name: str, **fields):
    stored = default_storage.save(name, ContentFile(b"<h1>hi</h1>"))
    common = {"display_name": "page.html", "kind": "text", "content_type": "text/plain", "size": 11}
    return model.objects.create(file=stored, **common, **fields)


def test_the_migration_renames_stored_pages_and_scripts(submission, two_schools):
    from assessments.models import Grade

    page = _row(SubmissionFile, "submissions/2026/11/aaaa.html", submission=submission)
    # A later attempt shares its files with the earlier one: one copy serves both rows.
    second = submit(submission.assignment, submission.pupil, submission.group, attempt=2)
    shared = SubmissionFile.objects.create(
        submission=second,
        file=page.file.name,
        display_name="page.html",
        kind="text",
        content_type="text/plain",
        size=11,
    )
    photo = _row(SubmissionFile, "submissions/2026/11/bbbb.png", submission=submission)
    grade = Grade.objects.create(submission=submission, points=1, final_points=1)
    feedback = _row(GradeFile, "feedback/2026/11/cccc.JS", grade=grade)
    old_page, old_feedback = page.file.name, feedback.file.name

    assert rename.rename_unsafe_files(SubmissionFile) == 1
    assert rename.rename_unsafe_files(GradeFile) == 1
    for row in (page, shared, photo, feedback):
        row.refresh_from_db()
    assert page.file.name == shared.file.name == "submissions/2026/11/aaaa.txt"
    assert feedback.file.name == "feedback/2026/11/cccc.txt"
    assert photo.file.name == "submissions/2026/11/bbbb.png"
    assert default_storage.open(page.file.name).read() == b"<h1>hi</h1>"
    assert not default_storage.exists(old_page)
    assert not default_storage.exists(old_feedback)
    # Idempotent: a second run finds nothing to do.
    assert rename.rename_unsafe_files(SubmissionFile) == 0
    assert rename.rename_unsafe_files(GradeFile) == 0


def test_the_migration_leaves_a_missing_file_alone(submission):
    row = SubmissionFile.objects.create(
        submission=submission,
        file="submissions/2026/11/gone.html",
        display_name="gone.html",
        kind="text",
        content_type="text/plain",
        size=1,
    )
    assert rename.rename_unsafe_files(SubmissionFile) == 0
    row.refresh_from_db()
    assert row.file.name == "submissions/2026/11/gone.html"
