"""The organisers' task pages and contests.setup_tasks: adding and ordering tasks, choosing a
problem or a question from the banks (only what the organiser may use; the question's version
fixed), a judged task's sheet, and removing a task (deleted before the start, marked removed
mid-round with its runs kept)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessments.quiz import questions
from assessments.quiz.spec import QType, QuestionSpec
from contests import setup_tasks
from contests.models import Contest, Criterion, Sheet, Task
from tests.assessments.programming.builders import make_problem, sum_spec
from tests.assessments.quiz.builders import single
from tests.contests.builders import add_participant, add_run, add_task, make_contest

pytestmark = pytest.mark.django_db


@pytest.fixture
def two(region):
    return region["two"]


@pytest.fixture
def organiser(client, two):
    client.force_login(two.host.teacher_a)
    return client


def tasks_url(contest: Contest) -> str:
    return reverse("contests:setup_tasks", args=[contest.slug])


def task_url(task: Task) -> str:
    return reverse("contests:setup_task", args=[task.contest.slug, task.pk])


def park_question(spec: QuestionSpec | None = None):
    category = questions.category_at(None, "Олимпиада/Школьный этап")
    return questions.create_question(category, spec or single(), None)


# --- The list -------------------------------------------------------------------------------


def test_a_task_is_added_with_the_next_label(organiser):
    contest = make_contest("olymp", rules="ioi", starts_in=timedelta(days=2))
    add_task(contest, "A", kind="programming")
    page = organiser.get(tasks_url(contest)).content.decode()
    assert 'value="B"' in page
    data = {"action": "add", "label": "B", "title": "Вторая", "kind": "quiz", "max_score": "10"}
    response = organiser.post(tasks_url(contest), data)
    task = contest.tasks.get(label="B")
    assert response.url == task_url(task)
    assert (task.kind, task.max_score, task.order) == ("quiz", Decimal(10), 1)


@pytest.mark.parametrize(
    "changes",
    [
        {"kind": "judged"},  # ICPC ranks programs only
        {"kind": "quiz"},
        {"label": "A"},  # taken
        {"label": "a"},  # taken, whatever the case
        {"label": "A/B"},
        {"label": "очень-длинная"},
        {"label": ""},
        {"kind": "nonsense"},
    ],
)
def test_a_task_that_does_not_fit_is_refused(organiser, changes):
    contest = make_contest("olymp")
    add_task(contest, "A", kind="programming")
    data = {"action": "add", "label": "B", "title": "", "kind": "programming", **changes}
    response = organiser.post(tasks_url(contest), data)
    assert response.status_code == 400
    assert contest.tasks.count() == 1


def test_tasks_move_up_and_down(organiser):
    contest = make_contest("olymp", tasks=3)
    a, b, c = contest.tasks.all()
    organiser.post(tasks_url(contest), {"action": "up", "task": str(c.pk)})
    assert [t.label for t in contest.tasks.order_by("order", "pk")] == ["A", "C", "B"]
    organiser.post(tasks_url(contest), {"action": "down", "task": str(a.pk)})
    assert [t.label for t in contest.tasks.order_by("order", "pk")] == ["C", "A", "B"]
    organiser.post(tasks_url(contest), {"action": "up", "task": str(contest.tasks.first().pk)})
    assert [t.label for t in contest.tasks.order_by("order", "pk")] == ["C", "A", "B"]
    other = make_contest("other", tasks=1)
    foreign = other.tasks.get()
    assert (
        organiser.post(tasks_url(contest), {"action": "up", "task": str(foreign.pk)}).status_code
        == 302
    )
    assert organiser.post(tasks_url(contest), {"action": "up", "task": "9" * 30}).status_code == 302


def test_the_list_needs_no_query_per_task(organiser):
    contest = make_contest("olymp", rules="ioi", tasks=0)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert organiser.get(tasks_url(contest)).status_code == 200
        return len(captured)

    add_task(contest, "A", kind="programming", problem=make_problem())
    queries()
    few = queries()
    problem = make_problem(sum_spec(title="Ещё одна"))
    for label in "BCDE":
        task = add_task(contest, label, kind="programming", problem=problem)
        add_run(add_participant(contest, f"Участник {label}"), task, score=10)
    assert queries() == few


# --- A programming task: a problem from the bank --------------------------------------------


def test_a_published_problem_is_chosen(organiser, two):
    contest = make_contest("olymp", starts_in=timedelta(days=1))
    task = add_task(contest, "A", kind="programming", title="")
    problem = make_problem()
    draft = make_problem(sum_spec(title="Черновик"), publish=False)
    course_problem = make_problem(sum_spec(title="Задача курса"), course=two.tree.course)
    page = organiser.get(task_url(task)).content.decode()
    assert problem.title in page
    assert draft.title not in page
    assert course_problem.title not in page  # the teacher does not author that course
    organiser.post(task_url(task), {"action": "choose", "pick": str(problem.pk)})
    task.refresh_from_db()
    assert task.problem == problem and task.title == problem.title
    for forged in (draft.pk, course_problem.pk, "9" * 30, "x"):
        organiser.post(task_url(task), {"action": "choose", "pick": str(forged)})
        task.refresh_from_db()
        assert task.problem == problem


def test_a_methodologist_uses_a_course_problem(client, two):
    contest = make_contest("olymp", starts_in=timedelta(days=1))
    task = add_task(contest, "A", kind="programming")
    course_problem = make_problem(sum_spec(title="Задача курса"), course=two.tree.course)
    client.force_login(two.methodologist)
    assert course_problem.title in client.get(task_url(task), {"q": "курса"}).content.decode()


def test_the_problem_stays_once_runs_exist(organiser, en):
    contest = make_contest("olymp")
    first, second = make_problem(), make_problem(sum_spec(title="Другая"))
    task = add_task(contest, "A", kind="programming", problem=first)
    add_run(add_participant(contest), task, verdict="WA")
    response = organiser.post(
        task_url(task), {"action": "choose", "pick": str(second.pk)}, follow=True
    )
    assert "judged on this problem" in response.content.decode()
    task.refresh_from_db()
    assert task.problem == first


# --- A quiz task: a question, its version fixed ---------------------------------------------


def test_a_question_is_chosen_with_its_version_fixed(organiser, en):
    contest = make_contest("quiz", kind="quiz", rules="ioi", starts_in=timedelta(days=1))
    task = add_task(contest, "1", kind="quiz")
    question = park_question()
    essay = park_question(QuestionSpec(qtype=QType.ESSAY, title="Эссе", text="Напишите эссе"))
    page = organiser.get(task_url(task)).content.decode()
    assert question.latest.title in page and "Эссе" not in page
    organiser.post(task_url(task), {"action": "choose", "pick": str(question.pk)})
    task.refresh_from_db()
    assert task.question == question.latest
    organiser.post(task_url(task), {"action": "choose", "pick": str(essay.pk)})
    task.refresh_from_db()
    assert task.question == question.latest
    assert "version 1" in organiser.get(task_url(task)).content.decode()

    newer = questions.save_version(question, single("Какой датчик видит цвет?", right=1), None)
    page = organiser.get(task_url(task)).content.decode()
    assert "newer version (2)" in page and 'value="newest_version"' in page
    task.refresh_from_db()
    assert task.question.number == 1  # the bank's edit did not touch the task
    organiser.post(task_url(task), {"action": "newest_version"})
    task.refresh_from_db()
    assert task.question == newer


def test_the_newest_version_is_refused_after_the_start(organiser, en):
    contest = make_contest("quiz", kind="quiz", rules="ioi")
    question = park_question()
    task = add_task(contest, "1", kind="quiz", question=question.latest)
    questions.save_version(question, single("Другой вопрос"), None)
    page = organiser.get(task_url(task)).content.decode()
    assert 'value="newest_version"' not in page
    response = organiser.post(task_url(task), {"action": "newest_version"}, follow=True)
    assert "keeps the version" in response.content.decode()
    task.refresh_from_db()
    assert task.question.number == 1


# --- A judged task: its settings and sheet --------------------------------------------------


def sheet_data(task: Task, rows: list[dict], initial: int = 0, **fields) -> dict:
    data = {
        "action": "save",
        "label": task.label,
        "title": task.title,
        "statement": task.statement,
        "runs_allowed": str(task.runs_allowed),
        "runs_count": task.runs_count,
        "judges_combine": task.judges_combine,
        "tie_break": task.tie_break,
        "crit-TOTAL_FORMS": str(len(rows)),
        "crit-INITIAL_FORMS": str(initial),
        "crit-MIN_NUM_FORMS": "0",
        "crit-MAX_NUM_FORMS": "1000",
    }
    data.update(fields)
    for i, row in enumerate(rows):
        for key, value in row.items():
            data[f"crit-{i}-{key}"] = value
    return data


ROWS = [
    {"name": "Кубик в зоне", "kind": "item", "points": "10", "max_count": "3"},
    {"name": "Касание стены", "kind": "penalty", "points": "5", "max_count": "4"},
    {"name": "Время", "kind": "time", "points": "0", "max_count": "1"},
]


def robotics() -> Contest:
    return make_contest("robots", kind="robotics", rules="judged", starts_in=timedelta(days=1))


def test_a_sheet_is_saved_and_sets_the_points(organiser):
    contest = robotics()
    task = add_task(contest, "A")
    response = organiser.post(task_url(task), sheet_data(task, ROWS, runs_allowed="2"))
    assert response.status_code == 302
    assert [c.name for c in task.criteria.all()] == ["Кубик в зоне", "Касание стены", "Время"]
    task.refresh_from_db()
    assert task.max_score == Decimal(30) and task.runs_allowed == 2
    organiser.post(task_url(task), sheet_data(task, [], runs_count="sum", runs_allowed="2"))
    task.refresh_from_db()
    assert task.max_score == Decimal(60)  # the runs add up


@pytest.mark.parametrize(
    "rows",
    [
        [*ROWS, {"name": "Ещё время", "kind": "time", "points": "0", "max_count": "1"}],
        [{"name": "Ноль", "kind": "item", "points": "0", "max_count": "1"}],
        [{"name": "Минус", "kind": "penalty", "points": "-5", "max_count": "1"}],
        [{"name": "Много", "kind": "item", "points": "1", "max_count": "0"}],
        [{"name": "Что-то", "kind": "bonus", "points": "1", "max_count": "1"}],
        [{"name": "Дробь", "kind": "item", "points": "abc", "max_count": "1"}],
    ],
)
def test_a_bad_sheet_is_refused_whole(organiser, rows):
    contest = robotics()
    task = add_task(contest, "A")
    response = organiser.post(task_url(task), sheet_data(task, rows, title="Новое имя"))
    assert response.status_code == 400
    assert not task.criteria.exists()
    task.refresh_from_db()
    assert task.title == "Задача A"  # nothing half-saved


def test_once_sheets_are_filled_lines_can_only_be_renamed(organiser, two):
    contest = robotics()
    task = add_task(contest, "A")
    item = Criterion.objects.create(task=task, name="Кубик", kind="item", points=10, max_count=3)
    participant = add_participant(contest)
    Sheet.objects.create(
        task=task,
        participant=participant,
        run_number=2,
        judge=two.host.teacher_b,
        counts={str(item.pk): 2},
        score=20,
    )
    rows = [
        {
            "id": str(item.pk),
            "name": "Кубик в зоне",
            "kind": "penalty",
            "points": "99",
            "max_count": "9",
        }
    ]
    response = organiser.post(task_url(task), sheet_data(task, rows, initial=1, runs_allowed="2"))
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.name, item.kind, item.points, item.max_count) == ("Кубик в зоне", "item", 10, 3)
    added = [*rows, {"name": "Новая", "kind": "item", "points": "1", "max_count": "1"}]
    organiser.post(task_url(task), sheet_data(task, added, initial=1, runs_allowed="2"))
    assert task.criteria.count() == 1
    # Sheets of run 2 exist: one run is too few.
    response = organiser.post(task_url(task), sheet_data(task, rows, initial=1, runs_allowed="1"))
    assert response.status_code == 400


def test_check_criteria_directly():
    rows = [setup_tasks.CriterionRow(None, "Время", "time", Decimal(0), 1)] * 2
    assert setup_tasks.check_criteria(rows, stored=[], has_sheets=False)
    fine = [setup_tasks.CriterionRow(None, "Кубик", "item", Decimal(5), 2)]
    assert setup_tasks.check_criteria(fine, stored=[], has_sheets=False) == []
    assert setup_tasks.check_criteria(fine, stored=[], has_sheets=True)  # a line added


def test_the_points_of_an_ioi_task_stay_once_runs_exist(organiser, en):
    contest = make_contest("olymp", rules="ioi")
    task = add_task(contest, "A", kind="programming", max_score=100)
    data = {"action": "save", "label": "A", "title": "x", "max_score": "50"}
    assert organiser.post(task_url(task), data).status_code == 302
    task.refresh_from_db()
    assert task.max_score == 50
    add_run(add_participant(contest), task, score=25)
    response = organiser.post(task_url(task), {**data, "max_score": "80"})
    assert response.status_code == 400 and "runs keep theirs" in response.content.decode()


def test_a_label_change_after_the_start_is_confirmed(organiser, en):
    contest = make_contest("olymp", rules="ioi")
    task = add_task(contest, "A", kind="programming")
    data = {"action": "save", "label": "Z", "title": "x", "max_score": "100"}
    page = organiser.post(task_url(task), data)
    assert page.status_code == 200 and "address changes" in page.content.decode()
    assert organiser.post(task_url(task), {**data, "confirm": "1"}).status_code == 302
    task.refresh_from_db()
    assert task.label == "Z"


# --- Removing a task ------------------------------------------------------------------------


def test_before_the_start_a_task_is_deleted(organiser, en):
    contest = make_contest("olymp", starts_in=timedelta(days=1), tasks=2)
    task = contest.tasks.first()
    page = organiser.post(task_url(task), {"action": "remove"})
    assert "it is deleted" in page.content.decode()
    assert contest.tasks.count() == 2  # only after the confirm
    response = organiser.post(task_url(task), {"action": "remove", "confirm": "1"})
    assert response.url == tasks_url(contest)
    assert not Task.objects.filter(pk=task.pk).exists()


def test_mid_round_a_task_is_removed_and_its_runs_kept(
    organiser, en, django_capture_on_commit_callbacks
):
    contest = make_contest("olymp", tasks=2)
    task = contest.tasks.first()
    run = add_run(add_participant(contest), task)
    page = organiser.post(task_url(task), {"action": "remove"}).content.decode()
    assert "leaves the standings" in page and "1 run is kept" in page
    with django_capture_on_commit_callbacks(execute=True):
        organiser.post(task_url(task), {"action": "remove", "confirm": "1"})
    task.refresh_from_db()
    assert task.removed_at is not None
    assert run.__class__.objects.filter(pk=run.pk).exists()
    contest.refresh_from_db()
    assert contest.standings_version == 1
    organiser.post(task_url(task), {"action": "remove", "confirm": "1"})  # twice: harmless
    assert "removed from the contest" in organiser.get(tasks_url(contest)).content.decode()
    organiser.post(task_url(task), {"action": "restore"})
    task.refresh_from_db()
    assert task.removed_at is None


def test_an_imported_task_with_runs_before_the_start_is_kept(two):
    contest = make_contest("archive", starts_in=timedelta(days=1), tasks=1)
    task = contest.tasks.get()
    add_run(add_participant(contest), task)
    assert setup_tasks.remove_task(task, timezone.now()) == "removed"
    assert Task.objects.filter(pk=task.pk).exists()


def test_another_contests_task_is_404(organiser):
    contest = make_contest("olymp", tasks=1)
    other = make_contest("other", tasks=1)
    url = reverse("contests:setup_task", args=[contest.slug, other.tasks.get().pk])
    assert organiser.get(url).status_code == 404
    assert organiser.post(url, {"action": "remove", "confirm": "1"}).status_code == 404
    assert other.tasks.exists()
    assert (
        organiser.get(reverse("contests:setup_task", args=[contest.slug, 999999])).status_code
        == 404
    )


def test_a_pupil_gets_404_on_the_task_pages(client, two):
    contest = make_contest("olymp", tasks=1)
    client.force_login(two.host.pupils_a[0])
    assert client.get(tasks_url(contest)).status_code == 404
    assert client.get(task_url(contest.tasks.get())).status_code == 404
