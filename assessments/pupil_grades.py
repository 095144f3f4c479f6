"""The pupil's own "My grades": the work due and the work waiting for a grade (my_work), then
every course in which they have a released grade, the counted grade of each assignment
(scoring.counted_score over the released attempts), the course total, and the released states
of each grade's history. Only the pupil's own work, never a draft grade."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.db.models import F
from django.utils.safestring import SafeString

from assessments.grade_history import HistoryEntry, released_history
from assessments.models import Submission
from assessments.next_steps import NextSteps, next_steps, pupil_work
from assessments.scoring import AttemptScore, counted_score, weighted_percent
from cms.markdown import render_markdown
from lms.models import User

ZERO = Decimal(0)


@dataclass
class MyGrade:
    assignment_id: int
    title: str
    lesson_title: str
    max_points: Decimal
    weight: Decimal
    points: Decimal
    attempt: int
    is_late: bool
    late_days: int
    penalty_percent: int
    released_at: datetime | None
    feedback: str
    history: list[HistoryEntry] = field(default_factory=list)

    @property
    def feedback_html(self) -> SafeString:
        return render_markdown(self.feedback)


@dataclass
class MyCourse:
    course_id: int
    title: str
    grades: list[MyGrade] = field(default_factory=list)

    @property
    def percent(self) -> Decimal | None:
        return weighted_percent([(g.points, g.max_points, g.weight) for g in self.grades])

    @property
    def points(self) -> Decimal:
        return sum((g.points for g in self.grades), start=ZERO)


def my_work(pupil: User) -> NextSteps:
    """Beside the grades: the pupil's work due (returned work included) and the work waiting
    for a grade (assessments.next_steps; a fixed number of queries)."""
    return next_steps(pupil_work(pupil))


def my_grades(pupil: User) -> list[MyCourse]:
    """Every course in which the pupil has a released grade, with the counted grade of each
    assignment and the released states of its history. Only the pupil's own work (2 queries)."""
    submissions = list(
        Submission.objects.filter(
            pupil=pupil,
            grade__is_released=True,
            grade__final_points__isnull=False,
            assignment__is_archived=False,
        )
        .exclude(status=Submission.Status.DRAFT)
        .select_related("grade", "assignment")
        .annotate(
            course_title=F("assignment__course__title"),
            lesson_title=F("assignment__lesson__title"),
        )
        .order_by("assignment__course__title", "assignment__lesson__path", "assignment_id")
    )
    by_assignment: dict[int, list[Submission]] = defaultdict(list)
    for submission in submissions:
        by_assignment[submission.assignment_id].append(submission)
    history = released_history(pupil, by_assignment)
    courses: dict[int, MyCourse] = {}
    for assignment_id, attempts in by_assignment.items():
        assignment = attempts[0].assignment
        counted = counted_score(
            [AttemptScore(s.attempt, s.grade.final_points) for s in attempts], assignment.counts
        )
        chosen = next(s for s in attempts if s.attempt == counted.attempt)
        course = courses.setdefault(
            assignment.course_id, MyCourse(assignment.course_id, chosen.course_title)
        )
        course.grades.append(
            MyGrade(
                assignment_id=assignment_id,
                title=assignment.title,
                lesson_title=chosen.lesson_title,
                max_points=assignment.max_points,
                weight=assignment.weight,
                points=chosen.grade.final_points,
                attempt=chosen.attempt,
                is_late=chosen.is_late,
                late_days=chosen.late_days,
                penalty_percent=chosen.grade.penalty_percent,
                released_at=chosen.grade.released_at,
                feedback=chosen.grade.feedback,
                history=history.get(assignment_id, []),
            )
        )
    return list(courses.values())
