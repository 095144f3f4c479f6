"""Who may take part, in which category, and when: contests.audience as plain rules."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from contests import audience
from contests.audience import Refused
from contests.models import Category, Contest
from lms.models import School
from tests import builders
from tests.contests.builders import make_contest

pytestmark = pytest.mark.django_db


@pytest.fixture
def two(region):
    return region["two"]


def _categories(contest, *ranges):
    return [
        Category.objects.create(contest=contest, name=name, min_class=low, max_class=high, order=n)
        for n, (name, low, high) in enumerate(ranges)
    ]


# --- The window --------------------------------------------------------------------------------


def test_registration_is_open_until_the_round_ends_when_no_closing_time_is_set():
    contest = make_contest(starts_in=timedelta(hours=1), length=timedelta(hours=2))
    assert audience.registration_closes(contest) == contest.ends_at
    assert audience.window_refusal(contest) is None
    assert audience.window_refusal(contest, contest.ends_at) is not None


def test_the_window_has_an_opening_and_a_closing_time(english):
    now = timezone.now()
    contest = make_contest(
        starts_in=timedelta(days=3),
        registration_opens_at=now + timedelta(days=1),
        registration_closes_at=now + timedelta(days=2),
    )
    assert audience.window_refusal(contest, now).startswith("Registration opens")
    assert audience.window_refusal(contest, now + timedelta(days=1, hours=1)) is None
    assert audience.window_refusal(contest, now + timedelta(days=2)).startswith(
        "Registration closed"
    )


def test_an_unpublished_contest_takes_no_registration(english):
    contest = make_contest(is_published=False)
    assert audience.window_refusal(contest) == "This contest is not open yet."


def test_times_in_refusals_are_the_parks(settings):
    contest = make_contest(starts_in=timedelta(hours=1))
    settings.TIME_ZONE = "Asia/Vladivostok"
    text = audience.window_refusal(contest, contest.ends_at)
    local = timezone.localtime(contest.ends_at, ZoneInfo("Asia/Vladivostok"))
    assert f"{local:%H:%M}" in text


# --- Who -----------------------------------------------------------------------------------


def test_park_audience_is_the_host_parks_pupils(two, english):
    contest = make_contest(audience=Contest.Audience.PARK)
    assert audience.person_refusal(contest, two.host.pupils_a[0]) is None
    assert audience.person_refusal(contest, two.visiting.pupils_a[0]) == (
        "This contest is for the park's own pupils."
    )
    assert audience.person_refusal(contest, two.host.teacher_a) == "This contest is for pupils."


def test_chosen_schools_are_let_in_and_others_are_named(two, english):
    other = builders.build_school("o", pupils=1, kind=School.Kind.VISITING)
    contest = make_contest(audience=Contest.Audience.SCHOOLS)
    contest.schools.add(two.visiting.school)
    assert audience.person_refusal(contest, two.host.pupils_a[0]) is None
    assert audience.person_refusal(contest, two.visiting.pupils_a[0]) is None
    assert audience.person_refusal(contest, other.pupils_a[0]) == (
        "This contest is not open to pupils of Школа o."
    )
    assert set(audience.allowed_schools(contest)) == {two.host.school, two.visiting.school}


def test_all_schools_and_open_registration(two, english):
    everyone = make_contest("all", audience=Contest.Audience.ALL)
    assert audience.person_refusal(everyone, two.visiting.pupils_a[0]) is None
    assert audience.person_refusal(everyone, two.methodologist) == "This contest is for pupils."
    open_ = make_contest("open", audience=Contest.Audience.OPEN)
    assert audience.person_refusal(open_, two.methodologist) is None
    assert audience.person_refusal(open_, two.host.teacher_a) is None


def test_self_registration_off_is_said(two, english):
    contest = make_contest(self_registration=False)
    assert "registered by their teachers" in audience.self_refusal(contest, two.host.pupils_a[0])
    assert audience.teacher_refusal(contest) is None


# --- Classes and categories ----------------------------------------------------------------


@pytest.mark.parametrize("raw", ["0", "12", "x", "3.5", -1])
def test_a_class_is_a_number_from_1_to_11(raw, english):
    with pytest.raises(Refused, match="from 1 to 11"):
        audience.checked_class(raw)


def test_an_empty_class_is_none_and_spaces_are_forgiven():
    assert audience.checked_class("") is None
    assert audience.checked_class(None) is None
    assert audience.checked_class(" 7 ") == 7


def test_the_class_decides_the_category():
    contest = make_contest()
    junior, senior = _categories(contest, ("5–8", 5, 8), ("9–11", 9, 11))
    categories = [junior, senior]
    assert audience.choose_category(categories, 6) == junior
    assert audience.choose_category(categories, 11) == senior


def test_overlapping_categories_default_to_the_first_and_may_be_chosen():
    contest = make_contest()
    wide, narrow = _categories(contest, ("all", None, None), ("7–8", 7, 8))
    assert audience.choose_category([wide, narrow], 7) == wide
    assert audience.choose_category([wide, narrow], 7, narrow.pk) == narrow
    assert audience.choose_category([wide, narrow], 7, str(narrow.pk)) == narrow


def test_a_category_that_does_not_fit_is_refused(english):
    contest = make_contest()
    junior, senior = _categories(contest, ("Младшие", 5, 8), ("Старшие", 9, 11))
    with pytest.raises(Refused) as refused:
        audience.choose_category([junior, senior], 6, senior.pk)
    assert refused.value.message == "The category «Старшие» is for classes 9–11, not for class 6."
    with pytest.raises(Refused, match="No category of this contest is for class 3"):
        audience.choose_category([junior, senior], 3)
    with pytest.raises(Refused, match="Choose one of this contest's categories"):
        audience.choose_category([junior, senior], 6, 999999)


def test_the_class_is_needed_when_the_categories_have_bounds(english):
    contest = make_contest()
    categories = _categories(contest, ("5–8", 5, 8), ("9–11", 9, 11))
    with pytest.raises(Refused, match="Say which class"):
        audience.choose_category(categories, None)
    assert audience.choose_category(categories, None, categories[1].pk) == categories[1]


def test_without_categories_nobody_is_in_one():
    assert audience.choose_category([], 5) is None
    assert audience.choose_category([], None) is None


def test_open_bounds_and_labels(english):
    contest = make_contest()
    low, high, one, any_ = _categories(
        contest, ("a", 9, None), ("b", None, 4), ("c", 7, 7), ("d", None, None)
    )
    assert audience.takes_class(low, 11) and not audience.takes_class(low, 8)
    assert audience.takes_class(high, 1) and not audience.takes_class(high, 5)
    assert [audience.classes_label(c) for c in (low, high, one, any_)] == [
        "classes 9 and up",
        "classes up to 4",
        "class 7",
        "any class",
    ]
    assert not audience.needs_class([any_])
    assert audience.needs_class([any_, one])


def test_the_audience_in_words_names_the_chosen_schools(two, english):
    contest = make_contest(audience=Contest.Audience.SCHOOLS)
    contest.schools.add(two.visiting.school)
    text = audience.audience_label(contest, contest.schools.all())
    assert text == "Pupils of the park and of these schools: Школа v."
