"""The one way a stored file of pupils' work leaves the site: a handed-in file, its thumbnail, a
teacher's feedback file, the "download all" archive.

Such a file is never rendered as a page of our site: it is sent with the type we detected when
it came in (never the browser's), as a download unless it is our own thumbnail, with a policy
that allows no scripts, plugins or sniffing, and kept by no cache (school computers are shared).
A file gone from storage answers 404, never 500. The views decide who may open which file
(assessments.permissions); this module only builds the response."""

from __future__ import annotations

import logging
from typing import IO

from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404

log = logging.getLogger("assessments")

PROTECTED_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; sandbox",
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "private, no-store",
}
ZIP_TYPE = "application/zip"
THUMBNAIL_TYPE = "image/jpeg"  # thumbnails are always JPEGs we made ourselves


def open_or_404(field: FieldFile) -> IO[bytes]:
    """The stored file, open for reading; 404 if it is gone from storage."""
    try:
        return field.open("rb")
    except (FileNotFoundError, OSError, ValueError):
        log.warning("Stored file missing from storage: %s", field.name)
        raise Http404 from None


def _protected(response: FileResponse) -> FileResponse:
    for header, value in PROTECTED_HEADERS.items():
        response[header] = value
    return response


def download(field: FieldFile, *, filename: str, content_type: str) -> FileResponse:
    """A stored file as a download under its safe display name."""
    response = FileResponse(
        open_or_404(field), as_attachment=True, filename=filename, content_type=content_type
    )
    return _protected(response)


def thumbnail(field: FieldFile) -> FileResponse:
    """A thumbnail we made, shown inline on our pages."""
    response = FileResponse(open_or_404(field), content_type=THUMBNAIL_TYPE)
    response["Content-Disposition"] = "inline"
    return _protected(response)


def archive(stream: IO[bytes], *, filename: str) -> FileResponse:
    """A ZIP built for this request (the caller's temporary file, closed with the response)."""
    response = FileResponse(stream, as_attachment=True, filename=filename, content_type=ZIP_TYPE)
    return _protected(response)
