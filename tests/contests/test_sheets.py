"""Saving judges' score sheets (contests.sheets): every refusal, the upsert and double submits,
organisers fixing a judge's sheet, the lock after the results are published, who may score
what, and the progress table in a constant number of queries."""

from __future__ import annotations

import logging
import threading
from datetime import timedelta
from decimal import Decimal as D

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.utils import timezone

from contests import permissions, sheets
from contests.models import Contest, Criterion, JudgeAssignment, Member, Sheet, Task
from contests.sheets import SheetRefused, save_sheet
from tests import builders
from tests.contests.builders import add_participant, add_task, make_contest

pytestmark = pytest.mark.django_db


class Field:
    """A robotics contest in two categories with one judged task of two runs: a judge of the
    juniors on task A, a judge of everything, the organiser (a host teacher) and a pupil."""

    def __init__(self, two):
        self.contest = make_contest(
            "robots",
            rules=Contest.Rules.JUDGED,
            kind=Contest.Kind.ROBOTICS,
            categories=["Младшие", "Старшие"],
            teams=True,
        )
        self.junior, self.senior = self.contest.categories.order_by("order")
        self.task = add_task(
            self.contest,
            "A",
            title="Кегельринг",
            runs_allowed=2,
            judges_combine=Task.JudgesCombine.AVERAGE,
        )
        self.item = Criterion.objects.create(
            task=self.task, name="Кегля вытолкнута", kind="item", points=10, max_count=3, order=1
        )
        self.bonus = Criterion.objects.create(
            task=self.task, name="Финиш в зоне", kind="item", points="2.5", max_count=1, order=2
        )
        self.penalty = Criterion.objects.create(
            task=self.task, name="Касание кегли", kind="penalty", points=4, max_count=5, order=3
        )
        self.time = Criterion.objects.create(task=self.task, name="Время", kind="time", order=4)
        self.judge = two.visiting.teacher_a  # a visiting school's teacher: no organiser
        self.other_judge = two.visiting.teacher_b
        self.organiser = two.host.teacher_a
        self.pupil = two.host.pupils_a[0]
        JudgeAssignment.objects.create(
            contest=self.contest, user=self.judge, category=self.junior, task=self.task
        )
        JudgeAssignment.objects.create(contest=self.contest, user=self.other_judge)
        self.team = add_participant(
            self.contest, "Петров Иван", team_name="Роботяги", category=self.junior
        )
        self.senior_team = add_participant(
            self.contest, "Сидорова Анна", team_name="Шестерёнки", category=self.senior
        )

    def counts(self, item=0, bonus=0, penalty=0) -> dict:
        return {str(self.item.pk): item, str(self.bonus.pk): bonus, str(self.penalty.pk): penalty}


@pytest.fixture
def field(region):
    return Field(region["two"])


def version(contest: Contest) -> int:
    return Contest.objects.get(pk=contest.pk).standings_version


def refused(code: str, *args, **kwargs) -> SheetRefused:
    with pytest.raises(SheetRefused) as caught:
        save_sheet(*args, **kwargs)
    assert caught.value.code == code, caught.value.message
    assert caught.value.message
    return caught.value


# --- Saving ----------------------------------------------------------------------------------


def test_a_sheet_is_saved_with_its_computed_score(field, django_capture_on_commit_callbacks):
    before = version(field.contest)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        sheet = save_sheet(
            field.task, field.team, 1, field.judge, field.counts(2, 1, 1), D("83.4567"), " Молодцы "
        )
    assert len(callbacks) == 1
    sheet.refresh_from_db()
    assert sheet.score == D("18.5")  # 2 × 10 + 2.5 − 4
    assert sheet.counts == field.counts(2, 1, 1)
    assert sheet.time_seconds == D("83.457")
    assert sheet.comment == "Молодцы"
    assert sheet.judge_id == field.judge.pk
    assert version(field.contest) == before + 1


def test_missing_lines_count_zero_and_no_time_is_kept_as_none(field):
    sheet = save_sheet(field.task, field.team, 2, field.judge, {str(field.item.pk): 1}, None)
    assert sheet.counts == field.counts(1, 0, 0)
    assert sheet.time_seconds is None
    assert sheet.score == D("10")


def test_penalties_never_take_a_sheet_below_zero(field):
    sheet = save_sheet(field.task, field.team, 1, field.judge, field.counts(0, 0, 5), "")
    assert sheet.score == D("0")


def test_saving_again_updates_the_one_sheet(field, django_capture_on_commit_callbacks):
    first = save_sheet(field.task, field.team, 1, field.judge, field.counts(1), 60)
    Sheet.objects.filter(pk=first.pk).update(updated_at=timezone.now() - timedelta(minutes=5))
    stamp = Sheet.objects.get(pk=first.pk).updated_at
    before = version(field.contest)
    with django_capture_on_commit_callbacks(execute=True):
        second = save_sheet(field.task, field.team, 1, field.judge, field.counts(3), 58, "ok")
    assert second.pk == first.pk
    assert Sheet.objects.count() == 1
    second.refresh_from_db()
    assert second.score == D("30") and second.time_seconds == D("58") and second.comment == "ok"
    assert second.updated_at > stamp
    assert version(field.contest) == before + 1


def test_a_double_submit_writes_nothing_the_second_time(field, django_capture_on_commit_callbacks):
    first = save_sheet(field.task, field.team, 1, field.judge, field.counts(2), "61.5", "x")
    Sheet.objects.filter(pk=first.pk).update(updated_at=timezone.now() - timedelta(minutes=5))
    stamp = Sheet.objects.get(pk=first.pk).updated_at
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        again = save_sheet(field.task, field.team, 1, field.judge, field.counts(2), "61.50", "x")
    assert again.pk == first.pk
    assert callbacks == []  # the standings did not move
    assert Sheet.objects.get(pk=first.pk).updated_at == stamp


def test_two_judges_have_a_sheet_each_and_runs_are_apart(field):
    save_sheet(field.task, field.team, 1, field.judge, field.counts(1), None)
    save_sheet(field.task, field.team, 1, field.other_judge, field.counts(2), None)
    save_sheet(field.task, field.team, 2, field.judge, field.counts(3), None)
    assert Sheet.objects.count() == 3


def test_twin_requests_end_in_one_sheet(field, monkeypatch):
    """The twin of a request made the sheet between this one's look and its insert: the
    unique constraint stops the insert and this request updates the twin's sheet."""
    twin = save_sheet(field.task, field.team, 1, field.judge, field.counts(1), None)
    real = sheets._locked_sheet
    calls = []

    def blind_first(key, judge_id):
        calls.append(1)
        return None if len(calls) == 1 else real(key, judge_id)

    monkeypatch.setattr(sheets, "_locked_sheet", blind_first)
    sheet = save_sheet(field.task, field.team, 1, field.judge, field.counts(2), None)
    assert sheet.pk == twin.pk
    assert Sheet.objects.get().score == D("20")


# --- Refusals: nothing is written ------------------------------------------------------------


@pytest.fixture
def nothing_written(field, django_capture_on_commit_callbacks):
    before = version(field.contest), list(Sheet.objects.values_list("pk", "score", "counts"))
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        yield
    assert callbacks == []
    after = version(field.contest), list(Sheet.objects.values_list("pk", "score", "counts"))
    assert after == before


def test_a_task_not_scored_on_sheets_is_refused(field, nothing_written):
    quiz = add_task(field.contest, "Q", kind=Task.Kind.QUIZ)
    refused("not_judged", quiz, field.team, 1, field.organiser, {}, None)


def test_a_removed_task_is_refused(field, nothing_written):
    Task.objects.filter(pk=field.task.pk).update(removed_at=timezone.now())
    # The caller's object is stale (the form stayed open on the field): the row decides.
    refused("removed", field.task, field.team, 1, field.judge, field.counts(1), None)


def test_a_participant_of_another_contest_is_refused(field, nothing_written):
    other = make_contest("other", rules=Contest.Rules.JUDGED, categories=["Младшие"])
    stranger = add_participant(other, "Чужой Участник")
    refused("other_contest", field.task, stranger, 1, field.organiser, {}, None)


def test_a_withdrawn_participant_is_refused(field, nothing_written):
    type(field.team).objects.filter(pk=field.team.pk).update(withdrawn_at=timezone.now())
    refused("withdrawn", field.task, field.team, 1, field.judge, field.counts(1), None)


@pytest.mark.parametrize("number", [0, 3, -1, "1", True, None, 1.0])
def test_a_run_outside_the_tasks_runs_is_refused(field, nothing_written, number):
    refused("run_number", field.task, field.team, number, field.judge, field.counts(1), None)


def test_a_judge_scoring_outside_their_category_is_refused(field, nothing_written, english):
    error = refused(
        "not_judge", field.task, field.senior_team, 1, field.judge, field.counts(1), None
    )
    assert "category" in error.message


def test_a_judge_of_another_task_is_refused(field, nothing_written):
    task_b = add_task(field.contest, "B", runs_allowed=1)
    refused("not_judge", task_b, field.team, 1, field.judge, {}, None)


@pytest.mark.parametrize("who", ["pupil", "anonymous"])
def test_someone_who_is_no_judge_is_refused(field, nothing_written, who):
    user = field.pupil if who == "pupil" else AnonymousUser()
    refused("not_judge", field.task, field.team, 1, user, field.counts(1), None)


def test_a_judge_of_another_contest_is_refused(field, nothing_written):
    other = make_contest("other", rules=Contest.Rules.JUDGED)
    JudgeAssignment.objects.create(contest=other, user=field.pupil)
    refused("not_judge", field.task, field.team, 1, field.pupil, field.counts(1), None)


def test_a_judge_changes_only_their_own_sheet(field):
    save_sheet(field.task, field.team, 1, field.judge, field.counts(1), None)
    refused(
        "not_yours",
        field.task,
        field.team,
        1,
        field.judge,
        field.counts(3),
        None,
        by=field.other_judge,
    )
    assert Sheet.objects.get().score == D("10")


def test_an_organiser_does_not_write_a_new_sheet_in_a_judges_name(field, nothing_written):
    refused(
        "not_yours", field.task, field.team, 1, field.judge, field.counts(3), None,
        by=field.organiser,
    )  # fmt: skip


def test_a_judge_does_not_score_their_own_team(field, nothing_written):
    Member.objects.create(contest=field.contest, participant=field.team, user=field.other_judge)
    refused("own_team", field.task, field.team, 1, field.other_judge, field.counts(1), None)


def test_before_the_contest_starts_sheets_are_refused(field, nothing_written):
    Contest.objects.filter(pk=field.contest.pk).update(
        starts_at=timezone.now() + timedelta(hours=1), ends_at=timezone.now() + timedelta(hours=4)
    )
    refused("not_started", field.task, field.team, 1, field.judge, field.counts(1), None)


@pytest.mark.parametrize("what", ["unknown line", "too many", "not a number", "negative"])
def test_counts_the_sheet_cannot_take_are_refused(field, nothing_written, what):
    raw = {
        "unknown line": {"99999": 1},
        "too many": {str(field.item.pk): 4},
        "not a number": {str(field.item.pk): "два"},
        "negative": {str(field.penalty.pk): -1},
    }[what]
    refused("counts", field.task, field.team, 1, field.judge, raw, None)


def test_the_time_line_is_not_a_count(field, nothing_written):
    refused("counts", field.task, field.team, 1, field.judge, {str(field.time.pk): 60}, None)


@pytest.mark.parametrize("time", [-1, "-0.5", "NaN", "Infinity", "abc", 86401, True, "1:20"])
def test_times_that_make_no_sense_are_refused(field, nothing_written, time):
    refused("time", field.task, field.team, 1, field.judge, field.counts(1), time)


def test_a_time_of_zero_and_of_a_day_are_taken(field):
    assert save_sheet(field.task, field.team, 1, field.judge, {}, 0).time_seconds == D("0")
    assert save_sheet(field.task, field.team, 2, field.judge, {}, 86400).time_seconds == D(86400)


def test_a_comment_too_long_is_refused(field, nothing_written):
    refused("comment", field.task, field.team, 1, field.judge, {}, None, "я" * 501)


def test_a_comment_loses_invisible_characters(field):
    sheet = save_sheet(field.task, field.team, 1, field.judge, {}, None, "Кас\u202eание\x00")
    assert sheet.comment == "Касание"


# --- Organisers fix sheets; the lock after publishing ----------------------------------------


def test_an_organiser_fixes_a_judges_sheet_which_stays_the_judges(
    field, caplog, django_capture_on_commit_callbacks
):
    original = save_sheet(field.task, field.team, 1, field.judge, field.counts(1), 70)
    Sheet.objects.filter(pk=original.pk).update(updated_at=timezone.now() - timedelta(hours=1))
    before = version(field.contest)
    with (
        caplog.at_level(logging.INFO, logger="contests.sheets"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        fixed = save_sheet(
            field.task, field.team, 1, field.judge, field.counts(2), 70, by=field.organiser
        )
    fixed.refresh_from_db()
    assert fixed.pk == original.pk
    assert fixed.judge_id == field.judge.pk  # who judged stays
    assert fixed.score == D("20")
    assert fixed.updated_at > original.updated_at
    assert version(field.contest) == before + 1
    assert f"changed by organiser {field.organiser.pk}" in caplog.text


def test_an_organiser_scores_under_their_own_name(field):
    sheet = save_sheet(field.task, field.senior_team, 1, field.organiser, field.counts(1), None)
    assert sheet.judge_id == field.organiser.pk


def test_after_the_results_are_published_sheets_are_locked(field, english):
    sheet = save_sheet(field.task, field.team, 1, field.judge, field.counts(1), None)
    Contest.objects.filter(pk=field.contest.pk).update(results_published_at=timezone.now())
    for by in (field.judge, field.organiser):
        error = refused(
            "locked", field.task, field.team, 1, field.judge, field.counts(3), None, by=by
        )
        assert "appeal" in error.message
    refused("locked", field.task, field.team, 2, field.judge, field.counts(3), None)
    assert Sheet.objects.get(pk=sheet.pk).score == D("10")
    assert Sheet.objects.count() == 1


def test_results_published_later_do_not_lock_yet(field):
    Contest.objects.filter(pk=field.contest.pk).update(
        results_published_at=timezone.now() + timedelta(days=1)
    )
    assert save_sheet(field.task, field.team, 1, field.judge, field.counts(1), None).pk


def test_is_locked():
    now = timezone.now()
    contest = Contest(results_published_at=None)
    assert not sheets.is_locked(contest, now)
    contest.results_published_at = now
    assert sheets.is_locked(contest, now)
    contest.results_published_at = now + timedelta(seconds=1)
    assert not sheets.is_locked(contest, now)


# --- Who may score what ----------------------------------------------------------------------


def test_the_judges_scope_agrees_with_may_judge(field):
    """The lists (JudgeScope) and the per-sheet check (permissions.may_judge) give the same
    answer for every kind of assignment, task and category, a participant without one too."""
    task_b = add_task(field.contest, "B")
    user = field.pupil
    kinds = [
        {"category": field.junior, "task": field.task},
        {"category": None, "task": task_b},
        {"category": field.senior, "task": None},
    ]
    tasks = [field.task, task_b]
    categories = [field.junior, field.senior, None]
    for n in range(len(kinds) + 1):
        JudgeAssignment.objects.filter(contest=field.contest, user=user).delete()
        for kind in kinds[:n]:
            JudgeAssignment.objects.create(contest=field.contest, user=user, **kind)
        scope = sheets.judge_scope(user, field.contest)
        for task in tasks:
            for category in categories:
                expected = permissions.may_judge(user, task, category)
                got = scope.may(task.pk, category.pk if category else None)
                assert got == expected, (n, task.label, category)


def test_the_scope_lists_tasks_categories_and_participants(field):
    task_b = add_task(field.contest, "B")
    add_task(field.contest, "P", kind=Task.Kind.PROGRAMMING)
    removed = add_task(field.contest, "R", removed_at=timezone.now())
    no_category = add_participant(field.contest, "Без Категории", team_name="Сами по себе")
    withdrawn = add_participant(
        field.contest, "Ушедшая Команда", category=field.junior, withdrawn_at=timezone.now()
    )
    judge = sheets.judge_scope(field.judge, field.contest)
    assert [t.label for t in sheets.judgeable_tasks(field.contest, judge)] == ["A"]
    assert sheets.judgeable_categories(field.contest, judge, field.task) == [field.junior]
    assert list(sheets.judgeable_participants(field.task, judge)) == [field.team]
    everything = sheets.judge_scope(field.other_judge, field.contest)
    assert [t.label for t in sheets.judgeable_tasks(field.contest, everything)] == ["A", "B"]
    assert sheets.judgeable_categories(field.contest, everything, task_b) == [
        field.junior,
        field.senior,
    ]
    listed = set(sheets.judgeable_participants(task_b, everything))
    assert listed == {field.team, field.senior_team, no_category}
    assert withdrawn not in listed
    organiser = sheets.judge_scope(field.organiser, field.contest)
    assert organiser.everything
    assert removed not in sheets.judgeable_tasks(field.contest, organiser)
    assert not sheets.judge_scope(field.pupil, field.contest).has_task(field.task.pk)
    assert not sheets.judge_scope(AnonymousUser(), field.contest).has_task(field.task.pk)


def test_participant_labels_keep_childrens_names_short(field):
    pupil = add_participant(field.contest, "Иванова Мария Петровна", category=field.junior)
    assert sheets.participant_label(field.team, full_names=False) == "Роботяги"
    assert sheets.participant_label(pupil, full_names=False) == "Мария И."
    assert sheets.participant_label(pupil, full_names=True) == "Иванова Мария Петровна"


def test_the_school_of_a_participant(field, region):
    school = region["two"].visiting.school
    with_school = add_participant(field.contest, "А Б", school=school)
    typed = add_participant(field.contest, "В Г", school=school, school_name="Лицей №1")
    assert sheets.school_of(with_school) == school.name
    assert sheets.school_of(typed) == "Лицей №1"
    assert sheets.school_of(field.team) == ""


def test_takes_time(field):
    assert sheets.takes_time(field.task)
    plain = add_task(field.contest, "N", tie_break=Task.TieBreak.NONE)
    assert not sheets.takes_time(plain)
    Criterion.objects.create(task=plain, name="Время", kind="time")
    assert sheets.takes_time(plain)
    assert sheets.takes_time(add_task(field.contest, "T", tie_break=Task.TieBreak.TIME))


# --- Progress --------------------------------------------------------------------------------


def test_progress_shows_who_scored_each_run(field):
    save_sheet(field.task, field.team, 1, field.judge, field.counts(1), 60)
    save_sheet(field.task, field.team, 1, field.other_judge, field.counts(2), 64)
    save_sheet(field.task, field.senior_team, 2, field.other_judge, field.counts(3), None)
    rows = sheets.progress(field.task, user=field.judge)
    assert [row.participant for row in rows] == [field.team, field.senior_team]
    first, second = rows[0].runs
    assert first.number == 1 and first.judges == 2 and first.others == 1
    assert first.mine.score == D("10")
    assert first.result.score == D("15") and first.result.time_seconds == D("62")
    assert second.number == 2 and second.judges == 0 and second.mine is None
    assert second.result is None
    assert rows[0].scored == 1
    senior = rows[1].runs
    assert senior[0].judges == 0 and senior[1].judges == 1 and senior[1].mine is None


def test_progress_combines_by_the_median_when_the_task_says_so(field):
    Task.objects.filter(pk=field.task.pk).update(judges_combine=Task.JudgesCombine.MEDIAN)
    task = Task.objects.get(pk=field.task.pk)
    third = builders.make_user("third_judge")
    JudgeAssignment.objects.create(contest=field.contest, user=third)
    for user, items in ((field.judge, 1), (field.other_judge, 2), (third, 3)):
        save_sheet(task, field.team, 1, user, field.counts(items), None)
    cell = sheets.progress(task)[0].runs[0]
    assert sorted(s.score for s in cell.sheets) == [D("10"), D("20"), D("30")]
    assert cell.result.score == D("20")
    Task.objects.filter(pk=task.pk).update(judges_combine=Task.JudgesCombine.AVERAGE)
    save_sheet(task, field.team, 1, third, field.counts(3, penalty=5), None)  # 30 − 20
    cell = sheets.progress(Task.objects.get(pk=task.pk))[0].runs[0]
    assert cell.result.score == D("13.3333333333")


def test_progress_of_a_judge_lists_only_their_categories(field):
    scope = sheets.judge_scope(field.judge, field.contest)
    rows = sheets.progress(field.task, scope=scope, user=field.judge)
    assert [row.participant for row in rows] == [field.team]


def test_progress_of_one_category(field):
    rows = sheets.progress(field.task, category_id=field.senior.pk)
    assert [row.participant for row in rows] == [field.senior_team]


def test_progress_takes_two_queries_whatever_the_size(field, django_assert_num_queries):
    scope = sheets.judge_scope(field.other_judge, field.contest)
    save_sheet(field.task, field.team, 1, field.judge, field.counts(1), None)

    def count_rows():
        with django_assert_num_queries(2):
            return len(sheets.progress(field.task, scope=scope, user=field.other_judge))

    assert count_rows() == 2
    judges = [builders.make_user(f"judge{n}") for n in range(3)]
    for user in judges:
        JudgeAssignment.objects.create(contest=field.contest, user=user)
    for n in range(12):
        team = add_participant(
            field.contest, f"Участник {n}", team_name=f"Команда {n}", category=field.senior
        )
        for user in judges:
            for number in (1, 2):
                save_sheet(field.task, team, number, user, field.counts(n % 4), n)
    assert count_rows() == 14


def test_progress_of_nobody(field):
    empty = make_contest("empty", rules=Contest.Rules.JUDGED)
    task = add_task(empty, "A")
    assert sheets.progress(task) == []


def test_sheets_of_one_run(field):
    save_sheet(field.task, field.team, 1, field.judge, field.counts(1), None)
    save_sheet(field.task, field.team, 1, field.other_judge, field.counts(2), None)
    save_sheet(field.task, field.team, 2, field.judge, field.counts(3), None)
    found = sheets.sheets_of_run(field.task, field.team, 1)
    assert [s.judge_id for s in found] == [field.judge.pk, field.other_judge.pk]


# --- Real concurrency (PostgreSQL) -----------------------------------------------------------


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_four_taps_at_once_make_one_sheet():
    if connection.vendor != "postgresql":
        pytest.skip("needs real concurrent transactions (PostgreSQL); SQLite serialises writers")
    builders.build_school("race")
    contest = make_contest("race", rules=Contest.Rules.JUDGED)
    task = add_task(contest, "A")
    item = Criterion.objects.create(task=task, name="Пункт", points=5, max_count=2)
    team = add_participant(contest, "Гонка Команда")
    judge = builders.make_user("race_judge")
    JudgeAssignment.objects.create(contest=contest, user=judge)
    barrier = threading.Barrier(4)
    ids, errors = [], []

    def tap():
        from django.db import connection as own

        try:
            barrier.wait()
            ids.append(save_sheet(task, team, 1, judge, {str(item.pk): 2}, None).pk)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            own.close()

    threads = [threading.Thread(target=tap) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    assert len(set(ids)) == 1
    assert Sheet.objects.filter(task=task).count() == 1
