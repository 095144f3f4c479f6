"""lms.access_cache: a user's roles, group rights, enrolled courses and authorship kept in the
shared cache between requests, and never read again once what they were computed from changes.

Each check reads the user afresh (a new request's user object), so only the shared cache can
carry a stale answer."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext

from courses import services
from courses.models import CourseAuthor, CourseShare, Enrolment
from courses.permissions import authored_course_ids, course_access, enrolled_access
from lms import access_cache, accounts, generations, group_permissions, permissions, roles
from lms.models import CrossSchoolGrant, Membership, User


def fresh(user: User) -> User:
    return User.objects.get(pk=user.pk)


def queries_of(check) -> int:
    with CaptureQueriesContext(connection) as captured:
        check()
    return len(captured)


@pytest.fixture
def world(two_schools):
    return two_schools


def test_the_second_request_asks_the_database_nothing(world):
    pupil = world.host.pupils_a[0]
    course = world.tree.course.pk
    first = fresh(pupil)
    assert queries_of(lambda: (course_access(first, course), permissions.user_roles(first))) == 2
    again = fresh(pupil)
    assert queries_of(lambda: (course_access(again, course), permissions.user_roles(again))) == 0
    assert course_access(again, course).whole_course and course_access(again, course).as_pupil


def test_leaving_the_group_closes_the_course_at_once(world):
    pupil = world.host.pupils_a[0]
    course = world.tree.course.pk
    assert course_access(fresh(pupil), course).allowed
    accounts.remove_from_group(pupil, world.host.group_a, Membership.Role.PUPIL)
    assert not course_access(fresh(pupil), course).allowed


def test_an_ended_enrolment_is_seen_though_update_sends_no_signal(world):
    pupil = world.host.pupils_a[0]
    course = world.tree.course.pk
    assert course_access(fresh(pupil), course).allowed
    enrolment = Enrolment.objects.get(group=world.host.group_a, course_id=course)
    assert services.end_enrolment(enrolment)
    assert not course_access(fresh(pupil), course).allowed
    services.enrol_group(world.host.group_a, world.tree.course)  # and back
    assert course_access(fresh(pupil), course).allowed


def test_an_archived_group_stops_giving_its_courses(world):
    pupil = world.host.pupils_a[0]
    course = world.tree.course.pk
    assert course_access(fresh(pupil), course).allowed
    group = world.host.group_a
    group.is_archived = True
    group.save()
    assert not course_access(fresh(pupil), course).allowed


def test_a_withdrawn_share_closes_the_visiting_schools_module(world):
    pupil = world.visiting.pupils_a[0]
    course = world.tree.course.pk
    assert course_access(fresh(pupil), course).allows_module(world.tree.modules[0].pk)
    CourseShare.objects.filter(course_id=course).delete()  # enrolments switched off by update()
    assert not course_access(fresh(pupil), course).allowed


def test_a_new_role_and_a_lost_one_are_seen(world):
    teacher = world.host.teacher_a
    assert permissions.is_school_staff(fresh(teacher))
    assert not permissions.is_school_admin(fresh(teacher))
    teacher.groups.add(Group.objects.get(name=roles.SCHOOL_ADMIN))
    assert permissions.is_school_admin(fresh(teacher))
    teacher.groups.clear()
    assert not permissions.is_school_staff(fresh(teacher))


def test_a_cross_school_grant_gives_and_takes_the_group(world):
    guest = world.visiting.teacher_a
    group = world.host.group_a
    assert permissions.VIEW_GROUP not in permissions.group_perms(fresh(guest), group)
    grant = CrossSchoolGrant.objects.create(
        teacher=guest, group=group, granted_by=world.host.admin, reason="Олимпиада"
    )
    assert permissions.VIEW_GROUP in permissions.group_perms(fresh(guest), group)
    # Their own group takes module 1; the host's group the whole course.
    assert course_access(fresh(guest), world.tree.course.pk).whole_course
    grant.delete()
    assert permissions.VIEW_GROUP not in permissions.group_perms(fresh(guest), group)
    assert not course_access(fresh(guest), world.tree.course.pk).whole_course


def test_guardian_rows_written_in_bulk_are_seen(world):
    teacher = world.host.teacher_b
    group = world.host.group_a
    assert not permissions.group_perms(fresh(teacher), group)
    # A membership created without its signal (as a bulk import does), then the repair.
    Membership.objects.bulk_create(
        [Membership(user=teacher, group=group, role=Membership.Role.TEACHER)]
    )
    assert not permissions.group_perms(fresh(teacher), group)  # no rows yet: still none
    group_permissions.sync()  # bulk_create of the guardian rows
    assert permissions.MANAGE_GROUP in permissions.group_perms(fresh(teacher), group)


def test_authorship_is_seen(world):
    teacher = world.host.teacher_b
    course = world.tree.course
    assert course.pk not in authored_course_ids(fresh(teacher))
    CourseAuthor.objects.create(course=course, user=teacher)
    assert course.pk in authored_course_ids(fresh(teacher))
    assert course_access(fresh(teacher), course.pk).as_staff


def test_the_users_own_school_and_flags_are_part_of_the_key(world):
    admin = world.host.admin
    group = world.host.group_a
    assert permissions.can_manage_group(fresh(admin), group)
    User.objects.filter(pk=admin.pk).update(school=world.visiting.school)  # no signal at all
    assert not permissions.can_manage_group(fresh(admin), group)
    User.objects.filter(pk=admin.pk).update(is_superuser=True)
    assert permissions.can_manage_group(fresh(admin), group)


def test_an_entry_of_an_older_generation_is_not_read(world):
    pupil = world.host.pupils_a[0]
    first = fresh(pupil)
    cold = queries_of(lambda: enrolled_access(first))
    generations.move(access_cache.GENERATION_KEY)  # what access_changed does on commit
    user = fresh(pupil)
    assert queries_of(lambda: enrolled_access(user)) == cold > 0


def test_a_cache_that_is_down_costs_queries_only(world, monkeypatch):
    from django.core.cache import cache

    def broken(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr(cache, "get_many", broken)
    monkeypatch.setattr(cache, "set", broken)
    pupil = fresh(world.host.pupils_a[0])
    assert course_access(pupil, world.tree.course.pk).allowed
    assert roles.PUPIL in permissions.user_roles(pupil)
    stranger = fresh(world.visiting.pupils_b[0])
    assert not course_access(stranger, world.tree.course.pk).allowed


def test_the_cached_list_cannot_be_changed_by_a_caller(world):
    teacher = world.host.teacher_b
    CourseAuthor.objects.create(course=world.tree.course, user=teacher)
    authored_course_ids(fresh(teacher)).append(999_999)
    assert authored_course_ids(fresh(teacher)) == [world.tree.course.pk]
