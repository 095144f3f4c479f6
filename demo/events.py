"""Demo events (content/events.toml): the events index, events dated relative to the day of
loading, who registered, who came and their certificates.

Upcoming events are registered for through the services the pages call (a teacher registers
a group, pupils and teachers register themselves, a visitor confirms an e-mail, the organisers
approve), so places, the waiting list and the 🔔 notifications are what the site would make.
Past events cannot be registered for any more: their registrations are written as they stood
on the day, and arrivals are marked on the check-in list (and a walk-in added) as at the door,
so the marks, the report and the certificates are real.

Idempotent: everything is found before it is added. Loaded on a later day, the events move with
the calendar (the day of the first event tells when they were dated) and past registrations,
marks and certificates move with them, quietly: nobody is told the event changed."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import F
from django.db.models.functions import Least
from django.test.utils import override_settings
from django.utils import timezone

from cms.models import HomePage
from courses.models import CoursePage, ModulePage
from demo import manifests
from demo.catalogue import _comparable, _ensure_child, lesson_stream
from demo.lesson_format import parse_lesson
from demo.manifests import CONTENT_DIR, ContentError
from events import certificates, checkin, registering
from events.models import CheckIn, EventIndexPage, EventPage, EventState, Registration
from events.models.certificates import Certificate
from lms.models import User

MANIFEST = "events.toml"
FOLDER = "events"
# Page fields an event in the manifest may set; the rest keep the model's defaults.
PAGE_FIELDS = (
    "kind",
    "track",
    "audience",
    "min_class",
    "max_class",
    "summary",
    "place",
    "address",
    "online_url",
    "capacity",
    "contact",
    "teachers_register_groups",
    "self_registration",
    "guests_register",
    "requires_moderation",
    "certificates",
    "hours",
)
CHOICES = {
    "kind": EventPage.Kind.values,
    "track": ["", *EventPage.Track.values],
    "audience": EventPage.Audience.values,
}
CATEGORIES = Registration.Category.values
MEDIA_BLOCKS = ("image", "file")  # events have no pictures or worksheets of their own
# A past registration was made this long before the event; arrivals are marked from this
# long before the start, a minute apart; the walk-ins come a little after the start.
REGISTERED_BEFORE = timedelta(days=6)
ARRIVALS_FROM = timedelta(minutes=15)
WALK_IN_AFTER = timedelta(minutes=10)

Status = Registration.Status
Source = Registration.Source


# --- The manifest -------------------------------------------------------------------------


def manifest(root: Path = CONTENT_DIR) -> dict:
    """events.toml with each event's defaults filled in and its description parsed."""
    data = manifests.read_toml(MANIFEST, root)
    manifests.require(data, ("organiser", "index", "events"), MANIFEST)
    manifests.require(data["index"], ("slug", "title"), f"{MANIFEST} [index]")
    data["index"].setdefault("intro", "")
    for number, row in enumerate(data["events"], start=1):
        where = f"{MANIFEST} [[events]] number {number}"
        manifests.require(row, ("slug", "title", "kind", "day", "start", "end"), where)
        row.setdefault("days", 1)
        for section in ("registrations", "visitors", "walk_ins", "absent"):
            row.setdefault(section, [])
        for entry in row["registrations"]:
            if "user" not in entry:
                manifests.require(entry, ("by", "group", "pupils"), f"{where} [[registrations]]")
        for entry in row["visitors"]:
            manifests.require(
                entry, ("name", "email", "school", "category"), f"{where} [[visitors]]"
            )
        for entry in row["walk_ins"]:
            manifests.require(entry, ("name", "school", "category"), f"{where} [[walk_ins]]")
        name = f"{FOLDER}/{row['slug']}.md"
        row["file"] = name
        row["body"] = parse_lesson(manifests._text(root / name), where=name)
    return data


def is_past(row: dict) -> bool:
    """Whether the event's last day is before the day of loading."""
    return row["day"] + row["days"] - 1 < 0


def _clock(value: str) -> time | None:
    try:
        return time.fromisoformat(value)
    except (TypeError, ValueError):
        return None


def problems(root: Path = CONTENT_DIR) -> list[str]:
    """Every mistake in events.toml and its descriptions: unknown choices, people, groups and
    modules, a past event with visitors or an upcoming one with arrivals."""
    try:
        data, people = manifest(root), manifests.people(root)
        courses = manifests.courses(root)
    except ValueError as error:  # ContentError and LessonFormatError are ValueErrors
        return [str(error)]
    users = {row["username"] for row in people["staff"]} | set(manifests.pupil_usernames(people))
    groups = {row["name"]: row for row in people["groups"]}
    modules = {f"{c['slug']}/{m['slug']}" for c in courses for m in c["modules"]}
    found: list[str] = []
    if data["organiser"] not in users:
        found.append(f"{MANIFEST}: no user {data['organiser']!r} (organiser)")
    for row in data["events"]:
        where = f"{MANIFEST} [[events]] {row['slug']}"
        found += [f"{where}: {p}" for p in _event_problems(row, users, groups, modules)]
        for block_type, _value in row["body"]:
            if block_type in MEDIA_BLOCKS or (
                block_type == "steps" and any(step["photo"] for step in _value["steps"])
            ):
                found.append(f"{row['file']}: an event's description has no :::{block_type}")
    listed = {row["file"] for row in data["events"]}
    on_disk = {str(p.relative_to(root)) for p in (root / FOLDER).glob("*.md")}
    found += [f"{name}: no event in {MANIFEST} has this slug" for name in sorted(on_disk - listed)]
    return found


def _event_problems(row: dict, users: set, groups: dict, modules: set) -> list[str]:
    out = []
    for field, known in CHOICES.items():
        if field in row and row[field] not in known:
            out.append(f"{field} {row[field]!r} is not one of {', '.join(filter(None, known))}")
    start, end = _clock(row["start"]), _clock(row["end"])
    if start is None or end is None:
        out.append('start and end are times of day, such as "15:00"')
    elif row["days"] == 1 and end <= start:
        out.append("the event must end after it starts")
    if row["day"] == 0 or row["days"] < 1:
        out.append("day is never 0 (past or upcoming would depend on the hour), days at least 1")
    elif row["day"] < 0 and not is_past(row):
        out.append("an event that began before today must be over by today")
    if row.get("linked") and row["linked"] not in modules:
        out.append(f"no module {row['linked']!r} (linked)")
    registered = set()
    for entry in row["registrations"]:
        if "user" in entry:
            if entry["user"] not in users:
                out.append(f"no user {entry['user']!r}")
            registered.add(entry["user"])
            if entry.get("approved") and not row.get("requires_moderation"):
                out.append(f"{entry['user']}: approved, but the event has no moderation")
            continue
        group = groups.get(entry["group"])
        if group is None:
            out.append(f"no group {entry['group']!r}")
            continue
        if entry["by"] != group["teacher"]:
            out.append(f"{entry['by']!r} does not teach {entry['group']!r}")
        members = {f"pupil{number}" for number in group["pupils"]}
        for pupil in entry["pupils"]:
            if pupil not in members:
                out.append(f"{pupil!r} is not in {entry['group']!r}")
            registered.add(pupil)
    for person in row["absent"]:
        if person not in registered:
            out.append(f"{person!r} is absent but not registered")
    for entry in row["visitors"] + row["walk_ins"]:
        if entry["category"] not in CATEGORIES:
            out.append(f"{entry['name']}: category is pupil or teacher")
    if is_past(row) and row["visitors"]:
        out.append("visitors register for upcoming events (a past one has walk_ins)")
    if not is_past(row) and (row["absent"] or row["walk_ins"]):
        out.append("absent and walk_ins are for past events")
    return out


# --- When ---------------------------------------------------------------------------------


def park_zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def today() -> date:
    """The day of loading, in the park's time zone."""
    return timezone.localdate(timezone=park_zone())


def schedule(row: dict, day: date) -> tuple[datetime, datetime]:
    """The event's start and end (in UTC) when the demo is loaded on `day`."""
    first = day + timedelta(days=row["day"])
    last = first + timedelta(days=row["days"] - 1)

    def at(on: date, clock: str) -> datetime:
        return datetime.combine(on, time.fromisoformat(clock), tzinfo=park_zone()).astimezone(UTC)

    return at(first, row["start"]), at(last, row["end"])


# --- Pages --------------------------------------------------------------------------------


def _index(spec: dict) -> EventIndexPage:
    home = HomePage.objects.filter(depth=2).first()
    if home is None:
        raise RuntimeError("The home page is missing: run `manage.py migrate` first.")
    other = EventIndexPage.objects.child_of(home).exclude(slug=spec["slug"]).first()
    if other is not None:  # one index per site: an index made in the admin is the demo's
        return other
    fields = {"title": spec["title"], "intro": spec["intro"]}
    return _ensure_child(home, EventIndexPage, spec["slug"], fields)


def _fields(row: dict, day: date, courses: dict[str, CoursePage]) -> dict:
    starts_at, ends_at = schedule(row, day)
    fields = {"title": row["title"], "starts_at": starts_at, "ends_at": ends_at}
    for name in PAGE_FIELDS:
        value = row.get(name, EventPage._meta.get_field(name).get_default())
        fields[name] = Decimal(str(value)) if name == "hours" and value is not None else value
    linked = None
    if row.get("linked"):
        course_slug, module_slug = row["linked"].split("/")
        linked = ModulePage.objects.child_of(courses[course_slug]).get(slug=module_slug).pk
    fields["linked_page_id"] = linked
    fields["body"] = lesson_stream(f"{FOLDER}/{row['slug']}", row["body"], {}, {})
    return fields


def _ensure_event(index: EventIndexPage, row: dict, day: date, courses: dict) -> EventPage:
    """Find the event by slug or create it; publish a revision only when a field changed."""
    fields = _fields(row, day, courses)
    page = EventPage.objects.child_of(index).filter(slug=row["slug"]).first()
    if page is None:
        page = EventPage(slug=row["slug"], **fields)
        index.add_child(instance=page)
        page.save_revision().publish()
        return page
    changed = False
    for name, value in fields.items():
        current = getattr(page, name)
        same = (
            _comparable(list(current.raw_data)) == _comparable(value)
            if name == "body"
            else current == value
        )
        if not same:
            setattr(page, name, value)
            changed = True
    if changed or not page.live:
        page.save_revision().publish()
    return page


def _ensure_state(event: EventPage) -> None:
    """The event's state row, as publishing makes it once the transaction commits: made now,
    since the check-in below would make one that remembers no time told, and the publish
    would then announce a change of time to everyone registered."""
    EventState.objects.get_or_create(event=event, defaults=registering.state_defaults(event))


# --- Moving with the calendar -------------------------------------------------------------


def _redate(index: EventIndexPage, data: dict, day: date) -> int:
    """Move the demo's events (and the past ones' registrations, marks and certificates) by
    the days since they were dated; returns the days moved."""
    pages = {page.slug: page for page in EventPage.objects.child_of(index)}
    anchor = next((row for row in data["events"] if row["slug"] in pages), None)
    if anchor is None:
        return 0
    dated = schedule(anchor, day)[0] - pages[anchor["slug"]].starts_at
    shift = timedelta(days=round(dated / timedelta(days=1)))
    if not shift:
        return 0
    now = timezone.now()
    for row in data["events"]:
        page = pages.get(row["slug"])
        if page is None:
            continue
        for name in ("starts_at", "ends_at", "registration_opens_at", "registration_closes_at"):
            if getattr(page, name) is not None:
                setattr(page, name, getattr(page, name) + shift)
        # Registrants "were told" the new time already: the publish announces no change.
        EventState.objects.update_or_create(event=page, defaults=registering.state_defaults(page))
        page.save_revision().publish()
        if not is_past(row):
            continue  # registered on the day of loading: still before the event
        registrations = Registration.objects.filter(event=page)
        registrations.update(
            created_at=F("created_at") + shift,
            status_changed_at=F("status_changed_at") + shift,
            attended_at=F("attended_at") + shift,
        )
        CheckIn.objects.filter(registration__event=page).update(
            marked_at=F("marked_at") + shift, received_at=F("received_at") + shift
        )
        keys = [
            certificates.registration_key(pk) for pk in registrations.values_list("pk", flat=True)
        ]
        Certificate.objects.filter(source_key__in=keys).update(
            held_on=certificates.held_on_for(page), issued_at=Least(F("issued_at") + shift, now)
        )
    return shift.days


# --- Registrations ------------------------------------------------------------------------


def _active(event: EventPage):
    return Registration.objects.filter(event=event, status__in=Registration.ACTIVE)


def _register_upcoming(event: EventPage, row: dict, found: dict) -> None:
    users, groups = found["users"], found["groups"]
    for entry in row["registrations"]:
        school_class = entry.get("class")
        if "user" not in entry:
            pupils = [users[name] for name in entry["pupils"]]
            if _active(event).filter(user__in=pupils).count() < len(pupils):
                registering.register_pupils(
                    event,
                    users[entry["by"]],
                    groups[entry["group"]],
                    [pupil.pk for pupil in pupils],
                    school_class=school_class,
                )
            continue
        registration, _created = registering.register_self(
            event, users[entry["user"]], school_class=school_class
        )
        if entry.get("approved") and registration.status == Status.PENDING:
            registering.approve(registration)
    for entry in row["visitors"]:
        email = entry["email"].strip().lower()
        registration = _active(event).filter(source=Source.GUEST, email=email).first()
        if registration is None:
            registration = registering.register_guest(
                event,
                full_name=entry["name"],
                email=email,
                school_name=entry["school"],
                category=entry["category"],
                school_class=entry.get("class"),
            )
        registering.confirm_email(registration)  # as if the link in the e-mail was followed


def _past_registration(event: EventPage, person: User, **fields) -> Registration:
    registration = _active(event).filter(user=person).first()
    if registration is not None:
        return registration
    registration = Registration.objects.create(
        event=event,
        user=person,
        full_name=registering.full_name_of(person),
        email=person.email,
        category=registering.category_of(person),
        status=Status.CONFIRMED,
        **fields,
    )
    return registration


def _register_past(event: EventPage, row: dict, found: dict, organiser: User) -> None:
    """The registrations as they stood on the day, then the arrivals marked at the door."""
    users, groups = found["users"], found["groups"]
    registered_at = event.starts_at - REGISTERED_BEFORE
    came: list[Registration] = []
    for number, entry in enumerate(row["registrations"]):
        if "user" in entry:
            person = users[entry["user"]]
            people, by, school, batch = [person], person, person.school, None
            source = Source.SELF
        else:
            people, by = [users[name] for name in entry["pupils"]], users[entry["by"]]
            school, batch, source = groups[entry["group"]].school, uuid.uuid4(), Source.TEACHER
        made = []
        for person in people:
            registration = _past_registration(
                event,
                person,
                school=school,
                school_name=school.name if school else "",
                school_class=entry.get("class"),
                source=source,
                registered_by=by,
                batch=batch,
            )
            made.append(registration.pk)
            if person.username not in row["absent"] and registration.attended_at is None:
                came.append(registration)
        moment = registered_at + timedelta(hours=number)
        Registration.objects.filter(pk__in=made, created_at__gt=event.starts_at).update(
            created_at=moment, status_changed_at=moment
        )
    for number, registration in enumerate(came):
        arrived = event.starts_at - ARRIVALS_FROM + timedelta(minutes=number)
        result = checkin.mark(
            registration,
            action=CheckIn.Action.ARRIVED,
            client_id=uuid.uuid4(),
            marked_at=arrived,
            by=organiser,
            now=arrived + timedelta(seconds=5),
        )
        if not result.ok:
            raise ContentError(f"{MANIFEST} {row['slug']}: {registration}: {result.error}")
    for entry in row["walk_ins"]:
        if _active(event).filter(source=Source.WALK_IN, full_name=entry["name"]).exists():
            continue
        arrived = event.starts_at + WALK_IN_AFTER
        walk_in = checkin.add_walk_in(
            event,
            by=organiser,
            full_name=entry["name"],
            school_name=entry["school"],
            category=entry["category"],
            school_class=entry.get("class"),
            now=arrived,
        )
        Registration.objects.filter(pk=walk_in.pk).update(
            created_at=arrived, status_changed_at=arrived
        )
    # The marks "arrived" from the phone at once: received when made, not on the day of loading.
    CheckIn.objects.filter(registration__event=event, received_at__gt=event.ends_at).update(
        received_at=F("marked_at")
    )


# --- Everything ---------------------------------------------------------------------------


def ensure_events(data: dict, found: dict, courses: dict[str, CoursePage]) -> dict:
    """The index, its events, registrations, arrivals and certificates; returns the counts
    load_demo prints."""
    index = _index(data["index"])
    day = today()
    _redate(index, data, day)
    organiser = found["users"][data["organiser"]]
    summary = {"events": 0, "past": 0, "upcoming": 0, "certificates": 0, "url": ""}
    for row in data["events"]:
        event = _ensure_event(index, row, day, courses)
        _ensure_state(event)
        summary["events"] += 1
        if is_past(row):
            summary["past"] += 1
            _register_past(event, row, found, organiser)
            issued, before = certificates.issue_for_event(event)
            summary["certificates"] += issued + before
        else:
            summary["upcoming"] += 1
            _register_upcoming(event, row, found)
    summary["url"] = index.url or f"/{index.slug}/"
    return summary


def summary_line(summary: dict) -> str:
    return (
        f"Events: {summary['events']} ({summary['past']} past with {summary['certificates']} "
        f"certificates, {summary['upcoming']} upcoming) at {summary['url']}"
    )


@contextlib.contextmanager
def mail_kept() -> Iterator[None]:
    """E-mails (to the demo's visitors, sent when the transaction commits) kept in memory, not
    printed over load_demo's list of logins nor sent anywhere."""
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        yield
