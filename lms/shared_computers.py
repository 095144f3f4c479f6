"""Defaults for the computers of a classroom, which the next child uses a minute later.

A pupil's session lives in a browser-session cookie (gone when the browser closes) and ends
after LMS_PUPIL_IDLE_MINUTES without a request. The limit is written into the session at login,
so the check needs no query; the last-seen time is rewritten at most once a minute, so a page
view does not save the session each time."""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.utils.translation import gettext as _

from lms import roles

SESSION_IDLE_LIMIT = "lms_idle_limit"  # seconds; absent: no idle limit for this account
SESSION_LAST_SEEN = "lms_last_seen"
LAST_SEEN_RESOLUTION = 60  # seconds


def start_session(request, user) -> None:
    """At login: pupils get a browser-session cookie and an idle limit."""
    if not user.groups.filter(name=roles.PUPIL).exists() or user.is_staff:
        return
    request.session.set_expiry(0)
    request.session[SESSION_IDLE_LIMIT] = settings.LMS_PUPIL_IDLE_MINUTES * 60
    request.session[SESSION_LAST_SEEN] = int(time.time())


def is_idle_too_long(session, now: float) -> bool:
    limit = session.get(SESSION_IDLE_LIMIT)
    last_seen = session.get(SESSION_LAST_SEEN)
    return bool(limit and last_seen is not None and now - last_seen > limit)


class IdleTimeoutMiddleware:
    """After AuthenticationMiddleware and MessageMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        if session is not None and session.get(SESSION_IDLE_LIMIT):
            now = time.time()
            if is_idle_too_long(session, now):
                minutes = session[SESSION_IDLE_LIMIT] // 60
                logout(request)
                messages.info(
                    request,
                    _("You were signed out after %(minutes)d minutes without activity.")
                    % {"minutes": minutes},
                )
                return redirect_to_login(request.get_full_path())
            if now - session.get(SESSION_LAST_SEEN, 0) >= LAST_SEEN_RESOLUTION:
                session[SESSION_LAST_SEEN] = int(now)
        return self.get_response(request)
