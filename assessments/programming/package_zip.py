"""Reading an uploaded zip in memory without trusting it: names, sizes, counts and entry kinds are
checked before anything is used, and bytes are counted while decompressing because the sizes a
zip declares can lie. Nothing is ever written to disk, so a hostile name can only be refused."""

from __future__ import annotations

import re
import stat
import zipfile
import zlib
from dataclasses import dataclass, field
from io import BytesIO
from typing import BinaryIO

from django.utils.translation import gettext as _

# A high ratio alone is not an attack: 10 MB of equal numbers (a real olympiad test) deflates
# ~515:1. Deflate cannot pass ~1030:1, so this catches long runs of one byte and bzip2 or LZMA
# entries (whose ratio has no bound); the ratio is judged only once an entry is big enough.
MAX_RATIO = 1000
RATIO_FLOOR_BYTES = 8 * 1024 * 1024
CHUNK = 64 * 1024

_DRIVE = re.compile(r"^[A-Za-z]:")
# Left behind by macOS and Windows archivers; never part of a problem.
_JUNK_DIRS = ("__MACOSX",)
_JUNK_FILES = (".DS_Store", "Thumbs.db", "desktop.ini")


@dataclass
class Archive:
    """The usable members of a zip: normalised name -> ZipInfo, top folder already stripped."""

    zf: zipfile.ZipFile | None = None
    members: dict[str, zipfile.ZipInfo] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _read_all(data: bytes | BinaryIO, max_bytes: int) -> bytes | None:
    if isinstance(data, bytes | bytearray | memoryview):
        raw = bytes(data)
    else:
        raw = data.read(max_bytes + 1)  # one byte more tells "too big" without reading it all
    return None if len(raw) > max_bytes else raw


def _unsafe(name: str) -> str | None:
    """Why a member name must not be used, or None."""
    if "\x00" in name:
        return _("contains a NUL character")
    if "\\" in name:
        return _("uses backslashes (re-create the archive with a standard zip tool)")
    if name.startswith("/") or _DRIVE.match(name):
        return _("is an absolute path")
    if ".." in name.split("/"):
        return _("points outside the archive (“..”)")
    return None


def _shown(name: str) -> str:
    # Names go into messages: printable and short whatever the archive holds.
    name = name.replace("\x00", "\\0")
    return name if len(name) <= 120 else name[:117] + "..."


def open_archive(data: bytes | BinaryIO, *, max_bytes: int, max_files: int) -> Archive:
    """Open the zip and list its usable members; errors mean the archive must not be used."""
    out = Archive()
    try:
        raw = _read_all(data, max_bytes)
    except (OSError, ValueError) as exc:
        out.errors.append(_("The package could not be read: %(error)s") % {"error": exc})
        return out
    if raw is None:
        out.errors.append(
            _("The package is larger than %(size)s KB.") % {"size": max_bytes // 1024}
        )
        return out
    try:
        zf = zipfile.ZipFile(BytesIO(raw))
        infos = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        out.errors.append(_("The package is not a zip archive (or the archive is damaged)."))
        return out
    if len(infos) > max_files:
        out.errors.append(
            _("The package has %(count)d entries; at most %(max)d are allowed.")
            % {"count": len(infos), "max": max_files}
        )
        return out

    members: dict[str, zipfile.ZipInfo] = {}
    symlinks: list[str] = []
    for info in infos:
        name = info.orig_filename  # zipfile cuts .filename at a NUL; the original shows it
        reason = _unsafe(name)
        if reason:
            out.errors.append(
                _("Entry “%(name)s” %(reason)s.") % {"name": _shown(name), "reason": reason}
            )
            continue
        if stat.S_ISLNK(info.external_attr >> 16):
            symlinks.append(name)
            continue
        parts = [p for p in name.split("/") if p not in ("", ".")]
        if info.is_dir() or not parts:
            continue
        if parts[0] in _JUNK_DIRS or parts[-1] in _JUNK_FILES:
            continue
        if info.flag_bits & 0x1:
            out.errors.append(
                _("Entry “%(name)s” is encrypted; packages with passwords are not accepted.")
                % {"name": _shown(name)}
            )
            continue
        norm = "/".join(parts)
        if norm in members:
            out.errors.append(
                _("Entry “%(name)s” appears in the archive twice.") % {"name": _shown(norm)}
            )
            continue
        members[norm] = info
    if symlinks:
        out.warnings.append(
            _("Symbolic links are ignored: %(names)s.") % {"names": list_names(symlinks)}
        )
    if out.errors:
        return out
    out.zf = zf
    out.members = _strip_top_folder(members)
    return out


def _strip_top_folder(members: dict[str, zipfile.ZipInfo]) -> dict[str, zipfile.ZipInfo]:
    """An archive made by zipping the problem's folder holds everything under `name/`."""
    tops = {name.split("/", 1)[0] for name in members}
    if len(tops) != 1 or any("/" not in name for name in members):
        return members
    return {name.split("/", 1)[1]: info for name, info in members.items()}


def read_members(
    archive: Archive, names: list[str], *, max_unpacked_bytes: int
) -> dict[str, bytes] | None:
    """Decompress the given members, counting real bytes; None (with errors added) on a bomb,
    a damaged entry or an unsupported compression method."""
    assert archive.zf is not None
    declared = sum(archive.members[n].file_size for n in names)
    if declared > max_unpacked_bytes:
        archive.errors.append(_too_big(max_unpacked_bytes))
        return None
    out: dict[str, bytes] = {}
    total = 0
    for name in names:
        info = archive.members[name]
        chunks: list[bytes] = []
        size = 0
        try:
            with archive.zf.open(info) as f:
                while chunk := f.read(CHUNK):
                    size += len(chunk)
                    total += len(chunk)
                    if total > max_unpacked_bytes:
                        archive.errors.append(_too_big(max_unpacked_bytes))
                        return None
                    if size > RATIO_FLOOR_BYTES and size > MAX_RATIO * max(info.compress_size, 1):
                        archive.errors.append(
                            _(
                                "Entry “%(name)s” is compressed more than %(ratio)d times; "
                                "such archives (zip bombs) are refused."
                            )
                            % {"name": _shown(name), "ratio": MAX_RATIO}
                        )
                        return None
                    chunks.append(chunk)
        except NotImplementedError:
            archive.errors.append(
                _("Entry “%(name)s” uses a compression method that is not supported.")
                % {"name": _shown(name)}
            )
            return None
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, RuntimeError, ValueError):
            archive.errors.append(
                _("Entry “%(name)s” is damaged (its size or checksum does not match).")
                % {"name": _shown(name)}
            )
            return None
        out[name] = b"".join(chunks)
    return out


def _too_big(limit: int) -> str:
    return _("Unpacked, the package is larger than %(size)s KB.") % {"size": limit // 1024}


def list_names(names: list[str], limit: int = 5) -> str:
    """A few names for a message, then how many more."""
    shown = ", ".join(_shown(n) for n in names[:limit])
    if len(names) > limit:
        shown += " " + _("and %(count)d more") % {"count": len(names) - limit}
    return shown
