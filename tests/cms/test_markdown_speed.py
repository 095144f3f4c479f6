"""Every text up to its limit renders in linear time (Python-Markdown once took 70 s on
"[" * 20000).

The figures (the budget is 100 ms a text on the CI machine) come from
`bench/markdown_speed.py`; this test checks what each pathological text renders to, that it
is safe, and a cap ten times the budget, so that a quadratic path cannot come back unnoticed."""

import html
import re
import time

import pytest
from django.conf import settings

from cms.markdown import MAX_NESTING, MAX_TABLE_CELLS, _render_uncached, render_markdown
from tests.cms.pathological_markdown import pathological_corpus
from tests.cms.test_markdown_xss import assert_safe_html

CAP_SECONDS = 1.0
LIMIT = settings.LMS_MARKDOWN_MAX_CHARS
CORPUS = pathological_corpus(LIMIT)
# Shown as plain text: nesting far beyond any real lesson.
PLAIN = {"deep quotes", "deep quotes spaced", "quotes in lists", "deep ordered lists"}


def _visible_text(output: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", output))


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_pathological_text_at_the_limit_renders_fast_and_safe(name):
    text = CORPUS[name]
    assert len(text) == LIMIT
    started = time.perf_counter()
    output = _render_uncached(text)
    elapsed = time.perf_counter() - started
    assert elapsed < CAP_SECONDS, f"{name}: {elapsed:.2f} s"
    assert_safe_html(output)
    if name in PLAIN:
        assert output.startswith('<pre class="markdown-plain">')
        assert html.unescape(output[len('<pre class="markdown-plain">') : -len("</pre>")]) == text
    elif "reference definition" not in name:  # definitions alone show nothing, as in GFM
        assert output.strip()
    # No output balloons: what the sanitiser and the browser get stays in proportion.
    assert len(output) < 30 * LIMIT


def test_open_brackets_stay_text():
    output = render_markdown("[" * 5000)
    assert output == "<p>" + "[" * 5000 + "</p>\n"


def test_less_than_and_ampersand_are_escaped_once():
    output = render_markdown("< & <b> &amp;")
    assert output == "<p>&lt; &amp; &lt;b&gt; &amp;</p>\n"


def test_nesting_up_to_the_bound_renders_as_markdown():
    depth = MAX_NESTING // 4  # each level of a list in a list is <ul><li>
    text = "".join("  " * i + "- level\n" for i in range(depth))
    output = render_markdown(text)
    assert output.count("<ul>") == depth


def test_nesting_beyond_the_bound_is_plain_text():
    text = "".join("  " * i + "- level\n" for i in range(MAX_NESTING))
    output = render_markdown(text)
    assert output.startswith('<pre class="markdown-plain">')
    assert "<ul>" not in output


def test_tables_render_until_their_cells_pass_the_bound():
    row = "|x" * 10 + "|\n"
    table = "| " + " | ".join("h" * 10) + " |\n|" + "---|" * 10 + "\n" + row * 20
    output = render_markdown(table + "\n" + table)
    assert output.count("<table>") == 2
    rows = MAX_TABLE_CELLS // 10 + 1
    huge = "| " + " | ".join("h" * 10) + " |\n|" + "---|" * 10 + "\n" + row * rows
    output = render_markdown(table + "\n" + huge)
    assert output.count("<table>") == 1  # the first stays a table, the huge one shows as text
    assert "|x|x|" in _visible_text(output)


def test_a_wide_header_cannot_multiply_short_rows():
    text = "|".join(["a"] * 500) + "\n" + "|".join(["-"] * 500) + "\n" + "x\n" * 2000
    output = render_markdown(text)
    assert "<table>" not in output
    assert len(output) < 10 * len(text)


def test_fenced_code_is_coloured_up_to_a_budget(settings):
    settings.LMS_MARKDOWN_HIGHLIGHT_MAX_CHARS = 100
    short = "```python\nprint(1)\n```\n"
    long = "```python\n" + "x = 1\n" * 40 + "```\n"
    output = render_markdown(short + "\n" + long)
    assert output.count('<div class="highlight">') == 1
    assert "<pre><code>x = 1\n" in output  # over budget: plain, still escaped and monospaced


def test_unknown_language_is_plain_code():
    output = render_markdown("```brainfuck\n+[<>]\n```")
    assert output == "<pre><code>+[&lt;&gt;]\n</code></pre>\n"
