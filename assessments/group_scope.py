"""What a study group takes or took: whole courses, or single modules of them (a visiting group
never sees a module the park did not share), and so which assignments are the group's.

Ended enrolments count too: work handed in then still needs a grade, and grades stay readable
after a course ends (nothing lost). Every page about a group's work asks these."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q, QuerySet

from assessments.models import Assignment
from courses.models import CoursePage, Enrolment
from lms.models import StudyGroup


@dataclass
class CourseScope:
    """A course a group is or was enrolled in, and the part of it (whole, or some modules)."""

    course: CoursePage
    prefixes: set[str] = field(default_factory=set)  # page paths: the course or its modules

    def covers(self, lesson_path: str) -> bool:
        return lesson_path.startswith(tuple(self.prefixes))

    def lessons_q(self, prefix: str = "lesson__") -> Q:
        condition = Q(pk__in=[])
        for path in sorted(self.prefixes):
            condition |= Q(**{f"{prefix}path__startswith": path})
        return condition


def enrolled_courses(group: StudyGroup) -> dict[int, CourseScope]:
    """Course id -> scope, from active AND ended enrolments: grades stay readable after a course
    ends (nothing lost). One query."""
    scopes: dict[int, CourseScope] = {}
    enrolments = Enrolment.objects.filter(group=group).select_related("course", "module")
    for enrolment in enrolments.order_by("course__title", "pk"):
        scope = scopes.setdefault(enrolment.course_id, CourseScope(enrolment.course))
        target = enrolment.module if enrolment.module_id else enrolment.course
        scope.prefixes.add(target.path)
    return scopes


def group_assignments(group: StudyGroup) -> QuerySet[Assignment]:
    """Assignments of what the group takes or took: whole courses, or single modules of them
    (a visiting group never sees a module the park did not share). Ended enrolments count
    too: work handed in then still needs a grade."""
    condition = Q(pk__in=[])
    for course_id, module_path in group.enrolments.values_list("course_id", "module__path"):
        if module_path is None:
            condition |= Q(course_id=course_id)
        else:
            condition |= Q(course_id=course_id, lesson__path__startswith=module_path)
    return Assignment.objects.filter(condition).order_by("lesson__path", "pk")
