"""The gradebook's picture: for each assignment, the share of the group's pupils whose work is
graded, waiting for a grade, returned for rework, or not handed in. Drawn by
courses.progress_chart (inline SVG, escaped, colour-blind-safe, no scripts or inline styles)
from a gradebook already built: no query of its own."""

from __future__ import annotations

from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from assessments.gradebook import CellStatus, Gradebook
from courses import progress_chart
from courses.progress_chart import ChartRow, Stage


def stages() -> list[Stage]:
    """Left to right; the legend's words read with a count after a colon ("graded: 7")."""
    return [
        Stage(CellStatus.GRADED, progress_chart.BLUE, _("graded")),
        Stage(CellStatus.AWAITING, progress_chart.ORANGE, _("waiting for a grade")),
        Stage(CellStatus.RETURNED, progress_chart.PURPLE, _("returned for rework")),
    ]


def rest_label() -> str:
    return _("not handed in")


def assignments_svg(book: Gradebook) -> SafeString:
    pupils = len(book.current_rows)
    shown = stages()
    rows = [
        ChartRow(
            label=column.title,
            counts=tuple(counts[stage.key] for stage in shown),
            total=pupils,
        )
        for column, counts in zip(book.columns, book.status_counts(), strict=True)
    ]
    return progress_chart.share_chart_svg(
        rows if pupils else [],
        shown,
        title=_("Work handed in and graded, by assignment"),
        rest_label=rest_label(),
        note=_("%(count)s of %(total)s"),
        empty_text=_("No pupils in this group yet."),
    )
