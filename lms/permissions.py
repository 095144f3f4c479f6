"""The access core: roles, study groups (guardian rows), pupils, schools, new passwords.

Every app's own rules build on these (courses.permissions: lessons and documents;
assessments.permissions: work, feedback, authoring assignments); views, templates, admin panels
and services ask those modules and nothing else checks access. Following Kolibri, each rule
gives both a yes/no answer for one object and a filter for lists, built from the same data, so a
list page and a detail page cannot disagree.
"""

from __future__ import annotations

from collections import defaultdict

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet
from django.http import Http404

from lms import access_cache, roles
from lms.models import (
    CrossSchoolGrant,
    Membership,
    School,
    StudyGroup,
    StudyGroupUserObjectPermission,
    User,
)

AnyUser = User | AnonymousUser


def user_roles(user: AnyUser) -> frozenset[str]:
    """Names of the user's role groups; one query, then kept on the user for the request and
    in the shared cache until access changes (lms.access_cache)."""
    if not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_lms_roles", None)
    if cached is None:
        cached = access_cache.remembered(
            user, "roles", lambda: frozenset(user.groups.values_list("name", flat=True))
        )
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


# --- Authoring pages in the Wagtail admin ---------------------------------------------------------
# Who may write which pages is Wagtail's page permissions, derived from the roles
# (lms.role_permissions: methodologists on the whole site) and from course authors
# (courses.authoring: a teacher on their course); the admin enforces them itself. The admin's
# own additions (the dashboard's panels, the markdown preview) ask these two.

PAGE_EDIT_ACTIONS = frozenset({"add", "change"})  # "add" alone: new pages and one's own


def editable_pages(user: AnyUser) -> QuerySet:
    """The pages the user may edit in the admin, unevaluated. One query (the user's page
    permissions, cached on the user for the request); superusers get every page."""
    from wagtail.models import Page
    from wagtail.permission_policies.pages import PagePermissionPolicy

    if not user.is_authenticated:
        return Page.objects.none()
    # "change", as Wagtail reads it: anywhere one may change, and one's own pages where one may
    # only add.
    return PagePermissionPolicy().instances_user_has_any_permission_for(user, {"change"})


def can_author_pages(user: AnyUser) -> bool:
    """Whether the user may write some page: who gets the authoring tools. The one-object
    twin of `editable_pages` (a test checks that they agree)."""
    from wagtail.permission_policies.pages import PagePermissionPolicy

    if not user.is_authenticated:
        return False
    return PagePermissionPolicy().user_has_any_permission(user, PAGE_EDIT_ACTIONS)


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


def viewable_group_ids(user: User) -> QuerySet:
    """A subquery: ids of the groups the user may view through guardian rows. Only per-user
    rows exist (lms.group_permissions writes them); guardian's per-auth-group table is never
    written, so it is not read either."""
    return StudyGroupUserObjectPermission.objects.filter(
        user=user, permission__codename=VIEW_GROUP
    ).values("content_object_id")


def group_permission_map(user: AnyUser) -> dict[int, frozenset[str]]:
    """Group id -> the guardian permissions the user holds on it. One query, kept on the user
    for the request and in the shared cache until access changes."""
    if not user.is_authenticated:
        return {}
    cached = getattr(user, "_lms_group_perms", None)
    if cached is None:
        cached = access_cache.remembered(user, "group_perms", lambda: _group_permission_rows(user))
        user._lms_group_perms = cached
    return cached


def _group_permission_rows(user: User) -> dict[int, frozenset[str]]:
    rows = StudyGroupUserObjectPermission.objects.filter(user=user).values_list(
        "content_object_id", "permission__codename"
    )
    collected: dict[int, set[str]] = defaultdict(set)
    for group_id, codename in rows:
        collected[group_id].add(codename)
    return {group_id: frozenset(codenames) for group_id, codenames in collected.items()}


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


def graders_of(group_id: int) -> QuerySet[User]:
    """The list twin of `can_grade_group` seen from the group: the active accounts that may
    grade its work (its teachers and guests; school admins view and manage, they do not grade)."""
    ids = StudyGroupUserObjectPermission.objects.filter(
        content_object_id=group_id, permission__codename=GRADE_GROUP
    ).values("user_id")
    return User.objects.filter(pk__in=ids, is_active=True)


def group_pupil_or_404(group: StudyGroup, user_id: int) -> User:
    """A pupil of this group (the caller has already checked the group)."""
    pupil = User.objects.pupils_of(group).filter(pk=user_id).first()
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


# --- Joining by invite -------------------------------------------------------------------------


def is_staff_account(user: AnyUser) -> bool:
    """A superuser or anyone with a role besides Pupil: added to groups by their school admin,
    never by an invite code."""
    return user.is_superuser or bool(user_roles(user) - {roles.PUPIL})


def is_of_another_school(user: AnyUser, school_id: int) -> bool:
    return user.school_id is not None and user.school_id != school_id


# --- School administration -------------------------------------------------------------------


def administered_school_or_404(user: AnyUser) -> School:
    """The school a school admin runs; 404 for everyone else."""
    if not is_school_admin(user):
        raise Http404
    return School.objects.get(pk=user.school_id)


def administered_group_or_404(user: AnyUser, group_id: int) -> StudyGroup:
    """A group of the school the user runs; 404 otherwise (a guest grant never makes anyone an
    admin of another school's group)."""
    school = administered_school_or_404(user)
    group = group_or_404(user, group_id, VIEW_GROUP)
    if group.school_id != school.pk:
        raise Http404
    return group


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
    # Course authors are members of their course's authors group, an auth group other than the
    # roles: `role_names` below refuses them without reading the courses app.
    special = set(
        Permission.user_set.through.objects.filter(user_id__in=ids).values_list(
            "user_id", flat=True
        )
    )
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
