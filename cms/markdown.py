"""Markdown rendering and the one HTML sanitiser of the project.

Every piece of user-written HTML (lesson markdown, callouts, steps, later submission text and
feedback) passes through `sanitize_html`, usually via `render_markdown`. Rendering is pure and
cached by a hash of the text, so a popular lesson is rendered once, not once per pupil.
"""

import hashlib
import html
import re

import markdown
import nh3
from django.conf import settings
from django.core.cache import cache

# Bump when the renderer or the allow-list changes, so cached HTML is not reused across versions.
RENDERER_VERSION = "4"

ALLOWED_TAGS = frozenset(
    {
        "a", "abbr", "b", "blockquote", "br", "caption", "code", "dd", "del", "details", "div",
        "dl", "dt", "em", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd",
        "li", "mark", "ol", "p", "pre", "q", "s", "small", "span", "strong", "sub", "summary",
        "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul",
    }
)  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "img": {"src", "alt", "title", "width", "height"},
    "td": {"colspan", "rowspan", "align"},
    "th": {"colspan", "rowspan", "align", "scope"},
    "ol": {"start"},
    # Pygments marks tokens with classes; classes only select rules of our own stylesheet.
    "code": {"class"},
    "div": {"class"},
    "pre": {"class"},
    "span": {"class"},
}
ALLOWED_URL_SCHEMES = frozenset({"http", "https", "mailto"})

_EXTENSIONS = ["fenced_code", "tables", "sane_lists", "codehilite"]
_EXTENSION_CONFIGS = {
    "codehilite": {"css_class": "highlight", "guess_lang": False, "use_pygments": True},
}


_URL_ATTRIBUTES = frozenset({"href", "src"})
# Characters a browser ignores or an author may hide inside a scheme: whitespace, controls,
# zero-width and soft-hyphen characters.
_URL_NOISE = re.compile(r"[\s\x00-\x1f\x7f\u00ad\u200b-\u200f\u2060\ufeff\ufffd]+")
_SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):", re.IGNORECASE)


def _filter_attribute(tag: str, attribute: str, value: str) -> str | None:
    """Drop a URL whose scheme, once hidden characters are removed, is not allowed. nh3 checks
    schemes too, but markdown turns a tab in "java\tscript:" into spaces first, which would
    otherwise leave a link that merely looks harmless."""
    if attribute in _URL_ATTRIBUTES:
        match = _SCHEME.match(_URL_NOISE.sub("", value))
        if match and match.group(1).lower() not in ALLOWED_URL_SCHEMES:
            return None
    return value


def sanitize_html(dirty: str) -> str:
    """Strip everything that could run script or load foreign active content."""
    return nh3.clean(
        dirty,
        tags=set(ALLOWED_TAGS),
        attributes={tag: set(attrs) for tag, attrs in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(ALLOWED_URL_SCHEMES),
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
        attribute_filter=_filter_attribute,
    )


def _render_uncached(text: str) -> str:
    limit = settings.LMS_MARKDOWN_MAX_CHARS
    if len(text) > limit:
        # Forms refuse such text; if some still arrives (old data, an import), show it as plain
        # text instead of spending seconds of CPU on it.
        return f'<pre class="markdown-too-long">{html.escape(text[:limit])}</pre>'
    md = markdown.Markdown(extensions=_EXTENSIONS, extension_configs=_EXTENSION_CONFIGS)
    return sanitize_html(md.convert(text))


def render_markdown(text: str) -> str:
    """Render Markdown (fenced code, tables, highlighted code) to sanitised HTML."""
    if not text or not text.strip():
        return ""
    digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
    key = f"md:{RENDERER_VERSION}:{digest}"
    rendered = cache.get(key)
    if rendered is None:
        rendered = _render_uncached(text)
        cache.set(key, rendered, settings.LMS_MARKDOWN_CACHE_SECONDS)
    return rendered
