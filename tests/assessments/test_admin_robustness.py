"""The assignment admin and the due-date pages never answer 500: History and Usage pages, a
forged lesson id, and dates far outside any school year (typed, or already stored) give a clear
message on the form, or a page, and save nothing."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
from django.urls import reverse

from assessments.models import Assignment, Extension, GroupDeadline
from courses import authoring
from tests import builders
from tests.assessments.builders import make_assignment

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

SAMARA = zoneinfo.ZoneInfo("Europe/Samara")
FAR_DATES = ["0001-01-01T00:00", "9999-12-31T23:59", "1899-06-01T10:00", "2101-01-01T00:00"]


@pytest.fixture
def world(two_schools):
    authoring.add_author(two_schools.tree.course, two_schools.host.teacher_a)
    assignment = make_assignment(
        two_schools.tree.lessons[0],
        opens_at=dt.datetime(2026, 12, 1, 9, 0, tzinfo=SAMARA),
        due_at=dt.datetime(2026, 12, 5, 23, 59, tzinfo=SAMARA),
    )
    return two_schools, assignment


def _form(lesson_id, **extra) -> dict:
    data = {
        "lesson": lesson_id,
        "title": "Фото робота",
        "kind": "project",
        "instructions": "",
        "max_points": "10",
        "weight": "1",
        "rubric": "",
        "opens_at": "",
        "due_at": "",
        "cutoff_at": "",
        "late_penalty_per_day": "0",
        "late_penalty_cap": "50",
        "max_attempts": "1",
        "counts": "last",
        "accepted_types": "images",
        "max_file_mb": "20",
        "allow_text": "on",
    }
    return {**data, **extra}


# --- History and Usage ---------------------------------------------------------------------------


@pytest.mark.parametrize("view", ["history", "usage", "copy"])
def test_history_usage_and_copy_pages_open_for_own_assignments_only(client, world, view):
    two_schools, assignment = world
    client.force_login(two_schools.methodologist)
    assert client.get(reverse(f"assignments:{view}", args=[assignment.pk])).status_code == 200
    client.force_login(two_schools.host.teacher_a)  # an author of the course
    assert client.get(reverse(f"assignments:{view}", args=[assignment.pk])).status_code == 200
    other = make_assignment(builders.build_course("other", 1, 1).lessons[0])
    assert client.get(reverse(f"assignments:{view}", args=[other.pk])).status_code == 404


# --- A forged lesson id --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "lesson", ["abc", "1.5", "-1", "999999", "", "1 OR 1=1", "99999999999999999999999"]
)
def test_forged_lesson_id_is_a_form_error(client, world, lesson):
    two_schools, assignment = world
    client.force_login(two_schools.methodologist)
    for url in (reverse("assignments:add"), reverse("assignments:edit", args=[assignment.pk])):
        response = client.post(url, _form(lesson))
        assert response.status_code == 200, url
    assert not Assignment.objects.filter(title="Фото робота").exists()


# --- Dates far outside any school year -----------------------------------------------------------


@pytest.mark.parametrize("typed", FAR_DATES)
@pytest.mark.parametrize("field", ["opens_at", "due_at", "cutoff_at"])
def test_far_dates_in_the_assignment_form_are_refused(client, world, typed, field):
    two_schools, assignment = world
    client.force_login(two_schools.methodologist)
    lesson = two_schools.tree.lessons[1].pk
    response = client.post(reverse("assignments:add"), _form(lesson, **{field: typed}))
    assert response.status_code == 200
    assert "Enter a date between the years 2000 and 2100." in response.content.decode()
    assert not Assignment.objects.filter(title="Фото робота").exists()
    edit = client.post(
        reverse("assignments:edit", args=[assignment.pk]),
        _form(lesson, title=assignment.title, **{field: typed}),
    )
    assert edit.status_code == 200
    assert "Enter a date between the years 2000 and 2100." in edit.content.decode()
    fresh = Assignment.objects.get(pk=assignment.pk)
    assert (fresh.opens_at, fresh.due_at) == (assignment.opens_at, assignment.due_at)


@pytest.mark.parametrize("typed", FAR_DATES)
def test_far_dates_on_the_due_date_pages_are_refused(client, world, typed):
    two_schools, assignment = world
    group, pupil = two_schools.host.group_a, two_schools.host.pupils_a[0]
    client.force_login(two_schools.host.teacher_a)
    page = reverse("assessments:dates", args=[group.pk, assignment.pk])
    for field in ("opens_at", "due_at", "cutoff_at"):
        response = client.post(page, {f"group-{field}": typed, "action": "save"})
        assert response.status_code == 400
        assert "Enter a date between the years 2000 and 2100." in response.content.decode()
    ext = reverse("assessments:dates_extension", args=[group.pk, assignment.pk, pupil.pk])
    for field in ("due_at", "cutoff_at"):
        data = {f"ext{pupil.pk}-due_at": "2026-12-20T23:59", f"ext{pupil.pk}-{field}": typed}
        response = client.post(ext, {**data, "action": "save"})
        assert response.status_code == 400
        assert "Enter a date between the years 2000 and 2100." in response.content.decode()
    assert not GroupDeadline.objects.exists()
    assert not Extension.objects.exists()


@pytest.mark.parametrize("typed", ["0001-01-01 00:00", "9999-12-31 23:59"])
def test_far_dates_typed_the_admin_way_are_refused(client, world, typed):
    """The Wagtail date widget sends "YYYY-MM-DD HH:MM"; year 1 in Samara overflowed on saving."""
    two_schools, _assignment = world
    client.force_login(two_schools.methodologist)
    response = client.post(
        reverse("assignments:add"), _form(two_schools.tree.lessons[1].pk, opens_at=typed)
    )
    assert response.status_code == 200
    assert "Enter a date between the years 2000 and 2100." in response.content.decode()
    assert not Assignment.objects.filter(title="Фото робота").exists()


@pytest.mark.parametrize("url_id", ["abc", "1.5", "99999999999999999999999"])
@pytest.mark.parametrize("view", ["edit", "delete", "copy", "history", "usage"])
def test_forged_assignment_id_in_the_url_is_404(client, world, url_id, view):
    two_schools, _assignment = world
    client.force_login(two_schools.methodologist)
    url = reverse(f"assignments:{view}", args=[1]).replace("/1/", f"/{url_id}/")
    assert client.get(url).status_code == 404


def _stored_far_dates_are_moved_into_range():
    """The data migration's step, run on today's models."""
    import importlib

    from django.apps import apps

    migration = importlib.import_module("assessments.migrations.0005_keep_work_and_date_range")
    migration.clamp_stored_dates(apps, None)


def test_pages_showing_a_far_date_stored_earlier_do_not_fail(client, world):
    """A 9999 date stored before the range check overflowed when shown in Samara time (a 500
    on the pupil's page, the due-date pages and the admin); the migration moves such dates
    into the range, and every page opens."""
    two_schools, assignment = world
    group, pupil = two_schools.host.group_a, two_schools.host.pupils_a[0]
    never = dt.datetime(9999, 12, 31, 23, 59, tzinfo=dt.UTC)
    always = dt.datetime(1, 1, 1, tzinfo=dt.UTC)
    Assignment.objects.filter(pk=assignment.pk).update(opens_at=always, due_at=never)
    GroupDeadline.objects.create(assignment=assignment, group=group, cutoff_at=never)
    Extension.objects.create(assignment=assignment, pupil=pupil, group=group, due_at=never)

    _stored_far_dates_are_moved_into_range()

    assignment.refresh_from_db()
    assert assignment.opens_at == dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
    assert assignment.due_at == dt.datetime(2100, 12, 31, 23, 59, tzinfo=dt.UTC)
    assert GroupDeadline.objects.get().cutoff_at == assignment.due_at
    assert Extension.objects.get().due_at == assignment.due_at
    pages = [
        (pupil, reverse("assessments:assignment", args=[assignment.pk])),
        (two_schools.host.teacher_a, reverse("assessments:dates_index", args=[group.pk])),
        (two_schools.host.teacher_a, reverse("assessments:dates", args=[group.pk, assignment.pk])),
        (two_schools.methodologist, reverse("assignments:index")),
        (two_schools.methodologist, reverse("assignments:edit", args=[assignment.pk])),
    ]
    for user, url in pages:
        client.force_login(user)
        assert client.get(url).status_code == 200, url


def test_dates_inside_the_range_are_left_alone():
    from assessments.date_range import clamp

    new_year = dt.datetime(2000, 1, 1, tzinfo=SAMARA)  # 1999-12-31 20:00 in UTC
    assert clamp(new_year) == new_year
    assert clamp(None) is None
