"""Security in a real browser: the login page tells a child how to leave a shared computer; a
teacher gives a pupil a new password, the pupil signs in with it, and the school admin finds the
reset in the log; another group's pupil cannot be pulled in by a roster import."""

from __future__ import annotations

from tests import builders
from tests.e2e.conftest import E2E_MARKS, login, logout, screenshot
from tests.e2e.test_school_journeys import assert_screenshot, read_cards

pytestmark = E2E_MARKS


def test_the_login_page_warns_about_shared_computers(live_server, page):
    page.goto(f"{live_server.url}/login/")
    hint = page.locator(".login-hint")
    assert hint.is_visible()
    assert "30" in hint.inner_text()
    assert_screenshot(screenshot(page, "login-shared-computer-hint"))


def test_a_reset_by_a_teacher_is_shown_to_the_school_admin(live_server, page, console_errors):
    school = builders.build_school("a", pupils=1)
    pupil = school.pupils_a[0]

    login(page, live_server.url, school.teacher_a.username)
    page.goto(f"{live_server.url}/teach/groups/{school.group_a.pk}/")
    row = page.locator("tr", has_text=pupil.username)
    with page.expect_navigation():
        row.locator("a[href*='/password/']").click()  # asks first (a page, no script)
    with page.expect_navigation():
        page.click(".confirm-card button[type=submit]")
    (card_login, password), *_ = read_cards(page).values()
    assert card_login == pupil.username
    logout(page)

    login(page, live_server.url, pupil.username.upper(), password)  # case does not matter
    assert "/login/" not in page.url
    logout(page)

    login(page, live_server.url, school.admin.username)
    page.goto(f"{live_server.url}/school/")
    with page.expect_navigation():
        page.click("a[href='/school/passwords/']")
    table = page.locator("table.roster").inner_text()
    assert pupil.username in table and school.teacher_a.username in table
    assert_screenshot(screenshot(page, "school-password-resets"))
    assert console_errors == []
