"""The standings as a file: one row per participant, the header row exactly
`rank, participant, category, solved, penalty, score` and then one column per task, named by
its label (English column names, the same in every language, like the import's columns).

- rank: the place ("3", or "3–5" shared); a row without a place says why ("out of
  competition", "withdrawn"), in the active language;
- participant: the name as the board shows it (the public's: first name, initial; the
  jury's: the full name), or the team's name, with the school in parentheses;
- solved and penalty (ICPC minutes; 0 on points boards), score (points; on an ICPC board the
  number solved), rounded to 2 places;
- a task: its cell as the page shows it ("+2 1:07", "−3", "85,5", "?" for runs not shown).

CSV: what every CSV of the platform is (lms.roster_files.write_csv): UTF-8 with a BOM (so
Russian Excel opens it with a double click; read it elsewhere as "utf-8-sig"), ";" between
fields, CRLF, numbers with the active language's decimal separator, and every cell that a
spreadsheet would run as a formula (starting with = + - @) prefixed with an apostrophe, so an
ICPC "+2" reads '+2 there. The XLSX keeps "+2" as it is (text cells are typed as text, never
formulas), numbers are numbers, the header is bold and frozen (as events/report_xlsx.py
writes its workbooks)."""

from __future__ import annotations

import io
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from contests.ranking import ICPC, Row, Standings
from contests.standings_display import cell_text, export_cell, place, status
from events.report_xlsx import sheet_title, text
from lms.numbers import number, rounded
from lms.roster_files import write_csv

FORMATS = ("csv", "xlsx")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
HEADER = ["rank", "participant", "category", "solved", "penalty", "score"]


def header(standings: Standings) -> list[str]:
    return [*HEADER, *(task.label for task in standings.tasks)]


def participant(row: Row) -> str:
    name = row.team_name or row.name
    return f"{name} ({row.school_name})" if row.school_name else name


def rank_text(row: Row) -> str:
    return place(row) or status(row)


def csv_rows(standings: Standings) -> list[list[str]]:
    return [
        [
            rank_text(row),
            participant(row),
            row.category_name,
            str(row.solved),
            str(row.penalty_minutes),
            number(row.score),
            *(export_cell(cell, standings.rules) for cell in row.cells),
        ]
        for row in standings.rows
    ]


def to_csv(standings: Standings) -> bytes:
    return write_csv(header(standings), csv_rows(standings))


def _number(value: Decimal) -> float | int:
    value = rounded(value)
    return int(value) if value == value.to_integral_value() else float(value)


def to_xlsx(standings: Standings, *, title: str = "") -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = sheet_title(title or "Standings")
    bold = Font(bold=True)
    for column, name in enumerate(header(standings), start=1):
        cell = sheet.cell(row=1, column=column, value=text(name))
        cell.data_type = "s"
        cell.font = bold
    sheet.freeze_panes = "C2"
    widths = [8, 36, 18, 8, 9, 9] + [10] * len(standings.tasks)
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    for line, row in enumerate(standings.rows, start=2):
        values: list[object] = [
            row.rank if row.rank is not None and row.rank == row.rank_to else rank_text(row),
            text(participant(row)),  # people's text: cleaned and made inert
            text(row.category_name),
            row.solved,
            row.penalty_minutes,
            _number(row.score),
        ]
        for cell in row.cells:
            shown = cell_text(cell, standings.rules)
            plain = standings.rules != ICPC and cell.score is not None and not shown.pending
            values.append(_number(cell.score) if plain else export_cell(cell, standings.rules))
        for column, value in enumerate(values, start=1):
            if value == "":
                continue
            target = sheet.cell(row=line, column=column, value=value)
            if isinstance(value, str):
                target.data_type = "s"  # after the value: openpyxl guesses "f" for "=" or "+"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def render(standings: Standings, fmt: str, *, title: str = "") -> tuple[bytes, str]:
    """(file bytes, content type) of the standings in `fmt` ("csv" or "xlsx")."""
    if fmt == "csv":
        return to_csv(standings), CONTENT_TYPES["csv"]
    if fmt == "xlsx":
        return to_xlsx(standings, title=title), CONTENT_TYPES["xlsx"]
    raise ValueError(f"unknown format {fmt!r}")
