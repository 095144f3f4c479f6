"""Serving the public part of MEDIA_ROOT: Wagtail's pictures, nothing else.

MEDIA_ROOT also holds lesson documents, pupils' submissions, their thumbnails and teachers'
feedback files; those are only ever served by views that check who asks (Wagtail's document
serve view with its `before_serve_document` hook, assessments' file views). So there is no
raw `/media/` route: this view answers for images/ (renditions) and original_images/ only,
with an image content type taken from a short list, and 404 for everything else.

Production lets the web server serve those two folders and nothing else under /media/; this
view is for the development server and for a single machine without one
(LMS_SERVE_PUBLIC_MEDIA)."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.http import FileResponse, Http404, HttpRequest
from django.views.decorators.http import require_safe

# Folders Wagtail writes pictures to (AbstractImage.get_upload_to, AbstractRendition).
PUBLIC_PREFIXES = ("original_images/", "images/")
# Raster formats Wagtail accepts; never SVG (it can carry scripts that run on our origin).
IMAGE_TYPES = {
    "avif": "image/avif",
    "gif": "image/gif",
    "heic": "image/heic",
    "jpeg": "image/jpeg",
    "jpg": "image/jpeg",
    "png": "image/png",
    "webp": "image/webp",
}


def serves_public_media() -> bool:
    """Whether Django itself serves the public pictures (the web server does in production)."""
    return bool(settings.DEBUG or getattr(settings, "LMS_SERVE_PUBLIC_MEDIA", False))


def public_media_file(path: str) -> tuple[Path, str] | None:
    """The file and content type for a /media/ path, or None if it is not a public picture.
    Refuses other folders, dot segments, hidden files, symlinks out of the folder, folders."""
    if not path.startswith(PUBLIC_PREFIXES) or "\\" in path or "\x00" in path:
        return None
    parts = path.split("/")
    if any(part in ("", ".", "..") or part.startswith(".") for part in parts):
        return None
    content_type = IMAGE_TYPES.get(parts[-1].rpartition(".")[2].lower())
    if content_type is None or "." not in parts[-1]:
        return None
    root = Path(settings.MEDIA_ROOT).resolve()
    folder = (root / parts[0]).resolve()
    try:
        # resolve() follows symlinks: a link inside images/ must not lead anywhere else.
        full = (root / path).resolve(strict=True)
    except (OSError, RuntimeError):
        return None
    if not full.is_relative_to(folder) or not full.is_file():
        return None
    return full, content_type


@require_safe
def public_media(request: HttpRequest, path: str) -> FileResponse:
    if not serves_public_media():
        raise Http404
    found = public_media_file(path)
    if found is None:
        raise Http404
    full, content_type = found
    response = FileResponse(full.open("rb"), content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Disposition"] = "inline"
    # Renditions and originals get new names when they change, so they may be cached a day.
    response["Cache-Control"] = "public, max-age=86400"
    return response
