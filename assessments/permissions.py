"""Who may author which assignments, and open which pupils' work and feedback.

Built on the access core (lms.permissions: groups) and the courses' rules (courses.permissions:
course authors). Work is seen by the pupil who made it and by staff who view or grade the group
it was made in, never through another group (Moodle CVE-2013-2079)."""

from __future__ import annotations

from django.db.models import Q

from courses.permissions import authored_course_ids
from lms.permissions import GRADE_GROUP, VIEW_GROUP, AnyUser, can_edit_catalogue, group_perms


def can_author_assignments(user: AnyUser) -> bool:
    """Who may edit a lesson may edit its assignments: methodologists, course authors."""
    return can_edit_catalogue(user) or bool(authored_course_ids(user))


def editable_assignments_q(user: AnyUser) -> Q:
    if can_edit_catalogue(user):
        return Q()
    return Q(course_id__in=authored_course_ids(user))


def can_edit_lesson_assignments(user: AnyUser, course_id: int) -> bool:
    return can_edit_catalogue(user) or course_id in authored_course_ids(user)


# --- Pupils' work ---------------------------------------------------------------------------------


def can_open_submission(user: AnyUser, submission) -> bool:
    """A submission (and its files) is seen by the pupil who made it, and by staff who view or
    grade the group it was made in: never through another group (Moodle CVE-2013-2079)."""
    if not user.is_authenticated:
        return False
    if submission.pupil_id == user.pk:
        return True
    return bool(group_perms(user, submission.group) & {VIEW_GROUP, GRADE_GROUP})


def can_open_feedback(user: AnyUser, grade) -> bool:
    """A grade's feedback (and its files): the pupil once it is released; staff who view or
    grade the group the work was made in, always."""
    submission = grade.submission
    if not can_open_submission(user, submission):
        return False
    if submission.pupil_id == user.pk:
        return grade.is_released
    return True
