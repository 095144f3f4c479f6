"""Grading one attempt: saving and releasing grades, returning work for rework; every change
recorded as one GradeChange (assessments.grade_history), never edited.

Plain functions, each one transaction; the views check access (lms.permissions) and call one of
these. A refusal is a `scoring.ScoreError` whose message the teacher can read; nothing is saved
then (feedback files stored for the save included)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments import feedback_files, grade_history, notifications, scoring, work_cache
from assessments.deadlines import late_penalty_percent
from assessments.feedback_files import CheckedUpload
from assessments.grading_queue import draft_grades
from assessments.models import Assignment, Grade, GradeChange, Notification, Submission
from assessments.scoring import ScoreError
from lms import permissions
from lms.models import StudyGroup, User

Status = Submission.Status

# A setting when present; the default keeps a feedback far below the markdown renderer's limit.
FEEDBACK_MAX_CHARS = getattr(settings, "LMS_FEEDBACK_MAX_CHARS", 20_000)


# --- Saving, releasing, returning -----------------------------------------------------------


def _locked(submission: Submission) -> Submission:
    """The submission row, locked for the transaction, so that two tabs saving at once are
    serialised: the second one sees (and records a change from) the first one's grade."""
    locked = (
        Submission.objects.select_for_update(of=("self",))  # not the joined assignment, rubric
        .select_related("assignment__rubric")
        .get(pk=submission.pk)
    )
    if locked.status == Status.DRAFT:
        raise ScoreError(_("This work has not been handed in yet, so it cannot be graded."))
    return locked


def _check_feedback(feedback: str) -> str:
    feedback = (feedback or "").strip()
    if len(feedback) > FEEDBACK_MAX_CHARS:
        raise ScoreError(
            _("The feedback is too long: at most %(max)d characters.") % {"max": FEEDBACK_MAX_CHARS}
        )
    return feedback


def _grade_of(submission: Submission) -> tuple[Grade, dict]:
    """The submission's grade (made now if there is none) and its state before this change.
    OneToOne + get_or_create: a second request never makes a second grade."""
    grade, created = Grade.objects.select_for_update().get_or_create(submission=submission)
    return grade, ({} if created else grade_history.snapshot(grade, submission.status))


def _record(grade: Grade, submission: Submission, before: dict, by: User | None) -> Grade:
    after = grade_history.snapshot(grade, submission.status)
    if after == before:
        return grade  # the same form sent twice: nothing changed, nothing to record
    grade.save()
    submission.save(update_fields=["status", "updated_at"])
    GradeChange.objects.create(grade=grade, changed_by=by, before=before, after=after)
    return grade


def save_grade(
    submission: Submission,
    by: User | None,
    *,
    points: Decimal | int | str | None = None,
    rubric_levels: Mapping[str, str] | None = None,
    rubric_comments: Mapping[str, str] | None = None,
    feedback: str = "",
    release: bool = False,
    files: Iterable[CheckedUpload] = (),
    announce: bool = True,
) -> Grade:
    """Grade one attempt, as a draft or released to the pupil, with feedback files checked by
    feedback_files.check_feedback_file. A released grade edited again stays released (the pupil
    sees the new value; the history keeps the old one). `announce=False`: no notification of
    the release (a quiz marked as it is handed in: the pupil is looking at the result)."""
    with feedback_files.stored_until_saved(files) as stored, transaction.atomic():
        locked = _locked(submission)
        feedback = _check_feedback(feedback)
        points_given, choices = scoring.score(
            locked.assignment, points, rubric_levels, rubric_comments
        )
        penalty = late_penalty_percent(locked.assignment, locked.late_days)
        grade, before = _grade_of(locked)
        grade.points = points_given
        grade.penalty_percent = penalty
        grade.final_points = scoring.after_penalty(points_given, penalty)
        grade.feedback = feedback
        grade.rubric_choices = choices
        grade.graded_by = by
        newly_released = release and not grade.is_released
        if newly_released:
            grade.is_released = True
            grade.released_at = timezone.now()
        # Work returned for rework stays open for a new attempt even if points are added.
        if grade.is_released and locked.status == Status.SUBMITTED:
            locked.status = Status.GRADED
        grade = _record(grade, locked, before, by)
        feedback_files.add_feedback_files(grade, stored, by)
        if newly_released and announce:
            notifications.announce(Notification.Kind.RELEASED, grade.pk)
    submission.status = locked.status
    return grade


def return_for_rework(
    submission: Submission,
    by: User | None,
    feedback: str,
    files: Iterable[CheckedUpload] = (),
) -> Grade:
    """Send the work back with feedback (released at once), and any feedback files: the pupil
    may hand in a new attempt. Points already saved stay as they are."""
    feedback = _check_feedback(feedback)
    if not feedback:
        raise ScoreError(_("Write what the pupil should rework: they will read it."))
    with feedback_files.stored_until_saved(files) as stored, transaction.atomic():
        locked = _locked(submission)
        newer = Submission.objects.filter(
            assignment_id=locked.assignment_id, pupil_id=locked.pupil_id, attempt__gt=locked.attempt
        ).exclude(status=Status.DRAFT)
        if newer.exists():
            raise ScoreError(
                _("The pupil has already handed in a newer attempt. Open that one instead.")
            )
        grade, before = _grade_of(locked)
        if not before:  # a new grade: no points yet, the penalty that would apply
            grade.penalty_percent = late_penalty_percent(locked.assignment, locked.late_days)
        grade.feedback = feedback
        grade.graded_by = by
        if not grade.is_released:
            grade.is_released = True
            grade.released_at = timezone.now()
        locked.status = Status.RETURNED
        grade = _record(grade, locked, before, by)
        feedback_files.add_feedback_files(grade, stored, by)
        notifications.announce(Notification.Kind.RETURNED, locked.pk)
    submission.status = locked.status
    return grade


def release_grades(items: Iterable[Grade | Submission], by: User | None) -> int:
    """Release draft grades (given as grades or as their submissions) in one go, a history row
    for each. Grades already released, or without points, are left alone. Returns how many."""
    submission_ids = {item.submission_id if isinstance(item, Grade) else item.pk for item in items}
    if not submission_ids:
        return 0
    with transaction.atomic():
        # Lock the submissions first (as save_grade does) so both take locks in the same order.
        locked = {
            s.pk: s
            for s in Submission.objects.select_for_update()
            .filter(pk__in=submission_ids)
            .exclude(status=Status.DRAFT)
        }
        grades = list(
            Grade.objects.select_for_update().filter(
                submission_id__in=locked, is_released=False, points__isnull=False
            )
        )
        now = timezone.now()
        changes, changed_submissions = [], []
        for grade in grades:
            submission = locked[grade.submission_id]
            before = grade_history.snapshot(grade, submission.status)
            grade.is_released, grade.released_at, grade.updated_at = True, now, now
            if submission.status == Status.SUBMITTED:
                submission.status, submission.updated_at = Status.GRADED, now
                changed_submissions.append(submission)
            after = grade_history.snapshot(grade, submission.status)
            changes.append(GradeChange(grade=grade, changed_by=by, before=before, after=after))
        Grade.objects.bulk_update(grades, ["is_released", "released_at", "updated_at"])
        Submission.objects.bulk_update(changed_submissions, ["status", "updated_at"])
        GradeChange.objects.bulk_create(changes)
        for pupil_id in {locked[grade.submission_id].pupil_id for grade in grades}:
            work_cache.work_changed(pupil_id)  # bulk_update sends no signal
        for grade in grades:
            notifications.announce(Notification.Kind.RELEASED, grade.pk)
    return len(grades)


def release_drafts(group: StudyGroup, assignment: Assignment, by: User | None) -> int:
    """The queue's "release drafts" button: every draft grade of the latest attempts at
    `assignment` in the group, released in one go. Returns how many."""
    return release_grades(draft_grades(group, assignment), by)


# --- Reading: the grading page ----------------------------------------------------------------


def other_attempts(submission: Submission, user: User) -> list[Submission]:
    """The pupil's other handed-in attempts at the same assignment, with their grades; only
    those made in groups the user may grade (a pupil who changed groups keeps the old
    group's grades from the new teacher, as the grade itself would be)."""
    return list(
        Submission.objects.filter(
            assignment_id=submission.assignment_id,
            pupil_id=submission.pupil_id,
            group__in=permissions.groups_with(user, permissions.GRADE_GROUP),
        )
        .exclude(pk=submission.pk)
        .exclude(status=Status.DRAFT)
        .select_related("grade")
        .order_by("attempt")
    )


def penalty_for(submission: Submission) -> int:
    """The late penalty (%) a grade of this attempt gets."""
    return late_penalty_percent(submission.assignment, submission.late_days)
