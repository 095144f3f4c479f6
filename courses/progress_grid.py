"""What a teacher reads about a group: pupils x lessons of the group's courses, with completion
and last activity, pupils listed "Фамилия Имя" in surname order, and how many pupils have done
each lesson (courses.progress_chart draws that). A fixed number of queries whatever the number
of pupils, lessons or groups."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Count, Q

from courses import tree
from courses.models import Enrolment, LessonPage, LessonProgress, ModulePage
from courses.services import percent_of
from lms import names
from lms.models import Membership, StudyGroup, User


@dataclass
class GridLesson:
    id: int
    title: str
    path: str
    url: str | None = None


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
    def name(self) -> str:
        """As the list shows it: "Фамилия Имя"."""
        return names.surname_first(self.pupil)

    @property
    def completed(self) -> int:
        return sum(cell.completed for cell in self.cells)

    @property
    def has_no_progress(self) -> bool:
        """Has not opened a single lesson of the group's courses."""
        return bool(self.cells) and not any(cell.opened for cell in self.cells)

    @property
    def percent(self) -> int:
        return percent_of(self.completed, len(self.cells))


@dataclass(frozen=True)
class LessonTotal:
    """How many of the group's pupils have done a lesson, and how many opened it only."""

    lesson: GridLesson
    module: str
    done: int
    opened: int  # opened, not done
    pupils: int

    @property
    def percent(self) -> int:
        return percent_of(self.done, self.pupils)


@dataclass
class ProgressGrid:
    courses: list[GridCourse]
    rows: list[GridRow]

    @property
    def lessons(self) -> list[GridLesson]:
        return [lesson for course in self.courses for lesson in course.lessons]

    @property
    def idle(self) -> list[GridRow]:
        """Pupils who have not opened any lesson yet."""
        return [row for row in self.rows if row.has_no_progress]

    @property
    def percent(self) -> int:
        """Lessons done over all the pupils' lessons."""
        lessons = len(self.lessons)
        done = sum(row.completed for row in self.rows)
        return percent_of(done, lessons * len(self.rows))

    def lesson_totals(self) -> list[LessonTotal]:
        """Per lesson, in outline order: pupils done and pupils who only opened it."""
        totals = []
        index = 0
        for course in self.courses:
            for module in course.modules:
                for lesson in module.lessons:
                    cells = [row.cells[index] for row in self.rows]
                    done = sum(cell.completed for cell in cells)
                    opened = sum(cell.opened and not cell.completed for cell in cells)
                    totals.append(LessonTotal(lesson, module.title, done, opened, len(cells)))
                    index += 1
        return totals


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
    # Page instances with only what a link needs (url_path; the site's root paths are cached).
    lessons = (
        LessonPage.objects.live()
        .filter(scope)
        .order_by("path")
        .only("id", "title", "path", "url_path")
    )
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
        module = by_module_path.get(tree.module_path_of(lesson.path))
        if module is not None:
            module.lessons.append(GridLesson(lesson.pk, lesson.title, lesson.path, lesson.url))
    for course in courses.values():
        course.modules = [m for m in course.modules if m.lessons]
    return sorted((c for c in courses.values() if c.modules), key=lambda c: c.title)


def group_pupils(group: StudyGroup) -> list[User]:
    """The group's pupils in surname order (lms.names), as a class register lists them."""
    return sorted(User.objects.pupils_of(group), key=names.surname_key)


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
