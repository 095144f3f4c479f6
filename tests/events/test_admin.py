"""The event pages in the Wagtail admin: the forms open, and an event is validated there."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from events.models import EventPage
from tests.events.builders import events_index


def test_methodologists_open_the_event_forms(client, park):
    client.force_login(park["two"].methodologist)
    add = reverse("wagtailadmin_pages:add", args=["events", "eventpage", events_index().pk])
    page = client.get(add)
    assert page.status_code == 200
    for field in ("starts_at", "capacity", "guests_register", "offer_hours", "hours"):
        assert f'name="{field}"' in page.content.decode()
    edit = reverse("wagtailadmin_pages:edit", args=[park["master_class"].pk])
    assert client.get(edit).status_code == 200


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"ends_at": "start"}, "ends_at"),
        ({"ends_at": "start+70d"}, "ends_at"),
        ({"min_class": 9, "max_class": 5}, "max_class"),
        ({"registration_closes_at": "start+5h"}, "registration_closes_at"),
        ({"audience": "teachers", "min_class": 5}, "min_class"),
    ],
)
def test_an_event_that_makes_no_sense_is_refused(park, change, field):
    event = EventPage.objects.get(pk=park["master_class"].pk)
    start = event.starts_at
    moments = {
        "start": start,
        "start+70d": start + timedelta(days=70),
        "start+5h": start + timedelta(hours=5),
    }
    for name, value in change.items():
        setattr(event, name, moments.get(value, value) if isinstance(value, str) else value)
    with pytest.raises(ValidationError) as refused:
        event.clean()
    assert field in refused.value.message_dict
