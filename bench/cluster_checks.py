"""What bench/cluster.py checks once the cluster is up: that nothing lives in one web process.

(a) a login through the balancer keeps the person logged in on both nodes (sessions in Redis);
(b) a cached value dropped by one process is seen dropped by the others: the teacher's unread
    count on the 🔔 (assessments.notifications caches it per person) after a task worker
    delivers a notification, and after the teacher marks it read on the other node;
(c) a task queued by a web node (the hand-in's notification) is run by a `db_worker`;
(d) a file uploaded through one node is served, byte for byte, by the other.

Each check raises CheckFailed with what it saw; the later ones build on the earlier ones."""

from __future__ import annotations

import re
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from cluster_http import Browser, Response

BELL = re.compile(rb'class="bell-count" aria-hidden="true">(\d+)\+?</span>')
FILE_LINK = re.compile(rb'href="(/work/files/(\d+)/)"')
TASK_WAIT_SECONDS = 30.0


class CheckFailed(AssertionError):
    pass


@dataclass(frozen=True)
class Scenario:
    """Who does what, from the set-up snippet of bench/cluster.py."""

    pupil: str
    teacher: str
    password: str
    assignment_id: int
    lesson_url: str
    course_url: str


@dataclass
class Report:
    lines: list[tuple[str, bool, str]] = field(default_factory=list)

    def ok(self, name: str, detail: str) -> None:
        self.lines.append((name, True, detail))
        print(f"  ok    {name}: {detail}", flush=True)

    def fail(self, name: str, detail: str) -> None:
        self.lines.append((name, False, detail))
        print(f"  FAIL  {name}: {detail}", flush=True)

    @property
    def failed(self) -> bool:
        return any(not ok for _name, ok, _detail in self.lines)


def expect(response: Response, status: int, what: str) -> Response:
    if response.status != status:
        raise CheckFailed(
            f"{what}: expected {status}, got {response.status} from {response.node}"
            + (f" (Location: {response.location})" if response.location else "")
        )
    return response


def log_in(browser: Browser, port: int, username: str, password: str) -> Response:
    """The login form as a person fills it in; returns the POST's answer (a redirect)."""
    form = expect(browser.get(port, "/login/"), 200, "GET /login/")
    answer = browser.post(
        port,
        "/login/",
        {
            "username": username,
            "password": password,
            "csrfmiddlewaretoken": form.csrf_token(),
        },
    )
    expect(answer, 302, f"POST /login/ as {username}")
    if "sessionid" not in browser.cookies:
        raise CheckFailed(f"POST /login/ as {username} set no session cookie")
    return answer


def bell(browser: Browser, port: int) -> int:
    """The unread count on the teacher's 🔔 (0 when the badge is not shown)."""
    page = expect(browser.get(port, "/teach/"), 200, f"GET /teach/ as {browser.name}")
    match = BELL.search(page.body)
    return int(match.group(1)) if match else 0


def check_sessions(
    report: Report, balancer: int, nodes: dict[str, int], scenario: Scenario, redis_client
) -> tuple[Browser, Browser]:
    """(a): the pupil and the teacher log in through the balancer; then each page, whichever
    node serves it, knows them. Returns their browsers (logged in)."""
    pupil, teacher = Browser(scenario.pupil), Browser(scenario.teacher)
    for browser, home in ((pupil, "/learn/"), (teacher, "/teach/")):
        answer = log_in(browser, balancer, browser.name, scenario.password)
        seen = {answer.node: 1}
        for _ in range(2 * len(nodes) + 2):
            page = expect(
                browser.get(balancer, home), 200, f"GET {home} as {browser.name} after login"
            )
            seen[page.node] = seen.get(page.node, 0) + 1
        missing = set(nodes) - set(seen)
        if missing:
            raise CheckFailed(f"{browser.name}'s pages never came from {sorted(missing)}: {seen}")
        key = browser.cookies["sessionid"]
        stored = redis_client.keys(f"*django.contrib.sessions.cache{key}")
        if not stored:
            raise CheckFailed(f"{browser.name}'s session {key[:6]}… is not in Redis")
        report.ok(
            "(a) sessions",
            f"{browser.name} logged in through the balancer (login served by {answer.node}); "
            f"{sum(seen.values()) - 1} pages as {browser.name} from {sorted(seen)}; "
            f"the session is in Redis",
        )
    return pupil, teacher


def wait_for_tasks(query_tasks: Callable[[], list[tuple]], workers: set[str]) -> list[tuple]:
    """The notification tasks queued by the hand-in, once every one has finished."""
    deadline = time.monotonic() + TASK_WAIT_SECONDS
    rows: list[tuple] = []
    while time.monotonic() < deadline:
        rows = query_tasks()
        if rows and all(status in ("SUCCESSFUL", "FAILED") for _path, status, _ids in rows):
            break
        time.sleep(0.3)
    if not rows:
        raise CheckFailed(f"the hand-in queued no task within {TASK_WAIT_SECONDS:.0f} s")
    unfinished = [row for row in rows if row[1] != "SUCCESSFUL"]
    if unfinished:
        raise CheckFailed(f"tasks not run successfully in {TASK_WAIT_SECONDS:.0f} s: {unfinished}")
    strangers = [row for row in rows if not set(row[2]) & workers]
    if strangers:
        raise CheckFailed(f"tasks run by no worker of ours: {strangers}")
    return rows


def check_shared_state(
    report: Report,
    nodes: dict[str, int],
    scenario: Scenario,
    pupil: Browser,
    teacher: Browser,
    db_now: Callable[[], object],
    tasks_since: Callable[[object], list[tuple]],
    workers: set[str],
) -> None:
    """(b), (c), (d): node A takes the hand-in with a file, a worker tells the teacher, node B
    shows the new count and serves the file; marking read on A is seen on B."""
    (name_a, port_a), (name_b, port_b) = list(nodes.items())[:2]
    before_a, before_b = bell(teacher, port_a), bell(teacher, port_b)  # now cached in Redis
    if before_a != before_b:
        raise CheckFailed(f"the teacher's 🔔 shows {before_a} on {name_a}, {before_b} on {name_b}")

    page_url = f"/work/assignments/{scenario.assignment_id}/"
    page = expect(pupil.get(port_a, page_url), 200, f"GET {page_url} on {name_a}")
    token = secrets.token_hex(16)
    content = f'print("{token}")  # uploaded through {name_a}\n'.encode()
    filename = f"robot_{token[:8]}.py"
    saved = pupil.post_multipart(
        port_a,
        f"{page_url}draft/",
        {"csrfmiddlewaretoken": page.csrf_token(), "attempt": "1", "text": "Мой робот едет."},
        {"files": (filename, content)},
    )
    expect(saved, 302, f"POST the draft with a file on {name_a}")
    page = expect(pupil.get(port_a, page_url), 200, f"GET {page_url} on {name_a}")
    started = db_now()
    handed = pupil.post(
        port_a, f"{page_url}submit/", {"csrfmiddlewaretoken": page.csrf_token(), "attempt": "1"}
    )
    expect(handed, 302, f"POST hand-in on {name_a}")

    rows = wait_for_tasks(lambda: tasks_since(started), workers)
    ran_by = sorted({worker for _path, _status, ids in rows for worker in ids})
    report.ok(
        "(c) tasks",
        f"the hand-in on {name_a} queued {len(rows)} task(s) "
        f"({', '.join(sorted({path.rsplit('.', 1)[-1] for path, _s, _i in rows}))}), "
        f"run by {', '.join(ran_by)}",
    )

    after_b, after_a = bell(teacher, port_b), bell(teacher, port_a)
    if not (after_b == after_a == before_a + 1):
        raise CheckFailed(
            f"the teacher's 🔔: {before_a} before the hand-in, then {after_b} on {name_b} and "
            f"{after_a} on {name_a} (expected {before_a + 1} on both)"
        )
    home = expect(teacher.get(port_a, "/teach/"), 200, f"GET /teach/ on {name_a}")
    expect(
        teacher.post(
            port_a, "/work/notifications/read/", {"csrfmiddlewaretoken": home.csrf_token()}
        ),
        302,
        f"POST mark read on {name_a}",
    )
    cleared_b = bell(teacher, port_b)
    if cleared_b != 0:
        raise CheckFailed(
            f"marked read on {name_a}, but {name_b} still shows {cleared_b} unread (stale cache)"
        )
    report.ok(
        "(b) cache",
        f"🔔 {before_a} on both nodes (cached); after the worker's delivery {after_b} on "
        f"{name_b} and {after_a} on {name_a}; marked read on {name_a}, 0 on {name_b}",
    )

    mine = expect(pupil.get(port_b, page_url), 200, f"GET {page_url} on {name_b}")
    link = FILE_LINK.search(mine.body)
    if not link:
        raise CheckFailed(f"{name_b} shows the pupil no link to the file uploaded on {name_a}")
    file_url = link.group(1).decode()
    for who, browser in (("teacher", teacher), ("pupil", pupil)):
        served = expect(browser.get(port_b, file_url), 200, f"GET {file_url} on {name_b}")
        if served.body != content:
            raise CheckFailed(f"{name_b} served {len(served.body)} other bytes to the {who}")
    report.ok(
        "(d) media",
        f"{filename} ({len(content)} bytes) uploaded on {name_a}, served by {name_b} byte for "
        f"byte to the pupil and the teacher ({file_url})",
    )
