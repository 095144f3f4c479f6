"""Markdown that makes parsers and sanitisers slow, each text exactly `length` characters long.

Used by tests/cms/test_markdown_speed.py (structure and a generous cap) and bench/markdown_speed.py
(the figures). Each entry is a known way to make some renderer quadratic: unclosed brackets and
image openers (Python-Markdown: "[" * 20000 took 70 s), emphasis delimiters, deep quotes and
lists (html5ever walks its stack of open elements for each new block), long reference
definitions, backtick runs, and the characters a sanitiser must escape ("<", "&"). The last
ones are dense but ordinary markup at the limit (many links, items, headings, table rows).
"""

from __future__ import annotations


def _fill(unit: str, length: int) -> str:
    return (unit * (length // len(unit) + 1))[:length]


def _lines(make, length: int) -> str:
    out, size, i = [], 0, 0
    while size < length:
        line = make(i)
        out.append(line)
        size += len(line)
        i += 1
    return "".join(out)[:length]


def pathological_corpus(length: int) -> dict[str, str]:
    half = length // 2
    corpus = {
        "open brackets": _fill("[", length),
        "image openers": _fill("![", length),
        "brackets then parens": _fill("[](", length),
        "unclosed links": _fill("[a](", length),
        "nested link openers": _fill("[a", half) + _fill("](b)", length - half),
        "reference links": _fill("[x]", length - 9) + "\n\n[x]: /u",
        "emphasis runs": _fill("*a **", length),
        "underscore runs": _fill("_a __", length),
        "stars": _fill("*", length),
        "strikethrough runs": _fill("~~a ", length),
        "nested emphasis": _fill("*a _b ", half) + _fill(" c_ d*", length - half),
        "deep quotes": _fill(">", length),
        "deep quotes spaced": _fill("> ", length),
        "quotes in lists": _fill("- > ", length),
        "deep ordered lists": _fill("1. ", length),
        "indented lists": _lines(lambda i: "  " * (i % 400) + "- x\n", length),
        "long reference definition": "[a]: " + _fill("x", length - 5),
        "many reference definitions": _lines(lambda i: f"[r{i}]: /u{i}\n", length),
        "backtick run": _fill("`", length),
        "backtick runs of every length": _lines(lambda i: "`" * (i % 500 + 1) + " ", length),
        "fence openers": _fill("```\n", length),
        "less-than": _fill("<", length),
        "tag openers": _fill("<a ", length),
        "nested tags": _fill("<div>", length),
        "html comments": _fill("<!--", length),
        "cdata openers": _fill("<![CDATA[", length),
        "autolink openers": _fill("<http://", length),
        "ampersands": _fill("&", length),
        "ampersands spaced": _fill("& ", length),
        "entity openers": _fill("&#", length),
        "named entities": _fill("&copy;", length),
        "no-break spaces": _fill("\u00a0", length),
        "table rows": "|a|b|\n|-|-|\n" + _fill("|x|y|\n", length - 12),
        "wide table, short rows": "|".join(["a"] * 2000)
        + "\n"
        + "|".join(["-"] * 2000)
        + "\n"
        + _fill("x\n", max(length - 8000, 0)),
        "pipes": _fill("|", length),
        "headings": _fill("# a\n", length),
        "setext headings": _fill("a\n=\n", length),
        "many links": _fill("[a](/b) ", length),
        "many bare links": _fill("www.a.ru ", length),
        "many foreign images": _fill("![a](http://e.com/x.png) ", length),
        "many items": _fill("- x\n", length),
        "many strong": _fill("**x** ", length),
        "many fenced python": _fill("```python\nx = '<&>'\n```\n", length),
        "nasty code": "```cpp\n" + _fill("\\", length - 11) + "\n```\n",
    }
    return {name: text[:length] for name, text in corpus.items()}
