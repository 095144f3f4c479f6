"""The month grid, as plain functions: weeks from Monday, days of other months, events that
cross midnight and the month's end, in a zone without daylight saving (Europe/Samara) and one
with it."""

from dataclasses import dataclass
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from events import calendar

SAMARA = ZoneInfo("Europe/Samara")  # UTC+4 all year
BERLIN = ZoneInfo("Europe/Berlin")  # with daylight saving


@dataclass
class Ev:
    title: str
    starts_at: datetime
    ends_at: datetime


def local(tz, *args) -> datetime:
    return datetime(*args, tzinfo=tz)


def days_of(grid, title):
    return [
        day.date
        for week in grid.weeks
        for day in week
        for e in day.entries
        if e.event.title == title
    ]


def test_weeks_start_on_monday_and_cover_the_month():
    grid = calendar.month_grid(2025, 3, [], SAMARA)  # 1 March 2025 is a Saturday
    first_week = grid.weeks[0]
    assert first_week[0].date == date(2025, 2, 24)
    assert first_week[0].date.weekday() == 0
    assert [d.in_month for d in first_week] == [False] * 5 + [True] * 2
    last_week = grid.weeks[-1]
    assert last_week[-1].date == date(2025, 4, 6)
    assert last_week[-1].date.weekday() == 6
    assert len(grid.weeks) == 6
    assert all(len(week) == 7 for week in grid.weeks)
    assert sum(day.in_month for week in grid.weeks for day in week) == 31


def test_a_month_starting_on_monday_has_no_leading_days():
    grid = calendar.month_grid(2021, 2, [], SAMARA)  # 1 Feb 2021 Monday, 28 days, ends Sunday
    assert grid.weeks[0][0].date == date(2021, 2, 1)
    assert grid.weeks[-1][-1].date == date(2021, 2, 28)
    assert len(grid.weeks) == 4


def test_leap_february_and_year_boundaries():
    grid = calendar.month_grid(2024, 2, [], SAMARA)
    assert sum(day.in_month for week in grid.weeks for day in week) == 29
    assert calendar.month_grid(2024, 12, [], SAMARA).next == (2025, 1)
    assert calendar.month_grid(2025, 1, [], SAMARA).previous == (2024, 12)


def test_previous_and_next_stop_at_the_range():
    assert calendar.shift_month(calendar.MIN_YEAR, 1, -1) is None
    assert calendar.shift_month(calendar.MAX_YEAR, 12, 1) is None
    assert calendar.shift_month(2025, 6, 13) == (2026, 7)
    grid = calendar.month_grid(calendar.MIN_YEAR, 1, [], SAMARA)
    assert grid.previous is None and grid.previous_key is None
    assert grid.next_key == f"{calendar.MIN_YEAR}-02"


def test_parse_month():
    assert calendar.parse_month("2025-03") == (2025, 3)
    assert calendar.parse_month(" 2025-12 ") == (2025, 12)
    for bad in (
        None,
        "",
        "2025-13",
        "2025-00",
        "2025-3",
        "25-03",
        "1999-12",
        "2101-01",
        "2025-03-01",
        "２０２５-03",
        "2025/03",
        "x" * 10_000,
    ):
        assert calendar.parse_month(bad) is None, bad


def test_today_is_marked():
    grid = calendar.month_grid(2025, 3, [], SAMARA, today=date(2025, 3, 10))
    marked = [day.date for week in grid.weeks for day in week if day.is_today]
    assert marked == [date(2025, 3, 10)]


def test_days_are_local_not_utc():
    # 01:30 in Samara on 5 March is still 4 March in UTC.
    early = Ev("early", local(SAMARA, 2025, 3, 5, 1, 30), local(SAMARA, 2025, 3, 5, 3, 0))
    grid = calendar.month_grid(2025, 3, [early], SAMARA)
    assert days_of(grid, "early") == [date(2025, 3, 5)]
    assert early.starts_at.astimezone(UTC).date() == date(2025, 3, 4)


def test_an_event_crossing_midnight_is_on_both_days():
    night = Ev("night", local(SAMARA, 2025, 3, 7, 22, 0), local(SAMARA, 2025, 3, 8, 1, 0))
    grid = calendar.month_grid(2025, 3, [night], SAMARA)
    assert days_of(grid, "night") == [date(2025, 3, 7), date(2025, 3, 8)]
    entries = [e for week in grid.weeks for day in week for e in day.entries]
    assert [(e.starts_today, e.ends_today) for e in entries] == [(True, False), (False, True)]


def test_an_event_ending_at_midnight_does_not_spill_over():
    evening = Ev("evening", local(SAMARA, 2025, 3, 7, 20, 0), local(SAMARA, 2025, 3, 8, 0, 0))
    assert days_of(calendar.month_grid(2025, 3, [evening], SAMARA), "evening") == [date(2025, 3, 7)]


def test_a_multi_day_event_is_on_each_day():
    week = Ev("week", local(SAMARA, 2025, 3, 10, 9, 0), local(SAMARA, 2025, 3, 14, 17, 0))
    grid = calendar.month_grid(2025, 3, [week], SAMARA)
    assert days_of(grid, "week") == [date(2025, 3, d) for d in range(10, 15)]
    middle = [e for w in grid.weeks for d in w if d.date == date(2025, 3, 12) for e in d.entries]
    assert (middle[0].starts_today, middle[0].ends_today) == (False, False)


def test_an_event_crossing_the_month_end_shows_in_both_months():
    project = Ev("project", local(SAMARA, 2025, 3, 30, 10, 0), local(SAMARA, 2025, 4, 2, 16, 0))
    march = calendar.month_grid(2025, 3, [project], SAMARA)
    april = calendar.month_grid(2025, 4, [project], SAMARA)
    # The March grid runs to Sunday 6 April, so the April days show there too (greyed).
    assert days_of(march, "project") == [
        date(2025, 3, 30),
        date(2025, 3, 31),
        date(2025, 4, 1),
        date(2025, 4, 2),
    ]
    assert days_of(april, "project") == [date(2025, 3, 31), date(2025, 4, 1), date(2025, 4, 2)]
    assert march.event_count == 1 and april.event_count == 1


def test_an_event_outside_the_grid_is_left_out():
    far = Ev("far", local(SAMARA, 2025, 6, 1, 10, 0), local(SAMARA, 2025, 6, 1, 12, 0))
    grid = calendar.month_grid(2025, 3, [far], SAMARA)
    assert days_of(grid, "far") == []
    assert grid.event_count == 0


def test_events_of_a_day_in_order_of_start():
    later = Ev("b-later", local(SAMARA, 2025, 3, 5, 15, 0), local(SAMARA, 2025, 3, 5, 16, 0))
    sooner = Ev("a-sooner", local(SAMARA, 2025, 3, 5, 9, 0), local(SAMARA, 2025, 3, 5, 10, 0))
    grid = calendar.month_grid(2025, 3, [later, sooner], SAMARA)
    day = next(d for w in grid.weeks for d in w if d.date == date(2025, 3, 5))
    assert [e.event.title for e in day.entries] == ["a-sooner", "b-later"]


def test_local_span_of_the_grid_in_samara():
    first, last = calendar.grid_bounds(2025, 3)
    start, end = calendar.local_span(first, last, SAMARA)
    assert start.astimezone(UTC) == datetime(2025, 2, 23, 20, 0, tzinfo=UTC)
    assert end.astimezone(UTC) == datetime(2025, 4, 6, 20, 0, tzinfo=UTC)


def test_a_zone_with_daylight_saving_keeps_local_days():
    # Berlin moves its clocks on 30 March 2025: a day of 23 hours.
    first, following = calendar.month_bounds(2025, 3)
    start, end = calendar.local_span(date(2025, 3, 30), date(2025, 3, 30), BERLIN)
    assert (end.astimezone(UTC) - start.astimezone(UTC)).total_seconds() == 23 * 3600
    late = Ev("late", local(BERLIN, 2025, 3, 30, 23, 30), local(BERLIN, 2025, 3, 31, 0, 30))
    assert days_of(calendar.month_grid(2025, 3, [late], BERLIN), "late") == [
        date(2025, 3, 30),
        date(2025, 3, 31),
    ]
    assert (first, following) == (date(2025, 3, 1), date(2025, 4, 1))


def test_an_event_with_no_length_is_on_its_day():
    instant = Ev("instant", local(SAMARA, 2025, 3, 5, 0, 0), local(SAMARA, 2025, 3, 5, 0, 0))
    assert days_of(calendar.month_grid(2025, 3, [instant], SAMARA), "instant") == [date(2025, 3, 5)]
