"""Checking and naming the files pupils hand in: the one place that decides what is accepted.

Pure functions, no models and no database. The rules:

* a file is judged by its size (before anything is read), its extension and its content (magic
  bytes in the first 64 KB); the browser's content type is never trusted;
* programs and SVG pictures (which can carry scripts) are always refused;
* archives are only recognised by their signature, never unpacked on the server;
* files are stored under generated names; the pupil's name is only for display and download;
* photos get a small JPEG thumbnail when Pillow can read them safely (assessments.thumbnails).

The kinds and extensions themselves are the table in assessments.file_types.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
import uuid
from dataclasses import dataclass
from typing import Protocol

from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.file_types import KINDS, MULTI_EXTENSIONS, TYPES, FileType, with_aliases

HEAD_BYTES = 64 * 1024  # all we ever read of an upload to judge it

# Never accepted, whatever a teacher lists: SVG can carry scripts that run on our site.
_REFUSED_PICTURES = frozenset({"svg", "svgz"})

# Programs: Windows (MZ), Linux (ELF), macOS (Mach-O 32/64 both byte orders, fat/Java class).
_PROGRAM_MAGICS = (
    b"\x7fELF",
    b"\xfe\xed\xfa\xce",
    b"\xfe\xed\xfa\xcf",
    b"\xce\xfa\xed\xfe",
    b"\xcf\xfa\xed\xfe",
    b"\xca\xfe\xba\xbe",
)

_EXTENSION_RE = re.compile(r"[a-z0-9]{1,10}")
_STORED_EXTENSION_RE = re.compile(r"[a-z0-9]{1,10}(\.[a-z0-9]{1,10})?")
_FOLDER_RE = re.compile(r"[a-z0-9_-]+(/[a-z0-9_-]+)*")
_WINDOWS_ILLEGAL = frozenset('<>:"/\\|?*')
_WINDOWS_RESERVED = frozenset(
    {"CON", "PRN", "AUX", "NUL"}
    | {f"COM{i}" for i in range(1, 10)}
    | {f"LPT{i}" for i in range(1, 10)}
)
# Invisible joiners are kept inside a name (they build emoji like 👨‍👩‍👧), not at its end.
_JOINERS = "\u200c\u200d"
_TEXT_CONTROLS_ALLOWED = frozenset("\t\n\r\f\v\x1b")


class UploadError(Exception):
    """A file we refuse. str(exc) is the translated message naming the file; code says why:
    "empty", "too_large", "type", "svg", "program" or "content"."""

    def __init__(self, message: str, *, code: str) -> None:
        super().__init__(message)
        self.message = message
        self.code = code

    def __str__(self) -> str:
        return self.message


class Upload(Protocol):
    """What check_upload needs of a Django UploadedFile."""

    name: str | None
    size: int | None

    def seek(self, offset: int, whence: int = 0) -> int: ...

    def read(self, size: int = -1) -> bytes: ...


@dataclass(frozen=True)
class CheckedFile:
    display_name: str
    extension: str
    kind: str
    size: int
    content_type: str


# --- names ------------------------------------------------------------------------------------


def extension_of(name: str) -> str:
    """The lowercase extension without the dot ("tar.gz" for double ones), or "" if none."""
    lower = name.lower()
    for multi in MULTI_EXTENSIONS:
        if lower.endswith("." + multi):
            return multi
    _, dot, suffix = lower.rpartition(".")
    return suffix if dot and _EXTENSION_RE.fullmatch(suffix) else ""


def _clean_characters(text: str) -> str:
    out = []
    for char in text:
        category = unicodedata.category(char)
        if char.isspace() or category in ("Zs", "Zl", "Zp"):
            out.append(" ")  # tabs and newlines become spaces, collapsed below
        elif category in ("Cc", "Cs") or char in _WINDOWS_ILLEGAL:
            continue
        elif category == "Cf" and char not in _JOINERS:
            # Format characters include the bidi overrides of "photo\u202egpj.exe" (shown as
            # "photoexe.jpg"), zero-width spaces and the BOM: invisible, only ever misleading.
            continue
        else:
            out.append(char)
    return " ".join("".join(out).split())


def safe_display_name(name: str, max_length: int = 120) -> str:
    """The name we show and offer on download: the basename, without control, invisible or
    Windows-illegal characters, not hidden, at most max_length characters with its extension
    kept. Cyrillic and emoji stay. Never used as a storage path (see storage_name)."""
    text = unicodedata.normalize("NFC", name or "")
    # Browsers send a basename, but old ones and scripts send C:\Users\… or ../../etc/passwd.
    text = text.replace("\\", "/").rsplit("/", 1)[-1]
    # Windows drops trailing dots and spaces, so the saved file would differ from what we show.
    text = _clean_characters(text).rstrip(". ")
    extension = extension_of(text)
    if extension:
        stem, suffix = text[: -len(extension) - 1], text[-len(extension) - 1 :]
    else:
        stem, suffix = text, ""
    stem = stem.lstrip(". " + _JOINERS)  # no hidden files
    if stem.upper() in _WINDOWS_RESERVED:
        stem += "_"  # "CON.txt" cannot be saved on Windows
    if len(suffix) >= max_length:
        suffix = ""
    stem = stem[: max_length - len(suffix)].rstrip(" " + _JOINERS)
    return (stem or "file") + suffix


# Code and text are stored as .txt: a web server or a browser given the raw file must never
# run or render a pupil's page.html, script.js or style.css on our site.
_STORED_AS_TEXT = frozenset(KINDS["text"].types)
# Never the end of a stored name, whatever the caller passes: pages, scripts, server-side code.
_NEVER_STORED_EXTENSIONS = frozenset(
    {"html", "htm", "xhtml", "xht", "shtml", "shtm", "svg", "svgz", "xml", "xsl", "xslt"}
    | {"js", "mjs", "cjs", "css", "wasm", "swf", "hta", "htc", "mht", "mhtml"}
    | {"php", "php3", "php4", "php5", "php7", "phtml", "phar", "asp", "aspx", "jsp", "cgi"}
    | {"pl", "sh", "exe", "bat", "cmd", "vbs", "ps1"}
)


def storage_name(extension: str, *, folder: str = "submissions") -> str:
    """A generated relative path like submissions/2026/11/<32 hex>.jpg. Nothing of the pupil's
    file name goes in it: no path tricks, no clashes, no personal data in storage. Text and
    code kinds end in .txt; an extension of a page, script or program is refused."""
    extension = extension.lower().lstrip(".")
    if extension and not _STORED_EXTENSION_RE.fullmatch(extension):
        raise ValueError(f"Not a storable extension: {extension!r}")
    if not _FOLDER_RE.fullmatch(folder):
        raise ValueError(f"Not a storage folder: {folder!r}")
    if extension in _STORED_AS_TEXT:
        extension = "txt"
    if _NEVER_STORED_EXTENSIONS & set(extension.split(".")):
        raise ValueError(f"Not a storable extension: {extension!r}")
    suffix = f".{extension}" if extension else ""
    return f"{folder}/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{suffix}"


# --- content ----------------------------------------------------------------------------------


def _matches_signature(file_type: FileType, head: bytes) -> bool:
    return any(
        all(head[offset : offset + len(part)] == part for offset, part in signature)
        for signature in file_type.signatures
    )


def _text_encoding(head: bytes, complete: bool) -> str | None:
    """The encoding the head reads as (utf-8, else windows-1251), or None if it is not text."""
    if b"\x00" in head:
        return None
    for encoding in ("utf-8", "cp1251"):
        # Incremental: the 64 KB cut may fall inside a multi-byte character.
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            text = decoder.decode(head, final=complete)
        except UnicodeDecodeError:
            continue
        # cp1251 decodes almost any bytes, so binary junk is caught by its control characters.
        if any(ord(c) < 32 and c not in _TEXT_CONTROLS_ALLOWED for c in text):
            return None
        return "utf-8" if encoding == "utf-8" else "windows-1251"
    return None


def _is_stl(head: bytes, size: int) -> bool:
    # Binary STL: an 80-byte header (which may itself say "solid"), a triangle count, and
    # 50 bytes per triangle, so the size must add up. ASCII STL: text starting with "solid".
    if len(head) >= 84:
        triangles = int.from_bytes(head[80:84], "little")
        if 84 + 50 * triangles == size:
            return True
    return head.lstrip().lower().startswith(b"solid") and b"\x00" not in head


def _content_type(file_type: FileType, head: bytes, size: int) -> str | None:
    """The content type if the head fits this type, else None."""
    if file_type.check == "text":
        encoding = _text_encoding(head, complete=len(head) >= size)
        return f"{file_type.content_type}; charset={encoding}" if encoding else None
    if file_type.check == "stl":
        return file_type.content_type if _is_stl(head, size) else None
    return file_type.content_type if _matches_signature(file_type, head) else None


def _looks_like_program(head: bytes, *, is_text: bool) -> bool:
    if head.startswith(_PROGRAM_MAGICS):
        return True
    # A real MZ header has zero bytes in it; a text file may well start with "MZ".
    if head.startswith(b"MZ") and (not is_text or b"\x00" in head[:64]):
        return True
    # A script with a shebang is fine as a .py, never as a photo or an archive.
    return head.startswith(b"#!") and not is_text


def _read_head(uploaded: Upload) -> bytes:
    # Django already streamed the upload to memory or a temp file; read only what we need.
    uploaded.seek(0)
    try:
        return uploaded.read(HEAD_BYTES)
    finally:
        uploaded.seek(0)


def check_upload(uploaded: Upload, *, accepted: list[str], max_bytes: int) -> CheckedFile:
    """Check one uploaded file against an assignment's accepted extensions and size limit.
    An empty `accepted` means every kind we know. Raises UploadError with a message for the
    pupil; never reads more than the first 64 KB."""
    display_name = safe_display_name(uploaded.name or "")
    size = uploaded.size or 0
    if size <= 0:
        raise UploadError(
            _("“%(name)s” is empty. Please choose the file again.") % {"name": display_name},
            code="empty",
        )
    # Decided from the size Django measured while streaming, before we read any content.
    if size > max_bytes:
        raise UploadError(
            _("“%(name)s” is larger than the limit of %(limit)s.")
            % {"name": display_name, "limit": filesizeformat(max_bytes)},
            code="too_large",
        )

    extension = extension_of(display_name)
    if extension in _REFUSED_PICTURES:
        raise UploadError(
            _(
                "“%(name)s” is an SVG picture. SVG files are not accepted because they can "
                "contain scripts; please save the picture as PNG or JPG."
            )
            % {"name": display_name},
            code="svg",
        )
    allowed = with_aliases(ext for ext in accepted if ext in TYPES) if accepted else set(TYPES)
    if extension not in allowed:
        raise UploadError(
            _("“%(name)s” cannot be handed in here. Accepted file types: %(types)s.")
            % {"name": display_name, "types": ", ".join(f".{ext}" for ext in sorted(allowed))},
            code="type",
        )

    kind_name, own_type = TYPES[extension]
    head = _read_head(uploaded)
    if _looks_like_program(head, is_text=own_type.check == "text"):
        raise UploadError(
            _("“%(name)s” looks like a program, not a .%(ext)s file. Programs cannot be handed in.")
            % {"name": display_name, "ext": extension},
            code="program",
        )

    # The content must be of the same kind as the name says: a PNG named .jpg is still a
    # photo; a PDF or a program named .jpg is not. The content type comes from the content.
    content_type = _content_type(own_type, head, size)
    if content_type is None:
        for other in KINDS[kind_name].types.values():
            content_type = _content_type(other, head, size)
            if content_type:
                break
    if content_type is None:
        raise UploadError(
            _(
                "The content of “%(name)s” is not %(what)s, although its name ends in "
                ".%(ext)s. Please check the file and choose it again."
            )
            % {"name": display_name, "what": KINDS[kind_name].label, "ext": extension},
            code="content",
        )
    return CheckedFile(
        display_name=display_name,
        extension=extension,
        kind=kind_name,
        size=size,
        content_type=content_type,
    )
