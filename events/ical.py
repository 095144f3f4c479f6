"""iCalendar (RFC 5545) for one event and for the events feed.

Pure: the event's fields in, the text out. Times are written in UTC ("…Z"), so no VTIMEZONE is
needed and every calendar application shows them in its own zone. Text values are escaped
(RFC 5545 §3.3.11) and stripped of control characters, so nothing typed in a title or a place can
start a property line of its own; lines are folded at 75 octets (§3.1) without splitting a
UTF-8 character, and end with CRLF."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from django.utils.translation import gettext as _

PRODID = "-//Technopark LMS//Events//RU"
CRLF = "\r\n"
LINE_OCTETS = 75
# SEQUENCE grows with each publication: seconds since this instant fit a 32-bit integer
# (RFC 5545 INTEGER) until 2088.
SEQUENCE_EPOCH = datetime(2020, 1, 1, tzinfo=UTC)
MAX_INTEGER = 2**31 - 1

# Control characters are not allowed in TEXT (§3.3.11) except HTAB; line breaks are escaped.
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_LINE_BREAKS = re.compile(r"\r\n|\r|\n")


def escape_text(value: str) -> str:
    """A TEXT value: backslash, semicolon and comma escaped, line breaks as \\n."""
    value = _CONTROLS.sub("", str(value))
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return _LINE_BREAKS.sub("\\\\n", value)


def clean_uri(value: str) -> str:
    """A URI value is not escaped (§3.3.13), but a line break or control in it never passes."""
    return re.sub(r"[\x00-\x20\x7f]", "", str(value))


def fold(line: str) -> str:
    """One content line folded: no physical line longer than 75 octets (CRLF not counted);
    each continuation starts with one space, which counts toward its 75."""
    if len(line.encode("utf-8")) <= LINE_OCTETS:
        return line
    parts: list[str] = []
    current: list[str] = []
    size, limit = 0, LINE_OCTETS
    for char in line:
        octets = len(char.encode("utf-8"))
        if size + octets > limit:
            parts.append("".join(current))
            current, size, limit = [], 0, LINE_OCTETS - 1
        current.append(char)
        size += octets
    parts.append("".join(current))
    return (CRLF + " ").join(parts)


def utc_stamp(moment: datetime) -> str:
    """A DATE-TIME in UTC form (§3.3.5, FORM #2)."""
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def sequence(event: Any) -> int:
    """A revision number that grows with every publication, so a moved event replaces the old
    one in the calendar applications that already have it."""
    published = getattr(event, "last_published_at", None)
    if published is None:
        return 0
    return max(0, min(int((published - SEQUENCE_EPOCH).total_seconds()), MAX_INTEGER))


def uid(event: Any, url: str) -> str:
    host = urlsplit(url).hostname or "localhost"
    return f"event-{event.pk}@{host}"


def location(event: Any) -> str:
    """The place and address; for an event held online, its link."""
    where = ", ".join(part for part in (event.place, event.address) if part)
    return where or event.online_url or ""


def description(event: Any, url: str) -> str:
    parts = []
    if event.is_cancelled:
        parts.append(_("The event is cancelled."))
        if event.cancellation_note:
            parts.append(event.cancellation_note)
    if event.summary:
        parts.append(event.summary)
    if event.online_url and location(event) != event.online_url:
        parts.append(_("Online: %(url)s") % {"url": event.online_url})
    parts.append(url)
    return "\n\n".join(parts)


def vevent(event: Any, url: str, now: datetime) -> list[str]:
    """The content lines of one VEVENT, unfolded."""
    title = event.title
    if event.is_cancelled:
        title = _("Cancelled: %(title)s") % {"title": title}
    lines = [
        "BEGIN:VEVENT",
        f"UID:{escape_text(uid(event, url))}",
        f"DTSTAMP:{utc_stamp(now)}",
        f"DTSTART:{utc_stamp(event.starts_at)}",
        f"DTEND:{utc_stamp(event.ends_at)}",
        f"SEQUENCE:{sequence(event)}",
        f"SUMMARY:{escape_text(title)}",
        f"DESCRIPTION:{escape_text(description(event, url))}",
    ]
    where = location(event)
    if where:
        lines.append(f"LOCATION:{escape_text(where)}")
    lines.append(f"URL:{clean_uri(url)}")
    if getattr(event, "last_published_at", None):
        lines.append(f"LAST-MODIFIED:{utc_stamp(event.last_published_at)}")
    lines.append("STATUS:CANCELLED" if event.is_cancelled else "STATUS:CONFIRMED")
    lines.append("END:VEVENT")
    return lines


def calendar(events: Iterable[tuple[Any, str]], *, name: str, now: datetime | None = None) -> str:
    """A VCALENDAR holding the given (event, its page's full URL) pairs."""
    now = now or datetime.now(UTC)
    lines = [
        "BEGIN:VCALENDAR",
        f"PRODID:{PRODID}",
        "VERSION:2.0",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(name)}",
        # How often a subscribed calendar is fetched again (RFC 7986 and Outlook's older name).
        "REFRESH-INTERVAL;VALUE=DURATION:PT6H",
        "X-PUBLISHED-TTL:PT6H",
    ]
    for event, url in events:
        lines.extend(vevent(event, url, now))
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + CRLF for line in lines)


def event_ical(event: Any, url: str, *, now: datetime | None = None) -> str:
    """One event, as "add to calendar" downloads it."""
    return calendar([(event, url)], name=event.title, now=now)


def feed_ical(
    events: Iterable[tuple[Any, str]], *, name: str | None = None, now: datetime | None = None
) -> str:
    """The events feed one subscribes to."""
    return calendar(events, name=name or _("Technopark events"), now=now)
