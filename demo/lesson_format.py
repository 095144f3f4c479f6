"""The lesson file format: Markdown, with fenced blocks for what Markdown has no syntax for.

    :::callout tip Если загрузка не идёт
    Проверьте, что выбран правильный порт.
    :::

A line starting with `:::name` opens a block and a line `:::` closes it; `:key: value` lines
right after the opening line are the block's short fields; the rest is its text, kept as
written. Text between blocks is a Markdown block. demo/content/README.md is the manual.

parse_lesson() gives the body as (block type, value) pairs. Pictures and worksheets stay keys
(`arduino_board`) until the loader swaps them for database ids.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

OPEN = ":::"
STEP = "::step"
OPTION = re.compile(r"^:([a-z_]+):(?:\s(.*))?$")
DISPLAY = {"block": True, "inline": False}


@cache
def choices(block: str, field: str) -> tuple[str, ...]:
    """The values a choice field of the lesson body accepts (the code block's languages, the
    callout's kinds), read from LessonPage's own StreamField: a typo in a lesson file fails
    here, not silently in a page, and the list is never copied."""
    from courses.models import LessonPage

    stream = LessonPage._meta.get_field("body").stream_block
    chooser = stream.child_blocks[block].child_blocks[field]
    return tuple(value for value, _label in chooser.field.choices)


Block = tuple[str, object]


class LessonFormatError(ValueError):
    """A mistake in a lesson file, with the file and line a methodologist can open."""

    def __init__(self, where: str, line: int, message: str) -> None:
        super().__init__(f"{where}, line {line}: {message}")


@dataclass
class _Directive:
    """One `:::name argument` … `:::` block as read, before it becomes a value."""

    name: str
    argument: str
    options: dict[str, str]
    lines: list[str]  # the text after the options, as written
    line: int  # where the block opens (1-based)
    text_line: int  # where its text (after the options) starts
    where: str

    def error(self, message: str, line: int | None = None) -> LessonFormatError:
        return LessonFormatError(self.where, line or self.line, message)

    def text(self, required: bool) -> str:
        text = _trim(self.lines)
        if required and not text:
            raise self.error(f"the {self.name} block has no text")
        if not required and text:
            raise self.error(f"the {self.name} block takes no text, only :field: lines")
        return text

    def option(self, name: str) -> str:
        return self.options.get(name, "")

    def allow(self, *names: str) -> None:
        for name in self.options:
            if name not in names:
                allowed = ", ".join(f":{n}:" for n in names) or "none"
                raise self.error(
                    f"the {self.name} block has no :{name}: field (allowed: {allowed})"
                )

    def check_choice(self, value: str, field: str, what: str) -> str:
        """`value` if LessonPage's block accepts it in `field`, else an error listing those it
        accepts."""
        known = choices(self.name, field)
        if value not in known:
            raise self.error(f"unknown {what} {value!r} (known: {', '.join(known)})")
        return value

    def need_argument(self, what: str) -> str:
        if not self.argument:
            raise self.error(f"write the {what} after :::{self.name}")
        return self.argument


def _trim(lines: list[str]) -> str:
    """Blank lines at the edges go; everything else (indentation too) stays as written."""
    start, end = 0, len(lines)
    while start < end and not lines[start].strip():
        start += 1
    while end > start and not lines[end - 1].strip():
        end -= 1
    return "\n".join(lines[start:end])


def _split_options(
    lines: list[str], first_line: int, where: str
) -> tuple[dict[str, str], list[str], int]:
    """The leading `:key: value` lines; returns them, the remaining lines and where those start."""
    options: dict[str, str] = {}
    count = 0
    while count < len(lines) and (match := OPTION.match(lines[count])):
        name, value = match.group(1), (match.group(2) or "").strip()
        if name in options:
            raise LessonFormatError(where, first_line + count, f":{name}: is given twice")
        options[name] = value
        count += 1
    return options, lines[count:], first_line + count


def parse_lesson(text: str, where: str = "lesson") -> list[Block]:
    """The lesson body of a lesson file, in order, as (block type, value) pairs."""
    # Only \n and \r\n end a line: str.splitlines() would also split on characters (U+2028,
    # form feed) that a text may hold.
    lines = text.replace("\r\n", "\n").split("\n")
    body: list[Block] = []
    prose: list[str] = []

    def flush() -> None:
        markdown = _trim(prose)
        if markdown:
            body.append(("markdown", markdown))
        prose.clear()

    index = 0
    while index < len(lines):
        line = lines[index]
        if line.rstrip() == OPEN:
            raise LessonFormatError(where, index + 1, "this ::: closes no block")
        if not line.startswith(OPEN):
            prose.append(line)
            index += 1
            continue
        flush()
        name, _, argument = line[len(OPEN) :].strip().partition(" ")
        end = index + 1
        while end < len(lines) and lines[end].rstrip() != OPEN:
            if lines[end].startswith(OPEN):
                raise LessonFormatError(
                    where, end + 1, f"blocks do not nest: close :::{name} (line {index + 1}) first"
                )
            end += 1
        if end == len(lines):
            raise LessonFormatError(where, index + 1, f":::{name} is never closed with :::")
        options, rest, text_line = _split_options(lines[index + 1 : end], index + 2, where)
        directive = _Directive(name, argument.strip(), options, rest, index + 1, text_line, where)
        body.append(_block(directive))
        index = end + 1
    flush()
    return body


def _block(d: _Directive) -> Block:
    builder = BUILDERS.get(d.name)
    if builder is None:
        known = ", ".join(f":::{name}" for name in BUILDERS)
        raise d.error(f"unknown block :::{d.name} (known: {known})")
    return d.name, builder(d)


def _image(d: _Directive) -> dict:
    d.allow("alt", "caption")
    key = d.need_argument("picture's key")
    d.text(required=False)
    return {"image": key, "alt_text": d.option("alt"), "caption": d.option("caption")}


def _code(d: _Directive) -> dict:
    d.allow("caption")
    language = d.check_choice(d.need_argument("language"), "language", "language")
    return {"language": language, "code": d.text(required=True), "caption": d.option("caption")}


def _callout(d: _Directive) -> dict:
    d.allow()
    kind, _, title = d.need_argument("kind").partition(" ")
    d.check_choice(kind, "kind", "callout kind")
    return {"kind": kind, "title": title.strip(), "text": d.text(required=True)}


def _formula(d: _Directive) -> dict:
    d.allow("caption", "display")
    if d.argument:
        raise d.error("the formula goes on the lines below :::formula")
    display = d.option("display") or "block"
    if display not in DISPLAY:
        raise d.error(f":display: is block or inline, not {display!r}")
    return {
        "latex": d.text(required=True),
        "display": DISPLAY[display],
        "caption": d.option("caption"),
    }


def _file(d: _Directive) -> dict:
    d.allow("title", "description")
    key = d.need_argument("worksheet's key")
    d.text(required=False)
    return {"document": key, "title": d.option("title"), "description": d.option("description")}


def _video(d: _Directive) -> dict:
    d.allow("caption")
    url = d.need_argument("video's link")
    d.text(required=False)
    return {"url": url, "caption": d.option("caption")}


def _steps(d: _Directive) -> dict:
    d.allow()
    lines, steps = d.lines, []
    starts = [i for i, line in enumerate(lines) if line.startswith(STEP)]
    if not starts:
        raise d.error("a steps block needs at least one ::step line")
    stray = [i for i in range(starts[0]) if lines[i].strip()]
    if stray:
        raise d.error("text before the first ::step", d.text_line + stray[0])
    for number, start in enumerate(starts):
        end = starts[number + 1] if number + 1 < len(starts) else len(lines)
        header, header_line = lines[start], d.text_line + start
        if header != STEP and not header.startswith(STEP + " "):
            raise d.error(f"write ::step, then the step's title: {header!r}", header_line)
        options, rest, _ = _split_options(lines[start + 1 : end], header_line + 1, d.where)
        for name in options:
            if name != "photo":
                raise d.error(f"a step has no :{name}: field (allowed: :photo:)", header_line)
        text = _trim(rest)
        if not text:
            raise d.error("this step has no text", header_line)
        steps.append(
            {
                "title": header[len(STEP) :].strip(),
                "text": text,
                "photo": options.get("photo") or None,
            }
        )
    return {"title": d.argument, "steps": steps}


BUILDERS = {
    "image": _image,
    "code": _code,
    "callout": _callout,
    "formula": _formula,
    "file": _file,
    "video": _video,
    "steps": _steps,
}
