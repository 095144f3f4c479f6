"""Lesson files are served only to those who may open the lesson (documents have sequential
ids, so "anyone with the link" would mean anyone who counts)."""

import pytest
from django.core.files.base import ContentFile
from wagtail.documents import get_document_model

from courses import permissions as course_permissions
from courses.models import LessonPage

pytestmark = pytest.mark.django_db


def _document(title: str):
    document = get_document_model()(title=title)
    document.file.save(f"{title}.pdf", ContentFile(b"%PDF-1.4 worksheet"), save=False)
    document.save()
    return document


def _attach(lesson: LessonPage, document) -> None:
    lesson = LessonPage.objects.get(pk=lesson.pk)
    lesson.body.append(("file", {"document": document, "title": "", "description": ""}))
    lesson.save_revision().publish()


@pytest.fixture
def lesson_file(two_schools, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    document = _document("worksheet-m1")
    _attach(two_schools.tree.lessons_of(two_schools.tree.modules[0])[0], document)
    return document


def test_a_lesson_file_is_served_to_its_readers_only(client, two_schools, lesson_file):
    host, visiting = two_schools.host, two_schools.visiting
    readers = [
        host.pupils_a[0],  # a-1 takes the whole course
        visiting.pupils_a[0],  # v-1 takes the shared module 1
        host.teacher_a,
        two_schools.methodologist,
    ]
    outsiders = [host.pupils_b[0], visiting.pupils_b[0], host.teacher_b]
    for user in readers:
        client.force_login(user)
        response = client.get(lesson_file.url)
        assert response.status_code == 200, user
        assert b"".join(response.streaming_content).startswith(b"%PDF")
    for user in outsiders:
        client.force_login(user)
        assert client.get(lesson_file.url).status_code == 404, user
    client.logout()
    assert client.get(lesson_file.url).status_code == 404


def test_a_file_of_an_unshared_module_stays_with_the_host(client, two_schools, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    document = _document("worksheet-m2")
    _attach(two_schools.tree.lessons_of(two_schools.tree.modules[1])[0], document)
    client.force_login(two_schools.visiting.pupils_a[0])
    assert client.get(document.url).status_code == 404
    client.force_login(two_schools.host.pupils_a[0])
    assert client.get(document.url).status_code == 200


def test_an_unused_document_is_for_catalogue_staff_only(two_schools, settings, tmp_path):
    can_download = course_permissions.can_download_document
    settings.MEDIA_ROOT = tmp_path
    document = _document("draft")
    assert can_download(two_schools.methodologist, document)
    assert can_download(two_schools.superuser, document)
    assert not can_download(two_schools.host.teacher_a, document)
    assert not can_download(two_schools.host.pupils_a[0], document)
