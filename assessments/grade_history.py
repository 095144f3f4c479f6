"""The history of a grade: one GradeChange per change (who, when, the state before and after),
written by assessments.grading and never edited, and the two ways pages show it.

* The grading page (`grade_history`): every change, who made it and each field that changed.
  The caller has checked that the user may grade the group the work was made in.
* The pupil's "My grades" (`released_history`): only the states the pupil was shown (a draft
  regrade in between stays the teacher's), one line per change of the points.

Both are lists of the one `HistoryEntry`."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments.models import Grade, GradeChange, Submission
from lms import numbers
from lms.models import User

Status = Submission.Status

FIELD_LABELS = {
    "points": gettext_lazy("Points"),
    "penalty_percent": gettext_lazy("Late penalty, %"),
    "final_points": gettext_lazy("Final points"),
    "feedback": gettext_lazy("Feedback"),
    "rubric_choices": gettext_lazy("Rubric"),
    "is_released": gettext_lazy("Released to the pupil"),
    "status": gettext_lazy("Status"),
}


def snapshot(grade: Grade, status: str) -> dict:
    """What a GradeChange records on either side of a change."""
    return {
        "points": None if grade.points is None else str(grade.points),
        "penalty_percent": grade.penalty_percent,
        "final_points": None if grade.final_points is None else str(grade.final_points),
        "feedback": grade.feedback,
        "rubric_choices": grade.rubric_choices,
        "is_released": grade.is_released,
        "status": status,
    }


@dataclass(frozen=True)
class FieldChange:
    key: str
    label: str
    before: str
    after: str


@dataclass(frozen=True)
class HistoryEntry:
    """One recorded change of a grade: when, and the final points after it. The grading page
    also fills who made it, what changed and whether it made the grade; "My grades" fills the
    attempt the grade is of."""

    changed_at: datetime
    points: Decimal | None  # the final points after the change; None: no points yet
    attempt: int | None = None
    changed_by: User | None = None
    changes: list[FieldChange] = field(default_factory=list)
    is_first: bool = False  # the change that made the grade: there is no "before"


def _points(recorded: dict) -> Decimal | None:
    value = recorded.get("final_points", recorded.get("points"))
    try:
        return None if value in (None, "") else Decimal(str(value))
    except ArithmeticError:
        return None


def _shown(key: str, value) -> str:
    """A recorded value as text for the history (the template escapes it)."""
    if value is None or value == "" or value == {}:
        return "—"
    if key == "is_released":
        return _("yes") if value else _("no")
    if key == "status":
        try:
            return str(Status(value).label)
        except ValueError:
            return str(value)
    if key in ("points", "final_points", "penalty_percent"):
        return numbers.number(value)  # "7,5", not "7.50"
    if key == "rubric_choices" and isinstance(value, dict):
        parts = []
        for chosen in value.values():
            criterion, level = chosen.get("criterion", ""), chosen.get("level", "")
            text = f"{criterion}: {level} ({numbers.number(chosen.get('points', ''))})"
            if chosen.get("comment"):
                text += f" — {chosen['comment']}"
            parts.append(text)
        return "; ".join(parts)
    return str(value)


def grade_history(grade: Grade) -> list[HistoryEntry]:
    """Who changed the grade, when, and what from and to (oldest first). One query. The caller
    has checked that the user may grade the submission's group."""
    entries = []
    for change in grade.history.select_related("changed_by").order_by("changed_at", "pk"):
        before, after = change.before or {}, change.after or {}
        changes = [
            FieldChange(key, str(label), _shown(key, before.get(key)), _shown(key, after.get(key)))
            for key, label in FIELD_LABELS.items()
            if before.get(key) != after.get(key) and not (not before and after.get(key) in ("", {}))
        ]
        entries.append(
            HistoryEntry(
                changed_at=change.changed_at,
                points=_points(after),
                changed_by=change.changed_by,
                changes=changes,
                is_first=not before,
            )
        )
    return entries


def released_history(pupil: User, assignment_ids: Iterable[int]) -> dict[int, list[HistoryEntry]]:
    """Assignment id -> the released states of the pupil's grades of it, oldest first, with the
    attempt each is of. Only the pupil's own released grades (one query)."""
    history: dict[int, list[HistoryEntry]] = defaultdict(list)
    changes = (
        GradeChange.objects.filter(
            grade__submission__pupil=pupil,
            grade__is_released=True,
            grade__submission__assignment_id__in=list(assignment_ids),
        )
        .order_by("changed_at", "pk")
        .values_list(
            "grade__submission__assignment_id", "grade__submission__attempt", "changed_at", "after"
        )
    )
    for assignment_id, attempt, changed_at, after in changes:
        # Only states the pupil was shown: a draft regrade in between stays the teacher's.
        if not isinstance(after, dict) or after.get("is_released") is not True:
            continue
        entry = HistoryEntry(changed_at=changed_at, points=_points(after), attempt=attempt)
        shown = history[assignment_id]
        # A feedback-only edit repeats the same points: one line is enough for the pupil.
        if not shown or (shown[-1].attempt, shown[-1].points) != (entry.attempt, entry.points):
            shown.append(entry)
    return history
