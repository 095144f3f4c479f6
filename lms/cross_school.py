"""A school admin opens one of their groups to a named teacher of another school (a joint event)
and can close it again. The grant rows are the log; each change is also written to the
`lms.access` logger."""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lms import roles
from lms.models import CrossSchoolGrant, StudyGroup, User

log = logging.getLogger("lms.access")


class GrantError(Exception):
    """A reason the admin can read; nothing was changed."""


@transaction.atomic
def grant(by: User, group: StudyGroup, teacher_login: str, reason: str) -> CrossSchoolGrant:
    teacher = User.objects.filter(
        username=teacher_login.strip(), groups__name=roles.TEACHER, is_active=True
    ).first()
    if teacher is None:
        raise GrantError(_("There is no teacher with this login."))
    if teacher.school_id == group.school_id:
        raise GrantError(
            _("This teacher works at your school: add them to the group as a teacher instead.")
        )
    if CrossSchoolGrant.objects.filter(
        group=group, teacher=teacher, revoked_at__isnull=True
    ).exists():
        raise GrantError(_("This teacher already has access to this group."))
    record = CrossSchoolGrant.objects.create(
        group=group, teacher=teacher, reason=reason.strip(), granted_by=by
    )
    log.info("cross-school access granted: %s -> group %s by %s", teacher, group.pk, by)
    return record


@transaction.atomic
def revoke(by: User, record: CrossSchoolGrant) -> bool:
    """Idempotent: revoking twice changes nothing the second time."""
    if record.revoked_at is not None:
        return False
    record.revoked_at = timezone.now()
    record.revoked_by = by
    record.save(update_fields=["revoked_at", "revoked_by"])
    log.info(
        "cross-school access revoked: %s -> group %s by %s", record.teacher, record.group_id, by
    )
    return True
