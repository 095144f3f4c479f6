"""Reading and writing class roster tables (CSV and XLSX) for bulk pupil import and export.

Pure functions: bytes in, rows out (and back). No database, no models, so views and management
commands can share them and tests can feed them any file a teacher might upload.
"""

from __future__ import annotations

import codecs
import csv
import datetime
import io
import os
import re
import unicodedata
import warnings
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.template.defaultfilters import filesizeformat
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from lms.text import clean_cell, clean_line


class RosterFileError(Exception):
    """The whole file cannot be used; ``str(exc)`` is a translated message for the teacher."""


@dataclass(frozen=True)
class RawRow:
    """One pupil row as found in the file, before any validation."""

    line: int  # 1-based line (CSV) or sheet row (XLSX) number, so the teacher can find it
    cells: dict[str, str]  # every key of COLUMNS -> stripped text ("" when absent)


@dataclass(frozen=True)
class RosterColumn:
    key: str
    label: str | Promise  # translated header, e.g. for a downloadable template
    required: bool
    aliases: tuple[str, ...]


COLUMNS: tuple[RosterColumn, ...] = (
    RosterColumn("last_name", gettext_lazy("Last name"), True, ("фамилия", "last name", "surname")),
    RosterColumn("first_name", gettext_lazy("First name"), True, ("имя", "first name", "name")),
    RosterColumn(
        "login", gettext_lazy("Login"), False, ("логин", "login", "username", "учётная запись")
    ),
    RosterColumn(
        "email",
        gettext_lazy("E-mail"),
        False,
        ("email", "e-mail", "почта", "электронная почта"),
    ),
)
COLUMN_KEYS: tuple[str, ...] = tuple(column.key for column in COLUMNS)
# One "Фамилия Имя Отчество" column instead of separate ones.
FULL_NAME_ALIASES: tuple[str, ...] = ("фио", "ф.и.о.", "full name")

# Excel refuses more rows than this, so a larger row number means a forged sheet.
_EXCEL_MAX_ROWS = 1_048_576
_MAX_UNPACKED_BYTES = 100 * 1024 * 1024
_UNPACK_RATIO = 50
_MAX_ZIP_MEMBERS = 10_000
_HEADER_SEARCH_ROWS = 10  # title rows such as "Список 5 «А» класса" may precede the header
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .xls (Excel 97-2003)
_DELIMITERS = ";,\t"  # order breaks ties: Russian Excel writes ";"
_CONTROL_CHARS = re.compile(r"[\x01-\x08\x0b\x0e-\x1f\x7f]")
_SEP_LINE = re.compile(r"sep=(.)[ \t]*(?=\r\n|\n|\r|$)", re.IGNORECASE)


def _header_key(text: str) -> str:
    """Compare headers by letters and digits only: case, ё/е, spaces, "_", "-", "*" and dots."""
    text = unicodedata.normalize("NFC", text).casefold().replace("ё", "е")
    return "".join(ch for ch in text if ch.isalnum())


_ALIAS_TO_KEY: dict[str, str] = {
    _header_key(alias): column.key for column in COLUMNS for alias in column.aliases
} | {_header_key(alias): "full_name" for alias in FULL_NAME_ALIASES}
_REQUIRED_KEYS = tuple(column.key for column in COLUMNS if column.required)


# --- Reading -----------------------------------------------------------------------------------


def read_roster(data: bytes, filename: str, *, max_bytes: int, max_rows: int) -> list[RawRow]:
    """Parse an uploaded roster; raise RosterFileError (and nothing else) for an unusable file."""
    if len(data) > max_bytes:
        raise RosterFileError(
            _("The file is larger than %(limit)s") % {"limit": filesizeformat(max_bytes)}
        )
    if not data.strip():
        raise RosterFileError(_("The file is empty"))
    extension = os.path.splitext(filename or "")[1].lower()
    try:
        if extension == ".xlsx":
            return _read_xlsx(data, max_bytes=max_bytes, max_rows=max_rows)
        if extension == ".xls" or data.startswith(_OLE_MAGIC):
            raise RosterFileError(
                _("The file is in the old Excel 97-2003 format; save it as XLSX or CSV")
            )
        return _collect(_csv_records(_decode(data)), max_rows)
    except RosterFileError:
        raise
    except Exception as exc:  # csv.Error, MemoryError from a hostile file, library bugs...
        if extension == ".xlsx":
            raise RosterFileError(_damaged_xlsx_message()) from exc
        raise RosterFileError(
            _("The file could not be read as a table; open it in Excel and save it as XLSX or CSV")
        ) from exc


def _not_a_table_message() -> str:
    return _("The file is not a CSV or XLSX table")


def _damaged_xlsx_message() -> str:
    return _("The XLSX file is damaged or is not an Excel workbook")


def _decode(data: bytes) -> str:
    # Excel's "Unicode text" export is UTF-16 with a BOM; it is the only text with NUL bytes.
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            raise RosterFileError(_not_a_table_message()) from None
    elif b"\x00" in data:
        raise RosterFileError(_not_a_table_message())
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            try:
                text = data.decode("cp1251")
            except UnicodeDecodeError:
                raise RosterFileError(
                    _("The file could not be read: it is neither UTF-8 nor Windows-1251 text")
                ) from None
    # Binary data decoded as Windows-1251 is full of control characters; real tables have none.
    sample = text[:65536]
    if len(_CONTROL_CHARS.findall(sample)) > max(1, len(sample) // 100):
        raise RosterFileError(_not_a_table_message())
    return text


def _sniff_delimiter(text: str) -> str:
    """The delimiter used most, outside quotes, on the first line that has any delimiter."""
    counts = dict.fromkeys(_DELIMITERS, 0)
    in_quotes = False
    lines = 0
    for ch in text[:65536]:
        if ch == '"':
            in_quotes = not in_quotes
        elif in_quotes:
            continue
        elif ch in counts:
            counts[ch] += 1
        elif ch in "\r\n":
            if any(counts.values()):
                break
            lines += 1
            if lines > 2 * _HEADER_SEARCH_ROWS:
                break
    return max(_DELIMITERS, key=lambda d: counts[d])  # first of equals; ";" if none at all


def _csv_records(text: str) -> Iterator[tuple[int, list[str]]]:
    delimiter = None
    # Excel honours (and some exports start with) a "sep=;" line; blank it, keeping numbering.
    if match := _SEP_LINE.match(text):
        delimiter = match.group(1)
        text = text[match.end() :]
    if delimiter is None or delimiter in '\r\n"':
        delimiter = _sniff_delimiter(text)
    # newline="" keeps line breaks inside quoted fields for the csv module.
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    previous_line = 0
    for record in reader:
        # A quoted field may span lines: the record starts right after the previous one ended.
        yield previous_line + 1, record
        previous_line = reader.line_num


def _read_xlsx(data: bytes, *, max_bytes: int, max_rows: int) -> list[RawRow]:
    if not data.startswith(_ZIP_MAGIC):
        raise RosterFileError(_damaged_xlsx_message())
    # Zip bomb guard: zipfile never inflates a member past its declared size, so summing the
    # declared sizes bounds what openpyxl can unpack.
    unpacked_limit = min(_UNPACK_RATIO * max_bytes, _MAX_UNPACKED_BYTES)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError) as exc:
        raise RosterFileError(_damaged_xlsx_message()) from exc
    if (
        len(members) > _MAX_ZIP_MEMBERS
        or sum(member.file_size for member in members) > unpacked_limit
    ):
        raise RosterFileError(
            _("The XLSX file is too large once unpacked (over %(limit)s); save the list as CSV")
            % {"limit": filesizeformat(unpacked_limit)}
        )

    from openpyxl import load_workbook  # heavy import, only needed for workbooks

    with warnings.catch_warnings():
        # openpyxl warns about styles and extensions it skips; irrelevant for plain text cells.
        warnings.filterwarnings("ignore", category=UserWarning, module="openpyxl")
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            if not workbook.worksheets:
                raise RosterFileError(_("The file is empty"))
            sheet = workbook.worksheets[0]
            # Trust the cells, not the declared size: "A1:XFD1048576" would pad every row.
            sheet.reset_dimensions()
            return _collect(_sheet_records(sheet), max_rows)
        finally:
            workbook.close()


def _sheet_records(sheet) -> Iterator[tuple[int, list[str]]]:
    # openpyxl yields an empty row for every missing one, so counting from 1 gives row numbers.
    for line, values in enumerate(sheet.iter_rows(min_row=1, values_only=True), start=1):
        if line > _EXCEL_MAX_ROWS:
            raise RosterFileError(_damaged_xlsx_message())
        yield line, [_cell_text(value) for value in values]


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        # Excel stores every number as a float; "12.0" would be a strange login.
        return str(int(value)) if value.is_integer() else str(value)
    if isinstance(value, datetime.datetime):
        if value.time() == datetime.time(0) and value.tzinfo is None:
            return value.date().isoformat()
        return value.isoformat()
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    return str(value)


def _map_header(cells: list[str]) -> dict[str, int]:
    """Column index by canonical key; the first of duplicate columns wins."""
    positions: dict[str, int] = {}
    for index, cell in enumerate(cells):
        key = _ALIAS_TO_KEY.get(_header_key(cell))
        if key is not None and key not in positions:
            positions[key] = index
    return positions


def _has_required(positions: dict[str, int]) -> bool:
    return "full_name" in positions or all(key in positions for key in _REQUIRED_KEYS)


def _missing_columns_error(cells: list[str]) -> RosterFileError:
    positions = _map_header(cells)
    missing = [
        str(column.label) for column in COLUMNS if column.required and column.key not in positions
    ]
    found = [cell.strip()[:40] for cell in cells if cell.strip()][:10]
    return RosterFileError(
        _(
            "The table has no column %(missing)s (or one “Full name” column). "
            "The first row must contain the headers; found: %(found)s"
        )
        % {
            "missing": ", ".join(f"“{name}”" for name in missing),
            "found": ", ".join(f"“{name}”" for name in found),
        }
    )


def _row_cells(cells: list[str], positions: dict[str, int]) -> dict[str, str]:
    def cell(key: str) -> str:
        index = positions.get(key)
        return cells[index].strip() if index is not None and index < len(cells) else ""

    row = {key: cell(key) for key in COLUMN_KEYS}
    if "full_name" in positions and not all(key in positions for key in _REQUIRED_KEYS):
        # Russian order "Фамилия Имя Отчество": the patronymic is not needed for an account.
        words = cell("full_name").replace(",", " ").split()
        row["last_name"] = words[0] if words else ""
        row["first_name"] = words[1] if len(words) > 1 else ""
    return row


def _collect(records: Iterable[tuple[int, list[str]]], max_rows: int) -> list[RawRow]:
    first_row: list[str] | None = None
    positions: dict[str, int] | None = None
    rows_before_header = 0
    rows: list[RawRow] = []
    count = 0
    for line, cells in records:
        if not any(cells):  # fast path: a forged sheet can have a million empty rows
            continue
        if positions is None:
            if not any(cell.strip() for cell in cells):
                continue
            if first_row is None:
                first_row = cells
            candidate = _map_header(cells)
            if _has_required(candidate):
                positions = candidate
                continue
            rows_before_header += 1
            if rows_before_header >= _HEADER_SEARCH_ROWS:
                raise _missing_columns_error(first_row)
            continue
        row_cells = _row_cells(cells, positions)
        # Also skips numbered template rows ("№" filled in, names blank).
        if not any(row_cells.values()):
            continue
        count += 1
        if count <= max_rows:  # past the limit only count, so the message can say how many
            rows.append(RawRow(line=line, cells=row_cells))
    if positions is None:
        if first_row is None:
            raise RosterFileError(_("The file is empty"))
        raise _missing_columns_error(first_row)
    if count > max_rows:
        raise RosterFileError(
            ngettext(
                "The file has %(count)s row; at most %(limit)s can be imported at once",
                "The file has %(count)s rows; at most %(limit)s can be imported at once",
                count,
            )
            % {"count": count, "limit": max_rows}
        )
    return rows


# --- Writing -----------------------------------------------------------------------------------

# OWASP CSV injection: spreadsheets run cells starting with these as formulas. The full-width
# forms are included because some spreadsheet locales treat them the same way.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")
_XLSX_MAX_CELL = 32_767  # longer text makes Excel report the workbook as damaged
_SHEET_TITLE_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def neutralise_cell(value: str) -> str:
    """Make a value inert in a spreadsheet: a leading quote turns a would-be formula into text."""
    if value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def write_csv(header: list[str], rows: list[list[str]]) -> bytes:
    """CSV that Russian Excel opens by double-click: UTF-8 with BOM, ";" and CRLF."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    for row in [header, *rows]:
        writer.writerow([neutralise_cell(clean_cell(cell)) for cell in row])
    return codecs.BOM_UTF8 + buffer.getvalue().encode("utf-8")


def write_xlsx(header: list[str], rows: list[list[str]], *, sheet_title: str) -> bytes:
    """One-sheet workbook with a bold header; every cell is plain text, never a formula."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_sheet_title(sheet_title))
    bold = Font(bold=True)

    def text_cell(value: str, *, header: bool = False) -> Cell:
        # openpyxl would refuse control characters with an exception; invisible ones (bidi
        # overrides, zero-width) would disguise a name: drop both.
        text = ILLEGAL_CHARACTERS_RE.sub("", neutralise_cell(clean_cell(value)))[:_XLSX_MAX_CELL]
        cell = WriteOnlyCell(sheet, value=text)
        cell.data_type = "s"  # set after the value: openpyxl guesses "f" for a leading "="
        if header:
            cell.font = bold
        return cell

    # Write-only sheets need column widths before the first row.
    widths: dict[int, int] = {}
    for row in [header, *rows]:
        for index, value in enumerate(row, start=1):
            widths[index] = max(widths.get(index, 0), len(value))
    for index, width in widths.items():
        sheet.column_dimensions[get_column_letter(index)].width = min(max(width, 8), 60) + 2

    sheet.append([text_cell(value, header=True) for value in header])
    for row in rows:
        sheet.append([text_cell(value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _sheet_title(title: str) -> str:
    # Excel's rules: at most 31 characters, none of []:*?/\ and no quote at either end.
    cleaned = _SHEET_TITLE_FORBIDDEN.sub("_", clean_line(title))[:31].strip().strip("'").strip()
    return cleaned or _("Sheet")
