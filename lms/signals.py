"""Remember the school's time zone in the session when a user logs in."""

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from lms.middleware import SESSION_TIME_ZONE
from lms.models import School


def school_time_zone(user) -> str | None:
    """The time zone of the user's school (the host park first if they belong to both)."""
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
