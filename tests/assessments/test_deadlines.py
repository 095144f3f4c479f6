"""When work is accepted, and how late: the boundaries are pinned here."""

from datetime import UTC, datetime, timedelta

import pytest

from assessments.deadlines import Timetable, Window, late_penalty_percent, timetable_for
from assessments.models import Assignment, Extension, GroupDeadline

OPENS = datetime(2026, 12, 1, 6, 0, tzinfo=UTC)  # 10:00 in Samara
DUE = datetime(2026, 12, 8, 19, 59, tzinfo=UTC)  # 23:59 in Samara
CUTOFF = datetime(2026, 12, 11, 19, 59, tzinfo=UTC)
SECOND = timedelta(seconds=1)


@pytest.fixture
def timetable() -> Timetable:
    return Timetable(opens_at=OPENS, due_at=DUE, cutoff_at=CUTOFF)


@pytest.mark.parametrize(
    ("moment", "window"),
    [
        (OPENS - SECOND, Window.NOT_OPEN),
        (OPENS, Window.OPEN),
        (DUE, Window.OPEN),  # exactly at the due time is on time
        (DUE + SECOND, Window.LATE),
        (CUTOFF, Window.LATE),  # exactly at the cut-off is still accepted
        (CUTOFF + SECOND, Window.CLOSED),
    ],
)
def test_window_boundaries(timetable, moment, window):
    assert timetable.window(moment) is window


def test_no_dates_means_always_open():
    assert Timetable(None, None, None).window(DUE) is Window.OPEN
    assert Timetable(None, DUE, None).window(DUE + timedelta(days=400)) is Window.LATE


@pytest.mark.parametrize(
    ("moment", "days"),
    [
        (DUE, 0),
        (DUE + SECOND, 1),  # a started day counts
        (DUE + timedelta(days=1), 1),
        (DUE + timedelta(days=1, seconds=1), 2),
        (DUE + timedelta(days=3), 3),
    ],
)
def test_late_days(timetable, moment, days):
    assert timetable.late_days(moment) == days


@pytest.mark.parametrize(("days", "percent"), [(0, 0), (1, 10), (2, 20), (4, 40), (9, 50)])
def test_penalty_is_per_day_and_capped(days, percent):
    assignment = Assignment(late_penalty_per_day=10, late_penalty_cap=50)
    assert late_penalty_percent(assignment, days) == percent


def test_group_dates_and_extensions_override_field_by_field():
    assignment = Assignment(opens_at=OPENS, due_at=DUE, cutoff_at=CUTOFF)
    later = DUE + timedelta(days=2)
    group = GroupDeadline(due_at=later)
    merged = timetable_for(assignment, group)
    assert (merged.opens_at, merged.due_at, merged.cutoff_at) == (OPENS, later, CUTOFF)

    much_later = CUTOFF + timedelta(days=5)
    extension = Extension(due_at=much_later)
    merged = timetable_for(assignment, group, extension)
    # An extension past the cut-off moves the cut-off with it.
    assert (merged.due_at, merged.cutoff_at) == (much_later, much_later)
    assert merged.window(much_later) is Window.OPEN

    own_cutoff = Extension(due_at=DUE + timedelta(days=1), cutoff_at=DUE + timedelta(days=2))
    merged = timetable_for(assignment, None, own_cutoff)
    assert merged.cutoff_at == DUE + timedelta(days=2)


def test_an_assignment_rejects_due_before_opening_and_cutoff_before_due():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        Assignment(title="x", opens_at=DUE, due_at=OPENS).clean()
    assert "due_at" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        Assignment(title="x", due_at=CUTOFF, cutoff_at=DUE).clean()
    assert "cutoff_at" in error.value.message_dict
