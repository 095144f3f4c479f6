"""Participant codes: what a typed code is forgiven, making codes for a school (who may, for
which school, named or numbered), who sees them, the code sheet, entering a code and its
rate limit."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse

from contests import codes, permissions
from contests.audience import Refused
from contests.models import Category, Contest, Participant
from contests.models.participants import CODE_ALPHABET
from lms.models import School
from tests import builders
from tests.contests.builders import add_participant, make_contest

pytestmark = pytest.mark.django_db


@pytest.fixture
def two(region):
    return region["two"]


# --- The code ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    ["ABCD2345", "abcd2345", " ab cd-23 45 ", "ABCD–2345", "АВСD2345", "ａｂｃｄ２３４５"],
)
def test_a_typed_code_is_forgiven_case_spaces_dashes_and_look_alikes(typed):
    assert codes.normalise_code(typed) == "ABCD2345"


def test_cyrillic_look_alikes_become_latin():
    assert codes.normalise_code("ЕКМН РСТХ") == "EKMHPCTX"
    assert codes.normalise_code("ВУЗ22222") == "BY322222"


@pytest.mark.parametrize("typed", ["", None, "ABC", "ABCD23456", "ABCD0000", "OIL12345", "x" * 99])
def test_what_cannot_be_a_code(typed):
    assert codes.normalise_code(typed) is None


def test_codes_are_shown_in_two_groups():
    assert codes.shown("ABCD2345") == "ABCD-2345"


def test_fresh_codes_are_distinct_and_not_taken(monkeypatch):
    contest = make_contest()
    add_participant(contest, code="AAAAAAAA")
    drawn = iter(["AAAAAAAA", "BBBBBBBB", "BBBBBBBB", "CCCCCCCC"])
    monkeypatch.setattr(codes, "new_code", lambda: next(drawn))
    assert sorted(codes.fresh_codes(contest.pk, 2)) == ["BBBBBBBB", "CCCCCCCC"]


def test_new_codes_use_the_alphabet(two):
    contest = make_contest(audience=Contest.Audience.ALL)
    made = codes.create_codes(
        contest, two.host.admin, school=two.visiting.school, category=None, count=20
    )
    assert all(len(p.code) == 8 and set(p.code) <= set(CODE_ALPHABET) for p in made)


# --- Making codes ------------------------------------------------------------------------------


def test_numbered_codes_go_on_from_the_schools_earlier_ones(two, english):
    contest = make_contest(audience=Contest.Audience.ALL)
    first = codes.create_codes(
        contest, two.host.admin, school=two.visiting.school, category=None, count=2
    )
    more = codes.create_codes(
        contest, two.host.admin, school=two.visiting.school, category=None, count=1
    )
    assert [p.name for p in first + more] == ["Participant 1", "Participant 2", "Participant 3"]
    assert all(p.source == Participant.Source.CODE and not p.members.exists() for p in first)
    assert all(p.school_name == "Школа v" for p in first)


def test_named_codes_with_a_category_and_class(two):
    contest = make_contest(audience=Contest.Audience.ALL)
    senior = Category.objects.create(contest=contest, name="9–11", min_class=9, max_class=11)
    made = codes.create_codes(
        contest,
        two.host.admin,
        school=two.visiting.school,
        category=senior,
        names=codes.typed_names("Иванова Софья\n\n  Петров   Иван \n"),
        class_number="10",
    )
    assert [p.name for p in made] == ["Иванова Софья", "Петров Иван"]
    assert all(p.category == senior and p.class_number == 10 for p in made)


def test_bad_requests_make_nothing(two, english, settings):
    settings.CONTESTS_MAX_BATCH = 5
    contest = make_contest(audience=Contest.Audience.PARK)
    senior = Category.objects.create(contest=contest, name="9–11", min_class=9, max_class=11)
    admin, host = two.host.admin, two.host.school
    with pytest.raises(Refused, match="park's own pupils"):
        codes.create_codes(contest, admin, school=two.visiting.school, category=senior, count=1)
    with pytest.raises(Refused, match="Choose the category"):
        codes.create_codes(contest, admin, school=host, category=None, count=1)
    with pytest.raises(Refused, match="From 1 to 5"):
        codes.create_codes(contest, admin, school=host, category=senior, count=6)
    with pytest.raises(Refused, match="not for class 5"):
        codes.create_codes(contest, admin, school=host, category=senior, count=1, class_number=5)
    with pytest.raises(Refused, match="names, or how many"):
        codes.create_codes(contest, admin, school=host, category=senior)
    assert not Participant.objects.filter(contest=contest).exists()


def test_a_visiting_teacher_makes_codes_only_for_their_own_school(two):
    contest = make_contest(audience=Contest.Audience.ALL)
    teacher = two.visiting.teacher_a
    assert list(codes.schools_for_codes(teacher, contest)) == [two.visiting.school]
    assert codes.may_make_codes(teacher, contest)
    with pytest.raises(Refused):
        codes.create_codes(contest, teacher, school=two.host.school, category=None, count=1)
    assert not codes.may_make_codes(two.visiting.pupils_a[0], contest)
    park = make_contest("park", audience=Contest.Audience.PARK)
    assert not codes.may_make_codes(teacher, park)
    assert codes.may_make_codes(two.host.teacher_a, park)  # organisers


def test_who_sees_which_codes(two):
    contest = make_contest(audience=Contest.Audience.ALL)
    v = two.visiting
    mine = codes.create_codes(contest, v.teacher_a, school=v.school, category=None, count=2)
    colleague = codes.create_codes(contest, v.teacher_b, school=v.school, category=None, count=1)
    assert set(codes.visible_codes(v.teacher_a, contest)) == set(mine)
    assert set(codes.visible_codes(v.admin, contest)) == set(mine + colleague)
    assert set(codes.visible_codes(two.host.admin, contest)) == set(mine + colleague)
    other = builders.build_school("o", pupils=1, kind=School.Kind.VISITING)
    assert not codes.visible_codes(other.admin, contest).exists()
    assert not codes.visible_codes(v.pupils_a[0], contest).exists()


# --- The pages ---------------------------------------------------------------------------------


def test_the_codes_page_makes_codes_from_a_group_and_prints_them(client, two):
    contest = make_contest(audience=Contest.Audience.ALL, starts_in=timedelta(days=1))
    v = two.visiting
    for n, pupil in enumerate(v.pupils_a):
        pupil.last_name, pupil.first_name = f"Фамилия{n}", "Имя"
        pupil.save()
    client.force_login(v.teacher_a)
    url = reverse("contests:codes", args=[contest.slug])
    assert client.get(url).status_code == 200
    response = client.post(url, {"school": v.school.pk, "way": "group", "group": v.group_a.pk})
    assert response.status_code == 302
    made = list(Participant.objects.filter(contest=contest).order_by("name"))
    assert [p.name for p in made] == ["Фамилия0 Имя", "Фамилия1 Имя", "Фамилия2 Имя"]
    sheet = client.get(response["Location"])
    assert sheet.status_code == 200
    body = sheet.content.decode()
    for p in made:
        assert codes.shown(p.code) in body
    assert reverse("contests:enter_code", args=[contest.slug]) in body
    assert "<svg" in body
    assert made[0].code not in body.split("<svg", 1)[1].split("</svg>", 1)[0]  # not in the QR
    assert sheet["Cache-Control"].startswith("max-age=0") or "no-cache" in sheet["Cache-Control"]


def test_codes_pages_answer_404_to_pupils_and_other_schools(client, two):
    contest = make_contest(audience=Contest.Audience.PARK)
    for user in (two.host.pupils_a[0], two.visiting.teacher_a):
        client.force_login(user)
        assert client.get(reverse("contests:codes", args=[contest.slug])).status_code == 404
        assert client.get(reverse("contests:code_sheet", args=[contest.slug])).status_code == 404


def test_another_teachers_codes_are_not_on_my_sheet(client, two):
    contest = make_contest(audience=Contest.Audience.ALL)
    v = two.visiting
    theirs = codes.create_codes(contest, v.teacher_b, school=v.school, category=None, count=1)
    client.force_login(v.teacher_a)
    body = client.get(reverse("contests:code_sheet", args=[contest.slug])).content.decode()
    assert codes.shown(theirs[0].code) not in body


# --- Entering a code ---------------------------------------------------------------------------


def test_a_right_code_opens_the_contest_without_an_account(client, english):
    contest = make_contest(tasks=1)
    participant = add_participant(contest, "Участник 1", code="K7QM3XPA", source="code")
    url = reverse("contests:enter_code", args=[contest.slug])
    assert client.get(url).status_code == 200
    response = client.post(url, {"code": "k7qm-3хра"})  # Cyrillic х, р, а
    assert response.status_code == 302
    assert response["Location"] == reverse("contests:detail", args=[contest.slug])
    session = client.session
    assert session[permissions.SESSION_CODES] == {str(contest.pk): participant.pk}


def test_a_wrong_code_says_so_and_nothing_more(client, english):
    contest = make_contest()
    add_participant(contest, code="K7QM3XPA", source="code")
    url = reverse("contests:enter_code", args=[contest.slug])
    for typed in ("K7QM3XPB", "nonsense"):
        response = client.post(url, {"code": typed})
        assert response.status_code == 200
        assert "There is no such participant code in this contest." in response.content.decode()
    assert permissions.SESSION_CODES not in client.session


def test_a_withdrawn_participants_code_is_wrong(client, english):
    from django.utils import timezone

    contest = make_contest()
    add_participant(contest, code="K7QM3XPA", source="code", withdrawn_at=timezone.now())
    response = client.post(
        reverse("contests:enter_code", args=[contest.slug]), {"code": "K7QM3XPA"}
    )
    assert "There is no such participant code" in response.content.decode()


def test_too_many_wrong_codes_wait_even_for_a_right_one(client, settings, english):
    settings.CONTESTS_CODE_TRIES_PER_SESSION = 3
    contest = make_contest()
    add_participant(contest, code="K7QM3XPA", source="code")
    url = reverse("contests:enter_code", args=[contest.slug])
    for _ in range(3):
        client.post(url, {"code": "AAAAAAAA"})
    response = client.post(url, {"code": "K7QM3XPA"})
    assert response.status_code == 200
    assert "Too many wrong codes" in response.content.decode()
    assert permissions.SESSION_CODES not in client.session
    other = client_class_new()
    assert other.post(url, {"code": "K7QM3XPA"}).status_code == 302  # another browser


def client_class_new():
    from django.test import Client

    return Client()


def test_the_address_limit_is_per_address(client, settings, english):
    settings.CONTESTS_CODE_TRIES_PER_ADDRESS = 2
    contest = make_contest()
    add_participant(contest, code="K7QM3XPA", source="code")
    url = reverse("contests:enter_code", args=[contest.slug])
    for _ in range(2):
        client_class_new().post(url, {"code": "AAAAAAAA"})
    assert "Too many wrong codes" in client.post(url, {"code": "K7QM3XPA"}).content.decode()
