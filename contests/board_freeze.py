"""The public board's freeze, by the jury's hand: unfreeze it now (at the closing ceremony,
usually), or freeze it again before the end. The board itself reads contest.unfrozen_at
(contests.timing.is_frozen_run); these bump the standings' version so every cached board
follows."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction

from contests.models import Contest
from contests.setup import invalidate_on_commit


def may_unfreeze(contest: Contest) -> bool:
    return bool(contest.freeze_minutes) and contest.unfrozen_at is None


def may_refreeze(contest: Contest, now: datetime) -> bool:
    return (
        bool(contest.freeze_minutes) and contest.unfrozen_at is not None and now < contest.ends_at
    )


def unfreeze(contest: Contest, now: datetime) -> bool:
    """Show every result on the public board from now on. False: it was not frozen."""
    with transaction.atomic():
        changed = Contest.objects.filter(
            pk=contest.pk, unfrozen_at__isnull=True, freeze_minutes__gt=0
        ).update(unfrozen_at=now)
        if changed:
            invalidate_on_commit(contest.pk)
    contest.refresh_from_db(fields=["unfrozen_at", "standings_version"])
    return bool(changed)


def refreeze(contest: Contest, now: datetime) -> bool:
    """Freeze the board again (only before the end: after it, a result once shown stays)."""
    if not may_refreeze(contest, now):
        return False
    with transaction.atomic():
        changed = Contest.objects.filter(
            pk=contest.pk, unfrozen_at__isnull=False, ends_at__gt=now
        ).update(unfrozen_at=None)
        if changed:
            invalidate_on_commit(contest.pk)
    contest.refresh_from_db(fields=["unfrozen_at", "standings_version"])
    return bool(changed)
