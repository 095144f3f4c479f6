import pytest
from django.urls import reverse

from courses import permissions as course_permissions
from courses import services
from courses.models import LessonProgress
from tests import builders

pytestmark = pytest.mark.django_db


@pytest.fixture
def pupil_client(client, course, school):
    builders.enrol(school.group_a, course)
    client.force_login(school.pupils_a[0])
    return client


def mark(client, lesson, done="1", **extra):
    return client.post(reverse("courses:mark_lesson", args=[lesson.pk]), {"done": done, **extra})


def test_mark_done_is_idempotent_and_reversible(pupil_client, course, school):
    pupil = school.pupils_a[0]
    lesson = course.lessons[0]
    for _ in range(3):  # double click, retry
        response = mark(pupil_client, lesson)
        assert response.status_code == 302
    records = LessonProgress.objects.filter(user=pupil, lesson=lesson)
    assert records.count() == 1
    first_completed = records.get().completed_at
    assert first_completed is not None
    mark(pupil_client, lesson)
    assert records.get().completed_at == first_completed  # a repeat keeps the first time
    mark(pupil_client, lesson, done="0")
    assert records.get().completed_at is None


def test_progress_shows_on_dashboard_and_course(pupil_client, course):
    mark(pupil_client, course.lessons[0])
    dashboard = pupil_client.get(reverse("courses:my_courses")).content.decode()
    assert '<progress value="1" max="4"' in dashboard
    course_html = pupil_client.get(course.course.url).content.decode()
    assert '<progress value="1" max="4"' in course_html
    assert course_html.count("is-done") == 1


def test_next_lesson_and_outline_order(pupil_client, course):
    response = pupil_client.get(course.lessons[1].url)
    context = response.context
    assert context["previous_lesson"].id == course.lessons[0].pk
    assert context["next_lesson"].id == course.lessons[2].pk  # across the module boundary


def test_redirect_target_must_be_local(pupil_client, course):
    lesson = course.lessons[0]
    response = mark(pupil_client, lesson, next="https://evil.example/")
    assert response.url == lesson.url
    response = mark(pupil_client, lesson, next=course.lessons[1].url)
    assert response.url == course.lessons[1].url


def test_not_enrolled_cannot_mark_and_gets_404(client, course, school):
    client.force_login(school.pupils_b[0])
    assert mark(client, course.lessons[0]).status_code == 404
    assert mark(client, course.lessons[0]).status_code == 404
    assert not LessonProgress.objects.exists()


def test_unknown_or_unpublished_lesson_is_404(pupil_client, course):
    assert pupil_client.post(reverse("courses:mark_lesson", args=[999999])).status_code == 404
    lesson = course.lessons[0]
    lesson.unpublish()
    assert mark(pupil_client, lesson).status_code == 404


def test_get_is_not_allowed_and_anonymous_is_sent_to_login(client, course):
    url = reverse("courses:mark_lesson", args=[course.lessons[0].pk])
    response = client.post(url)
    assert response.status_code == 302 and "/login/" in response.url
    client.force_login(builders.make_user("someone"))
    assert client.get(url).status_code == 405


def test_teacher_does_not_record_progress(client, course, school):
    builders.enrol(school.group_a, course)
    client.force_login(school.teacher_a)
    response = mark(client, course.lessons[0])
    assert response.status_code == 302
    assert not LessonProgress.objects.exists()


def test_opening_records_once_even_on_repeat(pupil_client, course, school):
    lesson = course.lessons[0]
    pupil_client.get(lesson.url)
    pupil_client.get(lesson.url)
    assert LessonProgress.objects.filter(user=school.pupils_a[0], lesson=lesson).count() == 1


def test_outline_percent_and_first_unfinished(course, school):
    builders.enrol(school.group_a, course)
    pupil = school.pupils_a[0]
    services.set_lesson_completed(pupil, course.lessons[0], course.course.pk, True)
    access = course_permissions.course_access(pupil, course.course.pk)
    outline = services.build_outline(
        None, course.course, access, services.progress_by_lesson(pupil, course.course.pk)
    )
    assert (outline.completed, outline.total, outline.percent) == (1, 4, 25)
    assert outline.first_unfinished().id == course.lessons[1].pk
