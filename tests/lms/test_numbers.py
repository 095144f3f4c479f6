"""Numbers as a reader writes them (lms.numbers and the `numbers` template library)."""

import warnings
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from lms import numbers


def render(source: str, **context) -> str:
    return Template("{% load i18n numbers %}" + source).render(Context(context))


@pytest.mark.parametrize(
    ("value", "russian", "english"),
    [
        (Decimal("8.50"), "8,5", "8.5"),
        (Decimal("10.00"), "10", "10"),
        (Decimal("100.00"), "100", "100"),
        (Decimal("0.00"), "0", "0"),
        (Decimal("-0.00"), "0", "0"),
        (Decimal("7.25"), "7,25", "7.25"),
        (Decimal("7.125"), "7,13", "7.13"),  # two places at most, rounded half up
        (Decimal("1E+1"), "10", "10"),  # a normalised Decimal is not written as 1E+1
        (8.5, "8,5", "8.5"),
        (3, "3", "3"),
        ("6.50", "6,5", "6.5"),
    ],
)
def test_a_number_has_the_locale_decimal_mark_and_no_trailing_zeros(value, russian, english):
    assert numbers.number(value) == russian
    with translation.override("en"):
        assert numbers.number(value) == english


def test_nothing_and_text_that_is_no_number():
    assert numbers.number(None) == ""
    assert numbers.number("") == ""
    assert numbers.number("—") == "—"
    assert numbers.number(Decimal("NaN")) == "NaN"
    assert numbers.plural_count(None) == 0


@pytest.mark.parametrize(
    ("value", "count"),
    [
        (Decimal("1.00"), 1),
        (Decimal("10.00"), 10),
        (Decimal("21"), 21),
        (Decimal("0"), 0),
        (Decimal("8.5"), 2),
        (Decimal("0.25"), 2),
        (Decimal("4.001"), 4),  # shown as "4": counted as 4
        (Decimal("-3"), 3),
    ],
)
def test_plural_count_is_a_whole_number(value, count):
    assert numbers.plural_count(value) == count
    assert isinstance(numbers.plural_count(value), int)


POINTS = (
    "{% blocktranslate count n=value|plural_count with points=value|number %}"
    "{{ points }} point{% plural %}{{ points }} points{% endblocktranslate %}"
)


@pytest.mark.parametrize(
    ("value", "russian", "english"),
    [
        (Decimal("1.00"), "1 балл", "1 point"),
        (Decimal("2.00"), "2 балла", "2 points"),
        (Decimal("5.00"), "5 баллов", "5 points"),
        (Decimal("10.00"), "10 баллов", "10 points"),
        (Decimal("11.00"), "11 баллов", "11 points"),
        (Decimal("21.00"), "21 балл", "21 points"),
        (Decimal("8.50"), "8,5 балла", "8.5 points"),
        (Decimal("0.00"), "0 баллов", "0 points"),
    ],
)
def test_points_take_their_plural_form(value, russian, english):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # gettext warns when handed a fraction: it never is
        assert render(POINTS, value=value) == russian
        with translation.override("en"):
            assert render(POINTS, value=value) == english


def test_the_filters_in_a_template():
    assert render("{{ v|number }} из {{ m|number }}", v=Decimal("8.50"), m=Decimal("10.00")) == (
        "8,5 из 10"
    )
    assert render("{{ v|number:1 }}", v=Decimal("8.46")) == "8,5"
    assert render("{{ v|number }}", v=None) == ""
