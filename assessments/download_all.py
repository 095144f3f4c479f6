""" "Download all": the handed-in work of one assignment by ONE group, as a ZIP.

Moodle's CVE-2013-2079 was a "download all" that also packed other groups' work. Here the
submissions are selected by submission.group (the group the pupil worked in), never by who is a
member now, so another group's or school's pupils who did the same assignment are never in it,
and a pupil who has left keeps their work in the group's archive.

Each pupil gets one folder, "Иванова Мария (ivanova.maria)", with the files of their latest
handed-in attempt under their safe display names ("photo.jpg", "photo (2).jpg") and text.md if
they wrote text. Entry names are built only from cleaned display names, never from storage
paths or the request, so no entry can be absolute or contain "..". The archive is written into
a SpooledTemporaryFile (memory for small archives, disk beyond that) one file at a time, in
chunks, so big videos are never all held in memory.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
import zipfile
from dataclasses import dataclass, field
from datetime import datetime, tzinfo

from django.conf import settings
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments import uploads
from assessments.models import Assignment, Submission
from lms import names
from lms.models import StudyGroup

log = logging.getLogger("assessments")

CHUNK = 1024 * 1024
IN_MEMORY_BYTES = 16 * 1024 * 1024  # smaller archives never touch the disk
DEFAULT_MAX_BYTES = 4 * 1024**3
TEXT_NAME = "text.md"
# Already compressed: deflating them again costs time and saves nothing.
_STORED_PREFIXES = ("image/", "video/", "audio/")
_STORED_TYPES = {"application/zip", "application/x-7z-compressed", "application/vnd.rar"}
_ZIP_EPOCH = datetime(1980, 1, 1)  # the earliest time a ZIP entry can carry


def max_bytes() -> int:
    """The largest archive built on request (a setting; big projects are videos)."""
    return getattr(settings, "LMS_DOWNLOAD_ALL_MAX_BYTES", DEFAULT_MAX_BYTES)


def latest_attempts(group: StudyGroup, assignment: Assignment) -> list[Submission]:
    """The latest handed-in attempt of every pupil who worked on the assignment in this group,
    with pupil and files (2 queries)."""
    handed_in = Submission.objects.filter(group=group, assignment=assignment).exclude(
        status=Submission.Status.DRAFT
    )
    latest = handed_in.filter(pupil=OuterRef("pupil")).order_by("-attempt").values("attempt")[:1]
    return list(
        handed_in.filter(attempt=Subquery(latest))
        .select_related("pupil")
        .prefetch_related("files")
        .order_by("pupil__last_name", "pupil__first_name", "pupil__username")
    )


def unique_name(name: str, taken: set[str]) -> str:
    """`name`, or "stem (2).ext", "stem (3).ext"… if already taken (case-insensitively, as on
    Windows and macOS). Adds the result to `taken`."""
    extension = uploads.extension_of(name)
    cut = len(name) - len(extension) - 1 if extension else len(name)
    stem, suffix = name[:cut], name[cut:]
    candidate, n = name, 1
    while candidate.casefold() in taken:
        n += 1
        candidate = f"{stem} ({n}){suffix}"
    taken.add(candidate.casefold())
    return candidate


def entry_name(name: str) -> str:
    """One path part from untrusted text: separators become spaces (so "a/b" keeps both
    words), then the upload rules (no control, invisible or Windows-illegal characters, no
    leading dots, at most 120 characters)."""
    return uploads.safe_display_name(name.replace("/", " ").replace("\\", " "))


def pupil_folder(submission: Submission) -> str:
    pupil = submission.pupil
    return entry_name(f"{names.surname_first(pupil)} ({pupil.username})")


def _zip_time(moment: datetime | None, zone: tzinfo) -> tuple[int, int, int, int, int, int]:
    local = timezone.localtime(moment or timezone.now(), zone).replace(tzinfo=None)
    return max(local, _ZIP_EPOCH).timetuple()[:6]


def _compression(content_type: str) -> int:
    if content_type.startswith(_STORED_PREFIXES) or content_type in _STORED_TYPES:
        return zipfile.ZIP_STORED
    return zipfile.ZIP_DEFLATED


@dataclass
class ZipSummary:
    pupils: int = 0
    files: int = 0
    missing: list[str] = field(default_factory=list)  # entries whose stored file is gone


def write_zip(submissions: list[Submission], target, zone: tzinfo) -> ZipSummary:
    """Write the archive into the binary file object `target` (seekable)."""
    summary = ZipSummary()
    folders: set[str] = set()
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for submission in submissions:
            folder = unique_name(pupil_folder(submission), folders)
            summary.pupils += 1
            when = _zip_time(submission.submitted_at or submission.created_at, zone)
            names: set[str] = set()
            if submission.text.strip():
                info = zipfile.ZipInfo(f"{folder}/{unique_name(TEXT_NAME, names)}", when)
                info.compress_type = zipfile.ZIP_DEFLATED
                archive.writestr(info, submission.text.encode("utf-8"))
            for item in submission.files.all():
                # Stored names are already safe; cleaning again costs nothing and guards old rows.
                name = unique_name(uploads.safe_display_name(item.display_name), names)
                info = zipfile.ZipInfo(f"{folder}/{name}", when)
                info.compress_type = _compression(item.content_type)
                info.external_attr = 0o644 << 16
                try:
                    # The stored name comes from our own row, never from the request.
                    source = item.file.storage.open(item.file.name, "rb")
                except OSError:
                    log.warning("download all: missing file %s", item.file.name)
                    summary.missing.append(f"{folder}/{name}")
                    continue
                with source, archive.open(info, "w", force_zip64=True) as out:
                    shutil.copyfileobj(source, out, CHUNK)
                summary.files += 1
        if summary.missing:
            note = _("These files could not be found on the server:") + "\n"
            note += "".join(f"- {name}\n" for name in summary.missing)
            archive.writestr(entry_name(_("missing-files.txt")), note.encode("utf-8"))
    return summary


def archive_name(group: StudyGroup, assignment: Assignment) -> str:
    return entry_name(f"{assignment.title} — {group.name}") + ".zip"


def build_zip(submissions: list[Submission]) -> tuple[tempfile.SpooledTemporaryFile, ZipSummary]:
    """The archive in a temporary file, rewound for reading; the caller closes it."""
    zone = timezone.get_current_timezone()
    spool = tempfile.SpooledTemporaryFile(max_size=IN_MEMORY_BYTES)  # noqa: SIM115 - returned
    try:
        summary = write_zip(submissions, spool, zone)
    except BaseException:
        spool.close()
        raise
    spool.seek(0)
    return spool, summary


def total_size(submissions: list[Submission]) -> int:
    return sum(item.size for submission in submissions for item in submission.files.all())
