"""What the registration pages show: one registration with its actions and QR, "My events",
the panel on the event page. Plain functions returning template context."""

from __future__ import annotations

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from events import audience, certificates, permissions, registering
from events.messages import absolute, waiting_number
from events.models import Certificate, EventPage, Registration
from lms import qr
from lms.models import User

Status = Registration.Status


def registration_context(item: Registration, now=None) -> dict:
    now = now or timezone.now()
    event = item.event
    started = now >= event.starts_at
    context = {
        "item": item,
        "event": event,
        "page": event,
        "can_cancel": item.is_active and not started,
        "can_accept": item.status == Status.OFFERED,
        "must_confirm": item.status == Status.UNCONFIRMED,
        "waiting_number": waiting_number(item) if item.status == Status.WAITING else None,
        "certificate": Certificate.objects.filter(
            source_key=certificates.registration_key(item.pk), revoked_at__isnull=True
        ).first(),
    }
    if item.status == Status.CONFIRMED and not event.is_past(now):
        context["qr_svg"] = qr.svg(absolute(reverse("events:checkin_code", args=[item.code])))
    return context


def mine_context(user: User) -> dict:
    rows = Registration.objects.filter(Q(user=user) | Q(registered_by=user))
    rows = rows.select_related("event").order_by("-event__starts_at", "full_name", "pk")
    now = timezone.now()
    by_event: dict[int, dict] = {}
    for row in rows:
        entry = by_event.setdefault(
            row.event_id,
            {"event": row.event, "own": None, "pupils": [], "past": row.event.is_past(now)},
        )
        if row.user_id == user.pk:
            if entry["own"] is None or row.is_active:
                entry["own"] = row
        elif row.is_active or row.status in (Status.REJECTED, Status.EXPIRED):
            entry["pupils"].append(row)
    events = list(by_event.values())
    upcoming = [e for e in events if not e["past"]][::-1]  # the soonest first
    past = [e for e in events if e["past"]]
    sections = [(_("Coming up"), upcoming), (_("Past"), past)]
    return {"sections": [(title, entries) for title, entries in sections if entries]}


def panel_context(event: EventPage, user, now=None) -> dict:
    """The registration panel of the event page."""
    now = now or timezone.now()
    left = registering.places_left(event)
    context = {
        "places_left": left,
        "registration_open": event.registration_is_open(now),
        "window_refusal": audience.window_refusal(event, now),
        "classes": audience.classes_label(event),
        "is_past": event.is_past(now),
    }
    if user.is_authenticated:
        category = registering.category_of(user)
        mine = (
            Registration.objects.filter(event=event, user=user, status__in=Registration.ACTIVE)
            .only("code", "status")
            .first()
        )
        context.update(
            {
                "mine": mine,
                "self_refusal": audience.source_refusal(event, "self")
                or audience.category_refusal(event, category, event.min_class or 1),
                "needs_class": category == "pupil" and bool(event.min_class or event.max_class),
                "class_numbers": range(event.min_class or 1, (event.max_class or 11) + 1),
                "can_register_group": event.teachers_register_groups
                and event.for_pupils
                and permissions.groups_to_register(user).exists(),
                "can_run": permissions.can_run_event(user, event),
            }
        )
    else:
        context["guests"] = event.guests_register
    return context
