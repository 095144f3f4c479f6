"""The judges' pages in headless Chromium on a 390 px phone: no sideways scrolling, tap targets
of at least 44 px, no serious axe-core finding, and the sheet's steppers and running total
working with a finger (then the server's saved score is the one shown). Screenshots are kept
in test-artifacts/screenshots/contests-sheet-*.png."""

from __future__ import annotations

from decimal import Decimal as D

from contests.models import Contest, Criterion, JudgeAssignment, Sheet
from tests import builders
from tests.contests.builders import add_participant, add_task, make_contest
from tests.e2e.conftest import E2E_MARKS, screenshot
from tests.e2e.matrix_pages import new_context
from tests.e2e.test_accessibility import ALSO_FAILING, AXE, FAILING_IMPACTS, RUN_AXE
from tests.e2e.test_phone_layout import MEASURE, TAP_TARGETS

pytestmark = E2E_MARKS

PHONE = {
    "viewport": {"width": 390, "height": 844},
    "is_mobile": True,
    "has_touch": True,
    "device_scale_factor": 1,
}


def build():
    host = builders.build_school("a", pupils=1)
    contest = make_contest(
        "robots",
        rules=Contest.Rules.JUDGED,
        kind=Contest.Kind.ROBOTICS,
        categories=["Младшие (5–7 классы)", "Старшие (8–11 классы)"],
        teams=True,
    )
    junior = contest.categories.order_by("order").first()
    task = add_task(contest, "A", title="Кегельринг-квадро: вытолкнуть все кегли", runs_allowed=3)
    item = Criterion.objects.create(
        task=task, name="Кегля вытолкнута за линию ринга", points=10, max_count=8, order=1
    )
    Criterion.objects.create(
        task=task, name="Робот остановился в зоне финиша", points="2.5", max_count=1, order=2
    )
    penalty = Criterion.objects.create(
        task=task, name="Касание робота руками", kind="penalty", points=4, max_count=5, order=3
    )
    Criterion.objects.create(task=task, name="Время заезда", kind="time", order=4)
    judge = builders.make_user("field_judge", first_name="Ольга", last_name="Судьина")
    JudgeAssignment.objects.create(contest=contest, user=judge, category=junior)
    first = add_participant(
        contest,
        "Константинопольский Александр",
        team_name="Очень-очень длинное название команды «Роботехники Поволжья»",
        school_name="МБОУ «Средняя общеобразовательная школа № 123 имени Героя»",
        category=junior,
    )
    second = add_participant(contest, "Петров Иван", team_name="Шестерёнки", category=junior)
    add_participant(contest, "Сидорова Анна", category=contest.categories.last())
    return {
        "contest": contest,
        "task": task,
        "item": item,
        "penalty": penalty,
        "judge": judge,
        "organiser": host.teacher_a,
        "first": first,
        "second": second,
    }


def check_page(page, name: str, axe_source: str) -> list[str]:
    problems = []
    page.wait_for_load_state("load")
    measured = page.evaluate(MEASURE, 390)
    if measured["scrollWidth"] > 390:
        problems.append(f"{name}: {measured['scrollWidth']} px wide: {measured['culprits']}")
    small = page.evaluate(TAP_TARGETS, 44)
    if small:
        problems.append(f"{name}: small tap targets {small}")
    page.evaluate(axe_source)
    for violation in page.evaluate(RUN_AXE):
        if violation["impact"] in FAILING_IMPACTS or violation["id"] in ALSO_FAILING:
            problems.append(f"{name}: axe {violation['id']} {violation['nodes']}")
    screenshot(page, f"contests-sheet-{name}")
    return problems


def test_the_judges_pages_on_a_phone(browser, live_server):
    world = build()
    axe = AXE.read_text(encoding="utf-8")
    contest, task = world["contest"], world["task"]
    problems = []
    sheet_path = f"/contests/{contest.slug}/sheets/{task.pk}/{world['first'].pk}/1/"

    context = new_context(browser, live_server.url, world["judge"], **PHONE)
    try:
        page = context.new_page()
        errors = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.goto(f"/contests/{contest.slug}/sheets/")
        problems += check_page(page, "list-judge", axe)
        page.goto(sheet_path)
        problems += check_page(page, "form-judge", axe)

        item, penalty = world["item"], world["penalty"]
        plus = page.locator(f'[aria-controls="id_c{item.pk}"][data-step="1"]')
        minus = page.locator(f'[aria-controls="id_c{item.pk}"][data-step="-1"]')
        assert minus.is_disabled()  # nothing to take away yet
        for _ in range(3):
            plus.tap()
        minus.tap()
        page.locator(f'[aria-controls="id_c{penalty.pk}"][data-step="1"]').tap()
        assert page.locator(f"#id_c{item.pk}").input_value() == "2"
        assert page.locator("[data-sheet-total]").inner_text() == "16"  # 2 × 10 − 4
        page.fill("#id_time", "1:05,5")
        page.fill("#id_comment", "Чисто, одно касание")
        with page.expect_navigation():
            page.locator('button[name="then"][value="next"]').tap()
        assert page.url.endswith(
            f"/contests/{contest.slug}/sheets/{task.pk}/{world['second'].pk}/1/"
        )
        assert "16" in page.locator(".messages").inner_text()
        assert errors == []
    finally:
        context.close()

    sheet = Sheet.objects.get()
    assert sheet.score == D("16") and sheet.time_seconds == D("65.5")

    context = new_context(browser, live_server.url, world["organiser"], **PHONE)
    try:
        page = context.new_page()
        page.goto(f"/contests/{contest.slug}/sheets/")
        problems += check_page(page, "list-organiser", axe)
        page.goto(sheet_path)
        problems += check_page(page, "form-organiser", axe)
        assert "Ольга Судьина" in page.locator(".sheet-judges").inner_text()
    finally:
        context.close()
    assert not problems, "\n".join(problems)
