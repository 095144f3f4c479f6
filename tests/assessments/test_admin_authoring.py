"""Assignments and rubrics in the Wagtail admin: methodologists edit all, a course's authors
edit that course's only, and pupils' work is never lost by editing content."""

import pytest
from django.urls import reverse

from assessments.models import Assignment
from courses import authoring
from tests import builders
from tests.assessments.builders import make_assignment, make_rubric, submit

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def setup(two_schools):
    other = builders.build_course("other-course", modules=1, lessons=1)
    author = two_schools.host.teacher_a
    authoring.add_author(two_schools.tree.course, author)
    own = make_assignment(two_schools.tree.lessons[0])
    foreign = make_assignment(other.lessons[0], title="Чужое задание")
    return two_schools, other, author, own, foreign


def _form(lesson_id: int, **extra) -> dict:
    data = {
        "lesson": lesson_id,
        "title": "Фото робота",
        "kind": "project",
        "instructions": "Сфотографируйте робота **сбоку**.",
        "max_points": "10",
        "weight": "1",
        "rubric": "",
        "opens_at": "",
        "due_at": "",
        "cutoff_at": "",
        "late_penalty_per_day": "10",
        "late_penalty_cap": "50",
        "max_attempts": "2",
        "counts": "best",
        "accepted_types": "images, pdf",
        "max_file_mb": "20",
        "allow_text": "on",
    }
    return {**data, **extra}


def test_an_author_sees_and_edits_only_their_courses_assignments(client, setup):
    two_schools, other, author, own, foreign = setup
    client.force_login(author)
    index = client.get(reverse("assignments:index"))
    assert index.status_code == 200
    html = index.content.decode()
    assert own.title in html and foreign.title not in html
    assert client.get(reverse("assignments:edit", args=[own.pk])).status_code == 200
    assert client.get(reverse("assignments:edit", args=[foreign.pk])).status_code == 404
    assert client.post(reverse("assignments:delete", args=[foreign.pk])).status_code == 404

    created = client.post(reverse("assignments:add"), _form(two_schools.tree.lessons[1].pk))
    assert created.status_code == 302, created.content.decode()[:2000]
    new = Assignment.objects.get(title="Фото робота")
    assert new.course_id == two_schools.tree.course.pk
    assert "pdf" in new.accepted_types and "png" in new.accepted_types

    refused = client.post(reverse("assignments:add"), _form(other.lessons[0].pk))
    assert refused.status_code == 200
    assert "only to your own courses" in refused.content.decode()
    assert not Assignment.objects.filter(lesson=other.lessons[0], title="Фото робота").exists()


def test_bad_dates_and_types_are_refused_with_messages(client, setup):
    two_schools, _other, author, _own, _foreign = setup
    client.force_login(author)
    lesson = two_schools.tree.lessons[1].pk
    bad_dates = client.post(
        reverse("assignments:add"),
        _form(lesson, opens_at="2026-12-10 10:00", due_at="2026-12-01 10:00"),
    )
    assert "The due time must be after the opening time." in bad_dates.content.decode()
    bad_types = client.post(reverse("assignments:add"), _form(lesson, accepted_types="svg, exe"))
    assert "Unknown file types" in bad_types.content.decode()
    assert not Assignment.objects.filter(title="Фото робота").exists()


def test_a_methodologist_edits_every_assignment_and_rubric(client, setup):
    two_schools, _other, _author, own, foreign = setup
    client.force_login(two_schools.methodologist)
    html = client.get(reverse("assignments:index")).content.decode()
    assert own.title in html and foreign.title in html
    assert client.get(reverse("rubrics:index")).status_code == 200
    assert client.get(reverse("rubrics:add")).status_code == 200


def test_pupils_and_plain_teachers_have_no_assignment_admin(client, setup):
    two_schools, *_ = setup
    for user in (two_schools.host.pupils_a[0], two_schools.host.teacher_b):
        client.force_login(user)
        assert client.get(reverse("assignments:index")).status_code in (302, 403)
        assert client.get(reverse("rubrics:index")).status_code in (302, 403)


def test_an_assignment_with_work_cannot_be_deleted_only_archived(client, setup):
    two_schools, _other, _author, own, _foreign = setup
    host = two_schools.host
    client.force_login(two_schools.methodologist)
    empty = make_assignment(two_schools.tree.lessons[1], title="Пустое")
    assert client.post(reverse("assignments:delete", args=[empty.pk])).status_code == 302
    assert not Assignment.objects.filter(pk=empty.pk).exists()

    submit(own, host.pupils_a[0], host.group_a)
    response = client.post(reverse("assignments:delete", args=[own.pk]), follow=True)
    assert "so it cannot be deleted" in response.content.decode()
    assert Assignment.objects.filter(pk=own.pk).exists()


def test_a_lesson_with_pupils_work_is_neither_deleted_nor_unpublished(client, setup):
    two_schools, _other, _author, own, _foreign = setup
    host = two_schools.host
    submit(own, host.pupils_a[0], host.group_a)
    lesson = own.lesson
    client.force_login(two_schools.superuser)
    for url in (
        reverse("wagtailadmin_pages:delete", args=[lesson.pk]),
        reverse("wagtailadmin_pages:delete", args=[two_schools.tree.modules[0].pk]),
        reverse("wagtailadmin_pages:unpublish", args=[lesson.pk]),
    ):
        response = client.post(url, follow=True)
        assert "holds pupils&#x27; submitted work" in response.content.decode(), url
    lesson.refresh_from_db()
    assert lesson.live


def test_rubric_shown_with_its_maximum(setup):
    rubric = make_rubric()
    rubric.refresh_from_db()
    assert rubric.max_points == 10
