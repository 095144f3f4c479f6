"""When a pupil may hand in work, and how late it is.

Times are stored in UTC and compared as instants; a teacher enters them in the school's time
zone (the admin form shows and reads them there), so "due 1 December 23:59" means 23:59 in
Samara for a Samara school. The boundaries, which tests pin:

* before `opens_at`: not open yet; at `opens_at` exactly: open;
* up to and including `due_at`: on time; one second after: late;
* up to and including `cutoff_at`: still accepted (late); after it: closed.

A late day is any started 24 hours after the due time (one minute late is one day late), and
the penalty is `late_penalty_per_day` per late day, never more than `late_penalty_cap`.
The timetable of a pupil is their own extension in the group, else their group's due dates,
else the assignment's; each field falls back separately. An extension belongs to one group: a
pupil in two groups may have one from each group's teacher, and each applies only there.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from django.db.models import F, OuterRef, Subquery
from django.db.models.functions import Coalesce

from assessments.models import Assignment, Extension, GroupDeadline

DAY = timedelta(days=1)


class Window(StrEnum):
    NOT_OPEN = "not_open"
    OPEN = "open"
    LATE = "late"
    CLOSED = "closed"


@dataclass(frozen=True)
class Timetable:
    opens_at: datetime | None
    due_at: datetime | None
    cutoff_at: datetime | None

    def window(self, now: datetime) -> Window:
        if self.opens_at is not None and now < self.opens_at:
            return Window.NOT_OPEN
        if self.cutoff_at is not None and now > self.cutoff_at:
            return Window.CLOSED
        if self.due_at is not None and now > self.due_at:
            return Window.LATE
        return Window.OPEN

    def late_days(self, when: datetime) -> int:
        if self.due_at is None or when <= self.due_at:
            return 0
        return math.ceil((when - self.due_at) / DAY)


def timetable_for(
    assignment: Assignment,
    group_deadline: GroupDeadline | None = None,
    extension: Extension | None = None,
) -> Timetable:
    """Merge the three layers; the caller fetches the overrides (in bulk, for lists)."""
    opens_at, due_at, cutoff_at = assignment.opens_at, assignment.due_at, assignment.cutoff_at
    if group_deadline is not None:
        opens_at = group_deadline.opens_at or opens_at
        due_at = group_deadline.due_at or due_at
        cutoff_at = group_deadline.cutoff_at or cutoff_at
    if extension is not None:
        due_at = extension.due_at
        # An extension past the old cut-off moves the cut-off too (else it would be useless).
        cutoff_at = extension.cutoff_at or (max(cutoff_at, extension.due_at) if cutoff_at else None)
    return Timetable(opens_at=opens_at, due_at=due_at, cutoff_at=cutoff_at)


def due_at_sql(
    assignment: str = "pk",
    group: str = "group_id",
    pupil: str = "pupil_id",
    own_due: str = "due_at",
) -> Coalesce:
    """The SQL twin of `timetable_for(...).due_at`, for lists that judge many pupils in one
    query: the pupil's extension in the group, else the group's own due date, else the
    assignment's. The arguments name columns of the query it is used in (a test holds the two
    forms together)."""
    extension = Extension.objects.filter(
        assignment_id=OuterRef(assignment), group_id=OuterRef(group), pupil_id=OuterRef(pupil)
    ).values("due_at")[:1]
    group_due = GroupDeadline.objects.filter(
        assignment_id=OuterRef(assignment), group_id=OuterRef(group)
    ).values("due_at")[:1]
    return Coalesce(Subquery(extension), Subquery(group_due), F(own_due))


def pupil_timetable(assignment: Assignment, pupil_id: int, group_id: int) -> Timetable:
    """One pupil's timetable in one group (two small queries)."""
    group_deadline = GroupDeadline.objects.filter(assignment=assignment, group_id=group_id).first()
    extension = Extension.objects.filter(
        assignment=assignment, pupil_id=pupil_id, group_id=group_id
    ).first()
    return timetable_for(assignment, group_deadline, extension)


def late_penalty_percent(assignment: Assignment, late_days: int) -> int:
    if late_days <= 0:
        return 0
    return min(late_days * assignment.late_penalty_per_day, assignment.late_penalty_cap)
