"""An extension belongs to one group: a pupil in two groups has two teachers, and the teacher of
one neither sees nor changes the extension the other gave."""

from __future__ import annotations

import zoneinfo
from datetime import datetime

import pytest
from django.urls import reverse

from assessments import deadlines, submissions
from assessments.models import Extension
from lms import roles
from lms.models import Membership
from tests import builders
from tests.assessments.builders import make_assignment, submit

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

SAMARA = zoneinfo.ZoneInfo("Europe/Samara")


def at(day: int) -> datetime:
    return datetime(2026, 12, day, 23, 59, tzinfo=SAMARA)


def typed(day: int) -> str:
    return f"2026-12-{day:02d}T23:59"


@pytest.fixture
def world(two_schools):
    """Pupil P is in group X (a-1, teacher X) and in group Y (a-2, teacher Y); both groups take
    the course. Teacher Y has given P an extension to 20 December."""
    host = two_schools.host
    builders.enrol(host.group_b, two_schools.tree)
    pupil = host.pupils_a[0]
    Membership.objects.create(user=pupil, group=host.group_b, role=Membership.Role.PUPIL)
    assignment = make_assignment(two_schools.tree.lessons[0], due_at=at(5), cutoff_at=at(8))
    Extension.objects.create(
        assignment=assignment,
        pupil=pupil,
        group=host.group_b,
        due_at=at(20),
        reason="Y's reason",
        granted_by=host.teacher_b,
    )
    return two_schools, assignment, pupil


def _urls(group, assignment, pupil) -> tuple[str, str, str]:
    return (
        reverse("assessments:dates_index", args=[group.pk]),
        reverse("assessments:dates", args=[group.pk, assignment.pk]),
        reverse("assessments:dates_extension", args=[group.pk, assignment.pk, pupil.pk]),
    )


def test_teacher_of_x_does_not_see_the_extension_given_in_y(client, world):
    two_schools, assignment, pupil = world
    host = two_schools.host
    index, page, _ext = _urls(host.group_a, assignment, pupil)
    client.force_login(host.teacher_a)
    assert "1 extension" not in client.get(index).content.decode()
    body = client.get(page).content.decode()
    assert "Y&#x27;s reason" not in body and "Y's reason" not in body
    assert typed(20) not in body
    # Teacher Y sees it on Y's pages.
    index_y, page_y, _ = _urls(host.group_b, assignment, pupil)
    client.force_login(host.teacher_b)
    assert "1 extension" in client.get(index_y).content.decode()
    assert typed(20) in client.get(page_y).content.decode()


def test_teacher_of_x_cannot_change_or_remove_ys_extension(client, world):
    two_schools, assignment, pupil = world
    host = two_schools.host
    *_pages, ext = _urls(host.group_a, assignment, pupil)
    client.force_login(host.teacher_a)
    removed = client.post(ext, {"action": "remove"}, follow=True)
    assert "has no extension" in removed.content.decode()
    saved = client.post(ext, {f"ext{pupil.pk}-due_at": typed(10), "action": "save"})
    assert saved.status_code == 302
    y_row = Extension.objects.get(group=host.group_b)
    assert (y_row.due_at, y_row.granted_by, y_row.reason) == (at(20), host.teacher_b, "Y's reason")
    x_row = Extension.objects.get(group=host.group_a)
    assert (x_row.due_at, x_row.granted_by) == (at(10), host.teacher_a)


def test_the_pupils_timetable_in_x_ignores_ys_extension(world):
    two_schools, assignment, pupil = world
    host = two_schools.host
    in_x = deadlines.pupil_timetable(assignment, pupil.pk, host.group_a.pk)
    in_y = deadlines.pupil_timetable(assignment, pupil.pk, host.group_b.pk)
    assert (in_x.due_at, in_x.cutoff_at) == (at(5), at(8))
    assert in_y.due_at == at(20)
    # The pupil works in X (enrolled first): the assignment page and hand-in follow X's dates.
    state = submissions.pupil_state(pupil, assignment)
    assert state.group == host.group_a
    assert state.timetable.due_at == at(5)


# --- the data migration --------------------------------------------------------------------------


def _migrate_extensions_again() -> None:
    """Back to before 0006 (the rows lose their group), then forward: 0006 runs on them."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    MigrationExecutor(connection).migrate([("assessments", "0005_keep_work_and_date_range")])
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_migration_gives_each_extension_the_group_it_applied_in(world):
    two_schools, assignment, pupil = world
    host = two_schools.host
    Extension.objects.all().delete()
    # P handed in through Y: P's old extension goes to Y only.
    submit(assignment, pupil, host.group_b)
    Extension.objects.create(assignment=assignment, pupil=pupil, group=host.group_a, due_at=at(20))
    # Q (a pupil of X only) has no submissions: Q's extension goes to X.
    other = host.pupils_a[1]
    Extension.objects.create(assignment=assignment, pupil=other, group=host.group_b, due_at=at(21))
    # R is a pupil of both groups with no submissions: one row for each group.
    both = host.pupils_b[1]
    Membership.objects.create(user=both, group=host.group_a, role=Membership.Role.PUPIL)
    Extension.objects.create(
        assignment=assignment, pupil=both, group=host.group_a, due_at=at(22), reason="trip"
    )
    # S is in no group that takes the course (the visiting school takes only module 1, but
    # this pupil is of the host's school): the row matches nothing and is dropped.
    stranger = builders.make_user("stranger", roles.PUPIL)
    Extension.objects.create(
        assignment=assignment, pupil=stranger, group=host.group_a, due_at=at(23)
    )

    _migrate_extensions_again()

    rows = set(Extension.objects.values_list("pupil_id", "group_id", "due_at", "reason"))
    assert rows == {
        (pupil.pk, host.group_b.pk, at(20), ""),
        (other.pk, host.group_a.pk, at(21), ""),
        (both.pk, host.group_a.pk, at(22), "trip"),
        (both.pk, host.group_b.pk, at(22), "trip"),
    }
