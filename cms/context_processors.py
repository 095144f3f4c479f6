"""What every page's chrome needs from the people layer: which menus to offer, and the login
page's shared-computer hint. No query until a template asks."""

from django.conf import settings

from lms import permissions


def site_chrome(request) -> dict:
    # Callables: the template evaluates them only where it uses them.
    return {
        "can_author": lambda: permissions.can_open_admin(request.user),
        "is_school_staff": lambda: permissions.is_school_staff(request.user),
        "is_school_admin": lambda: permissions.is_school_admin(request.user),
        "idle_minutes": settings.LMS_PUPIL_IDLE_MINUTES,
    }
