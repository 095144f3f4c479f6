"""Sending runs during the round (contests.submitting): programs and quiz answers, the
participant's window, practice after the end, and the bad input the issue lists (submitting
after one's window, a task removed mid-round), with nothing stored on a refusal."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import QueryDict
from django.utils import timezone

from assessments.programming.models import ProgrammingLanguage
from assessments.quiz import questions
from assessments.quiz.spec import Answer, QType, QuestionSpec
from contests import submitting
from contests.models import Run, Task
from contests.submitting import RunRefused
from tests.assessments.programming.builders import SUM_PY, make_problem
from tests.concurrency import at_once
from tests.contests.builders import add_participant, add_task, make_contest

pytestmark = pytest.mark.django_db


def quiz_version(spec: QuestionSpec | None = None):
    spec = spec or QuestionSpec(
        qtype=QType.MULTIPLE,
        title="Датчики",
        text="Что из этого датчики?",
        answers=[Answer("Гироскоп", 0.5), Answer("Энкодер", 0.5), Answer("Мотор", -0.5)],
    )
    category = questions.category_at(None, "Олимпиада")
    return questions.create_question(category, spec, None).latest


def setup_round(**contest_fields):
    """An IOI contest that started an hour ago (3 h long): task A a program (A + B), task B a
    quiz question (multiple choice), one participant."""
    contest = make_contest(rules="ioi", **contest_fields)
    program = add_task(contest, "A", kind=Task.Kind.PROGRAMMING, problem=make_problem())
    quiz = add_task(contest, "B", kind=Task.Kind.QUIZ, question=quiz_version(), max_score=10)
    participant = add_participant(contest)
    return contest, program, quiz, participant


def send(contest, participant, task, source=SUM_PY, language="python", now=None):
    return submitting.submit_code(contest, participant, task, None, language, source, now=now)


def answer(contest, participant, task, now=None, **fields):
    data = QueryDict(mutable=True)
    for key, value in fields.items():
        data.setlist(key, value if isinstance(value, list) else [value])
    return submitting.answer_quiz(contest, participant, task, None, data, now=now)


def test_a_program_in_the_window_is_queued_with_its_contest_time():
    contest, program, _quiz, participant = setup_round()
    now = contest.starts_at + timedelta(minutes=61, seconds=5)
    run = send(
        contest, participant, program, "a, b = map(int, input().split())\r\nprint(a+b)", now=now
    )
    assert (run.state, run.is_practice, run.source) == ("queued", False, "submitted")
    assert run.time_seconds == 61 * 60 + 5 and run.submitted_at == now
    assert run.language.code == "python" and "\r" not in run.code
    assert run.contest_id == contest.pk and run.verdict == ""


def test_an_individual_window_counts_from_the_participant_start():
    contest, program, _quiz, participant = setup_round(window_minutes=90)
    participant.started_at = contest.starts_at + timedelta(minutes=30)
    participant.save()
    run = send(contest, participant, program, now=contest.starts_at + timedelta(minutes=40))
    assert run.time_seconds == 600


@pytest.mark.parametrize("who", ["nobody", "other contest", "withdrawn"])
def test_only_a_participant_of_this_contest_may_send(english, who):
    contest, program, _quiz, participant = setup_round()
    if who == "nobody":
        participant = None
    elif who == "other contest":
        participant = add_participant(make_contest("other"))
    else:
        participant.withdrawn_at = timezone.now()
        participant.save()
    with pytest.raises(RunRefused, match="do not take part"):
        send(contest, participant, program)
    assert not Run.objects.exists()


def test_a_task_of_another_contest_is_refused():
    contest, _program, _quiz, participant = setup_round()
    other = make_contest("other")
    foreign = add_task(other, "A", kind=Task.Kind.PROGRAMMING, problem=make_problem())
    with pytest.raises(RunRefused):
        send(contest, participant, foreign)
    assert not Run.objects.exists()


def test_a_task_removed_mid_round_takes_no_more_runs(english):
    contest, program, quiz, participant = setup_round()
    first = send(contest, participant, program)
    Task.objects.filter(pk__in=[program.pk, quiz.pk]).update(removed_at=timezone.now())
    program.refresh_from_db()
    quiz.refresh_from_db()
    with pytest.raises(RunRefused, match="removed"):
        send(contest, participant, program, source=SUM_PY + "\n")
    with pytest.raises(RunRefused, match="removed"):
        answer(contest, participant, quiz, q1=["0"])
    assert list(Run.objects.values_list("pk", flat=True)) == [first.pk]  # kept, not deleted


def test_before_the_start_nothing_is_taken(english):
    contest, program, quiz, participant = setup_round(starts_in=timedelta(hours=1))
    with pytest.raises(RunRefused, match="not started"):
        send(contest, participant, program)
    with pytest.raises(RunRefused, match="not started"):
        answer(contest, participant, quiz, q1=["0"])
    assert not Run.objects.exists()


def test_an_individual_window_not_started_asks_to_press_start(english):
    contest, program, _quiz, participant = setup_round(window_minutes=60)
    with pytest.raises(RunRefused, match="Press Start"):
        send(contest, participant, program)


def test_after_ones_window_a_run_is_refused_and_nothing_is_saved(english):
    contest, program, quiz, participant = setup_round(window_minutes=60)
    participant.started_at = contest.starts_at
    participant.save()  # started an hour ago: the window just closed
    with pytest.raises(RunRefused, match="Your time is over"):
        send(contest, participant, program)
    with pytest.raises(RunRefused, match="Practice opens"):
        answer(contest, participant, quiz, q1=["0"])
    assert not Run.objects.exists()


def test_after_the_end_without_practice_a_run_is_refused(english):
    contest, program, _quiz, participant = setup_round(
        starts_in=timedelta(hours=-4), practice_after_end=False
    )
    with pytest.raises(RunRefused, match="Your time is over"):
        send(contest, participant, program)
    assert not Run.objects.exists()


def test_after_the_end_with_practice_a_run_is_practice():
    contest, program, quiz, participant = setup_round(starts_in=timedelta(hours=-4))
    run = send(contest, participant, program)
    assert run.is_practice and run.state == "queued"
    quiz_run = answer(contest, participant, quiz, q1=["0", "1"])
    assert quiz_run.is_practice and quiz_run.verdict == "OK"


def test_extra_time_keeps_the_window_open_past_the_end():
    contest, program, _quiz, participant = setup_round(starts_in=timedelta(hours=-3, minutes=-5))
    participant.extra_minutes = 15
    participant.save()
    run = send(contest, participant, program)
    assert not run.is_practice


def test_a_language_the_problem_does_not_take_is_refused(english):
    contest, program, _quiz, participant = setup_round()
    with pytest.raises(RunRefused, match="language"):
        send(contest, participant, program, language="java")
    ProgrammingLanguage.objects.filter(code="cpp").update(is_enabled=False)
    with pytest.raises(RunRefused, match="language"):
        send(contest, participant, program, language="cpp", source="int main() {}")
    assert not Run.objects.exists()


@pytest.mark.parametrize(
    ("source", "fragment"),
    [
        ("x" * (1024 * 1024 + 1), "1024"),
        ("print(1)\x00", "NUL"),
        ("   \n", "Write"),
        ("print('\ud800')", "not text"),
    ],
)
def test_bad_code_is_refused(english, source, fragment):
    contest, program, _quiz, participant = setup_round()
    with pytest.raises(RunRefused, match=fragment):
        send(contest, participant, program, source=source)
    assert not Run.objects.exists()


def test_a_quiz_task_takes_no_program_and_a_task_without_problem_none(english):
    contest, _program, quiz, participant = setup_round()
    with pytest.raises(RunRefused, match="does not take programs"):
        send(contest, participant, quiz)
    empty = add_task(contest, "C", kind=Task.Kind.PROGRAMMING)
    with pytest.raises(RunRefused, match="no problem"):
        send(contest, participant, empty)


def test_a_double_click_makes_one_run_and_the_rate_limit_holds(english):
    contest, program, _quiz, participant = setup_round()
    now = timezone.now()
    first = send(contest, participant, program, now=now)
    again = send(contest, participant, program, now=now + timedelta(seconds=2))
    assert again.pk == first.pk
    with pytest.raises(RunRefused, match="wait 5 s"):
        send(contest, participant, program, SUM_PY + "# v2\n", now=now + timedelta(seconds=6))
    later = send(contest, participant, program, SUM_PY + "# v2\n", now=now + timedelta(seconds=11))
    assert later.pk != first.pk and Run.objects.count() == 2


def test_an_uploaded_file_is_read_as_text(english):
    upload = SimpleUploadedFile("main.py", "\ufeffprint('привет')\n".encode())
    assert submitting.source_from_upload(upload) == "print('привет')\n"
    with pytest.raises(RunRefused, match="not a text file"):
        submitting.source_from_upload(SimpleUploadedFile("a.out", b"\x7fELF\xff\xfe\x00"))
    with pytest.raises(RunRefused, match="longer"):
        submitting.source_from_upload(SimpleUploadedFile("big.py", b"#" * (1024 * 1024 + 1)))


def test_a_quiz_answer_is_marked_at_once_and_the_last_one_is_kept():
    contest, _program, quiz, participant = setup_round()
    now = timezone.now()
    right = answer(contest, participant, quiz, now=now, q1=["0", "1"])
    assert (right.state, right.verdict, right.score) == ("done", "OK", Decimal(10))
    assert right.answer == {"choices": [0, 1]} and right.time_seconds >= 3600
    same = answer(contest, participant, quiz, now=now + timedelta(seconds=1), q1=["1", "0"])
    assert same.pk == right.pk  # the same answer again changes nothing
    partly = answer(contest, participant, quiz, now=now + timedelta(seconds=2), q1=["0"])
    assert (partly.verdict, partly.score) == ("PT", Decimal(5))
    wrong = answer(contest, participant, quiz, now=now + timedelta(seconds=3), q1=["2"])
    assert (wrong.verdict, wrong.score) == ("WA", Decimal(0))
    cleared = answer(
        contest, participant, quiz, now=now + timedelta(seconds=4), **{"q1-present": "1"}
    )
    assert cleared.answer == {"choices": []} and cleared.verdict == "WA"
    assert Run.objects.filter(task=quiz).count() == 4


def test_an_unreadable_or_hand_marked_answer_is_refused(english):
    contest, _program, quiz, participant = setup_round()
    with pytest.raises(RunRefused, match="cannot be read"):
        answer(contest, participant, quiz, other="1")
    essay = add_task(
        contest,
        "E",
        kind=Task.Kind.QUIZ,
        question=quiz_version(QuestionSpec(qtype=QType.ESSAY, title="Эссе", text="Опишите.")),
    )
    with pytest.raises(RunRefused, match="automatically"):
        answer(contest, participant, essay, q1="Мой робот")
    assert not Run.objects.exists()


def test_too_many_answers_in_a_minute_are_refused(english, settings):
    settings.CONTESTS_ANSWERS_PER_MINUTE = 2
    contest, _program, quiz, participant = setup_round()
    now = timezone.now()
    answer(contest, participant, quiz, now=now, q1=["0"])
    answer(contest, participant, quiz, now=now, q1=["1"])
    with pytest.raises(RunRefused, match="too many"):
        answer(contest, participant, quiz, now=now, q1=["2"])


def test_a_counted_answer_moves_the_standings_on_commit(django_capture_on_commit_callbacks):
    contest, _program, quiz, participant = setup_round()
    before = contest.standings_version
    with django_capture_on_commit_callbacks(execute=True):
        answer(contest, participant, quiz, q1=["0"])
    contest.refresh_from_db()
    assert contest.standings_version == before + 1


def test_quiz_scores_are_fractions_of_the_task_points():
    assert submitting.quiz_score(1 / 3, Decimal(100)) == Decimal("33.3333333333")
    assert submitting.quiz_score(0.9999999, Decimal(7)) == Decimal(7)
    assert submitting.quiz_score(-0.5, Decimal(7)) == Decimal(0)
    assert [submitting.quiz_verdict(f) for f in (1.0, 0.5, 0.0)] == ["OK", "PT", "WA"]


# --- real concurrent transactions (PostgreSQL; SQLite serialises writers) ---------------------


def _at_once(count: int, work) -> list:
    results, errors = at_once(count, work)
    return results + errors


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_clicks_at_once_make_one_run():
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("needs real concurrent transactions (PostgreSQL); SQLite serialises writers")
    contest, program, _quiz, participant = setup_round()
    same = _at_once(4, lambda n: send(contest, participant, program).pk)
    assert len(set(same)) == 1 and Run.objects.count() == 1
    Run.objects.all().delete()
    outcomes = _at_once(4, lambda n: send(contest, participant, program, SUM_PY + f"# {n}\n"))
    made = [o for o in outcomes if isinstance(o, Run)]
    refused = [o for o in outcomes if isinstance(o, RunRefused)]
    assert len(made) == 1 and len(refused) == 3 and Run.objects.count() == 1
