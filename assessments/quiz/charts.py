"""Server-rendered charts for the quiz reports: a horizontal bar chart as inline SVG.

No scripts and no ``style=`` (the Content-Security-Policy forbids inline styles): colours and
fonts are SVG presentation attributes. Every label is escaped with ``django.utils.html.escape``
(labels are pupils' answers and teachers' text). Colours are Okabe and Ito's colour-blind-safe
palette, and right answers also carry a check mark, so colour is never the only cue.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

BAR = "#0072B2"  # Okabe-Ito blue: 5.1:1 on white
RIGHT = "#009E73"  # Okabe-Ito bluish green: the right answers; >= 3:1 on white
OTHER = "#767676"  # "others" and "no answer": grey, 4.5:1 on white
TEXT = "#1A1A1A"
MUTED = "#555555"
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"
CHECK = "\u2713"
ELLIPSIS = "\u2026"

MAX_BARS = 30
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")  # not allowed in XML
_SPACE = re.compile(r"\s+")


def _clean(label: object) -> str:
    return _SPACE.sub(" ", _CONTROL.sub("", str(label))).strip()


def truncate(label: str, max_chars: int) -> str:
    """At most ``max_chars`` characters, the last an ellipsis when cut."""
    if len(label) <= max_chars:
        return label
    return label[: max(max_chars - 1, 0)].rstrip() + ELLIPSIS


def _num(value: float) -> str:
    return format(round(value, 1), "g")


def _fold(
    bars: Sequence[tuple[str, int]],
    highlight: set[int],
    muted: set[int],
    max_bars: int,
    other_label: str | None,
) -> list[tuple[str, int, str]]:
    """(label, count, kind) with at most ``max_bars`` rows: the right answers, the muted ones
    ("no answer") and the first others in the order given; the rest summed into "others"."""
    rows = [
        (label, count, "right" if i in highlight else "muted" if i in muted else "bar")
        for i, (label, count) in enumerate(bars)
    ]
    if len(rows) <= max_bars:
        return rows
    keep_first = [i for i, row in enumerate(rows) if row[2] != "bar"][: max_bars - 1]
    room = max_bars - 1 - len(keep_first)
    keep_other = [i for i, row in enumerate(rows) if row[2] == "bar"][:room]
    kept = sorted(keep_first + keep_other)
    kept_set = set(kept)
    folded = [row for i, row in enumerate(rows) if i not in kept_set]
    label = other_label or _("Others (%(number)d)") % {"number": len(folded)}
    return [rows[i] for i in kept] + [(label, sum(row[1] for row in folded), "other")]


def _svg_open(width: int, height: int, title: str, css_class: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{escape(title)}" '
        f'class="{escape(css_class)}" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="{escape(FONT)}" font-size="14">'
        f"<title>{escape(title)}</title>"
    )


def bar_chart_svg(
    bars: Sequence[tuple[str, int]],
    *,
    title: str,
    highlight: set[int] | None = None,
    muted: set[int] | None = None,
    width: int = 640,
    label_width: int = 220,
    bar_height: int = 22,
    gap: int = 8,
    max_bars: int = MAX_BARS,
    max_label_chars: int | None = None,
    empty_text: str | None = None,
    other_label: str | None = None,
    show_title: bool = True,
    css_class: str = "quiz-chart",
) -> SafeString:
    """A horizontal bar chart of (label, count) pairs, as inline SVG.

    ``highlight``: indexes into ``bars`` drawn as right answers (green, with a check mark);
    ``muted``: indexes drawn grey ("no answer"). More than ``max_bars`` bars: those two kinds
    and the first others are kept, the rest summed into one grey "others" bar. Labels longer
    than ``max_label_chars`` (default: what fits in ``label_width``) end in an ellipsis; the
    full text stays in each bar's tooltip and in the chart's description, which screen
    readers read. No bars, or only zeros: ``empty_text`` (default "No answers yet")."""
    if width < 120 or label_width < 20 or bar_height < 4 or gap < 0:
        raise ValueError("chart too small")
    max_bars = max(2, min(max_bars, MAX_BARS))
    if max_label_chars is None:
        max_label_chars = max(label_width // 8 - 1, 4)  # ~8 px per character at 14 px
    counts = [int(count) for _label, count in bars]
    if any(count < 0 for count in counts):
        raise ValueError("bar counts cannot be negative")
    title = _clean(title)
    pad = 8
    title_height = 26 if show_title else 0
    heading = (
        f'<text x="{pad}" y="{pad + 14}" font-weight="bold" fill="{TEXT}">{escape(title)}</text>'
        if show_title
        else ""
    )

    if not bars or not any(counts):
        message = _clean(empty_text or _("No answers yet"))
        height = pad * 2 + title_height + 28
        return mark_safe(  # noqa: S308 - every piece of text above and below is escaped
            _svg_open(width, height, f"{title}: {message}", css_class)
            + f"<desc>{escape(message)}</desc>{heading}"
            f'<text x="{_num(width / 2)}" y="{pad + title_height + 18}" text-anchor="middle" '
            f'fill="{MUTED}">{escape(message)}</text></svg>'
        )

    clean_bars = [
        (_clean(label), count) for (label, _count), count in zip(bars, counts, strict=True)
    ]
    rows = _fold(clean_bars, set(highlight or ()), set(muted or ()), max_bars, other_label)
    top = max(count for _label, count, _kind in rows)
    count_space = 64  # room right of the longest bar for "1234 ✓"
    area = max(width - label_width - count_space - pad * 2, 10)
    row_height = bar_height + gap
    height = pad * 2 + title_height + len(rows) * row_height - gap

    right_answer = _("right answer")
    summary = []
    parts = [_svg_open(width, height, title, css_class)]
    body = [heading]
    for index, (label, count, kind) in enumerate(rows):
        y = pad + title_height + index * row_height
        middle = y + bar_height / 2
        length = area * count / top if top else 0
        if count and length < 2:
            length = 2  # a single answer among thousands stays visible
        fill = {"right": RIGHT, "other": OTHER, "muted": OTHER}.get(kind, BAR)
        tip = f"{label}: {count}" + (f" ({right_answer})" if kind == "right" else "")
        summary.append(tip)
        mark = f" {CHECK}" if kind == "right" else ""
        body.append(
            f"<g><title>{escape(tip)}</title>"
            f'<text x="{pad + label_width - 8}" y="{_num(middle)}" text-anchor="end" '
            f'dy="0.35em" fill="{TEXT}">'
            f"{escape(truncate(label, max_label_chars))}</text>"
            f'<rect x="{pad + label_width}" y="{y}" width="{_num(length)}" '
            f'height="{bar_height}" rx="4" fill="{fill}"/>'
            f'<text x="{_num(pad + label_width + length + 6)}" y="{_num(middle)}" '
            f'dy="0.35em" fill="{TEXT}">{count}{mark}</text></g>'
        )
    parts.append(f"<desc>{escape('; '.join(summary))}</desc>")
    parts.extend(body)
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every label and title is escaped above
