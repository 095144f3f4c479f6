"""Markdown rendering and the one HTML sanitiser of the project.

Every piece of user-written HTML (lesson markdown, callouts, steps, submission text, feedback)
passes through `sanitize_html`, usually via `render_markdown`. Rendering is pure and cached by a
hash of the text, so a popular lesson is rendered once, not once per pupil.

Why cmark-gfm (through `cmarkgfm`), and not Python-Markdown or markdown-it-py: every text up to
its limit must render in well under 100 ms, whatever a pupil types. Python-Markdown is quadratic
(`"[" * 20000` took 70 s); markdown-it-py is linear but pure Python (`"![" * 100000` takes about
3 s); GitHub's cmark-gfm is a linear C parser (the same text: about 15 ms), and is what PyPI
renders READMEs with. `bench/markdown_speed.py` measures the pathological corpus.

Three things around the parser keep the whole pipeline linear and small:
* raw HTML is not markdown here: `<b>` typed by a pupil shows as `<b>` (and cannot nest the
  sanitiser's parser thousands of levels deep, which is quadratic in html5ever);
* tables are bounded (GFM fills every short row up to the header's width, so a wide header
  and many one-character rows would make megabytes of cells);
* nesting of quotes and lists is bounded; a text beyond the bounds is shown as plain text.
"""

from __future__ import annotations

import hashlib
import html
import re
from functools import cache as memoize
from itertools import accumulate

import cmarkgfm
import nh3
from cmarkgfm.cmark import Options
from django.conf import settings
from django.core.cache import cache
from django.utils.safestring import SafeString, mark_safe
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import get_lexer_by_name
from pygments.token import STANDARD_TYPES

# Bump when the renderer or the allow-list changes, so cached HTML is not reused across versions.
RENDERER_VERSION = "5"

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
}
# Classes only as Pygments writes them: text must not borrow the site's buttons or messages
# (`class="button"`, `class="message error"`) to look like part of the page.
PYGMENTS_CLASSES = frozenset(name for name in STANDARD_TYPES.values() if name)
ALLOWED_CLASSES = {"div": frozenset({"highlight"}), "span": PYGMENTS_CLASSES}
ALLOWED_URL_SCHEMES = frozenset({"http", "https", "mailto"})

_URL_ATTRIBUTES = frozenset({"href", "src"})
# Characters a browser ignores or an author may hide inside a scheme: whitespace, controls,
# zero-width and soft-hyphen characters.
_URL_NOISE = re.compile(r"[\s\x00-\x1f\x7f\u00ad\u200b-\u200f\u2060\ufeff\ufffd]+")
_SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):", re.IGNORECASE)


def is_own_url(url: str) -> bool:
    """A URL on this site: a path ("/media/…") or a relative one, never another host. Pictures
    in pupils' and teachers' texts may only come from here (no tracking pixels, no pictures a
    stranger can change after a teacher has read the text)."""
    cleaned = _URL_NOISE.sub("", html.unescape(url)).replace("\\", "/")
    if cleaned.startswith("//"):
        return False
    return _SCHEME.match(cleaned) is None


def _filter_attribute(tag: str, attribute: str, value: str) -> str | None:
    """Drop a URL whose scheme, once hidden characters are removed, is not allowed, and a
    picture from another site. nh3 checks schemes too, but a tab in "java\tscript:" would
    otherwise leave a link that merely looks harmless."""
    if attribute in _URL_ATTRIBUTES:
        match = _SCHEME.match(_URL_NOISE.sub("", value.replace(_AMP, "&")))
        if match and match.group(1).lower() not in ALLOWED_URL_SCHEMES:
            return None
        if tag == "img" and not is_own_url(value.replace(_AMP, "&")):
            return None
    return value


@memoize
def _cleaner() -> nh3.Cleaner:
    return nh3.Cleaner(
        tags=set(ALLOWED_TAGS),
        attributes={tag: set(attrs) for tag, attrs in ALLOWED_ATTRIBUTES.items()},
        allowed_classes={tag: set(names) for tag, names in ALLOWED_CLASSES.items()},
        url_schemes=set(ALLOWED_URL_SCHEMES),
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
        attribute_filter=_filter_attribute,
    )


# nh3 writes every "&" and no-break space of its output as an entity at about 2 µs each, ten
# times its cost per other character ("&" * 200000 took 0.44 s). They stand in as two private-use
# characters while it works (characters that mean nothing in a text, removed from the input).
_AMP, _NBSP = "\ue000", "\ue001"
_BARE_AMP = re.compile(r"&(?![A-Za-z][A-Za-z0-9]*;?|#)")  # an "&" that starts no reference
# What nh3 leaves of a class attribute none of whose names is allowed ("<" only opens tags).
_EMPTY_CLASS = re.compile(r'(<[a-z][a-z0-9]*) class=""')


def sanitize_html(dirty: str) -> str:
    """Strip everything that could run script, load foreign content or pose as the site."""
    dirty = dirty.replace(_AMP, "").replace(_NBSP, "")
    dirty = dirty.replace("&amp;", _AMP).replace("&nbsp;", _NBSP).replace("\xa0", _NBSP)
    dirty = _BARE_AMP.sub(_AMP, dirty)
    clean = _EMPTY_CLASS.sub(r"\1", _cleaner().clean(dirty))
    return clean.replace(_AMP, "&amp;").replace(_NBSP, "&nbsp;")


# --- Markdown -------------------------------------------------------------------------------

_CMARK_OPTIONS = Options.CMARK_OPT_DEFAULT  # "safe": javascript: and other URLs are dropped
_CMARK_EXTENSIONS = ["table", "strikethrough", "autolink"]

# "<" that could start raw HTML ("<b", "</b", "<!--", "<?php"): a zero-width space after it
# makes cmark read it as text; it is taken out of the HTML again below.
_RAW_HTML_START = re.compile(r"<(?=[A-Za-z][A-Za-z0-9-]*(?:[\s/>]|$)|/[A-Za-z]|[!?])")
_ZWSP = "\u200b"

# A GFM table's delimiter row with at least two columns ("|---|:-:|", "--- | ---").
_DELIMITER_ROW = re.compile(
    r"^[ \t]{0,3}\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)+\|?[ \t]*$", re.MULTILINE
)
_BLANK_LINE = re.compile(r"\n[ \t]*\n")
_CONTAINER_TAG = re.compile(r"<(/?)(?:blockquote|ol|ul|li)[ >]")
_CODE_BLOCK = re.compile(r'<pre><code(?: class="language-([^"]+)")?>([^<]*)</code></pre>')
_IMAGE = re.compile(r'<img src="([^"]*)" alt="([^"]*)"((?: title="[^"]*")?) />')

# Nesting beyond this (quotes, lists in lists) is never a real lesson or answer.
MAX_NESTING = 96
# Quotes deeper than that, seen in the source already: no need to parse them first.
_DEEP_QUOTE = re.compile(rf"^[ \t]*(?:>[ \t]*){{{MAX_NESTING + 1}}}", re.MULTILINE)
# Cells of all tables of one text; a class list of 30 pupils x 12 lessons is 372.
MAX_TABLE_CELLS = 20_000

# Fenced-code languages we highlight (Pygments lexer names); anything else stays plain text.
HIGHLIGHT_LANGUAGES = {
    "python": "python", "py": "python", "python3": "python",
    "cpp": "cpp", "c++": "cpp", "arduino": "arduino", "ino": "arduino", "c": "c",
    "javascript": "javascript", "js": "javascript", "html": "html", "css": "css",
    "bash": "bash", "sh": "bash", "shell": "bash", "json": "json", "java": "java",
}  # fmt: skip


@memoize
def _lexer(name: str):
    return get_lexer_by_name(name)


_FORMATTER = HtmlFormatter(nowrap=True)


def _bound_tables(text: str) -> str:
    """Leave tables alone until their cells, all together, pass MAX_TABLE_CELLS; past it, a
    table's delimiter row is escaped, so the table shows as the text it was typed as."""
    total = 0

    def check(match: re.Match) -> str:
        nonlocal total
        row = match.group(0)
        columns = len(re.findall(r"-+", row))
        blank = _BLANK_LINE.search(text, match.end())
        end = blank.start() if blank else len(text)
        total += columns * (text.count("\n", match.end(), end) + 2)
        if total <= MAX_TABLE_CELLS:
            return row
        return row.replace("-", "\\-", 1)

    return _DELIMITER_ROW.sub(check, text)


def _nesting(rendered: str) -> int:
    steps = (-1 if closing else 1 for closing in _CONTAINER_TAG.findall(rendered))
    return max(accumulate(steps), default=0)


def _highlight_code(rendered: str) -> str:
    """Colour fenced code in the languages we know, up to a budget of characters per text
    (Pygments costs 2-8 µs a character); the rest stays plain, monospaced code."""
    budget = settings.LMS_MARKDOWN_HIGHLIGHT_MAX_CHARS

    def colour(match: re.Match) -> str:
        nonlocal budget
        language = HIGHLIGHT_LANGUAGES.get((match.group(1) or "").lower())
        code = match.group(2)
        if language is None or len(code) > budget:
            return f"<pre><code>{code}</code></pre>"
        budget -= len(code)
        spans = highlight(html.unescape(code), _lexer(language), _FORMATTER)
        return f'<div class="highlight"><pre><code>{spans}</code></pre></div>'

    return _CODE_BLOCK.sub(colour, rendered)


def _link_foreign_images(rendered: str) -> str:
    """A picture from another site becomes a link to it (see `is_own_url`)."""

    def relink(match: re.Match) -> str:
        src, alt, title = match.groups()
        if is_own_url(src):
            return match.group(0)
        return f'<a href="{src}"{title}>{alt or src}</a>'

    return _IMAGE.sub(relink, rendered)


# The renderer's own fallbacks, shown as plain preformatted text (never an author's class).
PLAIN_TEXT_CLASSES = frozenset({"markdown-too-long", "markdown-plain"})


def _plain(text: str, css_class: str) -> str:
    return f'<pre class="{css_class}">{html.escape(text)}</pre>'


def _render_uncached(text: str) -> str:
    limit = settings.LMS_MARKDOWN_MAX_CHARS
    if len(text) > limit:
        # Forms refuse such text; if some still arrives (old data, an import), show it as plain
        # text instead of spending CPU on it.
        return _plain(text[:limit], "markdown-too-long")
    text = text.encode("utf-8", "replace").decode("utf-8")  # lone surrogates cannot be encoded
    if _DEEP_QUOTE.search(text):
        return _plain(text, "markdown-plain")
    source = _bound_tables(_RAW_HTML_START.sub("<" + _ZWSP, text))
    rendered = cmarkgfm.markdown_to_html_with_extensions(
        source, options=_CMARK_OPTIONS, extensions=_CMARK_EXTENSIONS
    )
    if _nesting(rendered) > MAX_NESTING:
        return _plain(text, "markdown-plain")
    rendered = rendered.replace("&lt;" + _ZWSP, "&lt;")
    rendered = _link_foreign_images(_highlight_code(rendered))
    return sanitize_html(rendered)


def render_markdown(text: str) -> SafeString:
    """Render Markdown (GFM: tables, fenced and highlighted code, strikethrough, autolinks) to
    sanitised HTML, marked safe here and nowhere else (no `mark_safe` or `|safe` on it)."""
    if not text or not text.strip():
        return SafeString("")
    digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
    key = f"md:{RENDERER_VERSION}:{digest}"
    rendered = cache.get(key)
    if rendered is None:
        rendered = _render_uncached(text)
        cache.set(key, rendered, settings.LMS_MARKDOWN_CACHE_SECONDS)
    return mark_safe(rendered)  # noqa: S308 - the output of the one sanitiser
