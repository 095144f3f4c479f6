"""Comparing a program's output with the expected answer: the four built-in `Comparison` modes
(the fifth, CHECKER, runs a program in the sandbox and is decided elsewhere).

Plain functions, no Django apart from gettext for the one pupil-facing hint. Everything here is
linear in the size of the output: a 10 MB output is compared in a fraction of a second.

Tokens are what `str.split()` gives: runs of non-whitespace, where whitespace is Unicode's (so a
no-break space separates tokens too: a pupil's "1\u00a0000" is the tokens of "1 000")."""

from __future__ import annotations

import math
import re
from decimal import Context, Decimal, InvalidOperation

from django.utils.translation import gettext as _

from .spec import Comparison, Verdict

_BOM = b"\xef\xbb\xbf"

# A number as the FLOAT mode accepts it: ASCII digits, '.' as the decimal point, an optional
# sign and exponent ("1e-3", "-0", "+5", "1.", ".5"). No "nan", "inf", "1_000" or "1,5", all of
# which Python's float() would take (the first three) or a pupil might mean (the last).
_NUMBER = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")

# Exact decimal arithmetic for the tolerance check near its edge: room for any exponent, and
# no traps (an absurd exponent overflows to Infinity, which is simply "not within tolerance").
_EXACT = Context(prec=60, Emax=999_999_999_999_999_999, Emin=-999_999_999_999_999_999, traps=[])

HINT_WIDTH = 60  # characters of a line shown in first_difference()


def decode_output(data: bytes) -> str:
    """A program's output as text, with newlines as '\\n'. Never raises.

    UTF-8 first (a leading BOM dropped); output that is not valid UTF-8 is read as cp1251, the
    Russian Windows code page (a test or a program made on Windows); bytes that are not even that
    (cp1251 leaves 0x98 undefined) are read as UTF-8 with U+FFFD in place of the bad bytes."""
    if data.startswith(_BOM):
        data = data[len(_BOM) :]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1251")
        except UnicodeDecodeError:
            text = data.decode("utf-8", errors="replace")
    return _newlines(text)


def _newlines(text: str) -> str:
    # \r\n first so that it becomes one newline, not two.
    if "\r" not in text:  # the usual case: no copies of a large output
        return text
    return text.replace("\r\n", "\n").replace("\r", "\n")


def compare(output: str, answer: str, mode: Comparison | str, tolerance: float = 1e-6) -> Verdict:
    """OK, WA or PE for `output` against the expected `answer` under `mode`.

    EXACT: equal (after \\r\\n -> \\n), a missing or extra final newline forgiven; otherwise PE
    if the tokens are equal, else WA. TRAILING: spaces and tabs at the ends of lines and blank
    lines at the end ignored; otherwise PE / WA as for EXACT. TOKENS: equal tokens are OK.
    FLOAT: tokens, numbers within `tolerance` (see `_numbers_close`). CHECKER raises ValueError:
    a checker program decides that, not this function."""
    mode = Comparison(mode)  # a plain string from a model field works too
    if mode is Comparison.CHECKER:
        raise ValueError("a CHECKER comparison is decided by the checker program")
    if not (math.isfinite(tolerance) and tolerance >= 0):
        raise ValueError(f"tolerance must be a finite non-negative number, not {tolerance!r}")
    output, answer = _newlines(output), _newlines(answer)
    if output == answer:  # the right answer laid out the same way: no splitting at all
        return Verdict.OK
    if mode is Comparison.EXACT:
        if output == answer + "\n" or output + "\n" == answer:
            return Verdict.OK
        return Verdict.PE if output.split() == answer.split() else Verdict.WA
    if mode is Comparison.TRAILING:
        if _trailing_lines(output) == _trailing_lines(answer):
            return Verdict.OK
        return Verdict.PE if output.split() == answer.split() else Verdict.WA
    if mode is Comparison.TOKENS:
        return Verdict.OK if output.split() == answer.split() else Verdict.WA
    return Verdict.OK if _floats_equal(output, answer, tolerance) else Verdict.WA


def _trailing_lines(text: str) -> list[str]:
    # Per line, not a regex over the whole text: `[ \t]+$` backtracks quadratically on a long
    # run of spaces followed by something else.
    lines = [line.rstrip(" \t") for line in text.split("\n")]
    while lines and not lines[-1]:
        lines.pop()
    return lines


def _floats_equal(output: str, answer: str, tolerance: float) -> bool:
    got, expected = output.split(), answer.split()
    if len(got) != len(expected):
        return False
    if got == expected:
        return True
    # float() takes more than _NUMBER does, but only through letters ("nan", "inf"), '_' or
    # non-ASCII digits. Where a text has none of '_' and non-ASCII, a token that float() parses
    # to a finite value is a _NUMBER, so the regex is needed only on the other side.
    got_plain = output.isascii() and "_" not in output
    expected_plain = answer.isascii() and "_" not in answer
    plain = got_plain and expected_plain
    isfinite = math.isfinite
    for g, e in zip(got, expected, strict=True):
        if g == e:
            continue
        if plain:  # the common case inlined: two plain numbers clearly within the tolerance
            try:
                b = float(e)
                diff = abs(float(g) - b)
            except ValueError:
                return False  # a word on either side, and the two differ
            if diff <= tolerance or (isfinite(diff) and diff <= tolerance * abs(b)):
                continue  # (a finite diff of two floats means both are finite: no nan, no inf)
        a = _finite(g, got_plain)
        b = _finite(e, expected_plain)
        if a is None or b is None:  # a word, "nan", "inf": compared exactly, and they differ
            return False
        if not _numbers_close(g, a, e, b, tolerance):
            return False
    return True


def _finite(token: str, plain: bool) -> float | None:
    """The token's value if it is a number as _NUMBER spells it; math.inf for such a number too
    large for a float ("1e400"); None for anything else."""
    try:
        value = float(token)
    except ValueError:
        return None
    if math.isfinite(value):
        return value if plain or _NUMBER.fullmatch(token) else None
    # "nan", "inf", "infinity" are not numbers here; "1e400" is one, just not a float.
    return math.inf if _NUMBER.fullmatch(token) else None


def _numbers_close(g: str, a: float, e: str, b: float, tolerance: float) -> bool:
    """testlib's doubleCompare: the pupil's `a` equals the answer's `b` when |a - b| <= tolerance
    (absolute) or |a - b| <= tolerance * |b| (relative), whichever is looser.

    In floats first; a pair that fails there is decided again in exact decimals from the tokens
    themselves, so that "0.100001" against "0.1" with tolerance 1e-6 is within it, as a person
    reading the numbers would say (in binary floating point the difference is 1.000000000001e-06).
    That second look happens only for a failing pair, so it costs nothing on right answers."""
    if math.isfinite(a) and math.isfinite(b):
        diff = abs(a - b)
        if diff <= tolerance or diff <= tolerance * abs(b):
            return True
    try:
        exact_a, exact_b, tol = Decimal(g), Decimal(e), Decimal(repr(tolerance))
    except InvalidOperation:  # cannot happen for _NUMBER tokens; never let it crash judging
        return False
    diff = _EXACT.abs(_EXACT.subtract(exact_a, exact_b))
    return diff <= tol or diff <= _EXACT.multiply(tol, _EXACT.abs(exact_b))


def first_difference(output: str, answer: str) -> str:
    """A short hint for the pupil: where the output first differs from the answer, as
    "line 3: expected «5», got «6»"; an empty string when the lines are the same.

    FOR EXAMPLE TESTS ONLY: the message shows the expected answer, which for a hidden test is
    exactly what must stay hidden. Never call this with a hidden test's answer.

    Lines are compared as written (after \\r\\n -> \\n; a missing or extra final newline is not
    a difference), so a trailing space shows up here even where TRAILING comparison forgives it:
    call this only for a test that failed. Each shown value is cut to HINT_WIDTH characters
    around the first differing character."""
    got = _newlines(output).removesuffix("\n").split("\n")
    expected = _newlines(answer).removesuffix("\n").split("\n")
    for number, (g, e) in enumerate(zip(got, expected, strict=False), start=1):
        if g != e:
            start = _first_diff_at(g, e)
            return _("line %(line)d: expected «%(expected)s», got «%(got)s»") % {
                "line": number,
                "expected": _cut(e, start),
                "got": _cut(g, start),
            }
    if len(got) < len(expected):
        number = len(got) + 1
        return _("line %(line)d: expected «%(expected)s», but the output ended") % {
            "line": number,
            "expected": _cut(expected[number - 1], 0),
        }
    if len(got) > len(expected):
        number = len(expected) + 1
        return _("line %(line)d: the output should have ended, got «%(got)s»") % {
            "line": number,
            "got": _cut(got[number - 1], 0),
        }
    return ""


def _first_diff_at(a: str, b: str) -> int:
    for i, (x, y) in enumerate(zip(a, b, strict=False)):
        if x != y:
            return i
    return min(len(a), len(b))


def _cut(value: str, diff_at: int) -> str:
    """At most HINT_WIDTH characters of `value`: a window that shows position `diff_at` with a
    little context before it; '…' marks what was cut off (and counts towards the width)."""
    if len(value) <= HINT_WIDTH:
        return value
    start = min(max(0, diff_at - HINT_WIDTH // 3), len(value) - HINT_WIDTH)
    head = "…" if start > 0 else ""
    tail = "…" if start + HINT_WIDTH < len(value) else ""
    return head + value[start + len(head) : start + HINT_WIDTH - len(tail)] + tail
