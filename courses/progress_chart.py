"""A group's progress as a picture, drawn on the server as inline SVG: one bar per lesson (or
per assignment), split into the share of pupils at each stage, with the count written beside it.

As assessments.quiz.charts (which this app may not import: it sits above): no scripts and no
``style=`` (the Content-Security-Policy forbids inline styles), colours and fonts as
presentation attributes, every label escaped, role="img" with a <title> and a <desc> that says
every figure for screen readers, a <title> per bar for the mouse. Colours are Okabe and Ito's
colour-blind-safe palette, stages differ in lightness as well as hue, and the figure written at
the end of each bar says what the colour says, so colour is never the only cue.

`share_chart_svg` draws any such rows (the gradebook draws its assignments with it);
`module_progress_svgs` draws a progress grid (courses.progress_grid), a chart per module."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from courses.progress_grid import ProgressGrid

# Okabe-Ito. Blue on white is 5.1:1; the others sit beside it or carry their figure in text.
BLUE = "#0072B2"
SKY = "#56B4E9"
ORANGE = "#E69F00"
PURPLE = "#CC79A7"
TRACK = "#EEF0F3"  # the part of the bar nobody has reached yet
TRACK_EDGE = "#8A939E"  # 3.1:1 on white: the bar's outline shows its full length
TEXT = "#1A1A1A"
MUTED = "#555555"
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"
ELLIPSIS = "\u2026"
CSS_CLASS = "progress-chart"
MAX_ROWS = 40

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")  # not allowed in XML


@dataclass(frozen=True)
class Stage:
    """One part of a bar: its colour and its name in the legend and the descriptions."""

    key: str
    colour: str
    label: str


@dataclass(frozen=True)
class ChartRow:
    label: str
    counts: tuple[int, ...]  # one per stage, in the stages' order
    total: int  # the whole bar (pupils); what the counts leave is the track
    section: str = ""  # a heading drawn above the first row of each section (module)


def clean(text: object) -> str:
    return " ".join(_CONTROL.sub("", str(text)).split())


def truncate(label: str, max_chars: int) -> str:
    """At most ``max_chars`` characters; when cut, at a word boundary if one is not too far
    back, ending in an ellipsis."""
    if len(label) <= max_chars:
        return label
    cut = label[: max(max_chars - 1, 1)]
    space = cut.rfind(" ")
    if space >= max_chars // 2:
        cut = cut[:space]
    return cut.rstrip(" ,.:;—-") + ELLIPSIS


def _num(value: float) -> str:
    return format(round(value, 1), "g")


def _svg(width: int, height: int, title: str, desc: str, body: Sequence[str]) -> SafeString:
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{escape(title)}" '
        f'class="{CSS_CLASS}" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="{escape(FONT)}" font-size="14">'
        f"<title>{escape(title)}</title><desc>{escape(desc)}</desc>"
    )
    return mark_safe(head + "".join(body) + "</svg>")  # noqa: S308 - every text is escaped


def share_chart_svg(
    rows: Sequence[ChartRow],
    stages: Sequence[Stage],
    *,
    title: str,
    rest_label: str,
    note: str = "%(count)s of %(total)s",
    empty_text: str = "",
    width: int = 340,
    max_rows: int = MAX_ROWS,
) -> SafeString:
    """Horizontal 100% bars, one per row under its label, split into ``stages`` (drawn left to
    right) and the rest (``rest_label``, the light track). At the end of each bar, ``note``
    with the first stage's count and the total ("7 of 12"). Labels sit above their bars, so a
    narrow chart (a phone) keeps long names legible. Rows beyond ``max_rows`` are left out and
    said so (the table beside the chart has them all)."""
    if width < 200:
        raise ValueError("chart too small")
    title = clean(title)
    pad, label_height, bar_height, gap, section_height = 4, 18, 12, 10, 24
    note_width = 64
    area = width - pad * 2 - note_width
    max_chars = max((width - pad * 2) // 8, 8)  # about 8 px a character at 14 px
    if not rows:
        message = clean(empty_text or _("Nothing to show yet."))
        text = (
            f'<text x="{width // 2}" y="24" text-anchor="middle" fill="{MUTED}">'
            f"{escape(message)}</text>"
        )
        return _svg(width, 40, title, message, [text])
    for row in rows:
        if len(row.counts) != len(stages) or min(row.counts, default=0) < 0:
            raise ValueError("one non-negative count per stage")
        if sum(row.counts) > row.total:
            raise ValueError("the counts exceed the total")
    shown, hidden = list(rows[:max_rows]), len(rows) - max_rows
    body: list[str] = []
    summary: list[str] = []
    y = pad
    section = None
    for row in shown:
        label = clean(row.label)
        if row.section and row.section != section:
            section = row.section
            heading = clean(section)
            body.append(
                f'<text x="{pad}" y="{y + 15}" font-weight="bold" fill="{MUTED}">'
                f"{escape(truncate(heading, max_chars))}</text>"
            )
            summary.append(f"{heading}:")
            y += section_height
        parts = [(count, stage) for count, stage in zip(row.counts, stages, strict=True)]
        rest = row.total - sum(row.counts)
        figures = [f"{stage.label}: {count}" for count, stage in parts]
        tip = f"{label} — " + ", ".join([*figures, f"{rest_label}: {rest}"])
        summary.append(tip + ";")
        bar_y = y + label_height
        body.append(
            f"<g><title>{escape(tip)}</title>"
            f'<text x="{pad}" y="{y + 13}" fill="{TEXT}">{escape(truncate(label, max_chars))}'
            f"</text>"
            f'<rect x="{pad}" y="{bar_y}" width="{area}" height="{bar_height}" rx="3" '
            f'fill="{TRACK}" stroke="{TRACK_EDGE}" stroke-width="1"/>'
        )
        x = float(pad)
        for count, stage in parts:
            if not count or not row.total:
                continue
            length = max(area * count / row.total, 2)  # one pupil of many stays visible
            body.append(
                f'<rect x="{_num(x)}" y="{bar_y}" width="{_num(min(length, pad + area - x))}" '
                f'height="{bar_height}" fill="{stage.colour}"/>'
            )
            x += length
        figure = note % {
            "count": number_format(row.counts[0] if row.counts else 0),
            "total": number_format(row.total),
        }
        body.append(
            f'<text x="{pad + area + 8}" y="{_num(bar_y + bar_height / 2)}" dy="0.35em" '
            f'fill="{TEXT}">{escape(figure)}</text></g>'
        )
        y = bar_y + bar_height + gap
    if hidden > 0:
        more = _("and %(number)s more, in the table") % {"number": number_format(hidden)}
        body.append(f'<text x="{pad}" y="{y + 12}" fill="{MUTED}">{escape(more)}</text>')
        summary.append(more)
        y += 20
    height = y - gap + pad
    return _svg(width, height, title, " ".join(summary), body)


def lesson_stages() -> list[Stage]:
    """The legend's words read with a count after a colon: "have done it: 7"."""
    return [
        Stage("done", BLUE, _("have done it")),
        Stage("opened", SKY, _("opened only")),
    ]


def lesson_rest_label() -> str:
    return _("not opened yet")


def module_progress_svgs(grid: ProgressGrid) -> list[SafeString]:
    """How far the group has got, one small chart per module (they sit side by side on a wide
    screen, one under another on a phone): for each lesson, the share of pupils who have done
    it and who have only opened it. The module's heading names the course too when the group
    takes several. Nothing when the group has no pupils."""
    if not grid.rows:
        return []
    several = len(grid.courses) > 1
    totals = iter(grid.lesson_totals())  # in outline order, as the loops below
    charts = []
    for course in grid.courses:
        for module in course.modules:
            heading = f"{course.title}: {module.title}" if several else module.title
            rows = []
            for lesson in module.lessons:
                total = next(totals)
                rows.append(
                    ChartRow(lesson.title, (total.done, total.opened), total.pupils, heading)
                )
            title = _("%(module)s: pupils who have done each lesson") % {"module": heading}
            charts.append(
                share_chart_svg(
                    rows,
                    lesson_stages(),
                    title=title,
                    rest_label=lesson_rest_label(),
                    note=_("%(count)s of %(total)s"),
                )
            )
    return charts
