"""The final protocol: per category the ranked table (place, full name, school, class, each
task's result, the total, the award), the contest's facts, and the jury's signature lines.
One plain structure that both the printable page and the XLSX file show.

Awards: once the results are published, those fixed then (Award rows); before, what the
rules give now, and the protocol says it is preliminary. The chair of the jury is whoever
the jury picks on the page (a contest names its jury, not its chair), by default the first
member by surname; with no jury named, the lines are left blank to be filled in by hand."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from contests import awards
from contests.models import Award, Contest, Participant
from contests.standings import Row, TaskHead
from events.certificates import dates_label
from lms import numbers
from lms.models import User
from lms.names import surname_key

BLANK_MEMBERS = 3  # signature lines to fill in by hand when the contest names no jury


@dataclass
class Line:
    place: str
    name: str
    team: str
    school: str
    class_number: int | None
    results: list[str]
    scores: list  # per task: the score (Decimal or None; ICPC: the result text)
    score: Decimal  # unrounded (ICPC: problems solved)
    solved: int
    penalty: int
    total: str
    award: str
    out_of_competition: bool = False


@dataclass
class Table:
    category: str
    tasks: list[TaskHead]
    lines: list[Line] = field(default_factory=list)


@dataclass
class Signer:
    user_id: int | None
    name: str  # "Фамилия И. О."; "" for a line left blank


@dataclass
class Protocol:
    contest: Contest
    dates: str
    rules: str
    kind: str
    icpc: bool
    preliminary: bool
    tables: list[Table]
    chair: Signer
    members: list[Signer]
    jury: list[Signer]  # everyone who may be chosen as chair


def place(row: Row) -> str:
    if row.rank is None:
        return ""
    if row.rank_to and row.rank_to != row.rank:
        return f"{row.rank}–{row.rank_to}"
    return str(row.rank)


def icpc_result(cell) -> str:
    """ "+", "+2" (accepted after two rejected runs), "−3" (three rejected), "" (none)."""
    if cell.solved:
        rejected = max(cell.attempts - 1, 0)
        return f"+{rejected}" if rejected else "+"
    if cell.attempts:
        return f"−{cell.attempts}"
    return ""


def points_result(cell) -> str:
    return "" if cell.score is None else numbers.number(cell.score)


def initials_name(user: User) -> str:
    """ "Фамилия И. О." from the account's names (the display name when there is no
    surname)."""
    last = (user.last_name or "").strip()
    firsts = (user.first_name or "").split()
    if not last:
        words = (user.display_name or "").split()
        if len(words) > 1:
            last, firsts = words[-1], words[:-1]
        else:
            return user.display_name or user.username
    initials = " ".join(f"{word[0].upper()}." for word in firsts if word[:1].isalpha())
    return f"{last} {initials}".strip()


def dates_of(contest: Contest) -> str:
    first = timezone.localtime(contest.starts_at).date()
    last = timezone.localtime(contest.ends_at - timedelta(microseconds=1)).date()
    return dates_label(first, max(first, last))


def _signers(contest: Contest, chair_id: int | None) -> tuple[Signer, list[Signer], list[Signer]]:
    people = sorted(contest.jury.all(), key=surname_key)
    jury = [Signer(user.pk, initials_name(user)) for user in people]
    if not jury:
        return Signer(None, ""), [Signer(None, "") for _n in range(BLANK_MEMBERS)], []
    chair = next((s for s in jury if s.user_id == chair_id), jury[0])
    return chair, [s for s in jury if s is not chair], jury


def build(contest: Contest, *, chair_id: int | None = None) -> Protocol:
    """The protocol from the jury's standings (a constant number of queries)."""
    icpc = contest.rules == Contest.Rules.ICPC
    participants = {
        p.pk: p for p in Participant.objects.filter(contest=contest).only("pk", "class_number")
    }
    published = contest.results_published_at is not None
    fixed = {}
    if published:
        fixed = dict(
            Award.objects.filter(participant__contest=contest).values_list(
                "participant_id", "award"
            )
        )
    tables = []
    for category, board, given in awards.preview(contest):
        table = Table(category.name if category else "", board.tasks)
        for row in board.rows:
            participant = participants.get(row.participant_id)
            if participant is None or row.withdrawn:
                continue
            show = icpc_result if icpc else points_result
            table.lines.append(
                Line(
                    place=place(row) if row.rank is not None else _("out of competition"),
                    name=row.name,
                    team=row.team_name,
                    school=row.school_name,
                    class_number=participant.class_number,
                    results=[show(cell) for cell in row.cells],
                    scores=[show(cell) if icpc else cell.score for cell in row.cells],
                    score=Decimal(row.solved) if icpc else row.score,
                    solved=row.solved,
                    penalty=row.penalty_minutes,
                    total=str(row.solved) if icpc else numbers.number(row.score),
                    award=fixed.get(row.participant_id, "")
                    if published
                    else given.get(row.participant_id, ""),
                    out_of_competition=row.rank is None,
                )
            )
        tables.append(table)
    chair, members, jury = _signers(contest, chair_id)
    return Protocol(
        contest=contest,
        dates=dates_of(contest),
        rules=contest.get_rules_display(),
        kind=contest.get_kind_display(),
        icpc=icpc,
        preliminary=not published,
        tables=tables,
        chair=chair,
        members=members,
        jury=jury,
    )


def made_at() -> str:
    return formats.date_format(timezone.localtime(), "j E Y")
