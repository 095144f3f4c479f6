"""Archiving a round held elsewhere: a new contest made from its results file (`manage.py
import_runs FILE --contest SLUG --create`), with its tasks and participants, so its standings
and diplomas are computed here like any other's.

The contest is a published programming contest that has ended: ICPC or IOI (from the file's
columns unless given: a score column makes it IOI), starting at the given moment (or ending
now), as long as given (or the whole hours that hold the file's latest run). Its tasks are the
file's problems in natural order (A, B, …, or 1, 2, …, 10), worth max_score points each (IOI);
its participants are the file's, named as the file names them. It is checked and written like
any import (contests.importing): one error anywhere and there is no contest either."""

from __future__ import annotations

import math
import re
from datetime import datetime, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import validate_slug
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from contests.import_cells import parse_time
from contests.import_file import ResultsFile
from contests.importing import Plan, check, concurrent_message, write
from contests.models import Contest, Task
from lms.text import clean_line

_SLUG_MAX = Contest._meta.get_field("slug").max_length
_TITLE_MAX = Contest._meta.get_field("title").max_length
_LABEL_MAX = Task._meta.get_field("label").max_length
_MAX_POINTS = 100_000  # Task.max_score holds less than a million
_MAX_MINUTES = 366 * 24 * 60


def natural_key(label: str) -> list:
    """ "B" < "C" < "AA" would be wrong for "10" after "9": digits compare as numbers."""
    return [int(part) if part.isdigit() else part.casefold() for part in re.split(r"(\d+)", label)]


def labels_of(results: ResultsFile, plan: Plan) -> list[str]:
    """The file's problems (each spelled as it first appears), in natural order."""
    first: dict[str, str] = {}
    for row in results.rows:
        label = row.cells.get("problem", "")
        if not label or label.casefold() in first:
            continue
        first[label.casefold()] = label
        if len(label) > _LABEL_MAX:
            plan.error(
                row.line,
                _(
                    "the problem “%(label)s” is longer than %(max)d characters: a task's label "
                    "is short (A, B, 1, 2)."
                )
                % {"label": label[:40], "max": _LABEL_MAX},
            )
    return sorted(first.values(), key=natural_key)


def default_minutes(results: ResultsFile) -> int:
    """Whole hours that hold the latest run of the file (at least one)."""
    latest = 0
    for row in results.rows:
        seconds, _why = parse_time(row.cells.get("time_seconds", ""))
        if seconds is not None:
            latest = max(latest, seconds)
    return max(1, math.ceil(latest / 3600)) * 60


def create_contest(
    results: ResultsFile,
    *,
    slug: str,
    title: str = "",
    rules: str | None = None,
    starts_at: datetime | None = None,
    length_minutes: int | None = None,
    max_score: Decimal = Decimal(100),
    now: datetime | None = None,
    dry_run: bool = False,
) -> Plan:
    """Make the contest with its tasks, participants and runs, or nothing (plan.errors)."""
    now = now or timezone.now()
    plan = Plan(contest=None, rows=len(results.rows))
    rules = rules or (Contest.Rules.IOI if results.has_scores else Contest.Rules.ICPC)
    if rules not in (Contest.Rules.ICPC, Contest.Rules.IOI):
        plan.error(None, _("Only ICPC and IOI contests are made from a results file."))
    try:
        validate_slug(slug)
        if len(slug) > _SLUG_MAX:
            raise ValidationError("long")
    except ValidationError:
        plan.error(
            None,
            _(
                "“%(slug)s” cannot be a contest's short name: Latin letters, digits, “-” and "
                "“_”, at most %(max)d."
            )
            % {"slug": slug[:80], "max": _SLUG_MAX},
        )
    else:
        if Contest.objects.filter(slug=slug).exists():
            plan.error(
                None,
                _(
                    "A contest “%(slug)s” exists already: choose another short name, or import "
                    "into it without --create."
                )
                % {"slug": slug},
            )
    title = clean_line(title)[:_TITLE_MAX] or slug
    minutes = default_minutes(results) if length_minutes is None else length_minutes
    if not 1 <= minutes <= _MAX_MINUTES:
        plan.error(
            None,
            _("The round lasts from 1 to %(max)d minutes.") % {"max": _MAX_MINUTES},
        )
    if not 0 < max_score <= _MAX_POINTS:
        plan.error(None, _("A task is worth from 0 to %(max)d points.") % {"max": _MAX_POINTS})
    if starts_at is None:
        starts_at = now.replace(second=0, microsecond=0) - timedelta(minutes=minutes)
    if starts_at + timedelta(minutes=minutes) > now:
        plan.error(
            None,
            _("The round must have ended: a contest made from a file is an archive of one held."),
        )
    labels = labels_of(results, plan)
    if not plan.ok:
        return plan
    try:
        with transaction.atomic():
            contest = Contest.objects.create(
                slug=slug,
                title=title,
                kind=Contest.Kind.PROGRAMMING,
                rules=rules,
                starts_at=starts_at,
                ends_at=starts_at + timedelta(minutes=minutes),
                is_published=True,
            )
            Task.objects.bulk_create(
                Task(
                    contest=contest,
                    label=label,
                    kind=Task.Kind.PROGRAMMING,
                    order=order,
                    max_score=max_score,
                )
                for order, label in enumerate(labels)
            )
            plan = check(contest, results, create_participants=True, now=now)
            plan.new_tasks = labels
            if plan.ok and not dry_run:
                write(plan, contest, now)
            else:
                transaction.set_rollback(True)
    except IntegrityError:  # the same slug made at the same moment
        plan = Plan(contest=None, rows=len(results.rows))
        plan.error(None, concurrent_message())
    return plan
