"""Where a user lands after logging in: the page of the work they came to do.

* a school admin: the school's pages;
* a teacher: "My groups" (what needs grading, who is late);
* a methodologist (or platform staff) who may open the Wagtail admin: the admin, where the
  catalogue is authored;
* everyone else (pupils): their courses, LOGIN_REDIRECT_URL.

The first rule that fits wins, in that order: a school admin who also teaches starts on the
school's page, whose group list leads to the groups. The pages belong to higher apps, so the
URL names are settings (`LMS_LANDING_PAGES`, wired in config/); this module only knows roles.
An explicit, same-site `?next=` wins over all of this: the login view checks it first.
"""

from __future__ import annotations

from django.conf import settings
from django.shortcuts import resolve_url

from lms import permissions, roles
from lms.permissions import AnyUser

SCHOOL_ADMIN = "school_admin"
TEACHER = "teacher"
AUTHOR = "author"


def landing_role(user: AnyUser) -> str | None:
    """Which landing page fits the user (a key of LMS_LANDING_PAGES), or None: the default."""
    if not user.is_authenticated:
        return None
    if permissions.is_school_admin(user):
        return SCHOOL_ADMIN
    if roles.TEACHER in permissions.user_roles(user):
        return TEACHER
    if permissions.is_catalogue_staff(user) and permissions.can_open_admin(user):
        return AUTHOR
    return None


def landing_url(user: AnyUser) -> str:
    """The URL to send the user to after logging in (no `?next=`)."""
    target = settings.LMS_LANDING_PAGES.get(landing_role(user) or "")
    return resolve_url(target or settings.LOGIN_REDIRECT_URL)
