"""The day-before reminder, once per event."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from events import messages
from events.models import EventPage, EventState
from events.registering import state_defaults


def remind_tomorrow(now: datetime | None = None, within: timedelta = timedelta(days=1)) -> int:
    """Queue the reminder of every event starting within a day that has not had it; returns
    how many events."""
    now = now or timezone.now()
    soon = EventPage.objects.live().filter(
        is_cancelled=False, starts_at__gt=now, starts_at__lte=now + within
    )
    count = 0
    for event in soon:
        with transaction.atomic():
            EventState.objects.get_or_create(event=event, defaults=state_defaults(event))
            # The update claims the reminder: a second cron run at the same moment updates 0 rows.
            claimed = EventState.objects.filter(event=event, reminded_at__isnull=True).update(
                reminded_at=now
            )
            if claimed:
                messages.announce_event("reminder", event.pk)
                count += 1
    return count
