"""Load benchmark of a class taking a quiz: N pupils start the same quiz within one minute and
answer every question, one request per answer, against gunicorn on PostgreSQL.

Self-contained and bounded: creates a scratch PostgreSQL database (dropped at the end), builds one
school with groups of pupils enrolled in a course whose lesson holds a quiz of auto-marked
questions (one attempt), logs every pupil in by creating their session, starts gunicorn on
127.0.0.1 with the production settings and lets one thread per pupil do what a browser does:
open the quiz, start, open the attempt, send each answer as it is given, hand in, open the
review. Afterwards it checks in the database that every acknowledged answer is stored as sent
and every attempt is handed in and graded, and prints latency percentiles per kind of request.

    .venv/bin/python bench/quiz_load.py [--pupils 300] [--questions 20] [--ramp 60] [--json PATH]

See bench/README.md for what the figures mean.
"""

from __future__ import annotations

import argparse
import http.client
import json
import math
import os
import platform
import random
import re
import resource
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING

sys.path.insert(0, str(Path(__file__).resolve().parent))
from pages import (  # noqa: E402  (the page benchmark's helpers: same house rules)
    LOG_NOISE,
    ROOT,
    BenchError,
    free_port,
    percentile,
    random_secret_key,
    read_log,
    stop,
    wait_until_up,
)

if TYPE_CHECKING:
    import psycopg

VENV_BIN = Path(sys.executable).parent  # run with .venv/bin/python, so gunicorn sits next to it
HOST = "127.0.0.1"

DEFAULT_SERVER_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/15"
MAX_PUPILS = 2_000  # a bound, not a capacity claim: threads, sessions and rows grow with it
MAX_QUESTIONS = 200
REQUEST_TIMEOUT = 30.0  # seconds for any single HTTP request
GUNICORN_TIMEOUT = 60  # seconds before gunicorn kills a worker stuck in one request
MAX_ERROR_SAMPLES = 8
KINDS = ("quiz page", "start", "attempt page", "answer", "finish", "review")

# Typed answers a class gives: right, partly right, wrong, Russian keyboard, decimal comma.
SHORT_TEXTS = ("Python", "python", "питон", "Пайтон", "Java", "Паскаль")
NUMBER_TEXTS = ("3", "3,0", "3.0", "2.5", "4", "12")

# Run by `manage.py shell -c` with the production settings. Builds the scenario with the tests'
# builders and logs every pupil in through django.contrib.auth.login on a bare request, so the
# session holds exactly what a real login stores: the auth keys, the school's time zone and the
# shared-computer idle limit (lms.signals), a browser-session expiry. Prints one JSON line.
SETUP_SNIPPET = r"""
import dataclasses, json, os
from django.conf import settings
from django.contrib.auth.models import Group
from assessments.quiz.spec import QType
from lms import group_permissions, roles
from lms.models import Membership, School, StudyGroup, User
from tests import builders
from tests.assessments.quiz.builders import every_type, make_quiz

p = json.loads(os.environ["BENCH_QUIZ_SETUP"])
tree = builders.build_course("bench-quiz", modules=1, lessons=1)
school = School.objects.create(
    name="Технопарк (нагрузка)", city="Екатеринбург", kind=School.Kind.HOST,
    time_zone="Asia/Yekaterinburg",
)
teacher = builders.make_user("bench_teacher", roles.TEACHER, school=school)
pupil_role = Group.objects.get(name=roles.PUPIL)
group_count = -(-p["pupils"] // p["group_size"])
pupils = []
for g in range(group_count):
    group = StudyGroup.objects.create(
        school=school, name=f"Группа {g + 1}", academic_year="2026/2027"
    )
    Membership.objects.create(user=teacher, group=group, role=Membership.Role.TEACHER)
    builders.enrol(group, tree)
    size = min(p["group_size"], p["pupils"] - g * p["group_size"])
    made = [
        User(username=f"bench_p{g + 1}_{n + 1}", first_name="Имя", last_name=f"Ученик{n + 1}",
             school=school)
        for n in range(size)
    ]
    for user in made:
        user.set_unusable_password()
    User.objects.bulk_create(made)
    made = list(User.objects.filter(username__startswith=f"bench_p{g + 1}_"))
    User.groups.through.objects.bulk_create(
        [User.groups.through(user_id=u.pk, group_id=pupil_role.pk) for u in made]
    )
    Membership.objects.bulk_create(
        [Membership(user=u, group=group, role=Membership.Role.PUPIL) for u in made]
    )
    pupils.extend(made)
group_permissions.sync()

auto = [s for s in every_type() if s.qtype not in (QType.ESSAY, QType.DESCRIPTION)]
specs = [
    dataclasses.replace(auto[n % len(auto)], title=f"{n + 1}. {auto[n % len(auto)].title}")
    for n in range(p["questions"])
]
setup = make_quiz(
    tree.lessons[0], specs, shuffle_answers=True, max_attempts=1,
    title="Контрольная: датчики и электричество",
)

sessions = builders.session_keys(pupils)
print("SETUP=" + json.dumps({
    "assignment": setup.assignment.pk, "groups": group_count, "sessions": sessions,
    "session_engine": settings.SESSION_ENGINE,
    "types": sorted({s.qtype.value for s in specs}),
}))
"""

# Run after the load: compares what the pupils were told was saved with the database.
VERIFY_SNIPPET = r"""
import json, os
from collections import Counter
from assessments.models import Grade, Submission
from assessments.quiz.models import AttemptQuestion, QuizAttempt

p = json.loads(os.environ["BENCH_QUIZ_VERIFY"])
sent = json.loads(open(p["expected"], encoding="utf-8").read())
subs = Submission.objects.filter(assignment_id=p["assignment"])
statuses = Counter(subs.values_list("status", flat=True))
per_pupil = Counter(subs.values_list("pupil_id", flat=True))
handed_in = QuizAttempt.objects.filter(
    submission__assignment_id=p["assignment"], finished_at__isnull=False
).exclude(submission__status=Submission.Status.DRAFT)
rows = AttemptQuestion.objects.filter(attempt__submission__assignment_id=p["assignment"])
stored = {}
for sid, pos, response in rows.values_list("attempt_id", "position", "response"):
    stored[(str(sid), str(pos))] = response
lost, samples = 0, []
for sid, answers in sent.items():
    for pos, response in answers.items():
        if stored.get((sid, pos), "missing") != response:
            lost += 1
            if len(samples) < 5:
                samples.append({"submission": sid, "position": pos, "sent": response,
                                "stored": stored.get((sid, pos), "missing")})
print("VERIFY=" + json.dumps({
    "submissions": subs.count(),
    "statuses": dict(statuses),
    "pupils_with_several": sum(1 for n in per_pupil.values() if n > 1),
    "handed_in": handed_in.count(),
    "closed_by": dict(Counter(handed_in.values_list("closed_by", flat=True))),
    "graded": Grade.objects.filter(submission__in=subs).count(),
    "released": Grade.objects.filter(submission__in=subs, is_released=True).count(),
    "rows": rows.count(),
    "rows_answered": rows.filter(response__isnull=False).count(),
    "rows_marked": rows.filter(fraction__isnull=False).count(),
    "acknowledged": sum(len(a) for a in sent.values()),
    "lost": lost,
    "lost_samples": samples,
}))
"""


# --------------------------------------------------------------------------- time budget


class Budget:
    """The total wall-time limit: every step gets what is left of it."""

    def __init__(self, seconds: float) -> None:
        self.deadline = time.monotonic() + seconds

    def left(self) -> float:
        return self.deadline - time.monotonic()

    def step(self, wanted: float) -> float:
        left = self.left()
        if left <= 1:
            raise BenchError("The time limit (--timeout) ran out")
        return min(wanted, left)


# --------------------------------------------------------------------------- environment


def with_database(server_url: str, name: str) -> str:
    """The server URL with its database name replaced."""
    parts = urllib.parse.urlsplit(server_url)
    return urllib.parse.urlunsplit(parts._replace(path=f"/{name}"))


@contextmanager
def scratch_database(server_url: str, prefix: str = "bench_quiz") -> Iterator[str]:
    """A fresh database `<prefix>_<hex>` on the server `server_url` names (its own database
    name is only used to connect); yields its URL and always drops it, with whatever
    connections are still open."""
    import psycopg
    from psycopg import sql

    name = f"{prefix}_{secrets.token_hex(4)}"
    with psycopg.connect(server_url, autocommit=True, connect_timeout=10) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    print(f"  created database {name}", flush=True)
    try:
        yield with_database(server_url, name)
    finally:
        with psycopg.connect(server_url, autocommit=True, connect_timeout=10) as admin:
            admin.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )
        print(f"  dropped database {name}", flush=True)


@contextmanager
def scratch_redis(url: str | None) -> Iterator[str | None]:
    """The Redis database for cache and sessions: it must be empty at the start (so emptying it
    at the end destroys nothing of anyone else's), and is emptied at the end."""
    if url is None:
        yield None
        return
    import redis

    client = redis.Redis.from_url(url, socket_timeout=10)
    held = client.dbsize()
    if held:
        raise BenchError(f"{url} holds {held} keys; empty it (FLUSHDB) or pass another --redis-url")
    try:
        yield url
    finally:
        client.flushdb()
        client.close()


def base_env(workdir: Path, database_url: str, redis_url: str | None) -> dict[str, str]:
    """Environment of every step and of gunicorn (production settings throughout)."""
    env = dict(os.environ)
    for name in ("REDIS_URL", "TASKS_BACKEND", "DB_CONN_MAX_AGE"):  # TASKS_BACKEND: inline
        env.pop(name, None)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "DATABASE_URL": database_url,
            "MEDIA_ROOT": str(workdir / "media"),
            "STATIC_ROOT": str(workdir / "static"),
            "SECRET_KEY": random_secret_key(),
            "DEBUG": "0",
            "SECURE_SSL_REDIRECT": "0",
            "ALLOWED_HOSTS": f"{HOST},localhost",
            "LOG_LEVEL": "WARNING",  # production logs each hand-in at INFO; keep problems only
            "PYTHONUNBUFFERED": "1",
        }
    )
    if redis_url:
        env["REDIS_URL"] = redis_url
    return env


def manage(
    env: dict[str, str], budget: Budget, *args: str, extra: dict | None = None, label: str = ""
) -> str:
    """Run `manage.py ARGS`; returns its standard output, raises with the full output on failure."""
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**env, **(extra or {})},
        capture_output=True,
        text=True,
        timeout=budget.step(600),
        check=False,
    )
    label = label or " ".join(args)
    if result.returncode != 0:
        raise BenchError(
            f"manage.py {label} failed (exit {result.returncode}):\n"
            f"{result.stdout}\n{result.stderr}"
        )
    print(f"  manage.py {label:<28} ok in {time.perf_counter() - started:5.1f} s", flush=True)
    return result.stdout


def tagged_json(output: str, tag: str) -> dict:
    for line in output.splitlines():
        if line.startswith(tag):
            return json.loads(line.removeprefix(tag))
    raise BenchError(f"The snippet printed no {tag!r} line:\n{output}")


# --------------------------------------------------------------------------- gunicorn


@contextmanager
def gunicorn(
    env: dict[str, str], port: int, workers: int, threads: int, log_path: Path
) -> Iterator[int]:
    """Run gunicorn in the background for the duration of the block (yields its process group);
    always stops it."""
    command = [
        str(VENV_BIN / "gunicorn"),
        "config.wsgi:application",
        "--bind",
        f"{HOST}:{port}",
        "--workers",
        str(workers),
        "--threads",
        str(threads),  # more than 1: gunicorn's gthread worker
        "--timeout",
        str(GUNICORN_TIMEOUT),
        "--log-level",
        "warning",
        "--capture-output",  # Django's tracebacks of 500s go into the log too
    ]
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, so we can stop it and its workers
        )
    try:
        wait_until_up(process, port, log_path)
        yield process.pid
    finally:
        stop(process)


def log_lines(log_path: Path) -> str:
    return "\n".join(
        line
        for line in read_log(log_path).splitlines()
        if line.strip() and not line.startswith(LOG_NOISE)
    )


# --------------------------------------------------------------------------- the database seen


CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def proc_stat(pid: int) -> tuple[int, float] | None:
    """(process group, CPU seconds) of a process from /proc, None if it is gone."""
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = raw[raw.rindex(")") + 2 :].split()  # the command name may hold spaces
    return int(fields[2]), (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def machine_cpu() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine since boot, from /proc/stat."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]]
    idle = values[3] + values[4]  # idle + iowait
    return (sum(values) - idle) / CLOCK_TICKS, sum(values) / CLOCK_TICKS


def group_cpu(group: int) -> float:
    """CPU seconds used so far by the live processes of a process group (gunicorn's)."""
    total = 0.0
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            stat = proc_stat(int(entry.name))
            if stat is not None and stat[0] == group:
                total += stat[1]
    return total


class DbMonitor:
    """Samples pg_stat_activity of the benchmark database once a second during the load: open
    connections and backends waiting for a lock. Tells pool exhaustion and lock waits apart from
    plain CPU saturation when latencies grow."""

    def __init__(self, server_url: str, database: str) -> None:
        self._server_url = server_url
        self._database = database
        self._stop = threading.Event()
        self.max_connections = 0
        self.max_active = 0
        self.max_lock_waits = 0
        self.samples = 0
        self._backend_cpu: dict[int, tuple[float, float]] = {}  # pid -> (first seen, last seen)
        self._thread = threading.Thread(target=self._run, name="db-monitor", daemon=True)

    def __enter__(self) -> DbMonitor:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    def _run(self) -> None:
        import psycopg

        query = (
            "SELECT count(*), count(*) FILTER (WHERE state = 'active'), "
            "count(*) FILTER (WHERE wait_event_type = 'Lock') "
            "FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()"
        )
        try:
            with psycopg.connect(self._server_url, autocommit=True, connect_timeout=5) as conn:
                while not self._stop.wait(1.0):
                    total, active, waiting = conn.execute(query, (self._database,)).fetchone()
                    self.max_connections = max(self.max_connections, total)
                    self.max_active = max(self.max_active, active)
                    self.max_lock_waits = max(self.max_lock_waits, waiting)
                    self.samples += 1
                    self._sample_cpu(conn)
        except psycopg.Error as exc:  # a missing sample must not fail the run
            print(f"  (database monitor stopped: {exc})", file=sys.stderr)

    def _sample_cpu(self, conn: psycopg.Connection) -> None:
        rows = conn.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
            (self._database,),
        ).fetchall()
        for (pid,) in rows:
            stat = proc_stat(pid)  # a local server only; elsewhere the figure stays 0
            if stat is not None:
                first = self._backend_cpu.get(pid, (stat[1], stat[1]))[0]
                self._backend_cpu[pid] = (first, stat[1])

    @property
    def backend_cpu(self) -> float:
        """CPU seconds of the benchmark database's backends while sampled (a slight
        underestimate: a backend's last second before it closes is missed)."""
        return sum(last - first for first, last in self._backend_cpu.values())


# --------------------------------------------------------------------------- HTML of the pages


@dataclass
class Question:
    """One question of the attempt page, as the browser sees its controls."""

    position: int
    qtype: str
    hidden: list[tuple[str, str]] = field(default_factory=list)
    radios: dict[str, list[str]] = field(default_factory=dict)
    checkboxes: dict[str, list[str]] = field(default_factory=dict)
    selects: dict[str, list[str]] = field(default_factory=dict)
    texts: list[str] = field(default_factory=list)


class AttemptParser(HTMLParser):
    """The CSRF token and the questions (fieldset[data-position]) of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.csrf_token: str | None = None
        self.questions: list[Question] = []
        self._current: Question | None = None
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {key: value or "" for key, value in attrs}
        name = a.get("name", "")
        if tag == "input" and name == "csrfmiddlewaretoken":
            self.csrf_token = a.get("value")
        if tag == "fieldset" and "data-position" in a:
            qtype = next(
                (
                    c[5:]
                    for c in a.get("class", "").split()
                    if c.startswith("quiz-") and c != "quiz-question"
                ),
                "",
            )
            self._current = Question(int(a["data-position"]), qtype)
            self.questions.append(self._current)
            return
        question = self._current
        if question is None or "disabled" in a:
            return
        if tag == "input" and name:
            kind = a.get("type", "text")
            if kind == "hidden":
                question.hidden.append((name, a.get("value", "")))
            elif kind == "radio":
                question.radios.setdefault(name, []).append(a.get("value", ""))
            elif kind == "checkbox":
                question.checkboxes.setdefault(name, []).append(a.get("value", ""))
            elif kind == "text":
                question.texts.append(name)
        elif tag == "textarea" and name:
            question.texts.append(name)
        elif tag == "select" and name:
            self._select = name
            question.selects[name] = []
        elif tag == "option" and self._select and a.get("value"):
            question.selects[self._select].append(a["value"])

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        elif tag == "fieldset":
            self._current = None


def parse_page(body: bytes) -> AttemptParser:
    parser = AttemptParser()
    parser.feed(body.decode("utf-8", errors="replace"))
    return parser


def choose_answer(question: Question, rng: random.Random) -> tuple[list[tuple[str, str]], dict]:
    """The fields quiz.js would post for an answer picked at random from the controls on the
    page, and the response the server must store for them (assessments.quiz.posted and
    marking.valid_response: indexes as ints, choices sorted, pairs keyed by the left index)."""
    fields = list(question.hidden)
    expected: dict
    if question.radios:
        name, values = next(iter(question.radios.items()))
        value = rng.choice(values)
        fields.append((name, value))
        expected = {"choice": int(value)}
    elif question.checkboxes:
        name, values = next(iter(question.checkboxes.items()))
        picked = rng.sample(values, rng.randint(1, len(values)))
        fields += [(name, value) for value in picked]
        expected = {"choices": sorted({int(value) for value in picked})}
    elif question.selects and question.qtype == "matching":
        prefix = f"q{question.position}-"
        pairs = {}
        for name, values in question.selects.items():
            value = rng.choice(values)
            fields.append((name, value))
            pairs[name.removeprefix(prefix)] = int(value)
        expected = {"pairs": pairs}
    elif question.selects:  # missing word: one select in the sentence
        name, values = next(iter(question.selects.items()))
        value = rng.choice(values)
        fields.append((name, value))
        expected = {"choice": int(value)}
    elif question.texts:
        text = rng.choice(NUMBER_TEXTS if question.qtype == "numerical" else SHORT_TEXTS)
        fields.append((question.texts[0], text))
        expected = {"text": text}
    else:
        raise BenchError(f"Question {question.position} ({question.qtype}) shows no control")
    return fields, expected


# --------------------------------------------------------------------------- HTTP


class Browser:
    """One pupil's browser: a cookie jar (Secure cookies kept: production sets them for HTTPS
    and the benchmark talks plain HTTP on loopback), a fresh connection per request (no hidden
    retries: every failure is counted)."""

    def __init__(self, port: int, session_key: str, deadline: float) -> None:
        self.port = port
        self.deadline = deadline  # time.monotonic() after which no request is sent
        self.origin = f"http://{HOST}:{port}"
        self.cookies: dict[str, str] = {"sessionid": session_key}

    def request(
        self, method: str, path: str, fields: list[tuple[str, str]] | None = None, **headers: str
    ) -> tuple[int, bytes, str | None]:
        send = {"User-Agent": "lms-quiz-bench/1", "Accept-Language": "ru", **headers}
        send["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if method == "POST":
            body = urllib.parse.urlencode(fields or []).encode()
            send["Content-Type"] = "application/x-www-form-urlencoded"
            send["Origin"] = self.origin  # browsers send it; Django's CSRF check compares it
        connection = http.client.HTTPConnection(HOST, self.port, timeout=REQUEST_TIMEOUT)
        try:
            connection.request(method, path, body=body, headers=send)
            response = connection.getresponse()
            data = response.read()
        finally:
            connection.close()
        for header in response.msg.get_all("Set-Cookie") or []:
            jar = SimpleCookie()
            jar.load(header)
            for name, morsel in jar.items():
                if morsel.value == "" or morsel["max-age"] == "0":
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        return response.status, data, response.getheader("Location")


# --------------------------------------------------------------------------- the class


@dataclass
class Tally:
    """Everything the pupils measured; one lock for all of it (a few thousand records/second)."""

    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    samples: list[str] = field(default_factory=list)
    expected: dict[str, dict[str, dict]] = field(default_factory=dict)  # submission -> position
    unchanged: int = 0  # "changed": false for a first answer: suspicious, reported
    gave_up: dict[str, int] = field(default_factory=lambda: defaultdict(int))  # reason -> pupils
    first_request: float = math.inf
    last_response: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, kind: str, started: float, ended: float, error: str | None) -> None:
        with self.lock:
            self.latencies[kind].append(ended - started)
            self.first_request = min(self.first_request, started)
            self.last_response = max(self.last_response, ended)
            if error is not None:
                self.errors[kind] += 1
                if len(self.samples) < MAX_ERROR_SAMPLES:
                    self.samples.append(f"{kind}: {error}")


class PupilGaveUp(Exception):
    pass


def timed(
    tally: Tally,
    kind: str,
    browser: Browser,
    method: str,
    path: str,
    fields: list[tuple[str, str]] | None = None,
    expect: tuple[int, ...] = (200,),
    check: Callable[[bytes], str | None] | None = None,
    **headers: str,
) -> tuple[int, bytes, str | None] | None:
    """One measured request; None (and an error counted) if it failed: a status other than
    `expect`, a connection error, or what `check` finds wrong with the body."""
    if time.monotonic() > browser.deadline:
        raise PupilGaveUp("out of time")
    started = time.perf_counter()
    error = None
    result = None
    try:
        result = browser.request(method, path, fields, **headers)
        status, body, location = result
        if status not in expect:
            snippet = body[:160].decode("utf-8", errors="replace").replace("\n", " ")
            error = f"{method} {path} -> HTTP {status}" + (
                f" Location: {location}" if location else f" {snippet}"
            )
        elif check is not None:
            error = check(body)
    except (OSError, http.client.HTTPException) as exc:
        error = f"{method} {path} -> {type(exc).__name__}: {exc}"
    tally.record(kind, started, time.perf_counter(), error)
    return None if error else result


def answer_refused(body: bytes) -> str | None:
    """What quiz.js reads: the answer is saved only if the JSON says ok."""
    try:
        reply = json.loads(body)
    except ValueError:
        reply = None
    if not isinstance(reply, dict) or reply.get("ok") is not True:
        return f"answer not ok: {body[:160]!r}"
    return None


ATTEMPT_URL = re.compile(r"/work/quiz/attempts/(\d+)/$")


def pupil(
    port: int,
    session_key: str,
    assignment: int,
    start_at: float,
    think: float,
    seed: int,
    deadline: float,
    tally: Tally,
) -> None:
    """One pupil, as the browser and quiz.js do it; gives up on the first thing it cannot get
    past (no attempt, no page), carries on after a failed answer (the page would show it)."""
    rng = random.Random(seed)
    browser = Browser(port, session_key, deadline)
    time.sleep(max(0.0, start_at - time.monotonic()))

    def pause() -> None:
        wait = rng.uniform(0, think)
        if time.monotonic() + wait > deadline:
            raise PupilGaveUp("out of time")
        time.sleep(wait)

    try:
        quiz_path = f"/work/quiz/{assignment}/"
        got = timed(tally, "quiz page", browser, "GET", quiz_path)
        token = parse_page(got[1]).csrf_token if got else None
        if token is None:
            raise PupilGaveUp("no start form")
        got = timed(
            tally,
            "start",
            browser,
            "POST",
            f"{quiz_path}start/",
            [("csrfmiddlewaretoken", token)],
            expect=(302,),
        )
        match = ATTEMPT_URL.search(got[2] or "") if got else None
        if match is None:
            raise PupilGaveUp("start did not lead to an attempt")
        submission = match.group(1)
        attempt_path = match.group(0)
        got = timed(tally, "attempt page", browser, "GET", attempt_path)
        page = parse_page(got[1]) if got else None
        if page is None or page.csrf_token is None or not page.questions:
            raise PupilGaveUp("no attempt page")
        token = page.csrf_token
        answered: dict[str, dict] = {}
        for question in page.questions:
            pause()
            fields, expected = choose_answer(question, rng)
            fields = [
                ("csrfmiddlewaretoken", token),
                ("position", str(question.position)),
                *fields,
            ]
            got = timed(
                tally,
                "answer",
                browser,
                "POST",
                f"{attempt_path}answer/",
                fields,
                check=answer_refused,
                **{"X-Requested-With": "fetch", "Accept": "application/json"},
            )
            if got is None:
                continue
            answered[str(question.position)] = expected
            if json.loads(got[1]).get("changed") is not True:
                with tally.lock:
                    tally.unchanged += 1
        with tally.lock:
            tally.expected[submission] = answered
        pause()
        got = timed(
            tally,
            "finish",
            browser,
            "POST",
            f"{attempt_path}finish/",
            [("csrfmiddlewaretoken", token)],
            expect=(302,),
        )
        if got is None:
            raise PupilGaveUp("could not hand in")
        timed(tally, "review", browser, "GET", got[2] or f"{attempt_path}review/")
    except PupilGaveUp as reason:
        with tally.lock:
            tally.gave_up[str(reason)] += 1


def run_class(
    port: int, sessions: list[str], assignment: int, args: argparse.Namespace, budget: Budget
) -> tuple[Tally, float]:
    """All pupils, start times spread evenly over the ramp (in random order); returns the tally
    and the wall time of the load."""
    tally = Tally()
    order = list(range(len(sessions)))
    random.Random(args.seed).shuffle(order)
    deadline = budget.deadline - 60  # leave time to verify and clean up
    if deadline - time.monotonic() < args.ramp + 10:  # the pupils need the ramp and a bit
        raise BenchError("Not enough of --timeout is left for the load; raise it")
    threads = []
    t0 = time.monotonic() + 1.0  # every thread is running by then
    for slot, index in enumerate(order):
        start_at = t0 + args.ramp * slot / len(sessions)
        thread = threading.Thread(
            target=pupil,
            args=(
                port,
                sessions[index],
                assignment,
                start_at,
                args.think,
                args.seed * 100_003 + index,
                deadline,
                tally,
            ),
            name=f"pupil-{index}",
            daemon=True,  # a pupil stuck past the deadline must not keep the process alive
        )
        threads.append(thread)
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=max(0.0, deadline - time.monotonic()) + REQUEST_TIMEOUT + 5)
    elapsed = time.perf_counter() - started
    stuck = sum(thread.is_alive() for thread in threads)
    if stuck:
        raise BenchError(f"{stuck} pupils were still working when the time limit ran out")
    return tally, elapsed


# --------------------------------------------------------------------------- report


def own_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def figures(tally: Tally) -> dict[str, dict]:
    rows = {}
    for kind in KINDS:
        values = sorted(tally.latencies.get(kind, []))
        rows[kind] = {
            "requests": len(values),
            "errors": tally.errors.get(kind, 0),
            "p50_ms": round(percentile(values, 0.50) * 1000, 1),
            "p95_ms": round(percentile(values, 0.95) * 1000, 1),
            "p99_ms": round(percentile(values, 0.99) * 1000, 1),
            "max_ms": round(values[-1] * 1000, 1) if values else float("nan"),
        }
    return rows


def print_report(rows: dict[str, dict], summary: dict) -> None:
    header = (
        f"{'request':<13} {'count':>6} {'errors':>6} "
        f"{'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'max ms':>8}"
    )
    print()
    print(header)
    print("-" * len(header))
    for kind, r in rows.items():
        print(
            f"{kind:<13} {r['requests']:>6} {r['errors']:>6} {r['p50_ms']:>8.1f} "
            f"{r['p95_ms']:>8.1f} {r['p99_ms']:>8.1f} {r['max_ms']:>8.1f}"
        )
    print("-" * len(header))
    for label, value in summary.items():
        print(f"{label:<37} {value}")
    print()


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pupils", type=int, default=300, help=f"at most {MAX_PUPILS}")
    parser.add_argument("--questions", type=int, default=20, help="questions in the quiz")
    parser.add_argument("--group-size", type=int, default=30, help="pupils per group")
    parser.add_argument(
        "--ramp", type=float, default=60.0, help="seconds over which the pupils start (default 60)"
    )
    parser.add_argument(
        "--think", type=float, default=0.5, help="longest pause before each answer, seconds"
    )
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers (default 4)")
    parser.add_argument("--threads", type=int, default=1, help="threads per worker (default 1)")
    parser.add_argument(
        "--database-url",
        default=DEFAULT_SERVER_URL,
        help="PostgreSQL server to create the scratch database on (its database name is only "
        f"used to connect; default {DEFAULT_SERVER_URL})",
    )
    parser.add_argument(
        "--redis", action="store_true", help="cache and sessions in Redis (else sessions in the DB)"
    )
    parser.add_argument(
        "--redis-url", default=DEFAULT_REDIS_URL, help="with --redis; must be empty"
    )
    parser.add_argument("--timeout", type=float, default=600.0, help="total wall time limit, s")
    parser.add_argument("--seed", type=int, default=1, help="answers and start order")
    parser.add_argument("--json", type=Path, default=None, help="also write the figures to PATH")
    args = parser.parse_args(argv)
    if not 1 <= args.pupils <= MAX_PUPILS:
        parser.error(f"--pupils must be between 1 and {MAX_PUPILS}")
    if not 1 <= args.questions <= MAX_QUESTIONS:
        parser.error(f"--questions must be between 1 and {MAX_QUESTIONS}")
    if not 1 <= args.group_size <= 500:
        parser.error("--group-size must be between 1 and 500")
    if not 0 <= args.ramp <= 600:
        parser.error("--ramp must be between 0 and 600 seconds")
    if not 0 <= args.think <= 10:
        parser.error("--think must be between 0 and 10 seconds")
    if not 1 <= args.workers <= 32 or not 1 <= args.threads <= 32:
        parser.error("--workers and --threads must be between 1 and 32")
    if not 60 <= args.timeout <= 3600:
        parser.error("--timeout must be between 60 and 3600 seconds")
    if args.timeout < args.ramp + 120:  # set-up, the check and clean-up need about two minutes
        parser.error("--timeout must be at least --ramp + 120 seconds")
    if not urllib.parse.urlsplit(args.database_url).scheme.startswith("postgres"):
        parser.error("--database-url must be a postgresql:// URL")
    return args


def benchmark(args: argparse.Namespace, workdir: Path, budget: Budget) -> int:
    with (
        scratch_database(args.database_url) as database_url,
        scratch_redis(args.redis_url if args.redis else None) as redis_url,
    ):
        database = urllib.parse.urlsplit(database_url).path.lstrip("/")
        print(f"Scratch database {database}, work files in {workdir}", flush=True)
        env = base_env(workdir, database_url, redis_url)
        manage(env, budget, "migrate", "--noinput")
        manage(env, budget, "collectstatic", "--noinput")
        params = {"pupils": args.pupils, "questions": args.questions, "group_size": args.group_size}
        setup = tagged_json(
            manage(
                env,
                budget,
                "shell",
                "-c",
                SETUP_SNIPPET,
                extra={"BENCH_QUIZ_SETUP": json.dumps(params)},
                label="shell (scenario, sessions)",
            ),
            "SETUP=",
        )
        sessions = [key for _username, key in setup["sessions"]]
        print(
            f"  {len(sessions)} pupils in {setup['groups']} groups, sessions in "
            f"{setup['session_engine']}; {args.questions} questions ({', '.join(setup['types'])})",
            flush=True,
        )

        port = free_port()
        log_path = workdir / "gunicorn.log"
        print(
            f"Starting gunicorn on {HOST}:{port} ({args.workers} workers x {args.threads} "
            f"thread{'s' if args.threads > 1 else ''}); {len(sessions)} pupils start within "
            f"{args.ramp:g} s, pauses up to {args.think:g} s",
            flush=True,
        )
        load_before = os.getloadavg()[0]
        with (
            gunicorn(env, port, args.workers, args.threads, log_path) as server_group,
            DbMonitor(args.database_url, database) as monitor,
        ):
            # CPU seconds of gunicorn (from its start-up on), the pupils' threads and the
            # database backends: they share the machine's cores, and so do other users.
            server_before = group_cpu(server_group)
            client_before = own_cpu()
            machine_before = machine_cpu()
            tally, elapsed = run_class(port, sessions, setup["assignment"], args, budget)
            client_cpu = own_cpu() - client_before
            server_cpu = group_cpu(server_group) - server_before
            machine_busy = machine_cpu()[0] - machine_before[0]

        expected_path = workdir / "expected.json"
        expected_path.write_text(json.dumps(tally.expected, ensure_ascii=False))
        check = tagged_json(
            manage(
                env,
                budget,
                "shell",
                "-c",
                VERIFY_SNIPPET,
                label="shell (check the database)",
                extra={
                    "BENCH_QUIZ_VERIFY": json.dumps(
                        {"assignment": setup["assignment"], "expected": str(expected_path)}
                    )
                },
            ),
            "VERIFY=",
        )

    rows = figures(tally)
    requests = sum(r["requests"] for r in rows.values())
    errors = sum(r["errors"] for r in rows.values())
    load_seconds = max(tally.last_response - tally.first_request, 1e-9)
    wanted_rows = args.pupils * args.questions
    # The class asks for every request within the ramp plus one pupil's pauses, if every
    # response came back at once.
    offered_seconds = max(args.ramp + (args.questions + 1) * args.think / 2, 1.0)
    missing_handins = args.pupils - check["handed_in"]
    summary = {
        "requests": requests,
        "errors": errors,
        "pupils gave up": sum(tally.gave_up.values()),
        "answers acknowledged": check["acknowledged"],
        "lost answers": check["lost"],
        "handed in / graded": f"{check['handed_in']} / {check['graded']} of {args.pupils}",
        "answered rows": f"{check['rows_answered']} of {check['rows']} (want {wanted_rows})",
        "offered load": f"{requests / offered_seconds:.0f} req/s",
        "throughput": f"{requests / load_seconds:.1f} req/s over {load_seconds:.1f} s "
        f"({rows['answer']['requests'] / load_seconds:.1f} answers/s)",
        "gunicorn CPU a request": f"{server_cpu / max(requests, 1) * 1000:.0f} ms",
        "CPU s: gunicorn / pupils / database": (
            f"{server_cpu:.0f} / {client_cpu:.0f} / ~{monitor.backend_cpu:.0f} of "
            f"{machine_busy:.0f} busy on the machine in {elapsed:.0f} s x {os.cpu_count()} cores "
            f"(load average {load_before:.1f} before)"
        ),
        "db connections / active / lock waits": (
            f"max {monitor.max_connections} / {monitor.max_active} / {monitor.max_lock_waits} "
            f"({monitor.samples} samples)"
        ),
    }
    print_report(rows, summary)
    problems = []
    if errors:
        problems.append(f"{errors} requests failed, e.g.:\n  " + "\n  ".join(tally.samples))
    if check["lost"]:
        problems.append(
            f"{check['lost']} acknowledged answers are not stored as sent: {check['lost_samples']}"
        )
    if missing_handins or check["graded"] < check["handed_in"]:
        problems.append(
            f"handed in {check['handed_in']}, graded {check['graded']} "
            f"of {args.pupils} ({check['statuses']})"
        )
    if check["submissions"] != args.pupils or check["closed_by"] != {"pupil": args.pupils}:
        problems.append(
            f"{check['submissions']} submissions of {args.pupils} pupils, closed by "
            f"{check['closed_by']}"
        )
    if check["rows_marked"] != wanted_rows:
        problems.append(f"{check['rows_marked']} of {wanted_rows} question rows are marked")
    if check["rows"] != wanted_rows or check["rows_answered"] != wanted_rows:
        problems.append(
            f"{check['rows']} question rows, {check['rows_answered']} answered; want {wanted_rows}"
        )
    if check["pupils_with_several"]:
        problems.append(f"{check['pupils_with_several']} pupils have more than one submission")
    if tally.gave_up:
        problems.append(f"pupils gave up before handing in: {dict(tally.gave_up)}")
    if tally.unchanged:
        problems.append(f"{tally.unchanged} first answers came back as 'changed': false")

    if args.json:
        write_json(args, rows, summary, check, tally, elapsed, problems)
    if problems:
        print("PROBLEMS:\n- " + "\n- ".join(problems), file=sys.stderr)
        return 1
    return 0


def write_json(
    args: argparse.Namespace,
    rows: dict[str, dict],
    summary: dict,
    check: dict,
    tally: Tally,
    elapsed: float,
    problems: list[str],
) -> None:
    payload = {
        "settings": "config.settings.production",
        "server": f"gunicorn, {args.workers} workers x {args.threads} threads, PostgreSQL"
        + (", Redis cache and sessions" if args.redis else ", database sessions"),
        "pupils": args.pupils,
        "questions": args.questions,
        "ramp_seconds": args.ramp,
        "think_seconds_max": args.think,
        "seed": args.seed,
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
        },
        "generated_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "load_seconds": round(elapsed, 1),
        "requests": rows,
        "summary": summary,
        "database_check": check,
        "error_samples": tally.samples,
        "problems": problems,
    }
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n")
    print(f"Results written to {args.json}")


def _terminate(signum: int, _frame: FrameType | None) -> None:
    raise KeyboardInterrupt(f"signal {signum}")  # unwinds through every clean-up block


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    budget = Budget(args.timeout)
    signal.signal(signal.SIGTERM, _terminate)
    workdir = Path(tempfile.mkdtemp(prefix="lms-quiz-bench-"))
    status = 1
    try:
        status = benchmark(args, workdir, budget)
    except (BenchError, subprocess.TimeoutExpired, OSError) as exc:
        print(f"\nBENCHMARK FAILED: {exc}", file=sys.stderr)
    except KeyboardInterrupt:
        print("\nBENCHMARK INTERRUPTED", file=sys.stderr)
    finally:
        log = log_lines(workdir / "gunicorn.log")
        if log:
            print(f"\ngunicorn log:\n{log[-20_000:]}", file=sys.stderr)
        shutil.rmtree(workdir, ignore_errors=True)
    return status


if __name__ == "__main__":
    sys.exit(main())
