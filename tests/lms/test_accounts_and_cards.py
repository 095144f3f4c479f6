"""Pupil and teacher accounts made by teachers and school admins: the forms refuse bad input
with a message, a created account signs in with the password printed on its card, cards live
only in the session that made them, and a school admin's pages stay inside their school."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from courses.models import LessonProgress
from lms import login_cards, roles
from lms.models import Membership, School, StudyGroup, StudyGroupUserObjectPermission, User
from lms.permissions import GROUP_PERMISSIONS
from tests import builders

pytestmark = pytest.mark.django_db

PASSWORD_PATTERN = re.compile(r"<code>([a-z]{5}-[a-z]{5}-[2-9]{4})</code>")


@pytest.fixture
def world(school):
    return school


@pytest.fixture
def two_logins_elsewhere(world):
    """A pupil of another school and a teacher of this one."""
    other = builders.build_school("z", pupils=1)
    return [other.pupils_a[0].username, world.teacher_b.username, "nobody_has_this_login!"]


def can_log_in(username: str, password: str) -> bool:
    """Through the real login form, as a child would."""
    response = Client().post(reverse("login"), {"username": username, "password": password})
    return response.status_code == 302


def shown_cards(response) -> dict[str, str]:
    """Login -> password as printed on the cards page (and only what the page shows)."""
    html = response.content.decode()
    cards = {card.username: card.password for card in response.context["cards"]}
    for username, password in cards.items():
        assert f"<code>{username}</code>" in html
        assert f"<code>{password}</code>" in html
    assert len(PASSWORD_PATTERN.findall(html)) == len(cards)
    return cards


def messages_of(response) -> str:
    return " ".join(str(m) for m in response.context["messages"])


# --- Adding a pupil ------------------------------------------------------------------------------


def add_pupil(client, group, **data):
    return client.post(reverse("teach:add_pupil", args=[group.pk]), data, follow=True)


def test_added_pupil_signs_in_with_the_password_on_the_card(en, world):
    en.force_login(world.teacher_a)
    response = add_pupil(en, world.group_a, last_name="Ёлкина", first_name="Алёна")
    assert response.redirect_chain[-1][0].startswith(f"/teach/groups/{world.group_a.pk}/cards/")
    assert "Account created." in messages_of(response)
    cards = shown_cards(response)
    assert list(cards) == ["elkina.alena"]
    html = response.content.decode()
    assert "Алёна Ёлкина" in html
    assert "http://testserver/login/" in html
    assert "data-print" in html

    pupil = User.objects.get(username="elkina.alena")
    assert pupil.school == world.school
    assert pupil.groups.filter(name=roles.PUPIL).exists()
    assert Membership.objects.get(user=pupil).group == world.group_a
    assert pupil.password.startswith("md5$")  # only the hash is stored
    assert can_log_in("elkina.alena", cards["elkina.alena"])
    assert not can_log_in("elkina.alena", "wrong-password-1234")


def test_added_pupil_with_a_chosen_login(en, world):
    en.force_login(world.teacher_a)
    response = add_pupil(en, world.group_a, last_name="Щукин", first_name="Юрий", login="yura5a")
    assert can_log_in("yura5a", shown_cards(response)["yura5a"])


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"last_name": "", "first_name": "Иван"}, "This field is required."),
        ({"last_name": "Иванов", "first_name": "   "}, "This field is required."),
        ({"last_name": "12345", "first_name": "Иван"}, "A name needs at least one letter."),
        ({"last_name": "Иванов", "first_name": "\x07\u200e"}, "Empty: every pupil needs"),
        (
            {"last_name": "Иванов", "first_name": "Иван", "login": "A_PUPIL_A1"},
            "This login cannot be used.",
        ),
        (
            {"last_name": "Иванов", "first_name": "Иван", "login": "a_teacher2"},
            "This login cannot be used.",
        ),
        (
            {"last_name": "Иванов", "first_name": "Иван", "login": "ａ＿ｐｕｐｉｌ＿ａ１"},
            "This login cannot be used.",  # full-width spelling of an existing login
        ),
        (
            {"last_name": "Иванов", "first_name": "Иван", "login": "а_pupil_а1"},
            "may not mix Latin and Cyrillic",  # Cyrillic "а" in a Latin login
        ),
        (
            {"last_name": "Иванов", "first_name": "Иван", "login": "ivan ivanov"},
            "only letters, digits and @ . + - _",
        ),
        (
            {"last_name": "Иванов", "first_name": "Иван", "login": "ivan/../x"},
            "only letters, digits and @ . + - _",
        ),
        ({"last_name": "Я" * 151, "first_name": "Иван"}, "at most 150 characters"),
    ],
)
def test_add_pupil_form_refuses_bad_input_and_saves_nothing(en, world, data, message):
    en.force_login(world.teacher_a)
    users = User.objects.count()
    response = en.post(reverse("teach:add_pupil", args=[world.group_a.pk]), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert User.objects.count() == users


def test_invisible_characters_are_removed_from_names_on_the_way_in(en, world):
    en.force_login(world.teacher_a)
    add_pupil(en, world.group_a, last_name="Ива\u202eнов\x07", first_name="Ив\u200bан\x01")
    pupil = User.objects.get(last_name="Иванов")
    assert (pupil.first_name, pupil.display_name) == ("Иван", "Иван Иванов")


def test_the_login_form_does_not_tell_schools_apart(en, world, two_logins_elsewhere):
    """Taken in another school or by staff of this one: the same words, so the form cannot
    be used to find out who exists where."""
    en.force_login(world.teacher_a)
    answers = set()
    for login in two_logins_elsewhere:
        data = {"last_name": "Петров", "first_name": "Пётр", "login": login}
        response = en.post(reverse("teach:add_pupil", args=[world.group_a.pk]), data)
        errors = re.findall(r'class="errorlist[^"]*"[^>]*>(.*?)</ul>', response.content.decode())
        answers.add(tuple(errors))
    assert len(answers) == 1


def test_double_post_of_the_same_login_is_refused_not_a_500(en, world):
    en.force_login(world.teacher_a)
    data = {"last_name": "Петров", "first_name": "Пётр", "login": "petrov"}
    first = en.post(reverse("teach:add_pupil", args=[world.group_a.pk]), data)
    assert first.status_code == 302
    second = en.post(reverse("teach:add_pupil", args=[world.group_a.pk]), data)
    assert second.status_code == 200
    assert "This login cannot be used." in second.content.decode()
    assert User.objects.filter(username="petrov").count() == 1


def test_name_markup_is_escaped_on_the_cards_page(en, world):
    en.force_login(world.teacher_a)
    response = add_pupil(en, world.group_a, last_name="<b>Жирный</b>", first_name="<i>Курсив</i>")
    html = response.content.decode()
    assert "<b>Жирный</b>" not in html
    assert "&lt;b&gt;Жирный&lt;/b&gt;" in html


# --- Login cards ---------------------------------------------------------------------------------


def issue(client, group, who):
    return client.post(reverse("teach:issue_cards", args=[group.pk]), {"who": who}, follow=True)


def test_cards_for_pupils_who_never_signed_in(en, world):
    signed_in, never = world.pupils_a
    assert can_log_in(signed_in.username, "pw-12345")  # sets last_login
    en.force_login(world.teacher_a)
    page = en.get(reverse("teach:issue_cards", args=[world.group_a.pk]))
    assert "1 pupil has never signed in." in page.content.decode()

    cards = shown_cards(issue(en, world.group_a, "new"))
    assert list(cards) == [never.username]
    assert can_log_in(never.username, cards[never.username])
    assert not can_log_in(never.username, "pw-12345")
    assert can_log_in(signed_in.username, "pw-12345")  # untouched


def test_cards_for_every_pupil_replace_every_old_password(en, world):
    en.force_login(world.teacher_a)
    cards = shown_cards(issue(en, world.group_a, "all"))
    assert set(cards) == {p.username for p in world.pupils_a}
    for pupil in world.pupils_a:
        assert not can_log_in(pupil.username, "pw-12345")
        assert can_log_in(pupil.username, cards[pupil.username])
    # Pupils of other groups keep theirs.
    assert can_log_in(world.pupils_b[0].username, "pw-12345")


def test_when_everyone_has_signed_in_there_are_no_new_cards(en, world):
    for pupil in world.pupils_a:
        assert can_log_in(pupil.username, "pw-12345")
    en.force_login(world.teacher_a)
    response = issue(en, world.group_a, "new")
    assert "Every pupil of this group has already signed in." in messages_of(response)
    for pupil in world.pupils_a:
        assert can_log_in(pupil.username, "pw-12345")


def test_cards_of_another_session_or_group_are_not_shown(en, world):
    en.force_login(world.admin)  # manages both groups of the school
    response = issue(en, world.group_a, "all")
    token = response.redirect_chain[-1][0].rstrip("/").rsplit("/", 1)[-1]
    cards = shown_cards(response)

    wrong_group = en.get(reverse("teach:cards", args=[world.group_b.pk, token]), follow=True)
    assert wrong_group.redirect_chain[-1][0] == reverse(
        "teach:issue_cards", args=[world.group_b.pk]
    )
    assert "These cards are no longer available." in messages_of(wrong_group)
    for password in cards.values():
        assert password not in wrong_group.content.decode()

    other_session = Client()
    other_session.cookies["django_language"] = "en"
    other_session.force_login(world.admin)
    response = other_session.get(reverse("teach:cards", args=[world.group_a.pk, token]))
    assert response.status_code == 302
    assert response.url == reverse("teach:issue_cards", args=[world.group_a.pk])

    made_up = en.get(reverse("teach:cards", args=[world.group_a.pk, "made-up-token"]))
    assert made_up.status_code == 302


def test_only_the_last_batches_of_cards_are_kept(en, world):
    en.force_login(world.teacher_a)
    tokens = []
    for _ in range(login_cards.KEEP_BATCHES + 1):
        response = issue(en, world.group_a, "all")
        tokens.append(response.redirect_chain[-1][0].rstrip("/").rsplit("/", 1)[-1])
    oldest = en.get(reverse("teach:cards", args=[world.group_a.pk, tokens[0]]))
    assert oldest.status_code == 302
    newest = en.get(reverse("teach:cards", args=[world.group_a.pk, tokens[-1]]))
    assert newest.status_code == 200


# --- Resetting and removing ----------------------------------------------------------------------


def test_reset_password_of_one_pupil(en, world):
    pupil, other = world.pupils_a
    en.force_login(world.teacher_a)
    response = en.post(
        reverse("teach:reset_password", args=[world.group_a.pk, pupil.pk]), follow=True
    )
    assert "The old one no longer works." in messages_of(response)
    cards = shown_cards(response)
    assert list(cards) == [pupil.username]
    assert not can_log_in(pupil.username, "pw-12345")
    assert can_log_in(pupil.username, cards[pupil.username])
    assert can_log_in(other.username, "pw-12345")


def test_reset_password_of_a_pupil_of_another_group_is_404(en, world):
    en.force_login(world.teacher_a)
    outsider = world.pupils_b[0]
    url = reverse("teach:reset_password", args=[world.group_a.pk, outsider.pk])
    assert en.post(url).status_code == 404
    assert can_log_in(outsider.username, "pw-12345")
    assert en.get(url).status_code == 404  # nor is the confirmation page shown


def test_removing_a_pupil_keeps_the_account_and_progress(en, world, course):
    builders.enrol(world.group_a, course)
    pupil = world.pupils_a[0]
    LessonProgress.objects.create(user=pupil, lesson=course.lessons[0], course=course.course)
    en.force_login(world.teacher_a)
    response = en.post(
        reverse("teach:remove_pupil", args=[world.group_a.pk, pupil.pk]), follow=True
    )
    assert "The account and its progress are kept." in messages_of(response)
    assert not Membership.objects.filter(user=pupil, group=world.group_a).exists()
    assert User.objects.filter(pk=pupil.pk, is_active=True).exists()
    assert LessonProgress.objects.filter(user=pupil).count() == 1
    assert can_log_in(pupil.username, "pw-12345")
    # Removing again: the pupil is no longer in the group.
    again = en.post(reverse("teach:remove_pupil", args=[world.group_a.pk, pupil.pk]))
    assert again.status_code == 404


def test_a_teacher_cannot_be_removed_as_a_pupil(en, world):
    en.force_login(world.admin)
    url = reverse("teach:remove_pupil", args=[world.group_a.pk, world.teacher_a.pk])
    assert en.post(url).status_code == 404
    assert Membership.objects.filter(user=world.teacher_a, group=world.group_a).exists()


# --- School admin: groups ------------------------------------------------------------------------


def test_admin_creates_a_group(en, world):
    en.force_login(world.admin)
    response = en.post(
        reverse("school:create_group"), {"name": "  5 «Б»  ", "academic_year": "2026/2027"}
    )
    group = StudyGroup.objects.get(name="5 «Б»")
    assert response.url == reverse("school:group", args=[group.pk])
    assert group.school == world.school
    assert not group.is_archived


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": "5Б", "academic_year": "2026/2028"}, "Write the academic year as 2026/2027."),
        ({"name": "5Б", "academic_year": "2026-2027"}, "Write the academic year as 2026/2027."),
        ({"name": "5Б", "academic_year": ""}, "This field is required."),
        ({"name": "   ", "academic_year": "2026/2027"}, "This field is required."),
        ({"name": "a-1", "academic_year": "2026/2027"}, "already has a group with this name"),
    ],
)
def test_bad_group_form_gives_a_message_not_a_500(en, world, data, message):
    en.force_login(world.admin)
    groups = StudyGroup.objects.count()
    response = en.post(reverse("school:create_group"), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert StudyGroup.objects.count() == groups


def test_the_same_group_name_is_fine_in_another_year_or_school(en, world):
    other = builders.build_school("v", pupils=0, kind=School.Kind.VISITING)
    en.force_login(world.admin)
    en.post(reverse("school:create_group"), {"name": "a-1", "academic_year": "2027/2028"})
    en.force_login(other.admin)
    en.post(reverse("school:create_group"), {"name": "a-1", "academic_year": "2026/2027"})
    assert StudyGroup.objects.filter(name="a-1").count() == 3


def edit_group(client, group, teachers, **extra):
    data = {
        "group-name": extra.get("name", group.name),
        "group-academic_year": group.academic_year,
        "staff-teachers": [t.pk for t in teachers],
    }
    if extra.get("archived"):
        data["group-is_archived"] = "on"
    return client.post(reverse("school:group", args=[group.pk]), data)


def rights(user, group) -> set[str]:
    return set(
        StudyGroupUserObjectPermission.objects.filter(user=user, content_object=group).values_list(
            "permission__codename", flat=True
        )
    )


def test_assigning_and_unassigning_teachers_grants_and_revokes(en, world):
    group, newcomer = world.group_a, world.teacher_b
    en.force_login(world.admin)
    response = edit_group(en, group, [world.teacher_a, newcomer])
    assert response.url == reverse("school:home")
    assert rights(newcomer, group) == set(GROUP_PERMISSIONS)
    teacher_page = Client()
    teacher_page.force_login(newcomer)
    assert teacher_page.get(reverse("teach:group", args=[group.pk])).status_code == 200

    edit_group(en, group, [newcomer])  # teacher_a unassigned
    assert rights(world.teacher_a, group) == set()
    assert rights(newcomer, group) == set(GROUP_PERMISSIONS)
    teacher_page.force_login(world.teacher_a)
    assert teacher_page.get(reverse("teach:group", args=[group.pk])).status_code == 404
    assert Membership.objects.filter(group=group, role="pupil").count() == 2  # pupils untouched


def test_only_teachers_of_the_school_can_be_assigned(en, world):
    other = builders.build_school("v", pupils=0, kind=School.Kind.VISITING)
    en.force_login(world.admin)
    response = edit_group(en, world.group_a, [other.teacher_a])
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert rights(other.teacher_a, world.group_a) == set()


def test_archiving_a_group(en, world):
    en.force_login(world.admin)
    edit_group(en, world.group_a, [world.teacher_a], archived=True)
    group = StudyGroup.objects.get(pk=world.group_a.pk)
    assert group.is_archived
    en.force_login(world.teacher_a)
    assert en.get(reverse("teach:group", args=[group.pk])).status_code == 200  # still readable
    assert en.get(reverse("teach:add_pupil", args=[group.pk])).status_code == 404


# --- School admin: teachers ----------------------------------------------------------------------


def test_admin_creates_a_teacher_who_signs_in_with_the_card(en, world):
    en.force_login(world.admin)
    response = en.post(
        reverse("school:create_teacher"),
        {"last_name": "Кулибин", "first_name": "Иван", "email": "kulibin@example.org"},
        follow=True,
    )
    assert "Teacher account created." in messages_of(response)
    cards = shown_cards(response)
    assert list(cards) == ["kulibin.ivan"]
    teacher = User.objects.get(username="kulibin.ivan")
    assert teacher.school == world.school
    assert teacher.groups.filter(name=roles.TEACHER).exists()
    assert teacher.email == "kulibin@example.org"
    assert can_log_in("kulibin.ivan", cards["kulibin.ivan"])


def test_teacher_form_refuses_a_bad_email_and_a_taken_login(en, world):
    en.force_login(world.admin)
    users = User.objects.count()
    bad = {"last_name": "Кулибин", "first_name": "Иван", "email": "not-an-address"}
    assert (
        "Enter a valid email address."
        in en.post(reverse("school:create_teacher"), bad).content.decode()
    )
    taken = {"last_name": "Кулибин", "first_name": "Иван", "login": "A_Teacher1"}
    assert (
        "This login cannot be used."
        in en.post(reverse("school:create_teacher"), taken).content.decode()
    )
    assert User.objects.count() == users


def test_admin_resets_a_teachers_password(en, world):
    en.force_login(world.admin)
    response = en.post(
        reverse("school:reset_teacher_password", args=[world.teacher_a.pk]), follow=True
    )
    cards = shown_cards(response)
    assert not can_log_in(world.teacher_a.username, "pw-12345")
    assert can_log_in(world.teacher_a.username, cards[world.teacher_a.username])
    assert can_log_in(world.teacher_b.username, "pw-12345")


def test_admin_cannot_reset_a_pupil_or_an_admin_as_a_teacher(en, world):
    en.force_login(world.admin)
    for user in (world.pupils_a[0], world.admin):
        url = reverse("school:reset_teacher_password", args=[user.pk])
        assert en.post(url).status_code == 404
        assert can_log_in(user.username, "pw-12345")


def test_another_schools_ids_are_404_for_the_admin(en, world):
    other = builders.build_school("v", pupils=1, kind=School.Kind.VISITING)
    en.force_login(world.admin)
    group = other.group_a
    assert en.get(reverse("school:group", args=[group.pk])).status_code == 404
    assert edit_group(en, group, [world.teacher_a], name="hijacked").status_code == 404
    url = reverse("school:reset_teacher_password", args=[other.teacher_a.pk])
    assert en.post(url).status_code == 404
    assert can_log_in(other.teacher_a.username, "pw-12345")
    for name in ("group", "add_pupil", "import", "issue_cards"):
        assert en.get(reverse(f"teach:{name}", args=[group.pk])).status_code == 404
    pupil = other.pupils_a[0]
    for name in ("reset_password", "remove_pupil"):
        assert en.post(reverse(f"teach:{name}", args=[group.pk, pupil.pk])).status_code == 404
    assert StudyGroup.objects.get(pk=group.pk).name == "v-1"
    assert Membership.objects.filter(user=pupil, group=group).exists()


def test_school_pages_are_404_for_teachers_pupils_and_methodologists(client, world, methodologist):
    for user in (world.teacher_a, world.pupils_a[0], methodologist):
        client.force_login(user)
        for url in (
            reverse("school:home"),
            reverse("school:create_group"),
            reverse("school:create_teacher"),
            reverse("school:access"),
            reverse("school:group", args=[world.group_a.pk]),
        ):
            assert client.get(url).status_code == 404, (user.username, url)


def test_school_admin_finds_pupils_of_own_school_only(client, two_schools):
    host, visiting = two_schools.host, two_schools.visiting
    client.force_login(host.admin)
    page = client.get(reverse("school:pupils")).content.decode()
    for pupil in host.pupils_a + host.pupils_b:
        assert pupil.username in page
    for pupil in visiting.pupils_a + visiting.pupils_b:
        assert pupil.username not in page
    found = client.get(reverse("school:pupils"), {"q": host.pupils_b[0].username}).content.decode()
    assert host.pupils_b[0].username in found
    assert host.pupils_a[0].username not in found
    # XSS in the search box is echoed escaped.
    echoed = client.get(reverse("school:pupils"), {"q": "<script>x</script>"}).content.decode()
    assert "<script>x</script>" not in echoed


def test_school_admin_resets_a_pupils_password_of_own_school_only(client, two_schools):
    host, visiting = two_schools.host, two_schools.visiting
    pupil = host.pupils_b[0]
    client.force_login(visiting.admin)
    url = reverse("school:reset_pupil_password", args=[pupil.pk])
    assert client.post(url).status_code == 404
    pupil.refresh_from_db()
    assert pupil.check_password("pw-12345")
    client.force_login(host.admin)
    response = client.post(url)
    assert response.status_code == 302
    pupil.refresh_from_db()
    assert not pupil.check_password("pw-12345")
    cards = client.get(response["Location"]).content.decode()
    assert pupil.username in cards


def test_card_pages_are_never_cached(client, two_schools):
    host = two_schools.host
    client.force_login(host.teacher_a)
    response = client.post(
        reverse("teach:reset_password", args=[host.group_a.pk, host.pupils_a[0].pk])
    )
    cards = client.get(response["Location"])
    assert cards.status_code == 200
    assert "no-store" in cards["Cache-Control"]
