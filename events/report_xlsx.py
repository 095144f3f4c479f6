"""The park's report as an XLSX workbook: sheets "Summary", "Events", "By school", "By month".

Headers bold and frozen, column widths set, dates as real dates, rates as percentages, hours
as numbers. Every text cell is cleaned (lms.text.clean_cell: no invisible or control
characters) and made inert (lms.roster_files.neutralise_cell: a title such as
"=HYPERLINK(...)" stays text), and stored as a string, never a formula."""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from events.reports import Report, definitions, park_zone
from lms.roster_files import neutralise_cell
from lms.text import clean_cell, clean_line

DATE_FORMAT = "DD.MM.YYYY"
MONTH_FORMAT = "MM.YYYY"
PERCENT_FORMAT = "0.0%"
HOURS_FORMAT = "0.0"
MAX_CELL = 32_767  # longer text makes Excel report the workbook as damaged
_SHEET_TITLE_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
BOLD = Font(bold=True)


def text(value: object) -> str:
    """A text cell's value: clean, inert, within Excel's limits."""
    cleaned = ILLEGAL_CHARACTERS_RE.sub("", neutralise_cell(clean_cell(str(value))))
    return cleaned[:MAX_CELL]


def sheet_title(title: str) -> str:
    # Excel's rules: at most 31 characters, none of []:*?/\ and no quote at either end.
    cleaned = _SHEET_TITLE_FORBIDDEN.sub("_", clean_line(title))[:31].strip().strip("'").strip()
    return cleaned or "Sheet"


def _hours(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


class _Sheet:
    """Rows appended with their kinds: text is cleaned and forced to a string; numbers, dates
    and rates get their number formats."""

    def __init__(self, workbook: Workbook, title: str, header: Sequence[str], widths: list[int]):
        self.sheet: Worksheet = workbook.create_sheet(title=sheet_title(title))
        self.row = 0
        self.append(header, bold=True)
        self.sheet.freeze_panes = "A2"
        for index, width in enumerate(widths, start=1):
            self.sheet.column_dimensions[get_column_letter(index)].width = width

    def append(self, values: Sequence[object], *, bold: bool = False, formats=None) -> None:
        self.row += 1
        for column, value in enumerate(values, start=1):
            if value is None or value == "":
                continue
            cell = self.sheet.cell(row=self.row, column=column)
            number_format = (formats or {}).get(column)
            if isinstance(value, str):
                cell.value = text(value)
                cell.data_type = "s"  # set after the value: openpyxl guesses "f" for "="
                if "\n" in cell.value:
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
            elif isinstance(value, date):
                cell.value = value
                cell.number_format = number_format or DATE_FORMAT
            else:
                cell.value = value
                if number_format:
                    cell.number_format = number_format
            if bold:
                cell.font = BOLD


def workbook(report: Report) -> bytes:
    """The report as an XLSX file's bytes (strings in the active language)."""
    book = Workbook()
    book.remove(book.active)
    _summary(book, report)
    _events(book, report)
    _schools(book, report)
    _months(book, report)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _summary(book: Workbook, report: Report) -> None:
    sheet = _Sheet(book, _("Summary"), [_("Figure"), _("Value")], [44, 16, 90])
    rows: list[tuple[str, object, str | None]] = [
        (_("From"), report.start, DATE_FORMAT),
        (_("To"), report.end, DATE_FORMAT),
        (_("Events held"), report.held, None),
        (_("Cancelled events"), report.cancelled, None),
        (_("Events still to come"), report.upcoming, None),
        (_("Registered"), report.registered, None),
        (_("Came (participants)"), report.came, None),
        (_("Pupils who came"), report.pupils, None),
        (_("Teachers who came"), report.teachers, None),
        (_("Walk-ins"), report.walk_ins, None),
        (_("Did not come"), report.no_shows, None),
        (_("Unique people"), report.unique_people, None),
        (_("Unique pupils"), report.unique_pupils, None),
        (_("Unique teachers"), report.unique_teachers, None),
        (_("Attendance rate"), report.rate, PERCENT_FORMAT),
        (_("Academic hours of the events held"), float(report.event_hours), HOURS_FORMAT),
        (_("Teacher-hours (professional development)"), float(report.teacher_hours), HOURS_FORMAT),
        (_("Schools"), sum(1 for school in report.schools if school.name), None),
    ]
    for label, value, number_format in rows:
        sheet.append([label, value], formats={2: number_format})
    sheet.row += 1
    sheet.append([_("Events by kind"), _("Events"), _("Came")], bold=True)
    for kind in report.by_kind:
        sheet.append([kind.label, kind.events, kind.came])
    sheet.row += 1
    sheet.append([_("What is counted")], bold=True)
    for term, meaning in definitions():
        sheet.append([term, "", meaning])
    made = date_format(report.made_at.astimezone(park_zone()), "DATETIME_FORMAT")
    sheet.row += 1
    sheet.append([_("Made"), made])


def _events(book: Workbook, report: Report) -> None:
    header = [
        _("Date"),
        _("Event"),
        _("Kind"),
        _("Track"),
        _("Audience"),
        _("Registered"),
        _("Came"),
        _("Pupils"),
        _("Teachers"),
        _("Walk-ins"),
        _("Attendance rate"),
        _("Academic hours"),
        _("Teacher-hours"),
    ]
    widths = [12, 50, 24, 22, 20, 12, 10, 10, 10, 10, 14, 12, 14]
    sheet = _Sheet(book, _("Events"), header, widths)
    formats = {1: DATE_FORMAT, 11: PERCENT_FORMAT, 12: HOURS_FORMAT, 13: HOURS_FORMAT}
    for event in report.events:
        sheet.append(
            [
                event.day,
                event.title,
                event.kind_label,
                event.track_label,
                event.audience_label,
                event.registered,
                event.came,
                event.pupils,
                event.teachers,
                event.walk_ins,
                event.rate,
                _hours(event.hours),
                float(event.teacher_hours),
            ],
            formats=formats,
        )


def _schools(book: Workbook, report: Report) -> None:
    header = [
        _("School"),
        _("Pupils who came"),
        _("Teachers who came"),
        _("Came (participants)"),
        _("Unique people"),
        _("Events attended"),
    ]
    sheet = _Sheet(book, _("By school"), header, [50, 16, 18, 20, 16, 16])
    for school in report.schools:
        sheet.append(
            [
                school.name or _("No school given"),
                school.pupils,
                school.teachers,
                school.came,
                school.people,
                school.events,
            ]
        )


def _months(book: Workbook, report: Report) -> None:
    header = [
        _("Month"),
        _("Events held"),
        _("Registered"),
        _("Came"),
        _("Pupils"),
        _("Teachers"),
        _("Walk-ins"),
        _("Attendance rate"),
        _("Teacher-hours"),
    ]
    sheet = _Sheet(book, _("By month"), header, [12, 14, 12, 10, 10, 10, 10, 14, 14])
    formats = {1: MONTH_FORMAT, 8: PERCENT_FORMAT, 9: HOURS_FORMAT}
    for month in report.months:
        sheet.append(
            [
                month.month,
                month.events,
                month.registered,
                month.came,
                month.pupils,
                month.teachers,
                month.walk_ins,
                month.rate,
                float(month.teacher_hours),
            ],
            formats=formats,
        )
