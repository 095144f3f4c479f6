"""Guardian rows on study groups are derived data: teachers get them from their memberships,
guests from active cross-school grants. Signals keep them in step one (user, group) pair at a
time; `manage.py sync_group_permissions` re-derives them all and reports drift (rows that a bulk
update, a restore from backup or a hand edit in the database left behind)."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from django.contrib.auth.models import Permission
from django.db import transaction

from lms.access_cache import access_changed
from lms.models import CrossSchoolGrant, Membership, StudyGroup, StudyGroupUserObjectPermission
from lms.permissions import GROUP_PERMISSIONS, GUEST_GROUP_PERMISSIONS, TEACHER_GROUP_PERMISSIONS

log = logging.getLogger("lms.access")

Key = tuple[int, int, str]  # (user id, group id, permission codename)


def _permission_ids() -> dict[str, int]:
    return dict(
        Permission.objects.filter(
            content_type__app_label="lms",
            content_type__model="studygroup",
            codename__in=GROUP_PERMISSIONS,
        ).values_list("codename", "pk")
    )


def expected_permissions(user_id: int | None = None, group_id: int | None = None) -> set[Key]:
    """What the rows should be, from memberships and grants (optionally for one user/group)."""
    memberships = Membership.objects.filter(role=Membership.Role.TEACHER)
    grants = CrossSchoolGrant.objects.filter(revoked_at__isnull=True)
    if user_id is not None:
        memberships = memberships.filter(user_id=user_id)
        grants = grants.filter(teacher_id=user_id)
    if group_id is not None:
        memberships = memberships.filter(group_id=group_id)
        grants = grants.filter(group_id=group_id)
    expected: set[Key] = set()
    for uid, gid in memberships.values_list("user_id", "group_id"):
        expected.update((uid, gid, codename) for codename in TEACHER_GROUP_PERMISSIONS)
    for uid, gid in grants.values_list("teacher_id", "group_id"):
        expected.update((uid, gid, codename) for codename in GUEST_GROUP_PERMISSIONS)
    return expected


def stored_permissions(user_id: int | None = None, group_id: int | None = None) -> set[Key]:
    rows = StudyGroupUserObjectPermission.objects.filter(permission__codename__in=GROUP_PERMISSIONS)
    if user_id is not None:
        rows = rows.filter(user_id=user_id)
    if group_id is not None:
        rows = rows.filter(content_object_id=group_id)
    return set(rows.values_list("user_id", "content_object_id", "permission__codename"))


@dataclass
class Drift:
    missing: set[Key] = field(default_factory=set)  # should be there and was not
    extra: set[Key] = field(default_factory=set)  # was there and should not be

    def __bool__(self) -> bool:
        return bool(self.missing or self.extra)


@transaction.atomic
def sync(
    user_id: int | None = None, group_id: int | None = None, *, dry_run: bool = False
) -> Drift:
    """Make the stored rows equal to the derived ones (for one pair, or everything)."""
    expected = expected_permissions(user_id, group_id)
    stored = stored_permissions(user_id, group_id)
    drift = Drift(missing=expected - stored, extra=stored - expected)
    if dry_run or not drift:
        return drift
    permission_ids = _permission_ids()
    if drift.extra:
        for uid, gid, codename in drift.extra:
            StudyGroupUserObjectPermission.objects.filter(
                user_id=uid, content_object_id=gid, permission_id=permission_ids[codename]
            ).delete()
    if drift.missing:
        StudyGroupUserObjectPermission.objects.bulk_create(
            [
                StudyGroupUserObjectPermission(
                    user_id=uid, content_object_id=gid, permission_id=permission_ids[codename]
                )
                for uid, gid, codename in sorted(drift.missing)
            ],
            ignore_conflicts=True,
        )
        access_changed()  # bulk_create sends no signal
    log.info(
        "group permissions: %d granted, %d revoked (user=%s, group=%s)",
        len(drift.missing),
        len(drift.extra),
        user_id,
        group_id,
    )
    return drift


def sync_pair(user_id: int, group_id: int) -> Drift:
    """After one membership or grant changed. Skips quietly before the permissions exist
    (during the first migrate, when no group can have teachers yet anyway)."""
    if not StudyGroup.objects.filter(pk=group_id).exists():
        return Drift()
    return sync(user_id, group_id)
