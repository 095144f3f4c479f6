"""What the host park shares with partner schools, and what a school's groups may be enrolled in.

A host park's groups may take any course. A partner (visiting) school's groups may take only
what is shared with that school or with all partners: whole courses or single modules. When a
share is withdrawn, the enrolments it allowed are switched off (not deleted: progress stays)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from courses import tree
from courses.models import CoursePage, CourseShare, Enrolment, ModulePage
from lms.access_cache import access_changed
from lms.models import School


@dataclass(frozen=True)
class SharedScope:
    everything: bool = False
    course_ids: frozenset[int] = frozenset()  # shared whole
    module_ids: frozenset[int] = frozenset()  # shared one by one

    def covers(self, course_id: int, module_id: int | None) -> bool:
        if self.everything or course_id in self.course_ids:
            return True
        return module_id is not None and module_id in self.module_ids


def shares_for(school: School) -> QuerySet[CourseShare]:
    return CourseShare.objects.filter(Q(school=school) | Q(school__isnull=True))


def scope_for(school: School) -> SharedScope:
    """What this school's groups may be enrolled in. One query (none for a host park)."""
    if school.kind == School.Kind.HOST:
        return SharedScope(everything=True)
    course_ids, module_ids = set(), set()
    for course_id, module_id in shares_for(school).values_list("course_id", "module_id"):
        if module_id is None:
            course_ids.add(course_id)
        else:
            module_ids.add(module_id)
    return SharedScope(course_ids=frozenset(course_ids), module_ids=frozenset(module_ids))


@dataclass
class SharedCourse:
    course: CoursePage
    whole: bool
    modules: list[ModulePage]  # what may be taken one by one (all modules when whole)


def shared_catalogue(school: School) -> list[SharedCourse]:
    """The courses and modules a school may enrol its groups in, in catalogue order.
    Three queries whatever the catalogue's size."""
    scope = scope_for(school)
    courses = CoursePage.objects.live().order_by("path")
    if not scope.everything:
        module_course_ids = ModulePage.objects.filter(pk__in=scope.module_ids).values_list(
            "path", flat=True
        )
        prefixes = {tree.parent_path(path) for path in module_course_ids}
        courses = courses.filter(Q(pk__in=scope.course_ids) | Q(path__in=prefixes))
    courses = list(courses)
    if not courses:
        return []
    condition = Q()
    for course in courses:
        condition |= Q(path__startswith=course.path, depth=course.depth + 1)
    modules = list(ModulePage.objects.live().filter(condition).order_by("path"))
    result = []
    for course in courses:
        whole = scope.everything or course.pk in scope.course_ids
        own = [m for m in modules if m.path.startswith(course.path)]
        if not whole:
            own = [m for m in own if m.pk in scope.module_ids]
        result.append(SharedCourse(course=course, whole=whole, modules=own))
    return result


def switch_off_unshared_enrolments() -> int:
    """Deactivate partner schools' enrolments that no share covers any more. Returns how many.
    Called whenever a share is removed or changed."""
    switched = 0
    active = Enrolment.objects.filter(
        is_active=True, group__school__kind=School.Kind.VISITING
    ).select_related("group__school")
    scopes: dict[int, SharedScope] = {}
    stale = []
    for enrolment in active:
        school = enrolment.group.school
        if school.pk not in scopes:
            scopes[school.pk] = scope_for(school)
        if not scopes[school.pk].covers(enrolment.course_id, enrolment.module_id):
            stale.append(enrolment.pk)
    if stale:
        switched = Enrolment.objects.filter(pk__in=stale).update(is_active=False)
        access_changed()  # update() sends no signal
    return switched
