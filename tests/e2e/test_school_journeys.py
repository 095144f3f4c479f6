"""The school side in a real browser: a school admin sets up a group and prints login cards, a
pupil joins by invite and the teacher sees the progress, a visiting school's teacher enrols a
group in the shared module, and one school's teacher cannot open another school's group."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone, translation

from courses.models import Enrolment
from lms import invitations, roles
from lms.models import Invite, Membership, StudyGroup
from tests import builders
from tests.e2e.conftest import (
    A4_PRINTABLE,
    DESKTOP,
    E2E_MARKS,
    MM,
    PHONE,
    SCREENSHOT_DIR,
    login,
    logout,
    screenshot,
    screenshot_at,
)

pytestmark = E2E_MARKS

NEW_GROUP = "Робототехника — 3"
NEW_PUPILS = [("Иванова", "Мария"), ("Петров", "Пётр")]


def assert_screenshot(path) -> None:
    assert path.exists(), path
    assert path.stat().st_size > 10_000, f"{path} is suspiciously small"


def read_cards(page) -> dict[str, tuple[str, str]]:
    """Name -> (login, password) of the printed cards on the page."""
    cards = {}
    for card in page.locator(".login-card-print").all():
        codes = card.locator("dd code").all_inner_texts()
        assert len(codes) == 2, codes
        cards[card.locator("h2").inner_text().strip()] = (codes[0].strip(), codes[1].strip())
    return cards


def test_school_admin_creates_a_group_adds_pupils_and_prints_their_cards(
    live_server, page, console_errors
):
    two = builders.build_two_schools(pupils=1)
    host = two.host
    url = live_server.url

    # The admin reaches the school page from the header and creates a group.
    login(page, url, host.admin.username)
    with page.expect_navigation():
        page.locator(".main-nav a[href='/school/']").click()
    assert page.url == f"{url}/school/"
    assert page.locator("h1").inner_text() == host.school.name
    with page.expect_navigation():
        page.locator(".page-header a[href='/school/groups/new/']").click()
    page.fill("#id_name", NEW_GROUP)
    page.fill("#id_academic_year", "2026/2027")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    group = StudyGroup.objects.get(name=NEW_GROUP)
    assert group.school_id == host.school.pk
    assert group.academic_year == "2026/2027"
    assert page.url == f"{url}/school/groups/{group.pk}/"
    assert NEW_GROUP in page.locator(".message-success").inner_text()

    # Then, on the group's edit page, picks its teacher.
    teacher_box = page.locator(f"input[name='staff-teachers'][value='{host.teacher_a.pk}']")
    assert not teacher_box.is_checked()
    teacher_box.check()
    assert_screenshot(screenshot(page, "group-edit"))
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    assert page.url == f"{url}/school/"
    assert Membership.objects.filter(
        group=group, user=host.teacher_a, role=Membership.Role.TEACHER
    ).exists()
    row = page.locator(".roster tbody tr").filter(has_text=NEW_GROUP)
    assert row.locator("td.num").all_inner_texts() == ["0", "1"]  # pupils, teachers
    assert_screenshot(screenshot(page, "school-home"))
    assert_screenshot(screenshot_at(page, "school-home-phone", PHONE))

    # As the admin (who manages every group of the school) opens the group and adds two pupils.
    with page.expect_navigation():
        row.locator(f"a[href='/teach/groups/{group.pk}/']").click()
    assert page.locator(".page-header h1").inner_text() == NEW_GROUP
    assert host.teacher_a.get_display_name() in page.locator(".page-header").inner_text()
    first_passwords = {}
    for last_name, first_name in NEW_PUPILS:
        with page.expect_navigation():
            page.locator(f".toolbar a[href='/teach/groups/{group.pk}/pupils/new/']").click()
        page.fill("#id_last_name", last_name)
        page.fill("#id_first_name", first_name)
        with page.expect_navigation():
            page.locator("main form button[type=submit]").click()
        # Each new account comes with its own card at once.
        assert f"/teach/groups/{group.pk}/cards/" in page.url
        first_card = read_cards(page)
        assert list(first_card) == [f"{first_name} {last_name}"]
        first_passwords.update({name: password for name, (_, password) in first_card.items()})
        with page.expect_navigation():
            page.locator(f".print-bar a[href='/teach/groups/{group.pk}/']").click()
    members = {
        m.user.get_display_name(): m.user
        for m in Membership.objects.filter(group=group, role=Membership.Role.PUPIL).select_related(
            "user"
        )
    }
    assert set(members) == {f"{first} {last}" for last, first in NEW_PUPILS}
    roster = page.locator(".roster tbody tr")
    assert roster.count() == 2
    assert_screenshot(screenshot(page, "group-admin"))
    assert_screenshot(screenshot_at(page, "group-admin-phone", PHONE))

    # Login cards for every pupil: both names, logins and fresh passwords.
    with page.expect_navigation():
        page.locator(f".toolbar a[href='/teach/groups/{group.pk}/cards/']").click()
    page.locator("input[name=who][value=all]").check()
    assert_screenshot(screenshot(page, "issue-cards"))
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    cards = read_cards(page)
    assert set(cards) == set(members)
    for name, (username, password) in cards.items():
        assert username == members[name].username
        assert len(password) >= 8
        # New cards set new passwords: the one on the first card no longer works.
        members[name].refresh_from_db()
        assert members[name].check_password(password)
        assert not members[name].check_password(first_passwords[name])
    assert page.locator(".site-header").is_visible()
    assert_screenshot(screenshot(page, "cards"))
    assert_screenshot(screenshot_at(page, "cards-phone", PHONE))

    # Printed on A4: no header, footer or print bar; two cards side by side, short enough for
    # four rows a sheet, with the login and password big and in monospace.
    page.set_viewport_size(A4_PRINTABLE)
    page.emulate_media(media="print")
    assert page.locator(".site-header").is_hidden()
    assert page.locator(".print-bar").is_hidden()
    assert page.locator(".site-footer").is_hidden()
    boxes = [card.bounding_box() for card in page.locator(".login-card-print").all()]
    assert boxes[0]["y"] == boxes[1]["y"] and boxes[0]["x"] < boxes[1]["x"]
    assert boxes[0]["height"] <= 65 * MM
    secret = page.locator(".login-card-print .card-secret code").first
    style = secret.evaluate(
        "el => [getComputedStyle(el).fontFamily, getComputedStyle(el).fontSize]"
    )
    assert "mono" in style[0].lower(), style
    assert float(style[1].removesuffix("px")) >= 18, style
    assert_screenshot(screenshot(page, "cards-print"))
    # A whole class on one sheet: copies of the two cards fill the page as ten would.
    page.locator(".login-cards").evaluate(
        "grid => { const cards = [...grid.children];"
        " for (let i = 0; i < 4; i++) cards.forEach(c => grid.append(c.cloneNode(true))); }"
    )
    eighth = page.locator(".login-card-print").nth(7).bounding_box()
    assert eighth["y"] + eighth["height"] <= A4_PRINTABLE["height"]  # four full rows a sheet
    one_sheet = SCREENSHOT_DIR / "cards-print-a4.png"
    page.screenshot(path=str(one_sheet))  # the viewport: one sheet's printable area
    assert_screenshot(one_sheet)
    page.emulate_media(media="screen")
    page.set_viewport_size(DESKTOP)

    # The card works: the pupil signs in with the login and password printed on it.
    name = f"{NEW_PUPILS[0][1]} {NEW_PUPILS[0][0]}"
    username, password = cards[name]
    logout(page)
    login(page, url, username, password)
    assert page.url == f"{url}/learn/"
    assert page.locator(".header-tools .user-name").inner_text() == name

    assert console_errors == []


def test_pupil_joins_by_invite_and_the_teacher_sees_the_progress(live_server, page, console_errors):
    two = builders.build_two_schools(pupils=1)
    host, tree = two.host, two.tree
    group = host.group_a
    url = live_server.url
    newcomer = builders.make_user(
        "a_newcomer", roles.PUPIL, school=host.school, first_name="Алиса", last_name="Новикова"
    )
    late = builders.make_user("a_late", roles.PUPIL, school=host.school)

    # The teacher makes an invite on the group page.
    login(page, url, host.teacher_a.username)
    page.goto(f"{url}/teach/groups/{group.pk}/")
    invite_form = page.locator(f"form[action='/teach/groups/{group.pk}/invites/new/']")
    invite_form.locator("#id_days").fill("3")
    invite_form.locator("#id_max_uses").fill("5")
    with page.expect_navigation():
        invite_form.locator("button[type=submit]").click()
    invite = Invite.objects.get(group=group)
    assert (invite.max_uses, invite.uses) == (5, 0)
    assert page.url == f"{url}/teach/invites/{invite.pk}/"
    assert page.locator(".invite-code.big").inner_text().strip() == invite.code
    assert page.locator(".qr svg").is_visible()
    assert f"/join/{invite.code}/" in page.locator(".invite-card a[href*='/join/']").inner_text()
    assert_screenshot(screenshot(page, "invite"))
    logout(page)

    # A pupil of the school who is in no group types the code in lower case and joins.
    login(page, url, newcomer.username)
    assert page.locator(".dash-card").count() == 0
    with page.expect_navigation():
        page.locator("main a[href='/join/']").click()
    page.fill("#id_code", invite.code.lower())
    assert_screenshot(screenshot(page, "join-form"))
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    assert page.url == f"{url}/join/{invite.code}/"
    assert group.name in page.locator("h1").inner_text()
    assert_screenshot(screenshot(page, "join-confirm"))
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    assert page.url == f"{url}/learn/"
    assert group.name in page.locator(".message-success").inner_text()
    card = page.locator(".dash-card").filter(has_text=tree.course.title)
    assert card.count() == 1
    assert Membership.objects.filter(user=newcomer, group=group).exists()

    # The pupil opens the first lesson and marks it done.
    lesson = tree.lessons[0]
    with page.expect_navigation():
        card.locator("h2 a").click()
    with page.expect_navigation():
        page.locator(".course-outline .outline-lesson a").first.click()
    assert page.url.endswith(lesson.url)
    with page.expect_navigation():
        page.locator("form.done-form button[type=submit]").click()
    assert page.locator(".done-badge").is_visible()
    logout(page)

    # The teacher sees the pupil in the roster and a ✔ for exactly that lesson.
    login(page, url, host.teacher_a.username)
    with page.expect_navigation():
        page.locator(".main-nav a[href='/teach/']").click()
    with page.expect_navigation():
        page.locator(f".group-card h2 a[href='/teach/groups/{group.pk}/']").click()
    roster = page.locator(".roster tbody tr").filter(has_text=newcomer.username)
    assert roster.locator("td").first.inner_text() == "Новикова Алиса"
    lesson_titles = page.locator(".progress-grid .lesson-head").evaluate_all(
        "heads => heads.map(h => (h.querySelector('.col-full') || h).textContent.trim())"
    )
    assert lesson_titles == [lesson.title for lesson in tree.lessons]
    row = page.locator(".progress-grid tbody tr").filter(has_text=newcomer.username)
    cells = row.locator("td.cell")
    assert cells.count() == len(tree.lessons)
    assert "is-done" in (cells.nth(0).get_attribute("class") or "")
    assert cells.nth(0).inner_text().strip() == "✔"
    assert [cells.nth(i).get_attribute("class") for i in range(1, len(tree.lessons))] == [
        "cell"
    ] * (len(tree.lessons) - 1)
    assert row.locator("td.num").inner_text() == f"1/{len(tree.lessons)}"
    others = page.locator(".progress-grid tbody tr").filter(has_not_text=newcomer.username)
    assert others.locator("td.cell.is-done").count() == 0
    assert_screenshot(screenshot(page, "group-progress"))
    assert_screenshot(screenshot_at(page, "group-progress-phone", PHONE))
    logout(page)

    # An expired invite says so plainly.
    Invite.objects.filter(pk=invite.pk).update(expires_at=timezone.now() - timedelta(days=1))
    login(page, url, late.username)
    page.goto(f"{url}/join/{invite.code}/")
    refusal = page.locator(".join-card .message-error")
    assert refusal.is_visible()
    assert page.locator(".join-card form[method=post]").count() == 0
    # Word for word the expiry refusal, in the page's language, with the date it expired.
    with translation.override(page.locator("html").get_attribute("lang")):
        expected = invitations.refusal(Invite.objects.get(pk=invite.pk), late)
    assert refusal.inner_text().strip() == expected
    assert_screenshot(screenshot(page, "invite-expired"))
    assert not Membership.objects.filter(user=late, group=group).exists()

    assert console_errors == []


def test_visiting_teacher_enrols_a_group_in_the_shared_module_only(
    live_server, page, console_errors
):
    two = builders.build_two_schools(pupils=1)
    visiting, tree = two.visiting, two.tree
    group = visiting.group_b  # not enrolled by the builder
    first_module, second_module = tree.modules
    url = live_server.url
    assert not Enrolment.objects.filter(group=group).exists()

    # The teacher finds the shared catalogue from "My groups".
    login(page, url, visiting.teacher_b.username)
    with page.expect_navigation():
        page.locator(".main-nav a[href='/teach/']").click()
    with page.expect_navigation():
        page.locator(".page-header a[href='/teach/shared/']").click()
    assert page.url == f"{url}/teach/shared/"
    course = page.locator(".shared-course")
    assert course.count() == 1
    assert course.locator("h2").inner_text() == tree.course.title
    items = course.locator(".module-list li")
    assert items.count() == 1  # module 1 only: no "whole course", no module 2
    assert items.first.locator(".module-name").inner_text() == first_module.title
    assert second_module.title not in course.inner_text()
    select = items.first.locator("select[name=group]")
    assert select.locator("option").all_inner_texts() == [group.name]
    assert items.first.locator("input[name=module]").get_attribute("value") == str(first_module.pk)
    with page.expect_navigation():
        items.first.locator("button[type=submit]").click()
    assert page.url == f"{url}/teach/shared/"
    assert group.name in page.locator(".message-success").inner_text()
    enrolment = Enrolment.objects.get(group=group)
    assert (enrolment.course_id, enrolment.module_id) == (tree.course.pk, first_module.pk)
    assert_screenshot(screenshot(page, "shared-enrolled"))
    logout(page)

    # Their pupil opens a lesson of module 1 ...
    pupil = visiting.pupils_b[0]
    login(page, url, pupil.username)
    with page.expect_navigation():
        page.locator(".dash-card").filter(has_text=tree.course.title).locator("h2 a").click()
    links = page.locator(".course-outline .outline-lesson a")
    assert links.all_inner_texts() == [lesson.title for lesson in tree.lessons_of(first_module)]
    with page.expect_navigation():
        links.first.click()
    lesson = tree.lessons_of(first_module)[0]
    assert page.url.endswith(lesson.url)
    assert page.locator(".lesson-header h1").inner_text() == lesson.title
    assert page.locator(".lesson-body").get_by_text("Паяльник горячий!").is_visible()
    assert_screenshot(screenshot(page, "visiting-lesson"))

    assert console_errors == []

    # ... but a lesson of module 2, opened by its address, is locked.
    locked = tree.lessons_of(second_module)[0]
    response = page.goto(f"{url}{locked.url}")
    assert response.status == 403
    assert page.locator(".lesson-body").count() == 0
    notice = page.locator(".notice-locked")
    assert notice.is_visible()
    assert locked.title in notice.inner_text()
    assert_screenshot(screenshot(page, "visiting-lesson-locked"))
    # The only console error is the browser reporting the 403 itself.
    assert len(console_errors) == 1 and "403" in console_errors[0], console_errors


def test_a_teacher_cannot_open_another_schools_group(live_server, page):
    two = builders.build_two_schools(pupils=1)
    other = two.visiting.group_a

    login(page, live_server.url, two.host.teacher_a.username)
    response = page.goto(f"{live_server.url}/teach/groups/{other.pk}/")
    assert response.status == 404
    assert page.locator(".error-page").is_visible()
    body = page.locator("main").inner_text()
    assert other.name not in body
    assert two.visiting.pupils_a[0].username not in body
    assert_screenshot(screenshot(page, "other-school-group-404"))
