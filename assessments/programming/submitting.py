"""A pupil's code: the draft saved as they type, and handing it in as one attempt of the
assignment (its dates, group dates, extensions, attempts and late penalty as for every work).
Bad code is refused with a reason and nothing stored; two submits at once make one attempt."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.deadlines import Window
from assessments.models import Submission
from assessments.programming import judging
from assessments.programming.models import (
    CodeDraft,
    CodeExercise,
    CodeSubmission,
    ProblemLanguage,
    ProgrammingLanguage,
)
from assessments.submissions import PupilState, SubmitError
from lms.models import User

log = logging.getLogger("assessments.programming")

# The same code handed in again this soon is the same click (a double click, a retry).
SAME_CLICK = timedelta(seconds=10)


class CodeRefused(SubmitError):
    """The code was not stored (the reason can be shown); nothing changed."""


def allowed_languages(exercise: CodeExercise) -> list[ProblemLanguage]:
    if exercise.problem_id is None:
        return []
    return list(
        exercise.problem.languages.filter(language__is_enabled=True).select_related("language")
    )


def checked_source(
    exercise: CodeExercise, language_code: str, source: str
) -> tuple[ProgrammingLanguage, str]:
    """The language row and the code as it will be judged (newlines as \\n), or CodeRefused."""
    allowed = {row.language.code: row.language for row in allowed_languages(exercise)}
    language = allowed.get(language_code)
    if language is None:
        raise CodeRefused(_("This exercise does not take that language."))
    limit = int(getattr(settings, "LMS_CODE_MAX_BYTES", 1024 * 1024))
    try:
        size = len(source.encode("utf-8"))
    except UnicodeEncodeError:  # a lone surrogate (sent as JSON "\ud800"): not text
        raise CodeRefused(_("The program holds characters that are not text.")) from None
    if size > limit:
        raise CodeRefused(_("The program is longer than %(size)s KB.") % {"size": limit // 1024})
    if "\x00" in source:
        raise CodeRefused(_("The program holds binary data (a NUL character): paste it as text."))
    source = source.replace("\r\n", "\n").replace("\r", "\n")
    return language, source


def save_draft(exercise: CodeExercise, pupil: User, language_code: str, source: str) -> CodeDraft:
    language, source = checked_source(exercise, language_code, source)
    draft, _created = CodeDraft.objects.update_or_create(
        exercise=exercise, pupil=pupil, defaults={"language": language, "source": source}
    )
    return draft


def refusal(state: PupilState, exercise: CodeExercise, now: datetime) -> str | None:
    if exercise.problem_id is None or not exercise.problem.is_published:
        return _("This exercise is not ready yet: its problem is not published.")
    if state.assignment.is_archived and not state.reopened:
        return state.refusal()
    window = state.timetable.window(now)
    if not state.reopened and window in (Window.CLOSED, Window.NOT_OPEN):
        return state.refusal() or _("This assignment is closed.")
    if state.attempts_left == 0 and not state.reopened:
        return _("You have used all your attempts.")
    return None


def submit(
    state: PupilState,
    pupil: User,
    exercise: CodeExercise,
    language_code: str,
    source: str,
    now: datetime | None = None,
) -> CodeSubmission:
    """Hand in the code as the next attempt and queue it for judging."""
    now = now or timezone.now()
    language, source = checked_source(exercise, language_code, source)
    if not source.strip():
        raise CodeRefused(_("Write your program before handing it in."))
    last = (
        CodeSubmission.objects.filter(exercise=exercise, submission__pupil=pupil)
        .select_related("submission")
        .order_by("-submission__attempt")
        .first()
    )
    if (
        last is not None
        and last.source == source
        and last.language_id == language.pk
        and last.submission.submitted_at
        and now - last.submission.submitted_at < SAME_CLICK
    ):
        return last
    reason = refusal(state, exercise, now)
    if reason:
        raise CodeRefused(reason)
    late_days = state.timetable.late_days(now)
    attempt = max((s.attempt for s in state.attempts), default=0) + 1
    try:
        with transaction.atomic():
            submission = Submission.objects.create(
                assignment=state.assignment,
                pupil=pupil,
                group=state.group,
                attempt=attempt,
                status=Submission.Status.SUBMITTED,
                submitted_at=now,
                is_late=late_days > 0,
                late_days=late_days,
            )
            code = CodeSubmission.objects.create(
                submission=submission, exercise=exercise, language=language, source=source
            )
            CodeDraft.objects.update_or_create(
                exercise=exercise, pupil=pupil, defaults={"language": language, "source": source}
            )
            judging.enqueue(code.pk)
    except IntegrityError:
        # The other of two simultaneous clicks made this attempt: the same one, not a second.
        existing = CodeSubmission.objects.filter(
            exercise=exercise, submission__pupil=pupil, submission__attempt=attempt
        ).first()
        if existing is None:
            raise
        return existing
    log.info("code submitted: %s", submission)
    return code
