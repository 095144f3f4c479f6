"""The round's pages: a task (statements never before the start, only in one's window or after
the end, always for the jury), sending from the page, one's runs and one run (another's answers
404), quiz answers that show no right or wrong during the round, and their query counts."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from contests.models import Criterion, Run, Task
from contests.permissions import SESSION_CODES
from tests.assessments.programming.builders import SUM_PY, make_problem
from tests.contests.builders import add_participant, add_run, add_task, make_contest
from tests.contests.test_submitting import quiz_version

pytestmark = pytest.mark.django_db

STATEMENT = "Даны два целых числа"


def task_url(contest, label="A"):
    return reverse("contests:task", args=[contest.slug, label])


def submit_url(contest, label="A"):
    return reverse("contests:submit", args=[contest.slug, label])


def run_url(contest, run):
    return reverse("contests:run", args=[contest.slug, run.pk])


def setup_round(region, rules="ioi", **fields):
    """Task A a program, B a quiz question, C judged on the field; the host's first pupil takes
    part."""
    two = region["two"]
    contest = make_contest(rules=rules, **fields)
    add_task(contest, "A", kind=Task.Kind.PROGRAMMING, problem=make_problem(), title="Сумма")
    add_task(contest, "B", kind=Task.Kind.QUIZ, question=quiz_version(), title="Датчики")
    judged = add_task(contest, "C", title="Робот", statement="Проехать по **линии**.")
    Criterion.objects.create(task=judged, name="Финиш", points=10)
    pupil = two.host.pupils_a[0]
    participant = add_participant(contest, "Петров Пётр", user=pupil)
    return contest, participant, pupil


def main_of(response) -> str:
    html = response.content.decode()
    return html[html.index('<main id="main"') : html.index("</main>")]


def test_before_the_start_no_statement_leaks(client, region):
    contest, _participant, pupil = setup_round(region, starts_in=timedelta(hours=1))
    assert client.get(task_url(contest)).status_code == 404
    client.force_login(pupil)
    assert client.get(task_url(contest)).status_code == 404
    client.force_login(region["two"].host.teacher_a)  # park staff: the jury
    response = client.get(task_url(contest))
    assert response.status_code == 200 and STATEMENT in response.content.decode()


def test_a_participant_sees_the_task_the_side_list_and_the_countdown(client, region):
    contest, _participant, pupil = setup_round(region)
    client.force_login(pupil)
    response = client.get(task_url(contest))
    assert response.status_code == 200
    main = main_of(response)
    assert STATEMENT in main and "2 3" in main  # the statement and an example
    assert "data-code-editor" in main and 'name="file"' in main
    assert "data-round-clock" in main and 'data-seconds-left="' in main
    seconds = int(re.search(r'data-seconds-left="(\d+)"', main).group(1))
    assert 2 * 3600 - 60 < seconds <= 2 * 3600  # the fixed window ends in two hours
    for label in ("A", "B", "C"):
        assert task_url(contest, label) in main
    # Only the contest's own pages are linked from the round.
    links = re.findall(r'href="([^"]+)"', main)
    assert links and all(link.startswith("/contests/") or link.startswith("?") for link in links)
    assert "contest-in-round" in response.content.decode()


def test_an_individual_window_not_started_shows_no_statement(client, region, english):
    contest, _participant, pupil = setup_round(region, window_minutes=60)
    client.force_login(pupil)
    response = client.get(task_url(contest))
    assert response.status_code == 200
    assert STATEMENT not in response.content.decode() and "Start" in response.content.decode()


def test_after_ones_window_the_statement_waits_for_the_end(client, region):
    contest, participant, pupil = setup_round(region, window_minutes=30)
    participant.started_at = contest.starts_at
    participant.save()
    client.force_login(pupil)
    assert STATEMENT not in client.get(task_url(contest)).content.decode()


def test_after_the_end_practice_or_read_only(client, region):
    contest, _participant, pupil = setup_round(region, starts_in=timedelta(hours=-4))
    client.force_login(pupil)
    main = main_of(client.get(task_url(contest)))
    assert STATEMENT in main and "data-code-editor" in main and "data-round-clock" not in main
    contest.practice_after_end = False
    contest.save()
    main = main_of(client.get(task_url(contest)))
    assert STATEMENT in main and "data-code-editor" not in main


def test_others_get_404(client, region):
    contest, _participant, _pupil = setup_round(region)
    two = region["two"]
    for user in (two.visiting.teacher_a, two.host.pupils_a[1]):  # no jury, no participant
        client.force_login(user)
        assert client.get(task_url(contest)).status_code == 404
        assert client.get(reverse("contests:my_runs", args=[contest.slug])).status_code == 404
        assert client.post(submit_url(contest), {"source": SUM_PY}).status_code == 404
    client.force_login(two.host.pupils_a[0])
    assert client.get(task_url(contest, "Z")).status_code == 404
    assert client.get(reverse("contests:task", args=["nope", "A"])).status_code == 404


def test_an_unpublished_contest_is_the_jurys_only(client, region):
    contest, _participant, pupil = setup_round(region, is_published=False)
    client.force_login(pupil)
    assert client.get(task_url(contest)).status_code == 404
    client.force_login(region["two"].host.teacher_a)
    assert client.get(task_url(contest)).status_code == 200


def test_sending_a_program_from_the_page(client, region):
    contest, participant, pupil = setup_round(region)
    client.force_login(pupil)
    response = client.post(submit_url(contest), {"language": "python", "source": SUM_PY})
    run = Run.objects.get(participant=participant)
    assert response.status_code == 302 and response["Location"] == run_url(contest, run)
    assert run.submitted_by == pupil and run.state == "queued"
    page = client.get(run_url(contest, run)).content.decode()
    assert "data-round-poll" in page and "a + b" in page


def test_sending_a_file_from_the_page(client, region):
    from django.core.files.uploadedfile import SimpleUploadedFile

    contest, participant, pupil = setup_round(region)
    client.force_login(pupil)
    upload = SimpleUploadedFile("main.py", SUM_PY.encode())
    client.post(submit_url(contest), {"language": "python", "source": "", "file": upload})
    assert Run.objects.get(participant=participant).code == SUM_PY


def test_a_refusal_is_shown_on_the_task_page(client, region, english):
    contest, participant, pupil = setup_round(region)
    Task.objects.filter(contest=contest, label="A").update(removed_at=timezone.now())
    add_run(participant, Task.objects.get(label="A"), verdict="WA", score=0)
    client.force_login(pupil)
    response = client.post(
        submit_url(contest), {"language": "python", "source": SUM_PY}, follow=True
    )
    assert "removed from the contest" in response.content.decode()
    assert Run.objects.filter(participant=participant).count() == 1


def test_a_removed_task_leaves_the_participants_list(client, region):
    contest, _participant, pupil = setup_round(region)
    Task.objects.filter(contest=contest, label="C").update(removed_at=timezone.now())
    client.force_login(pupil)
    assert task_url(contest, "C") not in main_of(client.get(task_url(contest)))
    assert client.get(task_url(contest, "C")).status_code == 404  # no runs of it
    client.force_login(region["two"].host.teacher_a)
    assert task_url(contest, "C") in main_of(client.get(task_url(contest)))


def test_a_participant_with_a_code_needs_no_account(client, region):
    contest, _participant, _pupil = setup_round(region)
    coded = add_participant(contest, "Сидорова Анна")
    session = client.session
    session[SESSION_CODES] = {str(contest.pk): coded.pk}
    session.save()
    assert STATEMENT in client.get(task_url(contest)).content.decode()
    client.post(submit_url(contest), {"language": "python", "source": SUM_PY})
    run = Run.objects.get(participant=coded)
    assert run.submitted_by is None
    assert client.get(run_url(contest, run)).status_code == 200


def test_one_sees_only_ones_own_runs_and_the_jury_sees_all(client, region):
    contest, participant, pupil = setup_round(region, rules="icpc")
    task = Task.objects.get(contest=contest, label="A")
    mine = add_run(participant, task, verdict="WA", code=SUM_PY)
    other = add_participant(contest, "Иванов Иван", user=region["two"].host.pupils_a[1])
    theirs = add_run(other, task, verdict="OK", code="print('чужой')")
    client.force_login(pupil)
    assert client.get(run_url(contest, mine)).status_code == 200
    assert client.get(run_url(contest, theirs)).status_code == 404
    listing = client.get(reverse("contests:my_runs", args=[contest.slug])).content.decode()
    assert run_url(contest, mine) in listing and run_url(contest, theirs) not in listing
    client.force_login(region["two"].host.teacher_a)
    assert "чужой" in client.get(run_url(contest, theirs)).content.decode()
    listing = client.get(reverse("contests:my_runs", args=[contest.slug])).content.decode()
    assert run_url(contest, mine) in listing and "Иванов Иван" in listing
    other_contest = make_contest("other")
    assert (
        client.get(reverse("contests:run", args=[other_contest.slug, mine.pk])).status_code == 404
    )


def test_the_run_page_shows_tests_and_compile_output_but_no_hidden_data(client, region, english):
    contest, participant, pupil = setup_round(region)
    task = Task.objects.get(contest=contest, label="A")
    details = [
        {
            "number": 1,
            "verdict": "WA",
            "is_example": True,
            "subtask": 1,
            "time_s": 0.01,
            "memory_kb": 9000,
            "signal": None,
            "output": "-1",
            "message": "line 1: -1 ≠ 5",
        },
        {
            "number": 4,
            "verdict": "TLE",
            "is_example": False,
            "subtask": 2,
            "time_s": 2.0,
            "memory_kb": 9000,
            "signal": None,
        },
    ]
    wrong = add_run(
        participant,
        task,
        verdict="WA",
        score=40,
        details=details,
        tests_passed=3,
        tests_total=5,
        subtask_scores=["40", "0"],
    )
    client.force_login(pupil)
    page = client.get(run_url(contest, wrong)).content.decode()
    assert "line 1: -1 ≠ 5" in page and "time limit exceeded" in page
    assert "3 of 5 tests passed" in page and "40 of 100" in page
    broken = add_run(
        participant, task, verdict="CE", score=0, compile_output="main.py:1: SyntaxError"
    )
    assert "SyntaxError" in client.get(run_url(contest, broken)).content.decode()
    failed = add_run(participant, task, verdict="IE", compile_output="sandbox could not start")
    page = client.get(run_url(contest, failed)).content.decode()
    assert "not your fault" in page and "sandbox could not start" not in page


def test_quiz_answers_show_no_result_during_the_round(client, region, english):
    contest, participant, pupil = setup_round(region)
    client.force_login(pupil)
    response = client.post(submit_url(contest, "B"), {"q1": ["0", "1"]}, follow=True)
    page = response.content.decode()
    assert "Answer saved" in page
    run = Run.objects.get(participant=participant)
    assert run.verdict == "OK"
    assert "checked" in page  # the answer is shown as given
    for hint in ("Right", "Wrong", "is-right", "accepted"):
        assert hint not in main_of(response), hint
    run_page = client.get(run_url(contest, run)).content.decode()
    assert "accepted" not in run_page and "answer saved" in run_page


def test_quiz_results_after_the_end(client, region, english):
    contest, participant, pupil = setup_round(region, starts_in=timedelta(hours=-4))
    task = Task.objects.get(contest=contest, label="B")
    add_run(participant, task, verdict="OK", score=100, answer={"choices": [0, 1]})
    client.force_login(pupil)
    main = main_of(client.get(task_url(contest, "B")))
    assert "Right" in main and "right" in main and "accepted" not in main
    response = client.post(submit_url(contest, "B"), {"q1": ["2"]}, follow=True)
    assert "Practice answer saved" in response.content.decode()
    assert Run.objects.filter(participant=participant, is_practice=True).count() == 1


def test_a_judged_task_shows_its_sheet(client, region, english):
    contest, _participant, pupil = setup_round(region)
    client.force_login(pupil)
    main = main_of(client.get(task_url(contest, "C")))
    assert "<strong>линии</strong>" in main and "scored by the judges" in main and "Финиш" in main
    assert 'action="' + submit_url(contest, "C") not in main


def test_the_side_list_tells_each_tasks_state(client, region, english):
    contest, participant, pupil = setup_round(region, rules="icpc")
    add_run(participant, Task.objects.get(label="A"), verdict="OK")
    add_run(participant, Task.objects.get(label="B"), verdict="WA", answer={"choices": [2]})
    client.force_login(pupil)
    main = main_of(client.get(task_url(contest, "C")))
    assert "is-solved" in main and "is-answered" in main and "not tried" in main


def test_the_task_page_has_a_fixed_number_of_queries(client, region, django_assert_num_queries):
    contest, participant, pupil = setup_round(region)
    client.force_login(pupil)
    client.get(task_url(contest))  # warm: the session, the site root
    with django_assert_num_queries(QUERIES) as first:
        assert client.get(task_url(contest)).status_code == 200
    for n in range(5):
        label = f"D{n}"
        add_task(contest, label, kind=Task.Kind.PROGRAMMING, problem=None)
        for task in Task.objects.filter(contest=contest):
            add_run(participant, task, verdict="WA", score=0, minute=n + 1, code=SUM_PY)
    with django_assert_num_queries(len(first.captured_queries)):
        assert client.get(task_url(contest)).status_code == 200


def test_the_run_lists_have_a_fixed_number_of_queries(client, region, django_assert_num_queries):
    contest, participant, _pupil = setup_round(region)
    client.force_login(region["two"].host.teacher_a)
    task = Task.objects.get(contest=contest, label="A")
    add_run(participant, task, verdict="WA", score=0)
    url = reverse("contests:my_runs", args=[contest.slug])
    client.get(url)
    with django_assert_num_queries(RUNS_QUERIES) as first:
        client.get(url)
    for n in range(5):
        other = add_participant(contest, f"Участник {n}")
        add_run(other, task, verdict="OK", score=100)
    with django_assert_num_queries(len(first.captured_queries)):
        client.get(url)


QUERIES = 9  # was 11, and 10 below: the roles and the user from the shared cache
RUNS_QUERIES = 8
