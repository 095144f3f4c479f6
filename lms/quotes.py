"""A title put inside quotes without doubling them.

Messages quote what they name: «%(title)s» in Russian, “%(title)s” in English. Titles often hold
quotes of their own ("Проект «Угадай число»"), and the message then reads «Проект «Угадай
число»» with two closing marks together. `inner_quotes` prepares such a title for the message:

* quotes around the whole title are dropped (the message puts its own): «Умный город» → Умный
  город;
* quotes inside it become the inner kind of the active language: „…“ in Russian («Проект „Угадай
  число“»), ‘…’ in English (“Project ‘Guess the number’”).

Pure text in, text out; the template escapes the result as usual."""

from __future__ import annotations

from django.utils.translation import get_language

# Opening → closing marks of the outer kind, as people type them.
PAIRS = {"«": "»", "“": "”", '"': '"', "„": "“"}
INNER = {"ru": ("„", "“"), "en": ("‘", "’")}


def _inner_marks() -> tuple[str, str]:
    language = (get_language() or "ru").split("-")[0]
    return INNER.get(language, INNER["ru"])


def _unwrapped(text: str) -> str:
    """The text without one pair of quotes around all of it (and only around all of it)."""
    if len(text) < 2 or PAIRS.get(text[0]) != text[-1]:
        return text
    inside = text[1:-1]
    # «Мяч» и «Кольцо»: the first and last marks belong to different pairs: keep them.
    if any(mark in inside for mark in (text[0], text[-1])):
        return text
    return inside.strip()


def inner_quotes(value) -> str:
    """The value as text, ready to be put inside the message's own quotes."""
    text = _unwrapped(str(value or "").strip())
    opening, closing = _inner_marks()
    out = []
    straight_open = False
    for char in text:
        if char == "«" or char == "„":
            out.append(opening)
        elif char == "»":
            out.append(closing)
        elif char == "“":
            # In „…“ (the German and Russian inner pair) it closes; in “…” it opens.
            out.append(closing if "„" in text else opening)
        elif char == "”":
            out.append(closing)
        elif char == '"':
            straight_open = not straight_open
            out.append(opening if straight_open else closing)
        else:
            out.append(char)
    return "".join(out)
