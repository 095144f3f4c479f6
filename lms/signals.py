"""Signal receivers: the school's time zone at login; guardian rows after membership changes;
the access generation (lms.access_cache) after any change of who may see what."""

from django.contrib.auth.models import Group
from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from lms import shared_computers, user_cache
from lms.access_cache import access_changed
from lms.middleware import SESSION_TIME_ZONE
from lms.models import (
    CrossSchoolGrant,
    Membership,
    School,
    StudyGroup,
    StudyGroupUserObjectPermission,
    User,
)


def school_time_zone(user) -> str | None:
    """The time zone of the user's school (else of a group's school, the host park first)."""
    if user.school_id:
        return School.objects.filter(pk=user.school_id).values_list("time_zone", flat=True).first()
    return (
        School.objects.filter(groups__memberships__user=user, groups__is_archived=False)
        .order_by("kind", "pk")
        .values_list("time_zone", flat=True)
        .first()
    )


@receiver(user_logged_in)
def remember_time_zone(sender, request, user, **kwargs) -> None:
    if request is None or not hasattr(request, "session"):
        return
    tz_name = school_time_zone(user)
    if tz_name:
        request.session[SESSION_TIME_ZONE] = tz_name
    shared_computers.start_session(request, user)


# --- Guardian rows follow memberships and cross-school grants --------------------------------


def _resync(user_id: int, group_id: int) -> None:
    from lms import group_permissions

    # In the same transaction as the change: a rolled-back request leaves no permission behind.
    group_permissions.sync_pair(user_id, group_id)


@receiver(post_save, sender=Membership)
def membership_saved(sender, instance: Membership, **kwargs) -> None:
    _resync(instance.user_id, instance.group_id)


@receiver(post_delete, sender=Membership)
def membership_deleted(sender, instance: Membership, **kwargs) -> None:
    _resync(instance.user_id, instance.group_id)


@receiver(post_save, sender=CrossSchoolGrant)
def grant_saved(sender, instance: CrossSchoolGrant, **kwargs) -> None:
    _resync(instance.teacher_id, instance.group_id)


@receiver(post_delete, sender=CrossSchoolGrant)
def grant_deleted(sender, instance: CrossSchoolGrant, **kwargs) -> None:
    _resync(instance.teacher_id, instance.group_id)


# --- Cached access facts follow the rows they are computed from --------------------------------
# Roles are auth groups (User.groups); group rights are guardian rows, memberships and the
# groups' school and archive flag; courses.signals adds enrolments and authors. The user's own
# school and staff flags are part of the cache key instead (lms.access_cache).
for _model in (Membership, StudyGroup, StudyGroupUserObjectPermission, CrossSchoolGrant, Group):
    post_save.connect(access_changed, sender=_model, dispatch_uid=f"access-{_model.__name__}")
    post_delete.connect(access_changed, sender=_model, dispatch_uid=f"access-d-{_model.__name__}")
post_delete.connect(access_changed, sender=User, dispatch_uid="access-d-User")

# The logged-in user's cached row (lms.user_cache) follows every save of it.
post_save.connect(user_cache.user_changed, sender=User, dispatch_uid="user-cache")
post_delete.connect(user_cache.user_changed, sender=User, dispatch_uid="user-cache-d")
m2m_changed.connect(access_changed, sender=User.groups.through, dispatch_uid="access-roles")
