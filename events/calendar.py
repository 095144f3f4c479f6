"""The month calendar of events: a grid of weeks (Monday first, as in Russia) with each day's
events in a given time zone. Pure: no database and no request, so the rules are tested as plain
functions; events are any objects with aware `starts_at` and `ends_at`.

An event is on every local day it touches: one from 22:00 to 01:00 is on both days; one that
ends exactly at midnight is not on the next day (it has no time in it)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo
from typing import Any

# The months one may ask for: enough for any real event, and a bound for typed URLs.
MIN_YEAR = 2000
MAX_YEAR = 2100

_MONTH = re.compile(r"^([0-9]{4})-([0-9]{2})$")


def parse_month(value: str | None) -> tuple[int, int] | None:
    """ "2025-03" → (2025, 3); anything else, or a month out of range, → None."""
    match = _MONTH.match((value or "").strip())
    if not match:
        return None
    year, month = int(match[1]), int(match[2])
    if not (MIN_YEAR <= year <= MAX_YEAR and 1 <= month <= 12):
        return None
    return year, month


def month_key(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}"


def shift_month(year: int, month: int, delta: int) -> tuple[int, int] | None:
    """The month `delta` months away, or None past the range one may ask for."""
    index = year * 12 + (month - 1) + delta
    shifted = (index // 12, index % 12 + 1)
    return shifted if MIN_YEAR <= shifted[0] <= MAX_YEAR else None


def month_bounds(year: int, month: int) -> tuple[date, date]:
    """The first day of the month and the first day of the next one."""
    first = date(year, month, 1)
    following = date(year + month // 12, month % 12 + 1, 1)
    return first, following


def grid_bounds(year: int, month: int) -> tuple[date, date]:
    """The Monday of the month's first week and the Sunday of its last (inclusive)."""
    first, following = month_bounds(year, month)
    start = first - timedelta(days=first.weekday())
    last = following - timedelta(days=1)
    end = last + timedelta(days=6 - last.weekday())
    return start, end


def local_span(first: date, last: date, tz: tzinfo) -> tuple[datetime, datetime]:
    """The instants from local midnight of `first` to local midnight after `last`: an event
    overlaps those days when it starts before the end and ends after the start."""
    start = datetime.combine(first, time.min, tzinfo=tz)
    end = datetime.combine(last + timedelta(days=1), time.min, tzinfo=tz)
    return start, end


def event_days(starts_at: datetime, ends_at: datetime, tz: tzinfo) -> tuple[date, date]:
    """The first and last local day an event is on (inclusive)."""
    first = starts_at.astimezone(tz).date()
    # The end instant itself is outside the event: ending at 00:00 leaves the next day free.
    last_moment = max(ends_at - timedelta(microseconds=1), starts_at)
    return first, last_moment.astimezone(tz).date()


@dataclass(frozen=True)
class Entry:
    """One event on one day: whether it begins and ends that day (else it goes on)."""

    event: Any
    starts_today: bool
    ends_today: bool


@dataclass
class Day:
    date: date
    in_month: bool
    is_today: bool
    entries: list[Entry] = field(default_factory=list)

    @property
    def is_weekend(self) -> bool:
        return self.date.weekday() >= 5


@dataclass
class MonthGrid:
    year: int
    month: int
    weeks: list[list[Day]]
    previous: tuple[int, int] | None
    next: tuple[int, int] | None

    @property
    def first_day(self) -> date:
        return date(self.year, self.month, 1)

    @property
    def key(self) -> str:
        return month_key(self.year, self.month)

    @property
    def previous_key(self) -> str | None:
        return month_key(*self.previous) if self.previous else None

    @property
    def next_key(self) -> str | None:
        return month_key(*self.next) if self.next else None

    @property
    def event_count(self) -> int:
        """How many different events the month's own days hold."""
        seen = {
            id(entry.event)
            for week in self.weeks
            for day in week
            if day.in_month
            for entry in day.entries
        }
        return len(seen)


def month_grid(
    year: int, month: int, events: Iterable[Any], tz: tzinfo, today: date | None = None
) -> MonthGrid:
    """The weeks of the month with each day's events, in order of start (then title)."""
    start, end = grid_bounds(year, month)
    days: dict[date, Day] = {}
    weeks: list[list[Day]] = []
    current = start
    while current <= end:
        week = []
        for _ in range(7):
            day = Day(current, current.month == month, current == today)
            days[current] = day
            week.append(day)
            current += timedelta(days=1)
        weeks.append(week)

    ordered = sorted(events, key=lambda e: (e.starts_at, str(getattr(e, "title", ""))))
    for event in ordered:
        first, last = event_days(event.starts_at, event.ends_at, tz)
        on = max(first, start)
        while on <= min(last, end):
            days[on].entries.append(Entry(event, on == first, on == last))
            on += timedelta(days=1)

    return MonthGrid(
        year, month, weeks, previous=shift_month(year, month, -1), next=shift_month(year, month, 1)
    )
