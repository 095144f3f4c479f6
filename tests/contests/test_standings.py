"""contests.standings.build: the facts it reads, the freeze, names, categories, the cache and
a constant number of queries (the rules themselves: test_ranking.py)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.utils import timezone, translation

from contests import standings
from contests.models import Contest, Run, ScoreChange, Sheet
from tests import builders as common
from tests.contests.builders import add_participant, add_run, add_task, make_contest

pytestmark = pytest.mark.django_db
D = Decimal


def by_name(board):
    return {row.name: row for row in board.rows}


def places(board):
    return [(row.name, row.rank, row.rank_to) for row in board.rows]


def icpc_contest(**fields):
    fields.setdefault("starts_in", timedelta(hours=-2))
    return make_contest(tasks=3, **fields)


# --- ICPC --------------------------------------------------------------------------------


def test_icpc_board_from_runs():
    contest = icpc_contest()
    a, b, c = contest.tasks.all()
    anna = add_participant(contest, "Антонова Анна")
    boris = add_participant(contest, "Борисов Борис")
    add_participant(contest, "Васильев Вадим")
    add_run(anna, a, minute=10, verdict="WA")
    add_run(anna, a, minute=20)
    add_run(boris, a, minute=5)
    add_run(boris, b, minute=30, verdict="CE")
    add_run(boris, b, minute=40)
    add_run(anna, c, minute=50, verdict="TLE")
    board = standings.build(contest, jury=True)
    assert places(board) == [
        ("Борисов Борис", 1, 1),
        ("Антонова Анна", 2, 2),
        ("Васильев Вадим", 3, 3),
    ]
    boris_row, anna_row = board.rows[0], board.rows[1]
    assert (boris_row.solved, boris_row.penalty_minutes) == (2, 45)
    assert (anna_row.solved, anna_row.penalty_minutes) == (1, 40)
    assert [c.attempts for c in anna_row.cells] == [2, 0, 1]
    assert anna_row.cells[2].solved is False
    assert [t.label for t in board.tasks] == ["A", "B", "C"]
    assert board.rules == "icpc" and board.max_score == 3 and not board.frozen
    assert boris_row.cells[0].first_solve and not anna_row.cells[0].first_solve


def test_compile_errors_count_when_the_contest_says_so():
    contest = icpc_contest(compile_error_counts=True)
    task = contest.tasks.first()
    anna = add_participant(contest, "Антонова Анна")
    add_run(anna, task, minute=30, verdict="CE")
    add_run(anna, task, minute=40)
    assert standings.build(contest, jury=True).rows[0].penalty_minutes == 60


def test_practice_runs_and_removed_tasks_never_count():
    contest = icpc_contest()
    a, b, _c = contest.tasks.all()
    anna = add_participant(contest, "Антонова Анна")
    add_run(anna, a, minute=200, is_practice=True)
    add_run(anna, b, minute=10)
    b.removed_at = timezone.now()
    b.save()
    board = standings.build(contest, jury=True)
    assert [t.label for t in board.tasks] == ["A", "C"]
    assert board.rows[0].solved == 0 and board.max_score == 2


def test_runs_of_another_contest_never_count():
    contest = icpc_contest()
    other = make_contest("other", tasks=1)
    anna = add_participant(contest, "Антонова Анна")
    stranger = add_participant(other, "Чужой Человек")
    add_run(stranger, other.tasks.first(), minute=5)
    add_run(anna, contest.tasks.first(), minute=9)
    board = standings.build(contest, jury=True)
    assert [r.name for r in board.rows] == ["Антонова Анна"] and board.rows[0].solved == 1


def test_withdrawn_and_out_of_competition_rows():
    contest = icpc_contest()
    task = contest.tasks.first()
    gone = add_participant(contest, "Ушедший Юрий", withdrawn_at=timezone.now())
    guest = add_participant(contest, "Гостев Глеб", is_out_of_competition=True)
    anna = add_participant(contest, "Антонова Анна")
    boris = add_participant(contest, "Борисов Борис")
    add_run(gone, task, minute=1)
    add_run(guest, task, minute=2)
    add_run(anna, task, minute=30)
    add_run(boris, task, minute=40)
    board = standings.build(contest, jury=True)
    assert places(board) == [
        ("Гостев Глеб", None, None),
        ("Антонова Анна", 1, 1),
        ("Борисов Борис", 2, 2),
        ("Ушедший Юрий", None, None),
    ]
    rows = by_name(board)
    assert rows["Ушедший Юрий"].withdrawn and rows["Ушедший Юрий"].solved == 0
    assert rows["Гостев Глеб"].out_of_competition and rows["Гостев Глеб"].solved == 1
    # The first solve is the first among those who take places.
    assert rows["Антонова Анна"].cells[0].first_solve
    assert not rows["Гостев Глеб"].cells[0].first_solve


def test_queued_runs_are_pending_and_judge_errors_never_count():
    contest = icpc_contest()
    task = contest.tasks.first()
    anna = add_participant(contest, "Антонова Анна")
    add_run(anna, task, minute=5, verdict="IE")
    queued = add_run(anna, task, minute=6, verdict="")
    Run.objects.filter(pk=queued.pk).update(state=Run.State.QUEUED)
    cell = standings.build(contest, jury=True).rows[0].cells[0]
    assert (cell.attempts, cell.pending, cell.solved) == (0, 1, False)


def test_an_icpc_verdict_changed_by_the_jury_marks_the_cell(two):
    contest = icpc_contest()
    task = contest.tasks.first()
    anna = add_participant(contest, "Антонова Анна")
    wrong = add_run(anna, task, minute=5, verdict="OK")
    Run.objects.filter(pk=wrong.pk).update(verdict="WA")
    ScoreChange.objects.create(
        participant=anna,
        task=task,
        run=wrong,
        verdict_before="OK",
        verdict="WA",
        reason="rejudged",
        changed_by=two.superuser,
    )
    cell = standings.build(contest, jury=True).rows[0].cells[0]
    assert cell.changed and not cell.solved and cell.attempts == 1


# --- IOI, quiz, judged -------------------------------------------------------------------


def ioi_contest(**fields):
    contest = make_contest(rules=Contest.Rules.IOI, **fields)
    add_task(contest, "A", kind="programming", max_score=D(100))
    add_task(contest, "B", kind="programming", max_score=D(50))
    return contest


def test_ioi_best_run_and_unrounded_sums():
    contest = ioi_contest()
    a, b = contest.tasks.all()
    anna = add_participant(contest, "Антонова Анна")
    boris = add_participant(contest, "Борисов Борис")
    third = D(100) / 3
    add_run(anna, a, minute=5, verdict="PT", score="40")
    add_run(anna, a, minute=9, verdict="PT", score=third.quantize(D("1E-10")))
    add_run(boris, a, minute=5, verdict="PT", score="33.33")
    board = standings.build(contest, jury=True)
    assert board.rows[0].name == "Антонова Анна" and board.rows[0].score == D(40)
    assert board.rows[1].score == D("33.33")
    assert board.max_score == D(150)
    assert board.rows[0].cells[1].score is None


def test_ioi_best_per_subtask():
    contest = ioi_contest(best_per_subtask=True)
    a = contest.tasks.get(label="A")
    anna = add_participant(contest, "Антонова Анна")
    add_run(anna, a, minute=5, verdict="PT", score="30", subtask_scores=["30", "0", "0"])
    add_run(anna, a, minute=9, verdict="PT", score="45", subtask_scores=["0", "45", "0"])
    add_run(anna, a, minute=12, verdict="PT", score="25", subtask_scores=["0", "0", "25"])
    cell = standings.build(contest, jury=True).rows[0].cells[0]
    assert cell.score == D(100) and cell.solved and cell.solved_seconds == 12 * 60


def test_ioi_ties_are_shared():
    contest = ioi_contest()
    a, b = contest.tasks.all()
    for name in ("Антонова Анна", "Борисов Борис", "Васильев Вадим"):
        add_run(add_participant(contest, name), a, minute=5, verdict="PT", score="50")
    add_run(contest.participants.get(name="Васильев Вадим"), b, verdict="PT", score="0.0000000001")
    assert places(standings.build(contest, jury=True)) == [
        ("Васильев Вадим", 1, 1),
        ("Антонова Анна", 2, 3),
        ("Борисов Борис", 2, 3),
    ]


def test_the_latest_score_change_replaces_the_task_score(two):
    contest = ioi_contest()
    a = contest.tasks.get(label="A")
    anna = add_participant(contest, "Антонова Анна")
    add_run(anna, a, minute=5, verdict="PT", score="40")
    for score in ("70", "55.5"):
        ScoreChange.objects.create(
            participant=anna, task=a, score=D(score), reason="appeal", changed_by=two.superuser
        )
    ScoreChange.objects.create(  # a change without a score (a note) changes nothing
        participant=anna, task=a, reason="note", changed_by=two.superuser
    )
    row = standings.build(contest, jury=True).rows[0]
    assert row.cells[0].score == D("55.5") and row.cells[0].changed and row.score == D("55.5")


def test_a_quiz_task_counts_the_last_answer():
    contest = make_contest(rules=Contest.Rules.IOI, kind=Contest.Kind.QUIZ)
    quiz = add_task(contest, "1", kind="quiz", max_score=D(10))
    anna = add_participant(contest, "Антонова Анна")
    add_run(anna, quiz, minute=1, verdict="OK", score="10")
    add_run(anna, quiz, minute=2, verdict="WA", score="0")
    cell = standings.build(contest, jury=True).rows[0].cells[0]
    assert cell.score == 0 and cell.attempts == 1


def judged_contest():
    contest = make_contest(rules=Contest.Rules.JUDGED, kind=Contest.Kind.ROBOTICS)
    add_task(contest, "R", max_score=D(100), runs_allowed=2)
    add_task(contest, "P", max_score=D(50), tie_break="none")
    return contest


def sheet(participant, task, number, judge, score, time=None, **fields):
    return Sheet.objects.create(
        task=task,
        participant=participant,
        run_number=number,
        judge=judge,
        score=D(score),
        time_seconds=None if time is None else D(time),
        **fields,
    )


def test_judged_board_from_sheets_with_tie_keys(two):
    contest = judged_contest()
    robot, project = contest.tasks.all()
    judge_a, judge_b = two.host.teacher_a, two.host.teacher_b
    team1 = add_participant(contest, "Команда один", team_name="Роботы")
    team2 = add_participant(contest, "Команда два", team_name="Механики")
    team3 = add_participant(contest, "Команда три")
    sheet(team1, robot, 1, judge_a, "80", 30)
    sheet(team1, robot, 1, judge_b, "90", 40)  # average 85, time 35
    sheet(team1, robot, 2, judge_a, "40", 20)
    sheet(team2, robot, 1, judge_a, "85", 50)
    sheet(team2, robot, 2, judge_a, "60", 20)  # the same best, a better second run
    sheet(team3, project, 1, judge_a, "50")
    board = standings.build(contest, jury=True)
    assert places(board) == [
        ("Команда два", 1, 1),
        ("Команда один", 2, 2),
        ("Команда три", 3, 3),
    ]
    assert board.rows[1].cells[0].score == D(85) and board.rows[1].team_name == "Роботы"
    assert board.rows[2].cells[1].solved and board.max_score == D(150)


def test_judged_task_without_sheets_scores_from_its_runs():
    contest = judged_contest()
    robot = contest.tasks.get(label="R")
    anna = add_participant(contest, "Антонова Анна")
    add_run(anna, robot, verdict="PT", score="30")  # imported, say
    assert standings.build(contest, jury=True).rows[0].score == D(30)


# --- The freeze and names ----------------------------------------------------------------


def frozen_contest(**fields):
    # Started 2 h ago, 3 h long, frozen for the last 90 minutes: frozen since 30 minutes ago.
    contest = icpc_contest(freeze_minutes=90, **fields)
    task = contest.tasks.first()
    anna = add_participant(contest, "Антонова Анна Петровна", school_name="Лицей №1")
    boris = add_participant(contest, "Борисов Борис", school_name="Школа №2")
    add_run(anna, task, minute=20)
    add_run(boris, task, minute=100, verdict="WA")  # after the freeze (minute 90)
    add_run(boris, task, minute=110)
    return contest


def test_the_public_board_is_frozen_and_the_jury_sees_live():
    contest = frozen_contest()
    public = standings.build(contest)
    assert public.frozen and public.freeze_at == contest.freeze_at()
    rows = by_name(public)
    assert rows["Анна А."].cells[0].solved
    hidden = rows["Борис Б."].cells[0]
    assert (hidden.solved, hidden.attempts, hidden.pending) == (False, 0, 2)
    assert public.rows[0].name == "Анна А."
    jury = standings.build(contest, jury=True)
    assert not jury.frozen
    assert by_name(jury)["Борисов Борис"].cells[0].solved


def test_before_the_freeze_the_public_board_is_live():
    contest = frozen_contest()
    before = contest.freeze_at() - timedelta(minutes=1)
    assert not standings.build(contest, now=before).frozen


def test_unfrozen_board_is_live_for_everyone():
    contest = frozen_contest()
    contest.unfrozen_at = timezone.now()
    contest.save()
    board = standings.build(contest)
    assert not board.frozen
    assert by_name(board)["Борис Б."].cells[0].solved


def test_public_names_first_name_initial_and_school():
    contest = frozen_contest()
    public = {r.name: r.school_name for r in standings.build(contest).rows}
    assert public == {"Анна А.": "Лицей №1", "Борис Б.": "Школа №2"}
    jury = {r.name for r in standings.build(contest, jury=True).rows}
    assert jury == {"Антонова Анна Петровна", "Борисов Борис"}


def test_a_teams_members_are_each_shown_by_first_name_and_initial():
    contest = icpc_contest(teams=True, team_size=3)
    add_participant(contest, "Антонова Анна, Борисов Борис Петрович, Вера", team_name="Роботы")
    row = standings.build(contest).rows[0]
    assert (row.name, row.team_name) == ("Анна А., Борис Б., Вера", "Роботы")
    assert standings.build(contest, jury=True).rows[0].name.startswith("Антонова Анна,")


@pytest.mark.parametrize(
    ("full", "public"),
    [
        ("Иванова Мария Петровна", "Мария И."),
        ("Мария", "Мария"),
        ("  Петров   Пётр ", "Пётр П."),
        ("", ""),
        (",", ""),
    ],
)
def test_public_names(full, public):
    assert standings.public_names(full) == public


def test_school_name_falls_back_to_the_school(two):
    contest = icpc_contest()
    pupil = two.visiting.pupils_a[0]
    add_participant(contest, "Петрова Полина", school=pupil.school, school_name="")
    assert standings.build(contest).rows[0].school_name == pupil.school.name


# --- Categories --------------------------------------------------------------------------


def test_each_category_has_its_own_places():
    contest = icpc_contest(categories=["5–6", "7–8"])
    task = contest.tasks.first()
    young, old = contest.categories.all()
    anna = add_participant(contest, "Антонова Анна", category=young)
    boris = add_participant(contest, "Борисов Борис", category=old)
    vera = add_participant(contest, "Верова Вера", category=old)
    add_run(anna, task, minute=10)
    add_run(boris, task, minute=20)
    add_run(vera, task, minute=5)
    assert places(standings.build(contest, category_id=old.pk, jury=True)) == [
        ("Верова Вера", 1, 1),
        ("Борисов Борис", 2, 2),
    ]
    assert places(standings.build(contest, category_id=young.pk, jury=True)) == [
        ("Антонова Анна", 1, 1)
    ]
    everyone = standings.build(contest, jury=True)
    assert [r.category_name for r in everyone.rows] == ["7–8", "5–6", "7–8"]
    young_board = standings.build(contest, category_id=young.pk, jury=True)
    assert young_board.rows[0].cells[0].first_solve  # first in its category


# --- The cache ---------------------------------------------------------------------------


def test_a_second_build_is_served_from_the_cache(django_assert_num_queries):
    contest = frozen_contest()
    standings.build(contest)
    with django_assert_num_queries(0):
        again = standings.build(contest)
    assert again.frozen


def test_invalidate_bumps_the_version_and_the_next_build_is_fresh():
    contest = frozen_contest()
    before = standings.build(contest, jury=True)
    anna = contest.participants.get(name__startswith="Антонова")
    add_run(anna, contest.tasks.get(label="B"), minute=30)
    assert standings.build(contest, jury=True).rows[0].solved == 1  # the cached copy
    standings.invalidate(contest.pk)
    standings.invalidate(contest.pk)
    contest.refresh_from_db()
    assert contest.standings_version == before.version + 2
    fresh = standings.build(contest, jury=True)
    assert fresh.version == contest.standings_version and fresh.rows[0].solved == 2


def test_jury_public_category_and_language_are_cached_apart():
    contest = frozen_contest()
    jury = standings.build(contest, jury=True)
    public = standings.build(contest)
    assert jury.rows[0].name != public.rows[0].name
    keys = {
        standings.cache_key(contest, None, True, False),
        standings.cache_key(contest, None, False, True),
        standings.cache_key(contest, None, False, False),
        standings.cache_key(contest, 5, False, True),
    }
    with translation.override("en"):
        keys.add(standings.cache_key(contest, None, False, True))
    assert len(keys) == 5


def test_a_cache_that_is_down_still_serves(monkeypatch, caplog):
    contest = frozen_contest()

    def down(*args, **kwargs):
        raise ConnectionError("redis is away")

    monkeypatch.setattr(cache, "get", down)
    monkeypatch.setattr(cache, "set", down)
    board = standings.build(contest, jury=True)
    assert board.rows[0].solved == 1
    assert "standings cache unavailable" in caplog.text


def test_something_else_under_the_key_is_recomputed():
    contest = frozen_contest()
    cache.set(standings.cache_key(contest, None, True, False), "garbage")
    assert standings.build(contest, jury=True).rows[0].solved == 1


# --- Queries -----------------------------------------------------------------------------


def _grow(contest, count, start=0):
    tasks = list(contest.tasks.all())
    for n in range(start, start + count):
        person = add_participant(contest, f"Участник{n:03} Имя{n}")
        for task in tasks:
            add_run(person, task, minute=n % 50 + 1, verdict="WA", score="10")
            add_run(person, task, minute=n % 50 + 5, verdict="OK", score="100")


@pytest.mark.parametrize(
    ("rules", "kind", "queries"),
    [
        (Contest.Rules.ICPC, "judged", 4),  # an ICPC board never reads sheets
        (Contest.Rules.IOI, "programming", 4),
        (Contest.Rules.IOI, "judged", 5),  # judged-kind tasks: the sheets too
        (Contest.Rules.JUDGED, "judged", 5),
    ],
)
def test_a_constant_number_of_queries(rules, kind, queries, django_assert_num_queries):
    contest = make_contest(rules=rules)
    for label in "ABC":
        add_task(contest, label, kind=kind)
    _grow(contest, 3)
    with django_assert_num_queries(queries):
        standings.compute(contest, jury=True)
    _grow(contest, 12, start=3)
    with django_assert_num_queries(queries):
        board = standings.compute(contest, jury=True)
    assert len(board.rows) == 15


def test_a_category_board_has_the_same_number_of_queries(django_assert_num_queries):
    contest = icpc_contest(categories=["A"])
    category = contest.categories.get()
    _grow(contest, 3)
    with django_assert_num_queries(4):
        standings.compute(contest, category_id=category.pk)


def test_many_sheets_cost_one_query(two, django_assert_num_queries):
    contest = judged_contest()
    robot = contest.tasks.get(label="R")
    for n in range(6):
        person = add_participant(contest, f"Команда {n}")
        sheet(person, robot, 1, two.host.teacher_a, n * 10, 30)
        sheet(person, robot, 1, two.host.teacher_b, n * 10 + 5, 32)
    with django_assert_num_queries(5):
        board = standings.compute(contest, jury=True)
    assert board.rows[0].cells[0].score == D("52.5")


@pytest.fixture
def two(region):
    return region["two"]


def test_a_sheet_filled_during_the_freeze_is_hidden_from_the_public(two):
    contest = judged_contest()
    contest.freeze_minutes = 60
    contest.save()
    robot = contest.tasks.get(label="R")
    team = add_participant(contest, "Команда один")
    late = sheet(team, robot, 1, two.host.teacher_a, "70")
    Sheet.objects.filter(pk=late.pk).update(created_at=contest.freeze_at() + timedelta(minutes=1))
    board = standings.build(contest, now=contest.freeze_at() + timedelta(minutes=5))
    assert board.frozen and board.rows[0].cells[0].pending == 1
    assert board.rows[0].score == 0
    assert standings.build(contest, jury=True).rows[0].score == D(70)


def test_common_builders_still_used():
    # make_user comes from the shared builders: a judge of its own, without the region.
    judge = common.make_user("judge-x")
    contest = judged_contest()
    team = add_participant(contest, "Команда")
    sheet(team, contest.tasks.get(label="P"), 1, judge, "20")
    assert standings.build(contest, jury=True).rows[0].score == D(20)


def test_a_team_is_shown_publicly_by_its_members_first_names_and_initials():
    from contests.standings import public_names

    assert public_names("Алексеев Артём, Иванова Софья") == "Артём А., Софья И."
    assert public_names("Иванова Софья") == "Софья И."
    assert public_names("") == ""
