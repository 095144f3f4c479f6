"""Login throttling (django-axes), fitted to schools: a whole class signs in from one address
(the school's NAT), so attempts are counted per login, never per address, and a child who
mistypes waits a minute, not a lesson. Each further attempt while locked (axes cannot tell a
right password then) doubles the wait, up to
LMS_LOGIN_MAX_WAIT_MINUTES, so guessing a password is hopeless but nobody is locked out for
good. Logins are counted by their key (lms.logins): "Pupil1" and "pupil1" are one login."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.shortcuts import render

from lms.logins import login_key


def username_key(request, credentials: dict | None) -> str:
    """AXES_USERNAME_CALLABLE: the login as it is compared."""
    username = (credentials or {}).get(settings.AXES_USERNAME_FORM_FIELD)
    if username is None and request is not None:
        username = request.POST.get(settings.AXES_USERNAME_FORM_FIELD, "")
    return login_key(username or "")


def wait_for(failures: int) -> timedelta:
    """How long a login stays locked after this many wrong passwords in a row."""
    extra = max(failures - settings.AXES_FAILURE_LIMIT, 0)
    minutes = min(
        settings.LMS_LOGIN_FIRST_WAIT_MINUTES * 2**extra, settings.LMS_LOGIN_MAX_WAIT_MINUTES
    )
    return timedelta(minutes=minutes)


def cool_off(request) -> timedelta:
    """AXES_COOLOFF_TIME: grows with the failures recorded for the login being tried."""
    from axes.models import AccessAttempt
    from django.db.models import Max

    if request is None:
        return wait_for(0)
    key = username_key(request, None)
    failures = (
        AccessAttempt.objects.filter(username=key).aggregate(most=Max("failures_since_start"))[
            "most"
        ]
        or 0
    )
    return wait_for(failures)


def lockout_response(request, original_response=None, credentials=None):
    """AXES_LOCKOUT_CALLABLE: the page a locked-out child sees, in their language."""
    minutes = max(1, round(cool_off(request).total_seconds() / 60))
    return render(request, "registration/locked_out.html", {"minutes": minutes}, status=429)
