"""A programming exercise from the first keystroke to the teacher's diff in a real browser: a
pupil types a wrong solution into the CodeMirror editor, runs the examples (one fails), hands
it in anyway, fixes it, runs the examples again (all pass), hands it in and watches the
verdicts fill in, then finds the points in "My grades"; the teacher opens the submission from
the grading queue and reads the diff against the previous attempt.

Judging is real (the sandbox) and, with the inline task backend, done within the request
that hands the code in or asks for a run. The live server's SQLite breaks on concurrent
writes, so every step waits for the page's own requests (the autosave note) to settle."""

from __future__ import annotations

from decimal import Decimal

from assessments.models import Grade
from assessments.programming.models import CodeSubmission
from tests import builders
from tests.assessments.programming.builders import make_exercise, make_problem
from tests.e2e.conftest import E2E_MARKS, login, logout
from tests.e2e.conftest import screenshot as full_screenshot

pytestmark = E2E_MARKS

JUDGE_TIMEOUT_MS = 60_000  # a Python start in the sandbox per test, on a busy 2-core machine

# A slip a pupil makes: the second number's sign is lost. Example 1 (2 3) passes, example 2
# (10 -4) does not; of the hidden tests only the small-numbers subtask is lost with it.
WRONG_LINES = ["a, b = map(int, input().split())", "print(a + abs(b))"]
RIGHT_LINES = ["a, b = map(int, input().split())", "print(a + b)"]


def screenshot(page, name: str):
    """From the top of the page: scrolled down (the editor, the results), the sticky header
    would be drawn across the middle of the full-page picture. An editor below the fold is
    scrolled to first: CodeMirror measures its lines only once they have been in view."""
    for editor in page.locator(".cm-editor").all():  # measured once seen, gutter and all
        editor.scroll_into_view_if_needed()
    page.wait_for_timeout(100)
    page.evaluate("window.scrollTo(0, 0)")
    return full_screenshot(page, name)


def _type_program(page, lines: list[str]) -> None:
    """Replace the editor's text by typing it key by key, as a pupil does. The editor closes
    brackets itself (a typed ")" steps over the one it added) and may offer completions, so
    each line ends with Escape (closes a completion list) before Enter."""
    editor = page.locator(".code-workspace .cm-content")
    editor.click()
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    for line in lines:
        page.keyboard.type(line, delay=15)
        page.keyboard.press("Escape")
        page.keyboard.press("Enter")
    # The editor mirrors its text into the form's textarea: what the server gets.
    typed = page.locator("#code-source").input_value()
    assert typed.strip() == "\n".join(lines), typed
    _wait_saved(page)


def _wait_saved(page) -> None:
    """The autosave fires 1.2 s after the last key; wait for its note before the next post."""
    note = page.locator(".code-saved[data-state=saved], .code-saved[data-state=error]")
    note.wait_for(timeout=15_000)
    assert note.get_attribute("data-state") == "saved", note.text_content()


def _run_examples(page) -> list[str]:
    """Run on the examples; the verdict classes of the result cards, in order."""
    page.click("[data-run=examples]")
    cards = page.locator("#code-results .code-run")
    cards.first.wait_for(timeout=JUDGE_TIMEOUT_MS)
    page.locator("[data-run=examples]:enabled").wait_for()  # the run's requests are over
    return [
        next(
            c
            for c in (card.get_attribute("class") or "").split()
            if c.startswith("verdict-") and c != "verdict-row"
        )
        for card in cards.all()
    ]


def _hand_in(page) -> str:
    """Hand in; the box under the editor polls until the verdicts are in. Its verdict line."""
    page.click("[data-submit]")
    box = page.locator("#code-results .code-verdict[data-state=done]")
    box.wait_for(timeout=JUDGE_TIMEOUT_MS)
    box.locator("a.btn").wait_for()  # the "Details" link: the polling is over
    return box.locator(".code-verdict-line").inner_text()


def test_pupil_writes_runs_fixes_and_hands_in_teacher_reads_the_diff(
    live_server, page, console_errors
):
    tree = builders.build_course("code-journey", modules=1, lessons=1)
    school = builders.build_school("cj", pupils=1)
    builders.enrol(school.group_a, tree)
    teacher, pupil = school.teacher_a, school.pupils_a[0]
    exercise = make_exercise(tree.lessons[0], make_problem(), title="Сумма двух чисел")
    assignment = exercise.assignment
    url = live_server.url

    # 1. The pupil opens the exercise: the statement, the examples and the editor.
    login(page, url, pupil.username)
    page.goto(f"{url}/work/code/{assignment.pk}/")
    assert page.locator(".code-statement .code-example").count() == 2
    editor = page.locator(".code-workspace .cm-editor")
    editor.wait_for()
    assert "# ваш код" in editor.inner_text()  # the starter code
    assert page.locator("#code-source").is_hidden()  # the editor stands in for the textarea
    page.wait_for_load_state("load")  # KaTeX draws the statement's $formulas$ on load
    assert page.locator(".code-statement .formula .katex").count() == 3  # $a$, $b$, $a + b$
    screenshot(page, "code-01-exercise")

    # 2. A wrong solution, typed; the draft is saved by itself.
    _type_program(page, WRONG_LINES)
    assert "✓" in page.locator(".code-saved").inner_text()
    screenshot(page, "code-02-typed")

    # 3. The examples: the first passes, the second does not, and the card says why.
    assert _run_examples(page) == ["verdict-OK", "verdict-WA"]
    failed = page.locator("#code-results .code-run.verdict-WA")
    assert "14" in failed.inner_text() and "6" in failed.inner_text()  # the output, the answer
    assert not CodeSubmission.objects.filter(exercise=exercise).exists()  # runs are not counted
    screenshot(page, "code-03-run-one-fails")

    # 4. Handed in anyway: attempt 1, partly right (the big-numbers subtask only).
    line = _hand_in(page)
    assert "6" in line, line
    first = CodeSubmission.objects.select_related("submission").get(exercise=exercise)
    assert (first.verdict, first.tests_passed, first.tests_total) == ("WA", 4, 5)
    screenshot(page, "code-04-first-verdict")

    # 5. Fixed; the examples pass now.
    _type_program(page, RIGHT_LINES)
    assert _run_examples(page) == ["verdict-OK", "verdict-OK"]
    screenshot(page, "code-05-run-all-pass")

    # 6. Handed in again: every test passes and the points are in the verdict line.
    line = _hand_in(page)
    assert "10" in line and "5 / 5" in line, line
    second = CodeSubmission.objects.select_related("submission").get(
        exercise=exercise, submission__attempt=2
    )
    assert second.verdict == "OK"
    grade = Grade.objects.get(submission=second.submission)
    assert grade.is_released and grade.final_points == Decimal("10")
    assert page.locator("#code-results .code-tests tbody tr").count() == 5
    screenshot(page, "code-06-second-verdict")

    # 7. The submission's own page, and the exercise's history of attempts.
    with page.expect_navigation():
        page.click("#code-results .code-verdict a.btn")
    assert page.url.endswith(f"/work/code/submissions/{second.pk}/")
    assert page.locator("#code-status .code-tests tbody tr").count() == 5
    page.locator("#code-status + .card .cm-editor").wait_for()  # the code, read-only
    screenshot(page, "code-07-submission")
    page.goto(f"{url}/work/code/{assignment.pk}/")
    assert page.locator(".code-history tbody tr").count() == 2
    editor.wait_for()
    assert "print(a + b)" in editor.inner_text()  # the draft is the last program written
    screenshot(page, "code-08-exercise-history")

    # 8. "My grades" shows the points.
    with page.expect_navigation():  # count() does not wait for the new page
        page.click("header a[href='/work/gradebook/mine/']")
    mine = page.locator(".my-grade").filter(has_text=assignment.title)
    assert mine.count() == 1
    assert mine.locator(".my-grade-points strong").inner_text() == "10"
    screenshot(page, "code-09-my-grades")
    logout(page)

    # 9. The teacher opens the submission from the grading queue: the verdicts of every test,
    # hidden ones too, and the diff against attempt 1. The judge released the grade already,
    # so the queue lists it once asked to show released grades too.
    login(page, url, teacher.username)
    page.goto(f"{url}/work/grading/groups/{school.group_a.pk}/")
    page.check(".grading-filter input[type=checkbox]")
    with page.expect_navigation():
        page.click(".grading-filter button[type=submit]")
    screenshot(page, "code-10-grading-queue")
    with page.expect_navigation():
        page.locator(".row-actions a").first.click()
    assert page.url.endswith(f"/work/code/submissions/{second.pk}/review/"), page.url
    diff = page.locator(".code-diff")
    assert diff.locator(".diff-del").inner_text().strip() == "− print(a + abs(b))"
    assert diff.locator(".diff-add").inner_text().strip() == "+ print(a + b)"
    assert page.locator("#code-status .code-tests tbody tr").count() == 5
    assert page.locator(".code-attempts li").count() == 2
    screenshot(page, "code-11-review-diff")
    assert not console_errors, console_errors
