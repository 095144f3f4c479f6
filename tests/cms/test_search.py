import pytest
from django.urls import reverse

from tests import builders

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(course, school):
    builders.enrol(school.group_a, course, module=course.modules[0])
    return course, school


def titles(response) -> set[str]:
    return {page.title for page in response.context["page_obj"].object_list}


def test_anonymous_finds_courses_but_no_lessons(client, world):
    course, _ = world
    response = client.get(reverse("search"), {"q": "Урок"})
    assert response.status_code == 200
    assert not any(t.startswith("Урок") for t in titles(response))
    response = client.get(reverse("search"), {"q": "проверки"})
    assert course.course.title in titles(response)


def test_pupil_finds_only_lessons_they_may_open(client, world):
    course, school = world
    client.force_login(school.pupils_a[0])
    found = titles(client.get(reverse("search"), {"q": "робота"}))
    allowed = {lesson.title for lesson in course.lessons_of(course.modules[0])}
    assert found == allowed


def test_methodologist_finds_every_lesson(client, world, methodologist):
    course, _ = world
    client.force_login(methodologist)
    found = titles(client.get(reverse("search"), {"q": "робота"}))
    assert found == {lesson.title for lesson in course.lessons}


@pytest.mark.parametrize(
    "params",
    [{"q": ""}, {"q": "x" * 5000}, {"q": "робота", "page": "abc"}, {"q": "робота", "page": "999"},
     {"q": "<script>alert(1)</script>"}, {"q": "\x00"}, {"q": "AND OR NOT ( \" '"}],
)  # fmt: skip
def test_odd_queries_never_fail(client, world, params):
    response = client.get(reverse("search"), params)
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.content.decode()
