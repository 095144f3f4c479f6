"""The park's report on its events for a date range: what it reports to the ministry.

What it counts (the page and the workbook repeat these definitions):

- **Range**: the dates are read in the park's time zone (settings.TIME_ZONE), both ends
  included: an event belongs to the range when it *starts* on or after 00:00 of the first day
  and before 00:00 of the day after the last one. An event spanning two ranges belongs to the
  one it starts in, so no event is counted twice.
- **Event held**: a published (live) event page, not cancelled, that starts in the range and
  has already started when the report is made. Drafts and unpublished pages are left out;
  cancelled events are only counted ("cancelled"); events of the range still to come are only
  counted ("still to come").
- **Registered**: registrations of a held event with the status "registered" (confirmed),
  walk-ins included. Waiting lists, unconfirmed, pending, declined, cancelled and expired
  registrations are not registrations for the report.
- **Came (a participant)**: a registered person marked as arrived (attended_at set). One
  person at three events is three participants; **unique people** counts them once: a user's
  registrations by account; a visitor without an account by e-mail, or, without one, by name
  and school (case and spacing ignored). A guest who later came with an account counts twice.
- **Category**: as registered (pupil or teacher), not the account's role today.
- **Walk-ins**: registered on the spot (they count as registered, and as came once marked).
- **School**: the school name the registration carries (what the person or teacher gave, kept
  even if the account goes), else the linked school's name; names that differ only in case or
  spacing are one school; registrations without one form the "no school" row.
- **Attendance rate**: came ÷ registered, for an event and over all held events; none when
  nobody registered.
- **Academic hours**: the event's hours (what its certificates say). **Teacher-hours**
  (professional development): an event's hours × the teachers who came to it, summed.

Two queries, whatever the range: the events, then their confirmed registrations."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from events.models import EventPage, Registration
from lms.text import clean_line

# More months than this in a range: the by-month table keeps only the months with events.
MAX_EMPTY_MONTHS = 120

PUPIL = Registration.Category.PUPIL
TEACHER = Registration.Category.TEACHER


def park_zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def _rate(came: int, registered: int) -> float | None:
    return came / registered if registered else None


@dataclass
class EventRow:
    id: int
    title: str
    kind: str
    kind_label: str
    track_label: str
    audience_label: str
    starts_at: datetime
    day: date  # the local date it starts
    hours: Decimal | None
    registered: int = 0
    came: int = 0
    pupils: int = 0  # pupils who came
    teachers: int = 0  # teachers who came
    walk_ins: int = 0

    @property
    def rate(self) -> float | None:
        return _rate(self.came, self.registered)

    @property
    def no_shows(self) -> int:
        return self.registered - self.came

    @property
    def teacher_hours(self) -> Decimal:
        return (self.hours or Decimal(0)) * self.teachers


@dataclass
class SchoolRow:
    name: str  # "" for the "no school" row
    pupils: int = 0
    teachers: int = 0
    people: int = 0  # unique people from this school who came
    events: int = 0  # held events someone from this school came to

    @property
    def came(self) -> int:
        return self.pupils + self.teachers


@dataclass
class MonthRow:
    month: date  # the first day of the month
    events: int = 0
    registered: int = 0
    came: int = 0
    pupils: int = 0
    teachers: int = 0
    walk_ins: int = 0
    teacher_hours: Decimal = Decimal(0)

    @property
    def rate(self) -> float | None:
        return _rate(self.came, self.registered)


@dataclass
class KindRow:
    kind: str
    label: str
    events: int
    came: int


@dataclass
class Report:
    start: date
    end: date
    made_at: datetime
    events: list[EventRow] = field(default_factory=list)  # held, in the order they started
    cancelled: int = 0
    upcoming: int = 0
    by_kind: list[KindRow] = field(default_factory=list)
    schools: list[SchoolRow] = field(default_factory=list)  # most participants first
    months: list[MonthRow] = field(default_factory=list)
    registered: int = 0
    came: int = 0
    pupils: int = 0
    teachers: int = 0
    walk_ins: int = 0
    unique_people: int = 0
    unique_pupils: int = 0
    unique_teachers: int = 0
    event_hours: Decimal = Decimal(0)  # the academic hours of the held events, summed
    teacher_hours: Decimal = Decimal(0)

    @property
    def held(self) -> int:
        return len(self.events)

    @property
    def rate(self) -> float | None:
        return _rate(self.came, self.registered)

    @property
    def no_shows(self) -> int:
        return self.registered - self.came


def bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """The range as moments: from 00:00 of `start` to 00:00 after `end`, in the park's zone."""
    zone = park_zone()
    return (
        datetime.combine(start, time.min, tzinfo=zone),
        datetime.combine(end + timedelta(days=1), time.min, tzinfo=zone),
    )


def academic_year(today: date) -> tuple[date, date]:
    """The academic year `today` falls in: 1 September to 31 August."""
    first = today.year if today.month >= 9 else today.year - 1
    return date(first, 9, 1), date(first + 1, 8, 31)


def local_today() -> date:
    return timezone.now().astimezone(park_zone()).date()


def _events_in_range(start: date, end: date) -> QuerySet[EventPage]:
    since, until = bounds(start, end)
    return EventPage.objects.live().filter(starts_at__gte=since, starts_at__lt=until)


def build(start: date, end: date, *, now: datetime | None = None) -> Report:
    """The report for events starting from `start` to `end` (local dates, both included)."""
    if end < start:
        raise ValueError("the range ends before it starts")
    now = now or timezone.now()
    zone = park_zone()
    report = Report(start=start, end=end, made_at=now)
    in_range = _events_in_range(start, end)
    kinds = dict(EventPage.Kind.choices)
    tracks = dict(EventPage.Track.choices)
    audiences = dict(EventPage.Audience.choices)

    rows: dict[int, EventRow] = {}
    fields = ("pk", "title", "kind", "track", "audience", "starts_at", "hours", "is_cancelled")
    for pk, title, kind, track, audience, starts_at, hours, cancelled in in_range.order_by(
        "starts_at", "pk"
    ).values_list(*fields):
        if cancelled:
            report.cancelled += 1
        elif starts_at > now:
            report.upcoming += 1
        else:
            rows[pk] = EventRow(
                id=pk,
                title=title,
                kind=kind,
                kind_label=str(kinds.get(kind, kind)),
                track_label=str(tracks.get(track, "")) if track else "",
                audience_label=str(audiences.get(audience, audience)),
                starts_at=starts_at,
                day=starts_at.astimezone(zone).date(),
                hours=hours,
            )
    report.events = list(rows.values())

    held = in_range.filter(is_cancelled=False, starts_at__lte=now)
    registrations = Registration.objects.filter(
        Q(event__in=held.values("pk")), status=Registration.Status.CONFIRMED
    ).values_list(
        "event_id",
        "user_id",
        "email",
        "full_name",
        "school_name",
        "school__name",
        "category",
        "source",
        "attended_at",
    )
    people: set[tuple] = set()
    people_by_category: dict[str, set[tuple]] = defaultdict(set)
    schools: dict[str, SchoolRow] = {}
    spellings: dict[str, Counter] = defaultdict(Counter)
    school_people: dict[str, set[tuple]] = defaultdict(set)
    school_events: dict[str, set[int]] = defaultdict(set)
    for (
        event_id,
        user_id,
        email,
        name,
        school_name,
        linked_school,
        category,
        source,
        came,
    ) in registrations:
        row = rows.get(event_id)
        if row is None:  # published or moved between the two queries
            continue
        row.registered += 1
        if source == Registration.Source.WALK_IN:
            row.walk_ins += 1
        if came is None:
            continue
        row.came += 1
        is_teacher = category == TEACHER
        if is_teacher:
            row.teachers += 1
        else:
            row.pupils += 1
        school = clean_line(school_name) or clean_line(linked_school or "")
        key = school_key(school)
        person = person_key(user_id, email, name, key)
        people.add(person)
        people_by_category[TEACHER if is_teacher else PUPIL].add(person)
        spellings[key][school] += 1
        entry = schools.setdefault(key, SchoolRow(name=""))
        if is_teacher:
            entry.teachers += 1
        else:
            entry.pupils += 1
        school_people[key].add(person)
        school_events[key].add(event_id)

    for key, entry in schools.items():
        # The spelling most registrations used (ties: the first in alphabetical order).
        entry.name = min(spellings[key].items(), key=lambda item: (-item[1], item[0]))[0]
        entry.people = len(school_people[key])
        entry.events = len(school_events[key])
    report.schools = sorted(
        schools.values(), key=lambda s: (s.name == "", -s.came, s.name.casefold())
    )
    report.unique_people = len(people)
    report.unique_pupils = len(people_by_category[PUPIL])
    report.unique_teachers = len(people_by_category[TEACHER])
    _totals(report)
    report.months = _months(report)
    return report


def school_key(name: str) -> str:
    """Names that differ only in case or spacing are one school."""
    return " ".join(name.split()).casefold()


def person_key(user_id: int | None, email: str, name: str, school: str) -> tuple:
    """Who a registration is, for counting people once (see the module's definitions)."""
    if user_id is not None:
        return ("user", user_id)
    if email and email.strip():
        return ("email", email.strip().casefold())
    return ("name", school_key(name), school)


def _totals(report: Report) -> None:
    by_kind: dict[str, KindRow] = {}
    for row in report.events:
        report.registered += row.registered
        report.came += row.came
        report.pupils += row.pupils
        report.teachers += row.teachers
        report.walk_ins += row.walk_ins
        report.event_hours += row.hours or 0
        report.teacher_hours += row.teacher_hours
        kind = by_kind.setdefault(row.kind, KindRow(row.kind, row.kind_label, 0, 0))
        kind.events += 1
        kind.came += row.came
    order = list(EventPage.Kind.values)
    report.by_kind = sorted(
        by_kind.values(),
        key=lambda k: (-k.events, order.index(k.kind) if k.kind in order else len(order)),
    )


def _month_of(day: date) -> date:
    return day.replace(day=1)


def _next_month(month: date) -> date:
    return date(month.year + (month.month == 12), month.month % 12 + 1, 1)


def month_span(start: date, end: date) -> list[date]:
    """The first days of the months from `start`'s to `end`'s, both included."""
    months, month = [], _month_of(start)
    while month <= end:
        months.append(month)
        month = _next_month(month)
    return months


def _months(report: Report) -> list[MonthRow]:
    """Every month of the range (months without events too, so the chart shows the gaps),
    unless the range is very long."""
    rows: dict[date, MonthRow] = {}
    start, end = report.start, report.end
    if (end.year - start.year) * 12 + end.month - start.month < MAX_EMPTY_MONTHS:
        rows = {month: MonthRow(month) for month in month_span(report.start, report.end)}
    for event in report.events:
        month = rows.setdefault(_month_of(event.day), MonthRow(_month_of(event.day)))
        month.events += 1
        month.registered += event.registered
        month.came += event.came
        month.pupils += event.pupils
        month.teachers += event.teachers
        month.walk_ins += event.walk_ins
        month.teacher_hours += event.teacher_hours
    return [rows[month] for month in sorted(rows)]


def definitions() -> list[tuple[str, str]]:
    """What each figure counts, for the page and the workbook (the module's docstring, in the
    reader's language)."""
    return [
        (
            _("Range"),
            _(
                "Dates in the park's time zone, both included. An event belongs to the range "
                "it starts in."
            ),
        ),
        (
            _("Events held"),
            _(
                "Published events that start in the range, are not cancelled and have already "
                "started. Cancelled events and those still to come are counted apart; drafts "
                "are left out."
            ),
        ),
        (
            _("Registered"),
            _(
                "Confirmed registrations of the events held, walk-ins included (not the "
                "waiting list, unconfirmed, cancelled or declined ones)."
            ),
        ),
        (
            _("Came"),
            _(
                "Registered people marked as arrived. A person at three events counts three "
                "times; unique people count them once (by account; visitors by e-mail, or by "
                "name and school)."
            ),
        ),
        (_("Category"), _("Pupil or teacher, as registered.")),
        (
            _("School"),
            _(
                "The school given in the registration; names differing only in case or "
                "spacing are one school."
            ),
        ),
        (_("Attendance rate"), _("Came divided by registered; none when nobody registered.")),
        (
            _("Teacher-hours"),
            _(
                "For professional development: an event's academic hours times the teachers "
                "who came to it, summed."
            ),
        ),
    ]
