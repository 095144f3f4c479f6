"""Load benchmark for the pages pupils open most: a course page and one of its lessons.

Self-contained and bounded: builds a throwaway SQLite database with the demo technopark, starts
gunicorn on 127.0.0.1 with the production settings, hammers a few URLs with concurrent
keep-alive clients (standard library only) and prints requests/second and latency percentiles.
Everything (database, media, static files, logs) lives in a temporary directory that is removed
at the end; gunicorn is always stopped.

    .venv/bin/python bench/pages.py [--seconds 10] [--requests N] [--clients 8] [--json PATH]

See bench/README.md for what the figures mean.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import secrets
import shutil
import signal
import socket
import statistics
import string
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent  # the project (where manage.py lives)
VENV_BIN = Path(sys.executable).parent  # run with .venv/bin/python, so gunicorn sits next to it
HOST = "127.0.0.1"  # all traffic stays on the loopback interface

BENCH_DIR = ROOT / "bench"
BARE_APP = "bare_view:application"  # bench/bare_view.py, its own gunicorn: the yardstick
BARE_URL = "/lesson/"
COURSE_URL = "/courses/robotics-arduino/"
CATALOGUE_URL = "/courses/"
LOGIN_REQUIRED_URL = "/learn/"  # "My courses": redirects anonymous users to the login page
BENCH_USER = "pupil1"  # a demo pupil enrolled in the robotics course

REQUEST_TIMEOUT = 30.0  # seconds for any single HTTP request
STARTUP_TIMEOUT = 60.0  # seconds for gunicorn to start answering
STEP_TIMEOUT = 600.0  # seconds for any manage.py step (migrate, load_demo, collectstatic)
SAFETY_SECONDS = 300.0  # time bound of a --requests run when --seconds is not given
MAX_ERROR_SAMPLES = 5  # how many failed requests to describe in detail

# Prints the session key of a freshly logged-in pupil1, the same state a real login leaves:
# the auth keys the AuthenticationMiddleware checks plus the school time zone (lms.signals).
LOGIN_SNIPPET = """
from importlib import import_module
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
from lms.middleware import SESSION_TIME_ZONE
from lms.signals import school_time_zone
user = get_user_model().objects.get(username=%(username)r)
session = import_module(settings.SESSION_ENGINE).SessionStore()
session[SESSION_KEY] = user._meta.pk.value_to_string(user)
session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
session[HASH_SESSION_KEY] = user.get_session_auth_hash()
tz_name = school_time_zone(user)
if tz_name:
    session[SESSION_TIME_ZONE] = tz_name
session.save()
print("SESSION_KEY=" + session.session_key)
"""


class BenchError(RuntimeError):
    """Something went wrong; the message says what (the run fails loudly)."""


# --------------------------------------------------------------------------- environment


def random_secret_key(length: int = 60) -> str:
    alphabet = string.ascii_letters + string.digits + "!@#%^&*(-_=+)"
    return "".join(secrets.choice(alphabet) for _ in range(length))


def base_env(workdir: Path) -> dict[str, str]:
    """Environment shared by every step; only DJANGO_SETTINGS_MODULE differs between them.

    The same SECRET_KEY is used with dev and production settings: sessions are signed with it
    and the auth hash in the session is derived from it."""
    env = dict(os.environ)
    for name in ("REDIS_URL", "TASKS_BACKEND", "DB_CONN_MAX_AGE"):  # keep the run self-contained
        env.pop(name, None)
    env.update(
        {
            "DATABASE_URL": f"sqlite:///{workdir / 'bench.sqlite3'}",
            "MEDIA_ROOT": str(workdir / "media"),
            "STATIC_ROOT": str(workdir / "static"),
            "SECRET_KEY": random_secret_key(),
            "DEBUG": "0",
            "SECURE_SSL_REDIRECT": "0",
            "ALLOWED_HOSTS": f"{HOST},localhost",
            "PYTHONUNBUFFERED": "1",
        }
    )
    return env


def with_settings(env: dict[str, str], module: str) -> dict[str, str]:
    return {**env, "DJANGO_SETTINGS_MODULE": module}


def manage(env: dict[str, str], *args: str) -> str:
    """Run `manage.py ARGS`; returns its standard output, raises with the full output on failure."""
    command = [sys.executable, "manage.py", *args]
    started = time.perf_counter()
    result = subprocess.run(
        command,
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=STEP_TIMEOUT,
        check=False,
    )
    elapsed = time.perf_counter() - started
    label = " ".join(args[:1]) if args[0] == "shell" else " ".join(args)
    if result.returncode != 0:
        raise BenchError(
            f"manage.py {label} failed (exit {result.returncode}, "
            f"settings {env['DJANGO_SETTINGS_MODULE']}):\n{result.stdout}\n{result.stderr}"
        )
    print(f"  manage.py {label:<28} ok in {elapsed:5.1f} s", flush=True)
    return result.stdout


def prepare_site(env: dict[str, str]) -> str:
    """Build the database and static files; returns the session key of the logged-in pupil."""
    dev = with_settings(env, "config.settings.dev")  # production refuses load_demo
    manage(dev, "migrate", "--noinput")
    manage(dev, "load_demo")
    manage(with_settings(env, "config.settings.production"), "collectstatic", "--noinput")
    output = manage(dev, "shell", "-c", LOGIN_SNIPPET % {"username": BENCH_USER})
    for line in output.splitlines():
        if line.startswith("SESSION_KEY="):
            return line.removeprefix("SESSION_KEY=").strip()
    raise BenchError(f"The login snippet printed no session key:\n{output}")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


# --------------------------------------------------------------------------- gunicorn


@contextmanager
def gunicorn(
    env: dict[str, str],
    port: int,
    workers: int,
    log_path: Path,
    app: str = "config.wsgi:application",
    settings: str = "config.settings.production",
    chdir: Path = ROOT,
) -> Iterator[None]:
    """Run gunicorn in the background for the duration of the block; always stops it."""
    command = [
        str(VENV_BIN / "gunicorn"),
        app,
        "--bind",
        f"{HOST}:{port}",
        "--workers",
        str(workers),
        "--threads",
        "1",
        "--timeout",
        "60",
        "--log-level",
        "warning",
        "--capture-output",  # Django's own log lines (tracebacks of 500s) go into the log too
    ]
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            command,
            cwd=chdir,
            env=with_settings(env, settings),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, so we can stop it and its workers
        )
    try:
        wait_until_up(process, port, log_path)
        yield
    finally:
        stop(process)


def wait_until_up(process: subprocess.Popen[bytes], port: int, log_path: Path) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise BenchError(f"gunicorn exited with {process.returncode}:\n{read_log(log_path)}")
        try:
            connection = http.client.HTTPConnection(HOST, port, timeout=2)
            connection.request("GET", "/")
            connection.getresponse().read()
            connection.close()
            return
        except OSError:
            time.sleep(0.2)
    raise BenchError(f"gunicorn did not answer within {STARTUP_TIMEOUT:.0f} s")


def stop(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM the gunicorn process group (graceful), SIGKILL it if it lingers."""
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=5)
    except ProcessLookupError:
        pass


def read_log(log_path: Path) -> str:
    try:
        return log_path.read_text(errors="replace")
    except OSError:
        return ""


# Harmless lines every worker logs at start-up (django-axes announces itself at INFO).
LOG_NOISE = ("AXES: BEGIN",)


def log_lines(log_path: Path) -> str:
    """gunicorn's log minus blank lines and start-up noise: at --log-level warning plus Django's
    own logging (production level INFO) it stays empty unless something went wrong, e.g. the
    traceback of a 500."""
    return "\n".join(
        line
        for line in read_log(log_path).splitlines()
        if line.strip() and not line.startswith(LOG_NOISE)
    )


# --------------------------------------------------------------------------- HTTP


@dataclass(frozen=True)
class Target:
    name: str
    path: str
    cookie: str | None  # the Cookie header, or None for an anonymous visitor


def get(
    connection: http.client.HTTPConnection, target: Target
) -> tuple[int, bytes, http.client.HTTPResponse]:
    """One GET on a kept-alive connection; http.client reconnects by itself if the server
    closed it (gunicorn's sync workers answer every request with Connection: close)."""
    headers = {"Accept": "text/html", "User-Agent": "lms-bench/1"}
    if target.cookie:
        headers["Cookie"] = target.cookie
    try:
        connection.request("GET", target.path, headers=headers)
        response = connection.getresponse()
    except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
        connection.close()  # a stale kept-alive socket: retry once on a fresh one
        connection.request("GET", target.path, headers=headers)
        response = connection.getresponse()
    body = response.read()
    return response.status, body, response


def fetch(port: int, target: Target) -> tuple[int, bytes, str | None]:
    """A single request on its own connection: status, body and Location header."""
    connection = http.client.HTTPConnection(HOST, port, timeout=REQUEST_TIMEOUT)
    try:
        status, body, response = get(connection, target)
        return status, body, response.getheader("Location")
    finally:
        connection.close()


class LessonLinkParser(HTMLParser):
    """Collects the href of links inside `.outline-lesson` items of the course outline."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self._depth = 0  # >0 while inside an <li class="outline-lesson"> (counts nested <li>)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = (dict(attrs).get("class") or "").split()
        if tag == "li" and (self._depth or "outline-lesson" in classes):
            self._depth += 1
        elif tag == "a" and self._depth:
            href = dict(attrs).get("href")
            if href:
                self.links.append(href)

    def handle_endtag(self, tag: str) -> None:
        if tag == "li" and self._depth:
            self._depth -= 1


def discover_lesson(port: int, course: Target) -> str:
    status, body, location = fetch(port, course)
    if status != 200:
        raise BenchError(f"GET {course.path} answered {status} (Location: {location})")
    parser = LessonLinkParser()
    parser.feed(body.decode("utf-8", errors="replace"))
    links = [link for link in parser.links if link.startswith("/")]
    if not links:
        raise BenchError(f"No lesson links in .outline-lesson on {course.path} for {BENCH_USER}")
    return links[0]


def check_logged_in(port: int, cookie: str) -> None:
    """The session must really log the pupil in, else we would benchmark the anonymous pages."""
    target = Target("login check", LOGIN_REQUIRED_URL, cookie)
    status, _body, location = fetch(port, target)
    if status != 200:
        raise BenchError(
            f"Session cookie does not log {BENCH_USER} in: GET {LOGIN_REQUIRED_URL} answered "
            f"{status} (Location: {location})"
        )


# --------------------------------------------------------------------------- load


@dataclass
class Result:
    name: str
    path: str
    requests: int
    errors: int
    seconds: float
    rps: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    mean_ms: float
    max_ms: float
    bytes_per_response: int
    error_samples: list[str] = field(default_factory=list)
    vs_bare: float | None = None  # req/s as a fraction of the bare view's in the same run


class Recorder:
    """Thread-safe collection of latencies and failures, plus the shared request budget."""

    def __init__(self, budget: int | None) -> None:
        self._lock = threading.Lock()
        self._budget = budget
        self.latencies: list[float] = []
        self.errors = 0
        self.error_samples: list[str] = []
        self.body_size = 0

    def take(self) -> bool:
        """Claim one request from the budget (always true when only time bounds the run)."""
        with self._lock:
            if self._budget is None:
                return True
            if self._budget <= 0:
                return False
            self._budget -= 1
            return True

    def record(self, latency: float, error: str | None, size: int) -> None:
        with self._lock:
            self.latencies.append(latency)
            self.body_size = max(self.body_size, size)
            if error is not None:
                self.errors += 1
                if len(self.error_samples) < MAX_ERROR_SAMPLES:
                    self.error_samples.append(error)


def client(port: int, target: Target, deadline: float, recorder: Recorder) -> None:
    """One simulated visitor: requests back to back on its own connection until time or budget
    runs out."""
    connection = http.client.HTTPConnection(HOST, port, timeout=REQUEST_TIMEOUT)
    try:
        while time.monotonic() < deadline and recorder.take():
            started = time.perf_counter()
            error: str | None = None
            size = 0
            try:
                status, body, response = get(connection, target)
                size = len(body)
                if status != 200:
                    location = response.getheader("Location")
                    error = f"HTTP {status}" + (f" -> {location}" if location else "")
            except (OSError, http.client.HTTPException) as exc:
                error = f"{type(exc).__name__}: {exc}"
                connection.close()
            recorder.record(time.perf_counter() - started, error, size)
    finally:
        connection.close()


def percentile(sorted_values: list[float], fraction: float) -> float:
    """Nearest-rank percentile of an already sorted list."""
    if not sorted_values:
        return float("nan")
    rank = max(1, min(len(sorted_values), round(fraction * len(sorted_values) + 0.5)))
    return sorted_values[rank - 1]


def warm_up(port: int, target: Target, count: int) -> None:
    """Fill caches, open database connections, import lazily loaded code; all must be 200."""
    connection = http.client.HTTPConnection(HOST, port, timeout=REQUEST_TIMEOUT)
    try:
        for _ in range(count):
            status, _body, response = get(connection, target)
            if status != 200:
                raise BenchError(
                    f"Warm-up GET {target.path} answered {status} "
                    f"(Location: {response.getheader('Location')})"
                )
    finally:
        connection.close()


def run_load(port: int, target: Target, clients: int, seconds: float, budget: int | None) -> Result:
    recorder = Recorder(budget)
    started = time.perf_counter()
    deadline = time.monotonic() + seconds
    threads = [
        threading.Thread(target=client, args=(port, target, deadline, recorder), name=f"client-{n}")
        for n in range(clients)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        # Every client stops at the deadline; a request in flight ends within its timeout.
        thread.join(timeout=seconds + REQUEST_TIMEOUT + 5)
    elapsed = time.perf_counter() - started
    if any(thread.is_alive() for thread in threads):
        raise BenchError(f"Clients for {target.path} did not finish in time")
    values = sorted(recorder.latencies)
    count = len(values)
    return Result(
        name=target.name,
        path=target.path,
        requests=count,
        errors=recorder.errors,
        seconds=round(elapsed, 3),
        rps=round(count / elapsed, 1) if elapsed else 0.0,
        p50_ms=round(percentile(values, 0.50) * 1000, 1),
        p95_ms=round(percentile(values, 0.95) * 1000, 1),
        p99_ms=round(percentile(values, 0.99) * 1000, 1),
        mean_ms=round(statistics.fmean(values) * 1000, 1) if values else float("nan"),
        max_ms=round(values[-1] * 1000, 1) if values else float("nan"),
        bytes_per_response=recorder.body_size,
        error_samples=recorder.error_samples,
    )


# --------------------------------------------------------------------------- report


def print_table(results: list[Result]) -> None:
    width = max([len("path"), *(len(r.path) for r in results)])
    header = (
        f"{'page':<16} {'path':<{width}} {'requests':>8} {'errors':>6} {'req/s':>7} "
        f"{'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'max ms':>7} {'KiB':>5} {'vs bare':>7}"
    )
    print()
    print(header)
    print("-" * len(header))
    for r in results:
        print(
            f"{r.name:<16} {r.path:<{width}} {r.requests:>8} {r.errors:>6} {r.rps:>7.1f} "
            f"{r.p50_ms:>7.1f} {r.p95_ms:>7.1f} {r.p99_ms:>7.1f} {r.max_ms:>7.1f} "
            f"{r.bytes_per_response / 1024:>5.0f} "
            f"{r.vs_bare if r.vs_bare is not None else float('nan'):>7.3f}"
        )
    print()


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--seconds",
        type=float,
        default=None,
        help="measured duration per URL (default 10; 300 as a safety bound with --requests)",
    )
    parser.add_argument(
        "--requests", type=int, default=None, help="stop each URL after this many requests"
    )
    parser.add_argument("--clients", type=int, default=8, help="concurrent clients (default 8)")
    parser.add_argument("--warmup", type=int, default=20, help="warm-up requests per URL")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    parser.add_argument("--no-home", action="store_true", help="skip the anonymous pages")
    parser.add_argument("--json", type=Path, default=None, help="also write results to PATH")
    args = parser.parse_args(argv)
    if args.seconds is None:
        args.seconds = 10.0 if args.requests is None else SAFETY_SECONDS
    if not 0 < args.seconds <= 3600:
        parser.error("--seconds must be in (0, 3600]")
    if args.requests is not None and args.requests < 1:
        parser.error("--requests must be positive")
    if not 1 <= args.clients <= 256:
        parser.error("--clients must be between 1 and 256")
    if not 0 <= args.warmup <= 10_000:
        parser.error("--warmup must be between 0 and 10000")
    if not 1 <= args.workers <= 32:
        parser.error("--workers must be between 1 and 32")
    return args


def benchmark(args: argparse.Namespace, workdir: Path) -> list[Result]:
    env = base_env(workdir)
    print(f"Preparing a fresh demo database in {workdir}", flush=True)
    session_key = prepare_site(env)
    cookie = f"sessionid={session_key}"

    port, bare_port = free_port(), free_port()
    log_path = workdir / "gunicorn.log"
    print(f"Starting gunicorn on {HOST}:{port} ({args.workers} workers, 1 thread each)")
    print(f"Starting the bare Django view (bench/bare_view.py) on {HOST}:{bare_port}")
    results: list[Result] = []
    bare_env = {**env, "BARE_DB_DIR": str(workdir)}
    bare_log = workdir / "gunicorn-bare.log"
    with (
        gunicorn(env, port, args.workers, log_path),
        gunicorn(bare_env, bare_port, args.workers, bare_log, BARE_APP, "bare_view", BENCH_DIR),
    ):
        bare = Target("bare view", BARE_URL, None)
        print(f"  {bare.name:<16} {bare.path}: warm-up {args.warmup}, then {args.clients} clients")
        warm_up(bare_port, bare, args.warmup)
        bare_result = run_load(bare_port, bare, args.clients, args.seconds, args.requests)
        results.append(bare_result)
        check_logged_in(port, cookie)
        course = Target("course", COURSE_URL, cookie)
        lesson = Target("lesson", discover_lesson(port, course), cookie)
        targets = [course, lesson, Target("my courses", LOGIN_REQUIRED_URL, cookie)]
        if not args.no_home:  # the pages kept whole for visitors (cms.public_cache)
            targets.append(Target("home (anon)", "/", None))
            targets.append(Target("catalogue (anon)", CATALOGUE_URL, None))
            targets.append(Target("course (anon)", COURSE_URL, None))

        bound = f"{args.seconds:g} s" + (f" or {args.requests} requests" if args.requests else "")
        for target in targets:
            print(
                f"  {target.name:<16} {target.path}: warm-up {args.warmup}, "
                f"then {args.clients} clients for {bound}",
                flush=True,
            )
            warm_up(port, target, args.warmup)
            results.append(run_load(port, target, args.clients, args.seconds, args.requests))

    for result in results:
        if bare_result.rps:
            result.vs_bare = round(result.rps / bare_result.rps, 3)
    print_table(results)
    if args.json:
        write_json(args, results)
    failed = [r for r in results if r.errors]
    if failed:
        details = "\n".join(
            f"  {r.path}: {r.errors} errors, e.g. {'; '.join(r.error_samples)}" for r in failed
        )
        raise BenchError(f"Some responses were not 200:\n{details}")
    return results


def write_json(args: argparse.Namespace, results: list[Result]) -> None:
    payload = {
        "settings": "config.settings.production",
        "server": f"gunicorn, {args.workers} workers x 1 thread, SQLite",
        "clients": args.clients,
        "seconds": args.seconds,
        "requests_limit": args.requests,
        "warmup": args.warmup,
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
        },
        "generated_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "bare_view": "bench/bare_view.py (~26 KB, default middleware, no query)",
        "results": [asdict(r) for r in results],
    }
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n")
    print(f"Results written to {args.json}")


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    workdir = Path(tempfile.mkdtemp(prefix="lms-bench-"))
    status = 0
    try:
        benchmark(args, workdir)
    except (BenchError, subprocess.TimeoutExpired) as exc:
        print(f"\nBENCHMARK FAILED: {exc}", file=sys.stderr)
        status = 1
    finally:
        # Shown before the temporary directory (and the log in it) is removed.
        log = log_lines(workdir / "gunicorn.log")
        if log:
            print(f"\ngunicorn log ({workdir / 'gunicorn.log'}):\n{log}", file=sys.stderr)
        shutil.rmtree(workdir, ignore_errors=True)
    return status


if __name__ == "__main__":
    sys.exit(main())
