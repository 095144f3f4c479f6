"""Grading: the queue of a group, the grading page, saving, releasing and returning work, the
history of every change, and the hostile cases: bad points, foreign rubric levels, other groups'
and schools' work, a teacher removed mid-way, markup in feedback."""

from __future__ import annotations

import itertools
import threading
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from assessments import grade_history, grading, grading_queue
from assessments.models import Grade, GradeChange, Rubric, Submission, SubmissionFile
from assessments.scoring import ScoreError
from lms import roles
from lms.models import Membership, User
from tests.assessments.builders import make_assignment, make_rubric, submit

pytestmark = pytest.mark.django_db

D = Decimal
Status = Submission.Status


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def world(two_schools):
    """Module 1's first lesson carries a plain assignment and a rubric one; the host group a-1
    (whole course) and the visiting group v-1 (module 1) both take them."""
    w = two_schools
    lesson = w.tree.lessons[0]
    rubric = stable_rubric()
    return SimpleNamespace(
        w=w,
        host=w.host,
        visiting=w.visiting,
        plain=make_assignment(lesson, title="Line follower", late_penalty_per_day=10),
        rubric_task=make_assignment(lesson, title="Robot project", rubric=rubric),
        rubric=rubric,
        teacher=w.host.teacher_a,
        pupil=w.host.pupils_a[0],
        group=w.host.group_a,
    )


def stable_rubric(title: str = "Проект") -> Rubric:
    """make_rubric stores levels as plain dicts, without ids, so each load would give them new
    ones (a rubric saved in the admin always has them): store the ids once."""
    rubric = make_rubric(title)
    rubric.table()  # binds every block, giving each level an id
    rubric.criteria = rubric.criteria.get_prep_value()
    rubric.save()
    rubric.refresh_from_db()
    return rubric


def levels_of(rubric: Rubric, *indexes: int) -> dict[str, str]:
    """Criterion id -> the id of its level number `index` (one index per criterion)."""
    return {c.id: c.levels[i].id for c, i in zip(rubric.table(), indexes, strict=True)}


def english(client, user):
    client.cookies["django_language"] = "en"
    client.force_login(user)
    return client


def grade_url(submission) -> str:
    return reverse("assessments:grading_submission", args=[submission.pk])


def queue_url(group) -> str:
    return reverse("assessments:grading_queue", args=[group.pk])


# --- Services ---------------------------------------------------------------------------------


def test_save_draft_then_release_with_history(world):
    work = submit(world.plain, world.pupil, world.group)
    grade = grading.save_grade(work, world.teacher, points="7,5", feedback="Хорошо")
    work.refresh_from_db()
    assert (grade.points, grade.final_points, grade.is_released) == (D("7.5"), D("7.5"), False)
    assert work.status == Status.SUBMITTED  # a draft grade: the pupil sees nothing yet
    grading.save_grade(work, world.teacher, points="7.5", feedback="Хорошо", release=True)
    work.refresh_from_db()
    grade.refresh_from_db()
    assert work.status == Status.GRADED
    assert grade.is_released and grade.released_at and grade.graded_by == world.teacher
    first, second = GradeChange.objects.filter(grade=grade)
    assert first.before == {} and first.after["points"] == "7.50"
    assert first.after["is_released"] is False
    assert second.before["is_released"] is False and second.after["is_released"] is True
    assert second.after["status"] == Status.GRADED and second.changed_by == world.teacher


def test_late_penalty_from_late_days_and_the_cap(world):
    work = submit(world.plain, world.pupil, world.group)
    Submission.objects.filter(pk=work.pk).update(is_late=True, late_days=2)
    grade = grading.save_grade(work, world.teacher, points=10)
    assert (grade.penalty_percent, grade.final_points) == (20, D("8.00"))
    Submission.objects.filter(pk=work.pk).update(late_days=9)  # 90%, capped at 50%
    grade = grading.save_grade(work, world.teacher, points=10)
    assert (grade.penalty_percent, grade.final_points) == (50, D("5.00"))


@pytest.mark.parametrize(
    ("points", "message"),
    [
        ("11", "At most 10"),
        ("10.01", "At most 10"),
        ("-1", "negative"),
        ("1e9", "as a number"),
        ("NaN", "as a number"),
        ("Infinity", "as a number"),
        ("", "Enter the points"),
        ("abc", "as a number"),
        ("7..5", "as a number"),
        (None, "Enter the points"),
        (D("NaN"), "as a number"),
        (float("inf"), "as a number"),
        (D("1E+9"), "At most 10"),
    ],
)
def test_bad_points_are_refused_and_nothing_is_saved(world, points, message):
    work = submit(world.plain, world.pupil, world.group)
    with pytest.raises(ScoreError, match=message):
        grading.save_grade(work, world.teacher, points=points, release=True)
    assert not Grade.objects.exists() and not GradeChange.objects.exists()
    work.refresh_from_db()
    assert work.status == Status.SUBMITTED


def test_rubric_grades_add_up_and_foreign_levels_are_refused(world):
    work = submit(world.rubric_task, world.pupil, world.group)
    build, program = world.rubric.table()
    grade = grading.save_grade(
        work,
        world.teacher,
        rubric_levels=levels_of(world.rubric, 1, 0),
        rubric_comments={build.id: "  Крепко  "},
    )
    assert grade.points == D("5.00")
    assert grade.rubric_choices[build.id]["comment"] == "Крепко"
    assert GradeChange.objects.count() == 1

    other = stable_rubric("Другая")
    bad = {
        "a criterion left out": ({build.id: build.levels[1].id}, "Choose a level"),
        "a level of another criterion": (
            {build.id: program.levels[1].id, program.id: program.levels[0].id},
            "does not belong",
        ),
        "a level of another rubric": (
            {build.id: other.table()[0].levels[1].id, program.id: program.levels[0].id},
            "does not belong",
        ),
        "a criterion of another rubric": (
            {other.table()[0].id: other.table()[0].levels[1].id},
            "rubric has changed",
        ),
    }
    for case, (levels, message) in bad.items():
        with pytest.raises(ScoreError, match=message):
            grading.save_grade(work, world.teacher, rubric_levels=levels, release=True)
        grade.refresh_from_db()
        assert grade.points == D("5.00") and not grade.is_released, case
    assert GradeChange.objects.count() == 1  # none of the refused saves left a trace


def test_a_draft_submission_cannot_be_graded_or_returned(world):
    work = submit(world.plain, world.pupil, world.group)
    Submission.objects.filter(pk=work.pk).update(status=Status.DRAFT)
    work.refresh_from_db()
    with pytest.raises(ScoreError, match="not been handed in"):
        grading.save_grade(work, world.teacher, points="5")
    with pytest.raises(ScoreError, match="not been handed in"):
        grading.return_for_rework(work, world.teacher, "Переделай")
    assert grading.release_grades([work], world.teacher) == 0
    assert not Grade.objects.exists()


def test_released_grade_edited_stays_released_and_the_change_is_recorded(world):
    work = submit(world.plain, world.pupil, world.group)
    grading.save_grade(work, world.teacher, points="9", release=True)
    other_teacher = world.host.teacher_b
    grade = grading.save_grade(work, other_teacher, points="6", feedback="Пересчитал")
    assert grade.is_released and grade.final_points == D("6.00")
    last = GradeChange.objects.filter(grade=grade).last()
    assert (last.before["points"], last.after["points"]) == ("9.00", "6.00")
    assert last.changed_by == other_teacher
    history = grade_history.grade_history(grade)
    assert [e.changed_by for e in history] == [world.teacher, other_teacher]
    changed = {c.key: (c.before, c.after) for c in history[1].changes}
    # Shown as a reader writes them (lms.numbers): "9", not the stored "9.00".
    assert changed["points"] == ("9", "6") and changed["feedback"] == ("—", "Пересчитал")
    assert "is_released" not in changed


def test_double_submit_makes_one_grade_and_keeps_every_change(world):
    work = submit(world.plain, world.pupil, world.group)
    tab_one = Submission.objects.get(pk=work.pk)  # two tabs opened on the same work
    tab_two = Submission.objects.get(pk=work.pk)
    grading.save_grade(tab_one, world.teacher, points="8", release=True)
    grading.save_grade(tab_one, world.teacher, points="8", release=True)  # double click
    assert GradeChange.objects.count() == 1  # the same form twice changes nothing
    grading.save_grade(tab_two, world.teacher, points="4")  # the stale tab: a draft of 4
    assert Grade.objects.count() == 1
    grade = Grade.objects.get()
    assert grade.points == D("4.00") and grade.is_released  # released stays released
    before, after = GradeChange.objects.last().before, GradeChange.objects.last().after
    assert (before["points"], after["points"]) == ("8.00", "4.00")


def test_return_for_rework(world):
    work = submit(world.plain, world.pupil, world.group)
    with pytest.raises(ScoreError, match="rework"):
        grading.return_for_rework(work, world.teacher, "   ")
    assert not Grade.objects.exists()
    grade = grading.return_for_rework(work, world.teacher, "Добавь фото **робота**")
    work.refresh_from_db()
    assert work.status == Status.RETURNED
    assert grade.is_released and grade.points is None and grade.feedback.startswith("Добавь")
    assert GradeChange.objects.get().after["status"] == Status.RETURNED
    # Points given later keep the work open for a new attempt.
    grading.save_grade(work, world.teacher, points="3", release=True)
    work.refresh_from_db()
    assert work.status == Status.RETURNED
    # Once a newer attempt is handed in, the old one cannot be returned again.
    submit(world.plain, world.pupil, world.group, attempt=2)
    with pytest.raises(ScoreError, match="newer attempt"):
        grading.return_for_rework(work, world.teacher, "Ещё раз")


def test_release_grades_in_bulk_with_a_history_row_each(world):
    pupils = world.host.pupils_a
    works = [submit(world.plain, p, world.group) for p in pupils]
    for work in works:
        grading.save_grade(work, world.teacher, points="6")
    done = submit(world.rubric_task, pupils[0], world.group)
    grading.save_grade(done, world.teacher, rubric_levels=levels_of(world.rubric, 1, 1))
    grading.save_grade(
        done, world.teacher, rubric_levels=levels_of(world.rubric, 1, 1), release=True
    )

    drafts = grading_queue.draft_grades(world.group, world.plain)
    assert len(drafts) == len(pupils)
    assert grading.release_grades(drafts, world.teacher) == len(pupils)
    assert grading.release_grades(drafts, world.teacher) == 0  # a second click: nothing more
    for work in works:
        work.refresh_from_db()
        assert work.status == Status.GRADED and work.grade.is_released
        last = work.grade.history.last()
        assert (last.before["is_released"], last.after["is_released"]) == (False, True)
        assert work.grade.history.count() == 2
    assert done.grade.history.count() == 2  # the other assignment was not touched


def test_queue_order_latest_attempts_and_filter(world):
    host = world.host
    p1, p2 = host.pupils_a
    late = submit(world.plain, p1, world.group)
    Submission.objects.filter(pk=late.pk).update(is_late=True, late_days=1)
    new = submit(world.rubric_task, p1, world.group)
    returned_old = submit(world.rubric_task, p2, world.group)
    grading.return_for_rework(returned_old, world.teacher, "Переделай")
    reworked = submit(world.rubric_task, p2, world.group, attempt=2)  # supersedes attempt 1
    drafted = submit(world.plain, p2, world.group)
    grading.save_grade(drafted, world.teacher, points="5")
    # Returned, and the pupil's new attempt is still a draft: the returned one stays listed.
    extra = make_assignment(world.w.tree.lessons[1], title="Report")
    waiting = submit(extra, p1, world.group)
    grading.return_for_rework(waiting, world.teacher, "Допиши вывод")
    Submission.objects.create(
        assignment=extra, pupil=p1, group=world.group, attempt=2, status=Status.DRAFT
    )
    graded = submit(extra, p2, world.group)
    grading.save_grade(graded, world.teacher, points="10", release=True)
    # Not this group's queue: another group's pupil, a draft.
    submit(world.plain, host.pupils_b[0], host.group_b)
    Submission.objects.create(
        assignment=world.rubric_task,
        pupil=host.pupils_b[1],
        group=world.group,
        attempt=1,
        status=Status.DRAFT,
    )
    # "Oldest first": `new` was handed in before `reworked`.
    Submission.objects.filter(pk=new.pk).update(submitted_at="2026-01-01T10:00Z")
    Submission.objects.filter(pk=reworked.pk).update(submitted_at="2026-01-02T10:00Z")

    queue = grading_queue.grading_queue(world.group)
    assert [e.pk for e in queue.entries] == [new.pk, reworked.pk, late.pk, drafted.pk, waiting.pk]
    assert [e.state for e in queue.entries] == ["new", "new", "late", "draft", "returned"]
    summary = {s.assignment.pk: s for s in queue.summaries}
    assert (summary[world.plain.pk].not_graded, summary[world.plain.pk].drafts) == (1, 1)
    assert summary[extra.pk].returned == 1

    only_plain = grading_queue.grading_queue(world.group, world.plain.pk)
    assert [e.pk for e in only_plain.entries] == [late.pk, drafted.pk]
    with_graded = grading_queue.grading_queue(world.group, extra.pk, include_graded=True)
    assert [e.pk for e in with_graded.entries] == [waiting.pk, graded.pk]
    # An unknown assignment: no filter.
    assert grading_queue.grading_queue(world.group, 999_999).assignment is None


# --- Pages ------------------------------------------------------------------------------------


def test_queue_page_and_who_may_open_it(client, world):
    work = submit(world.plain, world.pupil, world.group)
    url = queue_url(world.group)
    html = english(client, world.teacher).get(url).content.decode()
    assert world.pupil.get_display_name() in html and grade_url(work) in html
    assert english(client, world.w.superuser).get(url).status_code == 200
    others = [
        world.host.teacher_b,  # same school, another group
        world.host.admin,  # school admins view and manage, but do not grade
        world.visiting.teacher_a,
        world.visiting.admin,
        world.pupil,
        world.w.methodologist,
    ]
    for user in others:
        assert english(client, user).get(url).status_code == 404, user
    client.logout()
    assert client.get(url).status_code == 302


def test_queue_query_count_does_not_grow_with_submissions(client, world):
    pupil_role = Group.objects.get(name=roles.PUPIL)

    def fill(group, count: int, tag: str) -> None:
        pupils = User.objects.bulk_create(
            [User(username=f"{tag}{n}", school=group.school) for n in range(count)]
        )
        User.groups.through.objects.bulk_create(
            [User.groups.through(user_id=p.pk, group_id=pupil_role.pk) for p in pupils]
        )
        Membership.objects.bulk_create(
            [Membership(user=p, group=group, role=Membership.Role.PUPIL) for p in pupils]
        )
        for n, pupil in enumerate(pupils):
            work = submit(world.plain if n % 2 else world.rubric_task, pupil, group)
            SubmissionFile.objects.create(
                submission=work, file="x.png", display_name="x.png", kind="image",
                content_type="image/png", size=10,
            )  # fmt: skip
            if n % 3 == 0:
                grading.save_grade(work, world.teacher, points="5") if n % 2 else None
            if n % 5 == 0:
                grading.return_for_rework(work, world.teacher, "Ещё")

    small, large = world.host.group_a, world.visiting.group_a
    fill(small, 3, "s")
    fill(large, 40, "l")
    counts = []
    for group in (small, large):
        client.force_login(world.w.superuser)
        url = queue_url(group)
        client.get(url)  # warm caches
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url + f"?assignment={world.plain.pk}&graded=on")
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
    print("query counts:", counts)
    assert len(grading_queue.grading_queue(large).entries) == 40


def test_grading_page_shows_the_work_and_saves(client, world):
    work = submit(world.plain, world.pupil, world.group)
    Submission.objects.filter(pk=work.pk).update(
        text="Мой **робот** <script>alert(1)</script>", is_late=True, late_days=3
    )
    SubmissionFile.objects.create(
        submission=work, file="f/abc.jpg", display_name="robot<b>.jpg", kind="image",
        content_type="image/jpeg", size=2048,
    )  # fmt: skip
    client = english(client, world.teacher)
    html = client.get(grade_url(work)).content.decode()
    assert "<strong>робот</strong>" in html and "<script>alert" not in html
    assert "robot&lt;b&gt;.jpg" in html
    assert "reduced by 30%" in html and "Save and release" in html and "Save draft" in html

    response = client.post(
        grade_url(work), {"action": "release", "points": "10", "feedback": "Отлично"}
    )
    assert response.status_code == 302 and response.url.startswith(queue_url(world.group))
    grade = Grade.objects.get(submission=work)
    assert (grade.points, grade.final_points, grade.is_released) == (D("10"), D("7"), True)
    html = client.get(grade_url(work)).content.decode()
    assert "Save changes" in html and "Save draft" not in html
    assert "History of this grade" in html and world.teacher.get_display_name() in html


@pytest.mark.parametrize("points", ["11", "-1", "1e9", "NaN", "", "abc", "9" * 30])
def test_bad_points_on_the_page_give_a_message_and_save_nothing(client, world, points):
    work = submit(world.plain, world.pupil, world.group)
    response = english(client, world.teacher).post(
        grade_url(work), {"action": "release", "points": points}
    )
    assert response.status_code == 200
    assert 'class="field-error"' in response.content.decode() or "form-errors" in (
        response.content.decode()
    )
    assert not Grade.objects.exists()


def test_foreign_rubric_levels_on_the_page(client, world):
    work = submit(world.rubric_task, world.pupil, world.group)
    build, program = world.rubric.table()
    client = english(client, world.teacher)
    data = {
        "action": "release",
        f"level_{build.id}": program.levels[1].id,
        f"level_{program.id}": program.levels[1].id,
    }
    response = client.post(grade_url(work), data)
    assert response.status_code == 200 and "does not belong" in response.content.decode()
    response = client.post(grade_url(work), {"action": "release", f"level_{build.id}": "x"})
    assert "does not belong" in response.content.decode()
    assert not Grade.objects.exists()
    data[f"level_{build.id}"] = build.levels[1].id
    data[f"comment_{program.id}"] = "<img src=x onerror=alert(1)>"
    assert client.post(grade_url(work), data).status_code == 302
    assert Grade.objects.get().points == D("10")


def test_markup_in_feedback_and_comments_is_escaped_or_sanitised(client, world):
    work = submit(world.rubric_task, world.pupil, world.group)
    build, program = world.rubric.table()
    evil = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    grading.save_grade(
        work,
        world.teacher,
        rubric_levels=levels_of(world.rubric, 1, 1),
        rubric_comments={build.id: evil},
        feedback=f"**Молодец** {evil} [link](javascript:alert(1))",
        release=True,
    )
    later = submit(world.rubric_task, world.pupil, world.group, attempt=2)
    html = english(client, world.teacher).get(grade_url(work)).content.decode()
    later_html = client.get(grade_url(later)).content.decode()
    for page in (html, later_html):  # the form, the history; the other attempt's feedback
        assert "<script>alert" not in page and "<img src=x" not in page
        assert 'href="javascript:' not in page
    assert "&lt;script&gt;" in html  # the comment, escaped in the textarea and the history
    assert "<strong>Молодец</strong>" in later_html  # markdown of the earlier attempt's feedback


def test_return_for_rework_from_the_page(client, world):
    work = submit(world.plain, world.pupil, world.group)
    client = english(client, world.teacher)
    response = client.post(grade_url(work), {"action": "return", "feedback": ""})
    assert response.status_code == 200 and "rework" in response.content.decode()
    assert not Grade.objects.exists()
    response = client.post(grade_url(work), {"action": "return", "feedback": "Добавь фото"})
    assert response.status_code == 302
    work.refresh_from_db()
    assert work.status == Status.RETURNED and work.grade.is_released


def test_draft_submission_page_refuses_to_grade(client, world):
    work = submit(world.plain, world.pupil, world.group)
    Submission.objects.filter(pk=work.pk).update(status=Status.DRAFT, text="секрет")
    client = english(client, world.teacher)
    html = client.get(grade_url(work)).content.decode()
    assert "has not handed this work in yet" in html and "секрет" not in html
    response = client.post(grade_url(work), {"action": "release", "points": "5"}, follow=True)
    assert "cannot be graded" in response.content.decode()
    assert not Grade.objects.exists()


def test_other_groups_and_schools_get_404_and_no_history(client, world):
    """Moodle CVE-2020-1754: grade history shown across group restrictions. Here the grade,
    its history and its attempts are reachable only through the group the work was made in."""
    work = submit(world.plain, world.pupil, world.group)
    grading.save_grade(work, world.teacher, points="5", feedback="секретный отзыв", release=True)
    visiting_work = submit(world.plain, world.visiting.pupils_a[0], world.visiting.group_a)
    outsiders = [
        world.host.teacher_b,
        world.host.admin,
        world.visiting.teacher_a,
        world.visiting.admin,
        world.pupil,
        world.w.methodologist,
    ]
    for user in outsiders:
        client = english(client, user)
        assert client.get(grade_url(work)).status_code == 404, user
        response = client.post(grade_url(work), {"action": "release", "points": "0"})
        assert response.status_code == 404, user
        release = reverse("assessments:grading_release", args=[world.group.pk, world.plain.pk])
        assert client.post(release).status_code == 404, user
    # The host teacher forging the visiting school's submission id.
    client = english(client, world.teacher)
    assert client.get(grade_url(visiting_work)).status_code == 404
    assert (
        client.post(grade_url(visiting_work), {"action": "release", "points": "1"}).status_code
        == 404
    )
    assert not Grade.objects.filter(submission=visiting_work).exists()
    assert Grade.objects.get(submission=work).points == D("5.00")
    assert GradeChange.objects.count() == 1
    # A missing id looks the same as a forbidden one.
    assert client.get(reverse("assessments:grading_submission", args=[999_999])).status_code == 404


def test_a_pupils_attempt_in_another_group_stays_there(client, world):
    """The pupil moved from a-2 to a-1: a-1's teacher sees the new attempt, not the old one nor
    its feedback; a-2's teacher keeps seeing (only) the old one."""
    host = world.host
    pupil = host.pupils_b[0]
    old = submit(world.plain, pupil, host.group_b)
    grading.save_grade(old, host.teacher_b, points="2", feedback="старый отзыв", release=True)
    new = submit(world.plain, pupil, world.group, attempt=2)
    html = english(client, world.teacher).get(grade_url(new)).content.decode()
    assert "старый отзыв" not in html and grade_url(old) not in html
    assert client.get(grade_url(old)).status_code == 404
    html = english(client, host.teacher_b).get(grade_url(old)).content.decode()
    assert "earlier attempt" not in html  # attempt 2 is not b's to know about
    assert client.get(grade_url(new)).status_code == 404


def test_teacher_removed_from_the_group_gets_404_on_post(client, world):
    work = submit(world.plain, world.pupil, world.group)
    client = english(client, world.teacher)
    assert client.get(grade_url(work)).status_code == 200  # the page is open in a tab
    Membership.objects.filter(user=world.teacher, group=world.group).delete()
    response = client.post(grade_url(work), {"action": "release", "points": "5"})
    assert response.status_code == 404
    assert not Grade.objects.exists()
    release = reverse("assessments:grading_release", args=[world.group.pk, world.plain.pk])
    assert client.post(release).status_code == 404


def test_release_drafts_button(client, world):
    works = [submit(world.plain, p, world.group) for p in world.host.pupils_a]
    for work in works:
        grading.save_grade(work, world.teacher, points="4")
    elsewhere = submit(world.plain, world.host.pupils_b[0], world.host.group_b)
    grading.save_grade(elsewhere, world.host.teacher_b, points="4")
    client = english(client, world.teacher)
    html = client.get(queue_url(world.group)).content.decode()
    assert "Release 2 draft grades" in html
    release = reverse("assessments:grading_release", args=[world.group.pk, world.plain.pk])
    assert client.get(release).status_code == 405
    response = client.post(release, follow=True)
    assert "Released 2 grades" in response.content.decode()
    assert all(Grade.objects.get(submission=w).is_released for w in works)
    assert not Grade.objects.get(submission=elsewhere).is_released  # another group's draft
    response = client.post(release, follow=True)
    assert "no draft grades" in response.content.decode()
    # An assignment the group does not take is not found.
    foreign = make_assignment(world.w.tree.lessons[-1], title="Модуль 2")
    other_course = reverse(
        "assessments:grading_release", args=[world.visiting.group_a.pk, foreign.pk]
    )
    assert english(client, world.visiting.teacher_a).post(other_course).status_code == 404


def test_rubric_changed_since_grading(client, world):
    work = submit(world.rubric_task, world.pupil, world.group)
    grading.save_grade(work, world.teacher, rubric_levels=levels_of(world.rubric, 1, 1))
    client = english(client, world.teacher)
    assert "rubric has changed" not in client.get(grade_url(work)).content.decode()
    data = world.rubric.criteria.get_prep_value()
    data[0]["value"]["levels"][1]["value"]["points"] = "3"
    data[0]["value"]["levels"][1]["value"]["title"] = "Крепкая"
    world.rubric.criteria = data
    world.rubric.save()
    world.rubric.refresh_from_db()
    html = client.get(grade_url(work)).content.decode()
    assert "The rubric has changed since this grade was given" in html
    assert "Надёжная (5)" in html  # what was chosen then
    assert Grade.objects.get().points == D("10.00")  # the grade keeps its snapshot
    build, program = world.rubric.table()
    data = {
        "action": "draft",
        f"level_{build.id}": build.levels[1].id,
        f"level_{program.id}": program.levels[1].id,
    }
    assert client.post(grade_url(work), data).status_code == 302
    grade = Grade.objects.get()
    assert grade.points == D("8.00") and grade.rubric_choices[build.id]["level"] == "Крепкая"
    assert "rubric has changed" not in client.get(grade_url(work)).content.decode()


def test_grading_page_query_count_does_not_grow(client, world):
    def prepare(pupil, files: int, changes: int, attempts: int) -> Submission:
        for attempt in range(1, attempts):
            earlier = submit(world.plain, pupil, world.group, attempt=attempt)
            grading.return_for_rework(earlier, world.teacher, f"Попытка {attempt}")
        work = submit(world.plain, pupil, world.group, attempt=attempts)
        for n in range(files):
            SubmissionFile.objects.create(
                submission=work, file=f"{n}.png", display_name=f"{n}.png", kind="image",
                content_type="image/png", size=10,
            )  # fmt: skip
        for n in range(changes):
            grading.save_grade(work, world.teacher, points=str(n % 10), feedback=f"v{n}")
        return work

    small = prepare(world.host.pupils_a[0], files=1, changes=1, attempts=2)
    large = prepare(world.host.pupils_a[1], files=12, changes=15, attempts=6)
    client.force_login(world.teacher)
    counts = []
    for work in (small, large):
        client.get(grade_url(work))
        with CaptureQueriesContext(connection) as queries:
            assert client.get(grade_url(work)).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
    print("query counts:", counts)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_tabs_saving_at_once_make_one_grade_and_keep_every_change():
    if connection.vendor != "postgresql":
        pytest.skip("needs real concurrent transactions (PostgreSQL); SQLite serialises writers")
    from tests import builders

    two_schools = builders.build_two_schools()
    assignment = make_assignment(two_schools.tree.lessons[0])
    teacher, group = two_schools.host.teacher_a, two_schools.host.group_a
    work = submit(assignment, two_schools.host.pupils_a[0], group)
    barrier = threading.Barrier(4)
    errors = []

    def save(points: str) -> None:
        from django.db import connection as own

        try:
            barrier.wait()
            grading.save_grade(Submission.objects.get(pk=work.pk), teacher, points=points)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            own.close()

    threads = [threading.Thread(target=save, args=(str(n + 1),)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    grade = Grade.objects.get(submission=work)
    changes = list(grade.history.all())
    assert len(changes) == 4 and changes[0].before == {}
    for earlier, later in itertools.pairwise(changes):  # each change starts where the last ended
        assert later.before == earlier.after
    assert changes[-1].after["points"] == str(grade.points)
