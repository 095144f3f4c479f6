"""The cells of a results file's row, each read on its own: a contest time, a score, a
verdict. Pure functions returning the value, or None and a translated reason (the row's line
is added by the caller)."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from contests import import_verdicts
from contests.models import Task
from lms.numbers import number

PLACES = Decimal("1e-10")  # Run.score's decimal places
_NUMBER = re.compile(r"\d+(?:[.,]\d*)?")
_CLOCK_PART = re.compile(r"\d+")


def clock(seconds: int) -> str:
    """Contest time as h:mm:ss."""
    return f"{seconds // 3600}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"


def parse_time(text: str) -> tuple[int | None, str]:
    """Seconds, or None and why not."""
    text = text.replace(" ", "").replace("\u2212", "-")  # Excel may write a real minus sign
    if not text:
        return None, _("no time_seconds.")
    if text.startswith("-") and (_NUMBER.fullmatch(text[1:]) or ":" in text):
        return None, _("the time “%(value)s” is negative.") % {"value": text}
    if _NUMBER.fullmatch(text):
        return int(Decimal(text.replace(",", "."))), ""  # a fraction is rounded down
    parts = text.split(":")
    if 2 <= len(parts) <= 3:
        *whole, last = parts
        seconds_text = last.replace(",", ".")
        if all(_CLOCK_PART.fullmatch(part) for part in whole) and _NUMBER.fullmatch(last):
            values = [int(part) for part in whole] + [int(Decimal(seconds_text))]
            if all(value < 60 for value in values[1:]):
                total = 0
                for value in values:
                    total = total * 60 + value
                return total, ""
    return None, _("the time “%(value)s” is not a number of seconds (or h:mm:ss).") % {
        "value": text[:40]
    }


def parse_score(text: str, task: Task) -> tuple[Decimal | None, str]:
    text = text.replace(" ", "").replace("\u2212", "-")
    if not text:
        return None, _("no score.")
    try:
        score = Decimal(text.replace(",", "."))
    except InvalidOperation:
        score = None
    if score is None or not score.is_finite():
        return None, _("the score “%(value)s” is not a number.") % {"value": text[:40]}
    if score < 0:
        return None, _("the score %(value)s is negative.") % {"value": text}
    if score > task.max_score:
        return None, _("the score %(value)s is more than task %(label)s's %(max)s points.") % {
            "value": text,
            "label": task.label,
            "max": number(task.max_score),
        }
    return score.quantize(PLACES), ""


def parse_verdict(text: str) -> tuple[str | None, str]:
    if not text:
        return None, _("no verdict.")
    verdict = import_verdicts.verdict_of(text)
    if verdict is not None:
        return verdict, ""
    if import_verdicts.is_not_final(text):
        return None, _(
            "“%(value)s” is not a final verdict (pending, ignored, skipped or disqualified "
            "runs never count): remove the row, or give the run's final verdict."
        ) % {"value": text[:40]}
    return None, _(
        "unknown verdict “%(value)s” (known: OK/AC, WA, TLE/TL, MLE/ML, RTE/RE, OLE, PE, CE, "
        "IE/CF, SV, PT and their full names)."
    ) % {"value": text[:40]}


def score_verdict(score: Decimal, task: Task) -> str:
    if score >= task.max_score:
        return "OK"
    return "PT" if score > 0 else "WA"
