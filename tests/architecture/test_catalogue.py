"""The Russian catalogue is complete and compiled: every message translated (plural forms
too), none fuzzy, and the committed .mo says what the .po says (a .po edited without
compilemessages would otherwise ship English)."""

from __future__ import annotations

import ast
import gettext
from pathlib import Path

import pytest

LOCALE = Path(__file__).resolve().parents[2] / "locale" / "ru" / "LC_MESSAGES"


def entries(po: Path) -> list[dict]:
    """The entries of a .po file: {"flags": set, "msgctxt"?, "msgid", "msgid_plural"?,
    "msgstr" or "msgstr[N]": text}; obsolete (#~) entries are left out."""
    found: list[dict] = []
    entry: dict = {"flags": set()}
    key = None
    for line in po.read_text(encoding="utf-8").splitlines() + [""]:
        if not line.strip():
            if "msgid" in entry:
                found.append(entry)
            entry, key = {"flags": set()}, None
        elif line.startswith("#,"):
            entry["flags"] |= {flag.strip() for flag in line[2:].split(",")}
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            entry[key] += ast.literal_eval(line)
        else:
            key, _space, text = line.partition(" ")
            entry[key] = ast.literal_eval(text)
    return found


def catalogue(name: str) -> list[dict]:
    return [e for e in entries(LOCALE / f"{name}.po") if e["msgid"]]  # not the header


@pytest.mark.parametrize("name", ["django", "djangojs"])
def test_every_message_is_translated_and_none_is_fuzzy(name):
    messages = catalogue(name)
    assert messages
    fuzzy = [e["msgid"] for e in messages if "fuzzy" in e["flags"]]
    assert not fuzzy
    missing = [
        e["msgid"] for e in messages for k, v in e.items() if k.startswith("msgstr") and not v
    ]
    assert not missing
    plural = [e for e in messages if "msgid_plural" in e]
    assert all(sum(k.startswith("msgstr[") for k in e) == 4 for e in plural)  # Russian: 4


@pytest.mark.parametrize("name", ["django", "djangojs"])
def test_the_compiled_catalogue_says_what_the_po_says(name):
    with (LOCALE / f"{name}.mo").open("rb") as mo:
        compiled = gettext.GNUTranslations(mo)
    for entry in catalogue(name):
        context = entry.get("msgctxt")
        if "msgid_plural" in entry:
            for n, form in ((1, 0), (2, 1), (5, 2)):
                said = (
                    compiled.npgettext(context, entry["msgid"], entry["msgid_plural"], n)
                    if context is not None
                    else compiled.ngettext(entry["msgid"], entry["msgid_plural"], n)
                )
                assert said == entry[f"msgstr[{form}]"], entry["msgid"]
        else:
            said = (
                compiled.pgettext(context, entry["msgid"])
                if context is not None
                else compiled.gettext(entry["msgid"])
            )
            assert said == entry["msgstr"], entry["msgid"]
