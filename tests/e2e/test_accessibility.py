"""axe-core on the main page of every role: no violation of impact "serious" or "critical".

axe-core is vendored in tests/e2e/assets/ (see the README there for its version and how to
update it) and injected into each page by Playwright, outside the page's CSP. The pages: the
home page, the catalogue, a course, a locked lesson, the login page and the events for a
visitor; "My courses", a lesson with code, an assignment, a quiz and a code exercise (each with
its table of attempts) and "My grades" for a pupil; "My groups", a group and an event's
registrations for a teacher; the school's page for its admin; the home page for a
methodologist (the Wagtail admin is not ours to check). A few rules of lesser impact are
enforced too: the ones the site once broke (unlabelled landmarks of one kind, a page without a
heading 1, a table column without a header's name).
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from django.urls import reverse

from tests.e2e.conftest import DESKTOP, E2E_MARKS
from tests.e2e.matrix_pages import build_world, new_context

pytestmark = E2E_MARKS

AXE = Path(__file__).parent / "assets" / "axe.min.js"
FAILING_IMPACTS = {"serious", "critical"}
# Lesser rules kept from coming back: two search landmarks without their own names, a page
# without an <h1>, content outside any landmark, a column header with no text (an actions column).
ALSO_FAILING = {
    "landmark-unique",
    "page-has-heading-one",
    "region",
    "landmark-one-main",
    "empty-table-header",
}


def pages(ids: dict) -> dict[str, list[str]]:
    assignment = reverse("assessments:assignment", kwargs={"assignment_id": ids["assignment"]})
    return {
        "anonymous": [
            "/",
            ids["catalogue_url"],
            ids["course_url"],
            ids["lesson_m1_url"],  # locked: what a visitor is told
            reverse("login"),
            reverse("join"),
            ids["events_url"],
            ids["event_url"],
            reverse("search") + "?q=%D1%80%D0%BE%D0%B1%D0%BE%D1%82",
        ],
        "pupil_a1": [
            reverse("courses:my_courses"),
            ids["lesson_m1_url"],  # markdown, a table, code, a callout, a formula
            assignment,
            reverse("quiz:quiz", kwargs={"assignment_id": ids["quiz"]}),
            reverse("programming:exercise", kwargs={"assignment_id": ids["code_exercise"]}),
            reverse("assessments:gradebook_mine"),
            ids["event_url"],
        ],
        "teacher_a1": [
            reverse("teach:groups"),
            reverse("teach:group", kwargs={"group_id": ids["a1"]}),
            reverse("events:manage", kwargs={"event_id": ids["event"]}),
        ],
        "host_admin": [reverse("school:home")],
        "methodologist": ["/", ids["course_url"]],
    }


RUN_AXE = """async () => {
  const results = await axe.run(document, {resultTypes: ["violations"]});
  return results.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    nodes: v.nodes.slice(0, 4).map((n) => ({
      target: n.target.join(" "),
      summary: (n.failureSummary || "").split("\\n").slice(1, 2).join(" ").trim(),
    })),
    count: v.nodes.length,
  }));
}"""


def test_main_pages_have_no_serious_accessibility_violations(
    browser, live_server, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path
    users, ids = build_world(tmp_path)
    source = AXE.read_text(encoding="utf-8")
    started, checked, failures, notes = time.monotonic(), 0, [], []
    for role, urls in pages(ids).items():
        context = new_context(browser, live_server.url, users[role], viewport=DESKTOP)
        context.add_init_script(script=source)  # outside the page's CSP
        page = context.new_page()
        try:
            for url in urls:
                response = page.goto(url)
                assert response is not None and response.status in (200, 403), (role, url)
                page.wait_for_load_state("load")
                checked += 1
                for violation in page.evaluate(RUN_AXE):
                    nodes = "\n      ".join(
                        f"{node['target']}: {node['summary']}" for node in violation["nodes"]
                    )
                    line = (
                        f"{role} {url}: {violation['id']} ({violation['impact']}, "
                        f"{violation['count']} nodes) {violation['help']}\n      {nodes}"
                    )
                    if violation["impact"] in FAILING_IMPACTS or violation["id"] in ALSO_FAILING:
                        failures.append(line)
                    else:
                        notes.append(line)
        finally:
            context.close()
    print(f"axe on {checked} pages in {time.monotonic() - started:.1f} s")
    if notes:
        print("Minor findings (not failing):\n" + "\n".join(notes))
    if failures:
        pytest.fail("Accessibility violations:\n" + "\n".join(failures), pytrace=False)
