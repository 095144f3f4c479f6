import pytest
from django.urls import reverse

from courses.models import LessonProgress
from tests import builders

pytestmark = pytest.mark.django_db


def test_anonymous_sees_course_overview_with_how_to_join(client, course):
    response = client.get(course.course.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert course.course.title in html
    assert "Урок 1.1" in html
    assert reverse("login") in html


def test_enrolled_pupil_reads_lesson_and_progress_is_recorded(client, course, school):
    builders.enrol(school.group_a, course)
    pupil = school.pupils_a[0]
    client.force_login(pupil)
    lesson = course.lessons[0]
    response = client.get(lesson.url)
    assert response.status_code == 200, response.content.decode()[:2000]
    html = response.content.decode()
    assert "Собираем <strong>робота</strong>" in html
    assert LessonProgress.objects.filter(user=pupil, lesson=lesson, completed_at=None).exists()
