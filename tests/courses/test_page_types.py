"""The course tree's shape is enforced: Home > Catalogue > Course > Module > Lesson."""

import pytest
from django.test import override_settings
from django.urls import reverse
from wagtail.models import Page

from cms.models import HomePage, StandardPage
from courses.models import CataloguePage, CoursePage, LessonPage, ModulePage
from events.models import EventIndexPage, EventPage
from lms.models import User
from tests import builders

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("parent", "children"),
    [
        (HomePage, {CataloguePage, EventIndexPage, StandardPage}),
        (EventIndexPage, {EventPage}),
        (EventPage, set()),
        (CataloguePage, {CoursePage}),
        (CoursePage, {ModulePage}),
        (ModulePage, {LessonPage}),
        (LessonPage, set()),
    ],
)
def test_allowed_children(parent, children):
    assert set(parent.allowed_subpage_models()) == children


def test_lesson_cannot_live_outside_a_module(course):
    assert not LessonPage.can_create_at(course.course)
    assert LessonPage.can_create_at(course.modules[0])
    assert not CoursePage.can_create_at(builders.home_page())


def test_user_model_and_display_name():
    user = User.objects.create_user("vasya", display_name="Вася Пупкин")
    assert str(user) == "Вася Пупкин"
    assert User.objects.create_user("petya").get_display_name() == "petya"


def admin_add_lesson(client, module, body_markdown: str, title: str = "Новый урок"):
    """Create a lesson through the Wagtail admin's own form, as a methodologist would."""
    url = reverse("wagtailadmin_pages:add", args=["courses", "lessonpage", module.pk])
    data = {**builders.lesson_admin_form(title, "new-lesson", body_markdown), "action-publish": "1"}
    return client.post(url, data)


def test_methodologist_authors_and_publishes_a_lesson_in_the_admin(client, course, methodologist):
    client.force_login(methodologist)
    response = admin_add_lesson(client, course.modules[0], "## Привет\n\nТекст урока")
    assert response.status_code == 302, response.content.decode()[:3000]
    lesson = LessonPage.objects.get(slug="new-lesson")
    assert lesson.live and lesson.get_parent().pk == course.modules[0].pk
    assert lesson.revisions.count() == 1


@override_settings(LMS_MARKDOWN_MAX_CHARS=200_000)
def test_a_1mb_markdown_block_is_refused_with_a_message_and_nothing_saved(
    client, course, methodologist
):
    client.force_login(methodologist)
    response = admin_add_lesson(client, course.modules[0], "a" * 1_000_000)
    assert response.status_code == 200  # the form again, with the error
    assert "200000" in response.content.decode() or "200 000" in response.content.decode()
    assert not LessonPage.objects.filter(slug="new-lesson").exists()


def test_a_video_link_that_is_not_a_video_is_refused_in_the_admin(client, course, methodologist):
    client.force_login(methodologist)
    url = reverse("wagtailadmin_pages:add", args=["courses", "lessonpage", course.modules[0].pk])
    data = {
        "title": "Видео",
        "slug": "video-lesson",
        "duration_minutes": "45",
        "body-count": "1",
        "body-0-deleted": "",
        "body-0-order": "0",
        "body-0-type": "video",
        "body-0-id": "",
        "body-0-value-url": "https://example.com/not-a-video",
        "body-0-value-file": "",
        "body-0-value-caption": "",
        "action-publish": "publish",
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert not LessonPage.objects.filter(slug="video-lesson").exists()


def test_oversized_markdown_already_stored_renders_as_plain_text(client, course, school):
    """Data that bypassed the form (an old import) is shown, not a 500 or a CPU spike."""
    builders.enrol(school.group_a, course)
    lesson = course.lessons[0]
    lesson.body = [{"type": "markdown", "value": "<script>x</script>" + "b" * 300_000}]
    lesson.save_revision().publish()
    client.force_login(school.pupils_a[0])
    response = client.get(Page.objects.get(pk=lesson.pk).url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "markdown-too-long" in html and "<script>x" not in html


def test_pupils_and_teachers_cannot_open_the_admin(client, school):
    for user in (school.pupils_a[0], school.teacher_a):
        client.force_login(user)
        response = client.get(reverse("wagtailadmin_home"))
        assert response.status_code == 302 and "login" in response.url
