"""Guardian rows on study groups: teachers get them from memberships, guests from cross-school
grants; school admins get view+manage from their role. The one-object answer (`group_perms`),
the list answer (`groups_with`) and guardian's own backend must agree, the sync command must
find and repair drift, and no page may leak one school's pupils to another."""

from io import StringIO

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from courses.models import Enrolment
from lms import group_permissions, permissions
from lms.models import (
    CrossSchoolGrant,
    Invite,
    Membership,
    StudyGroup,
    StudyGroupUserObjectPermission,
    User,
)
from lms.permissions import GRADE_GROUP, GROUP_PERMISSIONS, MANAGE_GROUP, VIEW_GROUP

pytestmark = pytest.mark.django_db

ALL = frozenset(GROUP_PERMISSIONS)


def fresh(user: User) -> User:
    """The same user without the per-request caches (roles, group permissions)."""
    return User.objects.get(pk=user.pk)


def perms(user: User, group: StudyGroup) -> frozenset[str]:
    return permissions.group_perms(fresh(user), StudyGroup.objects.get(pk=group.pk))


def stored(user: User, group: StudyGroup) -> set[str]:
    return set(
        StudyGroupUserObjectPermission.objects.filter(user=user, content_object=group).values_list(
            "permission__codename", flat=True
        )
    )


def everyone(world) -> list[User]:
    people = [world.methodologist, world.superuser]
    for school in (world.host, world.visiting):
        people += [school.teacher_a, school.teacher_b, school.admin]
        people += school.pupils_a + school.pupils_b
    return people


def all_groups(world) -> list[StudyGroup]:
    return [world.host.group_a, world.host.group_b, world.visiting.group_a, world.visiting.group_b]


# --- Teacher memberships -------------------------------------------------------------------------


def test_teacher_membership_grants_view_manage_grade_on_that_group_only(two_schools):
    host = two_schools.host
    assert stored(host.teacher_a, host.group_a) == set(GROUP_PERMISSIONS)
    assert perms(host.teacher_a, host.group_a) == ALL
    for other in (host.group_b, two_schools.visiting.group_a, two_schools.visiting.group_b):
        assert stored(host.teacher_a, other) == set()
        assert perms(host.teacher_a, other) == frozenset()


def test_deleting_the_membership_revokes(two_schools):
    host = two_schools.host
    Membership.objects.get(user=host.teacher_a, group=host.group_a).delete()
    assert stored(host.teacher_a, host.group_a) == set()
    assert perms(host.teacher_a, host.group_a) == frozenset()


def test_changing_the_role_to_pupil_revokes(two_schools):
    host = two_schools.host
    membership = Membership.objects.get(user=host.teacher_a, group=host.group_a)
    membership.role = Membership.Role.PUPIL
    membership.save()
    assert stored(host.teacher_a, host.group_a) == set()
    assert perms(host.teacher_a, host.group_a) == frozenset()


def test_pupils_hold_no_group_permissions(two_schools):
    for pupil in two_schools.host.pupils_a + two_schools.visiting.pupils_a:
        for group in all_groups(two_schools):
            assert perms(pupil, group) == frozenset()


def test_school_admin_gets_view_and_manage_on_own_school_groups_only(two_schools):
    admin = two_schools.host.admin
    for group in (two_schools.host.group_a, two_schools.host.group_b):
        assert perms(admin, group) == {VIEW_GROUP, MANAGE_GROUP}
    for group in (two_schools.visiting.group_a, two_schools.visiting.group_b):
        assert perms(admin, group) == frozenset()
    listed = set(permissions.groups_with(fresh(admin), VIEW_GROUP))
    assert listed == {two_schools.host.group_a, two_schools.host.group_b}
    assert not permissions.groups_with(fresh(admin), GRADE_GROUP).exists()


def test_archived_group_loses_manage_but_stays_readable(two_schools):
    host = two_schools.host
    StudyGroup.objects.filter(pk=host.group_a.pk).update(is_archived=True)
    for user in (host.teacher_a, host.admin, two_schools.superuser):
        granted = perms(user, host.group_a)
        assert VIEW_GROUP in granted
        assert MANAGE_GROUP not in granted
        assert host.group_a not in permissions.groups_with(fresh(user), MANAGE_GROUP)
        assert host.group_a in permissions.groups_with(fresh(user), VIEW_GROUP)


# --- Consistency: one object, list, guardian -----------------------------------------------------


def test_list_and_single_answers_agree_for_every_user_group_and_permission(two_schools):
    # Kolibri-style: a list page and a detail page can never disagree.
    CrossSchoolGrant.objects.create(
        group=two_schools.visiting.group_a,
        teacher=two_schools.host.teacher_b,
        reason="joint event",
        granted_by=two_schools.visiting.admin,
    )
    StudyGroup.objects.filter(pk=two_schools.host.group_b.pk).update(is_archived=True)
    groups = list(StudyGroup.objects.all())
    for user in everyone(two_schools):
        for codename in GROUP_PERMISSIONS:
            listed = set(permissions.groups_with(fresh(user), codename))
            single = {g for g in groups if codename in permissions.group_perms(fresh(user), g)}
            assert listed == single, (user.username, codename)


def test_guardian_backend_agrees_with_group_perms(two_schools):
    """guardian's `has_perm` reads only the stored rows; `group_perms` adds the school admin's
    role rights (not stored, by design) and drops manage on archived groups. Outside those two
    documented additions the answers are the same."""
    CrossSchoolGrant.objects.create(
        group=two_schools.visiting.group_a,
        teacher=two_schools.host.teacher_b,
        reason="joint event",
        granted_by=two_schools.visiting.admin,
    )
    for user in everyone(two_schools):
        for group in all_groups(two_schools):
            ours = permissions.group_perms(fresh(user), group)
            theirs = {c for c in GROUP_PERMISSIONS if fresh(user).has_perm(f"lms.{c}", group)}
            if permissions.is_school_admin(fresh(user), group.school_id):
                assert theirs == set()
                assert ours == permissions.SCHOOL_ADMIN_GROUP_PERMISSIONS
            else:
                assert theirs == set(ours), (user.username, str(group))


# --- The sync command ----------------------------------------------------------------------------


@pytest.fixture
def drifted(two_schools):
    """Three kinds of drift: a membership saved without signals (missing rows), a deleted row
    (missing) and a stray row (extra)."""
    host = two_schools.host
    Membership.objects.bulk_create(
        [Membership(user=host.teacher_b, group=host.group_a, role=Membership.Role.TEACHER)]
    )
    view = Permission.objects.get(content_type__app_label="lms", codename=VIEW_GROUP)
    grade = Permission.objects.get(content_type__app_label="lms", codename=GRADE_GROUP)
    StudyGroupUserObjectPermission.objects.filter(
        user=host.teacher_a, content_object=host.group_a, permission=grade
    ).delete()
    StudyGroupUserObjectPermission.objects.create(
        user=host.pupils_a[0], content_object=host.group_a, permission=view
    )
    return two_schools


def _rows() -> set:
    return set(
        StudyGroupUserObjectPermission.objects.values_list(
            "user_id", "content_object_id", "permission_id"
        )
    )


def test_sync_check_reports_drift_and_changes_nothing(drifted):
    host = drifted.host
    before = _rows()
    out = StringIO()
    with pytest.raises(CommandError, match=r"Drift found: 4 missing, 1 extra"):
        call_command("sync_group_permissions", "--check", stdout=out)
    text = out.getvalue()
    assert f"missing: {host.teacher_b.username} manage_studygroup a-1" in text
    assert f"missing: {host.teacher_a.username} grade_studygroup a-1" in text
    assert f"extra: {host.pupils_a[0].username} view_studygroup a-1" in text
    assert _rows() == before


def test_sync_fixes_drift_and_a_second_run_finds_none(drifted):
    host = drifted.host
    out = StringIO()
    call_command("sync_group_permissions", stdout=out)
    assert "Fixed drift: 4 granted, 1 revoked." in out.getvalue()
    assert f"revoked: {host.pupils_a[0].username} view_studygroup" in out.getvalue()
    assert stored(host.teacher_b, host.group_a) == set(GROUP_PERMISSIONS)
    assert stored(host.teacher_a, host.group_a) == set(GROUP_PERMISSIONS)
    assert stored(host.pupils_a[0], host.group_a) == set()
    assert group_permissions.expected_permissions() == group_permissions.stored_permissions()

    again = StringIO()
    call_command("sync_group_permissions", stdout=again)
    assert "No drift" in again.getvalue()
    call_command("sync_group_permissions", "--check", stdout=StringIO())  # no CommandError


# --- Cross-school grants -------------------------------------------------------------------------


def _grant_via_page(client, admin, group, login, reason="Совместные соревнования"):
    client.force_login(admin)
    return client.post(
        reverse("school:access"),
        {"group": group.pk, "teacher_login": login, "reason": reason},
        follow=True,
    )


def test_cross_school_grant_gives_view_and_grade_until_revoked(en, two_schools):
    visiting, guest = two_schools.visiting, two_schools.host.teacher_b
    group_url = reverse("teach:group", args=[visiting.group_a.pk])

    response = _grant_via_page(en, visiting.admin, visiting.group_a, guest.username)
    assert "Access granted" in response.content.decode()
    record = CrossSchoolGrant.objects.get(group=visiting.group_a, teacher=guest)
    assert record.granted_by == visiting.admin

    assert perms(guest, visiting.group_a) == {VIEW_GROUP, GRADE_GROUP}
    assert visiting.group_a in permissions.groups_with(fresh(guest), VIEW_GROUP)
    assert visiting.group_a in permissions.groups_with(fresh(guest), GRADE_GROUP)
    assert visiting.group_a not in permissions.groups_with(fresh(guest), MANAGE_GROUP)
    en.force_login(guest)
    page = en.get(group_url)
    assert page.status_code == 200
    assert visiting.pupils_a[0].username in page.content.decode()
    # A guest reads; a guest does not manage.
    assert en.get(reverse("teach:add_pupil", args=[visiting.group_a.pk])).status_code == 404

    en.force_login(visiting.admin)
    revoke_url = reverse("school:revoke_grant", args=[record.pk])
    assert "Access revoked" in en.post(revoke_url, follow=True).content.decode()
    record.refresh_from_db()
    assert record.revoked_at is not None
    assert record.revoked_by == visiting.admin
    first_revocation = record.revoked_at
    en.post(revoke_url)  # twice is harmless
    record.refresh_from_db()
    assert record.revoked_at == first_revocation

    assert perms(guest, visiting.group_a) == frozenset()
    en.force_login(guest)
    assert en.get(group_url).status_code == 404
    assert CrossSchoolGrant.objects.filter(group=visiting.group_a, teacher=guest).count() == 1


def test_host_admin_cannot_grant_or_revoke_on_a_visiting_group(en, two_schools):
    visiting, host = two_schools.visiting, two_schools.host
    response = _grant_via_page(en, host.admin, visiting.group_a, visiting.teacher_b.username)
    assert response.status_code == 200  # the form offers only the admin's own groups
    assert "Select a valid choice" in response.content.decode()
    assert not CrossSchoolGrant.objects.exists()

    record = CrossSchoolGrant.objects.create(
        group=visiting.group_a, teacher=host.teacher_b, reason="x", granted_by=visiting.admin
    )
    en.force_login(host.admin)
    assert en.post(reverse("school:revoke_grant", args=[record.pk])).status_code == 404
    record.refresh_from_db()
    assert record.revoked_at is None
    # The host admin's log lists only grants on the host's groups.
    assert host.teacher_b.username not in en.get(reverse("school:access")).content.decode()


@pytest.mark.parametrize(
    ("login", "message"),
    [
        ("v_teacher2", "This teacher works at your school"),
        ("nobody-here", "There is no teacher with this login."),
        ("a_pupil_a1", "There is no teacher with this login."),
    ],
)
def test_grant_refused_for_own_teacher_unknown_login_or_pupil(en, two_schools, login, message):
    visiting = two_schools.visiting
    response = _grant_via_page(en, visiting.admin, visiting.group_a, login)
    assert message in response.content.decode()
    assert not CrossSchoolGrant.objects.exists()


def test_second_active_grant_for_the_same_teacher_is_refused(en, two_schools):
    visiting, guest = two_schools.visiting, two_schools.host.teacher_b
    _grant_via_page(en, visiting.admin, visiting.group_a, guest.username)
    response = _grant_via_page(en, visiting.admin, visiting.group_a, guest.username)
    assert "This teacher already has access to this group." in response.content.decode()
    assert CrossSchoolGrant.objects.filter(teacher=guest).count() == 1


# --- Isolation between schools -------------------------------------------------------------------


def test_host_teacher_sees_no_visiting_pupils(client, two_schools):
    host, visiting = two_schools.host, two_schools.visiting
    teacher = fresh(host.teacher_a)
    visible = User.objects.filter(permissions.pupils_visible_q(teacher))
    assert set(visible) == set(host.pupils_a)
    client.force_login(teacher)
    for group in (visiting.group_a, visiting.group_b):
        assert client.get(reverse("teach:group", args=[group.pk])).status_code == 404
        assert client.get(reverse("teach:export", args=[group.pk, "csv"])).status_code == 404
    listing = client.get(reverse("teach:groups")).content.decode()
    for pupil in visiting.pupils_a + visiting.pupils_b:
        assert pupil.username not in listing
    assert "v-1" not in listing


def test_visiting_staff_see_nothing_of_the_host_pupils(client, two_schools):
    host, visiting = two_schools.host, two_schools.visiting
    for user in (visiting.teacher_a, visiting.teacher_b, visiting.admin):
        visible = set(User.objects.filter(permissions.pupils_visible_q(fresh(user))))
        assert not visible & set(host.pupils_a + host.pupils_b)
        client.force_login(user)
        for group in (host.group_a, host.group_b):
            assert client.get(reverse("teach:group", args=[group.pk])).status_code == 404
            assert client.get(reverse("school:group", args=[group.pk])).status_code == 404
        assert not permissions.can_see_pupil(fresh(user), host.pupils_a[0])
    client.force_login(visiting.admin)
    home = client.get(reverse("school:home")).content.decode()
    assert "a-1" not in home
    assert host.teacher_a.username not in home


def test_teacher_removed_from_a_group_gets_404_on_every_action(client, two_schools):
    host = two_schools.host
    group, pupil = host.group_a, host.pupils_a[0]
    client.force_login(host.teacher_a)
    assert client.get(reverse("teach:group", args=[group.pk])).status_code == 200

    Membership.objects.get(user=host.teacher_a, group=group).delete()  # the admin removes them

    invites, memberships, enrolments = (
        Invite.objects.count(),
        Membership.objects.count(),
        Enrolment.objects.count(),
    )
    password = User.objects.get(pk=pupil.pk).password
    upload = SimpleUploadedFile("list.csv", "Фамилия;Имя\nНовиков;Пётр\n".encode())
    actions = [
        ("get", reverse("teach:group", args=[group.pk]), {}),
        ("post", reverse("teach:reset_password", args=[group.pk, pupil.pk]), {}),
        ("post", reverse("teach:remove_pupil", args=[group.pk, pupil.pk]), {}),
        ("post", reverse("teach:create_invite", args=[group.pk]), {"days": 7, "max_uses": 5}),
        ("post", reverse("teach:import", args=[group.pk]), {"file": upload}),
        ("post", reverse("teach:enrol", args=[group.pk]), {"course": two_schools.tree.course.pk}),
        (
            "post",
            reverse("teach:shared_enrol"),
            {"group": group.pk, "course": two_schools.tree.course.pk},
        ),
        (
            "post",
            reverse("teach:add_pupil", args=[group.pk]),
            {"last_name": "Новиков", "first_name": "Пётр"},
        ),
        ("post", reverse("teach:issue_cards", args=[group.pk]), {"who": "all"}),
    ]
    for method, url, data in actions:
        response = getattr(client, method)(url, data)
        assert response.status_code == 404, url
    assert Invite.objects.count() == invites
    assert Membership.objects.count() == memberships
    assert Enrolment.objects.count() == enrolments
    assert User.objects.get(pk=pupil.pk).password == password
    assert not User.objects.filter(last_name="Новиков").exists()


def test_the_scenario_itself_has_no_drift(two_schools):
    assert not group_permissions.sync(dry_run=True)
