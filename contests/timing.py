"""A participant's window: when their round starts and ends, and what contest time a moment
is for them. Plain functions over the contest's and the participant's fields.

Fixed window: everyone starts at contest.starts_at and ends at contest.ends_at plus their extra
time. Individual window (contest.window_minutes): it starts when the participant presses Start
(inside [starts_at, ends_at)) and lasts window_minutes plus extra time, but never past
ends_at plus extra time (the period closes for everyone)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from contests.models import Contest, Participant


@dataclass(frozen=True)
class Window:
    starts_at: datetime | None  # None: an individual window not started yet
    ends_at: datetime  # the latest moment a run counts (exclusive)

    def is_open(self, now: datetime) -> bool:
        return self.starts_at is not None and self.starts_at <= now < self.ends_at


def period_end(contest: Contest, participant: Participant | None) -> datetime:
    extra = timedelta(minutes=participant.extra_minutes if participant else 0)
    return contest.ends_at + extra


def window(contest: Contest, participant: Participant) -> Window:
    last = period_end(contest, participant)
    if not contest.window_minutes:
        return Window(contest.starts_at, last)
    if participant.started_at is None:
        return Window(None, last)
    own = participant.started_at + timedelta(
        minutes=contest.window_minutes + participant.extra_minutes
    )
    return Window(participant.started_at, min(own, last))


def may_start(contest: Contest, participant: Participant, now: datetime) -> bool:
    return (
        bool(contest.window_minutes)
        and participant.started_at is None
        and contest.starts_at <= now < contest.ends_at
    )


def contest_seconds(contest: Contest, participant: Participant, at: datetime) -> int:
    """Seconds from the participant's start to `at` (0 before it): ICPC penalty time."""
    start = window(contest, participant).starts_at or contest.starts_at
    return max(0, int((at - start).total_seconds()))


def is_over(contest: Contest, now: datetime) -> bool:
    """The round is over for everyone (no window may still be open, extra time aside)."""
    return now >= contest.ends_at


def is_frozen_run(contest: Contest, submitted_at: datetime) -> bool:
    """Hidden on the public board until the jury unfreezes it: submitted in the last
    freeze_minutes of the round (by the clock, the same moment for every window)."""
    freeze_at = contest.freeze_at()
    return freeze_at is not None and contest.unfrozen_at is None and submitted_at >= freeze_at


def start(participant: Participant, now: datetime) -> bool:
    """Press Start: the window begins now, unless it began already (a second click keeps the
    first start). Callers check may_start first. True when this call started it."""
    started = Participant.objects.filter(pk=participant.pk, started_at__isnull=True).update(
        started_at=now
    )
    if started:
        participant.started_at = now
    return bool(started)
