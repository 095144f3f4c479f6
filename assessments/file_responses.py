"""The one way a stored file of pupils' work leaves the site: a handed-in file, its thumbnail, a
teacher's feedback file, the "download all" archive, the grading page's preview.

Such a file is never rendered as a page of our site: it is sent with the type we detected when
it came in (never the browser's), as a download unless it is our own thumbnail or a preview,
with a policy that allows no scripts, plugins or sniffing, and kept by no cache (school
computers are shared). A file gone from storage answers 404, never 500. The views decide who may
open which file (assessments.permissions); this module only builds the response.

Previews (`inline`) show a pupil's file inside the grading page, to staff who grade it: the one
place a pupil's bytes are drawn by the teacher's browser rather than saved. Only two kinds:
* raster pictures browsers draw themselves (JPEG, PNG, GIF, WebP), and only those we made a
  thumbnail of when they came in: Pillow read them as one of these formats, under its pixel
  limit, so a decompression bomb is never inlined (HEIC, which most browsers cannot draw, has
  no thumbnail either: it stays a download). They keep the `sandbox` policy of downloads;
* PDFs, drawn by the browser's own PDF viewer, which runs apart from the page (Chromium: an
  extension process; Firefox: pdf.js with its own scripting sandbox), never as our HTML.
  Chromium refuses to start its viewer inside a document with a CSP `sandbox` (it shows a
  "blocked" page instead), so a PDF preview is sent without that one token, under
  `default-src 'none'` still (the document loads and runs nothing of ours or its own).
Never SVG, HTML, text or anything else: they stay downloads, whatever a row claims. The detected
type is checked once more against the file's first bytes when it is sent (bytes that do not
match answer 404), with `nosniff`, `Cross-Origin-Resource-Policy: same-origin`, and framing
allowed only to our own pages (`frame-ancestors 'self'`, X-Frame-Options SAMEORIGIN).
"""

from __future__ import annotations

import logging
from typing import IO

from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404

from assessments import file_types

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


# --- Previews on the grading page -------------------------------------------------------------

INLINE_IMAGE_TYPES = frozenset({"image/jpeg", "image/png", "image/gif", "image/webp"})
PDF_TYPE = "application/pdf"
IMAGE_INLINE_POLICY = "default-src 'none'; frame-ancestors 'self'; sandbox"
# No `sandbox`: Chromium's PDF viewer will not start under it (see the module's note).
PDF_INLINE_POLICY = "default-src 'none'; frame-ancestors 'self'"
# The signatures of the previewable types, from the table uploads judge files by.
_INLINE_SIGNATURES = {
    file_type.content_type: file_type.signatures
    for kind in ("image", "pdf")
    for file_type in file_types.KINDS[kind].types.values()
    if file_type.content_type in INLINE_IMAGE_TYPES | {PDF_TYPE}
}
_HEAD_BYTES = 64


def inline_kind(content_type: str, *, has_thumbnail: bool) -> str | None:
    """How a file may be previewed on a page: "image", "pdf", or None (a download only).
    A picture only if we could make its thumbnail (see the module's note)."""
    if content_type in INLINE_IMAGE_TYPES and has_thumbnail:
        return "image"
    if content_type == PDF_TYPE:
        return "pdf"
    return None


def _looks_like(content_type: str, head: bytes) -> bool:
    return any(
        all(head[offset : offset + len(part)] == part for offset, part in signature)
        for signature in _INLINE_SIGNATURES.get(content_type, ())
    )


def inline(field: FieldFile, *, filename: str, content_type: str) -> FileResponse:
    """A previewable file (see `inline_kind`; the caller checks it) shown inside our page.
    404 if its first bytes are not what the type says."""
    stream = open_or_404(field)
    head = stream.read(_HEAD_BYTES)
    if not _looks_like(content_type, head):
        stream.close()
        log.warning("Preview refused, the bytes do not match %s: %s", content_type, field.name)
        raise Http404
    stream.seek(0)
    response = FileResponse(stream, filename=filename, content_type=content_type)
    if "Content-Disposition" not in response:  # no name: still never a download prompt
        response["Content-Disposition"] = "inline"
    _protected(response)
    policy = PDF_INLINE_POLICY if content_type == PDF_TYPE else IMAGE_INLINE_POLICY
    response["Content-Security-Policy"] = policy
    response["X-Frame-Options"] = "SAMEORIGIN"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    return response


def thumbnail(field: FieldFile) -> FileResponse:
    """A thumbnail we made, shown inline on our pages."""
    response = FileResponse(open_or_404(field), content_type=THUMBNAIL_TYPE)
    response["Content-Disposition"] = "inline"
    return _protected(response)


def archive(stream: IO[bytes], *, filename: str) -> FileResponse:
    """A ZIP built for this request (the caller's temporary file, closed with the response)."""
    response = FileResponse(stream, as_attachment=True, filename=filename, content_type=ZIP_TYPE)
    return _protected(response)
