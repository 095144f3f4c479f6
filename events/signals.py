"""Receivers: when an event page is published, its state row exists, a change of time or place
(or the cancellation) is announced once to those registered, and places the new capacity frees
go to the waiting list."""

from __future__ import annotations

from django.core.cache import cache
from django.db import transaction
from django.dispatch import receiver
from wagtail.signals import page_published, page_unpublished

from events.models import EventIndexPage, EventPage


@receiver(page_published, sender=EventPage)
def event_published(sender, instance: EventPage, **kwargs) -> None:
    from events import changes

    transaction.on_commit(lambda: changes.after_publish(instance.pk))


@receiver(page_published, sender=EventIndexPage)
@receiver(page_unpublished, sender=EventIndexPage)
def index_changed(sender, **kwargs) -> None:
    from events.context_processors import CACHE_KEY

    cache.delete(CACHE_KEY)
