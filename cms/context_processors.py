"""What every page's chrome needs from the people layer: which menus to offer, and the login
page's shared-computer hint. No query until a template asks."""

import functools

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse

from lms import permissions

# The header's links (base.html): reversed once per process (and script prefix), not on every
# page (eleven `{% url %}` tags were a tenth of a lesson page's rendering).
CHROME_URL_NAMES = {
    "notifications": "assessments:notifications",
    "learn": "courses:my_courses",
    "grades": "assessments:gradebook_mine",
    "teach": "teach:groups",
    "school": "school:home",
    "search": "search",
    "set_language": "set_language",
    "change_password": "change_password",
    "authoring": "wagtailadmin_home",
    "logout": "logout",
    "login": "login",
}


@functools.cache
def _chrome_urls(script_prefix: str, urlconf: str | None) -> dict[str, str]:
    return {key: reverse(name) for key, name in CHROME_URL_NAMES.items()}


def site_chrome(request) -> dict:
    # Callables: the template evaluates them only where it uses them.
    return {
        "chrome_urls": _chrome_urls(get_script_prefix(), get_urlconf()),
        "can_author": lambda: permissions.can_open_admin(request.user),
        "is_school_staff": lambda: permissions.is_school_staff(request.user),
        "is_school_admin": lambda: permissions.is_school_admin(request.user),
        "idle_minutes": settings.LMS_PUPIL_IDLE_MINUTES,
    }
