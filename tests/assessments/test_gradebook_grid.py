"""The gradebook as a teacher reads it: columns named by assignment (short name, the whole title
with its lesson beside it for hover, focus and screen readers), names "Фамилия Имя" in surname
order, pupils with nothing handed in marked in words, and the group's picture by assignment
(assessments.gradebook_chart) whose figures match the table."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from assessments import gradebook, gradebook_chart
from assessments.gradebook import CellStatus
from assessments.models import Grade, Submission
from lms import accounts, roles
from lms.models import Membership
from tests import builders
from tests.assessments.builders import make_assignment, submit

pytestmark = pytest.mark.django_db

SVG = "{http://www.w3.org/2000/svg}"
LONG = "Отчёт о настройке ПИД-регулятора для движения по линии"


@pytest.fixture
def scene(two_schools):
    world = two_schools
    group = world.host.group_a
    Membership.objects.filter(group=group, role=Membership.Role.PUPIL).delete()
    pupils = {}
    for login, last, first in [
        ("gb1", "Соколов", "Максим"),
        ("gb2", "Ёлкин", "Степан"),
        ("gb3", "Иванова", "Софья"),
        ("gb4", "Алексеев", "Лев"),
    ]:
        pupil = builders.make_user(
            login, roles.PUPIL, school=world.host.school, last_name=last, first_name=first
        )
        Membership.objects.create(user=pupil, group=group, role=Membership.Role.PUPIL)
        pupils[login] = pupil
    lessons = world.tree.lessons
    first = make_assignment(lessons[0], title="Линия", max_points=Decimal("10"))
    second = make_assignment(lessons[2], title=LONG, max_points=Decimal("8.5"))
    graded = submit(first, pupils["gb1"], group)
    Grade.objects.create(
        submission=graded,
        points=Decimal(9),
        final_points=Decimal(9),
        is_released=True,
        released_at=timezone.now(),
    )
    submit(second, pupils["gb1"], group)  # waiting for a grade
    returned = submit(first, pupils["gb3"], group)
    Submission.objects.filter(pk=returned.pk).update(status=Submission.Status.RETURNED)
    # gb4 handed in work, then left the group: listed (marked), but not "nothing handed in".
    submit(first, pupils["gb4"], group)
    accounts.remove_from_group(pupils["gb4"], group, Membership.Role.PUPIL)
    return world, group, pupils, first, second


def book_of(world, group) -> gradebook.Gradebook:
    return gradebook.build_gradebook(group, world.tree.course)


def test_names_are_surname_first_in_surname_order_and_the_idle_are_found(scene):
    world, group, pupils, _first, _second = scene
    book = book_of(world, group)
    assert [row.name for row in book.rows] == [
        "Ёлкин Степан",
        "Иванова Софья",
        "Соколов Максим",
        "Алексеев Лев",  # left the group: after the current pupils
    ]
    assert [row.name for row in book.no_work] == ["Ёлкин Степан"]
    assert [row.has_no_work for row in book.rows] == [True, False, False, False]
    assert [row.pupil for row in book.current_rows] == [
        pupils["gb2"],
        pupils["gb3"],
        pupils["gb1"],
    ]


def test_status_counts_are_of_the_current_pupils(scene):
    world, group, _pupils, _first, _second = scene
    counts = book_of(world, group).status_counts()
    assert counts[0] == {
        CellStatus.GRADED: 1,
        CellStatus.AWAITING: 0,
        CellStatus.RETURNED: 1,
        CellStatus.NOT_SUBMITTED: 1,
    }  # the pupil who left is not counted
    assert counts[1][CellStatus.AWAITING] == 1 and counts[1][CellStatus.NOT_SUBMITTED] == 2


def test_the_chart_says_what_the_table_says(scene):
    world, group, _pupils, _first, _second = scene
    with translation.override("en"):
        svg = gradebook_chart.assignments_svg(book_of(world, group))
    root = ET.fromstring(svg)  # noqa: S314 - our own output
    assert root.get("role") == "img"
    desc = root.find(f"{SVG}desc").text
    assert (
        "Линия — graded: 1, waiting for a grade: 0, returned for rework: 1, not handed in: 1;"
        in desc
    )
    assert f"{LONG} — graded: 0, waiting for a grade: 1" in desc
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "1 of 3" in texts and "0 of 3" in texts
    assert "style" not in svg.lower()


def test_the_chart_of_a_group_without_pupils_says_so(two_schools):
    group = two_schools.host.group_a
    Membership.objects.filter(group=group, role=Membership.Role.PUPIL).delete()
    make_assignment(two_schools.tree.lessons[0], title="Линия")
    with translation.override("en"):
        svg = gradebook_chart.assignments_svg(book_of(two_schools, group))
    assert "No pupils in this group yet." in svg


def test_the_page_names_columns_and_marks_who_handed_in_nothing(client, scene):
    world, group, _pupils, first, second = scene
    client.cookies["django_language"] = "en"
    client.force_login(world.host.teacher_a)
    url = reverse("assessments:gradebook", args=[group.pk, world.tree.course.pk])
    html = client.get(url).content.decode()
    assert "css/grids.css" in html
    # Named by assignment: a short name for the eye, the whole title and its lesson for the
    # tip and for screen readers (the short one is hidden from them).
    assert '<span class="col-short" aria-hidden="true">Линия</span>' in html
    short = LONG[:25].rsplit(" ", 1)[0]
    assert f'<span class="col-short" aria-hidden="true">{short}…</span>' in html
    lesson = world.tree.lessons[2].title
    assert f'<span class="col-full">{LONG}<span class="col-more"> · {lesson} · ' in html
    assert "max 8.5" in html
    assert html.count('class="is-idle"') == 1
    assert "1 pupil has handed in nothing yet:" in html
    assert '<th scope="row" class="pupil-col">Ёлкин Степан' in html
    assert "nothing handed in" in html
    assert '<svg xmlns="http://www.w3.org/2000/svg" role="img"' in html
    assert " style=" not in html.split("<body", 1)[1]
    # Totals come right after the names (kept in view on a wide screen), points at the end.
    head = html.split("<thead>", 1)[1].split("</thead>", 1)[0]
    assert head.index("Total, %") < head.index("Линия") < head.index(LONG) < head.index("Points")
    assert f"?sort=a{first.pk}" in head and f"?sort=a{second.pk}" in head


def test_the_export_lists_names_surname_first(scene):
    world, group, _pupils, _first, _second = scene
    header, rows = gradebook.export_table(book_of(world, group))
    assert [row[0] for row in rows] == [
        "Ёлкин Степан",
        "Иванова Софья",
        "Соколов Максим",
        "Алексеев Лев",
    ]
