"""What needs a teacher (assessments.attention): "N to grade" and "N late" on each card of "My
groups" and per assignment on a group's page, checked against the one-group rules they repeat
in SQL (the grading queue; deadlines.timetable_for), in a fixed number of queries."""

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments import attention, deadlines, grading_queue
from assessments.models import Assignment, Extension, Grade, GroupDeadline, Submission
from courses.models import Enrolment
from lms.models import StudyGroup, User
from tests import builders, scenario
from tests.assessments.builders import make_assignment, submit

pytestmark = pytest.mark.django_db

Status = Submission.Status
NOW = timezone.now()
PAST = NOW - timedelta(days=2)
FUTURE = NOW + timedelta(days=2)


@dataclass
class World:
    two: builders.TwoSchools
    a1: Assignment  # module 1, due two days ago
    a2: Assignment  # module 2, due two days ago
    a3: Assignment  # module 1, due in two days
    a4: Assignment  # module 2, no due date
    archived: Assignment  # module 1, due two days ago, archived

    @property
    def host(self):
        return self.two.host

    @property
    def visiting(self):
        return self.two.visiting


def handed(assignment, pupil, group, status=Status.SUBMITTED, attempt=1) -> Submission:
    submission = submit(assignment, pupil, group, attempt=attempt)
    if status != Status.SUBMITTED:
        Submission.objects.filter(pk=submission.pk).update(status=status)
    return submission


@scenario.shared
def world():
    """The host's a-1 takes the whole course, its a-2 the second module; the visiting school's
    v-1 takes the first module. Three pupils in each group."""
    two = builders.build_two_schools(pupils=3)
    tree, host, visiting = two.tree, two.host, two.visiting
    builders.enrol(host.group_b, tree, module=tree.modules[1])
    m1, m2 = (tree.lessons_of(m) for m in tree.modules)
    w = World(
        two,
        a1=make_assignment(m1[0], title="Датчик линии", due_at=PAST),
        a2=make_assignment(m2[0], title="Моторы", due_at=PAST),
        a3=make_assignment(m1[1], title="Схема", due_at=FUTURE),
        a4=make_assignment(m2[1], title="Отчёт"),
        archived=make_assignment(m1[0], title="Старое", due_at=PAST, is_archived=True),
    )
    p0, p1, p2 = host.pupils_a
    handed(w.a1, p0, host.group_a)  # to grade
    draft_graded = handed(w.a1, p1, host.group_a)  # a draft grade: only needs releasing
    Grade.objects.create(submission=draft_graded, points=Decimal(5), is_released=False)
    handed(w.a1, p2, host.group_a, status=Status.DRAFT)  # a draft is not handed in: late
    handed(w.a2, p0, host.group_a, status=Status.GRADED)
    handed(w.a2, p1, host.group_a, status=Status.RETURNED)  # the pupil's move; not late either
    handed(w.a3, p0, host.group_a)  # to grade, due later
    handed(w.a3, p1, host.group_a, status=Status.RETURNED)
    handed(w.a3, p1, host.group_a, attempt=2)  # the new attempt waits for a grade
    handed(w.archived, p0, host.group_a)  # archived assignments' work still needs a grade
    handed(w.a1, visiting.pupils_a[0], visiting.group_a)
    return w


# --- The one-group rules the SQL repeats --------------------------------------------------------


def queue_to_grade(group: StudyGroup) -> dict[int, int]:
    queue = grading_queue.grading_queue(group)
    return {s.assignment.pk: s.not_graded for s in queue.summaries if s.not_graded}


def timetable_late(group: StudyGroup, now) -> dict[int, set[int]]:
    """Assignment -> late pupils, one pupil and one assignment at a time."""
    if group.is_archived:
        return {}
    late: dict[int, set[int]] = {}
    for enrolment in Enrolment.objects.filter(group=group, is_active=True):
        assignments = Assignment.objects.filter(
            course=enrolment.course, is_archived=False, lesson__live=True, course__live=True
        )
        if enrolment.module_id:
            assignments = assignments.filter(lesson__path__startswith=enrolment.module.path)
        for assignment in assignments:
            for pupil in User.objects.pupils_of(group):
                due = deadlines.pupil_timetable(assignment, pupil.pk, group.pk).due_at
                done = (
                    Submission.objects.filter(assignment=assignment, pupil=pupil)
                    .exclude(status=Status.DRAFT)
                    .exists()
                )
                if due is not None and due < now and not done:
                    late.setdefault(assignment.pk, set()).add(pupil.pk)
    return late


def all_groups(w: World) -> list[StudyGroup]:
    return [w.host.group_a, w.host.group_b, w.visiting.group_a, w.visiting.group_b]


def assert_agrees_with_the_one_group_rules(w: World, now=None):
    now = now or timezone.now()
    found = attention.groups_attention(all_groups(w), now)
    for group in all_groups(w):
        got = found[group.pk]
        to_grade = {a.assignment_id: a.to_grade for a in got.assignments if a.to_grade}
        late = {a.assignment_id: set(a.late_pupil_ids) for a in got.assignments if a.late}
        assert to_grade == queue_to_grade(group), group.name
        assert late == timetable_late(group, now), group.name
        assert got.to_grade == sum(to_grade.values())
        assert got.late == len(set().union(*late.values()) if late else set())
    return found


def test_the_counts_of_each_group(world):
    w = world
    found = assert_agrees_with_the_one_group_rules(w)
    host_a = found[w.host.group_a.pk]
    assert (host_a.to_grade, host_a.late) == (4, 1)  # a1 p0, a3 p0 and p1, archived p0; p2
    by_title = {a.title: a for a in host_a.assignments}
    assert by_title["Датчик линии"].late_pupil_ids == [w.host.pupils_a[2].pk]
    assert by_title["Моторы"].late_pupil_ids == [w.host.pupils_a[2].pk]
    assert by_title["Схема"].to_grade == 2 and by_title["Старое"].to_grade == 1
    assert "Отчёт" not in by_title  # no due date: never late
    host_b = found[w.host.group_b.pk]
    assert (host_b.to_grade, host_b.late) == (0, 3)  # module 2 only: a2
    assert [a.title for a in host_b.assignments] == ["Моторы"]
    visiting = found[w.visiting.group_a.pk]
    assert (visiting.to_grade, visiting.late) == (1, 2)  # module 1 only: a1
    assert found[w.visiting.group_b.pk].is_empty  # takes nothing


def test_the_assignments_come_in_outline_order(world):
    found = attention.group_attention(world.host.group_a)
    paths = [a.lesson_path for a in found.assignments]
    assert paths == sorted(paths)


def test_group_dates_and_extensions_move_the_due_date(world):
    w = world
    host, visiting = w.host, w.visiting
    GroupDeadline.objects.create(assignment=w.a1, group=visiting.group_a, due_at=FUTURE)
    Extension.objects.create(
        assignment=w.a2, group=host.group_b, pupil=host.pupils_b[0], due_at=FUTURE
    )
    # A group's date can also bring the due date forward, and an extension in another group
    # changes nothing here.
    GroupDeadline.objects.create(assignment=w.a4, group=host.group_b, due_at=PAST)
    Extension.objects.create(
        assignment=w.a2, group=host.group_a, pupil=host.pupils_b[1], due_at=FUTURE
    )
    found = assert_agrees_with_the_one_group_rules(w)
    assert found[visiting.group_a.pk].late == 0
    host_b = found[host.group_b.pk]
    by_title = {a.title: a for a in host_b.assignments}
    assert sorted(by_title["Моторы"].late_pupil_ids) == sorted(p.pk for p in host.pupils_b[1:])
    assert len(by_title["Отчёт"].late_pupil_ids) == 3
    assert host_b.late == 3


def test_work_handed_in_through_another_group_is_not_late(world):
    w = world
    pupil = w.host.pupils_b[0]
    handed(w.a2, pupil, w.host.group_a)  # as if they had been in a-1 then
    found = assert_agrees_with_the_one_group_rules(w)
    late = {a.title: a.late_pupil_ids for a in found[w.host.group_b.pk].assignments}
    assert pupil.pk not in late["Моторы"]


def test_nothing_is_late_in_an_archived_group_or_an_ended_enrolment(world):
    w = world
    StudyGroup.objects.filter(pk=w.host.group_b.pk).update(is_archived=True)
    Enrolment.objects.filter(group=w.visiting.group_a).update(is_active=False)
    w.host.group_b.refresh_from_db()
    found = assert_agrees_with_the_one_group_rules(w)
    assert found[w.host.group_b.pk].late == 0
    visiting = found[w.visiting.group_a.pk]
    assert (visiting.to_grade, visiting.late) == (1, 0)  # handed-in work still needs a grade


def test_the_boundary_is_the_due_moment(world):
    w = world
    found = attention.groups_attention([w.host.group_b], now=PAST)  # exactly at the due time
    assert found[w.host.group_b.pk].late == 0
    found = attention.groups_attention([w.host.group_b], now=PAST + timedelta(seconds=1))
    assert found[w.host.group_b.pk].late == 3


def test_one_query_for_any_number_of_groups(world, django_assert_num_queries):
    w = world
    with django_assert_num_queries(1):
        attention.groups_attention([w.host.group_a])
    with django_assert_num_queries(1):
        attention.groups_attention(all_groups(w))
    with django_assert_num_queries(0):
        assert attention.groups_attention([]) == {}


# --- The pages -----------------------------------------------------------------------------


def test_my_groups_shows_what_needs_the_teacher(client, world, english):
    w = world
    teacher = w.host.teacher_a
    client.force_login(teacher)
    html = client.get(reverse("teach:groups")).content.decode()
    queue = reverse("assessments:grading_queue", args=[w.host.group_a.pk])
    assert f'href="{queue}"' in html
    assert "4 to grade" in html and "1 late" in html


def test_the_group_page_puts_the_work_to_grade_first(client, world, english):
    w = world
    client.force_login(w.host.teacher_a)
    html = client.get(reverse("teach:group", args=[w.host.group_a.pk])).content.decode()
    needs = html.index('id="attention-title"')
    assert needs < html.index('id="progress-title"') < html.index('id="roster-title"')
    queue = reverse("assessments:grading_queue", args=[w.host.group_a.pk])
    assert f'href="{queue}?assignment={w.a3.pk}"' in html
    late_pupil = w.host.pupils_a[2]
    assert late_pupil.get_display_name() in html[needs : html.index('id="progress-title"')]


def test_a_school_admin_sees_the_counts_without_the_grading_links(client, world, english):
    w = world
    client.force_login(w.host.admin)
    html = client.get(reverse("teach:groups")).content.decode()
    assert "4 to grade" in html
    assert reverse("assessments:grading_queue", args=[w.host.group_a.pk]) not in html


def test_a_group_with_nothing_to_do_says_so(client, world, english):
    w = world
    client.force_login(w.visiting.teacher_b)
    html = client.get(reverse("teach:groups")).content.decode()
    assert "to grade" not in html.replace("Nothing to grade", "")
    assert "Nothing to grade" in html
    html = client.get(reverse("teach:group", args=[w.visiting.group_b.pk])).content.decode()
    assert "Nothing to grade" in html


# --- Query counts: pinned, and the same for one group and several, few and many works -------

MY_GROUPS_QUERIES = 9  # 12 before the access facts and the user were kept in the shared cache
GROUP_PAGE_QUERIES = 15  # 18 before the access facts and the user were kept in the shared cache


def page_queries(client, user, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(user)
    assert client.get(url).status_code == 200  # warm the per-site caches
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def add_work(w: World, n: int) -> None:
    """n more assignments due in the past in each module, handed in by some pupils."""
    for module in w.two.tree.modules:
        lesson = w.two.tree.lessons_of(module)[0]
        for k in range(n):
            extra = make_assignment(lesson, title=f"Ещё {k}", due_at=PAST)
            for group, pupils in (
                (w.host.group_a, w.host.pupils_a),
                (w.host.group_b, w.host.pupils_b),
            ):
                handed(extra, pupils[k % len(pupils)], group)


def test_my_groups_and_the_group_page_cost_a_fixed_number_of_queries(
    client, world, django_assert_num_queries
):
    from lms.models import Membership

    w = world
    teacher = w.host.teacher_b  # a-2 only, then a-1 too
    one_group = page_queries(client, teacher, reverse("teach:groups"))
    group_page = reverse("teach:group", args=[w.host.group_b.pk])
    few = page_queries(client, teacher, group_page)
    Membership.objects.create(user=teacher, group=w.host.group_a, role=Membership.Role.TEACHER)
    add_work(w, 6)
    client.force_login(teacher)
    client.get(reverse("teach:groups"))  # the new membership moved the access facts: warm them
    with django_assert_num_queries(MY_GROUPS_QUERIES):
        html = client.get(reverse("teach:groups")).content.decode()
    assert one_group == MY_GROUPS_QUERIES
    assert html.count('class="needs"') == 2
    with django_assert_num_queries(GROUP_PAGE_QUERIES):
        client.get(group_page)
    assert few == GROUP_PAGE_QUERIES
