"""Files a teacher attaches to a grade (a marked-up PDF, a photo with notes).

Checked in the grading form (a refused file refuses the whole save: nothing is stored), written
to storage before the grade's transaction, their rows added inside it; if anything fails the
stored files are deleted again, so a failed request leaves nothing behind. A feedback file is
never shared: removing its row removes the stored file."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction

from assessments import uploads
from assessments.models import Grade, GradeFile
from lms.models import User

# An uploaded file with what uploads.check_upload found it to be.
CheckedUpload = tuple[object, uploads.CheckedFile]


def feedback_file_max_bytes() -> int:
    return settings.LMS_FEEDBACK_FILE_MAX_MB * 1024 * 1024


def check_feedback_file(uploaded) -> uploads.CheckedFile:
    """Any kind of file we know, up to the size limit. Raises uploads.UploadError."""
    return uploads.check_upload(uploaded, accepted=[], max_bytes=feedback_file_max_bytes())


@dataclass(frozen=True)
class StoredFeedbackFile:
    name: str  # the storage name
    checked: uploads.CheckedFile


def store_feedback_files(files: Iterable[CheckedUpload]) -> list[StoredFeedbackFile]:
    """Write checked uploads to storage under generated names (no rows yet)."""
    stored: list[StoredFeedbackFile] = []
    try:
        for uploaded, checked in files:
            uploaded.seek(0)
            name = default_storage.save(
                uploads.storage_name(checked.extension, folder="feedback"), uploaded
            )
            stored.append(StoredFeedbackFile(name, checked))
    except BaseException:
        delete_stored_feedback_files(stored)
        raise
    return stored


def delete_stored_feedback_files(stored: Iterable[StoredFeedbackFile]) -> None:
    for item in stored:
        default_storage.delete(item.name)


@contextmanager
def stored_until_saved(files: Iterable[CheckedUpload]) -> Iterator[list[StoredFeedbackFile]]:
    """Store the files for a grade about to be saved in the block; if the block fails (a
    refusal included), the stored files are deleted again."""
    stored = store_feedback_files(files)
    try:
        yield stored
    except BaseException:
        delete_stored_feedback_files(stored)
        raise


def add_feedback_files(
    grade: Grade, stored: Iterable[StoredFeedbackFile], by: User | None
) -> list[GradeFile]:
    """The rows of files already stored; call inside the grade's transaction."""
    return [
        GradeFile.objects.create(
            grade=grade,
            file=item.name,
            display_name=item.checked.display_name,
            kind=item.checked.kind,
            content_type=item.checked.content_type,
            size=item.checked.size,
            added_by=by,
        )
        for item in stored
    ]


def remove_feedback_file(row: GradeFile) -> None:
    """The row, then (once committed) the stored file: a feedback file is never shared."""
    name = row.file.name
    with transaction.atomic():
        row.delete()
        transaction.on_commit(lambda: default_storage.delete(name))
