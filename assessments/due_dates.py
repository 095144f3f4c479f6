"""The due dates a teacher sets on the site: a group's own dates for an assignment, and one
pupil's extension in that group (how they merge is assessments.deadlines).

An extension belongs to one group: the teacher of another group the pupil is in neither sees
nor changes it, so every function here takes the group. The caller has checked that the user
may manage the group, that the assignment is one the group takes and that the pupil is a pupil
of the group. Every write is one transaction; saving the same thing twice changes nothing, and
removing what is not there removes nothing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction

from assessments import deadlines
from assessments.group_scope import group_assignments
from assessments.models import Assignment, Extension, GroupDeadline
from lms import names
from lms.models import StudyGroup, User

# --- Reading ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AssignmentDates:
    """One line of a group's due-date overview."""

    assignment: Assignment
    timetable: deadlines.Timetable  # the group's dates merged with the assignment's
    overridden: bool  # the group has dates of its own
    extensions: int  # how many of the group's pupils have an extension in the group


@dataclass(frozen=True)
class PupilDates:
    pupil: User
    extension: Extension | None  # this group's extension for the pupil
    timetable: deadlines.Timetable


def group_deadline(group: StudyGroup, assignment: Assignment) -> GroupDeadline | None:
    """The group's own dates for the assignment, if it has any."""
    return GroupDeadline.objects.filter(assignment=assignment, group=group).first()


def group_pupils(group: StudyGroup) -> list[User]:
    """The group's pupils, by name."""
    return sorted(User.objects.pupils_of(group), key=names.surname_key)


def group_overview(group: StudyGroup) -> list[AssignmentDates]:
    """Every assignment the group takes, with its dates in the group and the number of
    extensions given there: a fixed number of queries, whatever the numbers of assignments and
    pupils."""
    assignments = list(group_assignments(group).select_related("lesson"))
    ids = [a.pk for a in assignments]
    overrides = {
        d.assignment_id: d for d in GroupDeadline.objects.filter(group=group, assignment_id__in=ids)
    }
    counts: dict[int, int] = {}
    pupil_ids = User.objects.pupils_of(group).values("pk")
    for assignment_id in Extension.objects.filter(
        assignment_id__in=ids, group=group, pupil_id__in=pupil_ids
    ).values_list("assignment_id", flat=True):
        counts[assignment_id] = counts.get(assignment_id, 0) + 1
    return [
        AssignmentDates(
            assignment=a,
            timetable=deadlines.timetable_for(a, overrides.get(a.pk)),
            overridden=a.pk in overrides,
            extensions=counts.get(a.pk, 0),
        )
        for a in assignments
    ]


def pupil_dates(
    group: StudyGroup, assignment: Assignment, override: GroupDeadline | None
) -> list[PupilDates]:
    """Each pupil of the group with their extension in the group and the timetable that applies
    to them (`override`: the group's own dates, from `group_deadline`). Two queries."""
    pupils = group_pupils(group)
    extensions = {
        e.pupil_id: e
        for e in Extension.objects.filter(
            assignment=assignment, group=group, pupil_id__in=[p.pk for p in pupils]
        ).select_related("granted_by")
    }
    return [
        PupilDates(
            pupil=pupil,
            extension=extensions.get(pupil.pk),
            timetable=deadlines.timetable_for(assignment, override, extensions.get(pupil.pk)),
        )
        for pupil in pupils
    ]


# --- Writing ------------------------------------------------------------------------------------


def save_group_dates(
    assignment: Assignment,
    group: StudyGroup,
    *,
    opens_at: datetime | None,
    due_at: datetime | None,
    cutoff_at: datetime | None,
) -> GroupDeadline | None:
    """The group's own dates (an empty one keeps the assignment's). All three empty: the group
    follows the assignment's dates again, and None is returned."""
    with transaction.atomic():
        if not (opens_at or due_at or cutoff_at):
            GroupDeadline.objects.filter(assignment=assignment, group=group).delete()
            return None
        deadline, _created = GroupDeadline.objects.update_or_create(
            assignment=assignment,
            group=group,
            defaults={"opens_at": opens_at, "due_at": due_at, "cutoff_at": cutoff_at},
        )
        return deadline


def clear_group_dates(assignment: Assignment, group: StudyGroup) -> bool:
    """The group follows the assignment's dates again. Whether it had dates of its own."""
    with transaction.atomic():
        deleted, _rows = GroupDeadline.objects.filter(assignment=assignment, group=group).delete()
    return bool(deleted)


def save_extension(
    assignment: Assignment,
    group: StudyGroup,
    pupil: User,
    *,
    due_at: datetime,
    cutoff_at: datetime | None,
    reason: str,
    by: User,
) -> Extension:
    """The pupil's extension in the group, made or changed (one row per pupil and group)."""
    with transaction.atomic():
        extension, _created = Extension.objects.update_or_create(
            assignment=assignment,
            pupil=pupil,
            group=group,
            defaults={"due_at": due_at, "cutoff_at": cutoff_at, "reason": reason, "granted_by": by},
        )
    return extension


def remove_extension(assignment: Assignment, group: StudyGroup, pupil: User) -> bool:
    """The pupil's extension in the group goes. Whether there was one."""
    with transaction.atomic():
        deleted, _rows = Extension.objects.filter(
            assignment=assignment, pupil=pupil, group=group
        ).delete()
    return bool(deleted)
