"""The kinds of file pupils may hand in, and the extensions and contents of each: the table
that `uploads.check_upload` judges a file by, and the parser of a teacher's "accepted types".

Pure data and functions, no models and no database. A type is known by its extension and
recognised by its content (magic bytes, readable text, or an STL's own shape); the browser's
content type is never trusted. Programs and SVG pictures are never in the table."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

# Signature: (offset, bytes) parts that must all match. A type matches if any signature does.
Signature = tuple[tuple[int, bytes], ...]


def _prefixes(*prefixes: bytes) -> tuple[Signature, ...]:
    return tuple(((0, prefix),) for prefix in prefixes)


def _ftyp(*brands: bytes) -> tuple[Signature, ...]:
    # ISO base media files (MP4, MOV, HEIC) start with a box: 4 bytes of size, "ftyp", brand.
    return tuple(((4, b"ftyp" + brand),) for brand in brands)


def _riff(form: bytes) -> tuple[Signature, ...]:
    return (((0, b"RIFF"), (8, form)),)


@dataclass(frozen=True)
class FileType:
    content_type: str
    signatures: tuple[Signature, ...] = ()
    # "magic": match a signature; "text": readable text, no NUL; "stl": ASCII or binary STL.
    check: str = "magic"


@dataclass(frozen=True)
class Kind:
    # How the file is named in messages: "the content of … is not an image".
    label: str | Promise
    types: Mapping[str, FileType] = field(default_factory=dict)


_ZIP = _prefixes(b"PK\x03\x04", b"PK\x05\x06")  # a zip with entries, or an empty one
# Brands of phones and cameras: older Android phones write 3gp*, Sony cameras MSNV.
_ISO_VIDEO_BRANDS = (b"isom", b"iso2", b"iso4", b"iso5", b"iso6", b"mp41", b"mp42", b"avc1")
_ISO_VIDEO_BRANDS += (b"qt  ", b"M4V ", b"M4VH", b"M4VP", b"3gp4", b"3gp5", b"3gp6", b"3g2a")
_ISO_VIDEO_BRANDS += (b"MSNV", b"dash")
_HEIF_BRANDS = (b"heic", b"heix", b"hevc", b"heim", b"heis", b"mif1", b"msf1")
_TEXT = FileType("text/plain", check="text")
_CODE_EXTENSIONS = ("py", "ino", "c", "cpp", "h", "hpp", "js", "ts", "java", "cs", "html", "css")
_TEXT_EXTENSIONS = ("json", "md", "txt", "csv")

KINDS: dict[str, Kind] = {
    "image": Kind(
        gettext_lazy("an image"),
        {
            "jpg": FileType("image/jpeg", _prefixes(b"\xff\xd8\xff")),
            "jpeg": FileType("image/jpeg", _prefixes(b"\xff\xd8\xff")),
            "png": FileType("image/png", _prefixes(b"\x89PNG\r\n\x1a\n")),
            "gif": FileType("image/gif", _prefixes(b"GIF87a", b"GIF89a")),
            "webp": FileType("image/webp", _riff(b"WEBP")),
            "heic": FileType("image/heic", _ftyp(*_HEIF_BRANDS)),
            "heif": FileType("image/heif", _ftyp(*_HEIF_BRANDS)),
        },
    ),
    "video": Kind(
        gettext_lazy("a video"),
        {
            "mp4": FileType("video/mp4", _ftyp(*_ISO_VIDEO_BRANDS)),
            "m4v": FileType("video/x-m4v", _ftyp(*_ISO_VIDEO_BRANDS)),
            "mov": FileType("video/quicktime", _ftyp(*_ISO_VIDEO_BRANDS)),
            "webm": FileType("video/webm", _prefixes(b"\x1a\x45\xdf\xa3")),
            "mkv": FileType("video/x-matroska", _prefixes(b"\x1a\x45\xdf\xa3")),
            "avi": FileType("video/x-msvideo", _riff(b"AVI ")),
        },
    ),
    "archive": Kind(
        gettext_lazy("an archive"),
        {
            "zip": FileType("application/zip", _ZIP),
            "7z": FileType("application/x-7z-compressed", _prefixes(b"7z\xbc\xaf\x27\x1c")),
            "rar": FileType("application/vnd.rar", _prefixes(b"Rar!\x1a\x07")),
            "tar.gz": FileType("application/gzip", _prefixes(b"\x1f\x8b")),
            "tgz": FileType("application/gzip", _prefixes(b"\x1f\x8b")),
            "tar": FileType("application/x-tar", (((257, b"ustar"),),)),
        },
    ),
    # Scratch projects are zips; a kind of their own so "code" can include them.
    "project": Kind(
        gettext_lazy("a Scratch project"),
        {
            "sb3": FileType("application/x.scratch.sb3", _ZIP),
            "sb2": FileType("application/x.scratch.sb2", _ZIP),
        },
    ),
    "pdf": Kind(
        gettext_lazy("a PDF document"),
        {"pdf": FileType("application/pdf", _prefixes(b"%PDF-"))},
    ),
    # Office files are zips too; we cannot tell them apart without unpacking, and we don't.
    "document": Kind(
        gettext_lazy("a document"),
        {
            "docx": FileType(
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document", _ZIP
            ),
            "xlsx": FileType(
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", _ZIP
            ),
            "pptx": FileType(
                "application/vnd.openxmlformats-officedocument.presentationml.presentation", _ZIP
            ),
            "odt": FileType("application/vnd.oasis.opendocument.text", _ZIP),
            "ods": FileType("application/vnd.oasis.opendocument.spreadsheet", _ZIP),
            "odp": FileType("application/vnd.oasis.opendocument.presentation", _ZIP),
        },
    ),
    # Code and text are all stored as text/plain: an uploaded .html or .js must never be
    # rendered by the browser on our site, only shown or downloaded.
    "text": Kind(
        gettext_lazy("a text file"),
        dict.fromkeys(_CODE_EXTENSIONS + _TEXT_EXTENSIONS, _TEXT),
    ),
    "model": Kind(
        gettext_lazy("a 3D model"),
        {"stl": FileType("model/stl", check="stl")},
    ),
}

# Every accepted extension → (kind name, type). Built once from KINDS.
TYPES: dict[str, tuple[str, FileType]] = {
    ext: (kind_name, file_type)
    for kind_name, kind in KINDS.items()
    for ext, file_type in kind.types.items()
}
MULTI_EXTENSIONS = tuple(ext for ext in TYPES if "." in ext)  # "tar.gz": more than one dot

# Words a teacher may type in "accepted types" instead of extensions (the admin is Russian).
KEYWORDS: dict[str, tuple[str, ...]] = {
    "images": ("image",),
    "photos": ("image",),
    "изображения": ("image",),
    "фото": ("image",),
    "video": ("video",),
    "videos": ("video",),
    "видео": ("video",),
    "archives": ("archive",),
    "архивы": ("archive",),
    "code": ("text", "project"),
    "код": ("text", "project"),
    "documents": ("pdf", "document"),
    "документы": ("pdf", "document"),
    "models": ("model",),
    "модели": ("model",),
}

# How a pupil's page names the kinds, in one short line ("photos, video, PDF, archives, code"),
# in this order; the exact extensions are for those who ask.
PLAIN_NAMES: dict[str, Promise] = {
    "image": gettext_lazy("photos"),
    "video": gettext_lazy("video"),
    "pdf": gettext_lazy("PDF"),
    "document": gettext_lazy("documents"),
    "archive": gettext_lazy("archives"),
    "text": gettext_lazy("code"),
    "project": gettext_lazy("Scratch projects"),
    "model": gettext_lazy("3D models"),
}


def plain_kinds(extensions: Iterable[str]) -> list[Promise]:
    """The plain names of the kinds that any of `extensions` belongs to, in PLAIN_NAMES order:
    what a pupil reads instead of forty extensions."""
    kinds = {TYPES[ext][0] for ext in extensions if ext in TYPES}
    return [name for kind, name in PLAIN_NAMES.items() if kind in kinds]


# The same format under two names: a teacher who allows "jpg" means IMG_0001.JPEG too.
_ALIASES: tuple[frozenset[str], ...] = (
    frozenset({"jpg", "jpeg"}),
    frozenset({"heic", "heif"}),
    frozenset({"tar.gz", "tgz"}),
)

# --- accepted types ---------------------------------------------------------------------------


def with_aliases(extensions: Iterable[str]) -> set[str]:
    """The extensions with the other names of their formats ("jpg" brings "jpeg")."""
    result = set(extensions)
    for group in _ALIASES:
        if result & group:
            result |= group
    return result


def normalise_extensions(text: str) -> tuple[list[str], list[str]]:
    """Parse a teacher's "accepted types" (".jpg, png; PDF  zip", "images, code") into
    (known extensions sorted without dots, unknown words as typed) so a form can name the
    unknown ones. Keywords expand to their kinds; SVG counts as unknown: it is never accepted."""
    known: set[str] = set()
    unknown: list[str] = []
    for word in re.split(r"[\s,;]+", text or ""):
        token = word.strip().lower().lstrip("*").lstrip(".")
        if not token:
            continue
        if token in KEYWORDS:
            for kind_name in KEYWORDS[token]:
                known.update(KINDS[kind_name].types)
        elif token in TYPES:
            known.add(token)
        elif word not in unknown:
            unknown.append(word)
    return sorted(with_aliases(known)), unknown
