"""The one range every date typed into an assignment's timetable must fall in.

Python's datetime ends at the years 1 and 9999, and a moment near either end overflows when it is
moved between UTC and a school's time zone: a typo such as 0001 or 9999 would fail on saving, or
break every page that later shows the date. A school timetable never needs years far from now."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

DEFAULT_YEARS = (2000, 2100)


def years() -> tuple[int, int]:
    """The first and last year a date may have (setting LMS_DATE_YEARS, a pair)."""
    first, last = getattr(settings, "LMS_DATE_YEARS", DEFAULT_YEARS)
    return int(first), int(last)


def validate_moment(value: datetime | None) -> None:
    """Refuse a date outside `years()`. The year is read as given (the time zone it was typed
    in), so the first and last minutes of the range are accepted everywhere."""
    if value is None:
        return
    first, last = years()
    if not first <= value.year <= last:
        raise ValidationError(
            _("Enter a date between the years %(first)d and %(last)d."),
            code="date_out_of_range",
            params={"first": first, "last": last},
        )


def clamp(value: datetime | None) -> datetime | None:
    """A stored moment moved into the range (in UTC); None stays None. For rows written before
    the range was checked: "year 9999" meant "never", "year 1" meant "always"."""
    if value is None:
        return None
    first, last = years()
    earliest = datetime(first, 1, 1, tzinfo=UTC)
    latest = datetime(last, 12, 31, 23, 59, tzinfo=UTC)
    if earliest - timedelta(days=1) <= value <= latest + timedelta(days=1):
        return value  # in range where it was typed (the range is read in local time)
    return min(max(value, earliest), latest)
