"""The one place that decides who may see or change what.

Views, templates, admin panels and services ask these functions; nothing else checks access.
Following Kolibri, each rule gives both a yes/no answer for one object and a filter for lists,
built from the same data, so a list page and a detail page cannot disagree.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet

from lms import roles
from lms.models import Membership, User

AnyUser = User | AnonymousUser


def user_roles(user: AnyUser) -> frozenset[str]:
    """Names of the user's role groups; one query per request, then cached on the user."""
    if not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_lms_roles", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True))
        user._lms_roles = cached
    return cached


def is_methodologist(user: AnyUser) -> bool:
    return user.is_authenticated and (user.is_superuser or roles.METHODOLOGIST in user_roles(user))


def is_catalogue_staff(user: AnyUser) -> bool:
    """Methodologists and platform staff see every lesson of every course."""
    return user.is_authenticated and (user.is_superuser or user.is_staff or is_methodologist(user))


def can_edit_catalogue(user: AnyUser) -> bool:
    return is_methodologist(user)


AUTHORING_ROLES = frozenset({roles.METHODOLOGIST, roles.SCHOOL_ADMIN, roles.TEACHER})


def can_open_admin(user: AnyUser) -> bool:
    """Whether to offer the authoring (Wagtail admin) link; the admin checks its own rights."""
    if not user.is_authenticated:
        return False
    if user.is_superuser or user.is_staff:
        return True
    return bool(user_roles(user) & AUTHORING_ROLES) and user.has_perm("wagtailadmin.access_admin")


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
    roles: set[str] = field(default_factory=set)


def enrolled_access(user: AnyUser) -> dict[int, CourseAccess]:
    """Course id -> access, from the user's memberships in groups with active enrolments.

    One query, cached on the user object for the rest of the request."""
    if not user.is_authenticated:
        return {}
    cached = getattr(user, "_lms_enrolled_access", None)
    if cached is not None:
        return cached
    from courses.models import Enrollment

    rows = Enrollment.objects.filter(
        is_active=True,
        group__is_archived=False,
        group__memberships__user=user,
    ).values_list("course_id", "module_id", "group__memberships__role")
    grants: dict[int, _Grant] = defaultdict(_Grant)
    for course_id, module_id, role in rows:
        grant = grants[course_id]
        grant.roles.add(role)
        if module_id is None:
            grant.whole = True
        else:
            grant.modules.add(module_id)
    result = {
        course_id: CourseAccess(
            whole_course=grant.whole,
            module_ids=frozenset(grant.modules),
            as_pupil=Membership.Role.PUPIL in grant.roles,
            as_teacher=Membership.Role.TEACHER in grant.roles,
        )
        for course_id, grant in grants.items()
    }
    user._lms_enrolled_access = result
    return result


def course_access(user: AnyUser, course_id: int) -> CourseAccess:
    """What of this course the user may open. Enrolment first: it is the common case and lets a
    pupil's lesson page skip the role query."""
    access = enrolled_access(user).get(course_id)
    if access is not None and access.allowed:
        return access
    if is_catalogue_staff(user):
        return STAFF_ACCESS
    return NO_ACCESS


def can_view_lesson(user: AnyUser, course_id: int, module_id: int) -> bool:
    return course_access(user, course_id).allows_module(module_id)


def visible_pages_q(user: AnyUser) -> Q:
    """A filter for pages (modules and lessons) the user may open: the list twin of
    `course_access`, built from the same enrolments."""
    if is_catalogue_staff(user):
        return Q()
    access = enrolled_access(user)
    if not access:
        return Q(pk__in=[])
    from wagtail.models import Page

    course_ids = [cid for cid, a in access.items() if a.whole_course]
    module_ids = [mid for a in access.values() if not a.whole_course for mid in a.module_ids]
    paths = Page.objects.filter(pk__in=[*course_ids, *module_ids]).values_list("path", flat=True)
    condition = Q(pk__in=[])
    for path in paths:
        condition |= Q(path__startswith=path)
    return condition


def visible_lessons(user: AnyUser, pages: QuerySet) -> QuerySet:
    """Filter a queryset of pages to those the user may open."""
    return pages.filter(visible_pages_q(user))
