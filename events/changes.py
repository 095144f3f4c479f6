"""What follows a published edit of an event: registrants are told of a new time or place or of
the cancellation (once each: EventState remembers what they were told), and, when places were
added, the waiting list moves up."""

from __future__ import annotations

from django.db import transaction

from events import messages, registering
from events.models import EventPage, EventState, Registration


def after_publish(event_id: int) -> None:
    event = EventPage.objects.filter(pk=event_id).first()
    if event is None:
        return
    with transaction.atomic():
        EventState.objects.get_or_create(event=event, defaults=registering.state_defaults(event))
        state = EventState.objects.select_for_update().get(pk=event.pk)
        moved = (
            state.told_starts_at != event.starts_at
            or state.told_ends_at != event.ends_at
            or state.told_place != registering.told_place(event)
        )
        anyone = Registration.objects.filter(event=event, status__in=Registration.ACTIVE).exists()
        if event.is_cancelled and not state.cancellation_told:
            state.cancellation_told = True
            if anyone:
                messages.announce_event("cancelled", event.pk)
        elif moved and not event.is_cancelled:
            state.changes_told += 1
            if anyone:
                messages.announce_event("changed", event.pk, state.changes_told)
            if state.told_starts_at != event.starts_at:
                state.reminded_at = None  # a new day, a new reminder
        if not event.is_cancelled:
            state.cancellation_told = False
        state.told_starts_at, state.told_ends_at = event.starts_at, event.ends_at
        state.told_place = registering.told_place(event)
        state.save()
    if not event.is_cancelled:
        registering.settle(event.pk)
