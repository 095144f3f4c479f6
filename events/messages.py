"""What the people registered for an event are told: their registration (registered, on the
waiting list, awaiting the organisers, a place offered, the offer lapsed, declined), the reminder
the day before, a change of time or place, the event's cancellation.

People with an account get a notification in the site (and an e-mail where they have one)
through assessments.notifications, keyed so that a retried task never repeats itself; a teacher
who registered pupils is told once per batch or per event, with the pupils' names where it is
theirs to act. Visitors without an account get e-mails with their registration's secret link.
All of it runs in the task worker, after the transaction that caused it has committed."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.cache import cache
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from assessments.models import Notification
from assessments.notifications import Message, deliver
from events.models import EventPage, Registration
from lms.models import User
from lms.quotes import inner_quotes

log = logging.getLogger("events.messages")
Status = Registration.Status

REGISTRATION_KINDS = ("registered", "confirmed", "offered", "expired", "rejected", "batch")
EVENT_KINDS = ("reminder", "changed", "cancelled")


def announce(told: Iterable[tuple[str, int]]) -> None:
    """Queue the messages of registrations changed in this transaction, after it commits."""
    from events import tasks

    items = [[kind, pk] for kind, pk in told]
    transaction.on_commit(lambda: tasks.tell.enqueue(items))


def announce_event(kind: str, event_id: int, number: int = 0) -> None:
    from events import tasks

    transaction.on_commit(lambda: tasks.tell_event.enqueue(kind, event_id, number))


# --- Words -------------------------------------------------------------------------------------


def when(event: EventPage) -> str:
    start, end = timezone.localtime(event.starts_at), timezone.localtime(event.ends_at)
    day = formats.date_format(start, "j E Y")
    if start.date() == end.date():
        return f"{day}, {start:%H:%M}–{end:%H:%M}"
    return f"{day} {start:%H:%M} – {formats.date_format(end, 'j E Y')} {end:%H:%M}"


def where(event: EventPage) -> str:
    parts = [p for p in (event.place, event.address) if p]
    if event.online_url:
        parts.append(_("online: %(url)s") % {"url": event.online_url})
    return ", ".join(parts) or _("the place will be announced")


def _moment(value) -> str:
    return formats.date_format(timezone.localtime(value), "j E, H:i")


def waiting_number(registration: Registration) -> int:
    return (
        Registration.objects.filter(
            event_id=registration.event_id,
            status=Status.WAITING,
            created_at__lte=registration.created_at,
        )
        .exclude(pk__gt=registration.pk, created_at=registration.created_at)
        .count()
    )


def registration_text(kind: str, registration: Registration) -> str:
    """The message about one registration, in the active language."""
    event = registration.event
    params = {"event": inner_quotes(event.title), "when": when(event), "where": where(event)}
    if kind in ("registered", "confirmed"):
        if registration.status == Status.WAITING:
            return _(
                "“%(event)s” is full: you are number %(n)d on the waiting list. "
                "If a place frees, we will offer it to you."
            ) % {**params, "n": waiting_number(registration)}
        if registration.status == Status.PENDING:
            return (
                _("Your registration for “%(event)s” is received: the organisers will confirm it.")
                % params
            )
        return _("You are registered for “%(event)s”: %(when)s, %(where)s.") % params
    if kind == "offered":
        return _(
            "A place is free at “%(event)s” (%(when)s). Confirm it by %(until)s, "
            "or it goes to the next person on the list."
        ) % {**params, "until": _moment(registration.offer_expires_at or event.starts_at)}
    if kind == "expired":
        return (
            _(
                "The place offered at “%(event)s” was not confirmed in time and went to the next "
                "person on the list."
            )
            % params
        )
    if kind == "rejected":
        text = _("The organisers declined the registration for “%(event)s”.") % params
        return f"{text} {registration.note}".strip()
    raise ValueError(f"unknown registration message {kind!r}")


def batch_text(registration: Registration) -> str:
    rows = Registration.objects.filter(batch=registration.batch)
    statuses = list(rows.values_list("status", flat=True))
    return ngettext(
        "You registered %(n)d pupil for “%(event)s” (%(when)s): %(confirmed)d registered, "
        "%(waiting)d on the waiting list, %(pending)d awaiting the organisers.",
        "You registered %(n)d pupils for “%(event)s” (%(when)s): %(confirmed)d registered, "
        "%(waiting)d on the waiting list, %(pending)d awaiting the organisers.",
        len(statuses),
    ) % {
        "n": len(statuses),
        "event": inner_quotes(registration.event.title),
        "when": when(registration.event),
        "confirmed": statuses.count(Status.CONFIRMED),
        "waiting": statuses.count(Status.WAITING),
        "pending": statuses.count(Status.PENDING),
    }


def event_text(kind: str, event: EventPage) -> str:
    params = {"event": inner_quotes(event.title), "when": when(event), "where": where(event)}
    if kind == "reminder":
        return _("Tomorrow: “%(event)s”, %(when)s, %(where)s.") % params
    if kind == "changed":
        return _("“%(event)s” has changed: now %(when)s, %(where)s.") % params
    if kind == "cancelled":
        text = _("“%(event)s” (%(when)s) is cancelled.") % params
        return f"{text} {event.cancellation_note}".strip()
    raise ValueError(f"unknown event message {kind!r}")


# --- Links -------------------------------------------------------------------------------------


def registration_url(registration: Registration) -> str:
    return reverse("events:registration", args=[registration.code])


def absolute(url: str) -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + url


def _in(user_or_language, make):
    language = (
        user_or_language.preferred_language
        if isinstance(user_or_language, User)
        else user_or_language
    )
    with (
        translation.override(language or settings.LANGUAGE_CODE),
        timezone.override(settings.TIME_ZONE),
    ):
        return str(make())


# --- Sending -----------------------------------------------------------------------------------


def messages_for_registration(kind: str, registration: Registration) -> list[Message]:
    found: list[Message] = []
    if kind == "batch":
        teacher = registration.registered_by
        if teacher is not None:
            found.append(
                Message(
                    Notification.Kind.EVENT,
                    teacher,
                    f"event:batch:{registration.batch}",
                    _in(teacher, lambda: batch_text(registration)),
                    reverse("events:mine"),
                )
            )
        pupils = Registration.objects.filter(batch=registration.batch).select_related(
            "user", "event"
        )
        for pupil_registration in pupils:
            if pupil_registration.user is not None:
                found.append(_personal("registered", pupil_registration, pupil_registration.user))
        return found
    if registration.user is not None:
        found.append(_personal(kind, registration, registration.user))
    teacher = registration.registered_by
    if teacher is not None and teacher.pk != registration.user_id:
        found.append(
            Message(
                Notification.Kind.EVENT,
                teacher,
                f"event:{kind}:{registration.pk}:by",
                _in(
                    teacher,
                    lambda: f"{registration.full_name}: {registration_text(kind, registration)}",
                ),
                reverse("events:mine"),
            )
        )
    return found


def _personal(kind: str, registration: Registration, user: User) -> Message:
    return Message(
        Notification.Kind.EVENT,
        user,
        f"event:{kind}:{registration.pk}",
        _in(user, lambda: registration_text(kind, registration)),
        registration_url(registration),
    )


def tell(items: list[list]) -> int:
    """Deliver the messages of registrations changed (the task's body)."""
    told = 0
    for kind, pk in items:
        registration = (
            Registration.objects.select_related("event", "user", "registered_by")
            .filter(pk=pk)
            .first()
        )
        if registration is None:
            continue
        told += deliver(messages_for_registration(kind, registration))
        if registration.source == Registration.Source.GUEST and kind != "batch":
            told += _mail_guest(
                registration,
                f"event:{kind}:{registration.pk}",
                lambda r=registration, k=kind: registration_text(k, r),
            )
    return told


def tell_event(kind: str, event_id: int, number: int = 0) -> int:
    """Tell everyone registered of the reminder, a change or the cancellation."""
    event = EventPage.objects.filter(pk=event_id).first()
    if event is None:
        return 0
    statuses = (
        [Status.CONFIRMED]
        if kind == "reminder"
        else [Status.CONFIRMED, Status.OFFERED, Status.WAITING, Status.PENDING]
    )
    registrations = list(
        Registration.objects.filter(event=event, status__in=statuses).select_related(
            "user", "registered_by"
        )
    )
    key = f"event:{kind}{number}:{event.pk}"
    people: dict[int, User] = {}
    for registration in registrations:
        for user in (registration.user, registration.registered_by):
            if user is not None:
                people[user.pk] = user
    url = event.url or "/"
    found = [
        Message(Notification.Kind.EVENT, user, key, _in(user, lambda: event_text(kind, event)), url)
        for user in people.values()
    ]
    told = deliver(found)
    for registration in registrations:
        if registration.source == Registration.Source.GUEST:
            told += _mail_guest(
                registration, f"{key}:{registration.pk}", lambda: event_text(kind, event)
            )
    return told


def _mail_guest(registration: Registration, key: str, make_text) -> int:
    """E-mail a visitor once per key (the cache remembers what was sent, so a retried task
    does not send it again)."""
    if not registration.email or not cache.add(f"events:mailed:{key}", 1, 60 * 60 * 24 * 60):
        return 0
    text = _in(settings.LANGUAGE_CODE, make_text)
    link = absolute(registration_url(registration))
    return _send(registration.email, text[:150], f"{text}\n\n{link}")


def send_guest_link(registration: Registration) -> None:
    """The link that confirms a visitor's e-mail (or, if already confirmed, their page). At
    most one e-mail per address and event every few minutes, whatever is asked."""
    if not cache.add(f"events:link:{registration.pk}", 1, 5 * 60):
        return
    link = absolute(registration_url(registration))
    event = registration.event

    def text() -> tuple[str, str]:
        if registration.status == Status.UNCONFIRMED:
            subject = _("Confirm your registration for “%(event)s”") % {
                "event": inner_quotes(event.title)
            }
            body = _(
                "Hello, %(name)s!\n\nTo finish registering for “%(event)s” (%(when)s), open this "
                "link within %(hours)d hours and press “Confirm”:\n\n%(link)s\n\nIf you did not "
                "register, ignore this letter."
            )
        else:
            subject = _("Your registration for “%(event)s”") % {"event": inner_quotes(event.title)}
            body = _(
                "Hello, %(name)s!\n\nYour registration for “%(event)s” (%(when)s) is on this "
                "page, with its QR code for the entrance:\n\n%(link)s"
            )
        return subject, body % {
            "name": registration.full_name,
            "event": inner_quotes(event.title),
            "when": when(event),
            "hours": settings.LMS_EVENT_EMAIL_CONFIRM_HOURS,
            "link": link,
        }

    with translation.override(settings.LANGUAGE_CODE), timezone.override(settings.TIME_ZONE):
        subject, body = text()

    def send() -> None:
        _send(registration.email, subject, body)

    transaction.on_commit(send)


def _send(address: str, subject: str, body: str) -> int:
    try:
        send_mail(subject=subject, message=body, from_email=None, recipient_list=[address])
    except Exception:  # a mail server hiccup must not break the registration
        log.exception("could not e-mail %s", address)
        return 0
    return 1
