"""Cleaning one line of text that people type or import (names of pupils, teachers, groups and
schools): what cannot be seen is removed on the way in, so it can neither disguise a name
("Иван\u202eов" shows as "Иваво…") nor break an export (a NUL or BEL makes an XLSX file
invalid). Pure functions."""

from __future__ import annotations

import unicodedata

# Control, format (bidi overrides, zero-width characters, soft hyphen), surrogate, private-use
# and unassigned code points.
_INVISIBLE = frozenset({"Cc", "Cf", "Cs", "Co", "Cn"})


def clean_line(value: str) -> str:
    """NFC, without invisible characters, whitespace runs collapsed to one space, trimmed."""
    text = unicodedata.normalize("NFC", value or "")
    if text.isprintable():  # nothing invisible and no space but " " (most names): the short way
        return " ".join(text.split())
    kept = []
    for char in text:
        if char.isspace():
            kept.append(" ")
        elif unicodedata.category(char) not in _INVISIBLE:
            kept.append(char)
    return " ".join("".join(kept).split())


def clean_cell(value: str) -> str:
    """Text for a CSV or XLSX cell, without invisible characters (line breaks inside a cell are
    kept, as spreadsheets show them)."""
    lines = value.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "\n".join(clean_line(line) for line in lines)
