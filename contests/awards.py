"""Awards by rule, per category, and publishing the results.

`award_for_rows` is a pure function over standings rows: a participant gets the award of the
first rule, in order (AwardRule.order, then its id), of their category or of every category,
whose every condition that is set holds:

- max_place N: the participant's place is at most N. A shared place counts by its top: a tie
  for places 3–5 with N = 3 gives all three the award (rank 3 ≤ 3), as olympiad regulations
  usually do; a tie for 4–5 with N = 3 gives none.
- min_score S: the score is at least S points, or S % of the contest's maximum
  (min_score_is_percent). Under ICPC the "score" is the number of problems solved and the
  maximum the number of tasks.
- max_share_percent P: the place is within the best P % of the category's ranked
  participants: rank ≤ P/100 × ranked, ties again by their top place (so a tie straddling the
  limit gets it whole).

Nobody out of the competition (or withdrawn: rank None) gets an award, and neither does a
participant with nothing: no points (IOI, judged) or nothing solved (ICPC): a tie of
everyone at zero would otherwise make everyone a winner.

`publish_results` (contests.diplomas issues the certificates) stores an Award row per
participant from the jury's standings, marks the results published and unfreezes the board."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Protocol

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from contests import diplomas, standings
from contests.models import Award, AwardRule, Category, Contest, Participant
from contests.standings import Row
from lms.models import User


class RuleLike(Protocol):
    category_id: int | None
    award: str
    max_place: int | None
    min_score: Decimal | None
    min_score_is_percent: bool
    max_share_percent: Decimal | None
    order: int


class PublishError(ValueError):
    """Results that cannot be published now; the message is for the jury (translated)."""


def _ordered(rules: Iterable[RuleLike]) -> list[RuleLike]:
    return sorted(rules, key=lambda rule: (rule.order, getattr(rule, "pk", None) or 0))


def _measure(row: Row, by_solved: bool) -> Decimal:
    return Decimal(row.solved) if by_solved else Decimal(row.score)


def _holds(
    rule: RuleLike, row: Row, *, measure: Decimal, max_score: Decimal | None, ranked: int
) -> bool:
    if rule.max_place is not None and row.rank > rule.max_place:
        return False
    if rule.min_score is not None:
        if rule.min_score_is_percent:
            if not max_score or max_score <= 0:
                return False
            if measure * 100 < Decimal(rule.min_score) * Decimal(max_score):
                return False
        elif measure < Decimal(rule.min_score):
            return False
    # Within the best P %: rank ≤ P/100 × ranked, in exact decimals.
    return rule.max_share_percent is None or (
        Decimal(row.rank) * 100 <= Decimal(rule.max_share_percent) * ranked
    )


def award_for_rows(
    rows: Sequence[Row],
    rules: Iterable[RuleLike],
    max_score: Decimal | int | None,
    *,
    by_solved: bool = False,
) -> dict[int, str]:
    """{participant id: award} for every row ("" for none), by the rules in the module's
    docstring. `by_solved`: ICPC (the score is the problems solved, max_score the number of
    tasks). Rows may hold several categories: each is counted on its own."""
    ordered = _ordered(rules)
    top = None if max_score is None else Decimal(max_score)
    ranked: dict[int | None, int] = defaultdict(int)
    for row in rows:
        if row.rank is not None:
            ranked[row.category_id] += 1
    result: dict[int, str] = {}
    for row in rows:
        result[row.participant_id] = ""
        if row.rank is None:
            continue
        measure = _measure(row, by_solved)
        if measure <= 0:
            continue
        for rule in ordered:
            if rule.category_id is not None and rule.category_id != row.category_id:
                continue
            if _holds(rule, row, measure=measure, max_score=top, ranked=ranked[row.category_id]):
                result[row.participant_id] = rule.award
                break
    return result


# --- Publishing -----------------------------------------------------------------------------


def max_measure(contest: Contest, board: standings.Standings) -> Decimal:
    """What min_score in percent is a percentage of: the maximum score, or under ICPC the
    number of tasks."""
    if contest.rules == Contest.Rules.ICPC:
        return Decimal(len(board.tasks))
    return board.max_score


def uncategorised(contest: Contest) -> int:
    """Participants left out of the awards: those without a category in a contest that has
    categories (each category has its own standings, and they are in none)."""
    if not contest.categories.exists():
        return 0
    return contest.participants.filter(category__isnull=True, withdrawn_at__isnull=True).count()


def category_boards(contest: Contest) -> list[tuple[Category | None, standings.Standings]]:
    """The jury's standings of each category (one board for a contest without categories)."""
    categories = list(contest.categories.all())
    if not categories:
        return [(None, standings.build(contest, jury=True))]
    return [(c, standings.build(contest, category_id=c.pk, jury=True)) for c in categories]


def preview(contest: Contest) -> list[tuple[Category | None, standings.Standings, dict]]:
    """Each category's board with the awards the rules give now: (category, board, awards)."""
    rules = list(AwardRule.objects.filter(contest=contest))
    by_solved = contest.rules == Contest.Rules.ICPC
    return [
        (
            category,
            board,
            award_for_rows(board.rows, rules, max_measure(contest, board), by_solved=by_solved),
        )
        for category, board in category_boards(contest)
    ]


def last_moment(contest: Contest) -> datetime:
    """When the last window closes (the round's end plus the most extra time anyone has)."""
    extra = contest.participants.aggregate(most=Max("extra_minutes"))["most"] or 0
    return contest.ends_at + timedelta(minutes=extra)


def refusal(contest: Contest, now: datetime | None = None) -> str | None:
    """Why the results cannot be published now, or None."""
    now = now or timezone.now()
    if now < last_moment(contest):
        return _("The round is not over yet: publish the results after it ends.")
    return None


def took_part(row: Row, participant: Participant) -> bool:
    """Whether the participant did anything: started a window, or has a run or a sheet."""
    if participant.started_at is not None:
        return True
    return any(cell.attempts or cell.score is not None for cell in row.cells)


def publish_results(contest: Contest, by: User, *, now: datetime | None = None) -> list[Award]:
    """Fixes the awards from the jury's standings, issues the diplomas and certificates
    (contests.diplomas), marks the results published and unfreezes the board. Publishing
    again (after an appeal) updates the awards and replaces the certificates whose award
    changed. Raises PublishError."""
    now = now or timezone.now()
    reason = refusal(contest, now)
    if reason:
        raise PublishError(reason)
    with transaction.atomic():
        Contest.objects.select_for_update().filter(pk=contest.pk).first()
        boards = preview(contest)
        participants = {
            p.pk: p for p in Participant.objects.filter(contest=contest).select_related("school")
        }
        kept = _store_awards(boards, participants, contest.rules == Contest.Rules.ICPC)
        diplomas.issue_for_awards(contest, kept, participants)
        fields = {"results_published_at": now}
        if contest.unfrozen_at is None:
            fields["unfrozen_at"] = now
        Contest.objects.filter(pk=contest.pk).update(**fields)
        for name, value in fields.items():
            setattr(contest, name, value)
        transaction.on_commit(lambda: standings.invalidate(contest.pk))
    return kept


def _store_awards(boards, participants: dict[int, Participant], icpc: bool) -> list[Award]:
    """Award rows as the boards give them: created, updated, or deleted for whoever no longer
    counts (withdrawn, or did nothing); their certificates are sorted out by diplomas. The
    score under ICPC is the number of problems solved."""
    existing = {
        a.participant_id: a for a in Award.objects.filter(participant__in=list(participants))
    }
    kept: list[Award] = []
    seen: set[int] = set()
    for category, board, awards in boards:
        for row in board.rows:
            participant = participants.get(row.participant_id)
            if participant is None or row.withdrawn:
                continue
            if not took_part(row, participant):
                continue
            seen.add(participant.pk)
            award = existing.get(participant.pk) or Award(participant=participant)
            award.category = category if category is not None else participant.category
            award.award = awards.get(participant.pk, "")
            award.rank, award.rank_to = row.rank, row.rank_to
            award.score = Decimal(row.solved) if icpc else row.score
            award.save()
            kept.append(award)
    gone = [a for pk, a in existing.items() if pk not in seen]
    diplomas.withdraw(gone)
    Award.objects.filter(pk__in=[a.pk for a in gone]).delete()
    return kept
