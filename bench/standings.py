"""Standings at scale: a board of 1,000 participants x 12 tasks from 30,000 runs (ICPC, IOI
with a task's best run, and IOI with the best per subtask), then 300 participants polling the
live board every 10 s while verdicts keep arriving.

Self-contained and bounded: a throwaway database (SQLite in a temporary directory; with
DATABASE_URL naming a PostgreSQL server, a scratch database created on it and dropped at the
end), rows made with bulk_create. In-process (Django's test client, local-memory cache) it
measures, over --repeat rounds:

* build() uncached (the cache emptied first: the queries, the rules, the public names, the
  cache write), its query count, and build() from the cache;
* the page and its live fragment served from the cache, the fragment's 304 (a matching
  ETag), and the fragment right after a new verdict (build and render);

then starts gunicorn (production settings, --workers sync workers, local-memory cache per
worker) and lets --pollers threads, each a logged-in participant, fetch the fragment every
--interval seconds with the ETag it holds (as static/js/contests-standings.js does) for
--seconds, while a writer adds a judged run and invalidates the standings --verdicts times
a second. Every answer must be 200 or 304: errors fail the run.

    .venv/bin/python bench/standings.py [--participants 1000] [--tasks 12] [--runs 30000]
        [--repeat 20] [--pollers 300] [--interval 10] [--seconds 60] [--verdicts 2]
        [--workers 2] [--no-load] [--no-gc-freeze] [--json PATH]
    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/standings.py

Targets (the issue): build() p95 <= 200 ms on SQLite and PostgreSQL; 0 errors under polling.
The clients, the writer and gunicorn share the machine; the CPU column of the in-process
figures tells the time this process computed from the time it waited for a core, and the
machine line (load average, a reference loop) says how busy it was. The objects loaded at start
are frozen out of the garbage collector's passes, as config/wsgi.py does in a server
(config.startup); --no-gc-freeze shows what that saves."""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import secrets
import sys
import tempfile
import threading
import time
from contextlib import ExitStack
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from pages import (  # noqa: E402  (the page benchmark's helpers: the same house rules)
    HOST,
    ROOT,
    BenchError,
    free_port,
    gunicorn,
    log_lines,
    manage,
    percentile,
    random_secret_key,
    with_settings,
)
from pages import base_env as pages_env  # noqa: E402
from quiz_load import scratch_database  # noqa: E402

sys.path.insert(0, str(ROOT))

TARGET_BUILD_P95_MS = 200.0
REJECTED = ("WA", "WA", "WA", "TLE", "RTE", "CE", "MLE")
SUBTASKS = 4


# --------------------------------------------------------------------------- the data


def build_contest(rules: str, args, rng: random.Random, per_subtask: bool = False):
    """One contest of args.participants x args.tasks with exactly args.runs judged runs."""
    from django.utils import timezone

    from contests.models import Category, Contest, Participant, Run, Task

    now = timezone.now().replace(microsecond=0)
    contest = Contest.objects.create(
        slug=f"bench-{rules}-{secrets.token_hex(3)}",
        title=f"Bench {rules}",
        kind=Contest.Kind.PROGRAMMING,
        rules=rules,
        starts_at=now - timedelta(hours=2),
        ends_at=now + timedelta(hours=3),
        freeze_minutes=60,
        best_per_subtask=per_subtask,
        is_published=True,
    )
    categories = [
        Category.objects.create(contest=contest, name=name, order=n)
        for n, name in enumerate(("5–7 классы", "8–9 классы", "10–11 классы"))
    ]
    tasks = Task.objects.bulk_create(
        [
            Task(
                contest=contest,
                label=chr(ord("A") + n) if n < 26 else f"T{n}",
                title=f"Задача {n + 1}",
                kind=Task.Kind.PROGRAMMING,
                order=n,
                max_score=Decimal(100),
            )
            for n in range(args.tasks)
        ]
    )
    participants = Participant.objects.bulk_create(
        [
            Participant(
                contest=contest,
                category=categories[n % len(categories)],
                name=f"Фамилия{n:04} Имя{n % 97} Отчество",
                school_name=f"Школа №{n % 40 + 1}",
                code=f"B{rules[0]}{n:06}",
                source=Participant.Source.JURY,
            )
            for n in range(args.participants)
        ]
    )
    pairs = [(p, t) for p in participants for t in tasks]
    counts = [0] * len(pairs)
    for _ in range(args.runs):  # exactly args.runs, some pairs untouched, some busy
        counts[rng.randrange(len(pairs))] += 1
    runs = []
    for (participant, task), count in zip(pairs, counts, strict=True):
        moments = sorted(rng.randrange(60, 2 * 3600) for _ in range(count))
        solved = rng.random() < 0.6
        for index, seconds in enumerate(moments):
            last = index == count - 1
            verdict = "OK" if (last and solved) else rng.choice(REJECTED)
            runs.append(judged_run(contest, participant, task, seconds, verdict, rng))
    Run.objects.bulk_create(runs, batch_size=2000)
    return contest, participants, tasks


def judged_run(contest, participant, task, seconds: int, verdict: str, rng: random.Random):
    from contests.models import Run

    if verdict == "OK":
        parts = [Decimal(25)] * SUBTASKS
    elif verdict == "CE":
        parts = [Decimal(0)] * SUBTASKS
    else:
        parts = [Decimal(25) if rng.random() < 0.4 else Decimal(0) for _ in range(SUBTASKS)]
    return Run(
        contest=contest,
        participant=participant,
        task=task,
        submitted_at=contest.starts_at + timedelta(seconds=seconds),
        time_seconds=seconds,
        state=Run.State.DONE,
        verdict=verdict,
        score=sum(parts, Decimal(0)),
        subtask_scores=[str(p) for p in parts],
        tests_total=10,
    )


def log_in_pollers(contest, participants, count: int) -> list[str]:
    """`count` pupils, each the member of one participant, with a session each (the
    database session store: the bench runs without Redis); returns the session keys."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    from contests.models import Member
    from lms.models import User

    users = User.objects.bulk_create(
        [
            User(username=f"poller{n}-{contest.pk}", first_name="Имя", last_name=f"Ученик{n}")
            for n in range(count)
        ]
    )
    users = list(User.objects.filter(username__endswith=f"-{contest.pk}").order_by("pk"))
    Member.objects.bulk_create(
        [
            Member(contest=contest, participant=participant, user=user)
            for user, participant in zip(users, participants, strict=False)
        ]
    )
    store = import_module(settings.SESSION_ENGINE).SessionStore
    keys = []
    for user in users:
        session = store()
        session[SESSION_KEY] = user._meta.pk.value_to_string(user)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.save()
        keys.append(session.session_key)
    return keys


# --------------------------------------------------------------------------- in-process


def timings(work, repeat: int, before=None) -> tuple[list[float], list[float], int]:
    """Wall and CPU seconds of `repeat` calls of work() (before() not timed), and the queries
    of the last. The CPU time is this process's (SQLite runs in it; PostgreSQL does not): on
    a shared machine it shows how much of the wall time was waiting for a core."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    wall, cpu = [], []
    queries = 0
    for _ in range(repeat):
        if before:
            before()
        with CaptureQueriesContext(connection) as captured:
            started, started_cpu = time.perf_counter(), time.process_time()
            work()
            wall.append(time.perf_counter() - started)
            cpu.append(time.process_time() - started_cpu)
        queries = len(captured)
    return wall, cpu, queries


def figure(label: str, measured: tuple, extra: str = "") -> dict:
    wall, cpu, queries = measured
    ordered, ordered_cpu = sorted(wall), sorted(cpu)
    row = {
        "what": label,
        "p50_ms": round(percentile(ordered, 0.50) * 1000, 1),
        "p95_ms": round(percentile(ordered, 0.95) * 1000, 1),
        "max_ms": round(ordered[-1] * 1000, 1),
        "cpu_p50_ms": round(percentile(ordered_cpu, 0.50) * 1000, 1),
        "cpu_p95_ms": round(percentile(ordered_cpu, 0.95) * 1000, 1),
        "queries": queries,
    }
    print(
        f"  {label:<36} p50 {row['p50_ms']:6.1f}  p95 {row['p95_ms']:6.1f}  "
        f"max {row['max_ms']:6.1f} ms  (cpu p50 {row['cpu_p50_ms']:6.1f}  p95 "
        f"{row['cpu_p95_ms']:6.1f})  {queries:2d} q {extra}",
        flush=True,
    )
    return row


def measure_in_process(contest, args, rules: str) -> list[dict]:
    from django.conf import settings
    from django.core.cache import cache
    from django.test import Client
    from django.urls import reverse

    from contests import standings

    rows = []
    contest.refresh_from_db()
    category = contest.categories.first()
    rows.append(
        figure(
            f"{rules}: build() uncached",
            timings(lambda: standings.build(contest), args.repeat, before=cache.clear),
        )
    )
    rows.append(
        figure(
            f"{rules}: build(jury=True) uncached",
            timings(lambda: standings.build(contest, jury=True), args.repeat, before=cache.clear),
        )
    )
    rows.append(
        figure(
            f"{rules}: build() of one category",
            timings(
                lambda: standings.build(contest, category_id=category.pk),
                args.repeat,
                before=cache.clear,
            ),
        )
    )
    standings.build(contest)  # into the cache: the figure is of reading it back
    rows.append(
        figure(f"{rules}: build() cached", timings(lambda: standings.build(contest), args.repeat))
    )

    client = Client()
    page = reverse("contests:standings", args=[contest.slug]) + "?category=all"
    fragment = page + "&fragment=1"
    size = {}

    def get(url, **headers):
        response = client.get(url, **headers)
        if response.status_code not in (200, 304):
            raise BenchError(f"{url} answered {response.status_code}")
        size[url] = len(response.content)
        return response

    get(page)
    measured = timings(lambda: get(page), args.repeat)
    rows.append(figure(f"{rules}: page cached", measured, f"{size[page] // 1024} KB"))
    measured = timings(lambda: get(fragment), args.repeat)
    rows.append(figure(f"{rules}: fragment cached", measured, f"{size[fragment] // 1024} KB"))
    measured = timings(lambda: get(fragment, HTTP_ACCEPT_ENCODING="gzip"), args.repeat)
    rows.append(figure(f"{rules}: fragment cached, gzip", measured, f"{size[fragment] // 1024} KB"))
    etag = get(fragment)["ETag"]
    measured = timings(lambda: get(fragment, HTTP_IF_NONE_MATCH=etag), args.repeat)
    rows.append(figure(f"{rules}: fragment 304", measured))
    settings.CONTESTS_STANDINGS_REFRESH_SECONDS = 0  # every new version rebuilt at once
    measured = timings(
        lambda: get(fragment, HTTP_ACCEPT_ENCODING="gzip"),
        args.repeat,
        before=lambda: standings.invalidate(contest.pk),
    )
    rows.append(figure(f"{rules}: fragment after a verdict", measured))
    del settings.CONTESTS_STANDINGS_REFRESH_SECONDS
    return rows


def machine() -> dict:
    """How fast this machine is at the moment (a reference loop) and how busy it is."""
    started = time.perf_counter()
    sum(range(10**6))
    loop_ms = (time.perf_counter() - started) * 1000
    load = os.getloadavg()
    print(
        f"machine: {os.cpu_count()} cores, load average {load[0]:.2f} {load[1]:.2f} "
        f"{load[2]:.2f}; sum(range(10**6)) in {loop_ms:.1f} ms",
        flush=True,
    )
    return {"cores": os.cpu_count(), "load": load, "reference_loop_ms": round(loop_ms, 1)}


# --------------------------------------------------------------------------- polling load


class Tally:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.seconds: list[float] = []
        self.statuses: dict[int, int] = {}
        self.errors: list[str] = []

    def add(self, seconds: float, status: int) -> None:
        with self.lock:
            self.seconds.append(seconds)
            self.statuses[status] = self.statuses.get(status, 0) + 1

    def error(self, text: str) -> None:
        with self.lock:
            self.errors.append(text)


def poller(port, path, cookie, interval, deadline, tally, rng_seed) -> None:
    rng = random.Random(rng_seed)
    etag = None
    next_at = time.monotonic() + rng.uniform(0, interval)
    while True:
        delay = next_at - time.monotonic()
        if next_at >= deadline:
            return
        if delay > 0:
            time.sleep(delay)
        next_at += interval
        headers = {"Cookie": f"sessionid={cookie}", "Accept-Encoding": "gzip"}
        if etag:
            headers["If-None-Match"] = etag
        started = time.perf_counter()
        try:
            connection = http.client.HTTPConnection(HOST, port, timeout=30)
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            response.read()
            connection.close()
        except OSError as error:
            tally.error(f"{type(error).__name__}: {error}")
            continue
        elapsed = time.perf_counter() - started
        if response.status not in (200, 304):
            tally.error(f"HTTP {response.status}")
        etag = response.getheader("ETag") or etag
        tally.add(elapsed, response.status)


def writer(contest, participants, tasks, per_second, deadline, written, stop) -> None:
    """New verdicts arriving: one judged run, then invalidate, per_second times a second."""
    from django.db import connection

    from contests import standings

    rng = random.Random(7)
    try:
        while time.monotonic() < deadline and not stop.is_set():
            participant, task = rng.choice(participants), rng.choice(tasks)
            seconds = int(time.time() - contest.starts_at.timestamp())
            run = judged_run(contest, participant, task, seconds, rng.choice(("OK", "WA")), rng)
            run.save()
            standings.invalidate(contest.pk)
            written.append(run.pk)
            time.sleep(1 / per_second)
    finally:
        connection.close()


def polling_load(contest, participants, tasks, cookies, env, args, workdir) -> dict:
    from django.urls import reverse

    port = free_port()
    log_path = workdir / "gunicorn.log"
    path = reverse("contests:standings", args=[contest.slug]) + "?category=all&fragment=1"
    tally = Tally()
    written: list[int] = []
    stop = threading.Event()
    print(
        f"polling: {len(cookies)} pollers every {args.interval:g} s for {args.seconds:g} s, "
        f"{args.verdicts:g} verdicts/s, gunicorn {args.workers} workers on port {port}",
        flush=True,
    )
    with gunicorn(env, port, args.workers, log_path):
        deadline = time.monotonic() + args.seconds
        threads = [
            threading.Thread(
                target=poller,
                args=(port, path, cookie, args.interval, deadline, tally, n),
                daemon=True,
            )
            for n, cookie in enumerate(cookies)
        ]
        threads.append(
            threading.Thread(
                target=writer,
                args=(contest, participants, tasks, args.verdicts, deadline, written, stop),
                daemon=True,
            )
        )
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=args.seconds + 120)
        stop.set()
        problems = log_lines(log_path)
    ordered = sorted(tally.seconds) or [0.0]
    result = {
        "requests": len(tally.seconds),
        "errors": len(tally.errors),
        "statuses": tally.statuses,
        "verdicts_written": len(written),
        "p50_ms": round(percentile(ordered, 0.50) * 1000, 1),
        "p95_ms": round(percentile(ordered, 0.95) * 1000, 1),
        "p99_ms": round(percentile(ordered, 0.99) * 1000, 1),
        "max_ms": round(ordered[-1] * 1000, 1),
    }
    print(
        f"  {result['requests']} polls, {result['errors']} errors, statuses {tally.statuses}, "
        f"{len(written)} verdicts written",
        flush=True,
    )
    print(
        f"  poll latency p50 {result['p50_ms']} ms  p95 {result['p95_ms']} ms  "
        f"p99 {result['p99_ms']} ms  max {result['max_ms']} ms",
        flush=True,
    )
    if tally.errors:
        print("  sample errors: " + "; ".join(tally.errors[:8]))
    if problems:
        print("  gunicorn log:\n" + problems[-4000:])
    return result


# --------------------------------------------------------------------------- main


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--participants", type=int, default=1000)
    parser.add_argument("--tasks", type=int, default=12)
    parser.add_argument("--runs", type=int, default=30_000, help="runs per contest")
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--pollers", type=int, default=300)
    parser.add_argument("--interval", type=float, default=10.0, help="seconds between polls")
    parser.add_argument("--seconds", type=float, default=60.0, help="length of the polling")
    parser.add_argument("--verdicts", type=float, default=2.0, help="new verdicts a second")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    parser.add_argument("--no-load", action="store_true", help="in-process figures only")
    parser.add_argument(
        "--no-gc-freeze",
        action="store_true",
        help="leave the loaded objects in the garbage collector's passes (config.startup: "
        "the server freezes them; unfrozen, full passes are most of the p95)",
    )
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args(argv)
    if not (1 <= args.participants <= 20_000 and 1 <= args.tasks <= 40):
        parser.error("--participants 1..20000, --tasks 1..40")
    if not 0 <= args.runs <= 1_000_000 or not 0 <= args.pollers <= min(args.participants, 2000):
        parser.error("--runs 0..1000000, --pollers up to the participants (at most 2000)")
    if args.verdicts <= 0 or args.interval <= 0 or args.seconds <= 0:
        parser.error("--verdicts, --interval and --seconds must be positive")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    with ExitStack() as stack:
        workdir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="lms-standings-")))
        server = os.environ.get("DATABASE_URL", "")
        if server.startswith(("postgres://", "postgresql://")):
            database_url = stack.enter_context(scratch_database(server))
        else:
            database_url = f"sqlite:///{workdir / 'bench.sqlite3'}"
        env = pages_env(workdir)
        env["DATABASE_URL"] = database_url
        env["SECRET_KEY"] = random_secret_key()
        env["LOG_LEVEL"] = "WARNING"
        # The in-process half uses the same database and secret (its sessions are the
        # pollers' logins), with the development settings and the test client.
        os.environ.update(
            {k: env[k] for k in ("DATABASE_URL", "SECRET_KEY", "MEDIA_ROOT", "STATIC_ROOT")}
        )
        for name in ("REDIS_URL", "TASKS_BACKEND"):
            os.environ.pop(name, None)
        os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.dev"
        return run(args, env, workdir)


def run(args, env, workdir: Path) -> int:
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment()
    settings.ALLOWED_HOSTS = ["testserver", HOST]
    settings.DEBUG = False
    print(f"database: {connection.vendor}", flush=True)
    call_command("migrate", verbosity=0)
    from contests.models import Contest

    rng = random.Random(13)
    report: dict = {"database": connection.vendor, "in_process": [], "load": None}
    report["machine"] = machine()
    built = {}
    # ICPC; IOI as it is by default (a task's best run); IOI with the best per subtask.
    boards = {
        "icpc": (Contest.Rules.ICPC, False),
        "ioi": (Contest.Rules.IOI, False),
        "ioi per subtask": (Contest.Rules.IOI, True),
    }
    for label, (rules, per_subtask) in boards.items():
        started = time.perf_counter()
        built[label] = build_contest(rules, args, rng, per_subtask)
        print(
            f"built {label}: {args.participants} participants x {args.tasks} tasks, "
            f"{args.runs} runs in {time.perf_counter() - started:.1f} s",
            flush=True,
        )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    if not args.no_gc_freeze:  # as config/wsgi.py does in every server process
        from config.startup import freeze_startup_objects

        print(f"gc.freeze(): {freeze_startup_objects()} objects frozen", flush=True)
    for label in built:
        report["in_process"].extend(measure_in_process(built[label][0], args, label))
    slow = [r for r in report["in_process"] if "uncached" in r["what"] or "category" in r["what"]]
    worst = max(r["p95_ms"] for r in slow)
    print(f"build() p95 worst {worst} ms (target <= {TARGET_BUILD_P95_MS:.0f} ms)", flush=True)

    failed = False
    if not args.no_load and args.pollers:
        contest, participants, tasks = built["icpc"]
        cookies = log_in_pollers(contest, participants, args.pollers)
        connection.close()  # gunicorn and the writer thread open their own
        manage(with_settings(env, "config.settings.production"), "collectstatic", "--noinput")
        report["load"] = polling_load(contest, participants, tasks, cookies, env, args, workdir)
        failed = report["load"]["errors"] > 0
        report["machine_after"] = machine()
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=2, ensure_ascii=False))
    if failed:
        print("FAILED: errors under polling", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
