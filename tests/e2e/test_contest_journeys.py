"""A contest in a real browser (issue 13, "End-to-end"): a visiting school's teacher registers
two pupils; one presses Start in an individual window and solves a task, and the live standings
show it to the jury and to the public; the public board freezes and a run sent during the
freeze shows there as "?" while the jury sees it live; after the end the jury unfreezes the
board, a pupil files an appeal that the jury grants with a new score, the standings change, the
jury publishes the results, and the pupil downloads the diploma and opens the page its QR code
points to, which confirms the name (public form), the contest and the award.

What the organisers would have prepared beforehand is made by the builders: the contest (IOI
rules, an individual window of 60 minutes in a period of two hours, the public board frozen
for the last 30 minutes, appeals for two days after the end), its two programming tasks and
its award rules. Everything people do is done in the browser, each person in their own
browser context.

Judging is real (the sandbox). The test settings keep Django's immediate task backend, and a
run is queued on the commit of the transaction that stores it, so the program is judged inside
the request that sends it, before the redirect to the run's page (the page would refresh itself
until the verdict is in otherwise).

Time: the live server's clock cannot be moved from here (it runs in another thread, and the
round's rules read timezone.now() in many places), so "time passes" is done by moving every
stored moment of the contest back (`clock_moves`): the round's times, the participants' starts
and the runs' times. For the rules that is the same as the clock moving on.

Each main page is photographed at 1280 and 390 px (test-artifacts/screenshots/contest-*.png),
must not scroll sideways on the phone, and is checked with axe-core (serious and critical
findings, and the lesser rules test_accessibility.py enforces, fail the test). The live
server's SQLite breaks on concurrent writes, so every step waits for its page to settle."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal
from urllib.parse import urlsplit

import pytest
from django.db.models import F
from django.utils import timezone

from assessments.programming.spec import Scoring, TestSpec
from contests import standings
from contests.models import (
    Appeal,
    Award,
    AwardRule,
    Contest,
    Participant,
    Run,
    ScoreChange,
    Task,
)
from events.certificate_pdf import check_url
from events.models import Certificate
from tests import builders
from tests.assessments.programming.builders import make_problem, sum_spec
from tests.contests.builders import add_task, make_contest
from tests.e2e.conftest import DESKTOP, E2E_MARKS, PHONE, login, screenshot, screenshot_at
from tests.e2e.test_accessibility import ALSO_FAILING, AXE, FAILING_IMPACTS, RUN_AXE
from tests.e2e.test_phone_layout import MEASURE, MIN_TAP, TAP_TARGETS

pytestmark = E2E_MARKS

JUDGE_TIMEOUT_MS = 90_000  # a Python start in the sandbox per test, on a busy 2-core machine
SLUG = "summer-code"
TITLE = "Олимпиада по программированию «Летний код»"

# Typed key by key as a pupil does (the editor closes brackets itself: a typed ")" steps over
# the one it added).
RIGHT_LINES = ["a, b = map(int, input().split())", "print(a + b)"]
# Sent as a file: the second number's sign is lost. Of the sum's subtasks (40 + 60 points) only
# the small-numbers one, whose second example has a negative number, is lost: 60 points.
SLIP = "a, b = map(int, input().split())\nprint(a + abs(b))\n"


def max_spec():
    """Task B, which nobody gets to: the larger of two numbers, all or nothing."""
    return sum_spec(
        title="Большее из двух",
        statement="Даны два целых числа $a$ и $b$. Выведите большее из них.",
        scoring=Scoring.ALL_OR_NOTHING,
        subtasks=[],
        tests=[
            TestSpec("2 3\n", "3\n", "01", is_example=True),
            TestSpec("-1 -7\n", "-1\n", "02"),
            TestSpec("5 5\n", "5\n", "03"),
        ],
        solutions={"python": "print(max(map(int, input().split())))\n"},
    )


# --- The world the organisers prepared -------------------------------------------------------


def named(user, first: str, last: str):
    user.first_name, user.last_name = first, last
    user.save(update_fields=["first_name", "last_name"])
    return user


def prepare():
    two = builders.build_two_schools(pupils=3)
    host, visiting = two.host, two.visiting
    first = named(visiting.pupils_a[0], "Артём", "Алексеев")
    second = named(visiting.pupils_a[1], "Вера", "Борисова")
    named(visiting.pupils_a[2], "Глеб", "Ершов")  # not registered: the teacher unticks him
    named(host.teacher_a, "Ольга", "Кузнецова")
    contest = make_contest(
        SLUG,
        title=TITLE,
        rules=Contest.Rules.IOI,
        kind=Contest.Kind.PROGRAMMING,
        starts_in=timedelta(minutes=-10),
        length=timedelta(hours=2),
        window_minutes=60,
        freeze_minutes=30,
        audience=Contest.Audience.SCHOOLS,
        self_registration=False,
        practice_after_end=False,
        description="Две задачи на 60 минут. Окно открывается, когда вы нажмёте «Старт».",
    )
    Contest.objects.filter(pk=contest.pk).update(appeals_until=contest.ends_at + timedelta(days=2))
    contest.schools.add(visiting.school)
    contest.jury.add(host.teacher_a)  # a named jury member: told of every appeal filed
    add_task(
        contest,
        "A",
        kind=Task.Kind.PROGRAMMING,
        problem=make_problem(),
        title="Сумма двух чисел",
        max_score=100,
    )
    add_task(
        contest,
        "B",
        kind=Task.Kind.PROGRAMMING,
        problem=make_problem(max_spec()),
        title="Большее из двух",
        max_score=100,
    )
    AwardRule.objects.create(contest=contest, award="Победитель", max_place=1, order=0)
    AwardRule.objects.create(contest=contest, award="Призёр", min_score=70, order=1)
    return two, contest, first, second


def clock_moves(contest: Contest, minutes: int) -> None:
    """Time passes: every stored moment of the contest moves back (the module's note)."""
    delta = timedelta(minutes=minutes)
    Contest.objects.filter(pk=contest.pk).update(
        starts_at=F("starts_at") - delta,
        ends_at=F("ends_at") - delta,
        appeals_until=F("appeals_until") - delta,
    )
    people = Participant.objects.filter(contest=contest)
    people.update(registered_at=F("registered_at") - delta)
    people.filter(started_at__isnull=False).update(started_at=F("started_at") - delta)
    runs = Run.objects.filter(contest=contest)
    runs.update(submitted_at=F("submitted_at") - delta)
    runs.filter(claimed_at__isnull=False).update(claimed_at=F("claimed_at") - delta)
    runs.filter(judged_at__isnull=False).update(judged_at=F("judged_at") - delta)
    standings.invalidate(contest.pk)
    contest.refresh_from_db()


# --- People in their browsers ------------------------------------------------------------------


class People:
    """One browser context per person (logged in through the real form), each collecting its
    console errors, with axe-core injected outside the pages' CSP."""

    def __init__(self, browser, url: str):
        self.browser, self.url = browser, url
        self.contexts, self.errors = [], []
        self.axe = AXE.read_text(encoding="utf-8")

    def open(self, username: str | None = None):
        context = self.browser.new_context(viewport=DESKTOP, locale="ru-RU")
        context.set_default_timeout(15_000)
        context.add_init_script(script=self.axe)
        self.contexts.append(context)
        page = context.new_page()
        who = username or "anonymous"

        def collect(message):
            location = (message.location or {}).get("url", "")
            if message.type == "error" and "favicon" not in message.text + location:
                self.errors.append(f"{who}: {message.text} ({location})")

        page.on("console", collect)
        page.on("pageerror", lambda exc: self.errors.append(f"{who}: uncaught {exc}"))
        if username:
            login(page, self.url, username)
        return page

    def close(self):
        for context in self.contexts:
            context.close()


@pytest.fixture
def people(browser, live_server):
    crowd = People(browser, live_server.url)
    yield crowd
    crowd.close()


class Looks:
    """Screenshots of the main pages, with the phone and axe checks; problems are collected
    and reported together at the end, so one run shows all of them."""

    def __init__(self):
        self.problems: list[str] = []
        self.shots: list[str] = []

    def __call__(self, page, name: str) -> None:
        page.wait_for_load_state("load")
        page.evaluate("window.scrollTo(0, 0)")
        path = screenshot(page, f"contest-{name}")
        assert path.stat().st_size > 10_000, f"{path} is suspiciously small"
        self.shots.append(path.name)
        for violation in page.evaluate(RUN_AXE):
            if violation["impact"] in FAILING_IMPACTS or violation["id"] in ALSO_FAILING:
                nodes = "; ".join(f"{n['target']}: {n['summary']}" for n in violation["nodes"])
                self.problems.append(
                    f"{name} ({page.url}): axe {violation['id']} ({violation['impact']}) "
                    f"{violation['help']}: {nodes}"
                )
        page.set_viewport_size(PHONE)
        measured = page.evaluate(MEASURE, PHONE["width"])
        if measured["scrollWidth"] > PHONE["width"]:
            self.problems.append(
                f"{name} ({page.url}) is {measured['scrollWidth']}px wide at 390 px: "
                + "; ".join(measured["culprits"])
            )
        small = page.evaluate(TAP_TARGETS, MIN_TAP)
        if small:
            self.problems.append(
                f"{name} ({page.url}): tap targets under 44px: " + "; ".join(small)
            )
        page.evaluate("window.scrollTo(0, 0)")
        path = screenshot_at(page, f"contest-{name}-phone", PHONE)  # back to the desktop after
        self.shots.append(path.name)


def go(page, selector: str, timeout: float | None = None) -> None:
    """Click what leads to another page and wait until it has loaded."""
    with page.expect_navigation(timeout=timeout):
        page.locator(selector).click()
    page.wait_for_load_state()


def wait_judged(page, run: Run) -> Run:
    """On the run's page until the verdict is in (judged within the send request: at once)."""
    page.locator("[data-round-poll]").wait_for(state="detached", timeout=JUDGE_TIMEOUT_MS)
    run.refresh_from_db()
    assert run.state == Run.State.DONE, run.state
    return run


def type_program(page, lines: list[str]) -> None:
    editor = page.locator(".round-editor .cm-content")
    editor.click()
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    for line in lines:
        page.keyboard.type(line, delay=10)
        page.keyboard.press("Escape")  # closes a completion list, if one opened
        page.keyboard.press("Enter")
    typed = page.locator("#round-source").input_value()  # what the form sends
    assert typed.strip() == "\n".join(lines), typed


def row(page, participant: Participant):
    return page.locator(f"#standings-board tr#p-{participant.pk}")


def cell(page, participant: Participant, label: str):
    """A task's cell: the row's <td>s are the place, the score, then the tasks in order."""
    return row(page, participant).locator("td").nth(2 + "AB".index(label))


def pdf_string(raw: bytes) -> str:
    """A PDF literal string's text (reportlab writes non-ASCII info as escaped UTF-16)."""
    out, i = bytearray(), 0
    escapes = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}
    while i < len(raw):
        if raw[i : i + 1] == b"\\":
            octal = re.match(rb"[0-7]{1,3}", raw[i + 1 : i + 4])
            if octal:
                out.append(int(octal.group(0), 8))
                i += 1 + len(octal.group(0))
                continue
            out += escapes.get(raw[i + 1 : i + 2], raw[i + 1 : i + 2])
            i += 2
            continue
        out.append(raw[i])
        i += 1
    data = bytes(out)
    return data[2:].decode("utf-16-be") if data.startswith(b"\xfe\xff") else data.decode("latin-1")


def pdf_field(pdf: bytes, key: str) -> str:
    found = re.search(rb"/" + key.encode() + rb" \(((?:\\.|[^\\)])*)\)", pdf, re.S)
    assert found, f"no /{key} in the PDF"
    return pdf_string(found.group(1))


# --- The journey -------------------------------------------------------------------------------


def test_a_visiting_school_from_registration_to_a_checked_diploma(people, live_server):
    two, contest, artyom, vera = prepare()
    url = live_server.url
    detail = f"/contests/{SLUG}/"
    look = Looks()

    # 1. The visiting school's teacher finds the contest and registers two of three pupils.
    teacher = people.open(two.visiting.teacher_a.username)
    teacher.goto(f"{url}/contests/")
    go(teacher, f".contest-card-link[href='{detail}']")
    assert teacher.locator(".contest-hero h1").inner_text() == TITLE
    look(teacher, "page-teacher")
    go(teacher, f".contest-action a[href='{detail}register/group/']")
    boxes = teacher.locator(".contest-pupils input[type=checkbox][name=pupil]")
    assert boxes.count() == 3
    assert all(box.is_checked() for box in boxes.all())  # all ticked at first
    teacher.locator(".contest-pupils tr", has_text="Ершов Глеб").locator("input").uncheck()
    teacher.select_option("#class-all", "8")
    look(teacher, "register-group")
    go(teacher, ".contest-form form[method=post] button[type=submit]")
    assert teacher.locator(".message-success").count() == 1
    assert teacher.locator(".contest-registered").count() == 2
    registered = {p.name: p for p in Participant.objects.filter(contest=contest)}
    assert set(registered) == {"Алексеев Артём", "Борисова Вера"}
    first, second = registered["Алексеев Артём"], registered["Борисова Вера"]
    assert {first.class_number, second.class_number} == {8}
    assert {first.school_id, second.school_id} == {two.visiting.school.pk}
    look(teacher, "register-group-done")
    teacher.close()

    # 2. Artyom presses Start, opens task A, types a right program and sends it.
    pupil = people.open(artyom.username)
    pupil.goto(f"{url}{detail}")
    assert pupil.locator(".contest-state-ok").count() == 1  # "you take part"
    look(pupil, "page-start")
    go(pupil, f"form[action='{detail}start/'] button[type=submit]")
    assert pupil.url == f"{url}{detail}tasks/A/"
    first.refresh_from_db()
    assert first.started_at is not None
    assert pupil.locator(".message-success").count() == 1  # "your time has started"
    assert pupil.locator(".round-task").count() == 2
    type_program(pupil, RIGHT_LINES)
    go(pupil, ".round-editor button[type=submit]", timeout=JUDGE_TIMEOUT_MS)
    run = wait_judged(pupil, Run.objects.get(participant=first))
    assert (run.verdict, run.score) == ("OK", Decimal(100)), run.details
    assert "100" in pupil.locator(".round-run-card .code-verdict-line .code-points").inner_text()
    look(pupil, "run-accepted")
    go(pupil, f".breadcrumbs a[href='{detail}tasks/A/']")
    assert pupil.locator(".round-runs .round-run.verdict-OK").count() == 1
    assert pupil.locator(".round-task.is-solved").count() == 1
    look(pupil, "task-accepted")
    pupil.close()

    # 3. The jury (the host park's teacher) sees the solve on the live board, with full
    # names; the public sees it too, as "Артём А." of the school.
    jury = people.open(two.host.teacher_a.username)
    jury.goto(f"{url}{detail}")
    look(jury, "page-jury")
    go(jury, f".contest-action .contest-secondary a[href='{detail}standings/']")
    assert row(jury, first).locator(".who").inner_text() == "Алексеев Артём"
    assert cell(jury, first, "A").inner_text().strip() == "100"
    assert jury.locator(".standings-jury-live").count() == 1  # "the public's freezes at …"
    look(jury, "standings-live")
    public = people.open()
    public.goto(f"{url}{detail}standings/")
    assert row(public, first).locator(".who").inner_text() == "Артём А."
    assert cell(public, first, "A").inner_text().strip() == "100"
    assert "Алексеев" not in public.locator("#standings-board").inner_text()
    assert public.locator(".standings-frozen").count() == 0
    look(public, "standings-public")

    # 4. 85 minutes later the public board is frozen (25 minutes left); Vera starts her
    # window and sends a program as a file: it loses a subtask (60 points).
    clock_moves(contest, 85)
    assert contest.freeze_at() <= timezone.now() < contest.ends_at
    pupil = people.open(vera.username)
    pupil.goto(f"{url}{detail}")
    go(pupil, f"form[action='{detail}start/'] button[type=submit]")
    pupil.set_input_files(
        "#round-file",
        files=[{"name": "sum.py", "mimeType": "text/x-python", "buffer": SLIP.encode()}],
    )
    go(pupil, ".round-editor button[type=submit]", timeout=JUDGE_TIMEOUT_MS)
    slip = wait_judged(pupil, Run.objects.get(participant=second))
    assert (slip.verdict, slip.score) == ("WA", Decimal(60)), slip.details
    assert slip.submitted_at >= contest.freeze_at()
    assert pupil.locator(".round-subtasks tbody tr").count() == 2  # her own result, frozen or not
    look(pupil, "run-during-freeze")

    # The public board hides it ("?"); the jury's shows it live.
    public.reload()
    assert public.locator(".standings-frozen").count() == 1
    assert cell(public, second, "A").locator(".q").inner_text() == "?"
    assert "60" not in row(public, second).inner_text()
    assert cell(public, first, "A").inner_text().strip() == "100"  # sent before the freeze
    look(public, "standings-frozen")
    jury.reload()
    assert cell(jury, second, "A").inner_text().strip() == "60"
    assert cell(jury, second, "A").locator(".q").count() == 0
    look(jury, "standings-jury-during-freeze")

    # 5. The round ends. The jury unfreezes the board from its dashboard's freeze page.
    clock_moves(contest, 30)
    assert contest.ends_at < timezone.now()
    public.reload()
    assert cell(public, second, "A").locator(".q").count() == 1  # still frozen after the end
    jury.goto(f"{url}{detail}jury/")
    look(jury, "jury-dashboard")
    go(jury, "a[data-tool='contests:freeze']")
    look(jury, "freeze")
    go(jury, "button[name=action][value=unfreeze]")
    contest.refresh_from_db()
    assert contest.unfrozen_at is not None
    assert jury.locator(".message-success").count() == 1
    public.reload()
    assert public.locator(".standings-frozen").count() == 0
    assert cell(public, second, "A").inner_text().strip() == "60"
    look(public, "standings-unfrozen")

    # Vera files an appeal on task A. The contest's page has no link to the appeals (see the
    # report of this test): she types the address she was given.
    pupil.goto(f"{url}{detail}appeals/")
    look(pupil, "appeals-empty")
    task_a = Task.objects.get(contest=contest, label="A")
    pupil.select_option("#id_task", str(task_a.pk))
    pupil.fill(
        "#id_text",
        "В условии не сказано, что числа бывают отрицательными: прошу пересмотреть первую "
        "подгруппу.",
    )
    go(pupil, ".appeal-form button[type=submit]")
    appeal = Appeal.objects.get(contest=contest, participant=second)
    assert appeal.status == Appeal.Status.PENDING
    assert pupil.url == f"{url}{detail}appeals/{appeal.pk}/"
    look(pupil, "appeal-filed")

    # The jury member is told (the bell), opens the appeal and grants it with 75 points.
    jury.goto(f"{url}/")
    go(jury, ".header-quick a.bell")
    go(jury, f"main a[href='{detail}appeals/{appeal.pk}/']")
    assert "Борисова Вера" in jury.locator(".appeal-facts").inner_text()
    jury.check("input[name=status][value=granted]")
    jury.fill("textarea[name=answer]", "Апелляция удовлетворена: за первую подгруппу +15 баллов.")
    jury.fill("input[name=score]", "75")
    look(jury, "appeal-answer")
    go(jury, ".appeal-answer-form button[type=submit]")
    appeal.refresh_from_db()
    assert appeal.status == Appeal.Status.GRANTED
    change = ScoreChange.objects.get(appeal=appeal)
    assert (change.score_before, change.score) == (Decimal(60), Decimal(75))
    look(jury, "appeal-granted-jury")

    # The standings change, for the jury and for the public ("*": changed by the jury).
    jury.goto(f"{url}{detail}standings/")
    assert cell(jury, second, "A").inner_text().replace("*", "").strip() == "75"
    assert cell(jury, second, "A").locator(".chg").count() == 1
    public.reload()
    assert cell(public, second, "A").locator(".chg").count() == 1
    assert "75" in row(public, second).locator(".col-num").inner_text()
    look(public, "standings-after-appeal")

    # Vera reads the answer from her bell.
    pupil.goto(f"{url}/")
    go(pupil, ".header-quick a.bell")
    go(pupil, f"main a[href='{detail}appeals/{appeal.pk}/']")
    assert pupil.locator(".appeal-answer-granted").count() == 1
    look(pupil, "appeal-granted")

    # The jury checks the awards the rules give and publishes the results.
    jury.goto(f"{url}{detail}jury/")
    go(jury, "a[data-tool='contests:results']")
    preview = jury.locator(".results-table tbody").inner_text()
    assert "Победитель" in preview and "Призёр" in preview
    look(jury, "results-preview")
    jury.check(".results-publish-form input[name=confirm]")
    go(jury, ".results-publish-form button[type=submit]")
    assert jury.locator(".message-success").count() == 1
    awards = {a.participant_id: a.award for a in Award.objects.filter(participant__contest=contest)}
    assert awards == {first.pk: "Победитель", second.pk: "Призёр"}
    look(jury, "results-published")

    # 6. Vera opens her result and downloads the diploma. No page links "My result" either (the
    # contest page's "Results" is the jury's page): by its address again.
    pupil.goto(f"{url}{detail}my-result/")
    assert "Призёр" in pupil.locator(".my-result").inner_text()
    diploma = Certificate.objects.get(user=vera, revoked_at__isnull=True)
    assert (diploma.kind, diploma.award, diploma.title) == (
        Certificate.Kind.DIPLOMA,
        "Призёр",
        TITLE,
    )
    look(pupil, "my-result")
    href = f"/certificates/{diploma.code}/pdf/"
    link = pupil.locator(f".my-certificate a[href='{href}']")
    response = pupil.context.request.get(f"{url}{href}")
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    with pupil.expect_download() as download_info:
        link.click()
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf")
    with open(download.path(), "rb") as file:
        pdf = file.read()
    assert pdf.startswith(b"%PDF-") and len(pdf) > 5_000
    assert pdf_field(pdf, "Subject") == TITLE  # the contest's title, in the PDF itself
    # The QR code and its link hold the same address: the public check page.
    target = pdf_field(pdf, "URI")
    assert target == check_url(diploma)
    assert urlsplit(target).path == f"/certificates/{diploma.code}/"

    # Anyone who scans it sees a genuine diploma: "Вера Б.", the contest and the award.
    public.goto(f"{url}{urlsplit(target).path}")
    assert public.locator(".cert-status-valid").count() == 1
    facts = public.locator(".cert-facts").inner_text()
    assert "Вера Б." in facts and TITLE in facts and "Призёр" in facts
    assert "Борисова" not in public.content()
    look(public, "certificate-check")

    print("screenshots:", ", ".join(look.shots))
    problems = look.problems + [f"console: {e}" for e in people.errors]
    assert not problems, "\n".join(problems)
