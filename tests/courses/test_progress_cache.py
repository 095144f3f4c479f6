"""courses.progress_cache: a pupil's marks from the shared cache, and never an old mark."""

from __future__ import annotations

from datetime import timedelta
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from courses import progress_cache, services
from courses.models import LessonProgress
from lms import generations
from tests import builders

pytestmark = pytest.mark.django_db


@pytest.fixture
def scene(client):
    school = builders.build_school("pc")
    tree = builders.build_course("progress-cached", modules=2, lessons=2)
    builders.enrol(school.group_a, tree)
    pupil = school.pupils_a[0]
    client.force_login(pupil)
    return client, tree, pupil


def progress_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return sum('FROM "courses_lessonprogress"' in q["sql"] for q in captured)


def test_a_revisited_lesson_reads_no_progress_row(scene):
    client, tree, _pupil = scene
    lesson = tree.lessons[0]
    client.get(lesson.url)  # the first opening writes its row (and moves the token)
    client.get(lesson.url)
    assert progress_queries(client, lesson.url) == 0
    client.get(tree.course.url)
    assert progress_queries(client, tree.course.url) == 0


def test_marking_done_and_undone_shows_at_once(scene):
    client, tree, _pupil = scene
    lesson = tree.lessons[1]
    client.get(lesson.url)
    client.get(tree.course.url)  # both pages' rows cached
    client.post(reverse("courses:mark_lesson", args=[lesson.pk]), {"done": "1"})
    assert "is-done" in client.get(tree.course.url).content.decode()
    assert 'class="done-badge"' in client.get(lesson.url).content.decode()
    client.post(reverse("courses:mark_lesson", args=[lesson.pk]), {"done": "0"})
    assert 'class="done-badge"' not in client.get(lesson.url).content.decode()
    assert "is-done" not in client.get(tree.course.url).content.decode()


def test_a_first_opening_shows_on_the_course_page_at_once(scene):
    client, tree, _pupil = scene
    assert "is-opened" not in client.get(tree.course.url).content.decode()
    client.get(tree.lessons[2].url)  # bulk_create: no signal, the token is moved by hand
    assert "is-opened" in client.get(tree.course.url).content.decode()


def test_the_last_seen_update_moves_the_token(scene):
    client, tree, pupil = scene
    lesson = tree.lessons[0]
    client.get(lesson.url)
    long_ago = timezone.now() - timedelta(hours=1)
    LessonProgress.objects.filter(user=pupil).update(last_seen_at=long_ago)
    progress_cache.progress_changed(pupil.pk)  # as the test's own update() needs
    client.get(lesson.url)  # sees the old time, writes a new one
    record = LessonProgress.objects.get(user=pupil, lesson_id=lesson.pk)
    assert record.last_seen_at > long_ago
    cached = services.progress_by_lesson(pupil, tree.course.pk)[lesson.pk]
    assert cached.last_seen_at == record.last_seen_at


def test_rows_read_while_a_write_lands_are_never_served(scene):
    """A second tab writes while this request is loading: what it loaded is stored under the
    old token, and the next request loads again."""
    _client, tree, pupil = scene
    scope = f"course:{tree.course.pk}"

    def load_during_a_write() -> dict:
        progress_cache.progress_changed(pupil.pk)  # the other tab's write, mid-load
        return {"old": "rows"}

    assert progress_cache.remembered(pupil.pk, scope, load_during_a_write) == {"old": "rows"}
    assert progress_cache.remembered(pupil.pk, scope, lambda: {"new": "rows"}) == {"new": "rows"}
    assert progress_cache.remembered(pupil.pk, scope, lambda: {"never": "asked"}) == {"new": "rows"}


def test_a_cache_that_is_down_still_shows_the_marks(scene):
    client, tree, _pupil = scene
    lesson = tree.lessons[0]
    client.post(reverse("courses:mark_lesson", args=[lesson.pk]), {"done": "1"})
    broken = mock.Mock(**{f"{n}.side_effect": ConnectionError for n in ("get_many", "set")})
    with mock.patch.object(generations, "cache", broken):
        assert "is-done" in client.get(tree.course.url).content.decode()
