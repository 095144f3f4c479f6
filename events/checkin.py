"""Check-in on the day: the list staff tick on a phone, the marks it sends (also late, from a
phone that was offline), and walk-ins added on the spot.

Every tap is a CheckIn mark with the id the phone gave it, so a batch sent twice counts once.
Registration.attended_at follows the marks in the order they were made (not received): two
phones that disagree, or an "undo" made offline before an "in" made elsewhere, end as the
latest tap says. Marks are refused one by one with a reason staff can read; a malformed entry
is answered like a refused one, never with an error page."""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import formats, timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from events import registering
from events.models import CheckIn, EventPage, Registration
from lms.models import User
from lms.text import clean_line

# Limits (settings override them): how early the list opens, how late a phone that was offline
# may still send what it marked, how many marks one request may carry.
OPENS_BEFORE = timedelta(hours=getattr(settings, "EVENTS_CHECKIN_OPENS_HOURS_BEFORE", 6))
CLOSES_AFTER = timedelta(days=getattr(settings, "EVENTS_CHECKIN_CLOSES_DAYS_AFTER", 3))
MAX_BATCH = getattr(settings, "EVENTS_CHECKIN_MAX_BATCH", 500)
NAME_MAX = 150
SCHOOL_MAX = 200  # Registration.school_name
# A phone's clock this far from the server's is corrected (closer is network delay).
SKEW_IGNORED = timedelta(minutes=1)

CONFIRMED = Registration.Status.CONFIRMED
ACTIONS = frozenset(CheckIn.Action.values)


class CheckInError(Exception):
    """A whole request refused (a batch too big); the message is for staff."""


@dataclass
class MarkResult:
    """What one mark came to: `ok` with the person's state after it, or a reason."""

    client_id: str | None
    ok: bool
    registration: Registration | None = None
    reason: str = ""  # a stable word for scripts: invalid, unknown, other_event, ...
    error: str = ""  # the translated reason for staff

    def as_json(self) -> dict:
        if not self.ok:
            return {"id": self.client_id, "ok": False, "reason": self.reason, "error": self.error}
        person = entry(self.registration)
        return {
            "id": self.client_id,
            "ok": True,
            "registration": person["id"],
            "attended": person["attended"],
            "person": person,
        }


@dataclass
class _Mark:
    """One parsed entry of a batch."""

    client_id: uuid.UUID
    action: str
    marked_at: datetime
    registration_id: int | None = None
    code: str | None = None
    result: MarkResult | None = field(default=None)


# --- The roster ---------------------------------------------------------------------------

ROSTER_FIELDS = (
    "pk",
    "full_name",
    "school_name",
    "category",
    "school_class",
    "source",
    "code",
    "attended_at",
)


def sort_key(name: str) -> str:
    """Alphabetical by the name as written (surname first), case- and ё-insensitive."""
    return name.casefold().replace("ё", "е")


def code_hash(code: str) -> str:
    """What the list holds of a registration's secret: enough for a phone to recognise a
    scanned QR code offline, useless as the code itself."""
    return hashlib.sha256(code.encode()).hexdigest()[:24]


def entry(row: dict | Registration) -> dict:
    """One person of the list as plain data (the page, the JSON and the sync answers)."""
    if isinstance(row, Registration):
        row = {name: getattr(row, name) for name in ROSTER_FIELDS}
    attended_at, category = row["attended_at"], row["category"]
    return {
        "id": row["pk"],
        "full_name": row["full_name"],
        "school_name": row["school_name"],
        "category": category,
        "category_label": str(Registration.Category(category).label)
        if category in Registration.Category.values
        else "",
        "school_class": row["school_class"],
        "walk_in": row["source"] == Registration.Source.WALK_IN,
        "attended": attended_at is not None,
        "attended_at": attended_at.isoformat() if attended_at else None,
        "time": formats.time_format(timezone.localtime(attended_at), "H:i") if attended_at else "",
        "code_hash": code_hash(row["code"]),
    }


def roster(event: EventPage) -> list[dict]:
    """Everyone who may be checked in (confirmed registrations, walk-ins included), sorted by
    surname. One query."""
    rows = Registration.objects.filter(event=event, status=CONFIRMED).values(*ROSTER_FIELDS)
    people = [entry(row) for row in rows]
    people.sort(key=lambda person: (sort_key(person["full_name"]), person["id"]))
    return people


def counts(people: list[dict]) -> dict:
    return {"came": sum(1 for person in people if person["attended"]), "registered": len(people)}


def summary(event: EventPage) -> dict:
    """The counters, counted by the database (after a sync; one query)."""
    row = Registration.objects.filter(event=event, status=CONFIRMED).aggregate(
        registered=Count("pk"), came=Count("pk", filter=Q(attended_at__isnull=False))
    )
    return {"came": row["came"], "registered": row["registered"]}


# --- When the list is open ------------------------------------------------------------------


def window(event: EventPage) -> tuple[datetime, datetime]:
    return event.starts_at - OPENS_BEFORE, event.ends_at + CLOSES_AFTER


def _local(moment: datetime) -> str:
    return formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT")


def closed_reason(
    event: EventPage, marked_at: datetime | None = None, now: datetime | None = None
) -> str:
    """Why the list takes no mark (made at `marked_at`, received `now`), or ""."""
    now = now or timezone.now()
    marked_at = marked_at or now
    opens, closes = window(event)
    if event.is_cancelled:
        return _("This event is cancelled.")
    if now > closes:
        return _("The check-in list of this event closed on %(when)s.") % {"when": _local(closes)}
    if marked_at < opens:
        return _("The check-in list opens at %(when)s.") % {"when": _local(opens)}
    return ""


# --- Marks --------------------------------------------------------------------------------


def _refused(client_id, reason: str, error: str) -> MarkResult:
    return MarkResult(str(client_id) if client_id else None, False, reason=reason, error=error)


def _parse_time(raw, now: datetime, skew: timedelta) -> datetime | None:
    if raw is None or raw == "":
        return now
    if isinstance(raw, datetime):
        moment = raw
    elif isinstance(raw, str) and len(raw) <= 40:
        try:
            moment = parse_datetime(raw.strip())
        except ValueError:
            return None
        if moment is None:
            return None
    else:
        return None
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    try:
        moment = moment + skew
    except OverflowError:
        return None
    # A phone whose clock runs ahead cannot mark the future.
    return min(moment, now)


def _is_number(text: str) -> bool:
    return text.isascii() and text.isdigit() and len(text) <= 18


def _parse(raw, now: datetime, skew: timedelta) -> _Mark | MarkResult:
    """One entry of a batch, or the answer that it is malformed."""
    if not isinstance(raw, dict):
        return _refused(None, "invalid", _("A mark must be an object."))
    raw_id = raw.get("id")
    try:
        client_id = uuid.UUID(str(raw_id)) if isinstance(raw_id, str) and raw_id else None
    except ValueError:
        client_id = None
    if client_id is None:
        shown = raw_id if isinstance(raw_id, str) and len(raw_id) <= 64 else None
        return _refused(shown, "invalid", _("A mark must have an id (a UUID)."))
    action = raw.get("action")
    if action not in ACTIONS:
        return _refused(client_id, "invalid", _("A mark is either “in” or “undo”."))
    marked_at = _parse_time(raw.get("at"), now, skew)
    if marked_at is None:
        return _refused(client_id, "invalid", _("The time of the mark is not a valid date."))
    registration_id, code = raw.get("registration"), raw.get("code")
    if isinstance(registration_id, str) and _is_number(registration_id):
        registration_id = int(registration_id)
    if isinstance(registration_id, int) and not isinstance(registration_id, bool):
        if not 0 < registration_id < 2**63:
            return _refused(client_id, "unknown", _("No such registration."))
        return _Mark(client_id, action, marked_at, registration_id=registration_id)
    if isinstance(code, str) and code.strip():
        if len(code) > 64:
            return _refused(client_id, "unknown", _("No registration has this code."))
        return _Mark(client_id, action, marked_at, code=code.strip())
    return _refused(
        client_id, "invalid", _("A mark names the person by registration number or QR code.")
    )


def _check(mark: _Mark, registration: Registration | None, event: EventPage, now: datetime):
    """The refusal of a mark that is well formed, or None."""
    if registration is None:
        if mark.code is not None:
            return _refused(mark.client_id, "unknown", _("No registration has this code."))
        return _refused(mark.client_id, "unknown", _("No such registration."))
    if registration.event_id != event.pk:
        return _refused(
            mark.client_id,
            "other_event",
            _("%(name)s is registered for another event.") % {"name": registration.full_name},
        )
    if registration.status != CONFIRMED:
        return _refused(
            mark.client_id,
            "not_registered",
            _("Not registered: %(status)s.") % {"status": registration.get_status_display()},
        )
    closed = closed_reason(event, mark.marked_at, now)
    if closed:
        return _refused(mark.client_id, "closed", closed)
    return None


def _attended_at(marks: list[CheckIn], before: datetime | None, seed: bool) -> datetime | None:
    """The time a person came, from their marks in the order they were made: the first "in"
    after the last "undo". With `seed`, a time set before any mark was made counts as an "in"
    made then."""
    taps = [(m.marked_at, 1, m.pk or 0, m.action) for m in marks]
    if seed and before is not None:
        taps.append((before, 0, 0, CheckIn.Action.ARRIVED))
    came = None
    for moment, _order, _pk, action in sorted(taps):
        came = (came or moment) if action == CheckIn.Action.ARRIVED else None
    return came


def _apply(event: EventPage, parsed: list, by: User | None, now: datetime) -> list[MarkResult]:
    """Store the well-formed marks of a batch and bring the people's attended_at up to date,
    in one transaction and a fixed number of queries."""
    marks = [item for item in parsed if isinstance(item, _Mark)]
    if not marks:
        return [item for item in parsed]
    ids = {m.registration_id for m in marks if m.registration_id is not None}
    codes = {m.code for m in marks if m.code is not None}
    with transaction.atomic():
        # The rows are locked so two phones syncing at once agree on the outcome.
        found = list(
            Registration.objects.select_for_update()
            .filter(Q(pk__in=ids) | Q(code__in=codes))
            .order_by("pk")
        )
        by_id = {r.pk: r for r in found}
        by_code = {r.code: r for r in found}
        client_ids = [m.client_id for m in marks]
        known = {c.client_id: c for c in CheckIn.objects.filter(client_id__in=client_ids)}
        new: list[CheckIn] = []
        seen: dict[uuid.UUID, int] = {}  # this batch's new marks: whose they are
        for mark in marks:
            registration = (
                by_id.get(mark.registration_id) if mark.code is None else by_code.get(mark.code)
            )
            stored = known.get(mark.client_id)
            if stored is not None or mark.client_id in seen:
                # A replay: answered as the first time, whatever has changed since.
                owner = stored.registration_id if stored else seen[mark.client_id]
                if registration is not None and registration.event_id != event.pk:
                    mark.result = _check(mark, registration, event, now)
                elif registration is None or owner != registration.pk:
                    mark.result = _refused(
                        mark.client_id, "invalid", _("This mark’s id was used for someone else.")
                    )
                else:
                    mark.result = MarkResult(str(mark.client_id), True, registration)
                continue
            refusal = _check(mark, registration, event, now)
            if refusal is not None:
                mark.result = refusal
                continue
            seen[mark.client_id] = registration.pk
            new.append(
                CheckIn(
                    registration=registration,
                    action=mark.action,
                    client_id=mark.client_id,
                    marked_at=mark.marked_at,
                    marked_by=by,
                )
            )
            mark.result = MarkResult(str(mark.client_id), True, registration)
        if new:
            # A mark stored by a request racing this one is skipped here, like a replay.
            CheckIn.objects.bulk_create(new, ignore_conflicts=True)
            _follow_marks([c.registration for c in new], {c.client_id for c in new})
    return [item.result if isinstance(item, _Mark) else item for item in parsed]


def _follow_marks(registrations: list[Registration], new_ids: set[uuid.UUID]) -> None:
    touched = {r.pk: r for r in registrations}
    all_marks: dict[int, list[CheckIn]] = {pk: [] for pk in touched}
    for mark in CheckIn.objects.filter(registration_id__in=touched).only(
        "pk", "registration_id", "action", "marked_at", "client_id"
    ):
        all_marks[mark.registration_id].append(mark)
    changed = []
    for pk, registration in touched.items():
        marks = all_marks[pk]
        seed = not any(m.client_id not in new_ids for m in marks)
        came = _attended_at(marks, registration.attended_at, seed)
        if came != registration.attended_at:
            registration.attended_at = came
            changed.append(registration)
    if changed:
        Registration.objects.bulk_update(changed, ["attended_at"])


def mark(
    registration: Registration,
    *,
    action: str,
    client_id: uuid.UUID | str,
    marked_at: datetime | None,
    by: User | None,
    now: datetime | None = None,
) -> MarkResult:
    """One mark on one registration (the QR page); the same rules as a batch."""
    now = now or timezone.now()
    raw = {"id": str(client_id), "action": action, "registration": registration.pk}
    parsed = _parse({**raw, "at": marked_at}, now, timedelta(0))
    return _apply(registration.event, [parsed], by, now)[0]


def clock_skew(sent_at, now: datetime | None = None) -> timedelta:
    """How far the phone's clock is behind the server's, from the time it says it sent the
    batch (0 if it did not say, or is close enough)."""
    now = now or timezone.now()
    if not isinstance(sent_at, str) or len(sent_at) > 40:
        return timedelta(0)
    try:
        moment = parse_datetime(sent_at.strip())
    except ValueError:
        return timedelta(0)
    if moment is None:
        return timedelta(0)
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    skew = now - moment
    return skew if abs(skew) > SKEW_IGNORED else timedelta(0)


def sync(
    event: EventPage,
    marks: list,
    by: User | None,
    *,
    skew: timedelta = timedelta(0),
    now: datetime | None = None,
) -> list[dict]:
    """A batch of marks from a phone: one answer per entry, in order (see MarkResult)."""
    if not isinstance(marks, list):
        raise CheckInError(_("Send a list of marks."))
    if len(marks) > MAX_BATCH:
        raise CheckInError(_("At most %(n)d marks at a time.") % {"n": MAX_BATCH})
    now = now or timezone.now()
    parsed = [_parse(raw, now, skew) for raw in marks]
    return [result.as_json() for result in _apply(event, parsed, by, now)]


# --- Walk-ins -----------------------------------------------------------------------------


def _walk_in_fields(full_name, school_name, category, school_class) -> dict:
    errors: dict[str, str] = {}
    name = clean_line(full_name if isinstance(full_name, str) else "")
    school = clean_line(school_name if isinstance(school_name, str) else "")
    if len(name) < 2:
        errors["full_name"] = _("Type the surname and first name.")
    elif len(name) > NAME_MAX:
        errors["full_name"] = _("A name is at most %(n)d characters.") % {"n": NAME_MAX}
    if len(school) > SCHOOL_MAX:
        errors["school_name"] = _("A school's name is at most %(n)d characters.") % {
            "n": SCHOOL_MAX
        }
    if category not in Registration.Category.values:
        errors["category"] = _("Choose: pupil or teacher.")
    number = None
    if category == Registration.Category.PUPIL and school_class not in (None, ""):
        try:
            number = int(str(school_class).strip())
        except ValueError:
            number = 0
        if not 1 <= number <= 11:
            errors["school_class"] = _("A class is a number from 1 to 11.")
    if errors:
        raise ValidationError(errors)
    return {"full_name": name, "school_name": school, "category": category, "school_class": number}


def add_walk_in(
    event: EventPage,
    *,
    by: User | None,
    full_name: str,
    school_name: str,
    category: str,
    school_class: int | str | None = None,
    marked_at: datetime | None = None,
    now: datetime | None = None,
) -> Registration:
    """Someone who came without registering: confirmed and marked as arrived. They are in the
    room, so the capacity does not stop them. The same name and school again (a double tap, a
    phone resending) is the same person. Raises ValidationError (by field) when refused."""
    now = now or timezone.now()
    values = _walk_in_fields(full_name, school_name, category, school_class)
    came = _parse_time(marked_at, now, timedelta(0)) if marked_at is not None else now
    came = came or now
    closed = closed_reason(event, came, now)
    if closed:
        raise ValidationError(closed)
    with transaction.atomic():
        registering.lock(event.pk)  # as every change of places does
        same = (sort_key(values["full_name"]), sort_key(values["school_name"]))
        for earlier in Registration.objects.filter(
            event=event, source=Registration.Source.WALK_IN, status=CONFIRMED
        ):
            if (sort_key(earlier.full_name), sort_key(earlier.school_name)) == same:
                return earlier
        registration = Registration.objects.create(
            event=event,
            source=Registration.Source.WALK_IN,
            status=CONFIRMED,
            registered_by=by,
            attended_at=came,
            **values,
        )
        CheckIn.objects.create(
            registration=registration,
            action=CheckIn.Action.ARRIVED,
            client_id=uuid.uuid4(),
            marked_at=came,
            marked_by=by,
        )
    return registration


def registration_by_code(code: str) -> Registration | None:
    if not isinstance(code, str) or not code or len(code) > 64:
        return None
    return Registration.objects.filter(code=code).select_related("event").first()
