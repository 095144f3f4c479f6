"""iCalendar output against RFC 5545's own rules: TEXT escaping (§3.3.11), folding at 75
octets without splitting a character (§3.1), CRLF line ends, UTC times; and the two downloads."""

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from events import ical
from tests.events.builders import make_event

NOW = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)


@dataclass
class Ev:
    pk: int = 7
    title: str = "Мастер-класс"
    summary: str = ""
    starts_at: datetime = datetime(2025, 3, 5, 6, 0, tzinfo=UTC)
    ends_at: datetime = datetime(2025, 3, 5, 8, 0, tzinfo=UTC)
    place: str = ""
    address: str = ""
    online_url: str = ""
    is_cancelled: bool = False
    cancellation_note: str = ""
    last_published_at: datetime | None = datetime(2025, 2, 1, tzinfo=UTC)


URL = "https://park.example/events/robot/"


# --- A small reader, written from the RFC, to read the output back ------------------------


def unfold(text: str) -> list[str]:
    """§3.1: a CRLF followed by one space or tab is removed."""
    assert text.endswith("\r\n")
    assert "\n" not in text.replace("\r\n", ""), "bare LF"
    assert "\r" not in text.replace("\r\n", ""), "bare CR"
    return re.sub(r"\r\n[ \t]", "", text).split("\r\n")[:-1]


def unescape(value: str) -> str:
    out, i = [], 0
    while i < len(value):
        if value[i] == "\\" and i + 1 < len(value):
            nxt = value[i + 1]
            out.append("\n" if nxt in "nN" else nxt)
            i += 2
        else:
            assert value[i] not in ",;", f"unescaped {value[i]!r} in {value!r}"
            out.append(value[i])
            i += 1
    return "".join(out)


def properties(text: str) -> list[tuple[str, str]]:
    result = []
    for line in unfold(text):
        name, _, value = line.partition(":")
        assert re.fullmatch(r"[A-Z-]+(;[A-Z-]+=[A-Z]+)?", name), line
        result.append((name.split(";")[0], value))
    return result


def value_of(text: str, name: str) -> str:
    values = [value for key, value in properties(text) if key == name]
    assert len(values) == 1, (name, values)
    return values[0]


# --- Escaping ------------------------------------------------------------------------------


def test_text_escaping_follows_the_rfc():
    assert ical.escape_text("a\\b") == "a\\\\b"
    assert ical.escape_text("a;b,c") == "a\\;b\\,c"
    assert ical.escape_text("one\ntwo\r\nthree\rfour") == "one\\ntwo\\nthree\\nfour"
    assert ical.escape_text("tab\there") == "tab\there"
    assert ical.escape_text("bell\x07nul\x00esc\x1bdel\x7f") == "bellnulescdel"
    # The backslash is escaped first, so an escape typed in never reads as one.
    assert ical.escape_text("\\n") == "\\\\n"
    assert unescape(ical.escape_text("a\\;b,c\nd")) == "a\\;b,c\nd"


def test_a_uri_loses_spaces_and_line_breaks():
    assert ical.clean_uri("https://x.example/a\r\nATTENDEE:b") == "https://x.example/aATTENDEE:b"


# --- Folding -------------------------------------------------------------------------------


def test_short_lines_are_not_folded():
    line = "SUMMARY:" + "x" * 67
    assert len(line.encode()) == 75
    assert ical.fold(line) == line


@pytest.mark.parametrize(
    "line",
    [
        "DESCRIPTION:" + "x" * 300,
        "SUMMARY:" + "Привет, мир! " * 20,  # two octets a character
        "SUMMARY:" + "🤖" * 40,  # four octets a character
        "SUMMARY:a" + "ж" * 100,  # odd offset: a boundary falls inside a character
    ],
)
def test_folding_at_75_octets_never_splits_a_character(line):
    folded = ical.fold(line)
    physical = folded.split("\r\n")
    assert len(physical) > 1
    for i, part in enumerate(physical):
        data = part.encode("utf-8")
        assert len(data) <= 75, (i, len(data))
        data.decode("utf-8")  # each line is whole UTF-8 on its own
        if i:
            assert part.startswith(" ") and not part.startswith("  ") or part[1:2] == " "
    # Unfolding gives back the line exactly.
    assert re.sub(r"\r\n ", "", folded) == line
    # Lines are filled: a fold leaves no room for the next character.
    for part, following in zip(physical, physical[1:], strict=False):
        assert len(part.encode()) + len(following[1:2].encode()) > 75


# --- One event -----------------------------------------------------------------------------


def test_one_event_calendar():
    event = Ev(summary="Соберём робота", place="Технопарк, ауд. 101", address="ул. Ленина, 1")
    text = ical.event_ical(event, URL, now=NOW)
    assert text.startswith("BEGIN:VCALENDAR\r\n") and text.endswith("END:VCALENDAR\r\n")
    props = properties(text)
    names = [name for name, _ in props]
    assert names[:5] == ["BEGIN", "PRODID", "VERSION", "CALSCALE", "METHOD"]
    assert value_of(text, "VERSION") == "2.0"
    assert value_of(text, "METHOD") == "PUBLISH"
    assert value_of(text, "CALSCALE") == "GREGORIAN"
    assert unescape(value_of(text, "X-WR-CALNAME")) == "Мастер-класс"
    assert value_of(text, "UID") == "event-7@park.example"
    assert value_of(text, "DTSTAMP") == "20250301T120000Z"
    assert value_of(text, "DTSTART") == "20250305T060000Z"
    assert value_of(text, "DTEND") == "20250305T080000Z"
    assert unescape(value_of(text, "SUMMARY")) == "Мастер-класс"
    assert unescape(value_of(text, "DESCRIPTION")) == f"Соберём робота\n\n{URL}"
    assert unescape(value_of(text, "LOCATION")) == "Технопарк, ауд. 101, ул. Ленина, 1"
    assert value_of(text, "URL") == URL
    assert value_of(text, "STATUS") == "CONFIRMED"
    assert int(value_of(text, "SEQUENCE")) > 0
    assert names.count("BEGIN") == 2 and names.count("END") == 2


def test_times_are_written_in_utc_whatever_the_zone():
    samara = timezone.get_fixed_timezone(240)
    event = Ev(
        starts_at=datetime(2025, 3, 5, 10, 0, tzinfo=samara),
        ends_at=datetime(2025, 3, 5, 12, 0, tzinfo=samara),
    )
    text = ical.event_ical(event, URL, now=NOW)
    assert value_of(text, "DTSTART") == "20250305T060000Z"
    assert value_of(text, "DTEND") == "20250305T080000Z"


def test_an_online_event_has_its_link_as_location():
    text = ical.event_ical(Ev(online_url="https://meet.example/room"), URL, now=NOW)
    assert unescape(value_of(text, "LOCATION")) == "https://meet.example/room"


def test_a_cancelled_event_says_so():
    event = Ev(is_cancelled=True, cancellation_note="Карантин")
    text = ical.event_ical(event, URL, now=NOW)
    assert value_of(text, "STATUS") == "CANCELLED"
    assert "Карантин" in unescape(value_of(text, "DESCRIPTION"))


def test_sequence_grows_with_each_publication():
    first = ical.sequence(Ev(last_published_at=datetime(2025, 2, 1, tzinfo=UTC)))
    moved = ical.sequence(Ev(last_published_at=datetime(2025, 2, 1, 0, 0, 5, tzinfo=UTC)))
    assert 0 < first < moved < 2**31
    assert ical.sequence(Ev(last_published_at=None)) == 0
    assert ical.sequence(Ev(last_published_at=datetime(2200, 1, 1, tzinfo=UTC))) == 2**31 - 1


def test_no_property_can_be_injected_through_text():
    hostile = "Робот\r\nATTENDEE:mailto:evil@example.com\nX-EVIL:1;x,y\\"
    event = Ev(
        title=hostile,
        summary=hostile,
        place=hostile,
        address=hostile,
        cancellation_note=hostile,
        is_cancelled=True,
    )
    text = ical.feed_ical([(event, URL)], name=hostile, now=NOW)
    names = [name for name, _ in properties(text)]
    assert "ATTENDEE" not in names and "X-EVIL" not in names
    for line in unfold(text):
        assert not line.startswith(("ATTENDEE", "X-EVIL"))
    assert unescape(value_of(text, "X-WR-CALNAME")) == hostile.replace("\r\n", "\n")


# --- The feed ------------------------------------------------------------------------------


def test_a_cyrillic_feed_parses_back_line_by_line():
    titles = ["Олимпиада по робототехнике; финал, часть 2", "Школа юного программиста — " * 4]
    events = [
        Ev(pk=i + 1, title=title, summary=title * 2, place="Кванториум")
        for i, title in enumerate(titles)
    ]
    text = ical.feed_ical(
        [(e, f"{URL}{e.pk}/") for e in events], name="События технопарка", now=NOW
    )
    for physical in text.split("\r\n")[:-1]:
        assert len(physical.encode("utf-8")) <= 75
    props = properties(text)
    assert [unescape(v) for k, v in props if k == "SUMMARY"] == titles
    assert [v for k, v in props if k == "UID"] == ["event-1@park.example", "event-2@park.example"]
    assert unescape(value_of(text, "X-WR-CALNAME")) == "События технопарка"
    assert text.encode("utf-8").decode("utf-8") == text


def test_an_empty_feed_is_a_valid_calendar():
    names = [name for name, _ in properties(ical.feed_ical([], name="x", now=NOW))]
    assert names[0] == "BEGIN" and names[-1] == "END" and "VEVENT" not in str(names)


# --- The downloads -------------------------------------------------------------------------


@pytest.mark.django_db
def test_one_event_download(client):
    event = make_event("Робот <b>", slug="robot-ics", place="Ауд. 5")
    response = client.get(reverse("events:ical", args=[event.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == f'inline; filename="event-{event.pk}.ics"'
    text = response.content.decode()
    # The site's own host, not the request's: the UID stays the same however one reaches it.
    site_host = event.get_site().hostname
    assert value_of(text, "UID") == f"event-{event.pk}@{site_host}"
    assert unescape(value_of(text, "SUMMARY")) == "Робот <b>"
    assert value_of(text, "URL") == event.get_full_url()
    assert value_of(text, "DTSTART") == ical.utc_stamp(event.starts_at)


@pytest.mark.django_db
def test_draft_private_and_unknown_events_answer_404(client):
    from wagtail.models import PageViewRestriction

    draft = make_event("Черновик", slug="draft-ics")
    draft.unpublish()
    private = make_event("Закрытое", slug="private-ics")
    PageViewRestriction.objects.create(page=private, restriction_type="login")
    for pk in (draft.pk, private.pk, 999_999):
        assert client.get(reverse("events:ical", args=[pk])).status_code == 404
    assert client.get("/event/abc/event.ics").status_code == 404


@pytest.mark.django_db
def test_downloads_only_answer_reads(client):
    event = make_event(slug="post-ics")
    assert client.post(reverse("events:ical", args=[event.pk])).status_code == 405
    assert client.post(reverse("events:feed")).status_code == 405
    assert client.head(reverse("events:feed")).status_code == 200


@pytest.mark.django_db
def test_feed_keeps_upcoming_and_the_last_30_days_with_the_index_filters(client):
    soon = make_event(
        "Скоро для школьников",
        slug="soon",
        audience="pupils",
        track="robotics",
        min_class=5,
        max_class=7,
    )
    teachers = make_event("Для учителей", slug="teach", audience="teachers", track="teaching")
    recent = make_event("Неделю назад", slug="recent", starts_in=-timedelta(days=7))
    old = make_event("Давно", slug="old", starts_in=-timedelta(days=40))
    draft = make_event("Черновик", slug="feed-draft")
    draft.unpublish()

    def summaries(query=""):
        response = client.get(reverse("events:feed") + query)
        assert response.status_code == 200
        assert response["Content-Type"] == "text/calendar; charset=utf-8"
        assert response["Content-Disposition"] == 'inline; filename="events.ics"'
        return {unescape(v) for k, v in properties(response.content.decode()) if k == "SUMMARY"}

    assert summaries() == {soon.title, teachers.title, recent.title}
    assert old.title not in summaries() and draft.title not in summaries()
    assert summaries("?audience=teachers") == {teachers.title}
    assert summaries("?audience=pupils&class=6") == {soon.title, recent.title}
    assert summaries("?class=9") == {recent.title}
    assert summaries("?track=robotics") == {soon.title}
    # Garbage is ignored, never an error.
    assert summaries("?audience=<x>&class=99&track=;;&month=2025-99") == {
        soon.title,
        teachers.title,
        recent.title,
    }


@pytest.mark.django_db
def test_feed_queries_do_not_grow_with_events(client, django_assert_max_num_queries):
    for n in range(3):
        make_event(f"Событие {n}", slug=f"few-{n}")
    client.get(reverse("events:feed"))
    with django_assert_max_num_queries(6) as few:
        client.get(reverse("events:feed"))
    for n in range(20):
        make_event(f"Событие {n}", slug=f"many-{n}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("events:feed"))
    assert response.content.decode().count("BEGIN:VEVENT") == 23


@pytest.mark.django_db
def test_hostile_title_does_not_add_a_property_to_the_download(client):
    event = make_event(
        "Робот\r\nATTENDEE:mailto:x@example.com", slug="crlf", place="a\nLOCATION:evil"
    )
    text = client.get(reverse("events:ical", args=[event.pk])).content.decode()
    names = [name for name, _ in properties(text)]
    assert "ATTENDEE" not in names
    assert names.count("LOCATION") == 1
