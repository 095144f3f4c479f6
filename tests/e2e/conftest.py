"""End-to-end fixtures: one headless Debian Chromium per session, a fresh context per test.

Playwright's own browser downloads are not available here, so the system Chromium is used.
Tests combine pytest-django's ``live_server`` with a transactional database; the
``django_db`` marker asks for a serialized rollback so the data migrations' rows (home page,
site, role groups) are restored for every test and for the rest of the suite after the flush.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in the main thread, which makes Django refuse ORM
# calls from the test body ("You cannot call this from an async context").
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
REPO_ROOT = Path(__file__).resolve().parents[2]
SCREENSHOT_DIR = REPO_ROOT / "test-artifacts" / "screenshots"
PASSWORD = "pw-12345"  # tests/builders.make_user

# Apply to every e2e test module: the marker plus a transactional db with serialized rollback.
E2E_MARKS = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


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
