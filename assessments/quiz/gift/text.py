"""The small pieces of GIFT text handling shared by the parser and the exporter: escapes, text
format tags, numbers and weights, titles, category paths and pictures left behind by Moodle."""

from __future__ import annotations

import html
import math
import re
from urllib.parse import unquote

from django.utils.translation import gettext as _

from assessments.quiz.spec import BLANK, TextFormat

# --- Escapes --------------------------------------------------------------------------------
# Like Moodle's escapedchar_pre/post: an escaped control character is swapped for a stand-in
# before the structure is read, and swapped back for the character itself at the end. Unicode
# noncharacters (never used in real text) serve as stand-ins; any found in the input are dropped.

_HIDDEN = {
    ":": "\ufdd0",
    "#": "\ufdd1",
    "=": "\ufdd2",
    "{": "\ufdd3",
    "}": "\ufdd4",
    "~": "\ufdd5",
    "n": "\ufdd6",
    "\\": "\ufdd7",
}
_ESCAPE = re.compile(r"\\([\\:#={}~n])")
_STANDIN = re.compile("[\ufdd0-\ufdd7]")
_SHOWN = {code: ("\n" if char == "n" else char) for char, code in _HIDDEN.items()}


def hide_escapes(text: str) -> str:
    """`\\{` and friends become stand-ins, so `{`, `}`, `~`, `=`, `#`, `:` left are control."""
    return _ESCAPE.sub(lambda match: _HIDDEN[match.group(1)], _STANDIN.sub("", text))


def show_escapes(text: str) -> str:
    """The stand-ins back as the characters they stand for (`\\n` as a line break)."""
    # A regex, not str.translate: translate walks a dict per character and is 10x slower.
    if _STANDIN.search(text) is None:
        return text
    return _STANDIN.sub(lambda match: _SHOWN[match.group(0)], text)


_RESERVED = str.maketrans(
    {
        "\\": "\\\\",
        "~": "\\~",
        "=": "\\=",
        "#": "\\#",
        "{": "\\{",
        "}": "\\}",
        ":": "\\:",
        "\n": "\\n",
        "\r": "",
    }
)


def escape(text: str) -> str:
    """Moodle's repchar: every control character escaped, line breaks as `\\n`."""
    return text.translate(_RESERVED)


# --- Text formats ---------------------------------------------------------------------------

FORMAT_NAMES = {
    "html": TextFormat.HTML,
    "moodle": TextFormat.MOODLE,
    "plain": TextFormat.PLAIN,
    "markdown": TextFormat.MARKDOWN,
}
# A tag is letters in brackets at the very start; "[x]" (one letter) and "[link](url)" are text.
_FORMAT_TAG = re.compile(r"\[([A-Za-z]{2,20})\](?!\()")


def split_format(text: str) -> tuple[TextFormat | None, str, str]:
    """(format, text without the tag, name of an unknown tag or "") for text starting `[name]`."""
    match = _FORMAT_TAG.match(text)
    if match is None:
        return None, text, ""
    name = match.group(1).lower()
    if name not in FORMAT_NAMES:
        return None, text, match.group(0)
    return FORMAT_NAMES[name], text[match.end() :], ""


def starts_with_format_tag(text: str) -> bool:
    """Would the parser take the start of this text for a known format tag?"""
    found, _rest, unknown = split_format(text)
    return found is not None or bool(unknown)


# --- Numbers and weights --------------------------------------------------------------------

_NUMBER = re.compile(r"[+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+)(?:[eE][+-]?\d+)?")
_WEIGHT = re.compile(r"%\s*([+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+))\s*%")
_BAD_WEIGHT = re.compile(r"%([^%\n]{1,12})%")


def to_number(text: str) -> float | None:
    """A GIFT number ("3", "-3.5", "3,5", "1e3"), or None. The Unicode minus is accepted."""
    text = text.strip().replace("\u2212", "-")
    if not _NUMBER.fullmatch(text):
        return None
    value = float(text.replace(",", "."))
    return value if math.isfinite(value) else None


def tidy(value: float) -> float:
    """A computed value (a range's middle) without float noise: (3.141 + 3.142) / 2 = 3.1415."""
    return float(f"{value:.12g}")


def take_weight(text: str) -> tuple[float | None, str, str]:
    """(weight in percent or None, the rest, a malformed weight like "%abc%" or "")."""
    match = _WEIGHT.match(text)
    if match:
        return float(match.group(1).replace(",", ".")), text[match.end() :], ""
    bad = _BAD_WEIGHT.match(text)
    if bad and any(char.isdigit() for char in bad.group(1)):
        return None, text, bad.group(0)
    return None, text, ""


def fraction_of(weight: float) -> float:
    """Percent to a fraction with Moodle's seven decimals: 33.33333 % is 0.3333333."""
    return round(weight / 100, 7)


def format_number(value: float) -> str:
    """The shortest text that reads back as the same float; whole numbers without ".0"."""
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return repr(value)


def format_weight(fraction: float) -> str:
    """Moodle writes weights with PHP's default precision: 0.3333333 is "33.33333"."""
    text = format(fraction * 100, ".10g")
    return "0" if text == "-0" else text


# --- Titles ---------------------------------------------------------------------------------

_LINE_BREAK_TAGS = re.compile(
    r"<br\s*/?>|</(?:p|div|li|h[1-6]|tr|pre|blockquote|table|ul|ol)\s*>", re.IGNORECASE
)
_TAG = re.compile(r"<[^<>]*>")  # [^<>]: each try stops at the next "<", so linear time
_SPACES = re.compile(r"\s+")
TITLE_LENGTH = 80


def clean_title(title: str) -> str:
    return _SPACES.sub(" ", title).strip()


def derive_title(text: str, text_format: TextFormat) -> str:
    """Moodle names a question without `::title::` after the start of its text: here the first
    line of the text as a reader sees it, at most 80 characters ("" for no text)."""
    text = text[:4000].replace(BLANK, "_____")
    if text_format != TextFormat.PLAIN:
        text = html.unescape(_TAG.sub("", _LINE_BREAK_TAGS.sub("\n", text)))
    first = next((clean_title(part) for part in text.split("\n") if part.strip()), "")
    if len(first) > TITLE_LENGTH:
        cut = first[: TITLE_LENGTH - 1]
        space = cut.rfind(" ")
        first = (cut[:space] if space > TITLE_LENGTH // 2 else cut).rstrip() + "…"
    return first


# --- Category paths -------------------------------------------------------------------------

_SEPARATOR = re.compile(r"(?<!/)/(?!/)")  # Moodle: "/" separates, "//" is a slash in a name
_CONTEXT = re.compile(r"\$[A-Za-z]+\$")  # $course$, $system$, $module$, $coursecategory$
# Our paths are "a/b/c" split on every "/" (questions.split_path), so a slash inside a name
# becomes the look-alike division slash; the exporter writes it back as Moodle's "//".
NAME_SLASH = "\u2215"


def category_path(raw: str) -> str:
    """`$course$/top/Robotics/Sensors` → "Robotics/Sensors"."""
    names = [name.replace("//", "/").strip() for name in _SEPARATOR.split(raw)]
    names = [name for name in names if name]
    if names and _CONTEXT.fullmatch(names[0]):
        names.pop(0)
    if names and names[0] == "top":
        names.pop(0)
    return "/".join(name.replace("/", NAME_SLASH) for name in names)


def category_line(path: str) -> str:
    names = [name.strip().replace(NAME_SLASH, "//") for name in path.split("/") if name.strip()]
    full = "/".join(["$course$", "top", *names])
    return "$CATEGORY: " + full.replace("\\", "\\\\").replace("\r", "").replace("\n", "\\n")


# --- Pictures and files that stayed in Moodle ------------------------------------------------

_PLUGINFILE = "@@PLUGINFILE@@/"
_IMG = re.compile(r"<img\b[^<>]*>", re.IGNORECASE)
_SRC = re.compile(r"""\bsrc\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""", re.IGNORECASE)
# Bounded and without two quantifiers over the same characters: no backtracking blow-up.
_MD_IMG = re.compile(r"!\[[^\]\n]{0,500}\]\( ?@@PLUGINFILE@@/([^)\s]{1,500})(?:\s[^)\n]{0,500})?\)")
_OTHER_FILE = re.compile(r"@@PLUGINFILE@@/([^\"'\s<>)]+)")


def _file_name(reference: str) -> str:
    return unquote(reference.split("?", 1)[0].split("#", 1)[0])


def replace_missing_pictures(
    text: str, text_format: TextFormat
) -> tuple[str, list[str], list[str]]:
    """Pictures Moodle kept in its own file store are not in a GIFT file: each `<img>` (or
    markdown image) pointing there becomes a visible "[picture missing: name]" instead of a
    broken image. Returns the text, the pictures' names and other missing files' names."""
    if _PLUGINFILE not in text:
        return text, [], []
    pictures: list[str] = []

    def placeholder(name: str) -> str:
        pictures.append(name)
        shown = name if text_format == TextFormat.PLAIN else html.escape(name, quote=False)
        return _("[picture missing: %(name)s]") % {"name": shown}

    def img(match: re.Match[str]) -> str:
        src = _SRC.search(match.group(0))
        value = next((group for group in src.groups() if group is not None), "") if src else ""
        if not value.startswith(_PLUGINFILE):
            return match.group(0)
        return placeholder(_file_name(value[len(_PLUGINFILE) :]))

    text = _IMG.sub(img, text)
    text = _MD_IMG.sub(lambda match: placeholder(_file_name(match.group(1))), text)
    others = [_file_name(match.group(1)) for match in _OTHER_FILE.finditer(text)]
    return text, pictures, others
