"""Wagtail's drafts, previews and revisions work for lessons."""

import pytest
from django.urls import reverse

from courses.models import LessonPage
from tests import builders

pytestmark = pytest.mark.django_db


def lesson_form(title: str, markdown: str) -> dict:
    return builders.lesson_admin_form(title, "draft-lesson", markdown)


def test_preview_of_an_edit_shows_the_draft(client, course, methodologist):
    client.force_login(methodologist)
    lesson = course.lessons[0]
    url = reverse("wagtailadmin_pages:preview_on_edit", args=[lesson.pk])
    response = client.post(url, lesson_form("Черновик урока", "**Новый текст**"))
    assert response.status_code == 200
    assert response.json()["is_valid"]
    response = client.get(url)
    assert response.status_code == 200
    assert "<strong>Новый текст</strong>" in response.content.decode()


def test_preview_of_a_new_lesson(client, course, methodologist):
    client.force_login(methodologist)
    url = reverse(
        "wagtailadmin_pages:preview_on_add", args=["courses", "lessonpage", course.modules[0].pk]
    )
    response = client.post(url, lesson_form("Совсем новый", "Текст *нового* урока"))
    assert response.json()["is_valid"]
    response = client.get(url)
    assert response.status_code == 200
    assert "<em>нового</em>" in response.content.decode()


def test_draft_is_not_live_until_published(client, course, methodologist, school):
    client.force_login(methodologist)
    module = course.modules[0]
    url = reverse("wagtailadmin_pages:add", args=["courses", "lessonpage", module.pk])
    response = client.post(url, lesson_form("Черновик", "текст"))
    assert response.status_code == 302
    draft = LessonPage.objects.get(slug="draft-lesson")
    assert not draft.live
    client.force_login(methodologist)
    assert client.get("/courses/robots/m1/draft-lesson/").status_code == 404
    draft.get_latest_revision().publish()
    assert client.get("/courses/robots/m1/draft-lesson/").status_code == 200
