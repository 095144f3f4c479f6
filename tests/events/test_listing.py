"""The events index and an event's page: filters (each, combined, garbage), the upcoming/past
split, what is never listed, pagination, the calendar view, escaping, and the queries pinned."""

import re
from datetime import timedelta
from html import unescape
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import PageViewRestriction

from events import listing
from events.models import EventIndexPage, EventPage, Registration
from tests import builders, scenario
from tests.events.builders import events_index, make_event, register

pytestmark = pytest.mark.django_db

DAY = timedelta(days=1)
HOUR = timedelta(hours=1)


@scenario.shared
def listed():
    """An index with events of every kind of audience, track and time, and two that must never
    be listed (a draft and one in a private section)."""
    index = events_index()
    events = {
        "robots": make_event(
            "Роботы для 5–7",
            slug="robots",
            starts_in=2 * DAY,
            audience="pupils",
            track="robotics",
            min_class=5,
            max_class=7,
        ),
        "teachers": make_event(
            "Семинар учителей",
            slug="teachers",
            starts_in=3 * DAY,
            audience="teachers",
            track="teaching",
            capacity=None,
        ),
        "science": make_event(
            "Наука для всех",
            slug="science",
            starts_in=4 * DAY,
            audience="all",
            track="science",
        ),
        "code": make_event(
            "Программирование без классов",
            slug="code",
            starts_in=5 * DAY,
            audience="pupils",
            track="programming",
        ),
        "seniors": make_event(
            "Инженерия 9–11",
            slug="seniors",
            starts_in=6 * DAY,
            audience="pupils",
            track="engineering",
            min_class=9,
            max_class=11,
        ),
        "cancelled": make_event(
            "Отменённое",
            slug="cancelled",
            starts_in=7 * DAY,
            is_cancelled=True,
            cancellation_note="Карантин",
        ),
        "now": make_event("Идёт сейчас", slug="now", starts_in=-HOUR, length=2 * HOUR),
        "last_week": make_event(
            "Неделю назад", slug="last-week", starts_in=-7 * DAY, track="robotics"
        ),
        "last_month": make_event("Месяц назад", slug="last-month", starts_in=-30 * DAY),
    }
    draft = make_event("Черновик", slug="draft", starts_in=DAY)
    draft.unpublish()
    private = make_event("Закрытое", slug="private", starts_in=DAY)
    PageViewRestriction.objects.create(page=private, restriction_type="login")
    return {"index": index, **events}


UPCOMING = ["now", "robots", "teachers", "science", "code", "seniors", "cancelled"]
PAST = ["last_week", "last_month"]


def titles(response) -> list[str]:
    assert response.status_code == 200
    html = response.content.decode()
    return [unescape(t) for t in re.findall(r'<h2 class="event-card-title">(.*?)</h2>', html)]


def names(listed, keys) -> list[str]:
    return [listed[key].title for key in keys]


def get(client, listed, query=""):
    return client.get(listed["index"].url + query)


# --- Upcoming and past ---------------------------------------------------------------------


def test_upcoming_by_start_with_the_one_in_progress(client, listed):
    response = get(client, listed)
    assert titles(response) == names(listed, UPCOMING)
    html = response.content.decode()
    assert html.count("badge-live") == 1
    assert html.index("badge-live") < html.index(listed["now"].title)
    assert titles(get(client, listed, "?when=upcoming")) == names(listed, UPCOMING)


def test_past_latest_first(client, listed):
    assert titles(get(client, listed, "?when=past")) == names(listed, PAST)


def test_an_event_ending_exactly_now_is_past(client, listed):
    ending = listed["now"]
    with mock.patch("django.utils.timezone.now", return_value=ending.ends_at):
        assert ending.title not in titles(get(client, listed))
        assert titles(get(client, listed, "?when=past"))[0] == ending.title
    with mock.patch(
        "django.utils.timezone.now", return_value=ending.ends_at - timedelta(seconds=1)
    ):
        assert titles(get(client, listed))[0] == ending.title
    events = EventPage.objects.filter(pk=ending.pk)
    assert not listing.upcoming(events, ending.ends_at).exists()
    assert listing.past(events, ending.ends_at).exists()


def test_drafts_and_private_events_are_never_listed(client, listed):
    every = titles(get(client, listed)) + titles(get(client, listed, "?when=past"))
    every += titles(get(client, listed, "?view=calendar"))
    assert "Черновик" not in every and "Закрытое" not in every
    html = get(client, listed, "?view=calendar").content.decode()
    assert "Черновик" not in html and "Закрытое" not in html
    # Not even to someone logged in (the index is a public list).
    client.force_login(builders.make_user("someone"))
    assert "Закрытое" not in titles(get(client, listed))


def test_a_cancelled_event_stays_listed_with_a_badge(client, listed):
    html = get(client, listed).content.decode()
    card = html[
        html.index(listed["cancelled"].title) - 1500 : html.index(listed["cancelled"].title)
    ]
    assert "badge-cancelled" in card and "is-cancelled" in card


def test_only_children_of_this_index(client, listed):
    events = listing.visible_events(listed["index"])
    assert set(events.values_list("pk", flat=True)) == {listed[key].pk for key in UPCOMING + PAST}


# --- Filters -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("?audience=pupils", ["now", "robots", "science", "code", "seniors", "cancelled"]),
        ("?audience=teachers", ["teachers", "science"]),
        ("?class=6", ["now", "robots", "science", "code", "cancelled"]),
        ("?class=10", ["now", "science", "code", "seniors", "cancelled"]),
        ("?class=5", ["now", "robots", "science", "code", "cancelled"]),
        ("?class=7", ["now", "robots", "science", "code", "cancelled"]),
        ("?track=robotics", ["robots"]),
        ("?track=teaching", ["teachers"]),
        ("?audience=pupils&track=engineering", ["seniors"]),
        ("?audience=pupils&class=6&track=robotics", ["robots"]),
        ("?audience=teachers&class=6", ["science"]),
        ("?class=10&track=robotics", []),
        ("?when=past&track=robotics", ["last_week"]),
    ],
)
def test_filters(client, listed, query, expected):
    assert titles(get(client, listed, query)) == names(listed, expected)


@pytest.mark.parametrize(
    "query",
    [
        "?audience=everyone",
        "?audience=<script>",
        "?class=0",
        "?class=12",
        "?class=-3",
        "?class=abc",
        "?class=٣",  # an Arabic-Indic digit
        "?class=" + "9" * 5000,
        "?track=cooking",
        "?track=",
        "?when=tomorrow",
        "?view=grid",
        "?month=2025-13",
        "?month=garbage",
        "?month=99999-01",
        "?page=abc",
        "?page=-1",
        "?page=0",
        "?page=" + "9" * 5000,
        "?audience=pupils&audience=%00",
        "?%ff=%ff",
    ],
)
def test_garbage_is_ignored(client, listed, query):
    response = get(client, listed, query)
    assert response.status_code == 200
    if "audience" not in query and "page" not in query:
        assert titles(response) == names(listed, UPCOMING)


def test_month_filter_in_the_list(client, listed):
    tz = timezone.get_current_timezone()
    start = timezone.localtime(listed["robots"].starts_at, tz)
    key = f"{start.year:04d}-{start.month:02d}"
    shown = titles(get(client, listed, f"?month={key}"))
    assert listed["robots"].title in shown
    for title in shown:
        event = EventPage.objects.get(title=title)
        local_start = timezone.localtime(event.starts_at, tz)
        local_end = timezone.localtime(event.ends_at, tz)
        assert (
            (local_start.year, local_start.month)
            <= (start.year, start.month)
            <= (
                local_end.year,
                local_end.month,
            )
        )
    assert titles(get(client, listed, "?month=2099-01")) == []


def test_month_filter_counts_local_days(client, db):
    # 23:30 in Samara on 31 January is 19:30 UTC: still January here.
    from zoneinfo import ZoneInfo

    samara = ZoneInfo("Europe/Samara")
    start = timezone.datetime(2090, 1, 31, 23, 30, tzinfo=samara)
    late = make_event("Поздний вечер", slug="late", starts_at=start, length=HOUR)
    url = events_index().url
    with timezone.override(samara):
        assert titles(client.get(url + "?month=2090-01")) == [late.title]
        # It ends at 00:30 on 1 February: it is in February too.
        assert titles(client.get(url + "?month=2090-02")) == [late.title]
        assert titles(client.get(url + "?month=2090-03")) == []


def test_filters_parse_to_the_chosen_values():
    filters = listing.parse_filters(
        {
            "when": "past",
            "view": "calendar",
            "audience": "pupils",
            "class": "07",
            "track": "science",
            "month": "2030-02",
        }
    )
    assert filters == listing.Filters("past", "calendar", "pupils", 7, "science", (2030, 2))
    assert listing.parse_filters({}) == listing.Filters()
    assert filters.feed_query() == "audience=pupils&class=7&track=science"
    assert listing.Filters().query() == ""


def test_filter_form_and_chips_show_the_choice(client, listed):
    html = get(client, listed, "?audience=pupils&class=6&track=robotics").content.decode()
    assert '<option value="pupils" selected>' in html
    assert '<option value="6" selected>' in html
    assert '<option value="robotics" selected>' in html
    assert html.count('class="filter-chip"') == 3
    # Each chip removes only itself.
    assert 'href="?class=6&amp;track=robotics"' in html
    assert 'href="?audience=pupils&amp;track=robotics"' in html


def test_the_feed_link_carries_the_filters(client, listed):
    html = get(
        client, listed, "?when=past&audience=teachers&track=teaching&month=2030-01"
    ).content.decode()
    assert 'href="http://testserver/event/feed.ics?audience=teachers&amp;track=teaching"' in html
    assert 'href="http://testserver/event/feed.ics"' in get(client, listed).content.decode()


# --- Places --------------------------------------------------------------------------------


def test_places_left_counts_confirmed_and_offered(client, listed):
    robots = listed["robots"]  # 20 places
    for status in ("confirmed", "confirmed", "offered", "waiting", "cancelled", "pending"):
        register(
            robots,
            full_name=f"Гость {status}",
            email=f"{status}{Registration.objects.count()}@example.com",
            status=status,
        )
    assert listing.places_left([robots, listed["teachers"]]) == {robots.pk: 17}
    html = get(client, listed).content.decode()
    assert "17" in html[html.index(robots.title) : html.index(listed["teachers"].title)]


def test_a_full_event_says_waiting_list(client, listed):
    code = listed["code"]
    EventPage.objects.filter(pk=code.pk).update(capacity=1)
    register(code, full_name="Гость", email="g@example.com")
    card = listing.cards(list(EventPage.objects.filter(pk=code.pk)))[0]
    assert card.places_left == 0
    html = get(client, listed).content.decode()
    assert "places-none" in html


# --- Pagination and queries ----------------------------------------------------------------


@scenario.shared
def thirty():
    """Thirty upcoming events, some with registrations, in an index of their own."""
    events_index()
    events = [
        make_event(
            f"Событие {n:02d}",
            slug=f"thirty-{n}",
            starts_in=DAY + n * HOUR,
            track="robotics" if n % 2 else "science",
        )
        for n in range(30)
    ]
    for event in events[:10]:
        register(event, full_name="Гость", email=f"g{event.pk}@example.com")
    return {"events": events}


def test_pagination_twelve_a_page_and_bad_pages(client, thirty):
    url = events_index().url
    assert titles(client.get(url)) == [f"Событие {n:02d}" for n in range(12)]
    assert titles(client.get(url + "?page=2")) == [f"Событие {n:02d}" for n in range(12, 24)]
    assert titles(client.get(url + "?page=3")) == [f"Событие {n:02d}" for n in range(24, 30)]
    assert titles(client.get(url + "?page=99")) == titles(client.get(url + "?page=3"))
    assert titles(client.get(url + "?page=x")) == titles(client.get(url))
    html = client.get(url + "?track=robotics&page=2").content.decode()
    assert titles(client.get(url + "?track=robotics&page=2")) == [
        f"Событие {n:02d}" for n in range(25, 30, 2)
    ]
    assert 'href="?track=robotics&amp;page=1"' in html


def _count(client, url) -> int:
    client.get(url)  # warm the site's root paths
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


# Serving the page: the site, the route (the chain, the page's own row, its parent), the
# index's view restrictions; the list: the restrictions of the events (Wagtail's `public()`),
# their count, one page of them and one count of the places taken.
INDEX_MAX_QUERIES = 9
# Logged in: the session, the user and their roles for the header.
INDEX_LOGGED_IN_MAX_QUERIES = 12


def test_index_queries_do_not_grow_with_events(client, thirty, django_assert_max_num_queries):
    url = events_index().url
    few = _count(client, url + "?track=science&month=2000-01")  # none listed
    many = _count(client, url)
    assert many <= few + 2  # the page of events and the count of places
    for query in ("", "?page=3", "?view=calendar", "?when=past", "?audience=pupils&class=5"):
        with django_assert_max_num_queries(INDEX_MAX_QUERIES, info=query):
            assert client.get(url + query).status_code == 200
    client.force_login(builders.make_user("pupil-q", "Pupil"))
    client.get(url)
    with django_assert_max_num_queries(INDEX_LOGGED_IN_MAX_QUERIES, info="logged in"):
        assert client.get(url).status_code == 200


# --- The calendar --------------------------------------------------------------------------


def test_calendar_view_shows_the_month_with_filters(client, listed):
    tz = timezone.get_current_timezone()
    start = timezone.localtime(listed["robots"].starts_at, tz)
    key = f"{start.year:04d}-{start.month:02d}"
    response = get(client, listed, f"?view=calendar&month={key}")
    html = response.content.decode()
    assert 'class="calendar-grid"' in html
    assert listed["robots"].title in html
    assert 'aria-current="page">📆' in html
    assert "?view=calendar&amp;month=" in html  # previous and next months keep the view
    robotics = get(client, listed, f"?view=calendar&month={key}&track=robotics").content.decode()
    assert listed["robots"].title in robotics and listed["teachers"].title not in robotics


def test_calendar_shows_a_multi_day_event_on_each_day(client, db):
    from zoneinfo import ZoneInfo

    samara = ZoneInfo("Europe/Samara")
    week = make_event(
        "Проектная неделя",
        slug="week",
        starts_at=timezone.datetime(2090, 3, 30, 10, 0, tzinfo=samara),
        length=timedelta(days=2, hours=6),
    )
    with timezone.override(samara):
        html = client.get(events_index().url + "?view=calendar&month=2090-03").content.decode()
    assert html.count(week.title) == 3  # 30 and 31 March, 1 April (shown in the last week)
    assert "is-today" not in html


def test_calendar_bad_month_falls_back_to_this_month(client, listed):
    today = timezone.localdate()
    html = get(client, listed, "?view=calendar&month=2025-77").content.decode()
    assert 'aria-current="date"' in html
    assert f">{today.day}<" in html
    assert listed["robots"].title in html or today.day > 20  # robots is two days ahead


# --- Escaping ------------------------------------------------------------------------------

SCRIPT = "<script>alert(1)</script>"
IMG = '<img src=x onerror="alert(2)">'
SVG = '"><svg onload=alert(3)>'


@pytest.fixture
def hostile(db):
    return make_event(
        f"Робот {SCRIPT}",
        slug="xss",
        summary=IMG,
        place=SVG,
        address=SCRIPT,
        contact=IMG,
        cancellation_note=SCRIPT,
        is_cancelled=True,
        starts_in=DAY,
    )


def _no_raw_markup(html):
    assert SCRIPT not in html and "<img src=x" not in html and "<svg" not in html


def test_hostile_text_is_escaped_on_the_index_and_calendar(client, hostile):
    index = events_index()
    EventIndexPage.objects.filter(pk=index.pk).update(intro=IMG)
    url = index.url
    for query in ("", "?view=calendar"):
        html = client.get(url + query).content.decode()
        _no_raw_markup(html)
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_hostile_text_is_escaped_on_the_event_page(client, hostile):
    response = client.get(hostile.url)
    assert response.status_code == 200
    html = response.content.decode()
    _no_raw_markup(html)
    assert "&lt;svg onload=alert(3)&gt;" in html


def test_hostile_title_in_the_ics(client, hostile):
    EventPage.objects.filter(pk=hostile.pk).update(title="Робот\r\nATTENDEE:mailto:x@example.com")
    text = client.get(f"/event/{hostile.pk}/event.ics").content.decode()
    assert "\r\nATTENDEE" not in text
    assert all(not line.startswith("ATTENDEE") for line in text.split("\r\n"))


# --- The event's page ----------------------------------------------------------------------


def test_event_page_shows_what_and_when(client, db):
    module = builders.build_course("events-module", modules=1, lessons=1).modules[0]
    event = make_event(
        "Открытый урок",
        slug="open",
        summary="Коротко",
        place="Ауд. 7",
        address="ул. Мира, 3",
        online_url="https://meet.example/room",
        contact="org@example.com",
        hours=4,
        kind="workshop",
        audience="pupils",
        min_class=5,
        max_class=8,
        track="robotics",
        linked_page=module,
        body=[("markdown", "**Программа** мастер-класса")],
    )
    html = client.get(event.url).content.decode()
    assert "Открытый урок" in html and "Коротко" in html
    assert "Ауд. 7" in html and "ул. Мира, 3" in html
    assert 'href="https://meet.example/room" rel="noopener noreferrer"' in html
    assert "org@example.com" in html
    assert f'href="/event/{event.pk}/event.ics"' in html
    assert f'href="{module.url}"' in html
    assert "<strong>Программа</strong>" in html
    assert "css/events.css" in html
    assert "track-robotics" in html
    assert 'class="event-cancelled-banner"' not in html
    assert "reg-panel" in html or "registration_panel" not in html


def test_event_page_of_a_cancelled_event(client, listed):
    html = client.get(listed["cancelled"].url).content.decode()
    assert 'class="event-cancelled-banner"' in html
    assert "Карантин" in html


def test_a_javascript_online_link_is_never_a_link(client, db):
    event = make_event("Онлайн", slug="online-js")
    EventPage.objects.filter(pk=event.pk).update(online_url="javascript:alert(1)")
    html = client.get(event.url).content.decode()
    assert 'href="javascript:' not in html


def test_a_multi_day_event_shows_both_dates(client, db):
    event = make_event("Неделя", slug="multi", starts_in=3 * DAY, length=timedelta(days=2))
    html = client.get(event.url).content.decode()
    start = timezone.localtime(event.starts_at)
    end = timezone.localtime(event.ends_at)
    assert html.count(f'datetime="{start.isoformat()}"') >= 1
    assert f'datetime="{end.isoformat()}"' in html
    assert "–" in html


def test_the_english_index(client, listed, english):
    html = get(client, listed).content.decode()
    assert "Upcoming" in html and "Subscribe (iCal)" in html


def test_preview_of_a_new_event_and_of_the_index(db):
    """The admin previews a page not saved yet (no pk): the page renders all the same."""
    index = events_index()
    start = timezone.now() + 3 * DAY
    new = EventPage(title="Ещё не сохранено", slug="unsaved", starts_at=start, ends_at=start + HOUR)
    new.depth = index.depth + 1
    new.path = new._get_path(index.path, new.depth, 1)
    response = new.make_preview_request()
    assert response.status_code == 200
    assert "Ещё не сохранено" in response.content.decode()
    assert index.make_preview_request().status_code == 200
