"""What a teacher reads about a group: pupils x lessons of the group's courses, with completion
and last activity. A fixed number of queries whatever the number of pupils, lessons or groups."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Count, Q

from courses import tree
from courses.models import Enrolment, LessonPage, LessonProgress, ModulePage
from courses.services import percent_of
from lms.models import Membership, StudyGroup, User


@dataclass
class GridLesson:
    id: int
    title: str
    path: str


@dataclass
class GridModule:
    id: int
    title: str
    lessons: list[GridLesson] = field(default_factory=list)


@dataclass
class GridCourse:
    id: int
    title: str
    url: str
    modules: list[GridModule] = field(default_factory=list)

    @property
    def lessons(self) -> list[GridLesson]:
        return [lesson for module in self.modules for lesson in module.lessons]


@dataclass
class GridCell:
    lesson_id: int
    opened: bool = False
    completed: bool = False


@dataclass
class GridRow:
    pupil: User
    cells: list[GridCell]
    last_activity: datetime | None

    @property
    def completed(self) -> int:
        return sum(cell.completed for cell in self.cells)

    @property
    def percent(self) -> int:
        return percent_of(self.completed, len(self.cells))


@dataclass
class ProgressGrid:
    courses: list[GridCourse]
    rows: list[GridRow]

    @property
    def lessons(self) -> list[GridLesson]:
        return [lesson for course in self.courses for lesson in course.lessons]


def _enrolled_scope(enrolments: list[Enrolment]) -> Q:
    """Pages under the enrolled courses or modules."""
    condition = Q(pk__in=[])
    for enrolment in enrolments:
        target = enrolment.module if enrolment.module_id else enrolment.course
        condition |= Q(path__startswith=target.path)
    return condition


def group_courses(group: StudyGroup) -> list[GridCourse]:
    """The group's active enrolments as courses > modules > lessons (3 queries)."""
    enrolments = list(
        Enrolment.objects.filter(group=group, is_active=True).select_related("course", "module")
    )
    if not enrolments:
        return []
    scope = _enrolled_scope(enrolments)
    lessons = LessonPage.objects.live().filter(scope).order_by("path").values("id", "title", "path")
    course_paths = {e.course.path for e in enrolments}
    module_q = Q(pk__in=[])
    for path in course_paths:
        module_q |= Q(path__startswith=path)
    modules = (
        ModulePage.objects.live().filter(module_q).order_by("path").values("id", "title", "path")
    )
    courses = {
        e.course.path: GridCourse(e.course.pk, e.course.title, e.course.url) for e in enrolments
    }
    by_module_path: dict[str, GridModule] = {}
    for module in modules:
        course = courses.get(tree.parent_path(module["path"]))
        if course is not None:
            item = GridModule(module["id"], module["title"])
            by_module_path[module["path"]] = item
            course.modules.append(item)
    for lesson in lessons:
        module = by_module_path.get(tree.module_path_of(lesson["path"]))
        if module is not None:
            module.lessons.append(GridLesson(lesson["id"], lesson["title"], lesson["path"]))
    for course in courses.values():
        course.modules = [m for m in course.modules if m.lessons]
    return sorted((c for c in courses.values() if c.modules), key=lambda c: c.title)


def group_pupils(group: StudyGroup) -> list[User]:
    return list(
        User.objects.pupils_of(group).order_by(
            "last_name", "first_name", "display_name", "username"
        )
    )


def group_progress(group: StudyGroup) -> ProgressGrid:
    courses = group_courses(group)
    pupils = group_pupils(group)
    lesson_ids = [lesson.id for course in courses for lesson in course.lessons]
    progress: dict[tuple[int, int], tuple[bool, datetime]] = {}
    if lesson_ids and pupils:
        rows = LessonProgress.objects.filter(
            user__memberships__group=group,
            user__memberships__role=Membership.Role.PUPIL,
            lesson_id__in=lesson_ids,
        ).values_list("user_id", "lesson_id", "completed_at", "last_seen_at")
        for user_id, lesson_id, completed_at, last_seen in rows:
            progress[(user_id, lesson_id)] = (completed_at is not None, last_seen)
    grid_rows = []
    for pupil in pupils:
        cells, last = [], None
        for lesson_id in lesson_ids:
            seen = progress.get((pupil.pk, lesson_id))
            cells.append(
                GridCell(lesson_id, opened=seen is not None, completed=bool(seen and seen[0]))
            )
            if seen and (last is None or seen[1] > last):
                last = seen[1]
        grid_rows.append(GridRow(pupil=pupil, cells=cells, last_activity=last))
    return ProgressGrid(courses=courses, rows=grid_rows)


@dataclass
class GroupSummary:
    group: StudyGroup
    pupils: int
    courses: list[str]
    lessons: int
    completed: int  # lesson completions by the group's pupils in the group's courses
    last_activity: datetime | None

    @property
    def percent(self) -> int:
        return percent_of(self.completed, self.pupils * self.lessons)


def group_summaries(groups: list[StudyGroup]) -> list[GroupSummary]:
    """Cards for "My groups": 4 queries for any number of groups."""
    if not groups:
        return []
    ids = [g.pk for g in groups]
    pupil_counts = dict(
        Membership.objects.filter(group_id__in=ids, role=Membership.Role.PUPIL)
        .values_list("group_id")
        .annotate(n=Count("pk"))
        .values_list("group_id", "n")
    )
    enrolments = list(
        Enrolment.objects.filter(group_id__in=ids, is_active=True).select_related(
            "course", "module"
        )
    )
    scope_by_group: dict[int, list[Enrolment]] = defaultdict(list)
    for enrolment in enrolments:
        scope_by_group[enrolment.group_id].append(enrolment)
    lesson_paths = list(
        LessonPage.objects.live().filter(_enrolled_scope(enrolments)).values_list("id", "path")
    )
    lessons_of: dict[int, set[int]] = {}
    for group_id, own in scope_by_group.items():
        prefixes = tuple((e.module or e.course).path for e in own)
        lessons_of[group_id] = {pk for pk, path in lesson_paths if path.startswith(prefixes)}
    completed: dict[int, int] = defaultdict(int)
    last: dict[int, datetime] = {}
    all_lessons = {pk for pk, _path in lesson_paths}
    rows = LessonProgress.objects.filter(
        user__memberships__group_id__in=ids,
        user__memberships__role=Membership.Role.PUPIL,
        lesson_id__in=all_lessons,
    ).values_list("user__memberships__group_id", "lesson_id", "completed_at", "last_seen_at")
    for group_id, lesson_id, completed_at, seen in rows:
        if lesson_id not in lessons_of.get(group_id, ()):
            continue
        if completed_at is not None:
            completed[group_id] += 1
        if group_id not in last or seen > last[group_id]:
            last[group_id] = seen
    summaries = []
    for group in groups:
        own = scope_by_group.get(group.pk, [])
        titles = []
        for e in own:
            title = f"{e.course.title}: {e.module.title}" if e.module_id else e.course.title
            titles.append(title)
        summaries.append(
            GroupSummary(
                group=group,
                pupils=pupil_counts.get(group.pk, 0),
                courses=sorted(titles),
                lessons=len(lessons_of.get(group.pk, ())),
                completed=completed[group.pk],
                last_activity=last.get(group.pk),
            )
        )
    return summaries
