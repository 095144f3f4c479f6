"""The lesson body cache is never stale and never personal: a publish, a renamed picture or
file, an archived assignment show at once; a cache that fails still serves the right page;
what is stored holds no name, progress or token."""

from unittest import mock

import pytest
from django.core.cache import cache

from cms import body_cache
from courses.models import LessonPage
from lms import generations
from tests import builders
from tests.courses.lesson_bodies import fill_every_block

pytestmark = pytest.mark.django_db


@pytest.fixture
def scene(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    school = builders.build_school("bc")
    tree = builders.build_course("cached", modules=1, lessons=2)
    builders.enrol(school.group_a, tree)
    lesson = tree.lessons[0]
    made = fill_every_block(lesson, copies=1)
    return school, lesson, made


def _get(client, lesson) -> str:
    response = client.get(lesson.url)
    assert response.status_code == 200
    return response.content.decode()


def test_a_publish_shows_at_once(client, scene):
    school, lesson, _made = scene
    client.force_login(school.pupils_a[0])
    assert "Собираем **робота**" not in _get(client, lesson)
    page = LessonPage.objects.get(pk=lesson.pk)
    page.body = [("markdown", "Новый текст урока")]
    page.save_revision().publish()
    html = _get(client, lesson)
    assert "Новый текст урока" in html and "Шаг 0" not in html


def test_a_renamed_file_or_picture_shows_at_once(client, scene):
    school, lesson, made = scene
    client.force_login(school.pupils_a[0])
    _get(client, lesson)
    document = made.documents[0]
    document.title = "Переименованный лист"
    document.save()
    image = made.images[0]
    image.title = "Новая подпись картинки"
    image.save()
    html = _get(client, lesson)
    assert "Переименованный лист" in html and "Новая подпись картинки" in html


def test_assignments_are_live_and_only_the_lessons_own(client, scene):
    school, lesson, made = scene
    client.force_login(school.pupils_a[0])
    assert 'class="assignment-block"' in _get(client, lesson)
    assignment = made.assignments[0]
    assignment.title = "Новое название задания"
    assignment.save()
    assert "Новое название задания" in _get(client, lesson)
    assignment.is_archived = True
    assignment.save()
    assert 'class="assignment-block"' not in _get(client, lesson)


def test_a_new_and_a_deleted_assignment_show_in_the_cached_list_at_once(client, scene):
    from tests.assessments.builders import make_assignment

    school, lesson, made = scene
    client.force_login(school.pupils_a[0])
    before = _get(client, lesson).count('class="lesson-assignment"')
    added = make_assignment(LessonPage.objects.get(pk=lesson.pk), title="Совсем новое задание")
    html = _get(client, lesson)
    assert "Совсем новое задание" in html
    assert html.count('class="lesson-assignment"') == before + 1
    added.delete()
    assert "Совсем новое задание" not in _get(client, lesson)
    broken = mock.Mock(**{f"{name}.side_effect": ConnectionError for name in ("get_many", "set")})
    with mock.patch.object(generations, "cache", broken):  # the cache down: the query
        assert _get(client, lesson).count('class="lesson-assignment"') == before


def test_nothing_personal_is_stored(client, scene):
    school, lesson, _made = scene
    pupil = school.pupils_a[0]
    client.force_login(pupil)
    _get(client, lesson)
    page = LessonPage.objects.get(pk=lesson.pk)
    generation, segments = cache.get(body_cache.body_key(page, page.body, "ru"))
    stored = "".join(s for s in segments if isinstance(s, str))
    assert "<video" in stored and 'class="file-block"' in stored
    assert not any(isinstance(s, str) and "assignment-block" in s for s in segments)
    for personal in (pupil.username, pupil.get_display_name(), "csrfmiddlewaretoken"):
        assert personal not in stored


def test_a_cache_that_fails_still_serves_the_page(client, scene):
    school, lesson, _made = scene
    client.force_login(school.pupils_a[0])
    expected = _get(client, lesson).count('class="block ')
    broken = mock.Mock(**{f"{name}.side_effect": ConnectionError for name in ("get_many", "set")})
    with mock.patch.object(body_cache, "cache", broken):
        assert _get(client, lesson).count('class="block ') == expected


def test_a_preview_is_never_stored(scene, rf):
    _school, lesson, _made = scene
    page = LessonPage.objects.get(pk=lesson.pk)
    cache.clear()
    body_cache.render_body(page, page.body, {}, use_cache=False)
    assert cache.get(body_cache.body_key(page, page.body, "ru")) is None
