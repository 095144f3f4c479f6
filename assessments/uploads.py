"""Checking and naming the files pupils hand in: the one place that decides what is accepted.

Pure functions, no models and no database. The rules:

* a file is judged by its size (before anything is read), its extension and its content (magic
  bytes in the first 64 KB); the browser's content type is never trusted;
* programs and SVG pictures (which can carry scripts) are always refused;
* archives are only recognised by their signature, never unpacked on the server;
* files are stored under generated names; the pupil's name is only for display and download;
* photos get a small JPEG thumbnail when Pillow can read them safely.
"""

from __future__ import annotations

import codecs
import io
import logging
import re
import unicodedata
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import IO, Protocol

from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from PIL import Image, ImageOps

logger = logging.getLogger(__name__)

HEAD_BYTES = 64 * 1024  # all we ever read of an upload to judge it
MAX_THUMBNAIL_PIXELS = 40_000_000  # a phone photo is ~12-50 MP; beyond that we skip the preview

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
_MULTI_EXTENSIONS = tuple(ext for ext in TYPES if "." in ext)

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

# The same format under two names: a teacher who allows "jpg" means IMG_0001.JPEG too.
_ALIASES: tuple[frozenset[str], ...] = (
    frozenset({"jpg", "jpeg"}),
    frozenset({"heic", "heif"}),
    frozenset({"tar.gz", "tgz"}),
)

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


# --- accepted types ---------------------------------------------------------------------------


def _with_aliases(extensions: Iterable[str]) -> set[str]:
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
    return sorted(_with_aliases(known)), unknown


# --- names ------------------------------------------------------------------------------------


def extension_of(name: str) -> str:
    """The lowercase extension without the dot ("tar.gz" for double ones), or "" if none."""
    lower = name.lower()
    for multi in _MULTI_EXTENSIONS:
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
    allowed = _with_aliases(ext for ext in accepted if ext in TYPES) if accepted else set(TYPES)
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


# --- thumbnails -------------------------------------------------------------------------------

# Only the formats we accept as photos: Pillow can open dozens (EPS even runs Ghostscript).
_THUMBNAIL_FORMATS = ("JPEG", "PNG", "GIF", "WEBP")


def make_thumbnail(source: IO[bytes] | bytes, *, max_size: int = 480) -> bytes | None:
    """A JPEG at most max_size pixels on each side, upright per EXIF, or None if the picture
    cannot be read safely (unsupported like HEIC, broken, or too many pixels). None is not an
    error: the submission is kept and the page shows a file icon instead."""
    stream = io.BytesIO(source) if isinstance(source, bytes) else source
    try:
        stream.seek(0)
        # Opening reads only the header, so we can refuse a decompression bomb before the
        # pixels are decoded. We check here rather than lower Image.MAX_IMAGE_PIXELS, which is
        # process-wide and would also limit Wagtail's images; Pillow's own limit still applies.
        with Image.open(stream, formats=_THUMBNAIL_FORMATS) as image:
            width, height = image.size
            if width * height > MAX_THUMBNAIL_PIXELS:
                return None
            image.draft("RGB", (max_size, max_size))  # JPEG: decode at a reduced scale, fast
            picture = ImageOps.exif_transpose(image)
            picture.thumbnail((max_size, max_size))
            picture = _flatten(picture)
            out = io.BytesIO()
            picture.save(out, "JPEG", quality=82, optimize=True)
            return out.getvalue()
    except Exception:  # Pillow raises many types (OSError, SyntaxError, bomb errors…)
        logger.info("No thumbnail for an uploaded picture", exc_info=True)
        return None
    finally:
        if not isinstance(source, bytes):
            source.seek(0)  # leave the upload ready to be saved


def _flatten(picture: Image.Image) -> Image.Image:
    """RGB on white: transparent areas of a PNG would otherwise turn black in a JPEG."""
    if picture.mode in ("RGBA", "LA") or (picture.mode == "P" and "transparency" in picture.info):
        rgba = picture.convert("RGBA")
        background = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(background, rgba).convert("RGB")
    return picture.convert("RGB")
