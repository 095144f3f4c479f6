"""An assignment placed inside a lesson body: a card with a link, for those who read the
lesson; an archived one disappears; authors choose it in the admin."""

import pytest
from django.urls import reverse

from courses.models import LessonPage
from tests.assessments.builders import make_assignment

pytestmark = pytest.mark.django_db


def _place(lesson: LessonPage, assignment) -> LessonPage:
    lesson = LessonPage.objects.get(pk=lesson.pk)
    lesson.body.append(("assignment", {"assignment": assignment}))
    lesson.save_revision().publish()
    return lesson


def test_the_block_shows_a_card_with_the_link(client, two_schools):
    lesson = two_schools.tree.lessons[0]
    assignment = make_assignment(lesson, title="Собери робота-сортировщика")
    lesson = _place(lesson, assignment)
    client.force_login(two_schools.host.pupils_a[0])
    html = client.get(lesson.url).content.decode()
    assert 'class="assignment-block"' in html
    assert reverse("assessments:assignment", args=[assignment.pk]) in html

    assignment.is_archived = True
    assignment.save()
    html = client.get(lesson.url).content.decode()
    assert 'class="assignment-block"' not in html


def test_authors_get_the_assignment_chooser(client, two_schools):
    make_assignment(two_schools.tree.lessons[0], title="Собери робота-сортировщика")
    client.force_login(two_schools.methodologist)
    response = client.get(reverse("assignment_chooser:choose"))
    assert response.status_code == 200
    assert "Собери робота-сортировщика" in response.json()["html"]
