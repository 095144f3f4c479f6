"""Who may register for an event, and how: the rules as plain functions of the event, the person's
category and class and the way they register. Each answers None (allowed) or the reason, in
words a pupil or a teacher understands."""

from __future__ import annotations

from datetime import datetime

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from events.models import EventPage, Registration

Category = Registration.Category
Source = Registration.Source


def window_refusal(event: EventPage, now: datetime | None = None) -> str | None:
    now = now or timezone.now()
    if event.is_cancelled:
        return _("The event is cancelled.")
    if event.registration_opens_at and now < event.registration_opens_at:
        return _("Registration opens %(when)s.") % {"when": _when(event.registration_opens_at)}
    if now >= event.registration_closes:
        return _("Registration closed %(when)s.") % {"when": _when(event.registration_closes)}
    return None


def category_refusal(event: EventPage, category: str, school_class: int | None) -> str | None:
    if category == Category.PUPIL and not event.for_pupils:
        return _("This event is for teachers.")
    if category == Category.TEACHER and not event.for_teachers:
        return _("This event is for pupils.")
    if category == Category.PUPIL and (event.min_class or event.max_class):
        if school_class is None:
            return _("Say which class the pupils are in: the event is for %(classes)s.") % {
                "classes": classes_label(event)
            }
        low, high = event.min_class or 1, event.max_class or 11
        if not low <= school_class <= high:
            return _("This event is for %(classes)s.") % {"classes": classes_label(event)}
    return None


def source_refusal(event: EventPage, source: str) -> str | None:
    if source == Source.SELF and not event.self_registration:
        return _("For this event, pupils are registered by their teachers.")
    if source == Source.TEACHER and not event.teachers_register_groups:
        return _("For this event, everyone registers themselves.")
    if source == Source.GUEST and not event.guests_register:
        return _("This event is not open to visitors without an account: log in to register.")
    return None


def refusal(
    event: EventPage,
    *,
    category: str,
    source: str,
    school_class: int | None = None,
    now: datetime | None = None,
) -> str | None:
    """The first reason this registration may not be made, or None."""
    return (
        window_refusal(event, now)
        or source_refusal(event, source)
        or category_refusal(event, category, school_class)
    )


def classes_label(event: EventPage) -> str:
    low, high = event.min_class, event.max_class
    if low and high and low == high:
        return _("class %(n)d") % {"n": low}
    if low and high:
        return _("classes %(low)d–%(high)d") % {"low": low, "high": high}
    if low:
        return _("classes %(low)d and up") % {"low": low}
    if high:
        return _("classes up to %(high)d") % {"high": high}
    return ""


def _when(moment: datetime) -> str:
    return formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT")
