"""A teacher reads a group's progress grid and its gradebook on a desktop (1366 px) and a phone
(390 px): columns named by lesson and assignment with the whole title on hover and on keyboard
focus, the first column and the header kept in view while the table scrolls inside its card,
the totals reachable, the pupils with nothing done marked in words, the group's picture drawn
as SVG, and no sideways scroll of the page itself. Screenshots of both pages at both widths."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from assessments.models import Grade, Submission
from courses.models import CoursePage, LessonPage, LessonProgress, ModulePage
from lms import roles
from lms.models import Membership
from tests import builders
from tests.assessments.builders import make_assignment
from tests.e2e.conftest import E2E_MARKS, SCREENSHOT_DIR, login, screenshot

pytestmark = E2E_MARKS

WIDE = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}

OUTLINE = {
    "Основы электроники": [
        "Знакомство с конструктором",
        "Первая программа: мигаем светодиодом",
        "Закон Ома на практике",
        "Кнопки и подтягивающие резисторы",
    ],
    "Датчики и моторы": [
        "Инфракрасные датчики линии",
        "Драйвер мотора L298N и управление скоростью",
        "Ультразвуковой дальномер",
        "ПИД-регулятор: робот едет по линии плавно",
    ],
    "Соревнования": [
        "Кегельринг",
        "Траектория: повороты и перекрёстки",
        "Сумо роботов",
        "Итоговый проект",
    ],
}
ASSIGNMENTS = [  # (lesson index, title)
    (1, "Мигающий светодиод с кнопкой"),
    (2, "Таблица измерений: напряжение и ток"),
    (4, "Робот проходит трассу с двумя перекрёстками"),
    (5, "Плавный разгон"),
    (7, "Отчёт о настройке ПИД-регулятора"),
    (8, "Кегельринг за 60 секунд"),
    (11, "Итоговый проект: робот-сортировщик"),
]
PUPILS = [  # (last name, first name, lessons done, lessons only opened)
    ("Кузнецов", "Артём", 9, 1),
    ("Иванова", "Софья", 12, 0),
    ("Соколов", "Максим", 4, 2),
    ("Попова", "Алиса", 0, 0),  # nothing at all
    ("Морозов", "Лев", 6, 0),
    ("Новикова", "Ева", 2, 3),
    ("Ёлкин", "Степан", 0, 0),  # nothing at all; "Ё" sorts with "Е"
    ("Васильева-Римская-Корсакова-Оболенская-Шереметева", "Анастасия-Виктория", 7, 1),
]


def build_group():
    school = builders.build_school("g", pupils=0)
    group, teacher = school.group_a, school.teacher_a
    course = builders.publish_child(
        builders.catalogue_page(),
        CoursePage(
            title="Робототехника: от светодиода до соревнований",
            slug="grid-robots",
            track="robotics",
            summary="Курс для проверки таблиц.",
        ),
    )
    lessons = []
    for m, (module_title, titles) in enumerate(OUTLINE.items(), 1):
        module = builders.publish_child(course, ModulePage(title=module_title, slug=f"gm{m}"))
        for n, title in enumerate(titles, 1):
            lesson = LessonPage(title=title, slug=f"gl{n}")
            lessons.append(builders.publish_child(module, lesson))
    builders.enrol(group, builders.CourseTree(course, [], lessons))
    pupils = []
    for n, (last, first, done, opened) in enumerate(PUPILS):
        pupil = builders.make_user(
            f"g_pupil{n + 1}", roles.PUPIL, school=school.school, last_name=last, first_name=first
        )
        Membership.objects.create(user=pupil, group=group, role=Membership.Role.PUPIL)
        pupils.append(pupil)
        now = timezone.now() - timedelta(hours=n)
        for i, lesson in enumerate(lessons[: done + opened]):
            LessonProgress.objects.create(
                user=pupil, lesson=lesson, course=course, completed_at=now if i < done else None
            )
    made = [
        make_assignment(lessons[index], title=title, max_points=Decimal(10 if k % 3 else 5))
        for k, (index, title) in enumerate(ASSIGNMENTS)
    ]
    for n, pupil in enumerate(pupils):
        if PUPILS[n][2] == 0:
            continue  # the pupils who have done nothing hand in nothing either
        for k, assignment in enumerate(made[: PUPILS[n][2] // 2 + 1]):
            status = [
                Submission.Status.GRADED,
                Submission.Status.SUBMITTED,
                Submission.Status.GRADED,
                Submission.Status.RETURNED,
            ][(n + k) % 4]
            work = Submission.objects.create(
                assignment=assignment,
                pupil=pupil,
                group=group,
                attempt=1,
                status=status,
                text="Готово",
                submitted_at=timezone.now(),
                is_late=(n + k) % 5 == 0,
            )
            if status != Submission.Status.SUBMITTED:
                points = assignment.max_points - (n + k) % 3
                Grade.objects.create(
                    submission=work,
                    points=points,
                    final_points=points,
                    is_released=True,
                    released_at=timezone.now(),
                )
    return group, teacher, course, lessons, made


def page_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def frame_box(page, selector: str) -> dict:
    return page.evaluate(
        """(sel) => { const f = document.querySelector(sel); const r = f.getBoundingClientRect();
           return {left: r.left, right: r.right, top: r.top, bottom: r.bottom,
                   scrollWidth: f.scrollWidth, clientWidth: f.clientWidth}; }""",
        selector,
    )


def check_scrolling_table(page, frame: str, last_cell: str) -> None:
    """The table scrolls inside its frame; scrolled to the end, the last column is in view and
    the first column and the header have stayed where they were."""
    box = frame_box(page, frame)
    pupil = page.locator(f"{frame} tbody tr:first-child .pupil-col")
    before = pupil.bounding_box()
    page.evaluate(
        "(sel) => { const f = document.querySelector(sel); f.scrollLeft = f.scrollWidth; "
        "f.scrollTop = f.scrollHeight; }",
        frame,
    )
    page.wait_for_timeout(50)
    last = page.locator(f"{frame} {last_cell}").last.bounding_box()
    assert last["x"] + last["width"] <= box["right"] + 1, (last, box)
    assert last["x"] >= box["left"], (last, box)
    header = page.locator(f"{frame} thead tr:first-child th").first.bounding_box()
    assert abs(header["y"] - box["top"]) <= 2, (header, box)  # the header stuck to the top
    assert abs(header["x"] - box["left"]) <= 2, (header, box)  # and its first cell to the left
    first = page.locator(f"{frame} tbody tr:last-child .pupil-col").bounding_box()
    assert abs(first["x"] - before["x"]) <= 2, (first, before)  # the names did not move
    page.evaluate(
        "(sel) => { const f = document.querySelector(sel); f.scrollLeft = 0; f.scrollTop = 0; }",
        frame,
    )


def check_tip_on_focus(page, heading, full_title: str, shot: str) -> None:
    """Tabbing to a column's name shows its whole title, which is also what it is called."""
    name = heading.locator(".col-name")
    tip = name.locator(".col-full")
    assert tip.bounding_box()["width"] <= 1  # hidden until asked for
    name.focus()
    page.wait_for_timeout(50)
    assert page.evaluate("document.activeElement.classList.contains('col-name')")
    shown = tip.bounding_box()
    assert shown["width"] > 60 and shown["height"] > 10, shown
    assert full_title in tip.inner_text()
    frame = heading.locator("xpath=ancestor::div[contains(@class, 'grid-frame')]")
    frame.screenshot(path=str(SCREENSHOT_DIR / f"{shot}.png"))
    name.blur()
    name.hover()
    assert tip.bounding_box()["width"] > 60
    page.mouse.move(0, 0)


def shots(page, name: str) -> None:
    for suffix, viewport in (("desktop", WIDE), ("phone", PHONE)):
        page.set_viewport_size(viewport)
        page.evaluate("window.scrollTo(0, 0)")
        assert page_width(page) <= viewport["width"], f"{page.url} overflows at {viewport}"
        path = screenshot(page, f"{name}-{suffix}")
        assert path.stat().st_size > 10_000, path
    page.set_viewport_size(WIDE)


def test_teacher_reads_the_progress_grid_and_the_gradebook(live_server, page, console_errors):
    group, teacher, course, lessons, assignments = build_group()
    url = live_server.url
    page.set_viewport_size(WIDE)
    login(page, url, teacher.username)

    # The group page: the picture, the facts, then the grid.
    page.goto(f"{url}/teach/groups/{group.pk}/")
    card = page.locator("section.grid-card")
    charts = card.locator("svg.progress-chart")
    assert charts.count() == len(OUTLINE)  # one small chart per module
    assert charts.nth(1).get_attribute("role") == "img"
    assert "Инфракрасные датчики линии" in charts.nth(1).locator("desc").text_content()
    if page.viewport_size["width"] >= 1200:  # the modules' charts sit side by side
        tops = {round(charts.nth(i).bounding_box()["y"]) for i in range(len(OUTLINE))}
        assert len(tops) == 1, tops
    idle = card.locator(".idle-note")
    assert "Ёлкин Степан" in idle.inner_text() and "Попова Алиса" in idle.inner_text()

    heads = card.locator("thead .lesson-head")
    assert heads.count() == len(lessons)
    # Named by lesson; the whole title is what a screen reader hears and what the tip shows.
    long_one = heads.nth(5)
    assert "Драйвер мотора" in long_one.locator(".col-short").inner_text()
    assert long_one.locator(".col-short").get_attribute("aria-hidden") == "true"
    check_tip_on_focus(
        page, long_one, "Драйвер мотора L298N и управление скоростью", "grids-group-tip"
    )
    assert heads.nth(0).locator("a").get_attribute("href") == lessons[0].url

    names = card.locator("tbody .pupil-col").evaluate_all(
        "cells => cells.map(c => c.firstChild.textContent.trim())"
    )
    assert names[:4] == ["Васильева-Римская-Корсакова-Оболенская-Шереметева Анастасия-Виктория",
                         "Ёлкин Степан", "Иванова Софья", "Кузнецов Артём"]  # fmt: skip
    idle_rows = card.locator("tbody tr.is-idle")
    assert idle_rows.count() == 2
    assert idle_rows.first.locator(".idle-badge").inner_text().strip()
    check_scrolling_table(page, "section.grid-card .grid-frame", "tbody tr:first-child td")
    shots(page, "grids-group-progress")

    # On a phone the table still scrolls inside its card, names in view.
    page.set_viewport_size(PHONE)
    check_scrolling_table(page, "section.grid-card .grid-frame", "tbody tr:first-child td")
    page.set_viewport_size(WIDE)

    # The gradebook: named by assignment, totals reachable, nothing-handed-in marked.
    page.goto(f"{url}/work/gradebook/groups/{group.pk}/courses/{course.pk}/")
    book = page.locator("section.grid-card")
    heads = book.locator("thead .assignment-head")
    assert heads.count() == len(assignments)
    check_tip_on_focus(
        page, heads.nth(2), "Робот проходит трассу с двумя перекрёстками", "grids-gradebook-tip"
    )
    assert "Инфракрасные датчики линии" in heads.nth(2).locator(".col-full").inner_text()
    assert book.locator("tbody tr.is-idle").count() == 2
    assert "Ёлкин Степан" in book.locator(".idle-note").inner_text()
    check_scrolling_table(page, "section.grid-card .grid-frame", "tbody tr:first-child td")
    picture = page.locator("svg.progress-chart")
    assert picture.get_attribute("role") == "img"
    assert "Плавный разгон" in picture.locator("desc").text_content()
    shots(page, "grids-gradebook")
    page.set_viewport_size(PHONE)
    check_scrolling_table(page, "section.grid-card .grid-frame", "tbody tr:first-child td")
    page.set_viewport_size(WIDE)

    assert not console_errors, console_errors  # no CSP refusals, no script errors
