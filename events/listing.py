"""The events index: which events it lists for the filters in the query string, in which order,
a page of them at a time, or the month calendar; and the same filters for the iCal feed.

Filters come from the URL, so anything may arrive: a value that is not one of the choices is
ignored (a bad month falls back to none, or to this month in the calendar), never an error.
The queries are the same few however many events there are: the view restrictions (Wagtail's
`public()`), the count and the page of events, and one count of the places taken."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlencode

from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest, QueryDict
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from events import calendar
from events.models import EventIndexPage, EventPage, Registration

PER_PAGE = 12
# The calendar shows one month; a bound all the same, so a crafted range stays cheap.
CALENDAR_MAX_EVENTS = 500
FEED_MAX_EVENTS = 500
# The feed keeps recent events, so a subscriber's calendar does not lose last week's.
FEED_PAST_DAYS = 30
CLASSES = range(1, 12)

WHEN = ("upcoming", "past")
VIEWS = ("list", "calendar")
AUDIENCES = ("pupils", "teachers")


@dataclass(frozen=True)
class Filters:
    when: str = "upcoming"
    view: str = "list"
    audience: str = ""
    school_class: int | None = None
    track: str = ""
    month: tuple[int, int] | None = None

    @property
    def month_value(self) -> str:
        return calendar.month_key(*self.month) if self.month else ""

    @property
    def is_calendar(self) -> bool:
        return self.view == "calendar"

    @property
    def narrows(self) -> bool:
        """Whether any filter beyond the tab is chosen."""
        return bool(self.audience or self.school_class or self.track or self.month)

    def params(self) -> dict[str, str]:
        """The query string's parameters, defaults left out (so links stay short)."""
        values = {
            "when": self.when if self.when != "upcoming" else "",
            "view": self.view if self.view != "list" else "",
            "audience": self.audience,
            "class": str(self.school_class) if self.school_class else "",
            "track": self.track,
            "month": self.month_value,
        }
        return {key: value for key, value in values.items() if value}

    def query(self, **changes: Any) -> str:
        return urlencode((replace(self, **changes) if changes else self).params())

    def feed_query(self) -> str:
        """Who the events are for and the track: what a subscription keeps (not the tab,
        the view or the month, which a feed outlives)."""
        return urlencode(
            {
                key: value
                for key, value in self.params().items()
                if key in ("audience", "class", "track")
            }
        )


def _choice(value: str | None, choices) -> str:
    value = (value or "").strip()
    return value if value in choices else ""


def parse_filters(params: QueryDict | dict) -> Filters:
    """The filters from a query string; garbage in any of them is ignored."""
    school_class = None
    raw_class = (params.get("class") or "").strip()
    if raw_class.isascii() and raw_class.isdigit() and len(raw_class) <= 2:
        school_class = int(raw_class) if int(raw_class) in CLASSES else None
    return Filters(
        when=_choice(params.get("when"), WHEN) or "upcoming",
        view=_choice(params.get("view"), VIEWS) or "list",
        audience=_choice(params.get("audience"), AUDIENCES),
        school_class=school_class,
        track=_choice(params.get("track"), EventPage.Track.values),
        month=calendar.parse_month(params.get("month")),
    )


# --- Queries -----------------------------------------------------------------------------


def visible_events(index: EventIndexPage | None = None) -> QuerySet[EventPage]:
    """Published events outside any private section (of one index, if given)."""
    events = EventPage.objects.live().public()
    return events.child_of(index) if index is not None else events


def for_whom(events: QuerySet[EventPage], filters: Filters) -> QuerySet[EventPage]:
    """The audience, class and track filters."""
    if filters.audience == "pupils":
        events = events.filter(audience__in=("pupils", "all"))
    elif filters.audience == "teachers":
        events = events.filter(audience__in=("teachers", "all"))
    if filters.school_class:
        # An event for pupils without a class range is open to every class.
        n = filters.school_class
        events = events.filter(
            Q(min_class__isnull=True) | Q(min_class__lte=n),
            Q(max_class__isnull=True) | Q(max_class__gte=n),
            audience__in=("pupils", "all"),
        )
    if filters.track:
        events = events.filter(track=filters.track)
    return events


def overlapping(events: QuerySet[EventPage], start: datetime, end: datetime):
    return events.filter(starts_at__lt=end, ends_at__gt=start)


def upcoming(events: QuerySet[EventPage], now: datetime) -> QuerySet[EventPage]:
    """Events that have not ended (one in progress is still upcoming), soonest first."""
    return events.filter(ends_at__gt=now).order_by("starts_at", "pk")


def past(events: QuerySet[EventPage], now: datetime) -> QuerySet[EventPage]:
    """Events that have ended, the latest first."""
    return events.filter(ends_at__lte=now).order_by("-starts_at", "-pk")


def list_events(
    events: QuerySet[EventPage], filters: Filters, now: datetime, tz
) -> QuerySet[EventPage]:
    events = for_whom(events, filters)
    if filters.month:
        first, following = calendar.month_bounds(*filters.month)
        start, end = calendar.local_span(first, following - timedelta(days=1), tz)
        events = overlapping(events, start, end)
    return past(events, now) if filters.when == "past" else upcoming(events, now)


def feed_events(filters: Filters, now: datetime | None = None) -> list[EventPage]:
    """The feed: events not ended yet or ended in the last 30 days, for the same audience,
    class and track as the index, soonest first."""
    now = now or timezone.now()
    events = for_whom(visible_events(), filters)
    events = events.filter(ends_at__gt=now - timedelta(days=FEED_PAST_DAYS))
    return list(events.order_by("starts_at", "pk")[:FEED_MAX_EVENTS])


def places_left(events: list[EventPage]) -> dict[int, int]:
    """Free places of the events that have a capacity, in one query."""
    limited = [event for event in events if event.capacity is not None]
    if not limited:
        return {}
    taken = dict(
        Registration.objects.filter(
            event_id__in=[event.pk for event in limited], status__in=Registration.HOLDS_PLACE
        )
        .values_list("event_id")
        .annotate(n=Count("pk"))
        .values_list("event_id", "n")
    )
    return {event.pk: max(event.capacity - taken.get(event.pk, 0), 0) for event in limited}


# --- What the page shows -----------------------------------------------------------------


@dataclass(frozen=True)
class Card:
    event: EventPage
    places_left: int | None
    in_progress: bool = False


def cards(
    events: list[EventPage], *, with_places: bool = True, now: datetime | None = None
) -> list[Card]:
    """The list's cards; past events need no count of free places."""
    now = now or timezone.now()
    free = places_left(events) if with_places else {}
    return [
        Card(event, free.get(event.pk), event.starts_at <= now < event.ends_at) for event in events
    ]


def filter_choices() -> dict[str, list[tuple[str, str]]]:
    return {
        "audience_choices": [
            ("pupils", pgettext("events filter", "Pupils")),
            ("teachers", pgettext("events filter", "Teachers")),
        ],
        "class_choices": [(str(n), _("Class %(number)s") % {"number": n}) for n in CLASSES],
        "track_choices": list(EventPage.Track.choices),
    }


def active_filters(filters: Filters, choices: dict) -> list[dict[str, str]]:
    """The chosen filters as chips, each with the query string that removes it."""
    chips = []
    if filters.audience:
        label = dict(choices["audience_choices"])[filters.audience]
        chips.append({"label": label, "remove": filters.query(audience="")})
    if filters.school_class:
        label = dict(choices["class_choices"])[str(filters.school_class)]
        chips.append({"label": label, "remove": filters.query(school_class=None)})
    if filters.track:
        label = dict(choices["track_choices"])[filters.track]
        chips.append({"label": label, "remove": filters.query(track="")})
    if filters.month and not filters.is_calendar:
        first, _following = calendar.month_bounds(*filters.month)
        chips.append({"label": first, "is_month": True, "remove": filters.query(month=None)})
    return chips


def calendar_context(
    events: QuerySet[EventPage], filters: Filters, now: datetime, tz
) -> dict[str, Any]:
    """The month grid (this month unless one is chosen) of the filtered events, past ones too."""
    today = timezone.localtime(now, tz).date()
    year, month = filters.month or (today.year, today.month)
    first, last = calendar.grid_bounds(year, month)
    start, end = calendar.local_span(first, last, tz)
    shown = list(
        overlapping(for_whom(events, filters), start, end).order_by("starts_at", "pk")[
            :CALENDAR_MAX_EVENTS
        ]
    )
    grid = calendar.month_grid(year, month, shown, tz, today=today)
    return {
        "calendar": grid,
        "calendar_previous_query": (filters.query(month=grid.previous) if grid.previous else None),
        "calendar_next_query": filters.query(month=grid.next) if grid.next else None,
        "calendar_today_query": filters.query(month=None),
    }


def index_context(index: EventIndexPage, request: HttpRequest) -> dict[str, Any]:
    """What templates/events/event_index_page.html shows for this request."""
    filters = parse_filters(request.GET)
    now = timezone.now()
    tz = timezone.get_current_timezone()
    events = visible_events(index)
    choices = filter_choices()
    feed_query = filters.feed_query()
    context: dict[str, Any] = {
        "filters": filters,
        **choices,
        "active_filters": active_filters(filters, choices),
        "current_tab": "calendar" if filters.is_calendar else filters.when,
        "tab_queries": {
            "upcoming": filters.query(when="upcoming", view="list"),
            "past": filters.query(when="past", view="list"),
            "calendar": filters.query(view="calendar"),
        },
        "reset_query": Filters(when=filters.when, view=filters.view).query(),
        "feed_query": feed_query,
        # Absolute: it is pasted into calendar applications to subscribe.
        "feed_url": request.build_absolute_uri(
            reverse("events:feed") + (f"?{feed_query}" if feed_query else "")
        ),
        "calendar": None,
        "cards": [],
        "events_page": None,
    }
    if filters.is_calendar:
        context.update(calendar_context(events, filters, now, tz))
        return context

    paginator = Paginator(list_events(events, filters, now, tz), PER_PAGE)
    page: PaginatorPage = paginator.get_page(request.GET.get("page"))
    context["events_page"] = page
    context["cards"] = cards(list(page.object_list), with_places=filters.when != "past", now=now)
    context["page_range"] = paginator.get_elided_page_range(page.number, on_each_side=2)
    context["page_query"] = filters.query()
    return context
