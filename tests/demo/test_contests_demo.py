"""The demo's contests (demo/content/contests.toml, demo/contests*.py) after `load_demo`: a
programming olympiad held a week and a half ago with its frozen board unfrozen, an appeal
granted, results and diplomas; a robotics competition in two weeks with teams of two schools;
a quiz olympiad's school stage open now, pupil1 registered and free to press Start, pupil2's
window running with answers saved. Loading again adds nothing; on a later day every contest
moves with the calendar.

The demo is loaded once, by test_events_demo's shared scenario (the same layer serves both
modules, which run one after the other): without the programming exercises' judging. The
programs of the olympiad's runs are judged in the real sandbox here once, to check that what the
demo stores for them is what the judge says."""

import shutil
from datetime import timedelta
from decimal import Decimal
from unittest import mock

import pytest
from django.utils import timezone

from assessments.models import Notification
from assessments.programming import judge, languages
from assessments.programming.spec import Verdict
from contests import standings, timing
from contests.models import (
    Appeal,
    Award,
    Contest,
    Criterion,
    JudgeAssignment,
    Member,
    Participant,
    Run,
    ScoreChange,
    Task,
)
from demo import contests as demo_contests
from demo import contests_past
from demo import events as demo_events
from demo.manifests import CONTENT_DIR
from lms.models import School, User
from tests.demo import test_events_demo as events_demo

# test_events_demo's shared load: one layer for both modules (pytest finds fixtures by name).
demo, loaded, load = events_demo.demo, events_demo.loaded, events_demo.load

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

DATA = demo_contests.manifest()
HELD, UPCOMING, OPEN = "city-programming-olympiad", "robofest-trajectory", "school-stage-physics"
Source = Participant.Source


def contest(slug: str) -> Contest:
    return Contest.objects.get(slug=slug)


def member(slug: str, username: str) -> Participant:
    return Member.objects.get(contest__slug=slug, user__username=username).participant


def board(slug: str, category: str, *, jury: bool = True) -> list[tuple]:
    found = contest(slug)
    category_id = found.categories.get(name=category).pk
    rows = standings.build(found, category_id=category_id, jury=jury).rows
    return [(row.rank, row.rank_to, row.name, row.score) for row in rows]


def snapshot() -> dict:
    return {
        "contests": sorted(
            Contest.objects.values_list(
                "slug",
                "starts_at",
                "ends_at",
                "registration_closes_at",
                "appeals_until",
                "unfrozen_at",
                "results_published_at",
            )
        ),  # fmt: skip
        "tasks": sorted(Task.objects.values_list("contest__slug", "label", "max_score")),
        "criteria": Criterion.objects.count(),
        "judges": JudgeAssignment.objects.count(),
        "participants": sorted(
            Participant.objects.values_list(
                "contest__slug",
                "name",
                "team_name",
                "code",
                "source",
                "registered_at",
                "started_at",
                "withdrawn_at",
            )
        ),  # fmt: skip
        "members": Member.objects.count(),
        "runs": sorted(
            Run.objects.values_list(
                "participant__name", "task__label", "submitted_at", "verdict", "score"
            )
        ),
        "appeals": sorted(Appeal.objects.values_list("status", "filed_at", "answered_at")),
        "changes": sorted(ScoreChange.objects.values_list("score_before", "score", "changed_at")),
        "awards": sorted(Award.objects.values_list("participant__name", "award", "given_at")),
        "certificates": sorted(
            contests_past.certificates_of(contest(HELD)).values_list(
                "code", "kind", "award", "held_on", "issued_at", "revoked_at"
            )
        ),
        "told": sorted(
            Notification.objects.filter(key__startswith="contest-").values_list(
                "user__username", "key", "created_at", "read_at"
            )
        ),
    }


# --- The manifest -----------------------------------------------------------------------------


def test_the_manifest_has_no_mistakes_and_three_contests_in_their_states():
    assert demo_contests.problems() == []
    rows = {row["slug"]: row for row in DATA["contests"]}
    assert set(rows) == {HELD, UPCOMING, OPEN}
    assert rows[HELD]["held"] and rows[HELD]["day"] + 14 >= 0 and rows[HELD]["day"] <= -7
    assert 7 <= rows[UPCOMING]["day"] <= 21
    assert rows[OPEN]["day"] == -1 and rows[OPEN]["days"] == 8  # yesterday to 6 days ahead


def test_mistakes_in_the_manifest_are_named(tmp_path):
    root = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, root)
    text = (root / "contests.toml").read_text(encoding="utf-8")
    text = text.replace('["B", 27, "warmest-day/last-day"]', '["B", 27, "warmest-day/nope"]')
    text = text.replace('verdicts = { 6 = "WA" }', 'verdicts = { 1 = "WA" }')
    text = text.replace('pupils = ["pupil6", "pupil7"]', 'pupils = ["pupil6", "pupil1"]', 1)
    text = text.replace('title = "Формула закона Ома"', 'title = "Нет такого"')
    text = text.replace('rules = "judged"', 'rules = "chess"')
    (root / "contests.toml").write_text(text, encoding="utf-8")
    (root / "contests" / "forgotten.md").write_text("Текст", encoding="utf-8")
    found = "\n".join(demo_contests.problems(root))
    assert "no source 'warmest-day/nope' in [[sources]]" in found
    assert "test 1 is an example" in found
    assert "'pupil1' is not in 'Программирование — 2'" in found
    assert "no question 'Нет такого' in the bank of 'science-lab'" in found
    assert "robofest-trajectory: rules 'chess' is not one of" in found
    assert "contests/forgotten.md: no contest in contests.toml has this slug" in found


@pytest.mark.parametrize("key", sorted(DATA["sources"]))
def test_a_run_s_program_gets_in_the_sandbox_the_verdicts_the_demo_stores(key):
    source = DATA["sources"][key]
    spec = contests_past.specs({key: source})[source["problem"]]
    language = languages.default(source.get("language", "python"))
    real = judge.judge(spec, language, source["code"].lstrip("\n"))
    stored = contests_past.judgement_of(source, spec, seed=1)
    assert real.verdict == stored.verdict, real.compile_output or real.message
    assert [t.verdict for t in real.tests] == [t.verdict for t in stored.tests]
    if real.verdict is Verdict.CE:
        assert real.compile_output.strip() == stored.compile_output.strip()


# --- The olympiad held ------------------------------------------------------------------------


def test_the_held_olympiad_ended_with_its_board_unfrozen_and_results_published(loaded):
    held = contest(HELD)
    now = timezone.now()
    assert now - timedelta(days=14) < held.starts_at < held.ends_at < now - timedelta(days=7)
    assert (held.rules, held.best_per_subtask, held.freeze_minutes) == ("ioi", True, 30)
    assert held.ends_at < held.unfrozen_at < held.results_published_at < now
    assert held.appeals_until < held.results_published_at
    tasks = held.tasks.order_by("order").select_related("problem")
    assert [t.label for t in tasks] == ["A", "B", "C", "D", "E"]
    assert all(t.problem is not None and t.problem.course.slug == "python-basics" for t in tasks)
    assert tasks.get(label="E").problem.title == "Гири для робота"  # the subtasks problem
    # Host pupils registered by their teachers before the round; the visiting school's older
    # pupils by codes, without accounts; pupil12 did not come and was withdrawn.
    people = Participant.objects.filter(contest=held)
    assert people.count() == 15
    assert all(p.registered_at < held.starts_at for p in people)
    coded = people.filter(source=Source.CODE)
    visiting = School.objects.get(kind=School.Kind.VISITING)
    assert {p.school_id for p in coded} == {visiting.pk} and coded.count() == 3
    assert not Member.objects.filter(participant__in=coded).exists()
    teachers = set(people.filter(source=Source.TEACHER).values_list("registered_by__username"))
    assert teachers == {("teacher1",), ("teacher2",), ("guest_teacher",)}
    assert member(HELD, "pupil12").withdrawn_at is not None
    # Runs over the whole round, some in the frozen last half hour.
    runs = Run.objects.filter(contest=held)
    assert runs.count() == sum(len(entry["runs"]) for entry in DATA["contests"][0]["runs"])
    assert set(runs.values_list("state", flat=True)) == {"done"}
    assert {"OK", "WA", "TLE", "CE"} <= set(runs.values_list("verdict", flat=True))
    assert runs.filter(submitted_at__gte=held.freeze_at()).count() >= 4
    assert all(r.submitted_at - held.starts_at == timedelta(seconds=r.time_seconds) for r in runs)


def test_the_stored_runs_are_what_the_judge_would_store(loaded):
    weights = Run.objects.filter(contest__slug=HELD, task__label="E")
    overflow = weights.get(participant=member(HELD, "pupil6"), verdict="WA")
    assert overflow.language.code == "cpp" and "int pairs = 0" in overflow.code
    assert [Decimal(s) for s in overflow.subtask_scores] == [30, 0]
    assert (overflow.score, overflow.tests_passed, overflow.tests_total) == (30, 11, 13)
    assert [row["verdict"] for row in overflow.details][8:10] == ["WA", "WA"]
    examples = [row for row in overflow.details if row["is_example"]]
    assert [row["number"] for row in examples] == [1, 2] and examples[0]["output"] == "3\n"
    wrong_language = weights.get(participant=member(HELD, "pupil10"))
    assert (wrong_language.verdict, wrong_language.score) == ("CE", 0)
    assert "does not name a type" in wrong_language.compile_output
    loop = Run.objects.filter(contest__slug=HELD, task__label="C", verdict="TLE").first()
    assert loop.score == 75 and loop.details[6]["time_s"] > 1


def test_the_standings_of_the_held_olympiad_rank_each_category(loaded):
    assert board(HELD, "Младшая группа") == [
        (1, 1, "Павлова Милана", 500),
        (2, 2, "Кузнецов Артём", 430),
        (3, 3, "Иванова Софья", Decimal("362.5")),
        (4, 4, "Козлов Даниил", 275),
        (5, 5, "Попова Алиса", Decimal("187.5")),
        (6, 7, "Морозов Лев", Decimal("185.71")),
        (6, 7, "Соколов Максим", Decimal("185.71")),
        (None, None, "Степанова Полина", 0),
    ]
    assert [row[2] for row in board(HELD, "Старшая группа")] == [
        "Новикова Ева", "Зуева Дарья", "Фёдоров Матвей", "Лебедева Варвара", "Кириллов Егор",
        "Орлов Никита", "Егоров Тимофей",
    ]  # fmt: skip
    # The public sees first names, initials and schools, unfrozen now.
    public = board(HELD, "Младшая группа", jury=False)
    assert public[:2] == [(1, 1, "Милана П.", 500), (2, 2, "Артём К.", 430)]
    # While frozen, the last half hour's runs were pending: pupil1's formula for C at minute
    # 158 was not on the public board yet.
    held = contest(HELD)
    held.unfrozen_at = None
    frozen = standings.compute(held, category_id=member(HELD, "pupil1").category_id, frozen=True)
    row = next(r for r in frozen.rows if r.name == "Артём К.")
    cell = row.cells[2]
    assert (cell.score, cell.pending) == (75, 1)


def test_an_appeal_was_granted_with_an_audited_score_change_and_one_rejected(loaded):
    granted = Appeal.objects.get(participant=member(HELD, "pupil10"))
    held = contest(HELD)
    assert granted.status == "granted" and granted.task.label == "E"
    assert held.ends_at < granted.filed_at < granted.answered_at < held.appeals_until
    change = ScoreChange.objects.get(appeal=granted)
    assert (change.score_before, change.score, change.changed_by.username) == (0, 100, "methodist")
    assert change.changed_at == granted.answered_at
    rejected = Appeal.objects.get(participant=member(HELD, "pupil7"))
    assert rejected.status == "rejected" and not rejected.score_changes.exists()
    told = Notification.objects.get(user__username="pupil10", key__startswith="contest-appeal:")
    assert told.created_at == granted.answered_at and told.read_at is not None


def test_awards_and_diplomas_by_the_rules_in_each_category(loaded):
    awards = dict(
        Award.objects.filter(participant__contest__slug=HELD).values_list(
            "participant__name", "award"
        )
    )
    winners = {name: award for name, award in awards.items() if award}
    assert winners == {
        "Павлова Милана": "Победитель",
        "Кузнецов Артём": "Призёр",
        "Новикова Ева": "Победитель",
        "Зуева Дарья": "Призёр",
    }
    assert len(awards) == 14  # everyone who came; pupil12 did not
    held = contest(HELD)
    issued = contests_past.certificates_of(held)
    assert issued.count() == 14 and not issued.filter(revoked_at__isnull=False).exists()
    diploma = issued.get(user__username="pupil1")
    assert (diploma.kind, diploma.award, diploma.holder_public_name) == (
        "diploma",
        "Призёр",
        "Артём К.",
    )
    assert diploma.title == held.title and diploma.issued_at == held.results_published_at
    coded = issued.get(holder_name="Зуева Дарья")
    assert coded.user is None and coded.school_name == "Школа № 12 г. Тольятти"
    assert set(issued.exclude(award="").values_list("kind", flat=True)) == {"diploma"}


# --- The robotics competition, upcoming ------------------------------------------------------


def test_the_robotics_competition_is_upcoming_with_teams_of_two_schools(loaded):
    robots = contest(UPCOMING)
    now = timezone.now()
    assert now + timedelta(days=7) < robots.starts_at < now + timedelta(days=21)
    assert (robots.kind, robots.rules, robots.teams, robots.team_size) == (
        "robotics",
        "judged",
        True,
        2,
    )
    assert robots.registration_closes_at > now  # teachers may still register teams
    assert [c.name for c in robots.categories.all()] == ["Юниоры", "Старшие"]
    teams = Participant.objects.filter(contest=robots)
    by_teacher = {}
    for team in teams:
        by_teacher.setdefault(team.registered_by.username, []).append(team)
    assert len(by_teacher["teacher1"]) >= 2 and len(by_teacher["guest_teacher"]) >= 2
    schools = {team.school.kind for team in teams}
    assert schools == {School.Kind.HOST, School.Kind.VISITING}
    molniya = teams.get(team_name="Молния")
    assert set(molniya.members.values_list("user__username", flat=True)) == {"pupil1", "pupil2"}
    task = robots.tasks.get()
    assert (task.kind, task.runs_allowed, task.runs_count, task.tie_break) == (
        "judged",
        2,
        "best",
        "runs_time",
    )
    lines = list(task.criteria.values_list("name", "kind", "points", "max_count"))
    assert ("Участок трассы пройден", "item", 10, 5) in lines
    assert {kind for _name, kind, *_ in lines} == {"item", "penalty", "time"}
    assert task.max_score == 70  # start 5, five segments 50, finish 15
    judges = set(JudgeAssignment.objects.filter(contest=robots).values_list("user__username"))
    assert judges == {("teacher1",), ("guest_teacher",)}


# --- The quiz olympiad, open now ------------------------------------------------------------


def test_the_quiz_round_is_open_pupil1_may_start_and_pupil2_s_window_runs(loaded):
    quiz = contest(OPEN)
    now = timezone.now()
    assert quiz.starts_at < now < quiz.ends_at and quiz.window_minutes == 45
    tasks = list(quiz.tasks.select_related("question__question"))
    assert len(tasks) == 8 and all(t.kind == "quiz" and t.question_id for t in tasks)
    assert all(t.question.pk == t.question.question.latest_id for t in tasks)  # fixed versions
    pupil1 = member(OPEN, "pupil1")
    assert pupil1.started_at is None and timing.may_start(quiz, pupil1, now)
    pupil2 = member(OPEN, "pupil2")
    assert timing.window(quiz, pupil2).is_open(now)
    answers = Run.objects.filter(participant=pupil2).order_by("time_seconds")
    assert answers.count() == 5 and all(r.submitted_at <= now for r in answers)
    assert list(answers.values_list("verdict", flat=True)) == ["OK", "OK", "WA", "OK", "OK"]
    assert board(OPEN, "Младшие")[0] == (1, 1, "Иванова Софья", 6)
    codes = Participant.objects.filter(contest=quiz, source=Source.CODE)
    assert codes.count() == 5 and {p.school.kind for p in codes} == {School.Kind.VISITING}
    assert set(codes.values_list("registered_by__username", flat=True)) == {"guest_teacher"}


def test_the_contest_pages_open_for_pupils_teachers_and_the_methodist(loaded, client):
    slugs = (HELD, UPCOMING, OPEN)
    for username in ("pupil1", "teacher1", "guest_teacher", "methodist"):
        client.force_login(User.objects.get(username=username))
        index = client.get("/contests/")
        assert index.status_code == 200
        for slug in slugs:
            assert contest(slug).title in index.content.decode(), (username, slug)
            page = client.get(f"/contests/{slug}/")
            assert page.status_code == 200, (username, slug)
        assert client.get(f"/contests/{HELD}/standings/").status_code == 200, username
    client.force_login(User.objects.get(username="pupil1"))
    assert "Призёр" in client.get(f"/contests/{HELD}/my-result/").content.decode()
    assert f"/contests/{OPEN}/start/" in client.get(f"/contests/{OPEN}/").content.decode()
    client.force_login(User.objects.get(username="guest_teacher"))
    sheet = client.get(f"/contests/{OPEN}/codes/print/").content.decode()
    assert "Зуева Дарья" in sheet and "Кузнецов" not in sheet
    client.force_login(User.objects.get(username="methodist"))
    for path in ("jury/", "results/", "participants/", "appeals/", "protocol/"):
        assert client.get(f"/contests/{HELD}/{path}").status_code == 200, path
    assert client.get(f"/contests/{UPCOMING}/sheets/").status_code == 200


# --- Loading again --------------------------------------------------------------------------


def test_loading_again_adds_nothing(loaded):
    before = snapshot()
    output = load()
    assert snapshot() == before
    # The summary line, before the events' one and the invite codes.
    line = loaded["output"].splitlines()[-3]
    assert line == (
        "Contests: 3 (1 held with 4 diplomas and 10 certificates, 1 upcoming with 5 teams, "
        "1 open now with 1 started) at /contests/"
    )
    assert line in output


def test_on_a_later_day_the_contests_move_with_the_calendar(loaded):
    before = snapshot()
    later = demo_events.today() + timedelta(days=3)
    with mock.patch.object(demo_events, "today", lambda: later):
        load()
    after = snapshot()
    three = timedelta(days=3)
    for old, new in zip(before["contests"], after["contests"], strict=True):
        moved = [b - a for a, b in zip(old[1:], new[1:], strict=True) if a is not None]
        assert moved and set(moved) == {three}, old[0]
    for name in ("runs", "appeals", "changes", "awards", "participants", "certificates"):
        assert len(after[name]) == len(before[name]), name
    held_people = [
        (old, new)
        for old, new in zip(before["participants"], after["participants"], strict=True)
        if old[0] == HELD
    ]
    for index in (5, 7):  # registered_at, withdrawn_at
        moved = {new[index] - old[index] for old, new in held_people if old[index]}
        assert moved == {three}, index
    assert {b[1] - a[1] for a, b in zip(before["appeals"], after["appeals"], strict=True)} == {
        three
    }
    assert {b[2] - a[2] for a, b in zip(before["awards"], after["awards"], strict=True)} == {three}
    held_runs = Run.objects.filter(contest__slug=HELD)
    assert all(r.submitted_at - r.contest.starts_at == timedelta(seconds=r.time_seconds)
               for r in held_runs.select_related("contest"))  # fmt: skip
    # The diplomas bear the new dates; pupil2's open round never moved into the future.
    held = contest(HELD)
    dates = {c.held_on for c in contests_past.certificates_of(held)}
    assert dates == {contests_past.diplomas.held_on(held)}
    assert member(OPEN, "pupil2").started_at <= timezone.now()
    assert after["told"] != before["told"] and len(after["told"]) == len(before["told"])
