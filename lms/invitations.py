"""Joining a group by invite code: create, check, join. Joining twice is harmless; the use
limit holds under concurrent joins (one conditional UPDATE decides)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth.models import Group
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from lms import permissions, roles
from lms.credentials import generate_invite_code, normalise_invite_code
from lms.models import Invite, InviteUse, Membership, StudyGroup, User


class JoinError(Exception):
    """A reason the pupil can read; nothing was changed."""


@dataclass(frozen=True)
class JoinResult:
    group: StudyGroup
    already_member: bool


def create_invite(group: StudyGroup, by: User, *, days: int, max_uses: int) -> Invite:
    expires_at = timezone.now() + timedelta(days=days)
    for _attempt in range(5):
        try:
            with transaction.atomic():
                return Invite.objects.create(
                    group=group,
                    code=generate_invite_code(),
                    expires_at=expires_at,
                    max_uses=max_uses,
                    created_by=by,
                )
        except IntegrityError:  # the same random code twice: vanishingly rare, try another
            continue
    raise RuntimeError("could not generate a unique invite code")


def find_invite(code: str) -> Invite | None:
    code = normalise_invite_code(code)
    if not code:
        return None
    return Invite.objects.select_related("group__school").filter(code=code).first()


def refusal(invite: Invite | None, user: User) -> str | None:
    """Why this user may not join with this invite, or None."""
    if invite is None:
        return _("There is no invite with this code. Check the letters and digits.")
    if invite.is_revoked:
        return _("This invite has been withdrawn. Ask your teacher for a new one.")
    if invite.is_expired():
        when = formats.date_format(timezone.localtime(invite.expires_at), "DATETIME_FORMAT")
        return _("This invite expired on %(when)s. Ask your teacher for a new one.") % {
            "when": when
        }
    if invite.group.is_archived:
        return _("This group no longer takes new pupils.")
    if permissions.is_staff_account(user):
        return _("Invites are for pupils. Staff are added to groups by the school admin.")
    if permissions.is_of_another_school(user, invite.group.school_id):
        return _("This invite is for a group of another school. Ask your teacher for help.")
    if invite.is_used_up and not _has_place(invite, user):
        return USED_UP()
    return None


def _has_place(invite: Invite, user: User) -> bool:
    """Already in the group, or joined with this invite before (and was removed since)."""
    return (
        Membership.objects.filter(user=user, group=invite.group).exists()
        or InviteUse.objects.filter(invite=invite, user=user).exists()
    )


def USED_UP() -> str:  # noqa: N802 - a message, spelled like a constant
    return _("This invite has been used by as many pupils as it allows.")


def join(user: User, code: str) -> JoinResult:
    invite = find_invite(code)
    reason = refusal(invite, user)
    if reason:
        raise JoinError(reason)
    group = invite.group
    if Membership.objects.filter(user=user, group=group).exists():
        return JoinResult(group=group, already_member=True)
    with transaction.atomic():
        membership, created = Membership.objects.get_or_create(
            user=user, group=group, defaults={"role": Membership.Role.PUPIL}
        )
        if not created:  # a second tab got there first
            return JoinResult(group=group, already_member=True)
        # A pupil who was removed and comes back with the same invite does not use it up again.
        _use, first_use = InviteUse.objects.get_or_create(invite=invite, user=user)
        if first_use:
            counted = Invite.objects.filter(
                pk=invite.pk,
                is_revoked=False,
                uses__lt=F("max_uses"),
                expires_at__gt=timezone.now(),
            ).update(uses=F("uses") + 1)
            if not counted:
                # Rolls back the membership and the use above.
                raise JoinError(USED_UP())
        if user.school_id is None:
            user.school = group.school
            user.save(update_fields=["school"])
        user.groups.add(Group.objects.get_or_create(name=roles.PUPIL)[0])
    return JoinResult(group=group, already_member=False)


def revoke_invite(invite: Invite) -> bool:
    """The code stops working; False when it already had."""
    revoked = Invite.objects.filter(pk=invite.pk, is_revoked=False).update(is_revoked=True)
    invite.is_revoked = True
    return bool(revoked)
