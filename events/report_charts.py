"""The report's charts as inline SVG, drawn on the server: participants by month (stacked
bars, pupils and teachers), the attendance rate of each event, the schools that came most.

As assessments.quiz.charts: no scripts and no ``style=`` (the Content-Security-Policy forbids
inline styles), colours and fonts as presentation attributes, every label escaped, role="img"
with a <title> and a <desc> that says every figure for screen readers, Okabe and Ito's
colour-blind-safe palette (blue and vermillion), and the numbers written beside the bars, so
colour is never the only cue."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

from django.utils.formats import date_format, number_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from assessments.quiz.charts import BAR, FONT, MUTED, TEXT, bar_chart_svg, truncate
from events.reports import EventRow, MonthRow, SchoolRow

PUPILS = BAR  # Okabe-Ito blue
TEACHERS = "#D55E00"  # Okabe-Ito vermillion: 3.9:1 on white, told from blue by every eye
GRID = "#D9DDE3"
MAX_EVENTS = 30
MAX_SCHOOLS = 10
CSS_CLASS = "report-chart"
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")  # not allowed in XML


def _clean(label: object) -> str:
    return " ".join(_CONTROL.sub("", str(label)).split())


def _num(value: float) -> str:
    return format(round(value, 1), "g")


def _percent(rate: float) -> str:
    return f"{number_format(round(rate * 100))}%"


def _svg(
    width: int, height: int, title: str, desc: str, body: Sequence[str], css_class: str = ""
) -> SafeString:
    title, desc = _clean(title), _clean(desc)
    classes = f"{CSS_CLASS} {css_class}".strip()
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{escape(title)}" '
        f'class="{classes}" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="{escape(FONT)}" font-size="15">'
        f"<title>{escape(title)}</title><desc>{escape(desc)}</desc>"
    )
    return mark_safe(head + "".join(body) + "</svg>")  # noqa: S308 - all text escaped


def _empty(width: int, title: str, message: str) -> SafeString:
    text = (
        f'<text x="{width // 2}" y="34" text-anchor="middle" fill="{MUTED}">'
        f"{escape(_clean(message))}</text>"
    )
    return _svg(width, 56, title, message, [text])


def _nice_top(value: int) -> int:
    """A round number at or above `value` for the top of the scale (1, 2, 5 × 10ⁿ)."""
    if value <= 5:
        return max(value, 1)
    power = 10 ** int(math.floor(math.log10(value)))
    for step in (1, 2, 5, 10):
        if value <= step * power:
            return step * power
    return 10 * power  # pragma: no cover - the loop always returns


def months_chart(months: Sequence[MonthRow], *, width: int = 440) -> SafeString:
    """Participants who came, by month: pupils below, teachers stacked on top."""
    title = _("Participants by month")
    if not months or not any(m.came for m in months):
        return _empty(width, title, _("Nobody came to events in this range."))
    pad, left, legend_height, axis_height = 8, 40, 40, 36
    plot_top, plot_height = pad + legend_height, 180
    height = plot_top + plot_height + axis_height
    area = width - left - pad * 2
    slot = area / len(months)
    bar = max(min(slot * 0.7, 48), 1)
    top = _nice_top(max(m.came for m in months))
    label_every = max(1, math.ceil(len(months) / max(int(area // 44), 1)))

    def y_of(value: float) -> float:
        return plot_top + plot_height - plot_height * value / top

    pupils_label, teachers_label = _("Pupils"), _("Teachers")
    body = [
        f'<rect x="{pad}" y="{pad}" width="14" height="14" rx="3" fill="{PUPILS}"/>'
        f'<text x="{pad + 20}" y="{pad + 12}" fill="{TEXT}">{escape(pupils_label)}</text>'
        f'<rect x="{pad + 140}" y="{pad}" width="14" height="14" rx="3" fill="{TEACHERS}"/>'
        f'<text x="{pad + 160}" y="{pad + 12}" fill="{TEXT}">{escape(teachers_label)}</text>'
    ]
    for value in (0, top // 2, top) if top > 1 else (0, top):
        y = _num(y_of(value))
        body.append(
            f'<line x1="{pad + left}" y1="{y}" x2="{width - pad}" y2="{y}" stroke="{GRID}"/>'
            f'<text x="{pad + left - 6}" y="{y}" dy="0.35em" text-anchor="end" '
            f'fill="{MUTED}" font-size="13">{value}</text>'
        )
    summary = []
    for index, month in enumerate(months):
        name = date_format(month.month, "F Y")
        tip = _("%(month)s: %(pupils)d pupils, %(teachers)d teachers") % {
            "month": name,
            "pupils": month.pupils,
            "teachers": month.teachers,
        }
        summary.append(tip)
        x = pad + left + slot * index + (slot - bar) / 2
        parts = [f"<g><title>{escape(tip)}</title>"]
        base = y_of(0)
        for count, colour in ((month.pupils, PUPILS), (month.teachers, TEACHERS)):
            if count:
                length = max(plot_height * count / top, 1.5)
                parts.append(
                    f'<rect x="{_num(x)}" y="{_num(base - length)}" width="{_num(bar)}" '
                    f'height="{_num(length)}" fill="{colour}" stroke="#FFFFFF" '
                    f'stroke-width="1"/>'
                )
                base -= length
        if month.came and bar >= 16:
            parts.append(
                f'<text x="{_num(x + bar / 2)}" y="{_num(base - 4)}" text-anchor="middle" '
                f'fill="{TEXT}" font-size="13">{month.came}</text>'
            )
        if index % label_every == 0:
            short = date_format(month.month, "M")
            year = str(month.month.year) if index == 0 or month.month.month == 1 else ""
            label_y = plot_top + plot_height + 16
            parts.append(
                f'<text x="{_num(x + bar / 2)}" y="{label_y}" text-anchor="middle" '
                f'fill="{TEXT}" font-size="13">{escape(short)}</text>'
            )
            if year:
                parts.append(
                    f'<text x="{_num(x + bar / 2)}" y="{label_y + 15}" text-anchor="middle" '
                    f'fill="{MUTED}" font-size="12">{year}</text>'
                )
        parts.append("</g>")
        body.append("".join(parts))
    return _svg(width, height, title, "; ".join(summary), body)


def rates_chart(
    events: Sequence[EventRow], *, width: int = 640, max_bars: int = MAX_EVENTS
) -> SafeString:
    """The attendance rate of each event (the latest `max_bars`), as horizontal bars from 0 to
    100%, with "came of registered" beside each."""
    title = _("Attendance rate by event")
    if not events:
        return _empty(width, title, _("No events were held in this range."))
    shown = list(events)[-max_bars:]
    pad, label_width, bar_height, gap, count_space = 8, 280, 20, 8, 96
    area = max(width - label_width - count_space - pad * 2, 10)
    row_height = bar_height + gap
    height = pad * 2 + 18 + len(shown) * row_height
    x0 = pad + label_width
    body = []
    for value in (0, 0.5, 1):
        x = _num(x0 + area * value)
        body.append(
            f'<line x1="{x}" y1="{pad}" x2="{x}" y2="{height - pad - 18}" stroke="{GRID}"/>'
            f'<text x="{x}" y="{height - pad - 4}" text-anchor="middle" fill="{MUTED}" '
            f'font-size="13">{_percent(value)}</text>'
        )
    summary = []
    for index, event in enumerate(shown):
        label = f"{date_format(event.day, 'd.m')} {_clean(event.title)}"
        y = pad + index * row_height
        middle = _num(y + bar_height / 2)
        if event.rate is None:
            figure = _("nobody registered")
            bar = ""
            after = x0 + 6
        else:
            figure = f"{_percent(event.rate)} ({event.came}/{event.registered})"
            length = max(area * event.rate, 2 if event.came else 0)
            bar = (
                f'<rect x="{x0}" y="{y}" width="{_num(length)}" height="{bar_height}" '
                f'rx="4" fill="{PUPILS}"/>'
            )
            after = x0 + length + 6
        tip = f"{label}: {figure}"
        summary.append(tip)
        body.append(
            f"<g><title>{escape(tip)}</title>"
            f'<text x="{x0 - 8}" y="{middle}" dy="0.35em" text-anchor="end" fill="{TEXT}">'
            f"{escape(truncate(label, label_width // 9 - 1))}</text>{bar}"
            f'<text x="{_num(after)}" y="{middle}" dy="0.35em" '
            f'fill="{TEXT if event.rate is not None else MUTED}">{escape(figure)}</text></g>'
        )
    return _svg(width, height, title, "; ".join(summary), body, "report-chart-rates")


def schools_chart(
    schools: Sequence[SchoolRow], *, width: int = 440, max_bars: int = MAX_SCHOOLS
) -> SafeString:
    """The schools whose pupils and teachers came most (participants), the rest summed."""
    title = _("Schools: participants who came")
    no_school = _("No school given")
    bars = [(school.name or no_school, school.came) for school in schools]
    others = len(bars) - (max_bars - 1)
    return bar_chart_svg(
        bars,
        title=title,
        show_title=False,
        width=width,
        label_width=170,
        max_bars=max_bars,
        empty_text=_("Nobody came to events in this range."),
        other_label=_("Other schools (%(number)d)") % {"number": others} if others > 1 else None,
        css_class=CSS_CLASS,
    )
