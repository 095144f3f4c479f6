"""Receivers: when an event page is published, its state row exists, a change of time or place
(or the cancellation) is announced once to those registered, and places the new capacity frees
go to the waiting list."""

from __future__ import annotations

from django.db import transaction
from django.dispatch import receiver
from wagtail.signals import page_published

from events.models import EventPage


@receiver(page_published, sender=EventPage)
def event_published(sender, instance: EventPage, **kwargs) -> None:
    from events import changes

    transaction.on_commit(lambda: changes.after_publish(instance.pk))
