"""Account takeover inside a school (security issue, findings 1 and 2): a new password is given
only "downwards", every reset is logged and shown to the school admin, and an import cannot pull
another group's pupil into a teacher's group."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.test import Client
from django.urls import reverse
from django.utils import translation

from courses.models import CourseAuthor
from lms import cross_school, roles
from lms.models import Membership, PasswordReset, User
from lms.permissions import password_reset_refusal, password_reset_refusals
from tests import builders

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(two_schools):
    return two_schools


def password_of(user: User) -> str:
    return User.objects.get(pk=user.pk).password


def messages_of(response) -> str:
    return " ".join(str(m) for m in response.context["messages"])


# --- Teachers -----------------------------------------------------------------------------------


def test_a_teachers_reset_is_logged_and_shown_to_the_school_admin(en, world):
    host, pupil = world.host, world.host.pupils_a[0]
    en.force_login(host.teacher_a)
    response = en.post(reverse("teach:reset_password", args=[host.group_a.pk, pupil.pk]))
    assert response.status_code == 302
    reset = PasswordReset.objects.get()
    assert (reset.user, reset.reset_by, reset.group, reset.school) == (
        pupil,
        host.teacher_a,
        host.group_a,
        host.school,
    )
    en.force_login(host.admin)
    page = en.get(reverse("school:password_resets")).content.decode()
    assert pupil.username in page and host.teacher_a.username in page
    en.force_login(world.visiting.admin)  # another school's admin sees nothing of it
    page = en.get(reverse("school:password_resets")).content.decode()
    assert pupil.username not in page


def test_a_teacher_cannot_reset_a_pupil_of_another_group(en, world):
    host = world.host
    en.force_login(host.teacher_a)
    other = host.pupils_b[0]
    before = password_of(other)
    for group in (host.group_a, host.group_b):
        response = en.post(reverse("teach:reset_password", args=[group.pk, other.pk]))
        assert response.status_code == 404
    assert password_of(other) == before
    assert not PasswordReset.objects.exists()


def test_the_import_then_reset_takeover_is_closed(en, world):
    """The attack of the review: import another group's pupil by login, then reset them."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    host, victim = world.host, world.host.pupils_b[0]
    en.force_login(host.teacher_a)
    data = f"Фамилия;Имя;Логин\r\nX;Y;{victim.username.upper()}\r\n".encode()
    en.post(
        reverse("teach:import", args=[host.group_a.pk]),
        {"file": SimpleUploadedFile("list.csv", data)},
    )
    assert not Membership.objects.filter(user=victim, group=host.group_a).exists()
    response = en.post(reverse("teach:reset_password", args=[host.group_a.pk, victim.pk]))
    assert response.status_code == 404


def test_a_pupil_who_is_also_a_teacher_is_not_reset_by_a_teacher(en, world):
    host = world.host
    pupil = host.pupils_a[0]
    pupil.groups.add(Group.objects.get(name=roles.TEACHER))
    before = password_of(pupil)
    en.force_login(host.teacher_a)
    response = en.post(
        reverse("teach:reset_password", args=[host.group_a.pk, pupil.pk]), follow=True
    )
    assert "Only a platform administrator" in messages_of(response)
    assert password_of(pupil) == before


def test_cards_for_the_whole_group_skip_who_may_not_be_reset(en, world):
    host = world.host
    special = host.pupils_a[0]
    special.groups.add(Group.objects.get(name=roles.METHODOLOGIST))
    before = password_of(special)
    en.force_login(host.teacher_a)
    response = en.post(
        reverse("teach:issue_cards", args=[host.group_a.pk]), {"who": "all"}, follow=True
    )
    assert special.get_display_name() in messages_of(response)
    assert password_of(special) == before
    reset_ids = set(PasswordReset.objects.values_list("user_id", flat=True))
    assert reset_ids == {p.pk for p in host.pupils_a if p != special}


def test_a_guest_teacher_cannot_reset_the_hosts_pupils(en, world):
    guest = world.host.teacher_b
    cross_school.grant(world.visiting.admin, world.visiting.group_a, guest.username, "event")
    pupil = world.visiting.pupils_a[0]
    en.force_login(guest)
    response = en.post(reverse("teach:reset_password", args=[world.visiting.group_a.pk, pupil.pk]))
    assert response.status_code == 404


# --- School admins ------------------------------------------------------------------------------


def make_extra_rights(world, kind: str) -> User:
    """A teacher of the host school with one right beyond the school."""
    host = world.host
    teacher = builders.make_user(f"teacher_{kind}", roles.TEACHER, school=host.school)
    if kind == "methodologist":
        teacher.groups.add(Group.objects.get(name=roles.METHODOLOGIST))
    elif kind == "author":
        CourseAuthor.objects.create(course=world.tree.course, user=teacher)
    elif kind == "staff":
        User.objects.filter(pk=teacher.pk).update(is_staff=True)
    elif kind == "superuser":
        User.objects.filter(pk=teacher.pk).update(is_superuser=True)
    elif kind == "other_member":
        Membership.objects.create(
            user=teacher, group=world.visiting.group_b, role=Membership.Role.TEACHER
        )
    elif kind == "guest":
        cross_school.grant(world.visiting.admin, world.visiting.group_a, teacher.username, "x")
    elif kind == "school_admin":
        teacher.groups.add(Group.objects.get(name=roles.SCHOOL_ADMIN))
    elif kind == "permission":
        teacher.user_permissions.add(Permission.objects.get(codename="access_admin"))
    return User.objects.get(pk=teacher.pk)


@pytest.mark.parametrize(
    "kind",
    [
        "methodologist",
        "author",
        "staff",
        "superuser",
        "other_member",
        "guest",
        "school_admin",
        "permission",
    ],
)
def test_a_school_admin_cannot_reset_an_account_with_rights_beyond_the_school(en, world, kind):
    teacher = make_extra_rights(world, kind)
    before = password_of(teacher)
    assert password_reset_refusal(world.host.admin, teacher)
    en.force_login(world.host.admin)
    home = en.get(reverse("school:home")).content.decode()
    assert reverse("school:reset_teacher_password", args=[teacher.pk]) not in home
    response = en.post(reverse("school:reset_teacher_password", args=[teacher.pk]), follow=True)
    assert response.status_code in (200, 404)
    if response.status_code == 200:
        assert "Only a platform administrator" in messages_of(response)
    assert password_of(teacher) == before
    assert not PasswordReset.objects.exists()


def test_a_school_admin_resets_a_plain_teacher_and_it_is_logged(en, world):
    en.force_login(world.host.admin)
    teacher = world.host.teacher_a
    response = en.post(reverse("school:reset_teacher_password", args=[teacher.pk]))
    assert response.status_code == 302
    assert PasswordReset.objects.get().reset_by == world.host.admin


def test_a_school_admin_cannot_reset_a_pupil_with_extra_rights(en, world):
    pupil = world.host.pupils_b[0]
    User.objects.filter(pk=pupil.pk).update(is_staff=True)
    before = password_of(pupil)
    en.force_login(world.host.admin)
    page = en.get(reverse("school:pupils")).content.decode()
    assert reverse("school:reset_pupil_password", args=[pupil.pk]) not in page
    en.post(reverse("school:reset_pupil_password", args=[pupil.pk]))
    assert password_of(pupil) == before


def test_nobody_resets_their_own_password_here(world):
    admin = world.host.admin
    with translation.override("en"):
        assert "Change password" in password_reset_refusal(admin, admin)


def test_the_list_and_the_single_rule_agree(world):
    host = world.host
    accounts = [
        *host.pupils_a,
        *host.pupils_b,
        host.teacher_a,
        host.teacher_b,
        make_extra_rights(world, "author"),
        make_extra_rights(world, "guest"),
        world.visiting.pupils_a[0],
        world.methodologist,
    ]
    for actor, group in [
        (host.admin, None),
        (host.teacher_a, host.group_a),
        (host.teacher_a, host.group_b),
        (world.visiting.admin, None),
        (world.superuser, None),
    ]:
        listed = password_reset_refusals(actor, accounts, group)
        for account in accounts:
            assert listed[account.pk] == password_reset_refusal(actor, account, group)


def test_refusals_are_a_fixed_number_of_queries(world, django_assert_max_num_queries):
    pupils = list(User.objects.filter(groups__name=roles.PUPIL))
    with django_assert_max_num_queries(8):
        password_reset_refusals(world.host.admin, pupils)


def test_a_new_password_from_the_admin_signs_the_teacher_in(en, world):
    en.force_login(world.host.admin)
    response = en.post(
        reverse("school:reset_teacher_password", args=[world.host.teacher_a.pk]), follow=True
    )
    card = response.context["cards"][0]
    assert Client().login(username=card.username, password=card.password)
