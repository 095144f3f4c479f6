"""People and access: who belongs to which school and group, and how they get in."""

from lms.models.grants import CrossSchoolGrant
from lms.models.invites import Invite, InviteUse
from lms.models.people import (
    Membership,
    School,
    StudyGroup,
    StudyGroupGroupObjectPermission,
    StudyGroupUserObjectPermission,
    User,
    validate_time_zone,
)
from lms.models.resets import PasswordReset

__all__ = [
    "CrossSchoolGrant",
    "Invite",
    "InviteUse",
    "Membership",
    "PasswordReset",
    "School",
    "StudyGroup",
    "StudyGroupGroupObjectPermission",
    "StudyGroupUserObjectPermission",
    "User",
    "validate_time_zone",
]
