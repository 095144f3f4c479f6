"""The judge's sheet form (contests.sheet_forms): the stopwatch's time as typed, and counts
checked line by line with the arithmetic's own rule."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from contests.models import Criterion
from contests.sheet_forms import SheetForm, TimeError, format_time, parse_time


@pytest.mark.parametrize(
    "text, seconds",
    [
        ("83.4", D("83.4")),
        ("83,4", D("83.4")),
        ("83", D("83")),
        ("1:23.4", D("83.4")),
        ("01:23,45", D("83.45")),
        ("0:07", D("7")),
        ("75:00", D("4500")),
        ("1:5", D("65")),
        ("  2:00.125 ", D("120.125")),
        ("0", D("0")),
    ],
)
def test_times_as_judges_write_them(text, seconds):
    assert parse_time(text) == seconds


@pytest.mark.parametrize("text", ["", "   ", None])
def test_no_time(text):
    assert parse_time(text) is None


@pytest.mark.parametrize(
    "text", ["1:60", "1:2:3", "abc", "1.2.3", "1:23.4567", ":30", "1:", "−5", "1e3", "٣"]
)
def test_times_that_are_no_times(text, english):
    with pytest.raises(TimeError, match="minutes:seconds"):
        parse_time(text)


def test_a_negative_time_says_so(english):
    with pytest.raises(TimeError, match="negative"):
        parse_time("-5")


@pytest.mark.parametrize(
    "seconds, text",
    [
        (None, ""),
        (D("83.4"), "1:23.4"),
        (D("83.400"), "1:23.4"),
        (D("7"), "0:07"),
        (D("4500"), "75:00"),
        (D("120.125"), "2:00.125"),
        (D("0"), "0:00"),
    ],
)
def test_a_stored_time_as_the_form_shows_it(seconds, text):
    assert format_time(seconds) == text


@pytest.mark.parametrize("seconds", [D("0.5"), D("59.999"), D("3600.1"), D("83.25")])
def test_a_shown_time_reads_back_the_same(seconds):
    assert parse_time(format_time(seconds)) == seconds


def criteria() -> list[Criterion]:
    return [
        Criterion(pk=1, name="Кегля", kind="item", points=10, max_count=3),
        Criterion(pk=2, name="Касание", kind="penalty", points=4, max_count=2),
        Criterion(pk=3, name="Время", kind="time"),
    ]


def test_the_form_has_a_field_per_count_and_the_time_lines_name():
    form = SheetForm(criteria=criteria(), with_time=True)
    assert list(form.fields) == ["comment", "c1", "c2", "time"]
    assert form.fields["time"].label == "Время"
    assert list(SheetForm(criteria=criteria(), with_time=False).fields) == ["comment", "c1", "c2"]


def test_a_valid_form_gives_counts_and_seconds():
    form = SheetForm(
        {"c1": "2", "c2": "", "time": "1:02.5", "comment": "ок"},
        criteria=criteria(),
        with_time=True,
    )
    assert form.is_valid(), form.errors
    assert form.counts() == {"1": 2, "2": 0}
    assert form.time_seconds() == D("62.5")
    assert form.cleaned_data["comment"] == "ок"


def test_errors_sit_by_their_line(english):
    form = SheetForm({"c1": "4", "c2": "x", "time": "soon"}, criteria=criteria(), with_time=True)
    assert not form.is_valid()
    assert "between 0 and 3" in form.errors["c1"][0]
    assert "whole number" in form.errors["c2"][0]
    assert "minutes:seconds" in form.errors["time"][0]


def test_without_a_time_field_no_time_is_read():
    form = SheetForm({"c1": "1", "time": "12"}, criteria=criteria(), with_time=False)
    assert form.is_valid()
    assert form.time_seconds() is None


def test_a_comment_over_the_limit_is_an_error():
    form = SheetForm({"comment": "я" * 501}, criteria=criteria(), with_time=False)
    assert not form.is_valid()
    assert "comment" in form.errors
