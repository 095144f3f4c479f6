"""Signal receivers: the school's time zone at login; guardian rows after membership changes."""

from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from lms import shared_computers
from lms.middleware import SESSION_TIME_ZONE
from lms.models import CrossSchoolGrant, Membership, School


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
