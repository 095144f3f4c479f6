"""The permission matrix's world and pages, for the phone-layout and accessibility checks.

tests/lms/test_permission_matrix.py declares every page of the site with who may open it; the
e2e checks open the same pages in a real browser. Its world is built here inside the e2e test
(a transactional test cannot share the matrix's rolled-back layer), and each role gets one
browser context, logged in once through a session cookie (no login form per role or per page).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.test import Client, override_settings
from django.urls import reverse
from django.utils.http import urlencode

from tests.lms.test_permission_matrix import CASES, PAGES, _build_world, _value

# The roles the checks walk through: a visitor, a pupil, a teacher, a school admin and a
# methodologist (the matrix's names for them).
ROLES = ("anonymous", "pupil_a1", "teacher_a1", "host_admin", "methodologist")
# A name of 150 characters must not widen any page (the "bad input").
LONG_FIRST = "Александра-Виктория-Евгения"
LONG_LAST = "Константинопольская-Преображенская-" * 3 + "Длинноимённая"


@dataclass(frozen=True)
class Target:
    url: str
    label: str  # what the matrix calls it: the URL name, or the page's id in PAGES
    status: int  # the status the matrix expects for this role


def build_world(media_root) -> tuple[dict, dict]:
    """The matrix's users and ids, plus the pages the matrix does not list by id (the catalogue,
    the events index, an event page). Files go to `media_root`."""
    from courses.models import CataloguePage
    from events.models import EventIndexPage, EventPage
    from tests import builders

    with override_settings(MEDIA_ROOT=media_root):
        users, ids = _build_world(builders.build_two_schools())
    pupil = users["pupil_a1"]
    pupil.first_name, pupil.last_name = LONG_FIRST, LONG_LAST
    pupil.save(update_fields=["first_name", "last_name"])
    ids = dict(ids)
    ids["catalogue_url"] = CataloguePage.objects.get().url
    ids["events_url"] = EventIndexPage.objects.get().url
    ids["event_url"] = EventPage.objects.get(pk=ids["event"]).url
    ids["past_event_url"] = EventPage.objects.get(pk=ids["past_event"]).url
    return users, ids


EXTRA_PAGES = ("@catalogue_url", "@events_url", "@event_url", "@past_event_url")


def targets(role: str, ids: dict) -> list[Target]:
    """Every page the matrix lets `role` open with GET (200, and the locked lesson's 403), each
    once, and one "not found" page; in the matrix's order. Redirects are left out: where they
    lead is in the list already."""
    found: list[Target] = []
    seen: set[str] = set()
    not_found = False

    def add(url: str, label: str, status) -> None:
        nonlocal not_found
        if not isinstance(status, int) or url in seen:
            return
        if status == 404:
            if not_found:
                return
            not_found = True
        elif status not in (200, 403):
            return
        seen.add(url)
        found.append(Target(url, label, status))

    for case in CASES:
        if case.method != "get":
            continue
        url = reverse(case.name, kwargs={k: _value(ids, v) for k, v in case.kwargs.items()})
        if case.data:
            url += "?" + urlencode({k: _value(ids, v) for k, v in case.data.items()})
        add(url, case.name, case.expect[role])
    for url, expect in PAGES:
        add(_value(ids, url), url, expect[role])
    for url in EXTRA_PAGES:
        add(_value(ids, url), url, 200)
    return found


def new_context(browser, live_server_url: str, user, **options):
    """A browser context logged in as `user` (None: a visitor) by a session cookie."""
    options.setdefault("locale", "ru-RU")
    context = browser.new_context(base_url=live_server_url, **options)
    context.set_default_timeout(15_000)
    if user is not None:
        client = Client()
        client.force_login(user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server_url}])
    return context
