"""Grading: the teacher's queue of one group, saving and releasing grades, returning work for
rework, and the history of every change (one GradeChange per change, never edited).

Plain functions, each atomic; the views only check access (lms.permissions) and call these.
A refusal is a `scoring.ScoreError` whose message the teacher can read; nothing is saved then.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Case as SqlCase
from django.db.models import (
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments import notifications, scoring, uploads
from assessments.deadlines import late_penalty_percent
from assessments.models import (
    Assignment,
    Grade,
    GradeChange,
    GradeFile,
    Notification,
    Submission,
    SubmissionFile,
)
from assessments.scoring import ScoreError
from lms import permissions
from lms.models import StudyGroup, User

Status = Submission.Status

# A setting when present; the default keeps a feedback far below the markdown renderer's limit.
FEEDBACK_MAX_CHARS = getattr(settings, "LMS_FEEDBACK_MAX_CHARS", 20_000)
COMMENT_MAX_CHARS = 2000  # scoring.rubric_choices keeps at most this much of a comment

_NUMBER = re.compile(r"-?\d+(\.\d+)?")  # plain decimals only: no "1e9", "NaN", "Infinity"


# --- The queue ------------------------------------------------------------------------------

# Queue order (issue: "not yet graded first, then late, then returned"): work nobody has graded
# yet, on time before late; then grades saved as drafts (they only need releasing); then work
# returned for rework (the pupil's move); with "show graded", released grades last.
NOT_GRADED, LATE, DRAFT_GRADE, RETURNED, GRADED = range(5)
STATES = {
    NOT_GRADED: "new",
    LATE: "late",
    DRAFT_GRADE: "draft",
    RETURNED: "returned",
    GRADED: "graded",
}


@dataclass
class AssignmentSummary:
    assignment: Assignment
    not_graded: int = 0
    drafts: int = 0
    returned: int = 0
    graded: int = 0


@dataclass
class Queue:
    entries: list[Submission]  # annotated with `bucket` and `file_count`
    assignments: list[Assignment]  # every assignment of the group's courses (the filter)
    summaries: list[AssignmentSummary] = field(default_factory=list)
    assignment: Assignment | None = None  # the filter in force


def latest_attempts(submissions: QuerySet[Submission]) -> QuerySet[Submission]:
    """Only each pupil's latest handed-in attempt per assignment: a newer draft does not hide
    the returned attempt it reworks, and a newer attempt made in another group does hide it."""
    newer = Submission.objects.filter(
        assignment=OuterRef("assignment"), pupil=OuterRef("pupil"), attempt__gt=OuterRef("attempt")
    ).exclude(status=Status.DRAFT)
    return submissions.exclude(Exists(newer))


def group_assignments(group: StudyGroup) -> QuerySet[Assignment]:
    """Assignments of what the group takes or took: whole courses, or single modules of them
    (a visiting group never sees a module the park did not share). Ended enrolments count
    too: work handed in then still needs a grade."""
    condition = Q(pk__in=[])
    for course_id, module_path in group.enrollments.values_list("course_id", "module__path"):
        if module_path is None:
            condition |= Q(course_id=course_id)
        else:
            condition |= Q(course_id=course_id, lesson__path__startswith=module_path)
    return Assignment.objects.filter(condition).order_by("lesson__path", "pk")


def _queue_queryset(
    group: StudyGroup, assignment_ids: list[int], include_graded: bool
) -> QuerySet[Submission]:
    statuses = [Status.SUBMITTED, Status.RETURNED]
    if include_graded:
        statuses.append(Status.GRADED)
    files = (
        SubmissionFile.objects.filter(submission=OuterRef("pk"))
        .order_by()
        .values("submission")
        .annotate(n=Count("pk"))
        .values("n")
    )
    submissions = Submission.objects.filter(
        group=group,
        status__in=statuses,
        assignment_id__in=assignment_ids,
    )
    return (
        latest_attempts(submissions)
        .select_related("pupil", "assignment", "grade")
        .annotate(
            bucket=SqlCase(
                When(status=Status.GRADED, then=Value(GRADED)),
                When(status=Status.RETURNED, then=Value(RETURNED)),
                When(grade__isnull=False, then=Value(DRAFT_GRADE)),
                When(is_late=True, then=Value(LATE)),
                default=Value(NOT_GRADED),
                output_field=IntegerField(),
            ),
            handed_in=Coalesce("submitted_at", "created_at"),
            file_count=Coalesce(Subquery(files, output_field=IntegerField()), Value(0)),
        )
        .order_by("bucket", "handed_in", "pk")
    )


def grading_queue(
    group: StudyGroup,
    assignment_id: int | None = None,
    include_graded: bool = False,
    assignments: list[Assignment] | None = None,
) -> Queue:
    """The group's queue, with a summary per assignment. Three queries (two when the caller
    has the group's assignments already), whatever the size."""
    if assignments is None:
        assignments = list(group_assignments(group))
    by_id = {a.pk: a for a in assignments}
    entries = list(_queue_queryset(group, list(by_id), include_graded))
    summaries: dict[int, AssignmentSummary] = {}
    for entry in entries:
        entry.state = STATES[entry.bucket]  # a name for the template and the CSS
        summary = summaries.setdefault(entry.assignment_id, AssignmentSummary(entry.assignment))
        if entry.bucket in (NOT_GRADED, LATE):
            summary.not_graded += 1
        elif entry.bucket == DRAFT_GRADE:
            summary.drafts += 1
        elif entry.bucket == RETURNED:
            summary.returned += 1
        else:
            summary.graded += 1
    chosen = by_id.get(assignment_id) if assignment_id is not None else None
    if chosen is not None:
        entries = [e for e in entries if e.assignment_id == chosen.pk]
    ordered = [summaries[a.pk] for a in assignments if a.pk in summaries]
    return Queue(entries=entries, assignments=assignments, summaries=ordered, assignment=chosen)


def draft_grades(group: StudyGroup, assignment: Assignment) -> list[Grade]:
    """Grades saved as drafts of the latest attempts at `assignment` in the group: what the
    queue's "release drafts" button counts, and releases."""
    submissions = latest_attempts(
        Submission.objects.filter(group=group, assignment=assignment, status=Status.SUBMITTED)
    )
    return list(
        Grade.objects.filter(submission__in=submissions, is_released=False, points__isnull=False)
    )


# --- Points from the form -------------------------------------------------------------------


def parse_points(raw: str) -> Decimal:
    """Typed points: "7", "7.5" or "7,5" (a Russian keyboard's decimal comma)."""
    text = raw.strip().replace(",", ".")
    if not text:
        raise ScoreError(_("Enter the points."))
    if not _NUMBER.fullmatch(text):
        raise ScoreError(_("Enter the points as a number, for example 7 or 7.5."))
    value = Decimal(text)
    return value if value != 0 else Decimal(0)  # "-0" is zero, not a negative grade


def _as_points(points: Decimal | int | str) -> Decimal:
    if isinstance(points, str):
        return parse_points(points)
    try:
        value = Decimal(str(points))
    except InvalidOperation:
        raise ScoreError(_("Enter the points as a number, for example 7 or 7.5.")) from None
    if not value.is_finite():  # NaN and infinities cannot even be compared
        raise ScoreError(_("Enter the points as a number, for example 7 or 7.5."))
    return value if value != 0 else Decimal(0)


def score(
    assignment: Assignment,
    points: Decimal | int | str | None,
    rubric_levels: Mapping[str, str] | None,
    rubric_comments: Mapping[str, str] | None,
) -> tuple[Decimal, dict]:
    """Points and the rubric snapshot, checked: with a rubric the chosen levels decide (every
    criterion, each with a level of its own), without one the typed points (0 to maximum)."""
    rubric = assignment.rubric
    if rubric is None:
        if points is None or points == "":
            raise ScoreError(_("Enter the points."))
        return scoring.check_points(_as_points(points), assignment.max_points), {}
    table = rubric.table()
    criteria = {criterion.id: criterion for criterion in table}
    levels = dict(rubric_levels or {})
    comments = dict(rubric_comments or {})
    for criterion_id in {*levels, *comments}:
        if criterion_id not in criteria:  # another rubric's id, or this one since edited
            raise ScoreError(
                _("The rubric has changed since this page was opened. Check the choices again.")
            )
    for criterion_id, level_id in levels.items():
        criterion = criteria[criterion_id]
        if level_id and level_id not in {level.id for level in criterion.levels}:
            raise ScoreError(
                _("That level does not belong to “%(criterion)s”. Choose one of its own levels.")
                % {"criterion": criterion.title}
            )
    for criterion_id, comment in comments.items():
        if len(comment.strip()) > COMMENT_MAX_CHARS:
            raise ScoreError(
                _("The comment on “%(criterion)s” is too long: at most %(max)d characters.")
                % {"criterion": criteria[criterion_id].title, "max": COMMENT_MAX_CHARS}
            )
    snapshot, total = scoring.rubric_choices(table, levels, comments)
    return scoring.check_points(total, rubric.max_points), snapshot


# --- Saving, releasing, returning -----------------------------------------------------------


def snapshot(grade: Grade, status: str) -> dict:
    """What a GradeChange records on either side of a change."""
    return {
        "points": None if grade.points is None else str(grade.points),
        "penalty_percent": grade.penalty_percent,
        "final_points": None if grade.final_points is None else str(grade.final_points),
        "feedback": grade.feedback,
        "rubric_choices": grade.rubric_choices,
        "is_released": grade.is_released,
        "status": status,
    }


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
    return grade, ({} if created else snapshot(grade, submission.status))


def _record(grade: Grade, submission: Submission, before: dict, by: User | None) -> Grade:
    after = snapshot(grade, submission.status)
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
) -> Grade:
    """Grade one attempt, as a draft or released to the pupil. A released grade edited again
    stays released (the pupil sees the new value; the history keeps the old one)."""
    with transaction.atomic():
        locked = _locked(submission)
        feedback = _check_feedback(feedback)
        points_given, choices = score(locked.assignment, points, rubric_levels, rubric_comments)
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
        if newly_released:
            notifications.announce(Notification.Kind.RELEASED, grade.pk)
    submission.status = locked.status
    return grade


def return_for_rework(submission: Submission, by: User | None, feedback: str) -> Grade:
    """Send the work back with feedback (released at once): the pupil may hand in a new attempt.
    Points already saved stay as they are."""
    feedback = _check_feedback(feedback)
    if not feedback:
        raise ScoreError(_("Write what the pupil should rework: they will read it."))
    with transaction.atomic():
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
            before = snapshot(grade, submission.status)
            grade.is_released, grade.released_at, grade.updated_at = True, now, now
            if submission.status == Status.SUBMITTED:
                submission.status, submission.updated_at = Status.GRADED, now
                changed_submissions.append(submission)
            after = snapshot(grade, submission.status)
            changes.append(GradeChange(grade=grade, changed_by=by, before=before, after=after))
        Grade.objects.bulk_update(grades, ["is_released", "released_at", "updated_at"])
        Submission.objects.bulk_update(changed_submissions, ["status", "updated_at"])
        GradeChange.objects.bulk_create(changes)
        for grade in grades:
            notifications.announce(Notification.Kind.RELEASED, grade.pk)
    return len(grades)


# --- Feedback files ---------------------------------------------------------------------------
# Checked in the form (a refused file refuses the whole save: nothing is stored), written to
# storage before the grade's transaction, their rows added inside it; if anything fails the
# stored files are deleted again, so a failed request leaves nothing behind.


def feedback_file_max_bytes() -> int:
    return settings.LMS_FEEDBACK_FILE_MAX_MB * 1024 * 1024


def check_feedback_file(uploaded) -> uploads.CheckedFile:
    """Any kind of file we know, up to the size limit. Raises uploads.UploadError."""
    return uploads.check_upload(uploaded, accepted=[], max_bytes=feedback_file_max_bytes())


@dataclass(frozen=True)
class StoredFeedbackFile:
    name: str  # the storage name
    checked: uploads.CheckedFile


def store_feedback_files(
    files: Iterable[tuple[object, uploads.CheckedFile]],
) -> list[StoredFeedbackFile]:
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


# --- Reading: other attempts and the history ------------------------------------------------


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


FIELD_LABELS = {
    "points": gettext_lazy("Points"),
    "penalty_percent": gettext_lazy("Late penalty, %"),
    "final_points": gettext_lazy("Final points"),
    "feedback": gettext_lazy("Feedback"),
    "rubric_choices": gettext_lazy("Rubric"),
    "is_released": gettext_lazy("Released to the pupil"),
    "status": gettext_lazy("Status"),
}


@dataclass(frozen=True)
class FieldChange:
    key: str
    label: str
    before: str
    after: str


@dataclass(frozen=True)
class HistoryEntry:
    changed_by: User | None
    changed_at: object
    changes: list[FieldChange]
    is_first: bool


def _shown(key: str, value) -> str:
    """A recorded value as text for the history (the template escapes it)."""
    if value is None or value == "" or value == {}:
        return "—"
    if key == "is_released":
        return _("yes") if value else _("no")
    if key == "status":
        try:
            return str(Status(value).label)
        except ValueError:
            return str(value)
    if key == "rubric_choices" and isinstance(value, dict):
        parts = []
        for chosen in value.values():
            criterion, level = chosen.get("criterion", ""), chosen.get("level", "")
            text = f"{criterion}: {level} ({chosen.get('points', '')})"
            if chosen.get("comment"):
                text += f" — {chosen['comment']}"
            parts.append(text)
        return "; ".join(parts)
    return str(value)


def grade_history(grade: Grade) -> list[HistoryEntry]:
    """Who changed the grade, when, and what from and to (oldest first). One query. The caller
    has checked that the user may grade the submission's group."""
    entries = []
    for change in grade.history.select_related("changed_by").order_by("changed_at", "pk"):
        before, after = change.before or {}, change.after or {}
        changes = [
            FieldChange(key, str(label), _shown(key, before.get(key)), _shown(key, after.get(key)))
            for key, label in FIELD_LABELS.items()
            if before.get(key) != after.get(key) and not (not before and after.get(key) in ("", {}))
        ]
        entries.append(HistoryEntry(change.changed_by, change.changed_at, changes, not before))
    return entries


def penalty_for(submission: Submission) -> int:
    """The late penalty (%) a grade of this attempt gets."""
    return late_penalty_percent(submission.assignment, submission.late_days)
