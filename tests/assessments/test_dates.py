"""Due-date pages: a teacher sets a group's own dates and a pupil's extension on the site; the
pupil's timetable follows. The hostile cases: other groups' and schools' pupils and teachers,
assignments the group does not take, bad dates, garbage, a second identical POST."""

from __future__ import annotations

import zoneinfo
from datetime import datetime
from types import SimpleNamespace

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import translation

from assessments import submissions
from assessments.models import Extension, GroupDeadline
from tests.assessments.builders import make_assignment

pytestmark = pytest.mark.django_db

SAMARA = zoneinfo.ZoneInfo("Europe/Samara")


def at(day: int, hour: int = 23, minute: int = 59) -> datetime:
    return datetime(2026, 12, day, hour, minute, tzinfo=SAMARA)


def typed(day: int, hour: int = 23, minute: int = 59) -> str:
    """What a datetime-local input sends."""
    return f"2026-12-{day:02d}T{hour:02d}:{minute:02d}"


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def world(two_schools):
    w = two_schools
    lesson = w.tree.lessons[0]  # module 1: taken by a-1 (whole course) and v-1 (shared module)
    assignment = make_assignment(lesson, opens_at=at(1, 9, 0), due_at=at(5), cutoff_at=at(8))
    return SimpleNamespace(
        w=w,
        assignment=assignment,
        group=w.host.group_a,
        teacher=w.host.teacher_a,
        pupil=w.host.pupils_a[0],
        other_pupil=w.host.pupils_a[1],
    )


def login(client, user):
    client.cookies["django_language"] = "en"
    client.force_login(user)
    return client


def page_url(world, group=None, assignment=None) -> str:
    return reverse(
        "assessments:dates",
        args=[(group or world.group).pk, (assignment or world.assignment).pk],
    )


def ext_url(world, pupil, group=None) -> str:
    return reverse(
        "assessments:dates_extension",
        args=[(group or world.group).pk, world.assignment.pk, pupil.pk],
    )


def texts(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def due_of(pupil, assignment):
    return submissions.pupil_state(pupil, assignment).timetable.due_at


# --- Access ------------------------------------------------------------------------------------


def test_teacher_and_school_admin_open_the_pages(client, world):
    for user in (world.teacher, world.w.host.admin):
        login(client, user)
        index = client.get(reverse("assessments:dates_index", args=[world.group.pk]))
        assert index.status_code == 200
        assert world.assignment.title in index.content.decode()
        assert page_url(world) in index.content.decode()
        page = client.get(page_url(world))
        assert page.status_code == 200
        body = page.content.decode()
        assert 'type="datetime-local"' in body
        assert world.pupil.username in body


def test_group_page_links_to_due_dates(client, world):
    login(client, world.teacher)
    body = client.get(reverse("teach:group", args=[world.group.pk])).content.decode()
    assert reverse("assessments:dates_index", args=[world.group.pk]) in body


@pytest.mark.parametrize("who", ["other_teacher", "visiting_teacher", "visiting_admin", "pupil"])
def test_others_get_404(client, world, who):
    user = {
        "other_teacher": world.w.host.teacher_b,
        "visiting_teacher": world.w.visiting.teacher_a,
        "visiting_admin": world.w.visiting.admin,
        "pupil": world.pupil,
    }[who]
    login(client, user)
    assert client.get(reverse("assessments:dates_index", args=[world.group.pk])).status_code == 404
    assert client.get(page_url(world)).status_code == 404
    response = client.post(page_url(world), {"group-due_at": typed(20), "action": "save"})
    assert response.status_code == 404
    response = client.post(ext_url(world, world.pupil), {"ext-due_at": typed(20)})
    assert response.status_code == 404
    assert not GroupDeadline.objects.exists()
    assert not Extension.objects.exists()


def test_anonymous_is_sent_to_login(client, world):
    response = client.get(page_url(world))
    assert response.status_code == 302


def test_assignment_the_group_does_not_take_is_404(client, world):
    # Module 2 is not shared with the visiting school: its group v-1 does not take it.
    foreign = make_assignment(world.w.tree.lessons[2], title="Module two work")
    login(client, world.w.visiting.teacher_a)
    url = page_url(world, group=world.w.visiting.group_a, assignment=foreign)
    assert client.get(url).status_code == 404
    assert client.post(url, {"group-due_at": typed(20), "action": "save"}).status_code == 404
    assert not GroupDeadline.objects.exists()


def test_group_b_takes_nothing_so_any_assignment_is_404(client, world):
    login(client, world.w.host.teacher_b)
    assert client.get(page_url(world, group=world.w.host.group_b)).status_code == 404


@pytest.mark.parametrize("where", ["other_group", "other_school", "teacher", "no_such_user"])
def test_forged_pupil_id_is_404(client, world, where):
    target_id = {
        "other_group": world.w.host.pupils_b[0].pk,
        "other_school": world.w.visiting.pupils_a[0].pk,
        "teacher": world.teacher.pk,
        "no_such_user": 999_999,
    }[where]
    login(client, world.teacher)
    url = reverse(
        "assessments:dates_extension", args=[world.group.pk, world.assignment.pk, target_id]
    )
    key = f"ext{target_id}"
    response = client.post(url, {f"{key}-due_at": typed(20), "action": "save"})
    assert response.status_code == 404
    assert client.post(url, {"action": "remove"}).status_code == 404
    assert not Extension.objects.exists()


def test_get_on_extension_url_is_not_allowed(client, world):
    login(client, world.teacher)
    assert client.get(ext_url(world, world.pupil)).status_code == 405


# --- Group dates ---------------------------------------------------------------------------------


def test_teacher_sets_group_due_date_and_pupil_timetable_follows(client, world):
    assert due_of(world.pupil, world.assignment) == at(5)
    login(client, world.teacher)
    response = client.post(
        page_url(world), {"group-due_at": typed(7), "group-cutoff_at": "", "action": "save"}
    )
    assert response.status_code == 302
    assert "The group's dates were saved." in texts(response)
    state = submissions.pupil_state(world.pupil, world.assignment)
    assert state.timetable.due_at == at(7)
    assert state.timetable.opens_at == at(1, 9, 0)  # the assignment's, field by field
    assert state.timetable.cutoff_at == at(8)
    # Another group (the visiting school's) keeps the assignment's dates.
    assert due_of(world.w.visiting.pupils_a[0], world.assignment) == at(5)


def test_group_due_past_the_assignments_cutoff_needs_a_new_cutoff(client, world):
    # Due 10 December with the assignment's cut-off (8 December) would close before it is due:
    # the merged timetable is checked, not only the fields typed.
    login(client, world.teacher)
    refused = client.post(page_url(world), {"group-due_at": typed(10)})
    assert refused.status_code == 400
    assert not GroupDeadline.objects.exists()
    response = client.post(
        page_url(world), {"group-due_at": typed(10), "group-cutoff_at": typed(12)}
    )
    assert response.status_code == 302
    assert GroupDeadline.objects.get().cutoff_at == at(12)
    assert due_of(world.pupil, world.assignment) == at(10)


def test_double_post_of_group_dates_is_harmless(client, world):
    login(client, world.teacher)
    data = {"group-due_at": typed(6), "action": "save"}
    for _ in range(2):
        assert client.post(page_url(world), data).status_code == 302
    assert GroupDeadline.objects.count() == 1
    assert due_of(world.pupil, world.assignment) == at(6)


def test_page_shows_saved_group_dates_in_the_school_time_zone(client, world):
    GroupDeadline.objects.create(assignment=world.assignment, group=world.group, due_at=at(6))
    login(client, world.teacher)
    body = client.get(page_url(world)).content.decode()
    assert f'value="{typed(6)}"' in body


@pytest.mark.parametrize(
    ("data", "field_error"),
    [
        ({"group-opens_at": typed(3, 9, 0), "group-due_at": typed(2)}, "after the opening"),
        ({"group-opens_at": typed(6, 9, 0)}, "after the opening"),  # past the assignment's due
        ({"group-due_at": typed(6), "group-cutoff_at": typed(5)}, "cannot be before"),
        ({"group-cutoff_at": typed(4)}, "cannot be before"),  # before the assignment's due
        ({"group-due_at": "next friday"}, "Enter a date and time"),
        ({"group-due_at": "2026-13-45T25:61"}, "Enter a date and time"),
    ],
)
def test_bad_group_dates_save_nothing(client, world, data, field_error):
    existing = GroupDeadline.objects.create(
        assignment=world.assignment, group=world.group, due_at=at(6)
    )
    login(client, world.teacher)
    response = client.post(page_url(world), {**data, "action": "save"})
    assert response.status_code == 400
    assert "The group's dates were not saved: check the marked fields." in texts(response)
    assert field_error in response.content.decode()
    existing.refresh_from_db()
    assert existing.due_at == at(6) and existing.opens_at is None and existing.cutoff_at is None
    assert GroupDeadline.objects.count() == 1


def test_clear_removes_the_group_dates(client, world):
    GroupDeadline.objects.create(assignment=world.assignment, group=world.group, due_at=at(6))
    login(client, world.teacher)
    response = client.post(page_url(world), {"group-due_at": "garbage", "action": "clear"})
    assert response.status_code == 302
    assert "The group's dates were removed: the assignment's apply." in texts(response)
    assert not GroupDeadline.objects.exists()
    assert due_of(world.pupil, world.assignment) == at(5)
    again = client.post(page_url(world), {"action": "clear"})
    assert again.status_code == 302
    assert "The group already follows the assignment's dates." in texts(again)


def test_saving_all_empty_fields_removes_the_override(client, world):
    GroupDeadline.objects.create(assignment=world.assignment, group=world.group, due_at=at(6))
    login(client, world.teacher)
    response = client.post(page_url(world), {"action": "save"})
    assert response.status_code == 302
    assert not GroupDeadline.objects.exists()


# --- Extensions ----------------------------------------------------------------------------------


def ext_data(pupil, **fields) -> dict[str, str]:
    return {f"ext{pupil.pk}-{name}": value for name, value in fields.items()} | {"action": "save"}


def test_extension_changes_only_that_pupils_timetable(client, world):
    login(client, world.teacher)
    response = client.post(
        ext_url(world, world.pupil), ext_data(world.pupil, due_at=typed(12), reason="Ill")
    )
    assert response.status_code == 302
    assert any("was saved" in t for t in texts(response))
    timetable = submissions.pupil_state(world.pupil, world.assignment).timetable
    assert timetable.due_at == at(12)
    assert timetable.cutoff_at == at(12)  # moved with the extension, past the old cut-off
    assert due_of(world.other_pupil, world.assignment) == at(5)
    extension = Extension.objects.get()
    assert extension.granted_by == world.teacher
    assert extension.reason == "Ill"


def test_school_admin_grants_and_is_recorded(client, world):
    admin = world.w.host.admin
    login(client, admin)
    response = client.post(ext_url(world, world.pupil), ext_data(world.pupil, due_at=typed(12)))
    assert response.status_code == 302
    assert Extension.objects.get().granted_by == admin


def test_changing_an_extension_keeps_one_row(client, world):
    login(client, world.teacher)
    url = ext_url(world, world.pupil)
    client.post(url, ext_data(world.pupil, due_at=typed(12)))
    client.post(url, ext_data(world.pupil, due_at=typed(14), cutoff_at=typed(20)))
    client.post(url, ext_data(world.pupil, due_at=typed(14), cutoff_at=typed(20)))  # double
    extension = Extension.objects.get()
    assert (extension.due_at, extension.cutoff_at) == (at(14), at(20))
    assert due_of(world.pupil, world.assignment) == at(14)


@pytest.mark.parametrize(
    ("fields", "field_error"),
    [
        ({"due_at": typed(1, 8, 0)}, "after the opening"),  # before the assignment opens
        ({"due_at": typed(12), "cutoff_at": typed(11)}, "cannot be before"),
        ({"due_at": ""}, "required"),
        ({"due_at": "tomorrow"}, "Enter a date and time"),
        ({"due_at": typed(12), "cutoff_at": "soon"}, "Enter a date and time"),
        ({"due_at": typed(12), "reason": "x" * 301}, "at most 300"),
    ],
)
def test_bad_extension_saves_nothing(client, world, fields, field_error):
    existing = Extension.objects.create(
        assignment=world.assignment,
        pupil=world.pupil,
        group=world.group,
        due_at=at(9),
        granted_by=world.teacher,
    )
    login(client, world.teacher)
    response = client.post(ext_url(world, world.pupil), ext_data(world.pupil, **fields))
    assert response.status_code == 400
    assert any("was not saved" in t for t in texts(response))
    assert field_error in response.content.decode()
    existing.refresh_from_db()
    assert existing.due_at == at(9) and existing.cutoff_at is None and existing.reason == ""
    assert Extension.objects.count() == 1


def test_extension_checked_against_the_groups_dates(client, world):
    GroupDeadline.objects.create(assignment=world.assignment, group=world.group, opens_at=at(7))
    login(client, world.teacher)
    response = client.post(ext_url(world, world.pupil), ext_data(world.pupil, due_at=typed(6)))
    assert response.status_code == 400
    assert not Extension.objects.exists()


def test_remove_extension_and_double_remove(client, world):
    Extension.objects.create(
        assignment=world.assignment,
        pupil=world.pupil,
        group=world.group,
        due_at=at(12),
        granted_by=world.teacher,
    )
    login(client, world.teacher)
    response = client.post(ext_url(world, world.pupil), {"action": "remove"})
    assert response.status_code == 302
    assert any("was removed" in t for t in texts(response))
    assert not Extension.objects.exists()
    assert due_of(world.pupil, world.assignment) == at(5)
    again = client.post(ext_url(world, world.pupil), {"action": "remove"})
    assert again.status_code == 302
    assert any("has no extension" in t for t in texts(again))


def test_page_lists_pupils_with_their_extensions(client, world):
    Extension.objects.create(
        assignment=world.assignment,
        pupil=world.pupil,
        group=world.group,
        due_at=at(12),
        reason="Robotics olympiad",
        granted_by=world.teacher,
    )
    login(client, world.teacher)
    body = client.get(page_url(world)).content.decode()
    assert "Robotics olympiad" in body
    assert world.other_pupil.username in body
    assert world.w.host.pupils_b[0].username not in body  # another group's pupil
    index = client.get(reverse("assessments:dates_index", args=[world.group.pk]))
    assert "1 extension" in index.content.decode()
