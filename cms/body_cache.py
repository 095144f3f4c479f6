"""A page body rendered once per revision and language, kept in the shared cache.

Rendering a StreamField body (templates per block, pictures' renditions, one query per chooser
block type) is most of a lesson page's cost, and it is the same for every reader. So the body
is rendered into a list of HTML segments and cached under a key that names everything it
depends on:

    lms:body:<page id>:<live revision id>:<digest of the body's raw JSON>:<language>:<v>

* a publish makes a new live revision (and usually a new digest): a new key, so no stale body
  is served once the publish has committed; the old entry simply expires;
* the digest also covers writes that bypass revisions (code, data migrations, `load_demo`);
* the language, since block templates hold translated words ("Copy", "Tip");
* `BODY_CACHE_VERSION`: bump it when a block template changes what it outputs.

What a body shows that can change without a new revision of the page: a picture's or a file's
title, file, size or renditions (renamed, replaced, deleted). Those are kept in the fragment,
and every save or delete of an image, a rendition or a document moves the *media generation*
(a random token in the shared cache, read in the same round trip as the body): an entry made
under another generation is rendered again. Markdown cannot link to objects (a link is the URL
as typed), so no page title or URL is inside a fragment.

Blocks whose objects belong to apps above this one (a lesson's assignment card: its title,
points, due date in the reader's time zone, archived or not) are never cached: they are
"live" segments, rendered on every request from values the caller fetched in bulk
(`render_body(..., live_types=..., known=...)`). A fragment is rendered without the request
or the user in its context, so nothing personal (names, progress, CSRF tokens) can reach it.

A cache that fails (Redis down) makes the page slower, never wrong: every cache call is
guarded and the body is then rendered afresh.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db.models import Model
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe
from wagtail.blocks import ChooserBlock, StreamValue, StructBlock

from lms import generations

logger = logging.getLogger(__name__)

BODY_CACHE_VERSION = "1"
GENERATION_KEY = "lms:body:media-generation"
WRAPPER = '<div class="block block-{type}">{html}</div>'


@dataclass(frozen=True)
class Live:
    """A block rendered per request, not cached: its position in the body and its type."""

    index: int
    block_type: str


Segment = str | Live


def body_digest(stream: StreamValue) -> str:
    raw = json.dumps(list(stream.raw_data), sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.blake2b(raw.encode(), digest_size=10).hexdigest()


def body_key(page: Model, stream: StreamValue, language: str) -> str:
    revision = getattr(page, "live_revision_id", None) or 0
    digest = body_digest(stream)
    return f"lms:body:{page.pk}:{revision}:{digest}:{language}:{BODY_CACHE_VERSION}"


def bump_media_generation(**_kwargs) -> None:
    """A picture, rendition or document changed: every cached body is rendered again."""
    generations.move(GENERATION_KEY)


def render_segments(stream: StreamValue, live_types: Iterable[str] = ()) -> list[Segment]:
    """The body as HTML pieces; live blocks are left as placeholders. Rendered without the
    request or the user, so a fragment cannot hold anything personal."""
    live = set(live_types)
    segments: list[Segment] = []
    context = {"LANGUAGE_CODE": translation.get_language()}
    for index, item in enumerate(stream.raw_data):
        block_type = item["type"]
        if block_type in live:
            segments.append(Live(index, block_type))
            continue
        bound = stream[index]  # converts all blocks of this type at once (bulk chooser fetch)
        html = bound.render(context=context)
        segments.append(WRAPPER.format(type=block_type, html=html))
    return segments


def cached_segments(page: Model, stream: StreamValue, live_types: Iterable[str]) -> list[Segment]:
    key = body_key(page, stream, translation.get_language() or settings.LANGUAGE_CODE)
    try:
        found = cache.get_many([key, GENERATION_KEY])
        generation = generations.current(GENERATION_KEY, found.get(GENERATION_KEY))
    except Exception:
        logger.warning("Body cache unavailable; rendering afresh", exc_info=True)
        return render_segments(stream, live_types)
    entry = found.get(key)
    if entry is not None and entry[0] == generation:
        return entry[1]
    segments = render_segments(stream, live_types)
    try:
        cache.set(key, (generation, segments), settings.LMS_BODY_CACHE_SECONDS)
    except Exception:
        logger.warning("Could not store a rendered body", exc_info=True)
    return segments


def live_value(block, raw, known: Mapping[type, Mapping[int, Model]]):
    """A live block's value, with its chosen objects taken from `known` (fetched in bulk by the
    caller) instead of one query per block. A chosen object not in `known` is None: the
    block's template shows nothing for it."""
    if isinstance(block, ChooserBlock) and block.model_class in known:
        return known[block.model_class].get(raw)
    if isinstance(block, StructBlock):
        items = []
        for name, child in block.child_blocks.items():
            child_raw = (raw or {}).get(name, child.get_default())
            items.append((name, live_value(child, child_raw, known)))
        return block._to_struct_value(items)
    return block.to_python(raw)


def render_live(
    stream: StreamValue, segment: Live, context: Mapping, known: Mapping[type, Mapping[int, Model]]
) -> str:
    block = stream.stream_block.child_blocks[segment.block_type]
    raw = stream.raw_data[segment.index]["value"]
    html = block.render(live_value(block, raw, known), context=dict(context))
    return WRAPPER.format(type=segment.block_type, html=html)


def render_body(
    page: Model,
    stream: StreamValue,
    context: Mapping,
    *,
    live_types: Iterable[str] = (),
    known: Mapping[type, Mapping[int, Model]] | None = None,
    use_cache: bool = True,
) -> SafeString:
    """The whole body as HTML: cached segments with the live blocks rendered for this request.
    `use_cache=False` for previews and drafts (not the live revision)."""
    live = tuple(live_types)
    segments = cached_segments(page, stream, live) if use_cache else render_segments(stream, live)
    parts = []
    for segment in segments:
        if isinstance(segment, Live):
            parts.append(render_live(stream, segment, context, known or {}))
        else:
            parts.append(segment)
    # Every segment is the output of a block template (autoescaped) or of the one sanitiser.
    return mark_safe("".join(parts))  # noqa: S308
