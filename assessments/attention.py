"""What needs a teacher in each of their groups: work to grade, and pupils who are late. Read by
"My groups" (a count on each card) and a group's page (per assignment, first on the page).

* **To grade**: what the grading queue (assessments.grading_queue) lists as not graded yet:
  each pupil's latest handed-in attempt in the group that is handed in and has no grade at
  all (neither a draft nor a released one), at an assignment of what the group takes or took.
  Grades saved as drafts only need releasing, and work returned for rework is the pupil's
  move, so neither is counted. (A timed quiz attempt whose time is up counts once it is
  closed: the queue closes them as it opens.)
* **Late**: a pupil of the group has handed in nothing (a draft is not handed in) at an
  assignment the group takes now (an active enrolment of a group that is not archived; the
  assignment not archived, its lesson and course published) whose due date for that pupil has
  passed: the pupil's extension in the group, else the group's own due date, else the
  assignment's (assessments.deadlines). Work handed in through another group counts as handed
  in; past the cut-off the work stays late (nothing more is accepted, the teacher still has to
  act); an assignment without a due date is never late. The card counts pupils (one late
  pupil with three works is "1 late"); the group page lists the pupils per assignment.

One query (the two lists in one UNION ALL) for any number of groups, pupils, assignments and
attempts."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Count, Exists, F, IntegerField, OuterRef, Q, Value
from django.db.models.functions import Left, Length
from django.utils import timezone
from wagtail.models import Page

from assessments.deadlines import due_at_sql
from assessments.grading_queue import latest_attempts
from assessments.models import Assignment, Submission
from courses.models import Enrolment
from lms.models import Membership, StudyGroup, User

Status = Submission.Status
_ENROLMENT = "course__enrolments"


@dataclass
class AssignmentAttention:
    """One assignment of one group that needs the teacher."""

    assignment_id: int
    title: str
    lesson_path: str
    to_grade: int = 0
    late_pupil_ids: list[int] = field(default_factory=list)
    late_pupils: list[User] = field(default_factory=list)  # filled by GroupAttention.name_pupils

    @property
    def late(self) -> int:
        return len(self.late_pupil_ids)


@dataclass
class GroupAttention:
    to_grade: int = 0
    late: int = 0  # pupils late with at least one work
    assignments: list[AssignmentAttention] = field(default_factory=list)  # in outline order

    @property
    def is_empty(self) -> bool:
        return not (self.to_grade or self.late)

    def name_pupils(self, pupils: Iterable[User]) -> GroupAttention:
        """Fill each assignment's late pupils from the group's pupils the page has already
        read (in that order): no query."""
        pupils = list(pupils)
        for entry in self.assignments:
            late = set(entry.late_pupil_ids)
            entry.late_pupils = [p for p in pupils if p.pk in late]
        return self


def _module_path(lesson_path: str) -> Left:
    """A lesson's module path in SQL (courses.tree.module_path_of: the parent's path)."""
    return Left(lesson_path, Length(lesson_path) - Page.steplen)


# What a row of the one query says: a number of works to grade, or one late pupil.
TO_GRADE, LATE = 0, 1


def _to_grade_rows(group_ids: list[int]):
    """(TO_GRADE, group, assignment, title, lesson path, count) of the work nobody has graded
    yet."""
    in_scope = Enrolment.objects.filter(
        group_id=OuterRef("group_id"), course_id=OuterRef("assignment__course_id")
    ).filter(Q(module__isnull=True) | Q(module__path=OuterRef("module_path")))
    waiting = latest_attempts(
        Submission.objects.filter(
            group_id__in=group_ids, status=Status.SUBMITTED, grade__isnull=True
        )
    )
    return (
        waiting.annotate(
            module_path=_module_path("assignment__lesson__path"),
            row=Value(TO_GRADE, output_field=IntegerField()),
        )
        .filter(Exists(in_scope))
        .values_list(
            "row", "group_id", "assignment_id", "assignment__title", "assignment__lesson__path"
        )
        .annotate(n=Count("pk"))
        .order_by()
    )


def _late_rows(group_ids: list[int], now: datetime):
    """(LATE, group, assignment, title, lesson path, pupil) for each late pupil at each
    assignment."""
    handed_in = Submission.objects.filter(
        assignment_id=OuterRef("pk"), pupil_id=OuterRef("late_pupil")
    ).exclude(status=Status.DRAFT)
    return (
        Assignment.objects.filter(is_archived=False, lesson__live=True, course__live=True)
        .annotate(module_path=_module_path("lesson__path"))
        # One filter() call: the enrolment, its group and the membership are the same rows.
        .filter(
            Q(**{f"{_ENROLMENT}__module__isnull": True})
            | Q(**{f"{_ENROLMENT}__module__path": F("module_path")}),
            **{
                f"{_ENROLMENT}__group_id__in": group_ids,
                f"{_ENROLMENT}__is_active": True,
                f"{_ENROLMENT}__group__is_archived": False,
                f"{_ENROLMENT}__group__memberships__role": Membership.Role.PUPIL,
            },
        )
        .annotate(
            row=Value(LATE, output_field=IntegerField()),
            late_group=F(f"{_ENROLMENT}__group_id"),
            late_pupil=F(f"{_ENROLMENT}__group__memberships__user_id"),
        )
        .annotate(pupil_due=due_at_sql("pk", "late_group", "late_pupil", "due_at"))
        .filter(pupil_due__lt=now)
        .exclude(Exists(handed_in))
        .values_list("row", "late_group", "pk", "title", "lesson__path", "late_pupil")
        .distinct()  # a group enrolled in the whole course and in one of its modules
        .order_by()
    )


def groups_attention(
    groups: Iterable[StudyGroup], now: datetime | None = None
) -> dict[int, GroupAttention]:
    """Group id -> what needs the teacher there (an empty GroupAttention when nothing does).
    One query, none for no groups."""
    group_ids = [g.pk for g in groups]
    found: dict[int, GroupAttention] = {pk: GroupAttention() for pk in group_ids}
    if not group_ids:
        return found
    per_assignment: dict[tuple[int, int], AssignmentAttention] = {}

    def item(group_id: int, assignment_id: int, title: str, path: str) -> AssignmentAttention:
        key = (group_id, assignment_id)
        if key not in per_assignment:
            per_assignment[key] = AssignmentAttention(assignment_id, title, path)
        return per_assignment[key]

    late_pupils: dict[int, set[int]] = defaultdict(set)
    rows = _to_grade_rows(group_ids).union(_late_rows(group_ids, now or timezone.now()), all=True)
    for row, group_id, assignment_id, title, path, value in rows:
        entry = item(group_id, assignment_id, title, path)
        if row == TO_GRADE:  # value: how many works
            entry.to_grade += value
            found[group_id].to_grade += value
        else:  # value: the late pupil
            entry.late_pupil_ids.append(value)
            late_pupils[group_id].add(value)
    for group_id, pupils in late_pupils.items():
        found[group_id].late = len(pupils)
    for (group_id, _assignment_id), entry in sorted(
        per_assignment.items(), key=lambda kv: (kv[1].lesson_path, kv[1].assignment_id)
    ):
        found[group_id].assignments.append(entry)
    return found


def group_attention(group: StudyGroup, now: datetime | None = None) -> GroupAttention:
    """One group's: the same one query."""
    return groups_attention([group], now)[group.pk]
