"""The pupils of the deadline rush (bench/rush.py): what a browser does to hand in a project
(a text and a 1 MB photo), a quiz attempt and a program, through the balancer, each request
timed. A pupil who gets the balancer's or the site's "wait and send again" page (502, 503, 504)
or no answer at all waits a moment and sends the same thing again, as the page asks; a 500 or
any other surprise is counted and ends that pupil's attempt. Before sending a draft again the
pupil looks at the page first: a file already listed there is not uploaded twice."""

from __future__ import annotations

import http.client
import json
import math
import random
import re
import threading
import time
import urllib.parse
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from cluster_http import HOST, Browser, Response, multipart
from quiz_load import choose_answer, parse_page

RETRYABLE = (502, 503, 504)
RETRY_WAIT = (1.0, 3.0)  # seconds, at random: a pupil reading "wait a moment"
MAX_TRIES = 8
ACCEPTED_PROJECT = ("Работа сдана!", "Эта попытка уже сдана.")
FILE_LINK = re.compile(rb'href="/work/files/\d+/"')
ATTEMPT_URL = re.compile(r"/work/quiz/attempts/(\d+)/$")
CODE_URL = re.compile(r"/work/code/submissions/(\d+)/$")
LANGUAGE = re.compile(rb'<option value="(python)"')
RIGHT_PY = "a, b = map(int, input().split())\nprint(a + b)\n"
MAX_SAMPLES = 10


class GaveUp(Exception):
    pass


@dataclass
class Tally:
    """What every pupil measured and saw (one lock; a few hundred records a second)."""

    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    statuses: dict[int, int] = field(default_factory=lambda: defaultdict(int))  # 0: no answer
    retries: int = 0
    samples: list[str] = field(default_factory=list)
    accepted: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    gave_up: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    first: float = math.inf
    last: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, kind: str, started: float, status: int, note: str = "") -> None:
        ended = time.monotonic()
        with self.lock:
            self.latencies[kind].append(ended - started)
            self.statuses[status] += 1
            self.first, self.last = min(self.first, started), max(self.last, ended)
            if note and len(self.samples) < MAX_SAMPLES:
                self.samples.append(note)


@dataclass
class Pupil:
    username: str
    session_key: str
    port: int  # the balancer's
    tally: Tally
    deadline: float  # time.monotonic(): after it, nothing more is sent
    rng: random.Random

    def __post_init__(self) -> None:
        self.browser = Browser(self.username)
        self.browser.cookies["sessionid"] = self.session_key

    def send(
        self, kind: str, call: Callable[[], Response], expect: tuple[int, ...], again: bool = True
    ) -> Response:
        """One step, sent again after a retry page or no answer (if `again`)."""
        for _try in range(MAX_TRIES):
            if time.monotonic() > self.deadline:
                raise GaveUp("out of time")
            started = time.monotonic()
            try:
                response = call()
            except (OSError, http.client.HTTPException) as exc:
                self.tally.record(kind, started, 0, f"{kind}: {type(exc).__name__}: {exc}")
                status = 0
            else:
                status = response.status
                note = "" if status in expect else f"{kind}: HTTP {status} {response.body[:120]!r}"
                self.tally.record(kind, started, status, note)
                if status in expect:
                    return response
            if status not in (0, *RETRYABLE) or not again:
                raise GaveUp(f"{kind}: HTTP {status}")
            with self.tally.lock:
                self.tally.retries += 1
            time.sleep(self.rng.uniform(*RETRY_WAIT))
        raise GaveUp(f"{kind}: still failing after {MAX_TRIES} tries")

    def get(self, kind: str, path: str) -> Response:
        return self.send(kind, lambda: self.browser.get(self.port, path), (200,))

    def post(self, kind: str, path: str, fields: list[tuple[str, str]], **headers: str):
        body = urllib.parse.urlencode(fields).encode()
        send = {"Content-Type": "application/x-www-form-urlencoded", **headers}
        send["Origin"] = f"http://{HOST}:{self.port}"
        return self.send(
            kind,
            lambda: self.browser.request(self.port, "POST", path, body=body, headers=send),
            (200, 302),
        )

    def accepted(self, kind: str) -> None:
        with self.tally.lock:
            self.tally.accepted[kind].append(self.username)


def run(pupil: Pupil, journey: Callable[[Pupil], None], start_at: float, kind: str) -> None:
    time.sleep(max(0.0, start_at - time.monotonic()))
    try:
        journey(pupil)
    except GaveUp as reason:
        with pupil.tally.lock:
            pupil.tally.gave_up[f"{kind}: {str(reason).split(':')[0]}"] += 1
    except Exception as exc:  # noqa: BLE001  (a bug in the client must not hide the others)
        with pupil.tally.lock:
            pupil.tally.gave_up[f"{kind}: {type(exc).__name__}"] += 1
            if len(pupil.tally.samples) < MAX_SAMPLES:
                pupil.tally.samples.append(f"{kind}: {type(exc).__name__}: {exc}")


def project(assignment: int, photo: bytes) -> Callable[[Pupil], None]:
    page_url = f"/work/assignments/{assignment}/"

    def journey(p: Pupil) -> None:
        page = p.get("project page", page_url)
        fields = {"csrfmiddlewaretoken": page.csrf_token(), "attempt": "1"}
        fields["text"] = f"Робот {p.username} проезжает трассу за 12 секунд."
        files = {"files": (f"robot-{p.username}.jpg", photo)}
        body, content_type = multipart(fields, files)
        upload = lambda: p.browser.request(  # noqa: E731
            p.port, "POST", f"{page_url}draft/", body=body, headers={"Content-Type": content_type}
        )
        try:
            p.send("draft with photo", upload, (302,), again=False)
        except GaveUp:
            # No answer, or a retry page: was it stored all the same? The page says.
            page = p.get("project page", page_url)
            if not FILE_LINK.search(page.body):
                p.send("draft with photo", upload, (302,))
        page = p.get("project page", page_url)
        p.post(
            "hand in",
            f"{page_url}submit/",
            [("csrfmiddlewaretoken", page.csrf_token()), ("attempt", "1")],
        )
        after = p.get("project page", page_url).body.decode("utf-8", errors="replace")
        if any(text in after for text in ACCEPTED_PROJECT):
            p.accepted("project")
        else:
            raise GaveUp("hand in: not accepted")

    return journey


def quiz(assignment: int, think: float) -> Callable[[Pupil], None]:
    quiz_url = f"/work/quiz/{assignment}/"

    def journey(p: Pupil) -> None:
        page = p.get("quiz page", quiz_url)
        started = p.post(
            "quiz start", f"{quiz_url}start/", [("csrfmiddlewaretoken", page.csrf_token())]
        )
        match = ATTEMPT_URL.search(started.location)
        if match is None:
            raise GaveUp("quiz start: no attempt")
        attempt_url = match.group(0)
        form = parse_page(p.get("attempt page", attempt_url).body)
        if not form.questions or form.csrf_token is None:
            raise GaveUp("attempt page: no questions")
        for question in form.questions:
            time.sleep(p.rng.uniform(0, think))
            fields, _expected = choose_answer(question, p.rng)
            answered = p.post(
                "answer",
                f"{attempt_url}answer/",
                [
                    ("csrfmiddlewaretoken", form.csrf_token),
                    ("position", str(question.position)),
                    *fields,
                ],
                **{"X-Requested-With": "fetch", "Accept": "application/json"},
            )
            if answered.status != 200 or json.loads(answered.body).get("ok") is not True:
                raise GaveUp("answer: refused")
        finished = p.post(
            "quiz finish", f"{attempt_url}finish/", [("csrfmiddlewaretoken", form.csrf_token)]
        )
        if "/review/" in finished.location or finished.location.endswith(quiz_url):
            p.accepted("quiz")
        else:
            raise GaveUp("quiz finish: not handed in")

    return journey


def code(assignment: int) -> Callable[[Pupil], None]:
    code_url = f"/work/code/{assignment}/"

    def journey(p: Pupil) -> None:
        page = p.get("code page", code_url)
        if not LANGUAGE.search(page.body):
            raise GaveUp("code page: no Python")
        fields = [("csrfmiddlewaretoken", page.csrf_token()), ("language", "python")]
        sent = p.post("code submit", f"{code_url}submit/", [*fields, ("source", RIGHT_PY)])
        if CODE_URL.search(sent.location):
            p.accepted("code")
        else:
            raise GaveUp("code submit: refused")

    return journey
