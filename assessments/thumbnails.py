"""The small JPEG shown on the pages for a photo a pupil handed in.

Made once, when the photo comes in, and only when Pillow can read the picture safely: only the
formats we accept as photos, never a picture with more than MAX_THUMBNAIL_PIXELS pixels
(checked from the header, before any pixel is decoded). No thumbnail is not an error."""

from __future__ import annotations

import io
import logging
from typing import IO

from PIL import Image, ImageOps

logger = logging.getLogger(__name__)

MAX_THUMBNAIL_PIXELS = 40_000_000  # a phone photo is ~12-50 MP; beyond that we skip the preview

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
