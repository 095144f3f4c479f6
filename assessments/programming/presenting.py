"""How verdicts and results are shown: labels in the reader's language, and the JSON the
exercise page polls. Hidden tests give their verdict, time and memory, never their data."""

from __future__ import annotations

import difflib
import html
import re

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from assessments.programming.models import CodeSubmission, JudgedTest
from assessments.programming.models.judging import VERDICTS
from assessments.programming.spec import Verdict
from cms.markdown import render_markdown
from lms import numbers

LABELS = dict(VERDICTS)
EMOJI = {
    Verdict.OK: "✅",
    Verdict.WA: "❌",
    Verdict.PE: "📐",
    Verdict.TLE: "⏱",
    Verdict.MLE: "🧠",
    Verdict.OLE: "📜",
    Verdict.RE: "💥",
    Verdict.CE: "🛠",
    Verdict.SE: "⛔",
    Verdict.IE: "⚙️",
}


def verdict_label(verdict: str, signal: int | None = None) -> str:
    if not verdict:
        return ""
    label = str(LABELS.get(verdict, verdict))
    if verdict == Verdict.RE and signal:
        label = _("%(label)s (signal %(signal)s)") % {"label": label, "signal": signal}
    return label


def state_label(code: CodeSubmission) -> str:
    if code.state == CodeSubmission.State.QUEUED:
        return _("Waiting for the judge…")
    if code.state == CodeSubmission.State.RUNNING:
        return _("Testing…")
    return verdict_label(code.verdict)


def test_row(row: JudgedTest, *, for_teacher: bool = False) -> dict:
    shown = for_teacher or row.is_example
    return {
        "number": row.index + 1,
        "verdict": row.verdict,
        "label": verdict_label(row.verdict, row.exit_signal),
        "emoji": EMOJI.get(row.verdict, ""),
        "is_example": row.is_example,
        "subtask": row.subtask + 1,
        "time_s": row.time_s,
        "memory_kb": row.memory_kb,
        "output": row.output_excerpt if shown else "",
        "message": row.message if shown else "",
    }


def status(code: CodeSubmission, rows: list[JudgedTest], *, for_teacher: bool = False) -> dict:
    grade = getattr(code.submission, "grade", None)
    released = grade is not None and grade.is_released
    return {
        "state": code.state,
        "done": code.state == CodeSubmission.State.DONE,
        "verdict": code.verdict,
        "label": state_label(code),
        "emoji": EMOJI.get(code.verdict, "⏳") if code.verdict else "⏳",
        "tests_total": code.tests_total,
        "tests_passed": sum(row.verdict == Verdict.OK for row in rows),
        # "6", "6,5": at most two places, no trailing zeros, the reader's locale (lms.numbers).
        "points": (
            numbers.number(grade.final_points)
            if released and grade.final_points is not None
            else None
        ),
        "max_points": numbers.number(code.submission.assignment.max_points),
        "compile_output": code.compile_output if code.verdict in (Verdict.CE, "") else "",
        "tests": [test_row(row, for_teacher=for_teacher) for row in rows],
    }


def diff_lines(before: str, after: str) -> list[tuple[str, str]]:
    """A line diff for the teacher: (kind, text) with kind "add", "del", "same" or "gap"."""
    lines = []
    matcher = difflib.SequenceMatcher(a=before.splitlines(), b=after.splitlines(), autojunk=False)
    for group in matcher.get_grouped_opcodes(3):
        if lines:
            lines.append(("gap", "…"))
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                lines += [("same", line) for line in matcher.a[i1:i2]]
                continue
            lines += [("del", line) for line in matcher.a[i1:i2]]
            lines += [("add", line) for line in matcher.b[j1:j2]]
    return lines


# A statement's formulas as problem packages write them (docs/problem-package.md): $$...$$ on
# their own line, $...$ inside one. Drawn by KaTeX in the browser (static/js/site.js).
_FORMULA = re.compile(r"\$\$(.{1,500}?)\$\$|(?<![\\$])\$([^$\n]{1,500}?)(?<!\\)\$", re.S)
_FORMULA_SLOT = "CODEFORMULA{}X"


def statement_html(text: str) -> SafeString:
    """A problem's statement: markdown through the one sanitiser, its formulas taken out first
    (markdown would read their underscores and backslashes) and put back, escaped."""
    found: list[str] = []

    def keep(match: re.Match) -> str:
        display = match.group(1) is not None
        latex = match.group(1) if display else match.group(2)
        found.append(
            f'<span class="formula" data-display="{"true" if display else "false"}">'
            f"{html.escape(latex.strip())}</span>"
        )
        return _FORMULA_SLOT.format(len(found) - 1)

    rendered = str(render_markdown(_FORMULA.sub(keep, text)))
    for number, formula in enumerate(found):
        rendered = rendered.replace(_FORMULA_SLOT.format(number), formula, 1)
    return mark_safe(rendered)  # noqa: S308 - sanitised, and the formulas escaped
