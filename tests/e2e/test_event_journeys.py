"""Events in a real browser (issue 12): a visiting school's teacher registers pupils and the
waiting list moves when a place frees; a visitor without an account registers and confirms by
the e-mailed link; on the day the check-in list on a phone keeps marks made offline and sends
each exactly once; afterwards the organisers issue certificates, the pupil downloads the PDF and
anyone can check it on a public page that shows only "Имя Ф.".

The live server's SQLite breaks on concurrent writes, so every step waits for the page's own
requests to settle. The interface strings are not translated yet, so the tests find things by
their addresses, classes and the database, not by their words."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from events import registering
from events.models import Certificate, CheckIn, Registration
from tests import builders
from tests.e2e.conftest import E2E_MARKS, PHONE, login, logout, screenshot, screenshot_at
from tests.events.builders import events_index, make_event, register

pytestmark = E2E_MARKS

Status = Registration.Status


def shot(page, name: str, phone: bool = False):
    """A full-page screenshot event-<name>.png (and event-<name>-phone.png at 390 px, where
    the page must not scroll sideways)."""
    path = screenshot(page, f"event-{name}")
    assert path.stat().st_size > 10_000, f"{path} is suspiciously small"
    if phone:
        page.set_viewport_size(PHONE)
        no_horizontal_scroll(page)
        path = screenshot_at(page, f"event-{name}-phone", PHONE)  # back to the desktop after
        assert path.stat().st_size > 10_000, f"{path} is suspiciously small"
    return path


def name(user, first: str, last: str):
    user.first_name, user.last_name = first, last
    user.save(update_fields=["first_name", "last_name"])
    return user


def no_horizontal_scroll(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"{page.url} scrolls sideways: {width}px"


def submit(page, selector: str) -> None:
    with page.expect_navigation():
        page.locator(selector).click()
    page.wait_for_load_state()


# --- 1. A visiting school's teacher registers pupils; the waiting list moves -------------------


def test_visiting_teacher_registers_pupils_and_takes_a_freed_place(
    live_server, page, console_errors
):
    two = builders.build_two_schools(pupils=2)
    host, visiting = two.host, two.visiting
    url = live_server.url
    index = events_index()
    event = make_event(
        "Мастер-класс: первый робот",
        slug="first-robot",
        capacity=2,
        summary="Собираем и программируем робота на Arduino.",
        track="robotics",
    )
    host_pupil = name(host.pupils_a[0], "Мария", "Иванова")
    first = name(visiting.pupils_a[0], "Артём", "Алексеев")
    second = name(visiting.pupils_a[1], "Вера", "Борисова")
    own, created = registering.register_self(event, host_pupil)
    assert created and own.status == Status.CONFIRMED

    # The visiting teacher finds the event in the list and opens it.
    login(page, url, visiting.teacher_a.username)
    page.goto(f"{url}{index.url}")
    card = page.locator(f".event-card-link[href='{event.url}']")
    assert card.locator(".event-card-title").inner_text() == event.title
    assert card.locator(".places").count() == 1  # one place left
    shot(page, "index", phone=True)
    with page.expect_navigation():
        card.click()
    assert page.url == f"{url}{event.url}"
    assert page.locator(".event-hero h1").inner_text() == event.title
    shot(page, "page", phone=True)

    # "Register my pupils": both pupils of the group are ticked; the form goes on.
    register_group = f"/event/{event.pk}/register/group/"
    submit(page, f".reg-panel a[href='{register_group}']")
    assert page.url == f"{url}{register_group}"
    boxes = page.locator(".reg-pupils input[type=checkbox]")
    assert boxes.count() == 2
    for pupil in (first, second):
        box = page.locator(f".reg-pupils input[value='{pupil.pk}']")
        box.check()
        assert box.is_checked()
    page.select_option("#id_school_class", "6")
    shot(page, "register-group", phone=True)
    submit(page, ".reg-form form[method=post] button[type=submit]")

    # My events: one pupil has the last place, the other is on the waiting list.
    assert page.url == f"{url}/event/mine/"
    statuses = {
        r.user_id: r.status for r in Registration.objects.filter(registered_by=visiting.teacher_a)
    }
    assert statuses == {first.pk: Status.CONFIRMED, second.pk: Status.WAITING}
    rows = page.locator(".reg-mine .reg-list li")
    assert rows.count() == 2
    assert rows.filter(has_text="Алексеев Артём").locator(".reg-status-confirmed").count() == 1
    assert rows.filter(has_text="Борисова Вера").locator(".reg-status-waiting").count() == 1
    assert page.locator(".message-success").count() == 1
    shot(page, "mine-waiting", phone=True)
    logout(page)

    # The host pupil opens their registration from the event page and cancels it.
    login(page, url, host_pupil.username)
    page.goto(f"{url}{event.url}")
    submit(page, f".reg-panel a[href='/event/r/{own.code}/']")
    assert page.locator(".reg-ticket .reg-status-confirmed").count() == 1
    assert page.locator(".reg-qr svg").count() == 1
    shot(page, "registration")
    submit(page, ".reg-cancel button[type=submit]")
    own.refresh_from_db()
    assert own.status == Status.CANCELLED
    assert page.locator(".reg-ticket .reg-status-cancelled").count() == 1
    logout(page)

    # The freed place is offered to the first on the waiting list: the teacher takes it.
    waiting = Registration.objects.get(event=event, user=second)
    assert waiting.status == Status.OFFERED and waiting.offer_expires_at is not None
    login(page, url, visiting.teacher_a.username)
    page.goto(f"{url}/event/mine/")
    offered = page.locator(".reg-list li").filter(has_text="Борисова Вера")
    status_text = offered.locator(".reg-status-offered").inner_text()
    until = timezone.localtime(waiting.offer_expires_at).strftime("%H:%M")
    assert until in status_text, status_text  # "offered a place: confirm by <day>, <time>"
    accept = offered.locator(f"form[action='/event/r/{waiting.code}/accept/'] button")
    assert accept.is_visible()
    shot(page, "mine-offer", phone=True)
    with page.expect_navigation():
        accept.click()
    waiting.refresh_from_db()
    assert waiting.status == Status.CONFIRMED
    assert page.locator(".reg-ticket .reg-status-confirmed").count() == 1
    page.goto(f"{url}/event/mine/")
    assert page.locator(".reg-list .reg-status-confirmed").count() == 2
    assert page.locator(".reg-list .reg-status-offered, .reg-list .reg-status-waiting").count() == 0
    shot(page, "mine-taken")

    assert console_errors == []


# --- 2. A visitor without an account ---------------------------------------------------------


def test_visitor_without_an_account_registers_and_confirms_by_the_emailed_link(
    live_server, page, console_errors
):
    url = live_server.url
    event = make_event(
        "День открытых дверей",
        slug="open-day",
        kind="open_day",
        guests_register=True,
        capacity=30,
        min_class=5,
        max_class=9,
    )
    mail.outbox = []

    page.goto(f"{url}{event.url}")
    submit(page, f".reg-panel a[href='/event/{event.pk}/register/guest/']")
    page.fill("#id_full_name", "Смирнова Анна")
    page.fill("#id_school_name", "Школа № 12, Тольятти")
    page.fill("#id_email", "Anna.Smirnova@example.org")
    assert page.locator("input[name=category][value=pupil]").is_checked()
    page.select_option("#id_school_class", "7")
    shot(page, "guest-form", phone=True)
    submit(page, ".reg-form form button[type=submit]")

    # "Check your e-mail": no place is kept until the link is followed.
    assert page.locator(".reg-sent").count() == 1
    assert "anna.smirnova@example.org" in page.locator(".reg-sent strong").inner_text()
    guest = Registration.objects.get(event=event, source=Registration.Source.GUEST)
    assert guest.status == Status.UNCONFIRMED
    assert (guest.full_name, guest.school_class) == ("Смирнова Анна", 7)
    shot(page, "guest-sent")

    # The live server runs in this process with the locmem backend: the letter is here.
    letters = [m for m in mail.outbox if m.to == ["anna.smirnova@example.org"]]
    assert len(letters) == 1, [m.to for m in mail.outbox]
    link = re.search(r"/event/r/[\w-]+/", letters[0].body).group(0)
    assert link == f"/event/r/{guest.code}/"

    page.goto(f"{url}{link}")
    assert page.locator(".reg-ticket .reg-status-unconfirmed").count() == 1
    assert page.locator(".reg-qr").count() == 0
    submit(page, f"form[action='/event/r/{guest.code}/confirm-email/'] button")
    guest.refresh_from_db()
    assert guest.status == Status.CONFIRMED and guest.email_confirmed_at is not None
    assert page.locator(".reg-ticket .reg-status-confirmed").count() == 1
    assert page.locator(".reg-qr svg").is_visible()
    shot(page, "ticket", phone=True)

    assert console_errors == []


# --- 3. On the day: offline check-in on a phone ----------------------------------------------


@pytest.fixture
def phone(browser):
    context = browser.new_context(
        viewport=PHONE, is_mobile=True, has_touch=True, locale="ru-RU", device_scale_factor=2
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(f"uncaught: {exc}"))
    page.on(
        "console",
        lambda m: m.type == "error" and "favicon" not in m.text and errors.append(m.text),
    )
    page.errors = errors
    yield page
    context.close()


def pending_text(page) -> str:
    return page.locator("[data-pending-text]").inner_text()


def wait_all_sent(page) -> None:
    """Until the queue says every mark is on the server (no request left in flight)."""
    all_sent = page.locator("#checkin").get_attribute("data-l-all-sent")
    page.wait_for_function(
        "text => document.querySelector('[data-pending-text]').textContent.endsWith(text)",
        arg=all_sent,
    )
    page.wait_for_load_state("networkidle")


def person(page, registration):
    return page.locator(f"#person-{registration.pk}")


def test_check_in_on_a_phone_keeps_offline_marks_and_sends_each_once(live_server, phone):
    page = phone
    two = builders.build_two_schools(pupils=2)
    host = two.host
    url = live_server.url
    event = make_event(
        "Проектная неделя: умный дом",
        slug="smart-home",
        kind="project_week",
        starts_in=timedelta(minutes=-10),
        length=timedelta(hours=3),
        capacity=10,
    )
    names = [("Мария", "Иванова"), ("Пётр", "Петров"), ("Ольга", "Сидорова"), ("Глеб", "Ершов")]
    pupils = [*host.pupils_a, *host.pupils_b]
    people = [
        register(event, name(pupil, first, last), full_name=f"{last} {first}")  # as the services
        for pupil, (first, last) in zip(pupils, names, strict=True)
    ]
    ivanova, petrov, sidorova, yershov = people

    login(page, url, host.teacher_a.username)
    page.goto(f"{url}/event/{event.pk}/check-in/")
    assert page.locator(".checkin-person").count() == 4
    no_horizontal_scroll(page)

    # Online: search a surname, tap; the mark goes at once.
    page.locator("#checkin-search").fill("иван")
    assert page.locator(".checkin-person:visible").count() == 1
    person(page, ivanova).locator("button").tap()
    wait_all_sent(page)
    assert person(page, ivanova).get_attribute("class").split().count("is-in") == 1
    page.locator("#checkin-search").fill("")
    assert page.locator(".checkin-person:visible").count() == 4
    assert "is-online" in page.locator("[data-net]").get_attribute("class")
    shot(page, "checkin-online")

    # Offline: two more taps and a walk-in wait on the phone, shown as waiting.
    page.context.set_offline(True)
    page.wait_for_function("navigator.onLine === false")
    person(page, petrov).locator("button").tap()
    person(page, sidorova).locator("button").tap()
    page.fill("#walk-in-name", "Кузнецов Илья")
    page.fill("#walk-in-school", "Школа № 5")
    page.fill("#walk-in-class", "8")
    page.locator("#walk-in-form button[type=submit]").tap()
    assert page.locator(".checkin-person.is-pending").count() == 3
    assert page.locator(".checkin-person.is-in").count() == 4
    assert page.locator(".checkin-toggle[aria-disabled=true]").count() == 1  # the walk-in
    assert "is-offline" in page.locator("[data-net]").get_attribute("class")
    assert "3" in pending_text(page)
    assert CheckIn.objects.filter(registration__event=event).count() == 1  # nothing sent yet
    page.evaluate("window.scrollTo(0, 0)")
    no_horizontal_scroll(page)
    shot(page, "checkin-offline")

    # Back online: the queue empties by itself.
    page.context.set_offline(False)
    wait_all_sent(page)
    assert page.locator(".checkin-person.is-pending").count() == 0
    assert page.locator(".checkin-person.is-in").count() == 4
    assert person(page, yershov).get_attribute("class").split().count("is-in") == 0
    page.evaluate("window.scrollTo(0, 0)")
    shot(page, "checkin-synced")

    walk_in = Registration.objects.get(event=event, source=Registration.Source.WALK_IN)
    assert (walk_in.full_name, walk_in.school_name, walk_in.school_class) == (
        "Кузнецов Илья",
        "Школа № 5",
        8,
    )
    came = set(
        Registration.objects.filter(event=event, attended_at__isnull=False).values_list(
            "pk", flat=True
        )
    )
    assert came == {ivanova.pk, petrov.pk, sidorova.pk, walk_in.pk}
    marks = list(
        CheckIn.objects.filter(registration__event=event).values_list("registration", "action")
    )
    assert sorted(marks) == sorted((pk, CheckIn.Action.ARRIVED) for pk in came)  # each once
    assert page.errors == []


# --- 4. After: certificates, the PDF, the public check, the report ---------------------------


def test_certificates_after_the_event_and_the_public_check(live_server, page, console_errors):
    two = builders.build_two_schools(pupils=2)
    host = two.host
    url = live_server.url
    event = make_event(
        "Мастер-класс: паяем светофор",
        slug="traffic-light",
        starts_in=timedelta(hours=-3),
        length=timedelta(hours=2),
        certificates=True,
        capacity=20,
        track="engineering",
    )
    pupil = name(host.pupils_a[0], "Мария", "Иванова")
    other = name(host.pupils_a[1], "Пётр", "Петров")
    absent = name(host.pupils_b[0], "Ольга", "Сидорова")
    came_at = event.starts_at + timedelta(minutes=5)
    mine = register(event, pupil, attended_at=came_at, school_class=6)
    register(event, other, attended_at=came_at, school_class=6)
    register(event, absent, school_class=7)

    # The organiser opens the registrations and issues the certificates.
    login(page, url, host.teacher_a.username)
    page.goto(f"{url}{event.url}")
    submit(page, f".reg-staff a[href='/event/{event.pk}/registrations/']")
    assert page.locator(".reg-figures strong").all_inner_texts() == ["3", "17", "2"]
    shot(page, "registrations", phone=True)
    submit(page, f"form[action='/certificates/event/{event.pk}/issue/'] button")
    assert page.locator(".message-success").count() == 1
    assert Certificate.objects.count() == 2
    certificate = Certificate.objects.get(user=pupil)
    assert certificate.holder_public_name == "Мария И."

    # The report lists the event (its day given: near 1 September the default academic year
    # could be another one).
    day = timezone.localtime(event.starts_at).date().isoformat()
    page.goto(f"{url}/event/report/?start={day}&end={day}")
    assert event.title in page.locator("main").inner_text()
    shot(page, "report", phone=True)
    logout(page)

    # The pupil downloads the PDF from their registration page.
    login(page, url, pupil.username)
    page.goto(f"{url}{event.url}")
    submit(page, f".reg-panel a[href='/event/r/{mine.code}/']")
    with page.expect_download() as download_info:
        page.locator(f"a[href='/event/r/{mine.code}/certificate/']").click()
    download = download_info.value
    with open(download.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
    assert download.suggested_filename.endswith(".pdf")
    shot(page, "registration-certificate")
    logout(page)

    # Anyone can check it: the public page shows "Мария И.", never the surname.
    page.goto(f"{url}/certificates/{certificate.code}/")
    assert page.locator(".cert-status-valid").count() == 1
    facts = page.locator(".cert-facts").inner_text()
    assert "Мария И." in facts
    assert "Иванова" not in page.content()
    assert page.locator(f"a[href='/certificates/{certificate.code}/pdf/']").count() == 0
    page.fill("#cert-name", "иванова  мария")
    submit(page, ".cert-name-form button[type=submit]")
    assert page.locator(".cert-result-match").count() == 1
    assert "Иванова" not in page.content()  # the typed name is not shown back
    shot(page, "certificate-check", phone=True)
    page.fill("#cert-name", "Петров Пётр")
    submit(page, ".cert-name-form button[type=submit]")
    assert page.locator(".cert-result-mismatch").count() == 1

    assert console_errors == []
