"""A visitor and a child logging in, in a real browser.

A visitor opens a locked lesson: it says why, with the login button in view at the top (on a
desktop and on a 390 px phone), names who studies the module, and leads to /join/, which
explains invite codes. A pupil "scans" the QR code of a login card (opens its link on a phone):
the login is filled in, the password is not; a wrong password is said in plain words that name
the field as the page does. A teacher's "New password" asks before it acts, and the printed
card carries the QR code. Screenshots at a desktop's width and a phone's."""

from __future__ import annotations

from django.utils import translation

from courses.models import CourseShare
from lms import login_cards
from lms.forms import LoginForm
from lms.models import School
from tests import builders
from tests.e2e.conftest import (
    A4_PRINTABLE,
    DESKTOP,
    E2E_MARKS,
    MM,
    PASSWORD,
    PHONE,
    SCREENSHOT_DIR,
    login,
    logout,
    screenshot_at,
)

pytestmark = E2E_MARKS


def shots(page, name: str) -> None:
    page.evaluate("window.scrollTo(0, 0)")
    for suffix, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
        path = screenshot_at(page, f"{name}-{suffix}", viewport)
        assert path.stat().st_size > 10_000, path


def no_sideways_scroll(page) -> None:
    page.set_viewport_size(PHONE)
    try:
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"{page.url} is {width}px wide at 390px"
    finally:
        page.set_viewport_size(DESKTOP)


def in_first_screen(page, selector: str, viewport: dict[str, int]) -> None:
    """The element is visible without scrolling at this viewport."""
    page.set_viewport_size(viewport)
    try:
        page.evaluate("window.scrollTo(0, 0)")
        box = page.locator(selector).bounding_box()
        assert box is not None, selector
        assert box["y"] + box["height"] <= viewport["height"], (selector, box, viewport)
        assert box["x"] >= 0 and box["x"] + box["width"] <= viewport["width"], (selector, box)
    finally:
        page.set_viewport_size(DESKTOP)


def wrong_password_message() -> str:
    with translation.override("ru"):
        return str(LoginForm.error_messages["invalid_login"])


def test_a_visitor_learns_why_a_lesson_is_locked_and_how_to_join(live_server, page, console_errors):
    two = builders.build_two_schools(pupils=1)
    url, tree = live_server.url, two.tree
    another = School.objects.create(name="Гимназия № 2", kind=School.Kind.VISITING)
    CourseShare.objects.create(course=tree.course, module=tree.modules[0], school=another)
    lesson = tree.lessons_of(tree.modules[0])[0]

    # The locked lesson: why, the login button at the top, who studies the module.
    response = page.goto(f"{url}{lesson.url}")
    assert response.status == 403
    panel = page.locator(".locked-lesson")
    assert panel.locator("h1").inner_text() == lesson.title
    assert page.locator(".lesson-body").count() == 0
    login_button = ".locked-lesson a.btn-large[href^='/login/']"
    assert f"next={lesson.url}" in page.locator(login_button).get_attribute("href")
    in_first_screen(page, login_button, DESKTOP)
    in_first_screen(page, login_button, PHONE)
    schools = panel.locator(".locked-schools").inner_text()
    assert "Школа a" in schools and "Гимназия № 2" in schools and "Школа v" in schools
    # The course's programme is there, no lesson is a link for a visitor.
    assert page.locator(".course-outline .outline-lesson").count() == len(tree.lessons)
    assert page.locator(".course-outline .outline-lesson a").count() == 0
    no_sideways_scroll(page)
    shots(page, "visitor-lesson-locked")

    # "I have an invite code" leads to /join/, which explains codes and offers the login.
    with page.expect_navigation():
        panel.locator("a[href='/join/']").first.click()
    assert page.url == f"{url}/join/"
    card = page.locator(".join-visitor")
    assert card.locator("h1").is_visible()
    assert card.locator(".join-steps li").count() == 3
    login_link = card.locator("a.btn-large[href^='/login/']")
    assert login_link.get_attribute("href") == "/login/?next=/join/"
    in_first_screen(page, ".join-visitor a.btn-large", PHONE)
    no_sideways_scroll(page)
    shots(page, "visitor-join")

    # A typed code waits for the login: the visitor is sent to log in, then back to it.
    page.fill("#id_code", "abcd-1234")
    with page.expect_navigation():
        page.click(".join-code-form button[type=submit]")
    assert page.url == f"{url}/login/?next=/join/ABCD1234/"

    # The search tells a visitor that logging in searches lesson texts too.
    page.goto(f"{url}/search/?q=робота")
    note = page.locator(".search-more")
    assert note.is_visible()
    assert note.locator("a[href^='/login/']").is_visible()
    no_sideways_scroll(page)
    shots(page, "visitor-search")

    # The only console errors are the browser reporting the locked lesson's 403.
    assert all("403" in error for error in console_errors), console_errors


def test_a_pupil_opens_the_card_link_on_a_phone_and_reads_a_plain_message(
    live_server, browser, console_errors
):
    school = builders.build_school("k", pupils=1)
    pupil = school.pupils_a[0]
    url = live_server.url
    card_link = login_cards.login_link(f"{url}/login/", pupil.username)

    # "Scanning" the QR code: a phone opens the card's link.
    phone = browser.new_context(
        viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2, locale="ru-RU"
    )
    try:
        page = phone.new_page()
        page.goto(card_link)
        assert page.input_value("#id_username") == pupil.username
        assert page.input_value("#id_password") == ""
        assert page.evaluate("document.activeElement.id") == "id_password"
        assert page.locator(".login-prefilled").is_visible()
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], width
        phone_and_desktop(page, "pupil-card-link")

        # A wrong password: the message in plain words, with the field's own name.
        page.fill("#id_password", "не-тот-пароль")
        with page.expect_navigation():
            page.click(".login-card button[type=submit]")
        errors = page.locator("#login-errors")
        assert errors.is_visible()
        text = errors.inner_text()
        assert wrong_password_message() in text
        assert "имя пользователя" not in text.lower()
        assert page.input_value("#id_username") == pupil.username  # still typed in
        assert page.input_value("#id_password") == ""
        assert page.get_attribute("#id_password", "aria-invalid") == "true"
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], width
        phone_and_desktop(page, "pupil-wrong-password")

        # The right one logs in.
        page.fill("#id_password", PASSWORD)
        with page.expect_navigation():
            page.click(".login-card button[type=submit]")
        assert page.url == f"{url}/learn/"
    finally:
        phone.close()
    assert console_errors == []


def test_a_new_password_is_asked_for_and_the_card_carries_its_qr_code(
    live_server, page, console_errors
):
    school = builders.build_school("q", pupils=1)
    pupil = school.pupils_a[0]
    url = live_server.url

    login(page, url, school.teacher_a.username)
    page.goto(f"{url}/teach/groups/{school.group_a.pk}/")
    reset = f"/teach/groups/{school.group_a.pk}/pupils/{pupil.pk}/password/"
    with page.expect_navigation():
        page.locator(f"a[href='{reset}']").click()
    assert page.url == f"{url}{reset}"
    confirm = page.locator(".confirm-card")
    assert pupil.username in confirm.inner_text()
    pupil.refresh_from_db()
    assert pupil.check_password(PASSWORD)  # asking changed nothing
    no_sideways_scroll(page)
    shots(page, "teacher-confirm-new-password")

    # "Cancel" goes back to the group; the second time the teacher says yes.
    with page.expect_navigation():
        confirm.locator("a.btn-ghost").click()
    assert page.url == f"{url}/teach/groups/{school.group_a.pk}/"
    page.goto(f"{url}{reset}")
    with page.expect_navigation():
        page.click(".confirm-card button[type=submit]")
    assert "/cards/" in page.url
    pupil.refresh_from_db()
    assert not pupil.check_password(PASSWORD)

    card = page.locator(".login-card-print")
    assert card.count() == 1
    qr = card.locator(".card-qr svg")
    box = qr.bounding_box()
    assert box and box["width"] >= 90 and abs(box["width"] - box["height"]) < 1
    assert card.locator("dl").bounding_box()["y"] >= box["y"] + box["height"]  # no overlap
    no_sideways_scroll(page)
    shots(page, "cards-with-qr")
    # Printed: the code beside the name, the card still short enough for four rows an A4 sheet.
    page.set_viewport_size(A4_PRINTABLE)
    page.emulate_media(media="print")
    try:
        box = card.bounding_box()
        assert box["height"] <= 65 * MM, box
        qr_box = qr.bounding_box()
        assert qr_box["width"] >= 18 * MM  # big enough for a phone's camera
        name_box = card.locator("h2").bounding_box()
        assert qr_box["x"] > name_box["x"]  # beside the name, not over the login and password
        secrets = card.locator("dl").bounding_box()
        assert secrets["y"] >= qr_box["y"] + qr_box["height"]
        page.screenshot(path=str(shot_path("cards-with-qr-print")), full_page=True)
    finally:
        page.emulate_media(media="screen")
        page.set_viewport_size(DESKTOP)
    logout(page)
    assert console_errors == []


def shot_path(name: str):
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    return SCREENSHOT_DIR / f"{name}.png"


def phone_and_desktop(page, name: str) -> None:
    """Screenshots of a page in the phone's context: as it is, then at a desktop's width."""
    page.screenshot(path=str(shot_path(f"{name}-phone")), full_page=True)
    page.set_viewport_size(DESKTOP)
    try:
        page.screenshot(path=str(shot_path(f"{name}-desktop")), full_page=True)
    finally:
        page.set_viewport_size(PHONE)
