"""Registering for a contest as services: oneself, a teacher's pupils (alone or in teams), the
refusals, nothing half-saved, double clicks, withdrawing before and after the start."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from contests import registering
from contests.audience import Refused
from contests.models import Category, Contest, Member, Participant
from contests.registering import BatchRefused, Entry
from events.certificates import public_name
from tests.contests.builders import add_participant, add_run, add_task, make_contest

pytestmark = pytest.mark.django_db


@pytest.fixture
def two(region):
    return region["two"]


def named(user, last="Иванова", first="Софья"):
    user.last_name, user.first_name = last, first
    user.save()
    return user


def upcoming(slug="olymp", **fields) -> Contest:
    return make_contest(slug, starts_in=timedelta(days=1), **fields)


def with_classes(contest):
    junior = Category.objects.create(contest=contest, name="5–8", min_class=5, max_class=8)
    senior = Category.objects.create(
        contest=contest, name="9–11", min_class=9, max_class=11, order=1
    )
    return junior, senior


# --- Oneself -----------------------------------------------------------------------------------


def test_a_pupil_registers_with_their_class_and_gets_the_category(
    two, django_capture_on_commit_callbacks
):
    contest = upcoming()
    junior, senior = with_classes(contest)
    pupil = named(two.host.pupils_a[0])
    with django_capture_on_commit_callbacks(execute=True):
        participant, created = registering.register_self(contest, pupil, class_number="9")
    assert created
    assert participant.name == "Иванова Софья"
    assert public_name(participant.name) == "Софья И."
    assert participant.category == senior
    assert participant.class_number == 9
    assert participant.school == two.host.school
    assert participant.school_name == two.host.school.name
    assert participant.source == Participant.Source.SELF
    assert participant.code and len(participant.code) == 8
    assert Member.objects.get(contest=contest, user=pupil).participant == participant
    contest.refresh_from_db()
    assert contest.standings_version == 1


def test_registering_twice_gives_the_first_registration(two):
    contest = upcoming()
    pupil = two.host.pupils_a[0]
    first, created = registering.register_self(contest, pupil)
    again, created_again = registering.register_self(contest, pupil)
    assert created and not created_again
    assert again == first
    assert Participant.objects.filter(contest=contest).count() == 1


def test_a_double_click_in_a_race_finds_the_first(two, monkeypatch):
    """The second request passed the check before the first one's row was written."""
    contest = upcoming()
    pupil = two.host.pupils_a[0]
    first, _ = registering.register_self(contest, pupil)
    real = registering.participation_of
    calls = []

    def late(contest_, user):
        calls.append(1)
        return None if len(calls) == 1 else real(contest_, user)

    monkeypatch.setattr(registering, "participation_of", late)
    with transaction.atomic():
        again, created = registering.register_self(contest, pupil)
    assert not created and again == first
    assert Participant.objects.filter(contest=contest).count() == 1


def test_an_account_with_only_a_display_name_is_turned_round(two):
    contest = upcoming()
    pupil = two.host.pupils_a[0]
    pupil.display_name, pupil.first_name, pupil.last_name = "Мария Петрова", "", ""
    pupil.save()
    participant, _ = registering.register_self(contest, pupil)
    assert participant.name == "Петрова Мария"
    assert public_name(participant.name) == "Мария П."


def test_a_team_of_one_in_a_team_contest(two):
    contest = upcoming(teams=True, team_size=3)
    participant, _ = registering.register_self(
        contest, two.host.pupils_a[0], team_name="  Роботы  "
    )
    assert participant.team_name == "Роботы"
    solo = upcoming("solo")
    participant, _ = registering.register_self(solo, two.host.pupils_a[0], team_name="Роботы")
    assert participant.team_name == ""


@pytest.mark.parametrize(
    ("fields", "who", "message"),
    [
        ({"is_published": False}, "host", "This contest is not open yet."),
        ({"self_registration": False}, "host", "registered by their teachers"),
        ({"audience": Contest.Audience.PARK}, "visiting", "the park's own pupils"),
        ({"audience": Contest.Audience.SCHOOLS}, "visiting", "not open to pupils of Школа v"),
        ({"audience": Contest.Audience.ALL}, "teacher", "This contest is for pupils."),
    ],
)
def test_refusals_save_nothing(two, english, fields, who, message):
    contest = upcoming(**fields)
    user = {
        "host": two.host.pupils_a[0],
        "visiting": two.visiting.pupils_a[0],
        "teacher": two.visiting.teacher_a,
    }[who]
    with pytest.raises(Refused, match=message):
        registering.register_self(contest, user)
    assert not Participant.objects.filter(contest=contest).exists()


def test_after_the_window_is_refused(two, english):
    now = timezone.now()
    contest = upcoming(registration_closes_at=now - timedelta(minutes=1))
    with pytest.raises(Refused, match="Registration closed"):
        registering.register_self(contest, two.host.pupils_a[0])
    over = make_contest("over", starts_in=timedelta(hours=-5), length=timedelta(hours=1))
    with pytest.raises(Refused, match="Registration closed"):
        registering.register_self(over, two.host.pupils_a[0])


def test_a_category_that_does_not_fit_is_refused(two, english):
    contest = upcoming()
    junior, _senior = with_classes(contest)
    with pytest.raises(Refused, match="not for class 10"):
        registering.register_self(contest, two.host.pupils_a[0], class_number=10, category=junior)
    with pytest.raises(Refused, match="Say which class"):
        registering.register_self(contest, two.host.pupils_a[0])
    assert not Participant.objects.filter(contest=contest).exists()


# --- A teacher's pupils ------------------------------------------------------------------------


def test_a_teacher_registers_pupils_with_a_class_each(two):
    contest = upcoming(audience=Contest.Audience.ALL)
    junior, senior = with_classes(contest)
    v = two.visiting
    first, second = named(v.pupils_a[0], "Андреев", "Пётр"), named(v.pupils_a[1], "Бойко", "Ия")
    outcome = registering.register_pupils(
        contest,
        v.teacher_a,
        v.group_a,
        [Entry(first.pk, class_number=6), Entry(second.pk, class_number=10)],
    )
    assert outcome.pupils == 2 and not outcome.already
    rows = {p.name: p for p in Participant.objects.filter(contest=contest)}
    assert rows["Андреев Пётр"].category == junior
    assert rows["Бойко Ия"].category == senior
    assert all(p.source == Participant.Source.TEACHER for p in rows.values())
    assert all(p.registered_by == v.teacher_a for p in rows.values())
    assert all(p.school == v.school for p in rows.values())
    again = registering.register_pupils(contest, v.teacher_a, v.group_a, [Entry(first.pk, 6)])
    assert again.already == ["Андреев Пётр"] and again.pupils == 0


def test_one_bad_pupil_registers_nobody(two, english):
    contest = upcoming()
    with_classes(contest)
    h = two.host
    with pytest.raises(BatchRefused) as refused:
        registering.register_pupils(
            contest,
            h.teacher_a,
            h.group_a,
            [Entry(h.pupils_a[0].pk, class_number=6), Entry(h.pupils_a[1].pk, class_number=3)],
        )
    assert list(refused.value.problems) == [h.pupils_a[1].pk]
    assert "No category of this contest is for class 3" in refused.value.problems[h.pupils_a[1].pk]
    assert not Participant.objects.filter(contest=contest).exists()


def test_pupils_of_another_group_or_school_are_refused(two, english):
    contest = upcoming(audience=Contest.Audience.ALL)
    h, v = two.host, two.visiting
    with pytest.raises(Refused, match="not in this group"):
        registering.register_pupils(contest, h.teacher_a, h.group_a, [Entry(h.pupils_b[0].pk)])
    with pytest.raises(Refused, match="groups you teach"):
        registering.register_pupils(contest, h.teacher_a, v.group_a, [Entry(v.pupils_a[0].pk)])
    assert not Participant.objects.filter(contest=contest).exists()


def test_a_school_the_contest_is_not_open_to(two, english):
    contest = upcoming(audience=Contest.Audience.PARK)
    v = two.visiting
    with pytest.raises(Refused, match="the park's own pupils"):
        registering.register_pupils(contest, v.teacher_a, v.group_a, [Entry(v.pupils_a[0].pk)])


def test_the_batch_has_a_cap(two, settings, english):
    settings.CONTESTS_MAX_BATCH = 2
    contest = upcoming()
    h = two.host
    with pytest.raises(Refused, match="At most 2 pupils"):
        registering.register_pupils(
            contest, h.teacher_a, h.group_a, [Entry(p.pk) for p in h.pupils_a]
        )


def test_teams_of_a_teachers_pupils(two):
    contest = upcoming(teams=True, team_size=2)
    h = two.host
    a, b, c = (named(p, "Фамилия", f"Имя{n}") for n, p in enumerate(h.pupils_a))
    outcome = registering.register_pupils(
        contest,
        h.teacher_a,
        h.group_a,
        [Entry(a.pk, 7, team="Ракета"), Entry(b.pk, 8, team="ракета "), Entry(c.pk, 7)],
    )
    assert outcome.pupils == 3 and len(outcome.created) == 2
    team = Participant.objects.get(contest=contest, team_name="Ракета")
    assert set(team.members.values_list("user_id", flat=True)) == {a.pk, b.pk}
    assert team.class_number == 8
    assert team.name == "Фамилия Имя0, Фамилия Имя1"
    alone = Participant.objects.get(contest=contest, team_name="")
    assert list(alone.members.values_list("user_id", flat=True)) == [c.pk]


def test_a_team_too_big_or_split_across_categories(two, english):
    contest = upcoming(teams=True, team_size=2)
    junior, senior = with_classes(contest)
    h = two.host
    entries = [Entry(p.pk, 6, team="Т") for p in h.pupils_a]
    with pytest.raises(BatchRefused, match="Nothing was registered"):
        registering.register_pupils(contest, h.teacher_a, h.group_a, entries)
    split = [Entry(h.pupils_a[0].pk, 6, team="Т"), Entry(h.pupils_a[1].pk, 10, team="Т")]
    with pytest.raises(BatchRefused) as refused:
        registering.register_pupils(contest, h.teacher_a, h.group_a, split)
    assert "different categories" in next(iter(refused.value.problems.values()))
    assert not Participant.objects.filter(contest=contest).exists()


# --- Withdrawing -------------------------------------------------------------------------------


def test_withdrawing_before_the_round_undoes_the_registration(two):
    contest = upcoming()
    pupil = two.host.pupils_a[0]
    participant, _ = registering.register_self(contest, pupil)
    assert registering.withdraw(participant, pupil) == "removed"
    assert not Participant.objects.filter(contest=contest).exists()
    _again, created = registering.register_self(contest, pupil)
    assert created


def test_the_teacher_may_withdraw_their_pupil_before_the_round(two):
    contest = upcoming(audience=Contest.Audience.ALL)
    v = two.visiting
    registering.register_pupils(contest, v.teacher_a, v.group_a, [Entry(v.pupils_a[0].pk)])
    participant = Participant.objects.get(contest=contest)
    assert registering.may_withdraw(two.host.teacher_b, participant)  # park staff organise
    assert not registering.may_withdraw(v.teacher_b, participant)  # another group's teacher
    assert not registering.concerns(v.teacher_b, participant)
    assert registering.may_withdraw(v.teacher_a, participant)
    assert registering.withdraw(participant, v.teacher_a) == "removed"


def test_after_the_start_only_the_organisers_withdraw_and_the_runs_stay(
    two, english, django_capture_on_commit_callbacks
):
    contest = make_contest(tasks=1)
    pupil = two.host.pupils_a[0]
    participant = add_participant(contest, user=pupil, source=Participant.Source.SELF)
    add_run(participant, contest.tasks.get())
    assert not registering.may_withdraw(pupil, participant)
    with pytest.raises(Refused, match="only the organisers"):
        registering.withdraw(participant, pupil)
    organiser = two.host.admin
    with django_capture_on_commit_callbacks(execute=True):
        assert registering.withdraw(participant, organiser) == "withdrawn"
    participant.refresh_from_db()
    assert participant.withdrawn_at is not None
    assert participant.runs.count() == 1
    assert registering.withdraw(participant, organiser) == "withdrawn"  # a second click
    contest.refresh_from_db()
    assert contest.standings_version >= 1


def test_one_member_leaves_a_team_before_the_round(two):
    contest = upcoming(teams=True, team_size=3)
    h = two.host
    a, b = named(h.pupils_a[0], "Аа", "Аня"), named(h.pupils_a[1], "Бб", "Боря")
    registering.register_pupils(
        contest, h.teacher_a, h.group_a, [Entry(a.pk, team="Т"), Entry(b.pk, team="Т")]
    )
    team = Participant.objects.get(contest=contest)
    assert registering.withdraw(team, a) == "left"
    team.refresh_from_db()
    assert team.name == "Бб Боря"
    assert list(team.members.values_list("user_id", flat=True)) == [b.pk]


def test_a_participant_with_runs_is_kept_even_before_the_start(two):
    contest = upcoming(tasks=1)
    task = add_task(contest, "Z")
    participant = add_participant(contest, user=two.host.pupils_a[0])
    add_run(participant, task, is_practice=True)
    assert registering.withdraw(participant, two.host.admin) == "withdrawn"
    assert Participant.objects.filter(pk=participant.pk).exists()
