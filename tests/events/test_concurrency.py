"""Real concurrent transactions (PostgreSQL; SQLite serialises writers, so these run in CI's
PostgreSQL pass): the last places are never given twice, and a double click makes one
registration."""

import pytest
from django.contrib.auth.models import Group
from django.db import connection

from events import registering
from events.models import Registration
from lms import roles
from lms.models import User
from tests import builders
from tests.concurrency import at_once
from tests.events.builders import make_event

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _at_once(count: int, work) -> list:
    results, errors = at_once(count, work)
    assert not errors, errors
    return results


def _needs_postgres():
    if connection.vendor != "postgresql":
        pytest.skip("needs real concurrent transactions (PostgreSQL); SQLite serialises writers")


def _pupils(count: int) -> list[User]:
    pupils = [User.objects.create_user(f"race{n}", password="x") for n in range(count)]
    Group.objects.get(name=roles.PUPIL).user_set.add(*pupils)
    return pupils


def test_twelve_pupils_at_once_for_five_places():
    _needs_postgres()
    builders.build_school("race")  # roles and a home page exist
    event = make_event("Пять мест", slug="five", capacity=5)
    pupils = _pupils(12)
    _at_once(12, lambda n: registering.register_self(event, pupils[n])[0].status)
    statuses = list(Registration.objects.filter(event=event).values_list("status", flat=True))
    assert statuses.count("confirmed") == 5 and statuses.count("waiting") == 7


def test_a_teacher_and_pupils_racing_for_the_last_places():
    _needs_postgres()
    school = builders.build_school("mix", pupils=4)
    event = make_event("Три места", slug="three", capacity=3)
    loners = _pupils(4)

    def work(n):
        if n == 0:
            group = school.group_a
            ids = [p.pk for p in school.pupils_a]
            return registering.register_pupils(event, school.teacher_a, group, ids)
        return registering.register_self(event, loners[n - 1])

    _at_once(5, work)
    held = Registration.objects.filter(event=event, status__in=Registration.HOLDS_PLACE).count()
    assert held == 3
    assert Registration.objects.filter(event=event).count() == 8


def test_four_clicks_at_once_make_one_registration():
    _needs_postgres()
    builders.build_school("click")
    event = make_event("Один раз", slug="once", capacity=10)
    pupil = _pupils(1)[0]
    ids = _at_once(4, lambda n: registering.register_self(event, pupil)[0].pk)
    assert len(set(ids)) == 1
    assert Registration.objects.filter(event=event, user=pupil).count() == 1
