"""Points as a reader writes them on the pages that show them: the locale's decimal mark, no
trailing zeros, the plural form ("8,5 из 10 баллов", "10 баллов"), and a quoted title that
holds quotes of its own not quoted twice."""

from decimal import Decimal

import pytest
from django.urls import reverse

from assessments import grading
from tests.assessments.builders import make_assignment, submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def graded(two_schools):
    assignment = make_assignment(
        two_schools.tree.lessons[0], title="Проект «Угадай число»", max_points=Decimal("10")
    )
    pupil = two_schools.host.pupils_a[0]
    work = submit(assignment, pupil, two_schools.host.group_a)
    grading.save_grade(work, two_schools.host.teacher_a, points="8.5", release=True)
    return two_schools, assignment, pupil, work


def test_the_pupil_sees_8_5_of_10_points(client, graded):
    _world, assignment, pupil, _work = graded
    client.force_login(pupil)
    page = client.get(reverse("assessments:assignment", args=[assignment.pk])).content.decode()
    assert "8,5 из 10 баллов" in page
    assert "8.50" not in page and "10.00" not in page and "Баллы: 8" not in page


def test_my_grades_show_8_5_and_the_course_total_in_a_plural(client, graded):
    _world, _assignment, pupil, _work = graded
    client.force_login(pupil)
    page = client.get(reverse("assessments:gradebook_mine")).content.decode()
    assert "<strong>8,5</strong>" in page
    assert "8.50" not in page and "баллов:" not in page


def test_the_english_page_has_a_decimal_point(en, graded):
    _world, assignment, pupil, _work = graded
    en.force_login(pupil)
    page = en.get(reverse("assessments:assignment", args=[assignment.pk])).content.decode()
    assert "8.5 of 10 points" in page


def test_the_grading_page_says_what_was_saved_in_a_plural(client, graded):
    world, _assignment, _pupil, work = graded
    client.force_login(world.host.teacher_a)
    page = client.get(reverse("assessments:grading_submission", args=[work.pk])).content.decode()
    assert "Сохранено: 8,5 балла." in page
    assert "Сохранено баллов" not in page


def test_the_lesson_lists_its_assignment_with_10_points(client, graded):
    world, _assignment, pupil, _work = graded
    client.force_login(pupil)
    page = client.get(world.tree.lessons[0].url).content.decode()
    assert "10 баллов" in page and "баллов: 10" not in page
