"""Invite codes: a teacher creates one; a pupil opens the link (or types the code) and joins.
Joining twice is harmless, every refusal is a readable message that changes nothing, and the
use limit holds when pupils join at the same moment."""

import threading
from datetime import timedelta
from unittest import mock

import pytest
from django.conf import settings
from django.db import connection
from django.urls import reverse
from django.utils import timezone, translation

from lms import invitations, roles
from lms.models import Invite, InviteUse, Membership, School, StudyGroup, User
from tests import builders, scenario

pytestmark = pytest.mark.django_db

CODE = "ABEKMH23"  # only letters that have Cyrillic look-alikes, and digits


@scenario.shared
def world():
    return builders.build_school("a", pupils=1)


def make_invite(group, code=CODE, *, max_uses=30, days=7, **extra) -> Invite:
    return Invite.objects.create(
        group=group,
        code=code,
        expires_at=timezone.now() + timedelta(days=days),
        max_uses=max_uses,
        **extra,
    )


def new_pupil(username: str, school: School | None = None) -> User:
    return builders.make_user(username, roles.PUPIL, school=school)


def join_url(code=CODE) -> str:
    return reverse("join_code", args=[code])


def snapshot(invite: Invite) -> tuple:
    invite.refresh_from_db()
    return (invite.uses, Membership.objects.count(), InviteUse.objects.count())


# --- Creating invites ----------------------------------------------------------------------------


def test_teacher_creates_an_invite_and_sees_code_link_and_qr(en, world):
    en.force_login(world.teacher_a)
    response = en.post(
        reverse("teach:create_invite", args=[world.group_a.pk]), {"days": 3, "max_uses": 25}
    )
    invite = Invite.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("teach:invite", args=[invite.pk])
    assert invite.group == world.group_a
    assert invite.max_uses == 25
    assert invite.created_by == world.teacher_a
    remaining = invite.expires_at - timezone.now()
    assert timedelta(days=3) - timedelta(minutes=1) < remaining <= timedelta(days=3)

    html = en.get(response.url).content.decode()
    assert invite.code in html
    assert f"http://testserver/join/{invite.code}/" in html
    assert "<svg" in html


@pytest.mark.parametrize(
    ("days", "max_uses", "message"),
    [
        (0, 10, "greater than or equal to 1"),
        (settings.LMS_INVITE_MAX_DAYS + 1, 10, "less than or equal to"),
        (7, 0, "greater than or equal to 1"),
        (7, settings.LMS_INVITE_MAX_USES + 1, "less than or equal to"),
        ("", 10, "This field is required."),
    ],
)
def test_invite_form_limits_give_a_message_and_create_nothing(en, world, days, max_uses, message):
    en.force_login(world.teacher_a)
    response = en.post(
        reverse("teach:create_invite", args=[world.group_a.pk]),
        {"days": days, "max_uses": max_uses},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("teach:group", args=[world.group_a.pk])
    assert message in response.content.decode()
    assert not Invite.objects.exists()


def test_pupil_and_teacher_of_another_group_cannot_create_invites(client, world):
    for user in (world.pupils_a[0], world.teacher_b):
        client.force_login(user)
        url = reverse("teach:create_invite", args=[world.group_a.pk])
        assert client.post(url, {"days": 7, "max_uses": 5}).status_code == 404
    assert not Invite.objects.exists()


# --- Joining -------------------------------------------------------------------------------------


def test_pupil_of_the_school_confirms_and_joins(en, world):
    invite = make_invite(world.group_a)
    pupil = new_pupil("newcomer", school=world.school)
    en.force_login(pupil)

    confirm = en.get(join_url())
    assert confirm.status_code == 200
    assert "Join the group “a-1”?" in confirm.content.decode()
    assert not Membership.objects.filter(user=pupil).exists()  # a GET changes nothing

    response = en.post(join_url(), follow=True)
    assert response.redirect_chain[-1][0] == reverse("courses:my_courses")
    assert "Welcome to a-1!" in response.content.decode()
    assert Membership.objects.get(user=pupil).group == world.group_a
    assert Membership.objects.get(user=pupil).role == Membership.Role.PUPIL
    assert InviteUse.objects.get().user == pupil
    invite.refresh_from_db()
    assert invite.uses == 1


def test_pupil_without_a_school_joins_and_gets_the_school(en, world):
    make_invite(world.group_a)
    pupil = User.objects.create_user("walk-in", password="pw-12345")  # no school, no role yet
    en.force_login(pupil)
    en.post(join_url())
    pupil.refresh_from_db()
    assert pupil.school == world.school
    assert pupil.groups.filter(name=roles.PUPIL).exists()
    assert Membership.objects.filter(user=pupil, group=world.group_a).exists()


def test_joining_twice_is_harmless(en, world):
    invite = make_invite(world.group_a)
    pupil = new_pupil("twice", school=world.school)
    en.force_login(pupil)
    en.post(join_url())
    response = en.post(join_url(), follow=True)
    assert "You are already in a-1." in response.content.decode()
    invite.refresh_from_db()
    assert invite.uses == 1
    assert Membership.objects.filter(user=pupil).count() == 1
    assert InviteUse.objects.count() == 1


def test_a_member_can_reopen_a_used_up_invite(en, world):
    invite = make_invite(world.group_a, max_uses=1)
    pupil = new_pupil("first", school=world.school)
    en.force_login(pupil)
    en.post(join_url())
    assert "already in a-1" in en.post(join_url(), follow=True).content.decode()
    invite.refresh_from_db()
    assert invite.uses == 1


# --- Refusals ------------------------------------------------------------------------------------


def assert_refused(client, message, invite=None, code=CODE):
    before = snapshot(invite) if invite else (Membership.objects.count(),)
    for response in (client.get(join_url(code)), client.post(join_url(code))):
        assert response.status_code == 200
        html = response.content.decode()
        assert "This invite does not work" in html
        assert message in html
    after = snapshot(invite) if invite else (Membership.objects.count(),)
    assert after == before


def test_expired_invite_is_refused(en, world):
    invite = make_invite(world.group_a)
    Invite.objects.filter(pk=invite.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    en.force_login(new_pupil("late", school=world.school))
    assert_refused(en, "This invite expired on", invite)


def test_the_expiry_instant_itself_counts_as_expired(world):
    invite = make_invite(world.group_a)
    pupil = new_pupil("on-the-dot", school=world.school)
    assert not invite.is_expired(now=invite.expires_at - timedelta(microseconds=1))
    assert invite.is_expired(now=invite.expires_at)
    with (
        translation.override("en"),
        mock.patch("django.utils.timezone.now", return_value=invite.expires_at),
        pytest.raises(invitations.JoinError, match="expired"),
    ):
        invitations.join(pupil, CODE)
    assert snapshot(invite) == (0, Membership.objects.count(), 0)
    assert not Membership.objects.filter(user=pupil).exists()


def test_used_up_invite_refuses_the_next_pupil(en, world):
    invite = make_invite(world.group_a, max_uses=1)
    invitations.join(new_pupil("first", school=world.school), CODE)
    en.force_login(new_pupil("second", school=world.school))
    assert_refused(en, "used by as many pupils as it allows", invite)
    assert invite.uses == 1


def test_revoked_invite_is_refused(en, world):
    invite = make_invite(world.group_a, is_revoked=True)
    en.force_login(new_pupil("too-late", school=world.school))
    assert_refused(en, "This invite has been withdrawn", invite)


def test_withdrawing_from_the_teacher_page_stops_the_invite(en, world):
    invite = make_invite(world.group_a)
    en.force_login(world.teacher_a)
    en.post(reverse("teach:revoke_invite", args=[invite.pk]))
    invite.refresh_from_db()
    assert invite.is_revoked
    en.force_login(new_pupil("after", school=world.school))
    assert_refused(en, "withdrawn", invite)


def test_unknown_code_is_refused(en, world):
    en.force_login(new_pupil("guess", school=world.school))
    assert_refused(en, "There is no invite with this code", code="ZZZZ2222")


def test_archived_group_takes_no_new_pupils(en, world):
    invite = make_invite(world.group_a)
    StudyGroup.objects.filter(pk=world.group_a.pk).update(is_archived=True)
    en.force_login(new_pupil("archive", school=world.school))
    assert_refused(en, "This group no longer takes new pupils.", invite)


def test_staff_are_told_invites_are_for_pupils(en, world, methodologist):
    invite = make_invite(world.group_a)
    superuser = User.objects.create_superuser("root", password="pw-12345")
    for user in (world.teacher_b, world.admin, methodologist, superuser):
        en.force_login(user)
        assert_refused(en, "Invites are for pupils.", invite)


def test_pupil_of_another_school_is_refused_even_with_a_forged_post(en, world):
    invite = make_invite(world.group_a)
    other = builders.build_school("v", pupils=1, kind=School.Kind.VISITING)
    outsider = other.pupils_a[0]
    en.force_login(outsider)
    assert_refused(en, "This invite is for a group of another school.", invite)
    assert not Membership.objects.filter(user=outsider, group=world.group_a).exists()
    outsider.refresh_from_db()
    assert outsider.school == other.school


def test_anonymous_is_sent_to_log_in_and_back(client, world):
    make_invite(world.group_a)
    for method in ("get", "post"):
        response = getattr(client, method)(join_url())
        assert response.status_code == 302
        assert response.url == f"{reverse('login')}?next={join_url()}"
    # /join/ itself tells a visitor what a code is and offers the login, back to /join/.
    visitor_page = client.get(reverse("join"))
    assert visitor_page.status_code == 200
    assert f'href="{reverse("login")}?next={reverse("join")}"' in visitor_page.content.decode()
    assert not InviteUse.objects.exists()


# --- Typing the code -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    ["abekmh23", "  ABEK MH23 ", "ABEK-MH23", "abek–mh23", "АВЕКМН23", "авек-мн23", "АBЕKМH23"],
)
def test_typed_codes_are_normalised(en, world, typed):
    make_invite(world.group_a)
    en.force_login(new_pupil("typist", school=world.school))
    response = en.post(reverse("join"), {"code": typed})
    assert response.status_code == 302
    assert response.url == join_url()


@pytest.mark.parametrize("link_code", ["abekmh23", "ABEK-MH23", "авекмн23"])
def test_links_with_a_sloppy_code_still_work(en, world, link_code):
    invite = make_invite(world.group_a)
    pupil = new_pupil("linker", school=world.school)
    en.force_login(pupil)
    assert "Join the group" in en.get(join_url(link_code)).content.decode()
    en.post(join_url(link_code))
    invite.refresh_from_db()
    assert invite.uses == 1


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("ABEK/MH23", "There is no invite with this code"),
        ("../../admin", "There is no invite with this code"),
        ("A" * 33, "Ensure this value has at most 32 characters"),
        ("A" * 5000, "Ensure this value has at most 32 characters"),
        ("", "This field is required."),
        ("<script>alert(1)</script>", "There is no invite with this code"),
    ],
)
def test_malformed_typed_codes_give_a_form_error(en, world, typed, message):
    en.force_login(new_pupil("typo", school=world.school))
    response = en.post(reverse("join"), {"code": typed})
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert "<script>alert(1)</script>" not in html


def test_a_very_long_code_in_the_link_is_refused_not_an_error(en, world):
    en.force_login(new_pupil("longlink", school=world.school))
    assert_refused(en, "There is no invite with this code", code="A" * 500)


# --- Concurrency (PostgreSQL: SQLite serialises writers anyway) ----------------------------------


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs real concurrent transactions (PostgreSQL); SQLite serialises every writer",
)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_joins_never_exceed_max_uses():
    school = School.objects.create(name="Гонка", kind=School.Kind.HOST)
    group = StudyGroup.objects.create(school=school, name="race", academic_year="2026/2027")
    invite = make_invite(group, max_uses=2)
    pupils = [new_pupil(f"racer{n}", school=school) for n in range(5)]
    barrier = threading.Barrier(len(pupils))
    outcomes: list[str] = []
    lock = threading.Lock()

    def attempt(user):
        from django.db import connection as thread_connection

        try:
            barrier.wait(timeout=10)
            try:
                with translation.override("en"):
                    invitations.join(user, CODE)
                outcome = "joined"
            except invitations.JoinError as error:
                outcome = str(error)
            except Exception as error:  # noqa: BLE001 - recorded and asserted below
                outcome = f"crash: {error!r}"
            with lock:
                outcomes.append(outcome)
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=attempt, args=(pupil,)) for pupil in pupils]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert len(outcomes) == 5
    assert outcomes.count("joined") == 2, outcomes
    assert all(o == "joined" or "as many pupils" in o for o in outcomes), outcomes
    invite.refresh_from_db()
    assert invite.uses == 2
    assert Membership.objects.filter(group=group).count() == 2
    assert InviteUse.objects.filter(invite=invite).count() == 2


def test_a_removed_pupil_rejoins_with_the_same_invite_without_using_it_up(two_schools):
    from lms import accounts

    host = two_schools.host
    pupil = builders.make_user("rejoiner", roles.PUPIL, school=host.school)
    invite = invitations.create_invite(host.group_a, host.teacher_a, days=3, max_uses=1)
    invitations.join(pupil, invite.code)
    accounts.remove_from_group(pupil, host.group_a, Membership.Role.PUPIL)
    result = invitations.join(pupil, invite.code)
    assert not result.already_member
    assert Membership.objects.filter(user=pupil, group=host.group_a).exists()
    assert Invite.objects.get(pk=invite.pk).uses == 1
