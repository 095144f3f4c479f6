"""Who may open which lessons and download which lesson files, and enrol which group in what.

Built on the access core (lms.permissions): a pupil reads what their groups are enrolled in;
staff read what the groups they may view are enrolled in (guardian rows), school admins what
their school's groups take; methodologists, platform staff and a course's authors read the whole
course. Each rule has its one-object form and its list form from the same data."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef, Q
from wagtail.models import Page, ReferenceIndex

from courses import sharing
from courses.documents import course_of_collection
from courses.models import CourseAuthor, CoursePage, CourseShare, Enrolment, LessonPage
from courses.tree import course_path_of, module_path_of
from lms import access_cache
from lms.models import Membership, School, StudyGroup, User
from lms.permissions import (
    AnyUser,
    can_manage_group,
    is_catalogue_staff,
    is_school_admin,
    is_school_staff,
    viewable_group_ids,
)


@dataclass(frozen=True)
class CourseAccess:
    """What of one course a user may open, and in which capacity."""

    whole_course: bool = False
    module_ids: frozenset[int] = frozenset()
    as_pupil: bool = False  # progress is recorded only for pupils
    as_teacher: bool = False
    as_staff: bool = False

    @property
    def allowed(self) -> bool:
        return self.whole_course or bool(self.module_ids)

    def allows_module(self, module_id: int) -> bool:
        return self.whole_course or module_id in self.module_ids


STAFF_ACCESS = CourseAccess(whole_course=True, as_staff=True)
NO_ACCESS = CourseAccess()


@dataclass
class _Grant:
    whole: bool = False
    modules: set[int] = field(default_factory=set)
    as_pupil: bool = False
    as_teacher: bool = False


def enrolled_access(user: AnyUser) -> dict[int, CourseAccess]:
    """Course id -> access, from the active enrolments of the groups the user learns in (pupil
    membership) or may view as staff (guardian permission, which teachers get from their
    membership and guests from a cross-school grant; school admins: their school's groups).

    One query, kept on the user for the request and in the shared cache until access changes
    (lms.access_cache)."""
    if not user.is_authenticated:
        return {}
    cached = getattr(user, "_lms_enrolled_access", None)
    if cached is None:
        cached = access_cache.remembered(user, "enrolled", lambda: _enrolled_access_rows(user))
        user._lms_enrolled_access = cached
    return cached


def _enrolled_access_rows(user: User) -> dict[int, CourseAccess]:
    learns = Membership.objects.filter(
        group=OuterRef("group"), user=user, role=Membership.Role.PUPIL
    )
    reads = Q(group_id__in=viewable_group_ids(user))
    if is_school_admin(user):  # an admin may read what their school's groups are taught
        reads |= Q(group__school_id=user.school_id)
    rows = (
        Enrolment.objects.filter(is_active=True, group__is_archived=False)
        .filter(Q(Exists(learns)) | reads)
        .annotate(learns=Exists(learns))
        .values_list("course_id", "module_id", "learns")
    )
    grants: dict[int, _Grant] = defaultdict(_Grant)
    for course_id, module_id, learns_here in rows:
        grant = grants[course_id]
        if learns_here:
            grant.as_pupil = True
        else:
            grant.as_teacher = True
        if module_id is None:
            grant.whole = True
        else:
            grant.modules.add(module_id)
    result = {
        course_id: CourseAccess(
            whole_course=grant.whole,
            module_ids=frozenset(grant.modules),
            as_pupil=grant.as_pupil,
            as_teacher=grant.as_teacher,
        )
        for course_id, grant in grants.items()
    }
    return result


def course_access(user: AnyUser, course_id: int) -> CourseAccess:
    """What of this course the user may open. Enrolment first: it is the common case and lets a
    pupil's lesson page skip the role query."""
    access = enrolled_access(user).get(course_id)
    if access is not None and access.allowed:
        return access
    if is_catalogue_staff(user) or course_id in authored_course_ids(user):
        return STAFF_ACCESS  # a course's authors read what they write, on the site too
    return NO_ACCESS


def can_view_lesson(user: AnyUser, course_id: int, module_id: int) -> bool:
    return course_access(user, course_id).allows_module(module_id)


def visible_pages_q(user: AnyUser) -> Q:
    """A filter for pages (modules and lessons) the user may open: the list twin of
    `course_access`, built from the same enrolments."""
    if is_catalogue_staff(user):
        return Q()
    access = enrolled_access(user)
    authored = authored_course_ids(user)
    if not access and not authored:
        return Q(pk__in=[])
    course_ids = [cid for cid, a in access.items() if a.whole_course] + authored
    module_ids = [mid for a in access.values() if not a.whole_course for mid in a.module_ids]
    paths = Page.objects.filter(pk__in=[*course_ids, *module_ids]).values_list("path", flat=True)
    condition = Q(pk__in=[])
    for path in paths:
        condition |= Q(path__startswith=path)
    return condition


def authored_course_ids(user: AnyUser) -> list[int]:
    """Courses the user co-authors (one query, kept for the request and in the shared cache)."""
    if not user.is_authenticated:
        return []
    cached = getattr(user, "_lms_authored_courses", None)
    if cached is None:
        cached = access_cache.remembered(
            user,
            "authored",
            lambda: list(
                CourseAuthor.objects.filter(user=user).values_list("course_id", flat=True)
            ),
        )
        user._lms_authored_courses = cached
    return list(cached)


# --- Why a lesson is locked, and what the visitor may do about it ---------------------------


class LockReason:
    LOG_IN = "log_in"  # a visitor: logging in may open it
    OTHER_MODULES = "other_modules"  # their group takes other modules of this course
    NOT_SHARED = "not_shared"  # a partner school's user: the park does not share this module
    NO_GROUP = "no_group"  # a pupil in no group yet: an invite code puts them in one
    NOT_ENROLLED = "not_enrolled"  # a pupil whose groups do not take the course
    STAFF = "staff"  # a teacher or admin none of whose groups takes the module


# How many partner schools a locked lesson names; the rest are counted.
NAMED_SCHOOLS = 8


@dataclass(frozen=True)
class LessonLock:
    """Why `user` may not open a lesson of this module, and who does study it.

    The schools are named to everyone, visitors included: a course overview is public, and the
    schools a park shares its modules with are institutions, not children's data (no group,
    teacher or pupil is named; a visiting school that takes no share is never listed)."""

    reason: str
    host_schools: tuple[str, ...] = ()  # the park(s): their groups may take any module
    partner_schools: tuple[str, ...] = ()  # named shares of this module or its whole course
    more_partners: int = 0  # named shares beyond NAMED_SCHOOLS
    every_partner: bool = False  # shared with every partner school

    @property
    def shared(self) -> bool:
        return self.every_partner or bool(self.partner_schools)


def lesson_lock(user: AnyUser, course_id: int, module_id: int) -> LessonLock:
    """The locked lesson's explanation: three or four queries, whatever the catalogue's size."""
    hosts = tuple(
        School.objects.filter(kind=School.Kind.HOST).order_by("name").values_list("name", flat=True)
    )
    shares = CourseShare.objects.filter(course_id=course_id).filter(
        Q(module__isnull=True) | Q(module_id=module_id)
    )
    every_partner = False
    partners: set[str] = set()
    for school_name in shares.values_list("school__name", flat=True):
        if school_name is None:
            every_partner = True
        else:
            partners.add(school_name)
    named = sorted(partners)
    return LessonLock(
        reason=_lock_reason(user, course_id, module_id),
        host_schools=hosts,
        partner_schools=tuple(named[:NAMED_SCHOOLS]),
        more_partners=max(0, len(named) - NAMED_SCHOOLS),
        every_partner=every_partner,
    )


def _lock_reason(user: AnyUser, course_id: int, module_id: int) -> str:
    if not user.is_authenticated:
        return LockReason.LOG_IN
    school = user.school if user.school_id else None
    if school is not None and not sharing.scope_for(school).covers(course_id, module_id):
        return LockReason.NOT_SHARED  # first: no group of the school may take it yet
    if course_access(user, course_id).allowed:
        return LockReason.OTHER_MODULES
    if is_school_staff(user):
        return LockReason.STAFF
    if not Membership.objects.filter(
        user=user, role=Membership.Role.PUPIL, group__is_archived=False
    ).exists():
        return LockReason.NO_GROUP
    return LockReason.NOT_ENROLLED


def search_hides_lessons(user: AnyUser) -> bool:
    """Whether logging in could widen this user's search: a visitor finds course overviews
    only. The search page says so without saying what it left out."""
    return not user.is_authenticated


# --- Enrolment in courses and shared modules --------------------------------------------------


def can_enrol(user: AnyUser, group: StudyGroup, course_id: int, module_id: int | None) -> bool:
    """Staff who manage a group may enrol it: a host park's group in any course, a partner
    school's group only in what the park shares with that school."""
    if not can_manage_group(user, group):
        return False
    return sharing.scope_for(group.school).covers(course_id, module_id)


# --- Files of lessons ------------------------------------------------------------------------


def _pages_using(document) -> list[int]:
    page_type = ContentType.objects.get_for_model(Page)
    ids = (
        ReferenceIndex.get_references_to(document)
        .filter(base_content_type=page_type)
        .values_list("object_id", flat=True)
    )
    return [int(pk) for pk in ids]


def _may_open_a_lesson(user, lessons) -> bool:
    """Whether the user may open one of these live lessons (course / module / lesson paths)."""
    lessons = list(lessons)
    if not lessons:
        return False
    module_paths = {module_path_of(lesson.path) for lesson in lessons}
    course_paths = {course_path_of(lesson.path) for lesson in lessons}
    ids = dict(Page.objects.filter(path__in=module_paths | course_paths).values_list("path", "pk"))
    for lesson in lessons:
        course_id = ids.get(course_path_of(lesson.path))
        module_id = ids.get(module_path_of(lesson.path))
        if course_id and module_id and can_view_lesson(user, course_id, module_id):
            return True
    return False


def _park_wide_rule(user, document) -> bool:
    """A document outside every course's collection: whoever may open a live page using it
    (for a lesson, whoever may open the lesson); unused, it is for catalogue staff only."""
    pages = Page.objects.live().public().filter(pk__in=_pages_using(document))
    lesson_type = ContentType.objects.get_for_model(LessonPage)
    if pages.exclude(content_type=lesson_type).exists():
        return True  # used on a public page (home, course overview, information page)
    return _may_open_a_lesson(user, pages.filter(content_type=lesson_type).order_by("path"))


def can_download_document(user, document) -> bool:
    """Who may download a document (Wagtail's serve view asks through `before_serve_document`).
    A document in a course's collection only through that course (courses.documents)."""
    if is_catalogue_staff(user):
        return True
    course_id = course_of_collection(document.collection_id)
    if course_id is None:
        return _park_wide_rule(user, document)
    if course_id in authored_course_ids(user):
        return True
    course_path = CoursePage.objects.filter(pk=course_id).values_list("path", flat=True).first()
    if course_path is None:
        return False
    lessons = (
        LessonPage.objects.live()
        .public()
        .filter(pk__in=_pages_using(document), path__startswith=course_path)
        .only("path")
        .order_by("path")
    )
    return _may_open_a_lesson(user, lessons)
