"""Registering for an event, the waiting list and its time-limited offers, cancelling and
moderation: every change of places as one transaction that first locks the event's state row.

Places: a registration that is confirmed or offered holds one (walk-ins do not count: they come
after registration closes). When a place frees (a cancellation, a declined or expired offer, a
rejected registration, more places published), the first on the waiting list is offered it for
the event's `offer_hours` (never past the start) and told; an offer not accepted in time lapses
and passes on. Registrations awaiting moderation, and a visitor's registration whose e-mail is not
confirmed yet, hold no place until they are approved or confirmed.

Who is told what is queued after the commit (events.messages, through the task worker)."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from events import audience
from events.models import EventPage, EventState, Registration
from lms import roles
from lms.models import StudyGroup, User
from lms.permissions import user_roles
from lms.text import clean_line

Status = Registration.Status
Source = Registration.Source
Category = Registration.Category

MAX_NAME = 150
MAX_SCHOOL = 200


class Refused(Exception):
    """A registration that may not be made or changed; `message` says why, translated."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass
class Outcome:
    """What a registration of several people did."""

    created: list[Registration] = field(default_factory=list)
    already: list[Registration] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(1 for r in self.created if r.status == status)


# --- Places ------------------------------------------------------------------------------------


def places_taken(event_id: int) -> int:
    return (
        Registration.objects.filter(event_id=event_id, status__in=Registration.HOLDS_PLACE)
        .exclude(source=Source.WALK_IN)
        .count()
    )


def places_left(event: EventPage) -> int | None:
    """Free places, or None when the event has no limit."""
    if event.capacity is None:
        return None
    return max(0, event.capacity - places_taken(event.pk))


def state_defaults(event: EventPage) -> dict:
    """A new state row: registrants have been told the event as it is now."""
    return {
        "told_starts_at": event.starts_at,
        "told_ends_at": event.ends_at,
        "told_place": told_place(event),
    }


def told_place(event: EventPage) -> str:
    return "\n".join([event.place, event.address, event.online_url])


def lock(event_id: int) -> EventPage:
    """Take the event's lock (inside a transaction) and read the event afresh."""
    locked = EventState.objects.filter(pk=event_id).update(version=F("version") + 1)
    event = EventPage.objects.get(pk=event_id)
    if not locked:
        EventState.objects.get_or_create(event=event, defaults=state_defaults(event))
        EventState.objects.filter(pk=event_id).update(version=F("version") + 1)
    return event


def _set(registration: Registration, status: str, now: datetime, **fields) -> None:
    registration.status = status
    registration.status_changed_at = now
    for name, value in fields.items():
        setattr(registration, name, value)
    registration.save(update_fields=["status", "status_changed_at", *fields])


def _offer_until(event: EventPage, now: datetime) -> datetime:
    return min(now + timedelta(hours=event.offer_hours), event.starts_at)


def _settle(event: EventPage, now: datetime, told: list[tuple[str, int]]) -> None:
    """Under the lock: lapse expired offers and old unconfirmed visitors, then offer free
    places to the waiting list in order."""
    lapsed = Registration.objects.filter(
        event=event, status=Status.OFFERED, offer_expires_at__lte=now
    )
    for registration in lapsed:
        _set(registration, Status.EXPIRED, now)
        told.append(("expired", registration.pk))
    stale = now - timedelta(hours=settings.LMS_EVENT_EMAIL_CONFIRM_HOURS)
    Registration.objects.filter(
        event=event, status=Status.UNCONFIRMED, created_at__lte=stale
    ).update(status=Status.EXPIRED, status_changed_at=now)
    if event.capacity is None:
        waiting = Registration.objects.filter(event=event, status=Status.WAITING)
        for registration in waiting:
            _set(registration, Status.CONFIRMED, now)
            told.append(("confirmed", registration.pk))
        return
    free = event.capacity - places_taken(event.pk)
    if free <= 0 or now >= event.starts_at:
        return
    for registration in Registration.objects.filter(event=event, status=Status.WAITING)[:free]:
        _set(registration, Status.OFFERED, now, offer_expires_at=_offer_until(event, now))
        told.append(("offered", registration.pk))


def _tell_after_commit(told: list[tuple[str, int]]) -> None:
    if told:
        from events import messages

        messages.announce(told)


def settle(event_id: int, now: datetime | None = None) -> int:
    """Lapse what has expired and offer what is free; returns how many changed."""
    now = now or timezone.now()
    told: list[tuple[str, int]] = []
    with transaction.atomic():
        event = lock(event_id)
        _settle(event, now, told)
        _tell_after_commit(told)
    return len(told)


def settle_due(now: datetime | None = None) -> int:
    """For the periodic command: every event with an offer run out or a place to offer."""
    now = now or timezone.now()
    due = set(
        Registration.objects.filter(status=Status.OFFERED, offer_expires_at__lte=now).values_list(
            "event_id", flat=True
        )
    )
    due |= set(
        Registration.objects.filter(
            status=Status.WAITING, event__starts_at__gt=now, event__is_cancelled=False
        ).values_list("event_id", flat=True)
    )
    return sum(settle(event_id, now) for event_id in sorted(due))


def _new_status(event: EventPage, free: int | None) -> str:
    if event.requires_moderation:
        return Status.PENDING
    if free is None or free > 0:
        return Status.CONFIRMED
    return Status.WAITING


def _free(event: EventPage) -> int | None:
    return None if event.capacity is None else max(0, event.capacity - places_taken(event.pk))


# --- Who is registering ------------------------------------------------------------------------


def category_of(user: User) -> str:
    return Category.PUPIL if roles.PUPIL in user_roles(user) else Category.TEACHER


def full_name_of(user: User) -> str:
    """Names in lists read "Фамилия Имя"."""
    name = f"{user.last_name} {user.first_name}".strip()
    return name or user.get_display_name()


def _checked_class(school_class) -> int | None:
    if school_class in (None, ""):
        return None
    try:
        value = int(school_class)
    except (TypeError, ValueError):
        raise Refused(_("The class is a number from 1 to 11.")) from None
    if not 1 <= value <= 11:
        raise Refused(_("The class is a number from 1 to 11."))
    return value


def _active(event: EventPage) -> Iterable[Registration]:
    return Registration.objects.filter(event=event, status__in=Registration.ACTIVE)


# --- Registering -------------------------------------------------------------------------------


def register_self(
    event: EventPage, user: User, *, school_class=None, now: datetime | None = None
) -> tuple[Registration, bool]:
    """A pupil or a teacher registers themself. Returns (registration, created); registering
    twice returns the first registration."""
    now = now or timezone.now()
    category = category_of(user)
    school_class = _checked_class(school_class) if category == Category.PUPIL else None
    existing = _active(event).filter(user=user).first()
    if existing is not None:
        return existing, False
    reason = audience.refusal(
        event, category=category, source=Source.SELF, school_class=school_class, now=now
    )
    if reason:
        raise Refused(reason)
    told: list[tuple[str, int]] = []
    try:
        with transaction.atomic():
            event = lock(event.pk)
            _settle(event, now, told)
            existing = _active(event).filter(user=user).first()
            if existing is not None:
                return existing, False
            registration = Registration.objects.create(
                event=event,
                user=user,
                full_name=full_name_of(user),
                email=user.email,
                school=user.school,
                school_name=user.school.name if user.school else "",
                category=category,
                school_class=school_class,
                source=Source.SELF,
                registered_by=user,
                status=_new_status(event, _free(event)),
            )
            told.append(("registered", registration.pk))
            _tell_after_commit(told)
    except IntegrityError:  # the same person's second click, in a race
        existing = _active(event).filter(user=user).first()
        if existing is None:
            raise
        return existing, False
    return registration, True


def register_pupils(
    event: EventPage,
    teacher: User,
    group: StudyGroup,
    pupil_ids: Iterable[int],
    *,
    school_class=None,
    now: datetime | None = None,
) -> Outcome:
    """A teacher registers chosen pupils of a group they manage (the caller has checked the
    group). Places go in the order of the list (surname order); those beyond the places go on
    the waiting list. Pupils already registered are left as they are."""
    now = now or timezone.now()
    school_class = _checked_class(school_class)
    wanted = list(dict.fromkeys(int(pk) for pk in pupil_ids))
    if not wanted:
        raise Refused(_("Choose at least one pupil."))
    if len(wanted) > settings.LMS_EVENT_MAX_BATCH:
        raise Refused(
            _("At most %(n)d people can be registered at once.")
            % {"n": settings.LMS_EVENT_MAX_BATCH}
        )
    pupils = list(
        User.objects.pupils_of(group)
        .filter(pk__in=wanted, is_active=True)
        .order_by("last_name", "first_name", "pk")
    )
    if len(pupils) != len(wanted):
        raise Refused(_("Some of the chosen pupils are not in this group."))
    reason = audience.refusal(
        event,
        category=Category.PUPIL,
        source=Source.TEACHER,
        school_class=school_class,
        now=now,
    )
    if reason:
        raise Refused(reason)
    outcome = Outcome()
    told: list[tuple[str, int]] = []
    batch = uuid.uuid4()
    with transaction.atomic():
        event = lock(event.pk)
        _settle(event, now, told)
        registered = {r.user_id: r for r in _active(event).filter(user__in=pupils)}
        free = _free(event)
        rows = []
        for pupil in pupils:
            if pupil.pk in registered:
                outcome.already.append(registered[pupil.pk])
                continue
            status = _new_status(event, free)
            if status == Status.CONFIRMED and free is not None:
                free -= 1
            rows.append(
                Registration(
                    event=event,
                    user=pupil,
                    full_name=full_name_of(pupil),
                    school=group.school,
                    school_name=group.school.name,
                    category=Category.PUPIL,
                    school_class=school_class,
                    source=Source.TEACHER,
                    registered_by=teacher,
                    batch=batch,
                    status=status,
                    status_changed_at=now,
                )
            )
        outcome.created = Registration.objects.bulk_create(rows)
        if outcome.created:
            told.append(("batch", outcome.created[0].pk))
        _tell_after_commit(told)
    return outcome


def register_guest(
    event: EventPage,
    *,
    full_name: str,
    email: str,
    school_name: str,
    category: str,
    school_class=None,
    now: datetime | None = None,
) -> Registration:
    """A visitor without an account. The registration waits, holding no place, until the
    e-mailed link is followed; asking again with the same e-mail sends the link again (and says
    nothing of whether that address was registered)."""
    now = now or timezone.now()
    full_name, school_name = clean_line(full_name), clean_line(school_name)
    email = (email or "").strip().lower()
    if not full_name or len(full_name) > MAX_NAME:
        raise Refused(_("Give your name (at most %(n)d characters).") % {"n": MAX_NAME})
    if not school_name or len(school_name) > MAX_SCHOOL:
        raise Refused(_("Give your school (at most %(n)d characters).") % {"n": MAX_SCHOOL})
    try:
        validate_email(email)
    except ValidationError:
        raise Refused(_("Give an e-mail address we can send the link to.")) from None
    if category not in Category.values:
        raise Refused(_("Say whether you are a pupil or a teacher."))
    school_class = _checked_class(school_class) if category == Category.PUPIL else None
    reason = audience.refusal(
        event, category=category, source=Source.GUEST, school_class=school_class, now=now
    )
    if reason:
        raise Refused(reason)
    existing = _active(event).filter(source=Source.GUEST, email=email).first()
    if existing is None:
        try:
            with transaction.atomic():
                existing = Registration.objects.create(
                    event=event,
                    full_name=full_name,
                    email=email,
                    school_name=school_name,
                    category=category,
                    school_class=school_class,
                    source=Source.GUEST,
                    status=Status.UNCONFIRMED,
                )
        except IntegrityError:
            existing = _active(event).filter(source=Source.GUEST, email=email).first()
            if existing is None:
                raise
    from events import messages

    messages.send_guest_link(existing)
    return existing


def confirm_email(registration: Registration, now: datetime | None = None) -> Registration:
    """The visitor followed the link: the registration takes its place (or joins the list)."""
    now = now or timezone.now()
    if registration.status == Status.EXPIRED:
        raise Refused(_("This link has expired: register again."))
    if registration.status != Status.UNCONFIRMED:
        return registration
    reason = audience.window_refusal(registration.event, now)
    if reason:
        raise Refused(reason)
    told: list[tuple[str, int]] = []
    with transaction.atomic():
        event = lock(registration.event_id)
        _settle(event, now, told)
        registration = Registration.objects.get(pk=registration.pk)
        if registration.status != Status.UNCONFIRMED:
            raise Refused(_("This link has expired: register again."))
        _set(registration, _new_status(event, _free(event)), now, email_confirmed_at=now)
        told.append(("registered", registration.pk))
        _tell_after_commit(told)
    return registration


# --- Changing a registration -------------------------------------------------------------------


def _reread(registration: Registration) -> tuple[EventPage, Registration]:
    event = lock(registration.event_id)
    return event, Registration.objects.select_related("event").get(pk=registration.pk)


def cancel(
    registration: Registration, *, by_staff: bool = False, now: datetime | None = None
) -> Registration:
    """The registrant (or whoever registered them, or the organisers) cancels; the place goes
    to the waiting list. Cancelling twice is harmless."""
    now = now or timezone.now()
    told: list[tuple[str, int]] = []
    with transaction.atomic():
        event, registration = _reread(registration)
        if not registration.is_active:
            return registration
        if now >= event.starts_at and not by_staff:
            raise Refused(_("The event has begun: it is too late to cancel."))
        _set(registration, Status.CANCELLED, now, offer_expires_at=None)
        _settle(event, now, told)
        _tell_after_commit(told)
    return registration


def accept_offer(registration: Registration, now: datetime | None = None) -> Registration:
    """Take the place offered from the waiting list, while the offer lasts."""
    now = now or timezone.now()
    told: list[tuple[str, int]] = []
    with transaction.atomic():
        event, registration = _reread(registration)
        _settle(event, now, told)
        registration.refresh_from_db()
        if registration.status == Status.OFFERED:
            _set(registration, Status.CONFIRMED, now, offer_expires_at=None)
            told.append(("confirmed", registration.pk))
        _tell_after_commit(told)
    if registration.status == Status.EXPIRED:
        raise Refused(_("The offer has expired and the place went to the next on the list."))
    if registration.status != Status.CONFIRMED:
        raise Refused(_("There is no place offered to accept."))
    return registration


def approve(registration: Registration, now: datetime | None = None) -> Registration:
    """The organisers accept a registration: a place if one is free, else the waiting list."""
    now = now or timezone.now()
    told: list[tuple[str, int]] = []
    with transaction.atomic():
        event, registration = _reread(registration)
        if registration.status != Status.PENDING:
            return registration
        _settle(event, now, told)
        free = _free(event)
        status = Status.CONFIRMED if free is None or free > 0 else Status.WAITING
        _set(registration, status, now)
        told.append(("registered", registration.pk))
        _tell_after_commit(told)
    return registration


def reject(registration: Registration, *, note: str = "", now: datetime | None = None):
    """The organisers decline a registration (with a note the registrant reads)."""
    now = now or timezone.now()
    note = clean_line(note)[:500]
    told: list[tuple[str, int]] = []
    with transaction.atomic():
        event, registration = _reread(registration)
        if not registration.is_active:
            return registration
        _set(registration, Status.REJECTED, now, note=note, offer_expires_at=None)
        told.append(("rejected", registration.pk))
        _settle(event, now, told)
        _tell_after_commit(told)
    return registration
