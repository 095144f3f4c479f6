"""End-to-end fixtures: one headless Debian Chromium for the e2e package, a fresh context per test.

Playwright's own browser downloads are not available here, so the system Chromium is used.
Tests combine pytest-django's ``live_server`` with a transactional database; the
``django_db`` marker asks for a serialized rollback so the data migrations' rows (home page,
site, role groups) are restored before every test (the transactional teardown flushes them).

While Playwright's sync API is active it keeps an asyncio loop "running" in the main thread.
Two consequences, both handled by the ``browser`` fixture and undone when it closes:

* Django refuses ORM calls from a thread with a running loop unless DJANGO_ALLOW_ASYNC_UNSAFE
  is set. It is set only while the browser lives: set for the whole session it would leak into
  subprocesses (``manage.py check --deploy`` fails on it) and hide real async mistakes.
* Django's ``connections`` is a thread-critical asgiref ``Local``: with a running loop it
  switches from thread-local to context-var storage and hands out *new* connection objects.
  Those lack the ``_test_serialized_contents`` that ``setup_databases`` stored on the original
  ones, so serialized rollback would silently do nothing whenever a non-e2e database test
  opened the connections first. The fixture makes the loop context reuse the original objects.

The browser is package-scoped rather than session-scoped on purpose: pytest-django runs
non-database tests after the transactional ones, and they must not run with Playwright's loop
(and the async-unsafe switch) still active in the main thread.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
REPO_ROOT = Path(__file__).resolve().parents[2]
SCREENSHOT_DIR = REPO_ROOT / "test-artifacts" / "screenshots"
PASSWORD = "pw-12345"  # tests/builders.make_user
ASYNC_UNSAFE = "DJANGO_ALLOW_ASYNC_UNSAFE"

# For every e2e test module: the marker plus a transactional db with serialized rollback.
E2E_MARKS = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture(scope="package")
def browser(django_db_setup, live_server):
    from django.db import connections
    from playwright.sync_api import sync_playwright

    # Before the loop starts: the connection objects setup_databases and the live server use.
    originals = {alias: connections[alias] for alias in connections}
    previous = os.environ.get(ASYNC_UNSAFE)
    os.environ[ASYNC_UNSAFE] = "true"
    try:
        with sync_playwright() as playwright:
            for alias, connection in originals.items():
                connections[alias] = connection  # the loop context shares them
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
            )
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop(ASYNC_UNSAFE, None)
        else:
            os.environ[ASYNC_UNSAFE] = previous


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="ru-RU")
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def console_errors(page):
    """Console messages of type "error" (a missing favicon is not the page's fault)."""
    errors: list[str] = []

    def collect(message):
        if message.type != "error":
            return
        location = (message.location or {}).get("url", "")
        if "favicon" in message.text or "favicon" in location:
            return
        errors.append(f"{message.text} ({location})")

    page.on("console", collect)
    page.on("pageerror", lambda exc: errors.append(f"uncaught: {exc}"))
    return errors


def login(page, live_server_url: str, username: str, password: str = PASSWORD) -> None:
    """Log in through the real form. The header holds language-switch submit buttons, so the
    login button is addressed inside the login card."""
    page.goto(f"{live_server_url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    with page.expect_navigation():
        page.click(".login-card button[type=submit]")


def screenshot(page, name: str) -> Path:
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOT_DIR / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


# --- Helpers for the school journeys (tests/e2e/test_school_journeys.py) ---------------------

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
# The printable area of an A4 sheet at 96 dpi with the 10 mm page margins of site.css.
A4_PRINTABLE = {"width": 718, "height": 1047}
MM = 96 / 25.4  # CSS pixels per millimetre


def logout(page) -> None:
    """Log out through the header's form (a POST, as Django requires)."""
    with page.expect_navigation():
        page.click(".header-tools form[action='/logout/'] button[type=submit]")


def screenshot_at(page, name: str, viewport: dict[str, int], media: str | None = None) -> Path:
    """A full-page screenshot at another viewport (and media type), then back to the desktop."""
    page.set_viewport_size(viewport)
    if media:
        page.emulate_media(media=media)
    try:
        return screenshot(page, name)
    finally:
        if media:
            page.emulate_media(media="screen")
        page.set_viewport_size(DESKTOP)
