"""Reading a results file of a round held elsewhere: bytes in, rows of text out. Pure (no
database), so the import page, the command and the tests share it.

What is accepted is what ejudge, Yandex Contest and DOMjudge export and what Excel makes of
it when a teacher saves it again: UTF-8 with or without a BOM, Windows-1251, UTF-16 with a
BOM (Excel's "Unicode text"); comma, semicolon or tab between cells (an Excel "sep=;" first
line is honoured); CRLF or LF; empty lines anywhere. The header row (within the first ten
lines: a title row above it is skipped) names the columns in any case, with spaces, "-" or
"_" as one likes; other columns (a run id, a language) are ignored.

The delimiter is the one under which the header row is found: a file's own header is a surer
sign than csv.Sniffer, which a decimal comma ("7,5") in a semicolon file can mislead; the
Sniffer is asked only to show the columns of a file whose header is not found."""

from __future__ import annotations

import codecs
import csv
import io
import re
import unicodedata
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from lms.text import clean_line

# The columns, by the names a file may give them (compared as header keys, see _key).
COLUMNS: dict[str, tuple[str, ...]] = {
    "participant": ("participant", "участник"),
    "problem": ("problem", "задача"),
    "time_seconds": ("time_seconds", "время_секунды", "время, с"),
    "verdict": ("verdict", "вердикт"),
    "score": ("score", "баллы"),
}
REQUIRED = ("participant", "problem", "time_seconds")
HEADER_SEARCH_LINES = 10
MAX_CELL = 300  # longer cells are refused by the rows' checks; cut here so messages stay short

_DELIMITERS = (";", ",", "\t")
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_SEP_LINE = re.compile(r"sep=(.)[ \t]*(?:\r\n|\n|\r|$)", re.IGNORECASE)


class ImportFileError(Exception):
    """The file as a whole cannot be used; str() is a translated message."""


@dataclass(frozen=True)
class FileRow:
    line: int  # where the row starts in the file, counting from 1
    cells: dict[str, str]  # column -> the cell's text, cleaned ("" when the row is short)
    missing: tuple[str, ...] = ()  # columns the row is too short to have


@dataclass(frozen=True)
class ResultsFile:
    columns: frozenset[str]  # which of COLUMNS the header has
    rows: list[FileRow]

    @property
    def has_verdicts(self) -> bool:
        return "verdict" in self.columns

    @property
    def has_scores(self) -> bool:
        return "score" in self.columns


def _key(text: str) -> str:
    text = unicodedata.normalize("NFC", text).casefold().replace("ё", "е")
    return "".join(ch for ch in text if ch.isalnum())


_BY_KEY = {_key(name): column for column, names in COLUMNS.items() for name in names}


def read(data: bytes, *, max_rows: int) -> ResultsFile:
    """The file's rows; raises ImportFileError (and nothing else) for a file that is not a
    results table."""
    if not data.strip():
        raise ImportFileError(_("The file is empty."))
    if data.startswith(_ZIP_MAGIC) or data.startswith(_OLE_MAGIC):
        raise ImportFileError(
            _(
                "This is an Excel workbook, not a CSV file: open it in Excel and save it as "
                "“CSV UTF-8” (or “CSV”)."
            )
        )
    text = _decode(data)
    try:
        return _rows(text, max_rows)
    except csv.Error as error:
        raise ImportFileError(
            _("The file could not be read as CSV: %(error)s") % {"error": str(error)[:200]}
        ) from None


def _not_text() -> ImportFileError:
    return ImportFileError(_("The file is not a CSV table (it looks like a binary file)."))


def _decode(data: bytes) -> str:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            raise _not_text() from None
    elif b"\x00" in data:
        raise _not_text()
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            # Windows-1251 decodes nearly any bytes: binary junk is caught below.
            try:
                text = data.decode("cp1251")
            except UnicodeDecodeError:
                raise ImportFileError(
                    _("The file is neither UTF-8 nor Windows-1251 text.")
                ) from None
    sample = text[:65536]
    if len(_CONTROL_CHARS.findall(sample)) > max(1, len(sample) // 100):
        raise _not_text()
    return text


def _records(text: str, delimiter: str):
    """(line, cells) of every record; a quoted cell may span lines."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    previous = 0
    for cells in reader:
        yield previous + 1, cells
        previous = reader.line_num


def _header_columns(cells: list[str]) -> dict[str, int] | None:
    """Column -> index when these cells are a header with the required columns."""
    found: dict[str, int] = {}
    for index, cell in enumerate(cells):
        column = _BY_KEY.get(_key(cell))
        if column is None:
            continue
        if column in found:
            raise ImportFileError(
                _("The column “%(column)s” appears twice in the header.") % {"column": column}
            )
        found[column] = index
    if not all(column in found for column in REQUIRED):
        return None
    if "verdict" not in found and "score" not in found:
        raise ImportFileError(
            _(
                "The file has the columns participant, problem and time_seconds but neither "
                "verdict (ICPC) nor score (IOI)."
            )
        )
    return found


def _first_lines(text: str) -> list[str]:
    lines = [line for line in text.splitlines() if line.strip()]
    return lines[:HEADER_SEARCH_LINES]


def _find_header(text: str, forced: str | None) -> tuple[str, int, dict[str, int]]:
    """The delimiter, the header's record number (0-based, among non-empty records) and its
    columns."""
    for delimiter in (forced,) if forced else _DELIMITERS:
        number = 0
        for _line, cells in _records(text, delimiter):
            if not any(cell.strip() for cell in cells):
                continue
            columns = _header_columns(cells)
            if columns is not None:
                return delimiter, number, columns
            number += 1
            if number >= HEADER_SEARCH_LINES:
                break
    raise _no_header(text)


def _no_header(text: str) -> ImportFileError:
    lines = _first_lines(text)
    try:
        delimiter = csv.Sniffer().sniff("\n".join(lines), delimiters=";,\t").delimiter
    except csv.Error:
        delimiter = ","
    first = next(csv.reader([lines[0]], delimiter=delimiter)) if lines else []
    found = ", ".join(f"“{clean_line(cell)[:40]}”" for cell in first[:10] if cell.strip())
    return ImportFileError(
        _(
            "The file has no header row with the columns participant, problem, time_seconds "
            "and verdict (ICPC) or score (IOI). The first row has: %(found)s."
        )
        % {"found": found or "—"}
    )


def _rows(text: str, max_rows: int) -> ResultsFile:
    forced = None
    if match := _SEP_LINE.match(text):
        forced = match.group(1) if match.group(1) not in '\r\n"' else None
        # Keep the line numbering: the "sep=" line becomes an empty one.
        text = "\n" + text[match.end() :]
    delimiter, header_number, columns = _find_header(text, forced)
    rows: list[FileRow] = []
    number = -1
    count = 0
    for line, cells in _records(text, delimiter):
        if not any(cell.strip() for cell in cells):
            continue
        number += 1
        if number <= header_number:
            continue
        count += 1
        if count > max_rows:
            continue  # only counted, so the message can say how many
        values: dict[str, str] = {}
        missing = []
        for column, index in columns.items():
            if index < len(cells):
                values[column] = clean_line(cells[index])[:MAX_CELL]
            else:
                values[column] = ""
                missing.append(column)
        rows.append(FileRow(line, values, tuple(missing)))
    if count > max_rows:
        raise ImportFileError(
            ngettext(
                "The file has %(count)d row; at most %(limit)d can be imported at once.",
                "The file has %(count)d rows; at most %(limit)d can be imported at once.",
                count,
            )
            % {"count": count, "limit": max_rows}
        )
    if not rows:
        raise ImportFileError(_("The file has a header but no rows of results."))
    return ResultsFile(frozenset(columns), rows)
