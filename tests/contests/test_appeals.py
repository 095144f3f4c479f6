"""Appeals as services: the period, one pending appeal per task, bad input, the jury's answer
with an audited score change (IOI) or a run's new verdict (ICPC), the standings moving, the
participant told; direct score changes."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from assessments.models import Notification
from contests import appeals, score_changes, standings
from contests.models import Appeal, Contest, Run, ScoreChange
from tests.contests.builders import add_participant, add_run, add_task, make_contest

pytestmark = pytest.mark.django_db


def ended_contest(slug="olymp", *, rules=Contest.Rules.IOI, appeals_for=timedelta(days=1), **kw):
    """A round that ended an hour ago, taking appeals for a day."""
    until = timezone.now() + appeals_for if appeals_for is not None else None
    return make_contest(
        slug,
        rules=rules,
        starts_in=timedelta(hours=-4),
        length=timedelta(hours=3),
        tasks=2,
        appeals_until=until,
        **kw,
    )


@pytest.fixture
def two(region):
    return region["two"]


@pytest.fixture
def ioi(two):
    contest = ended_contest()
    pupil = two.visiting.pupils_a[0]
    participant = add_participant(contest, "Петрова Анна", user=pupil)
    task = contest.tasks.get(label="A")
    add_run(participant, task, score=40)
    return contest, participant, task, pupil


def test_a_participant_files_an_appeal_and_a_second_submit_changes_nothing(ioi):
    contest, participant, task, pupil = ioi
    appeal, created = appeals.file_appeal(contest, participant, task, pupil, "  Тест 3 верный  ")
    assert created and appeal.status == Appeal.Status.PENDING
    assert appeal.text == "Тест 3 верный" and appeal.filed_by == pupil
    again, created = appeals.file_appeal(contest, participant, task, pupil, "Другой текст")
    assert not created and again.pk == appeal.pk
    assert Appeal.objects.count() == 1


def test_the_database_holds_one_pending_appeal_per_task(ioi):
    # Whatever writes (an admin, a script), not only file_appeal under its row lock.
    contest, participant, task, pupil = ioi
    Appeal.objects.create(contest=contest, participant=participant, task=task, text="Один")
    with pytest.raises(IntegrityError), transaction.atomic():
        Appeal.objects.create(contest=contest, participant=participant, task=task, text="Два")
    Appeal.objects.create(
        contest=contest, participant=participant, task=task, text="Старая", status="rejected"
    )
    assert Appeal.objects.count() == 2


def test_after_an_answer_a_new_appeal_on_the_same_task_may_be_filed(ioi, two):
    contest, participant, task, pupil = ioi
    appeal, _created = appeals.file_appeal(contest, participant, task, pupil, "Проверьте")
    appeals.answer(appeal, two.host.teacher_a, status="rejected", answer_text="Верно.")
    _second, created = appeals.file_appeal(contest, participant, task, pupil, "Ещё раз")
    assert created


def test_no_appeals_without_an_appeal_deadline(two):
    contest = ended_contest(appeals_for=None)
    participant = add_participant(contest, user=two.visiting.pupils_a[0])
    assert appeals.period(contest, participant) is None
    with pytest.raises(appeals.AppealError, match="не принимает апелляций|takes no appeals"):
        appeals.file_appeal(contest, participant, contest.tasks.first(), None, "Текст")


def test_appeals_open_when_the_window_ends_and_close_at_the_deadline(two, english):
    running = make_contest("live", rules=Contest.Rules.IOI, tasks=1,
                           appeals_until=timezone.now() + timedelta(days=1))  # fmt: skip
    participant = add_participant(running, user=two.visiting.pupils_a[0])
    with pytest.raises(appeals.AppealError, match="Appeals open when your round is over"):
        appeals.file_appeal(running, participant, running.tasks.first(), None, "Текст")
    closed = ended_contest("closed", appeals_for=timedelta(minutes=-1))
    late = add_participant(closed, user=two.visiting.pupils_a[1])
    with pytest.raises(appeals.AppealError, match="Appeals closed"):
        appeals.file_appeal(closed, late, closed.tasks.first(), None, "Текст")


def test_an_individual_window_takes_appeals_once_it_is_over(two):
    contest = make_contest(
        "sirius",
        rules=Contest.Rules.IOI,
        tasks=1,
        window_minutes=30,
        length=timedelta(hours=10),
        appeals_until=timezone.now() + timedelta(days=2),
    )
    done = add_participant(contest, user=two.visiting.pupils_a[0],
                           started_at=timezone.now() - timedelta(minutes=45))  # fmt: skip
    still = add_participant(contest, "Сидоров Олег", user=two.visiting.pupils_a[1],
                            started_at=timezone.now() - timedelta(minutes=10))  # fmt: skip
    task = contest.tasks.first()
    assert appeals.file_appeal(contest, done, task, None, "Текст")[1]
    assert appeals.refusal(contest, still) is not None


def test_bad_appeals_are_refused(ioi, english):
    contest, participant, task, pupil = ioi
    with pytest.raises(appeals.AppealError, match="Write what you think is wrong"):
        appeals.file_appeal(contest, participant, task, pupil, " \u200b \n ")
    with pytest.raises(appeals.AppealError, match="too long"):
        appeals.file_appeal(contest, participant, task, pupil, "ы" * 4001)
    other = ended_contest("other")
    with pytest.raises(appeals.AppealError, match="task of this contest"):
        appeals.file_appeal(contest, participant, other.tasks.first(), pupil, "Текст")
    task.removed_at = timezone.now()
    task.save()
    with pytest.raises(appeals.AppealError, match="removed"):
        appeals.file_appeal(contest, participant, task, pupil, "Текст")
    participant.withdrawn_at = timezone.now()
    with pytest.raises(appeals.AppealError, match="withdrawn"):
        appeals.file_appeal(contest, participant, contest.tasks.get(label="B"), pupil, "Текст")
    assert not Appeal.objects.exists()


def test_only_the_jury_answers(ioi, two, english):
    contest, participant, task, pupil = ioi
    appeal, _ = appeals.file_appeal(contest, participant, task, pupil, "Текст")
    for stranger in (pupil, two.visiting.teacher_a):
        with pytest.raises(appeals.AppealError, match="Only the jury"):
            appeals.answer(appeal, stranger, status="rejected", answer_text="Нет")
    contest.jury.add(two.visiting.teacher_a)  # a named jury member from another school
    appeals.answer(appeal, two.visiting.teacher_a, status="rejected", answer_text="Нет")


def test_a_granted_appeal_changes_the_score_audited_and_moves_the_standings(
    ioi, two, django_capture_on_commit_callbacks
):
    contest, participant, task, pupil = ioi
    jury = two.host.teacher_a
    appeal, _ = appeals.file_appeal(contest, participant, task, pupil, "Тест 3")
    version = Contest.objects.get(pk=contest.pk).standings_version
    with django_capture_on_commit_callbacks(execute=True):
        answered = appeals.answer(
            appeal, jury, status="granted", answer_text="Тест 3 исправлен.", score=Decimal("55.5")
        )
    assert answered.status == Appeal.Status.GRANTED and answered.answered_by == jury
    change = ScoreChange.objects.get()
    assert (change.score_before, change.score) == (Decimal(40), Decimal("55.5"))
    assert change.appeal == appeal and change.changed_by == jury
    assert str(appeal.pk) in change.reason and "Тест 3 исправлен." in change.reason
    contest.refresh_from_db()
    assert contest.standings_version > version
    board = standings.build(contest, jury=True)
    cell = board.rows[0].cells[0]
    assert cell.score == Decimal("55.5") and cell.changed

    # A second correction adds a row; the first stays as it was (the audit trail).
    with django_capture_on_commit_callbacks(execute=True):
        score_changes.change_score(contest, participant, task, jury, reason="Пересчёт", score=50)
    first, second = ScoreChange.objects.order_by("pk")
    assert first.score == Decimal("55.5") and first.score_before == Decimal(40)
    assert second.score_before == Decimal("55.5") and second.score == 50
    contest.refresh_from_db()
    assert standings.build(contest, jury=True).rows[0].score == 50


def test_the_participant_is_told_with_a_link_to_the_appeal(
    ioi, two, django_capture_on_commit_callbacks
):
    contest, participant, task, pupil = ioi
    named = two.visiting.teacher_b
    contest.jury.add(named)
    with django_capture_on_commit_callbacks(execute=True):
        appeal, _ = appeals.file_appeal(contest, participant, task, pupil, "Текст")
    told = Notification.objects.get(user=named)
    assert (
        told.kind == Notification.Kind.EVENT and told.url == f"/contests/olymp/appeals/{appeal.pk}/"
    )
    with django_capture_on_commit_callbacks(execute=True):
        appeals.answer(appeal, two.host.teacher_a, status="rejected", answer_text="Всё верно.")
    mine = Notification.objects.get(user=pupil)
    assert mine.url == f"/contests/olymp/appeals/{appeal.pk}/"
    assert "отклонило" in mine.title or "rejected" in mine.title


def test_bad_answers_change_nothing(ioi, two, english):
    contest, participant, task, pupil = ioi
    jury = two.host.teacher_a
    appeal, _ = appeals.file_appeal(contest, participant, task, pupil, "Текст")
    with pytest.raises(appeals.AppealError, match="Write the answer"):
        appeals.answer(appeal, jury, status="granted", answer_text="  ")
    with pytest.raises(appeals.AppealError, match="Grant or reject"):
        appeals.answer(appeal, jury, status="pending", answer_text="Да")
    with pytest.raises(appeals.AppealError, match="rejected appeal changes no result"):
        appeals.answer(appeal, jury, status="rejected", answer_text="Нет", score=Decimal(1))
    with pytest.raises(appeals.AppealError, match="from 0 to 100"):
        appeals.answer(appeal, jury, status="granted", answer_text="Да", score=Decimal(101))
    with pytest.raises(appeals.AppealError, match="already has this score"):
        appeals.answer(appeal, jury, status="granted", answer_text="Да", score=Decimal(40))
    appeal.refresh_from_db()
    assert appeal.status == Appeal.Status.PENDING and not ScoreChange.objects.exists()
    appeals.answer(appeal, jury, status="granted", answer_text="Да")  # granted, nothing changed
    with pytest.raises(appeals.AppealError, match="already been answered"):
        appeals.answer(appeal, jury, status="rejected", answer_text="Нет")
    assert not ScoreChange.objects.exists()


def test_icpc_a_granted_appeal_changes_a_runs_verdict(two, django_capture_on_commit_callbacks):
    contest = ended_contest("acm", rules=Contest.Rules.ICPC)
    pupil = two.visiting.pupils_a[0]
    participant = add_participant(contest, user=pupil)
    task = contest.tasks.get(label="A")
    wrong = add_run(participant, task, minute=30, verdict="WA")
    assert standings.build(contest, jury=True).rows[0].solved == 0
    appeal, _ = appeals.file_appeal(contest, participant, task, pupil, "Ответ верный")
    jury = two.host.teacher_a
    with pytest.raises(appeals.AppealError):
        appeals.answer(appeal, jury, status="granted", answer_text="Да", verdict="OK")  # no run
    with django_capture_on_commit_callbacks(execute=True):
        appeals.answer(appeal, jury, status="granted", answer_text="Чекер ошибся.", run=wrong,
                       verdict="OK")  # fmt: skip
    change = ScoreChange.objects.get()
    assert (change.run, change.verdict_before, change.verdict) == (wrong, "WA", "OK")
    wrong.refresh_from_db()
    assert wrong.verdict == "OK"
    contest.refresh_from_db()
    row = standings.build(contest, jury=True).rows[0]
    assert row.solved == 1 and row.penalty_minutes == 30 and row.cells[0].changed


def test_icpc_a_run_of_someone_else_or_a_practice_run_is_refused(two, english):
    contest = ended_contest("acm", rules=Contest.Rules.ICPC)
    task = contest.tasks.get(label="A")
    mine = add_participant(contest, user=two.visiting.pupils_a[0])
    theirs = add_participant(contest, "Другой Участник", user=two.visiting.pupils_a[1])
    their_run = add_run(theirs, task, verdict="WA")
    practice = add_run(mine, task, verdict="WA", is_practice=True)
    queued = add_run(mine, task, verdict="")
    Run.objects.filter(pk=queued.pk).update(state=Run.State.QUEUED)
    jury = two.host.teacher_a
    for run in (their_run, practice, queued):
        with pytest.raises(score_changes.ChangeError, match="not a judged run"):
            score_changes.change_score(contest, mine, task, jury, reason="Р", run=run, verdict="OK")
    assert not ScoreChange.objects.exists()


def test_a_direct_change_needs_a_reason(ioi, two, english):
    contest, participant, task, _pupil = ioi
    with pytest.raises(score_changes.ChangeError, match="Say why"):
        score_changes.change_score(contest, participant, task, two.host.teacher_a, reason=" ",
                                   score=Decimal(60))  # fmt: skip
    assert not ScoreChange.objects.exists()


def test_a_judged_task_whose_runs_add_up_may_score_beyond_one_run(two):
    contest = ended_contest("robots", rules=Contest.Rules.JUDGED)
    task = add_task(contest, "R", max_score=Decimal(10), runs_allowed=3, runs_count="sum")
    assert score_changes.highest_score(task) == 30
    assert score_changes.highest_score(contest.tasks.get(label="A")) == 100


@pytest.mark.parametrize(
    ("typed", "value"),
    [
        ("7,5", Decimal("7.5")),
        (" 10 ", Decimal(10)),
        ("1e2", Decimal(100)),
        ("", None),
        ("abc", None),
        ("nan", None),
        ("inf", None),
    ],  # fmt: skip
)
def test_scores_typed_by_the_jury(typed, value):
    assert score_changes.parse_score(typed) == value
