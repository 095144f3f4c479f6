"""The files of pupils' work: a handed-in file, its thumbnail, a teacher's feedback file.

Who may open which is assessments.permissions (the pupil who made the work, staff who view or
grade the group it was made in; a feedback file only once its grade is released for the
pupil); anyone else, and any id that does not exist, gets 404. The response is
assessments.file_responses."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest
from django.views.decorators.http import require_GET

from assessments import file_responses
from assessments import permissions as assessment_permissions
from assessments.models import GradeFile, SubmissionFile


def _submission_file_or_404(user, file_id: int) -> SubmissionFile:
    row = (
        SubmissionFile.objects.select_related("submission__group__school")
        .filter(pk=file_id)
        .first()
    )
    if row is None or not assessment_permissions.can_open_submission(user, row.submission):
        raise Http404
    return row


@login_required
@require_GET
def submission_file(request: HttpRequest, file_id: int) -> FileResponse:
    """A handed-in file, always as a download, with the type we detected when it came in."""
    row = _submission_file_or_404(request.user, file_id)
    return file_responses.download(
        row.file, filename=row.display_name, content_type=row.content_type
    )


@login_required
@require_GET
def submission_thumbnail(request: HttpRequest, file_id: int) -> FileResponse:
    """The small JPEG we made of a photo when it came in: shown inline on the pages."""
    row = _submission_file_or_404(request.user, file_id)
    if not row.thumbnail:
        raise Http404
    return file_responses.thumbnail(row.thumbnail)


@login_required
@require_GET
def feedback_file(request: HttpRequest, file_id: int) -> FileResponse:
    """A feedback file, always as a download, with the type we detected when it came in."""
    row = (
        GradeFile.objects.select_related("grade__submission__group__school")
        .filter(pk=file_id)
        .first()
    )
    if row is None or not assessment_permissions.can_open_feedback(request.user, row.grade):
        raise Http404
    return file_responses.download(
        row.file, filename=row.display_name, content_type=row.content_type
    )
