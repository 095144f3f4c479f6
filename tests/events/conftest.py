import pytest

from tests import builders, scenario
from tests.events.builders import events_index, make_event


@scenario.shared
def park():
    """The host park (school "a") and a visiting school ("v"), each with two groups of three
    pupils; an events index with an upcoming master class for pupils (20 places) and a teacher
    workshop (hours for the certificate)."""
    two = builders.build_two_schools(pupils=3)
    events_index()
    master_class = make_event("Мастер-класс: первый робот", slug="first-robot", capacity=20)
    workshop = make_event(
        "Семинар для учителей: Arduino на уроке",
        slug="arduino-workshop",
        audience="teachers",
        kind="workshop",
        capacity=10,
        hours=4,
    )
    return {"two": two, "master_class": master_class, "workshop": workshop}


@pytest.fixture
def host(park):
    return park["two"].host


@pytest.fixture
def visiting(park):
    return park["two"].visiting
