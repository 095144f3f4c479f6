"""The one place that decides who may see or change what.

Views, templates, admin panels and services ask these functions; nothing else checks access.
Following Kolibri, each rule gives both a yes/no answer for one object and a filter for lists,
built from the same data, so a list page and a detail page cannot disagree.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.auth.models import AnonymousUser
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from lms import roles
from lms.models import (
    CrossSchoolGrant,
    Membership,
    School,
    StudyGroup,
    StudyGroupGroupObjectPermission,
    StudyGroupUserObjectPermission,
    User,
)

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
    as_pupil: bool = False
    as_teacher: bool = False


def enrolled_access(user: AnyUser) -> dict[int, CourseAccess]:
    """Course id -> access, from the active enrolments of the groups the user learns in (pupil
    membership) or may view as staff (guardian permission, which teachers get from their
    membership and guests from a cross-school grant; school admins: their school's groups).

    One query, cached on the user object for the rest of the request."""
    if not user.is_authenticated:
        return {}
    cached = getattr(user, "_lms_enrolled_access", None)
    if cached is not None:
        return cached
    from courses.models import Enrollment

    learns = Membership.objects.filter(
        group=OuterRef("group"), user=user, role=Membership.Role.PUPIL
    )
    reads = Q(group_id__in=_viewable_group_ids_subquery(user))
    if is_school_admin(user):  # an admin may read what their school's groups are taught
        reads |= Q(group__school_id=user.school_id)
    rows = (
        Enrollment.objects.filter(is_active=True, group__is_archived=False)
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
    user._lms_enrolled_access = result
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
    from wagtail.models import Page

    course_ids = [cid for cid, a in access.items() if a.whole_course] + authored
    module_ids = [mid for a in access.values() if not a.whole_course for mid in a.module_ids]
    paths = Page.objects.filter(pk__in=[*course_ids, *module_ids]).values_list("path", flat=True)
    condition = Q(pk__in=[])
    for path in paths:
        condition |= Q(path__startswith=path)
    return condition


def visible_lessons(user: AnyUser, pages: QuerySet) -> QuerySet:
    """Filter a queryset of pages to those the user may open."""
    return pages.filter(visible_pages_q(user))


# --- Study groups: guardian object permissions ---------------------------------------------------

VIEW_GROUP = "view_studygroup"  # roster and progress
MANAGE_GROUP = "manage_studygroup"  # roster changes, pupil accounts, invites, enrolments
GRADE_GROUP = "grade_studygroup"  # submissions of the group's pupils (assessments)
GROUP_PERMISSIONS = (VIEW_GROUP, MANAGE_GROUP, GRADE_GROUP)

# What each way of reaching a group gives. Teachers get these from their membership, guests from
# a cross-school grant (both stored as guardian rows by lms.group_permissions); school admins
# from their role, for every group of their own school (not stored: it follows the school).
TEACHER_GROUP_PERMISSIONS = frozenset(GROUP_PERMISSIONS)
GUEST_GROUP_PERMISSIONS = frozenset({VIEW_GROUP, GRADE_GROUP})
SCHOOL_ADMIN_GROUP_PERMISSIONS = frozenset({VIEW_GROUP, MANAGE_GROUP})


def is_school_admin(user: AnyUser, school_id: int | None = None) -> bool:
    """A school admin of their own school (of `school_id`, when given)."""
    if not user.is_authenticated or user.school_id is None:
        return False
    if school_id is not None and school_id != user.school_id:
        return False
    return roles.SCHOOL_ADMIN in user_roles(user)


def is_school_staff(user: AnyUser) -> bool:
    """Teachers and school admins: who gets the teacher pages at all."""
    if not user.is_authenticated:
        return False
    return user.is_superuser or bool(user_roles(user) & {roles.TEACHER, roles.SCHOOL_ADMIN})


def _viewable_group_ids_subquery(user: User) -> QuerySet:
    by_user = StudyGroupUserObjectPermission.objects.filter(
        user=user, permission__codename=VIEW_GROUP
    ).values("content_object_id")
    by_role = StudyGroupGroupObjectPermission.objects.filter(
        group__user=user, permission__codename=VIEW_GROUP
    ).values("content_object_id")
    return by_user.union(by_role)


def group_permission_map(user: AnyUser) -> dict[int, frozenset[str]]:
    """Group id -> the guardian permissions the user holds on it, given to the user or to one of
    their auth groups. One query, cached on the user for the request."""
    if not user.is_authenticated:
        return {}
    cached = getattr(user, "_lms_group_perms", None)
    if cached is not None:
        return cached
    by_user = StudyGroupUserObjectPermission.objects.filter(user=user).values_list(
        "content_object_id", "permission__codename"
    )
    by_role = StudyGroupGroupObjectPermission.objects.filter(group__user=user).values_list(
        "content_object_id", "permission__codename"
    )
    collected: dict[int, set[str]] = defaultdict(set)
    for group_id, codename in by_user.union(by_role, all=True):
        collected[group_id].add(codename)
    cached = {group_id: frozenset(codenames) for group_id, codenames in collected.items()}
    user._lms_group_perms = cached
    return cached


def group_perms(user: AnyUser, group: StudyGroup) -> frozenset[str]:
    """The permissions the user has on one group."""
    if not user.is_authenticated:
        return frozenset()
    if user.is_superuser:
        granted = set(GROUP_PERMISSIONS)
    else:
        granted = set(group_permission_map(user).get(group.pk, ()))
        if is_school_admin(user, group.school_id):
            granted |= SCHOOL_ADMIN_GROUP_PERMISSIONS
    if group.is_archived:  # an archived group is history: readable, not changeable
        granted.discard(MANAGE_GROUP)
    return frozenset(granted)


def groups_with(user: AnyUser, codename: str) -> QuerySet[StudyGroup]:
    """The list twin of `group_perms`: every group on which the user has `codename`."""
    groups = StudyGroup.objects.all()
    if not user.is_authenticated:
        return groups.none()
    if not user.is_superuser:
        ids = [gid for gid, perms in group_permission_map(user).items() if codename in perms]
        condition = Q(pk__in=ids)
        if codename in SCHOOL_ADMIN_GROUP_PERMISSIONS and is_school_admin(user):
            condition |= Q(school_id=user.school_id)
        groups = groups.filter(condition)
    if codename == MANAGE_GROUP:
        groups = groups.filter(is_archived=False)
    return groups


def can_view_group(user: AnyUser, group: StudyGroup) -> bool:
    return VIEW_GROUP in group_perms(user, group)


def can_manage_group(user: AnyUser, group: StudyGroup) -> bool:
    return MANAGE_GROUP in group_perms(user, group)


def can_grade_group(user: AnyUser, group: StudyGroup) -> bool:
    return GRADE_GROUP in group_perms(user, group)


def group_or_404(user: AnyUser, group_id: int, codename: str = VIEW_GROUP) -> StudyGroup:
    """The group, if the user has `codename` on it; otherwise 404, so that another school's ids
    do not even reveal that the group exists."""
    group = StudyGroup.objects.select_related("school").filter(pk=group_id).first()
    if group is None or codename not in group_perms(user, group):
        raise Http404
    return group


def group_pupil_or_404(group: StudyGroup, user_id: int) -> User:
    """A pupil of this group (the caller has already checked the group)."""
    pupil = User.objects.filter(
        pk=user_id, memberships__group=group, memberships__role=Membership.Role.PUPIL
    ).first()
    if pupil is None:
        raise Http404
    return pupil


# --- Pupils ----------------------------------------------------------------------------------


def pupils_visible_q(user: AnyUser, codename: str = VIEW_GROUP) -> Q:
    """A filter for users: the pupils whose data this user may see (or, with MANAGE_GROUP,
    change): pupils of groups with that permission, and all pupils of an admin's own school."""
    if not user.is_authenticated:
        return Q(pk__in=[])
    if user.is_superuser:
        return Q()
    pupil_of = Membership.objects.filter(
        role=Membership.Role.PUPIL, group__in=groups_with(user, codename)
    ).values("user_id")
    condition = Q(pk__in=pupil_of)
    if codename in SCHOOL_ADMIN_GROUP_PERMISSIONS and is_school_admin(user):
        own_pupils = User.objects.filter(school_id=user.school_id, groups__name=roles.PUPIL)
        condition |= Q(pk__in=own_pupils.values("pk"))
    return condition


def can_see_pupil(user: AnyUser, pupil: User, codename: str = VIEW_GROUP) -> bool:
    if user.is_authenticated and user.pk == pupil.pk and codename == VIEW_GROUP:
        return True
    return User.objects.filter(pupils_visible_q(user, codename), pk=pupil.pk).exists()


# --- School administration -------------------------------------------------------------------


def administered_school_or_404(user: AnyUser) -> School:
    """The school a school admin runs; 404 for everyone else."""
    if not is_school_admin(user):
        raise Http404
    return School.objects.get(pk=user.school_id)


def school_teachers(school: School) -> QuerySet[User]:
    return User.objects.filter(school=school, groups__name=roles.TEACHER, is_active=True)


# --- New passwords ----------------------------------------------------------------------------
# A new password is how an account is taken over, so it is given only "downwards": a teacher to
# pupils of a group they manage, a school admin to pupils and teachers of their own school. An
# account with anything more (platform staff, a methodologist, another school admin, a course
# author, a member of or guest in another school, direct permissions) is refused, with the
# reason, for everyone but a superuser.

RESETTABLE_BY_ADMIN = frozenset({roles.PUPIL, roles.TEACHER})
RESETTABLE_BY_TEACHER = frozenset({roles.PUPIL})


def password_reset_refusals(
    user: AnyUser, accounts: list[User], group: StudyGroup | None = None
) -> dict[int, str | None]:
    """Account id -> why `user` may not give it a new password (None: may). `group` is the
    group page the reset is asked from (teachers reset only from there). Six queries for any
    number of accounts, so a list shows every button or reason at once."""
    from django.contrib.auth.models import Permission
    from django.utils.translation import gettext as _

    from courses.models import CourseAuthor

    ids = [account.pk for account in accounts]
    role_names: dict[int, set[str]] = defaultdict(set)
    for account_id, name in User.groups.through.objects.filter(user_id__in=ids).values_list(
        "user_id", "group__name"
    ):
        role_names[account_id].add(name)
    elsewhere = set(
        Membership.objects.filter(user_id__in=ids)
        .exclude(group__school_id=user.school_id if user.is_authenticated else None)
        .values_list("user_id", flat=True)
    )
    elsewhere |= set(
        CrossSchoolGrant.objects.filter(teacher_id__in=ids, revoked_at__isnull=True).values_list(
            "teacher_id", flat=True
        )
    )
    special = set(
        Permission.user_set.through.objects.filter(user_id__in=ids).values_list(
            "user_id", flat=True
        )
    ) | set(CourseAuthor.objects.filter(user_id__in=ids).values_list("user_id", flat=True))
    in_group = (
        set(
            Membership.objects.filter(
                group=group, role=Membership.Role.PUPIL, user_id__in=ids
            ).values_list("user_id", flat=True)
        )
        if group is not None and can_manage_group(user, group)
        else set()
    )
    admin = is_school_admin(user)

    def refusal(account: User) -> str | None:
        name = {"name": account.get_display_name()}
        only_admin = _("Only a platform administrator can give %(name)s a new password.") % name
        if not user.is_authenticated:
            return _("Sign in first.")
        if account.pk == user.pk:
            return _("To change your own password, use “Change password” in the menu.")
        if user.is_superuser:
            return None
        if account.is_superuser or account.is_staff or account.pk in special:
            return _("%(name)s has rights beyond your school.") % name + " " + only_admin
        if account.pk in elsewhere or account.school_id != user.school_id:
            return _("%(name)s also belongs to another school.") % name + " " + only_admin
        if admin:
            allowed = RESETTABLE_BY_ADMIN
        elif account.pk in in_group:
            allowed = RESETTABLE_BY_TEACHER
        else:
            return _("You can give new passwords only to pupils of the groups you manage.")
        if not role_names[account.pk] <= allowed:
            return _("%(name)s has rights beyond yours.") % name + " " + only_admin
        return None

    return {account.pk: refusal(account) for account in accounts}


def password_reset_refusal(
    user: AnyUser, account: User, group: StudyGroup | None = None
) -> str | None:
    """The single-account twin of `password_reset_refusals`."""
    return password_reset_refusals(user, [account], group)[account.pk]


def can_grant_cross_school(user: AnyUser, group: StudyGroup) -> bool:
    """Only the admin of the school whose pupils they are may open a group to an outsider."""
    return is_school_admin(user, group.school_id) and not group.is_archived


def grant_or_404(user: AnyUser, grant_id: int) -> CrossSchoolGrant:
    grant = CrossSchoolGrant.objects.select_related("group", "teacher").filter(pk=grant_id).first()
    if grant is None or not is_school_admin(user, grant.group.school_id):
        raise Http404
    return grant


# --- Enrolment in courses and shared modules --------------------------------------------------


def can_enrol(user: AnyUser, group: StudyGroup, course_id: int, module_id: int | None) -> bool:
    """Staff who manage a group may enrol it: a host park's group in any course, a partner
    school's group only in what the park shares with that school."""
    if not can_manage_group(user, group):
        return False
    from courses import sharing

    return sharing.scope_for(group.school).covers(course_id, module_id)


# --- Files of lessons ---------------------------------------------------------------------------


def can_download_document(user: AnyUser, document) -> bool:
    """A lesson file: the rule lives with the course collections (courses.documents)."""
    from courses.documents import can_download_document as rule

    return rule(user, document)


# --- Assignments (authoring in the admin) -------------------------------------------------------


def authored_course_ids(user: AnyUser) -> list[int]:
    """Courses the user co-authors (one query, cached for the request)."""
    if not user.is_authenticated:
        return []
    cached = getattr(user, "_lms_authored_courses", None)
    if cached is None:
        from courses.models import CourseAuthor

        cached = list(CourseAuthor.objects.filter(user=user).values_list("course_id", flat=True))
        user._lms_authored_courses = cached
    return cached


def can_author_assignments(user: AnyUser) -> bool:
    """Who may edit a lesson may edit its assignments: methodologists, course authors."""
    return can_edit_catalogue(user) or bool(authored_course_ids(user))


def editable_assignments_q(user: AnyUser) -> Q:
    if can_edit_catalogue(user):
        return Q()
    return Q(course_id__in=authored_course_ids(user))


def can_edit_lesson_assignments(user: AnyUser, course_id: int) -> bool:
    return can_edit_catalogue(user) or course_id in authored_course_ids(user)


# --- Pupils' work ---------------------------------------------------------------------------------


def can_open_submission(user: AnyUser, submission) -> bool:
    """A submission (and its files) is seen by the pupil who made it, and by staff who view or
    grade the group it was made in: never through another group (Moodle CVE-2013-2079)."""
    if not user.is_authenticated:
        return False
    if submission.pupil_id == user.pk:
        return True
    return bool(group_perms(user, submission.group) & {VIEW_GROUP, GRADE_GROUP})


def can_open_feedback(user: AnyUser, grade) -> bool:
    """A grade's feedback (and its files): the pupil once it is released; staff who view or
    grade the group the work was made in, always."""
    submission = grade.submission
    if not can_open_submission(user, submission):
        return False
    if submission.pupil_id == user.pk:
        return grade.is_released
    return True
