"""The pages of taking part: registering oneself and a teacher's pupils, Start, withdrawing,
the organisers' participants page and its CSV, and the header's link to the contests."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from contests import context_processors
from contests.models import Category, Contest, Member, Participant
from tests.contests.builders import add_participant, make_contest

pytestmark = pytest.mark.django_db


@pytest.fixture
def two(region):
    return region["two"]


def url(name, contest, *args):
    return reverse(f"contests:{name}", args=[contest.slug, *args])


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


# --- Registering oneself -----------------------------------------------------------------------


def test_a_pupil_registers_and_a_second_click_says_already(client, two, english):
    contest = make_contest(starts_in=timedelta(days=1))
    Category.objects.create(contest=contest, name="9–11", min_class=9, max_class=11)
    pupil = two.host.pupils_a[0]
    client.force_login(pupil)
    response = client.post(url("register", contest), {"class_number": "10"}, follow=True)
    assert "You are registered." in messages_of(response)
    participant = Member.objects.get(contest=contest, user=pupil).participant
    assert participant.class_number == 10 and participant.category.name == "9–11"
    response = client.post(url("register", contest), {"class_number": "10"}, follow=True)
    assert "You are already registered." in messages_of(response)
    assert Participant.objects.filter(contest=contest).count() == 1


def test_a_refused_registration_says_why_on_the_form(client, two, english):
    contest = make_contest(starts_in=timedelta(days=1))
    Category.objects.create(contest=contest, name="5–8", min_class=5, max_class=8)
    client.force_login(two.host.pupils_a[0])
    response = client.post(url("register", contest), {"class_number": "10"})
    assert response.status_code == 200
    assert "No category of this contest is for class 10" in response.content.decode()
    response = client.post(url("register", contest), {"class_number": "99"})
    assert response.status_code == 200  # not a choice: the form says so
    assert not Participant.objects.filter(contest=contest).exists()


def test_anonymous_registration_asks_to_log_in(client):
    contest = make_contest(starts_in=timedelta(days=1))
    response = client.post(url("register", contest))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_register_page_of_an_unpublished_contest_is_404(client, two):
    contest = make_contest(is_published=False)
    client.force_login(two.host.pupils_a[0])
    assert client.get(url("register", contest)).status_code == 404


# --- A teacher's pupils ------------------------------------------------------------------------


def test_a_teacher_registers_ticked_pupils_with_classes(client, two, english):
    contest = make_contest(audience=Contest.Audience.ALL, starts_in=timedelta(days=1))
    junior = Category.objects.create(contest=contest, name="5–8", min_class=5, max_class=8)
    Category.objects.create(contest=contest, name="9–11", min_class=9, max_class=11, order=1)
    v = two.visiting
    client.force_login(v.teacher_a)
    page = client.get(url("register_group", contest))
    assert page.status_code == 200
    body = page.content.decode()
    for pupil in v.pupils_a:
        assert f'name="pupil" value="{pupil.pk}" checked' in body
    first, second = v.pupils_a[0], v.pupils_a[1]
    response = client.post(
        url("register_group", contest),
        {
            "group": v.group_a.pk,
            "pupil": [first.pk, second.pk],
            "class_all": "6",
            f"class_{second.pk}": "10",
        },
        follow=True,
    )
    assert "Registered: 2 pupils." in messages_of(response)
    assert Member.objects.get(contest=contest, user=first).participant.category == junior
    assert Member.objects.get(contest=contest, user=second).participant.class_number == 10
    assert "registered" in response.content.decode()


def test_a_bad_class_registers_nobody_and_marks_the_pupil(client, two, english):
    contest = make_contest(audience=Contest.Audience.ALL, starts_in=timedelta(days=1))
    Category.objects.create(contest=contest, name="5–8", min_class=5, max_class=8)
    v = two.visiting
    client.force_login(v.teacher_a)
    response = client.post(
        url("register_group", contest),
        {
            "group": v.group_a.pk,
            "pupil": [v.pupils_a[0].pk, v.pupils_a[1].pk],
            f"class_{v.pupils_a[0].pk}": "6",
            f"class_{v.pupils_a[1].pk}": "10",
        },
    )
    assert response.status_code == 200
    assert "has-problem" in response.content.decode()
    assert not Participant.objects.filter(contest=contest).exists()


def test_the_group_page_is_404_for_pupils_and_other_schools_groups(client, two):
    contest = make_contest(audience=Contest.Audience.ALL, starts_in=timedelta(days=1))
    client.force_login(two.host.pupils_a[0])
    assert client.get(url("register_group", contest)).status_code == 404
    client.force_login(two.visiting.teacher_a)
    other = url("register_group", contest) + f"?group={two.host.group_a.pk}"
    assert client.get(other).status_code == 404


def test_the_group_page_asks_the_same_queries_however_many_are_registered(client, two):
    contest = make_contest(audience=Contest.Audience.ALL, starts_in=timedelta(days=1))
    v = two.visiting
    client.force_login(v.teacher_a)
    page = url("register_group", contest)
    add_participant(contest, user=v.pupils_a[0], source="teacher", registered_by=v.teacher_a)
    client.get(page)
    with CaptureQueriesContext(connection) as few:
        client.get(page)
    for pupil in v.pupils_a[1:]:
        add_participant(contest, user=pupil, source="teacher", registered_by=v.teacher_a)
    with CaptureQueriesContext(connection) as many:
        body = client.get(page).content.decode()
    assert len(many) == len(few)
    assert body.count('form="withdraw-') == len(v.pupils_a)


def test_a_teacher_cancels_a_pupils_registration_before_the_round(client, two, english):
    contest = make_contest(audience=Contest.Audience.ALL, starts_in=timedelta(days=1))
    v = two.visiting
    client.force_login(v.teacher_a)
    client.post(
        url("register_group", contest), {"group": v.group_a.pk, "pupil": [v.pupils_a[0].pk]}
    )
    participant = Participant.objects.get(contest=contest)
    response = client.post(url("withdraw", contest, participant.pk), follow=True)
    assert "The registration is cancelled." in messages_of(response)
    assert not Participant.objects.filter(contest=contest).exists()


def test_a_stranger_cannot_withdraw_someone(client, two):
    contest = make_contest(starts_in=timedelta(days=1))
    participant = add_participant(contest, user=two.host.pupils_a[0])
    client.force_login(two.host.pupils_a[1])
    assert client.post(url("withdraw", contest, participant.pk)).status_code == 404
    client.force_login(two.visiting.teacher_a)
    assert client.post(url("withdraw", contest, participant.pk)).status_code == 404
    assert Participant.objects.filter(pk=participant.pk).exists()


# --- Start -------------------------------------------------------------------------------------


def test_start_sets_the_start_once(client, two, english):
    contest = make_contest(window_minutes=60, tasks=1)
    participant = add_participant(contest, user=two.host.pupils_a[0])
    client.force_login(two.host.pupils_a[0])
    response = client.post(url("start", contest))
    assert response.status_code == 302
    assert response["Location"] == url("task", contest, "A")
    participant.refresh_from_db()
    first = participant.started_at
    assert first is not None
    client.post(url("start", contest))
    participant.refresh_from_db()
    assert participant.started_at == first


def test_start_before_the_period_or_without_a_window(client, two, english):
    early = make_contest("early", window_minutes=60, starts_in=timedelta(hours=2))
    add_participant(early, user=two.host.pupils_a[0])
    client.force_login(two.host.pupils_a[0])
    response = client.post(url("start", early), follow=True)
    assert any("You can start from" in m for m in messages_of(response))
    assert Participant.objects.get(contest=early).started_at is None
    fixed = make_contest("fixed")
    add_participant(fixed, user=two.host.pupils_a[0])
    client.post(url("start", fixed))
    assert Participant.objects.get(contest=fixed).started_at is None


def test_start_for_someone_not_taking_part(client, two, english):
    contest = make_contest(window_minutes=60)
    client.force_login(two.host.pupils_a[0])
    response = client.post(url("start", contest), follow=True)
    assert "You do not take part in this contest." in messages_of(response)
    assert client.get(url("start", contest)).status_code == 405


def test_a_code_participant_presses_start(client, english):
    contest = make_contest(window_minutes=30, tasks=1)
    participant = add_participant(contest, code="K7QM3XPA", source="code")
    client.post(url("enter_code", contest), {"code": "K7QM3XPA"})
    client.post(url("start", contest))
    participant.refresh_from_db()
    assert participant.started_at is not None


# --- The organisers' participants page ---------------------------------------------------------


@pytest.fixture
def crowd(two):
    contest = make_contest(audience=Contest.Audience.ALL, window_minutes=60)
    junior = Category.objects.create(contest=contest, name="Младшие", max_class=8)
    senior = Category.objects.create(contest=contest, name="Старшие", min_class=9, order=1)
    add_participant(contest, "Яковлева Анна", user=two.host.pupils_a[0], category=junior)
    add_participant(contest, "Борисов Иван", user=two.visiting.pupils_a[0], category=senior)
    add_participant(contest, '=HYPERLINK("http://x")', category=junior, source="code")
    return contest, junior, senior


def test_the_participants_page_is_the_organisers(client, two, crowd):
    contest, *_ = crowd
    assert client.get(url("participants", contest)).status_code == 302  # log in first
    for user in (two.host.pupils_a[0], two.visiting.teacher_a, two.visiting.admin):
        client.force_login(user)
        assert client.get(url("participants", contest)).status_code == 404
        assert client.get(url("participants_csv", contest)).status_code == 404
    client.force_login(two.host.teacher_a)
    body = client.get(url("participants", contest)).content.decode()
    _head, juniors, seniors = body.split('class="contest-category-row"')
    assert juniors.startswith('><th scope="rowgroup" colspan="8">Младшие')
    assert "Яковлева Анна" in juniors and "Борисов Иван" in seniors


def test_the_organisers_change_a_participant(client, two, crowd, english):
    contest, junior, senior = crowd
    anna = Participant.objects.get(name="Яковлева Анна")
    client.force_login(two.host.teacher_a)
    edit = url("participant_edit", contest, anna.pk)
    client.post(edit, {"action": "extra", "extra_minutes": "15"})
    client.post(edit, {"action": "category", "category": senior.pk})
    response = client.post(edit, {"action": "extra", "extra_minutes": "-3"}, follow=True)
    assert any("Extra time is from 0 to" in m for m in messages_of(response))
    anna.refresh_from_db()
    assert anna.extra_minutes == 15 and anna.category == senior
    client.post(url("withdraw", contest, anna.pk))
    anna.refresh_from_db()
    assert anna.withdrawn_at is not None  # the round has begun: kept, withdrawn
    client.post(edit, {"action": "reinstate"})
    anna.refresh_from_db()
    assert anna.withdrawn_at is None
    coded = Participant.objects.get(source="code")
    client.post(url("participant_edit", contest, coded.pk), {"action": "rename", "name": "Ким  Ли"})
    coded.refresh_from_db()
    assert coded.name == "Ким Ли"
    other = make_contest("other")
    stranger = add_participant(other, "Чужой")
    assert (
        client.post(
            url("participant_edit", contest, stranger.pk), {"action": "reinstate"}
        ).status_code
        == 404
    )
    assert client.post(edit, {"action": "delete"}).status_code == 404


def test_the_csv_export_guards_against_formulas(client, two, crowd):
    contest, *_ = crowd
    client.force_login(two.host.teacher_a)
    response = client.get(url("participants_csv", contest))
    assert response.status_code == 200
    text = response.content.decode("utf-8-sig")
    assert "'=HYPERLINK" in text
    assert "Борисов Иван" in text and ";" in text.splitlines()[0]


def test_the_participants_page_asks_the_same_queries_however_many(client, two, crowd):
    contest, junior, _senior = crowd
    client.force_login(two.host.teacher_a)
    client.get(url("participants", contest))
    with CaptureQueriesContext(connection) as few:
        client.get(url("participants", contest))
    for n in range(20):
        add_participant(contest, f"Участник {n}", category=junior, started_at=timezone.now())
    with CaptureQueriesContext(connection) as many:
        client.get(url("participants", contest))
    assert len(many) == len(few)


# --- The header's link -------------------------------------------------------------------------


def test_the_header_links_to_the_contests_once_one_is_published(client, english):
    assert context_processors.contests_url(anonymous()) is None
    make_contest()
    context_processors.forget()
    assert context_processors.contests_url(anonymous()) == "/contests/"
    with CaptureQueriesContext(connection) as queries:
        context_processors.contests_url(anonymous())
    assert len(queries) == 0  # warm: no query
    body = client.get(reverse("contests:index")).content.decode()
    assert 'href="/contests/" aria-current="page"' in body


def test_staff_see_the_link_before_any_contest(two):
    assert context_processors.contests_url(two.host.teacher_a) == "/contests/"
    assert context_processors.contests_url(two.host.pupils_a[0]) is None


def anonymous():
    from django.contrib.auth.models import AnonymousUser

    return AnonymousUser()
