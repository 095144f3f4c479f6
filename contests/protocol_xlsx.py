"""The final protocol as an XLSX workbook: one sheet per category with the contest's facts on
top, the ranked table (header bold and frozen), and the jury's signature lines below.

Written the way events/report_xlsx.py writes its report (openpyxl): every text cell cleaned
and made inert (report_xlsx.text: a name such as "=HYPERLINK(…)" stays text) and stored as a
string, scores as numbers, rounded to two places only for display."""

from __future__ import annotations

import io
from collections.abc import Sequence
from decimal import Decimal

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from contests.protocol import Protocol, Table, made_at
from events.report_xlsx import sheet_title, text

BOLD = Font(bold=True)
TITLE = Font(bold=True, size=14)
SCORE_FORMAT = "0.##"


def _put(sheet, row: int, values: Sequence[object], *, font: Font | None = None) -> None:
    for column, value in enumerate(values, start=1):
        if value is None or value == "":
            continue
        cell = sheet.cell(row=row, column=column)
        if isinstance(value, str):
            cell.value = text(value)
            cell.data_type = "s"  # after the value: openpyxl guesses "f" for "="
        elif isinstance(value, Decimal):
            cell.value = float(round(value, 2))
            cell.number_format = SCORE_FORMAT
        else:
            cell.value = value
        if font is not None:
            cell.font = font


def _header(protocol: Protocol, table: Table) -> list[str]:
    head = [_("Place"), _("Participant"), _("School"), _("Class")]
    head += [task.label for task in table.tasks]
    if protocol.icpc:
        head += [_("Solved"), _("Penalty")]
    else:
        head += [_("Total")]
    return [*head, _("Award")]


def _values(protocol: Protocol, line) -> list[object]:
    name = f"{line.name} ({line.team})" if line.team and line.team != line.name else line.name
    values: list[object] = [line.place, name, line.school, line.class_number]
    values += line.scores
    if protocol.icpc:
        values += [line.solved, line.penalty]
    else:
        values += [line.score]
    return [*values, line.award]


def _sheet(book: Workbook, protocol: Protocol, table: Table, title: str) -> None:
    sheet = book.create_sheet(title=title)
    contest = protocol.contest
    row = 1
    _put(sheet, row, [_("Final protocol")], font=TITLE)
    facts = [
        contest.title,
        f"{_('Dates')}: {protocol.dates}",
        f"{_('Rules')}: {protocol.rules}",
    ]
    if table.category:
        facts.append(f"{_('Category')}: {table.category}")
    if protocol.preliminary:
        facts.append(_("Preliminary: the results are not published yet."))
    for fact in facts:
        row += 1
        _put(sheet, row, [fact])
    row += 2
    header = _header(protocol, table)
    _put(sheet, row, header, font=BOLD)
    sheet.freeze_panes = sheet.cell(row=row + 1, column=1)
    for line in table.lines:
        row += 1
        _put(sheet, row, _values(protocol, line))
    widths = [10, 36, 28, 7] + [8] * len(table.tasks) + ([9, 10] if protocol.icpc else [10])
    for index, width in enumerate([*widths, 18], start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    row += 2
    chair = protocol.chair
    _put(
        sheet, row, [_("Chair of the jury"), f"______________ / {chair.name or '______________'} /"]
    )
    row += 1
    _put(sheet, row, [_("Members of the jury:")])
    for member in protocol.members:
        row += 1
        _put(sheet, row, ["", f"______________ / {member.name or '______________'} /"])
    row += 2
    _put(sheet, row, [_("Made"), made_at()])
    for cells in sheet.iter_rows(min_row=1, max_row=row):
        for cell in cells:
            if cell.value is not None and cell.column == 2:
                cell.alignment = Alignment(wrap_text=True, vertical="top")


def workbook(protocol: Protocol) -> bytes:
    """The protocol as an XLSX file's bytes (strings in the active language)."""
    book = Workbook()
    book.remove(book.active)
    used: set[str] = set()
    for number, table in enumerate(protocol.tables, start=1):
        title = sheet_title(table.category or _("Protocol"))
        if title in used:
            title = sheet_title(f"{number} {table.category}")
        used.add(title)
        _sheet(book, protocol, table, title)
    if not protocol.tables:
        book.create_sheet(title=sheet_title(_("Protocol")))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
