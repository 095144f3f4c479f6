"""Course rules as plain functions: outlines, lesson access, progress. Pages and views call these;
tests call them directly. Every function here costs a fixed number of queries, whatever the size
of the course."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import F, Q
from django.http import HttpRequest
from django.utils import timezone
from wagtail.models import Page

from cms import public_cache
from courses import permissions as course_permissions
from courses import progress_cache, tree
from courses.models import CoursePage, Enrolment, LessonPage, LessonProgress, ModulePage
from courses.permissions import CourseAccess
from lms.access_cache import access_changed
from lms.permissions import AnyUser

# Refresh "last seen" at most this often: a pupil paging back and forth should not write per view.
LAST_SEEN_RESOLUTION = timedelta(minutes=10)
OUTLINE_CACHE_SECONDS = 300


def percent_of(done: int, total: int) -> int:
    return round(100 * done / total) if total else 0


@dataclass
class LessonItem:
    id: int
    title: str
    url: str
    duration_minutes: int
    module_id: int
    accessible: bool = True
    opened: bool = False
    completed: bool = False


@dataclass
class ModuleItem:
    id: int
    title: str
    accessible: bool
    lessons: list[LessonItem] = field(default_factory=list)


@dataclass
class Outline:
    modules: list[ModuleItem]

    @property
    def accessible_lessons(self) -> list[LessonItem]:
        return [lesson for m in self.modules if m.accessible for lesson in m.lessons]

    @property
    def total(self) -> int:
        return len(self.accessible_lessons)

    @property
    def completed(self) -> int:
        return sum(1 for lesson in self.accessible_lessons if lesson.completed)

    @property
    def percent(self) -> int:
        return percent_of(self.completed, self.total)

    def neighbours(self, lesson_id: int) -> tuple[LessonItem | None, LessonItem | None]:
        lessons = self.accessible_lessons
        for index, lesson in enumerate(lessons):
            if lesson.id == lesson_id:
                previous = lessons[index - 1] if index > 0 else None
                following = lessons[index + 1] if index + 1 < len(lessons) else None
                return previous, following
        return None, None

    def first_unfinished(self) -> LessonItem | None:
        lessons = self.accessible_lessons
        return next((lesson for lesson in lessons if not lesson.completed), None) or (
            lessons[0] if lessons else None
        )


@dataclass(frozen=True)
class OutlineRow:
    """A module (duration None) or a lesson of a course, as the outline needs it."""

    id: int
    depth: int
    title: str
    url: str
    duration: int | None


def outline_rows(request: HttpRequest | None, course: Page) -> list[OutlineRow]:
    """The course's live modules and lessons in tree order (see outline_rows_of)."""
    return outline_rows_of(request, [course])[course.pk]


def outline_rows_of(
    request: HttpRequest | None, courses: list[Page]
) -> dict[int, list[OutlineRow]]:
    """Each course's live modules and lessons in tree order. They are the same for every
    reader, so they are kept in the shared cache under the public generation
    (cms.public_cache), which every change to a page moves: one round trip for all the
    courses, and one query for those the cache did not hold."""
    site = getattr(request, "_wagtail_site", None) if request is not None else None
    keys = {
        course.pk: f"lms:outline:{course.pk}:{site.pk if site is not None else 0}"
        for course in courses
    }
    found, generation = public_cache.lookup_many(list(keys.values()))
    rows = {pk: found[key] for pk, key in keys.items() if key in found}
    missing = [course for course in courses if course.pk not in rows]
    if missing:
        made = _outline_rows_from_database(request, missing)
        rows.update(made)
        public_cache.store_many(
            {keys[pk]: value for pk, value in made.items()}, generation, OUTLINE_CACHE_SECONDS
        )
    return rows


def _outline_rows_from_database(request, courses: list[Page]) -> dict[int, list[OutlineRow]]:
    path_filter = Q()
    for course in courses:
        path_filter |= Q(path__startswith=course.path)
    pages = (
        Page.objects.live()
        .filter(path_filter)
        .filter(depth__in={c.depth + d for c in courses for d in (1, 2)})
        .annotate(duration=F("lessonpage__duration_minutes"))
        .order_by("path")
    )
    by_path = {course.path: course.pk for course in courses}
    rows: dict[int, list[OutlineRow]] = {course.pk: [] for course in courses}
    for page in pages:
        course_path = (
            page.path[: -Page.steplen] if page.duration is None else tree.course_path_of(page.path)
        )
        if course_path not in by_path:
            continue
        url = page.get_url(request) if page.duration is not None else ""
        rows[by_path[course_path]].append(
            OutlineRow(page.pk, page.depth, page.title, url, page.duration)
        )
    return rows


def outline_and_progress(
    request: HttpRequest | None, course: Page, access: CourseAccess, user: AnyUser
) -> tuple[Outline, dict[int, LessonProgress]]:
    """The outline and the pupil's progress in it, both from the shared cache (else a query
    each; courses.progress_cache)."""
    rows = outline_rows(request, course)
    lesson_ids = [row.id for row in rows if row.duration is not None]

    def load() -> dict[int, LessonProgress]:
        found = LessonProgress.objects.filter(user=user, lesson_id__in=lesson_ids)
        return {record.lesson_id: record for record in found}

    scope = f"lessons:{course.pk}:" + ",".join(map(str, lesson_ids))
    progress = progress_cache.remembered(user.pk, scope, load)
    return _outline_of(course, access, rows, progress), progress


def build_outline(
    request: HttpRequest | None,
    course: Page,
    access: CourseAccess,
    progress: dict[int, LessonProgress] | None = None,
) -> Outline:
    """Modules and lessons of a course (from the shared cache, else one query)."""
    return _outline_of(course, access, outline_rows(request, course), progress or {})


def _outline_of(course: Page, access: CourseAccess, rows: list[OutlineRow], progress) -> Outline:
    modules: list[ModuleItem] = []
    for row in rows:
        if row.depth == course.depth + 1:
            modules.append(
                ModuleItem(id=row.id, title=row.title, accessible=access.allows_module(row.id))
            )
        elif modules and row.duration is not None:  # a lesson; in tree order, so in modules[-1]
            module = modules[-1]
            record = progress.get(row.id)
            module.lessons.append(
                LessonItem(
                    id=row.id,
                    title=row.title,
                    url=row.url,
                    duration_minutes=row.duration,
                    module_id=module.id,
                    accessible=module.accessible,
                    opened=record is not None,
                    completed=bool(record and record.completed_at),
                )
            )
    return Outline(modules=modules)


def progress_by_lesson(user: AnyUser, course_id: int) -> dict[int, LessonProgress]:
    if not user.is_authenticated:
        return {}

    def load() -> dict[int, LessonProgress]:
        found = LessonProgress.objects.filter(user=user, course_id=course_id)
        return {record.lesson_id: record for record in found}

    return progress_cache.remembered(user.pk, f"course:{course_id}", load)


def catalogue_courses(catalogue: Page) -> list[CoursePage]:
    return list(
        CoursePage.objects.live().child_of(catalogue).select_related("cover_image").order_by("path")
    )


def course_page_context(user: AnyUser, course: CoursePage, request=None) -> dict:
    access = course_permissions.course_access(user, course.pk)
    progress = progress_by_lesson(user, course.pk) if access.as_pupil else {}
    outline = build_outline(request, course, access, progress)
    return {
        "course": course,
        "access": access,
        "outline": outline,
        "continue_lesson": outline.first_unfinished() if access.allowed else None,
    }


@dataclass
class LessonResult:
    locked: bool
    context: dict


def lesson_chain(request: HttpRequest, lesson: LessonPage) -> list[Page]:
    """Ancestors of a lesson (home, catalogue, course, module): from the router if it cached them,
    otherwise one query."""
    chain = getattr(request, "_lms_page_chain", None)
    if chain and chain[-1].pk == lesson.pk:
        return [page for page in chain[:-1] if page.depth > 1]
    return list(lesson.get_ancestors().filter(depth__gt=1))


def lesson_page_context(request: HttpRequest, lesson: LessonPage) -> LessonResult:
    user = request.user
    ancestors = lesson_chain(request, lesson)
    course, module = ancestors[-2], ancestors[-1]
    access = course_permissions.course_access(user, course.pk)
    if not access.allows_module(module.pk):
        course_page = CoursePage.objects.get(pk=course.pk)
        context = course_page_context(user, course_page, request)
        context["locked_lesson"] = lesson
        context["lock"] = course_permissions.lesson_lock(user, course.pk, module.pk)
        return LessonResult(locked=True, context=context)

    if access.as_pupil:
        outline, progress = outline_and_progress(request, course, access, user)
        record_lesson_opened(user, lesson, course.pk, progress.get(lesson.pk))
        if lesson.pk not in progress:  # just opened: shown as opened in the outline
            progress[lesson.pk] = LessonProgress()
            for item in outline.accessible_lessons:
                item.opened = item.opened or item.id == lesson.pk
    else:
        progress = {}
        outline = build_outline(request, course, access, progress)
    previous, following = outline.neighbours(lesson.pk)
    current = progress.get(lesson.pk)
    return LessonResult(
        locked=False,
        context={
            "course": course,
            "module": module,
            "breadcrumbs": ancestors,
            "access": access,
            "outline": outline,
            "previous_lesson": previous,
            "next_lesson": following,
            "is_completed": bool(current and current.completed_at),
        },
    )


def record_lesson_opened(
    user: AnyUser, lesson: Page, course_id: int, existing: LessonProgress | None
) -> None:
    now = timezone.now()
    if existing is None:
        # One INSERT that a parallel request (a second tab) cannot turn into an error.
        LessonProgress.objects.bulk_create(
            [LessonProgress(user=user, lesson_id=lesson.pk, course_id=course_id)],
            ignore_conflicts=True,
        )
        progress_cache.progress_changed(user.pk)  # bulk_create sends no signal
    elif now - existing.last_seen_at > LAST_SEEN_RESOLUTION:
        LessonProgress.objects.filter(pk=existing.pk).update(last_seen_at=now)
        progress_cache.progress_changed(user.pk)  # nor does update()


def set_lesson_completed(
    user: AnyUser, lesson: LessonPage, course_id: int, completed: bool
) -> LessonProgress:
    """Mark a lesson done or not done. Idempotent: repeating it changes nothing."""
    record, _ = LessonProgress.objects.get_or_create(
        user=user, lesson=lesson, defaults={"course_id": course_id}
    )
    if completed and record.completed_at is None:
        record.completed_at = timezone.now()
        record.save(update_fields=["completed_at", "last_seen_at"])
    elif not completed and record.completed_at is not None:
        record.completed_at = None
        record.save(update_fields=["completed_at", "last_seen_at"])
    return record


def lesson_module(lesson: Page) -> Page:
    return lesson.get_parent()


@dataclass
class CourseCard:
    course: CoursePage
    access: CourseAccess
    total: int
    completed: int
    continue_url: str | None
    continue_title: str = ""  # the first lesson not done yet
    last_seen_at: datetime | None = None  # when the pupil last opened a lesson of the course

    @property
    def percent(self) -> int:
        return percent_of(self.completed, self.total)


def next_lesson(cards: list[CourseCard]) -> CourseCard | None:
    """The pupil's next lesson: the first one not done in the course they last worked in; if
    that course is all done, in the one before, and so on; if they have opened nothing yet,
    in their first course. None when every lesson is done (or they learn in no course)."""
    open_cards = [card for card in cards if card.access.as_pupil and card.continue_url]
    if not open_cards:
        return None
    seen = [card for card in open_cards if card.last_seen_at is not None]
    if seen:
        return max(seen, key=lambda card: card.last_seen_at)
    return open_cards[0]


def live_courses(ids: list[int]) -> list[CoursePage]:
    """These courses, the live ones, by title, with their cover pictures: the same for
    everybody who takes them, so kept in the shared cache under the public generation (any
    page or picture change moves it)."""
    digest = hashlib.blake2b(",".join(map(str, ids)).encode(), digest_size=16).hexdigest()
    key = f"lms:live-courses:{digest}"
    courses, generation = public_cache.lookup(key)
    if courses is None:
        courses = list(
            CoursePage.objects.live()
            .filter(pk__in=ids)
            .select_related("cover_image")
            .order_by("title")
        )
        public_cache.store(key, generation, courses, OUTLINE_CACHE_SECONDS)
    return courses  # type: ignore[return-value]


def my_courses(request: HttpRequest) -> list[CourseCard]:
    """The user's enrolled courses with progress, in a fixed number of queries (none when the
    shared cache holds their access, the courses, outlines and progress)."""
    user = request.user
    access_by_course = course_permissions.enrolled_access(user)
    if not access_by_course:
        return []
    courses = live_courses(sorted(access_by_course))
    if not courses:
        return []
    course_ids = [c.pk for c in courses]

    def load() -> dict[str, list[tuple]]:
        rows = LessonProgress.objects.filter(user=user, course_id__in=course_ids).values_list(
            "lesson_id", "course_id", "completed_at", "last_seen_at"
        )
        return {"rows": list(rows)}

    scope = "courses:" + ",".join(map(str, course_ids))  # shared cache: courses.progress_cache
    completed_ids: set[int] = set()
    last_seen: dict[int, datetime] = {}
    for lesson_id, course_id, completed_at, seen_at in progress_cache.remembered(
        user.pk, scope, load
    )["rows"]:
        if completed_at is not None:
            completed_ids.add(lesson_id)
        if course_id not in last_seen or seen_at > last_seen[course_id]:
            last_seen[course_id] = seen_at
    outlines = outline_rows_of(request, courses)  # shared cache; one query for what it lacks
    cards = []
    for course in courses:
        access = access_by_course[course.pk]
        accessible_modules = set()
        current_module = None
        lessons: list[OutlineRow] = []
        for row in outlines[course.pk]:
            if row.duration is None:
                if access.allows_module(row.id):
                    accessible_modules.add(row.id)
                current_module = row.id
            elif current_module in accessible_modules:
                lessons.append(row)
        done = [lesson for lesson in lessons if lesson.id in completed_ids]
        following = next((lesson for lesson in lessons if lesson.id not in completed_ids), None)
        cards.append(
            CourseCard(
                course=course,
                access=access,
                total=len(lessons),
                completed=len(done),
                continue_url=following.url if following else None,
                continue_title=following.title if following else "",
                last_seen_at=last_seen.get(course.pk),
            )
        )
    return cards


def enrol_group(group, course: CoursePage, module: ModulePage | None = None, by=None) -> Enrolment:
    """Enrol a group in a whole course or one module. Idempotent."""
    enrolment, _ = Enrolment.objects.get_or_create(
        group=group, course=course, module=module, defaults={"created_by": by}
    )
    if not enrolment.is_active:
        enrolment.is_active = True
        enrolment.save(update_fields=["is_active"])
    return enrolment


def end_enrolment(enrolment: Enrolment) -> bool:
    """The group stops taking the course or module; progress and work are kept. False when the
    enrolment had already ended."""
    ended = Enrolment.objects.filter(pk=enrolment.pk, is_active=True).update(is_active=False)
    enrolment.is_active = False
    if ended:
        access_changed()  # update() sends no signal
    return bool(ended)
