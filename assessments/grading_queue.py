"""The teacher's grading queue of one group: the latest handed-in attempt of each pupil at each
assignment the group takes, in the order work needs the teacher, with a summary per assignment.
Reads only; grades are saved by assessments.grading."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Case as SqlCase
from django.db.models import Count, Exists, IntegerField, OuterRef, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce

from assessments.group_scope import group_assignments
from assessments.models import Assignment, Grade, Submission, SubmissionFile
from lms.models import StudyGroup

Status = Submission.Status

# Queue order: work nobody has graded yet, on time before late; then grades saved as drafts
# (they only need releasing); then work returned for rework (the pupil's move); with "show
# graded", released grades last.
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
