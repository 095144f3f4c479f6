"""Events for tests: an events index under the home page and events in it, and registrations
made directly (the services have their own tests)."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone

from events.models import EventIndexPage, EventPage, Registration
from events.registering import full_name_of
from tests import builders


def events_index() -> EventIndexPage:
    index = EventIndexPage.objects.first()
    if index is None:
        index = builders.publish_child(
            builders.home_page(), EventIndexPage(title="Мероприятия", slug="events")
        )
    return index


def make_event(
    title: str = "Мастер-класс: первый робот",
    *,
    slug: str | None = None,
    starts_in: timedelta = timedelta(days=7),
    length: timedelta = timedelta(hours=2),
    starts_at: datetime | None = None,
    **fields,
) -> EventPage:
    """A published event; `starts_in` from now unless `starts_at` is given."""
    start = starts_at or (timezone.now() + starts_in).replace(microsecond=0)
    fields.setdefault("place", "Технопарк, ауд. 101")
    fields.setdefault("capacity", 20)
    event = EventPage(
        title=title,
        slug=slug or f"event-{EventPage.objects.count() + 1}",
        starts_at=start,
        ends_at=start + length,
        **fields,
    )
    return builders.publish_child(events_index(), event)


def register(
    event: EventPage, user=None, *, status: str = Registration.Status.CONFIRMED, **fields
) -> Registration:
    """A registration row as the services would leave it (no capacity check)."""
    if user is not None:
        fields.setdefault("full_name", full_name_of(user))
        fields.setdefault("school", user.school)
        fields.setdefault("school_name", user.school.name if user.school else "")
        fields.setdefault("source", Registration.Source.SELF)
    else:
        fields.setdefault("source", Registration.Source.GUEST)
    fields.setdefault("category", Registration.Category.PUPIL)
    return Registration.objects.create(event=event, user=user, status=status, **fields)
