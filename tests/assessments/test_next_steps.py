"""What a pupil has to do next (assessments.next_steps), directly and on the pages that show it:
the home's "next" panel, the course page's assignments, "My grades"' work due and waiting.
Bad input from the issue: a pupil with no groups, a group with no courses, an assignment with
no due date, 40 assignments due the same day, a name of 150 characters; the query counts are
pinned and do not grow with the number of assignments."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessments import grading, next_steps, submissions
from assessments.deadlines import Timetable, Window
from assessments.models import Assignment, Extension, GroupDeadline, Submission
from assessments.next_steps import State, Work
from courses.models import LessonProgress
from lms import roles
from lms.models import Membership, StudyGroup, User
from tests import builders
from tests.assessments.builders import make_assignment, submit

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)

# Queries of pupil_work: enrolments, assignments, group dates, extensions, attempts.
# The enrolments come with the access facts, the assignments and their groups' dates from the
# shared cache, and so do the pupil's extensions and attempts once read (assessments.work_cache):
# none on a second page; the extensions and the attempts after a hand-in (5 before the caches).
PUPIL_WORK_QUERIES = 0
PUPIL_WORK_QUERIES_AFTER_A_CHANGE = 2
# The pages, for a pupil, warm (session, user, ... as before, plus pupil_work's five).
# Hand-ins (assessments.work_cache) and the home's progress rows cached too: the session.
HOME_QUERIES = 1  # was 13: outlines, access facts, Site, courses, user, work scope: cached
COURSE_PAGE_QUERIES = 1  # was 13: chain, outline, access, user, progress, work scope cached
MY_GRADES_QUERIES = 3  # was 5 before the work due and waiting; 10 before the caches


def _count(client, url: str) -> int:
    assert client.get(url).status_code == 200  # warm caches (site root, catalogue, the 🔔)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


# --- Plain rules ----------------------------------------------------------------------------


def work(**fields) -> Work:
    defaults = {
        "assignment_id": 1,
        "kind": "project",
        "title": "Работа",
        "course_id": 1,
        "course_title": "Курс",
        "lesson_title": "Урок",
        "lesson_path": "0001",
        "max_points": Decimal(10),
        "group_id": 1,
        "timetable": Timetable(None, None, None),
        "window": Window.OPEN,
        "state": State.NOT_STARTED,
    }
    return Work(**{**defaults, **fields})


@pytest.mark.django_db(False)
def test_the_state_comes_from_the_latest_attempt():
    def attempts(*statuses):
        return [Submission(attempt=n + 1, status=s) for n, s in enumerate(statuses)]

    S = Submission.Status
    assert next_steps.state_of([]) is State.NOT_STARTED
    assert next_steps.state_of(attempts(S.DRAFT)) is State.DRAFT
    assert next_steps.state_of(attempts(S.SUBMITTED)) is State.HANDED_IN
    assert next_steps.state_of(attempts(S.RETURNED)) is State.RETURNED
    assert next_steps.state_of(attempts(S.GRADED)) is State.GRADED
    assert next_steps.state_of(attempts(S.RETURNED, S.DRAFT)) is State.DRAFT
    assert next_steps.state_of(attempts(S.GRADED, S.SUBMITTED)) is State.HANDED_IN


@pytest.mark.django_db(False)
def test_the_panel_puts_the_soonest_first_returned_apart_and_no_due_date_last():
    soon, later = NOW + timedelta(hours=3), NOW + timedelta(days=3)
    works = [
        work(assignment_id=1, timetable=Timetable(None, later, None)),
        work(assignment_id=2),  # no due date
        work(assignment_id=3, timetable=Timetable(None, soon, None)),
        work(assignment_id=4, window=Window.LATE, timetable=Timetable(None, NOW, None)),
        work(assignment_id=5, state=State.RETURNED, reopened=True, window=Window.CLOSED),
        work(assignment_id=6, state=State.DRAFT, reopened=True),  # rework started
        work(assignment_id=7, state=State.HANDED_IN, timetable=Timetable(None, soon, None)),
        work(assignment_id=8, state=State.GRADED),
        work(assignment_id=9, window=Window.CLOSED),  # too late: nothing to do now
        work(assignment_id=10, window=Window.NOT_OPEN),
    ]
    steps = next_steps.next_steps(works)
    assert [w.assignment_id for w in steps.due] == [4, 3, 1, 2]
    assert [w.assignment_id for w in steps.returned] == [5, 6]
    assert [w.assignment_id for w in steps.waiting] == [7]
    assert steps.due[0].is_late and steps.due[0].date_kind == "late"
    assert steps.due[-1].date_kind == "none"
    assert steps.returned[0].date_kind == ""  # a new attempt whatever the dates
    assert works[8].date_kind == "closed" and works[9].date_kind == "opens"
    assert not steps.is_empty and next_steps.next_steps([]).is_empty


@pytest.mark.django_db(False)
def test_forty_due_the_same_day_show_the_first_few_and_how_many_more():
    due = Timetable(None, NOW, None)
    steps = next_steps.next_steps([work(assignment_id=n, timetable=due) for n in range(40)])
    assert len(steps.due_shown) == next_steps.DUE_SHOWN
    assert steps.due_more == 40 - next_steps.DUE_SHOWN
    assert [w.assignment_id for w in steps.due_shown] == list(range(next_steps.DUE_SHOWN))


def test_the_feedback_excerpt_is_plain_text_cut_at_a_word():
    assert next_steps.excerpt("") == "" and next_steps.excerpt("   \n") == ""
    assert next_steps.excerpt("**Молодец**, но &laquo;датчик&raquo;\n\n* криво") == (
        "Молодец, но «датчик» криво"
    )
    # Raw HTML is text to the one sanitiser: the excerpt keeps it as text (the page escapes it).
    assert next_steps.excerpt("<script>alert(1)</script>") == "<script>alert(1)</script>"
    long = "Переделай " * 40
    cut = next_steps.excerpt(long, limit=50)
    assert cut.endswith("…") and len(cut) <= 51 and "Переде…" not in cut
    assert next_steps.excerpt("x" * 300, limit=20) == "x" * 20 + "…"  # one long word


# --- A pupil's works, from the database ---------------------------------------------------


@pytest.fixture
def world(two_schools):
    return two_schools


def test_a_pupil_with_no_groups_or_a_group_with_no_courses_has_nothing_in_one_query(
    world, django_assert_num_queries
):
    loner = builders.make_user("loner", roles.PUPIL, school=world.host.school)
    with django_assert_num_queries(1):
        assert next_steps.pupil_work(loner) == []
    empty = StudyGroup.objects.create(school=world.host.school, name="пусто", academic_year="x")
    Membership.objects.create(user=loner, group=empty, role=Membership.Role.PUPIL)
    loner = User.objects.get(pk=loner.pk)  # the next request's user: its access facts moved
    with django_assert_num_queries(1):
        assert next_steps.pupil_work(loner) == []


def test_only_the_pupils_own_scope_live_and_not_archived(world):
    tree = world.tree
    in_module_1 = make_assignment(tree.lessons[0], title="Первый модуль")
    in_module_2 = make_assignment(tree.lessons[2], title="Второй модуль")
    make_assignment(tree.lessons[1], title="В архиве", is_archived=True)
    hidden = make_assignment(tree.lessons[3], title="Снят с публикации")
    tree.lessons[3].unpublish()
    host_pupil, visitor = world.host.pupils_a[0], world.visiting.pupils_a[0]
    assert [w.assignment_id for w in next_steps.pupil_work(host_pupil)] == [
        in_module_1.pk,
        in_module_2.pk,
    ]
    # The visiting group takes module 1 only; a-2 takes nothing.
    assert [w.assignment_id for w in next_steps.pupil_work(visitor)] == [in_module_1.pk]
    assert next_steps.pupil_work(world.host.pupils_b[0]) == []
    assert hidden.pk not in {w.assignment_id for w in next_steps.pupil_work(host_pupil)}
    assert next_steps.pupil_work(world.host.teacher_a) == []  # staff learn nothing here


def test_it_agrees_with_the_assignment_page_on_group_and_dates(world):
    """The list form against the one-object form (submissions.pupil_state): the same works,
    through the same group, with the same timetable."""
    tree, host = world.tree, world.host
    assignments = [
        make_assignment(lesson, title=f"Работа {n}", due_at=NOW + timedelta(days=n + 1))
        for n, lesson in enumerate(tree.lessons)
    ]
    pupil = host.pupils_a[0]
    # The pupil also learns in a-2, which takes module 1 too (enrolled later: a-1 comes first).
    Membership.objects.create(user=pupil, group=host.group_b, role=Membership.Role.PUPIL)
    builders.enrol(host.group_b, tree, module=tree.modules[0])
    GroupDeadline.objects.create(
        assignment=assignments[0], group=host.group_a, due_at=NOW + timedelta(days=9)
    )
    GroupDeadline.objects.create(  # a-2's own date, not the pupil's: a-1 comes first
        assignment=assignments[1], group=host.group_b, due_at=NOW + timedelta(days=20)
    )
    Extension.objects.create(
        assignment=assignments[2],
        pupil=pupil,
        group=host.group_a,
        due_at=NOW + timedelta(days=30),
        granted_by=host.teacher_a,
    )
    listed = {w.assignment_id: w for w in next_steps.pupil_work(pupil, now=NOW)}
    for learner in [*host.pupils_a, *host.pupils_b, *world.visiting.pupils_a]:
        works = {w.assignment_id: w for w in next_steps.pupil_work(learner, now=NOW)}
        for assignment in Assignment.objects.select_related("lesson"):
            try:
                state = submissions.pupil_state(learner, assignment, now=NOW)
            except submissions.SubmitError:
                assert assignment.pk not in works, (learner, assignment)
                continue
            assert works[assignment.pk].group_id == state.group.pk, (learner, assignment)
            assert works[assignment.pk].timetable == state.timetable, (learner, assignment)
    assert listed[assignments[0].pk].due_at == NOW + timedelta(days=9)
    assert listed[assignments[1].pk].due_at == NOW + timedelta(days=2)
    assert listed[assignments[2].pk].due_at == NOW + timedelta(days=30)


def test_states_points_and_the_teachers_words(world, django_capture_on_commit_callbacks):
    tree, host = world.tree, world.host
    pupil, teacher, group = host.pupils_a[0], host.teacher_a, host.group_a
    untouched = make_assignment(tree.lessons[0], title="Не начато")
    drafted = make_assignment(tree.lessons[0], title="Черновик")
    handed = make_assignment(tree.lessons[1], title="Сдано")
    returned = make_assignment(tree.lessons[1], title="Вернули")
    graded = make_assignment(tree.lessons[2], title="Оценено", counts="best", max_attempts=2)
    Submission.objects.create(assignment=drafted, pupil=pupil, group=group, attempt=1)
    submit(handed, pupil, group)
    with django_capture_on_commit_callbacks(execute=True):
        grading.save_grade(submit(handed, pupil, group, attempt=2), teacher, points="3")
        grading.return_for_rework(submit(returned, pupil, group), teacher, "**Датчик** криво.")
        grading.save_grade(submit(graded, pupil, group), teacher, points="8", release=True)
        grading.save_grade(submit(graded, pupil, group, 2), teacher, points="6", release=True)
    works = {w.title: w for w in next_steps.pupil_work(pupil)}
    assert works["Не начато"].state is State.NOT_STARTED and works["Не начато"].to_do
    assert works["Черновик"].state is State.DRAFT and works["Черновик"].to_do
    assert works["Сдано"].state is State.HANDED_IN and works["Сдано"].points is None  # a draft
    back = works["Вернули"]
    assert back.state is State.RETURNED and back.reopened
    assert back.feedback_excerpt == "Датчик криво."
    assert back.url == reverse("assessments:assignment", args=[returned.pk]) + "#attempt-1"
    assert works["Оценено"].state is State.GRADED and works["Оценено"].points == 8  # the best
    steps = next_steps.next_steps(list(works.values()))
    assert {w.title for w in steps.due} == {"Не начато", "Черновик"}
    assert [w.title for w in steps.returned] == ["Вернули"]
    assert [w.title for w in steps.waiting] == ["Сдано"]
    assert untouched.pk in {w.assignment_id for w in steps.due}


def test_quiz_and_code_link_to_their_own_pages(world):
    quiz = make_assignment(world.tree.lessons[0], title="Тест", kind=Assignment.Kind.QUIZ)
    works = next_steps.pupil_work(world.host.pupils_a[0])
    assert works[0].url == reverse("quiz:quiz", args=[quiz.pk])


def test_a_timed_quiz_attempt_whose_time_is_up_counts_as_handed_in(world):
    from assessments.quiz import attempts
    from tests.assessments.quiz.builders import make_quiz, single

    setup = make_quiz(world.tree.lessons[0], [single()], time_limit_minutes=10)
    pupil = world.host.pupils_a[0]
    started = timezone.now() - timedelta(minutes=30)
    attempts.start(submissions.pupil_state(pupil, setup.assignment), pupil, now=started)
    [quiz_work] = next_steps.pupil_work(pupil)
    assert quiz_work.state in (State.GRADED, State.HANDED_IN)
    assert Submission.objects.get(assignment=setup.assignment).status != Submission.Status.DRAFT


def test_queries_do_not_grow_with_assignments_or_attempts(world, django_assert_num_queries):
    tree, host = world.tree, world.host
    pupil = host.pupils_a[0]
    make_assignment(tree.lessons[0], title="Одна")
    next_steps.pupil_work(pupil)  # the pupil's enrolments join their access facts (cached)
    pupil = User.objects.get(pk=pupil.pk)  # each call below is a new request's user
    with django_assert_num_queries(PUPIL_WORK_QUERIES):
        assert len(next_steps.pupil_work(pupil)) == 1
    due = NOW + timedelta(days=1)
    for n in range(40):
        a = make_assignment(tree.lessons[n % 4], title=f"Работа {n}", due_at=due)
        GroupDeadline.objects.create(assignment=a, group=host.group_a, due_at=due)
        for attempt in range(1, 1 + n % 3):
            submit(a, pupil, host.group_a, attempt=attempt)
    next_steps.pupil_work(User.objects.get(pk=pupil.pk))  # new assignments: the list again
    pupil = User.objects.get(pk=pupil.pk)
    with django_assert_num_queries(PUPIL_WORK_QUERIES):
        assert len(next_steps.pupil_work(pupil)) == 41
    submit(make_assignment(tree.lessons[0], title="Ещё одна"), pupil, host.group_a)
    next_steps.pupil_work(User.objects.get(pk=pupil.pk))  # a new assignment: the list again
    submit(Assignment.objects.get(title="Работа 0"), pupil, host.group_a)  # a hand-in alone
    pupil = User.objects.get(pk=pupil.pk)
    with django_assert_num_queries(PUPIL_WORK_QUERIES_AFTER_A_CHANGE):
        assert len(next_steps.pupil_work(pupil)) == 42


# --- The pages ----------------------------------------------------------------------------


def test_the_home_shows_the_next_panel_first(en, world, django_capture_on_commit_callbacks):
    tree, host = world.tree, world.host
    pupil = host.pupils_a[0]
    host.school.time_zone = "Asia/Yekaterinburg"  # UTC+5
    host.school.save()
    pupil.school = host.school
    pupil.save()
    due = (timezone.now() + timedelta(days=2)).replace(hour=13, minute=30, second=0)
    make_assignment(tree.lessons[1], title="Собрать датчик линии", due_at=due)
    returned = make_assignment(tree.lessons[0], title="Робот едет")
    with django_capture_on_commit_callbacks(execute=True):
        grading.return_for_rework(
            submit(returned, pupil, host.group_a),
            host.teacher_a,
            "Попробуй *ещё* раз. <script>alert(1)</script>",
        )
    LessonProgress.objects.create(
        user=pupil, lesson=tree.lessons[0], course=tree.course, completed_at=timezone.now()
    )
    en.force_login(pupil)
    html = en.get("/learn/").content.decode()
    assert html.index('class="next-panel"') < html.index('class="dashboard-grid"')
    panel = html.split('class="next-panel"', 1)[1].split('class="dashboard-grid"', 1)[0]
    assert "Собрать датчик линии" in panel
    assert "18:30" in panel  # 13:30 UTC in the school's time zone
    assert "not started" in panel  # its state
    assert "Робот едет" in panel and "Попробуй ещё раз." in panel  # the teacher's words
    assert f"Continue: {tree.lessons[1].title}" in panel  # the next lesson, by name
    assert "<script>alert" not in html
    assert 'class="bell-count" aria-hidden="true">1<' in html  # the 🔔: the returned work


def test_the_next_lesson_is_in_the_course_last_worked_in(en, world):
    other = builders.build_course("second", modules=1, lessons=2)
    builders.enrol(world.host.group_a, other)
    pupil = world.host.pupils_a[0]
    en.force_login(pupil)
    html = en.get("/learn/").content.decode()
    first_course = min([world.tree, other], key=lambda tree: tree.course.title)
    assert f"Start: {first_course.lessons[0].title}" in html  # nothing opened yet
    LessonProgress.objects.create(user=pupil, lesson=other.lessons[0], course=other.course)
    LessonProgress.objects.filter(user=pupil).update(last_seen_at=timezone.now())
    LessonProgress.objects.create(  # done, seen long ago
        user=pupil,
        lesson=world.tree.lessons[0],
        course=world.tree.course,
        completed_at=timezone.now(),
    )
    LessonProgress.objects.filter(lesson=world.tree.lessons[0]).update(
        last_seen_at=timezone.now() - timedelta(days=3)
    )
    html = en.get("/learn/").content.decode()
    assert f"Start: {other.lessons[0].title}" in html  # opened, not done: still its first


def test_the_home_for_staff_and_for_a_pupil_with_no_groups(en, world):
    en.force_login(world.host.pupils_a[0])
    html = en.get("/learn/").content.decode()
    assert "Nothing is due right now." in html
    en.force_login(world.host.teacher_a)
    assert "next-panel" not in en.get("/learn/").content.decode()
    loner = builders.make_user("loner", roles.PUPIL, school=world.host.school)
    en.force_login(loner)
    html = en.get("/learn/").content.decode()
    assert "next-panel" not in html and "You are not enrolled in any course yet." in html


def test_forty_due_the_same_day_and_a_long_name_stay_tidy_in_pinned_queries(en, world):
    tree, host = world.tree, world.host
    pupil = host.pupils_a[0]
    due = timezone.now() + timedelta(days=1)
    make_assignment(tree.lessons[0], title="Первая", due_at=due)
    en.force_login(pupil)
    pages = {
        "home": ("/learn/", HOME_QUERIES),
        "course": (tree.course.url, COURSE_PAGE_QUERIES),
        "my grades": (reverse("assessments:gradebook_mine"), MY_GRADES_QUERIES),
    }
    few = {name: _count(en, url) for name, (url, _pin) in pages.items()}
    long_name = ("Очень длинное название работы " * 6)[:147]
    for n in range(39):
        a = make_assignment(tree.lessons[n % 4], title=f"{n:02d} {long_name}", due_at=due)
        assert len(a.title) == 150
        if n % 4 == 0:
            submit(a, pupil, host.group_a)
    many = {name: _count(en, url) for name, (url, _pin) in pages.items()}
    assert many == few
    assert many == {name: pin for name, (_url, pin) in pages.items()}
    html = en.get("/learn/").content.decode()
    panel = html.split('class="next-panel"', 1)[1].split('class="dashboard-grid"', 1)[0]
    assert panel.count('class="work-item ') == next_steps.DUE_SHOWN
    assert f"and {30 - next_steps.DUE_SHOWN} more works due" in panel  # 40, ten handed in
    assert "10 works are waiting for a grade" in panel
    mine = en.get(reverse("assessments:gradebook_mine")).content.decode()
    assert mine.count('class="work-item ') == 40  # 30 due and 10 waiting
    assert "No released grades yet" in mine
    course = en.get(tree.course.url).content.decode()
    assert course.count('class="work-item ') == 40


def test_without_the_wiring_the_pages_show_no_work(client, world, settings):
    settings.LMS_PUPIL_WORK = {}
    make_assignment(world.tree.lessons[0], title="Невидимка")
    client.force_login(world.host.pupils_a[0])
    assert "Невидимка" not in client.get("/learn/").content.decode()
    assert "Невидимка" not in client.get(world.tree.course.url).content.decode()


# --- The cached work scope (assignments and their groups' dates) ---------------------------


def _work_of(pupil: User) -> dict[str, Work]:
    """A new request's view: a fresh user object, the shared cache as it is."""
    return {w.title: w for w in next_steps.pupil_work(User.objects.get(pk=pupil.pk))}


def test_the_cached_work_list_follows_every_change_at_once(world):
    from courses.models import LessonPage

    tree, host = world.tree, world.host
    pupil = host.pupils_a[0]
    first = make_assignment(tree.lessons[0], title="Первое", due_at=NOW + timedelta(days=3))
    make_assignment(tree.lessons[1], title="Второе")
    assert set(_work_of(pupil)) == {"Первое", "Второе"}
    assert set(_work_of(pupil)) == {"Первое", "Второе"}  # from the cache
    # A group's own date, then its removal.
    own = GroupDeadline.objects.create(
        assignment=first, group=host.group_a, due_at=NOW + timedelta(days=9)
    )
    assert _work_of(pupil)["Первое"].timetable.due_at == own.due_at
    own.delete()
    assert _work_of(pupil)["Первое"].timetable.due_at == first.due_at
    # Retitled and archived assignments.
    first.title = "Переименованное"
    first.save()
    assert "Переименованное" in _work_of(pupil)
    first.is_archived = True
    first.save()
    assert set(_work_of(pupil)) == {"Второе"}
    # A lesson unpublished: its assignment is gone (the public generation).
    LessonPage.objects.get(pk=tree.lessons[1].pk).unpublish()
    assert _work_of(pupil) == {}


def test_the_cached_hand_ins_follow_every_write_at_once(world, django_capture_on_commit_callbacks):
    """Each way a pupil's attempts, grades and extensions change, the next page sees it
    (assessments.work_cache): the signals and the writes that send none."""
    from assessments.quiz import attempts
    from tests.assessments.quiz.builders import make_quiz, single

    tree, host = world.tree, world.host
    pupil, teacher, group = host.pupils_a[0], host.teacher_a, host.group_a
    project = make_assignment(tree.lessons[0], title="Проект", due_at=NOW + timedelta(days=3))
    assert _work_of(pupil)["Проект"].state is State.NOT_STARTED
    assert _work_of(pupil)["Проект"].state is State.NOT_STARTED  # from the cache
    state = submissions.pupil_state(pupil, project)
    draft = submissions.start_draft(state, pupil)  # a signal
    assert _work_of(pupil)["Проект"].state is State.DRAFT
    submissions.save_text(draft, "Робот собран")  # update(): no signal
    submissions.submit(draft, submissions.pupil_state(pupil, project))  # update(): no signal
    assert _work_of(pupil)["Проект"].state is State.HANDED_IN
    with django_capture_on_commit_callbacks(execute=True):
        grading.return_for_rework(draft, teacher, "Добавь фото")
    assert _work_of(pupil)["Проект"].state is State.RETURNED
    second = submit(project, pupil, group, attempt=2)
    with django_capture_on_commit_callbacks(execute=True):
        grading.save_grade(second, teacher, points="7")  # a draft grade: not shown yet
    assert _work_of(pupil)["Проект"].points is None
    with django_capture_on_commit_callbacks(execute=True):
        assert grading.release_grades([second], teacher) == 1  # bulk_update(): no signal
    released = _work_of(pupil)["Проект"]
    assert released.state is State.GRADED and released.points == 7
    # An extension granted, moved and taken back.
    extension = Extension.objects.create(
        assignment=project,
        pupil=pupil,
        group=group,
        due_at=NOW + timedelta(days=10),
        granted_by=teacher,
    )
    assert _work_of(pupil)["Проект"].timetable.due_at == NOW + timedelta(days=10)
    extension.due_at = NOW + timedelta(days=12)
    extension.save()
    assert _work_of(pupil)["Проект"].timetable.due_at == NOW + timedelta(days=12)
    extension.delete()
    assert _work_of(pupil)["Проект"].timetable.due_at == NOW + timedelta(days=3)
    # A quiz attempt handed in (update(): no signal).
    setup = make_quiz(tree.lessons[1], [single()], title="Тест")
    attempt = attempts.start(submissions.pupil_state(pupil, setup.assignment), pupil)
    assert _work_of(pupil)["Тест"].state is State.DRAFT
    assert attempts.finish(attempt)
    assert _work_of(pupil)["Тест"].state is not State.DRAFT
