"""How the standings read: the text of a place, a cell, a score, the same on the page and in
the exports (rounded here, never in the standings: lms.numbers, 2 places, the active
language's decimal separator).

ICPC cells as scoreboards write them: "+" solved at the first run, "+2" solved after two
rejected runs, "−3" three rejected runs and not solved, with the contest time of the
accepted run ("1:07", hours and minutes); "?" runs not shown yet (the freeze, or still with
the judge). Points tasks: the points; "?" as well when runs wait."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from contests.ranking import ICPC, Cell, Row, Standings
from lms.numbers import number

MINUS = "−"  # U+2212: reads as a minus, and no spreadsheet takes it for a formula


@dataclass(frozen=True)
class CellText:
    text: str  # "+2", "−3", "85,5", "" (nothing yet)
    time: str  # "1:07" (ICPC, solved) or ""
    pending: str  # "?" or "?3" or ""
    css: str  # "ok first", "no", "pending", "points full", …
    changed: bool


def place(row: Row) -> str:
    if row.rank is None:
        return ""
    if row.rank_to and row.rank_to != row.rank:
        return f"{row.rank}–{row.rank_to}"
    return str(row.rank)


def status(row: Row) -> str:
    """Why a row has no place."""
    if row.withdrawn:
        return _("withdrawn")
    if row.out_of_competition:
        return _("out of competition")
    return ""


def clock(seconds: int | None) -> str:
    """Contest time as hours:minutes ("0:07", "2:45"), the minute the penalty counts."""
    if seconds is None:
        return ""
    minutes = seconds // 60
    return f"{minutes // 60}:{minutes % 60:02d}"


def score(value) -> str:
    return number(value)


def _pending(cell: Cell) -> str:
    if not cell.pending:
        return ""
    return "?" if cell.pending == 1 else f"?{cell.pending}"


def cell_text(cell: Cell, rules: str) -> CellText:
    pending = _pending(cell)
    if rules == ICPC:
        if cell.solved:
            text = "+" if cell.attempts <= 1 else f"+{cell.attempts - 1}"
            css = "ok first" if cell.first_solve else "ok"
            return CellText(text, clock(cell.solved_seconds), pending, css, cell.changed)
        text = f"{MINUS}{cell.attempts}" if cell.attempts else ""
        css = "pending" if pending else ("no" if cell.attempts else "")
        return CellText(text, "", pending, css, cell.changed)
    if cell.score is None:
        return CellText("", "", pending, "pending" if pending else "", cell.changed)
    if cell.solved:
        css = "points full first" if cell.first_solve else "points full"
    else:
        css = "points" if cell.score > 0 else "points zero"
    if pending:
        css += " pending"
    return CellText(score(cell.score), "", pending, css, cell.changed)


def export_cell(cell: Cell, rules: str) -> str:
    """One task's column of an export: the page's text in one line ("+2 1:07", "85,5 ?")."""
    shown = cell_text(cell, rules)
    return " ".join(part for part in (shown.text, shown.time, shown.pending) if part)


def legend(standings: Standings) -> list[tuple[str, str]]:
    """(mark, meaning) lines under the table."""
    if standings.rules == ICPC:
        lines = [
            ("+", _("solved at the first run")),
            ("+2", _("solved after 2 rejected runs")),
            (f"{MINUS}3", _("3 rejected runs, not solved yet")),
            ("1:07", _("contest time of the accepted run, hours:minutes")),
        ]
    else:
        lines = [("85", _("points for the task"))]
    lines.append(("?", _("runs not shown yet: the board is frozen or the judge is busy")))
    lines.append(("*", _("changed by the jury (an appeal)")))
    return lines


# --- The board's rows as HTML ------------------------------------------------------------
# A 1,000-row board has 12,000 cells: the template language would take a good part of a
# second over them, so the rows are written here, every text that people typed escaped.


def _cell_html(shown: CellText) -> str:
    # Short markup: a 1,000-row board is 12,000 of these (the CSS styles tbody td).
    parts = [f'<td class="{shown.css}">' if shown.css else "<td>", shown.text]
    if shown.time:
        parts.append(f"<small>{shown.time}</small>")
    if shown.pending:
        parts.append(f'<span class="q">{shown.pending}</span>')
    if shown.changed:
        parts.append('<span class="chg">*</span>')
    parts.append("</td>")
    return "".join(parts)


def rows_html(standings: Standings, *, show_category: bool) -> SafeString:
    """The <tr> rows of the board's table (the template writes the rest)."""
    rules = standings.rules
    icpc = rules == ICPC
    # Cells that read the same are written once (formatting points in the active language is
    # the slow part; an IOI board has only so many different scores).
    memo: dict[tuple, str] = {}
    totals: dict = {}
    out: list[str] = []
    for row in standings.rows:
        css = (
            ' class="withdrawn"'
            if row.withdrawn
            else (' class="ooc"' if row.out_of_competition else "")
        )
        who = escape(row.team_name or row.name)
        name = [f'<span class="who">{who}</span>']
        if row.team_name and row.name and row.name != row.team_name:
            name.append(f'<span class="sub">{escape(row.name)}</span>')
        if row.school_name:
            name.append(f'<span class="sub">{escape(row.school_name)}</span>')
        why = status(row)
        if why:
            name.append(f'<span class="tag">{escape(why)}</span>')
        out.append(
            f'<tr id="p-{row.participant_id}"{css}><td class="col-place">{place(row)}</td>'
            f'<th scope="row" class="col-name">{"".join(name)}</th>'
        )
        if show_category:
            out.append(f'<td class="col-cat">{escape(row.category_name)}</td>')
        if icpc:
            out.append(f'<td class="col-num">{row.solved}</td>')
            out.append(f'<td class="col-num">{row.penalty_minutes}</td>')
        else:
            total = totals.get(row.score)
            if total is None:
                total = totals[row.score] = score(row.score)
            out.append(f'<td class="col-num"><strong>{total}</strong></td>')
        for cell in row.cells:
            key = (
                cell.solved,
                cell.attempts,
                cell.solved_seconds if icpc else None,
                cell.score,
                cell.pending,
                cell.changed,
                cell.first_solve,
            )
            html = memo.get(key)
            if html is None:
                html = memo[key] = _cell_html(cell_text(cell, rules))
            out.append(html)
        out.append("</tr>\n")
    return mark_safe("".join(out))  # noqa: S308 - people's text escaped above
