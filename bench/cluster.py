"""Several nodes on one machine that stands for many: two gunicorn web nodes behind HAProxy,
PostgreSQL, Redis for cache and sessions, two `manage.py db_worker` processes, one shared
MEDIA_ROOT; checks that nothing lives in one web process, then a short load through the
balancer and through one node for comparison.

    .venv/bin/python bench/cluster.py [--seconds 10] [--clients 8] [--json PATH]
    .venv/bin/python bench/cluster.py --keep          # leave it up for manual use (Ctrl-C stops)

Self-contained and bounded: a scratch database `bench_cluster_<hex>` on the PostgreSQL server
(dropped at the end), a Redis database of its own (`--redis-url`, must be empty, emptied at the
end), a temporary directory (static files, media, logs, haproxy.cfg; removed at the end). Every
process it starts is stopped by its PID (its own process group) on any exit: normal, error,
Ctrl-C or SIGTERM. Loopback only. Exit status 1 when a check fails or a request errs.
See docs/deployment.md for the topology and bench/README.md for the figures.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import asdict, dataclass, field
from pathlib import Path
from types import FrameType

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(1, str(Path(__file__).resolve().parent.parent))
from cluster_checks import Report, Scenario, check_sessions, check_shared_state  # noqa: E402
from cluster_http import HOST, Browser  # noqa: E402
from cluster_load import LoadResult, have_wrk, print_results, run_python, run_wrk  # noqa: E402
from pages import ROOT, BenchError, free_port, random_secret_key, read_log  # noqa: E402
from quiz_load import group_cpu, scratch_database  # noqa: E402

from deploy import haproxy  # noqa: E402

VENV_BIN = Path(sys.executable).parent
DEFAULT_SERVER_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/13"
NODES = ("web1", "web2")
WORKERS = ("worker1", "worker2")
GUNICORN_WORKERS = 2  # per node: sync workers, one request at a time each
GUNICORN_TIMEOUT = 60
STARTUP_TIMEOUT = 60.0
STEP_TIMEOUT = 600.0
TASKS_TABLE = "django_tasks_database_dbtaskresult"  # the app label of django_tasks_db
COURSE_URL = "/courses/robotics-arduino/"

# Picks, in the demo, a project assignment, a pupil of a group that takes it with no work on it
# yet, and a teacher who grades that group; prints them as one JSON line.
SCENARIO_SNIPPET = r"""
import json
from assessments.group_scope import group_assignments
from assessments.models import Assignment, Submission
from lms import permissions
from lms.models import Membership, StudyGroup
found = None
for group in StudyGroup.objects.order_by("pk"):
    graders = list(permissions.graders_of(group.pk).order_by("pk"))
    if not graders:
        continue
    for assignment in group_assignments(group).filter(kind=Assignment.Kind.PROJECT).order_by("pk"):
        done = Submission.objects.filter(assignment=assignment).values("pupil_id")
        pupil = (
            Membership.objects.filter(group=group, role=Membership.Role.PUPIL)
            .exclude(user_id__in=done).select_related("user").order_by("user__pk").first()
        )
        if pupil is not None:
            found = {"pupil": pupil.user.username, "teacher": graders[0].username,
                     "assignment_id": assignment.pk, "lesson_url": assignment.lesson.url}
            break
    if found:
        break
print("SCENARIO=" + json.dumps(found))
"""


# --------------------------------------------------------------------------- processes


@dataclass
class Started:
    name: str
    command: list[str]
    env: dict[str, str]
    log: Path
    process: subprocess.Popen[bytes]


class Processes:
    """Every process the benchmark starts, by name. Each runs in a process group of its own
    (start_new_session), so stopping one stops its children (gunicorn's workers) and nothing
    else: signals go to that PID's group only, never by name."""

    def __init__(self) -> None:
        self.started: dict[str, Started] = {}

    def start(self, name: str, command: list[str], env: dict[str, str], log: Path) -> Started:
        with log.open("ab") as out:
            process = subprocess.Popen(
                command,
                cwd=ROOT,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.started[name] = Started(name, command, env, log, process)
        return self.started[name]

    def pid(self, name: str) -> int:
        return self.started[name].process.pid

    def alive(self, name: str) -> bool:
        return self.started[name].process.poll() is None

    def kill(self, name: str, sig: int = signal.SIGKILL) -> None:
        """Signal one process group (a hook for killing a node or a worker mid-run)."""
        process = self.started[name].process
        if process.poll() is None:
            with suppress(ProcessLookupError):
                os.killpg(process.pid, sig)

    def stop(self, name: str) -> None:
        """SIGTERM (gunicorn and db_worker finish the request or task in hand), SIGKILL after
        15 s."""
        process = self.started[name].process
        if process.poll() is not None:
            return
        self.kill(name, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.kill(name, signal.SIGKILL)
            process.wait(timeout=5)
        # The group's other members (a worker gunicorn had not reaped yet) go too.
        with suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)

    def restart(self, name: str) -> Started:
        """Stop one process and start it again with the same command (a hook for item 6)."""
        old = self.started[name]
        self.stop(name)
        return self.start(name, old.command, old.env, old.log)

    def stop_all(self) -> None:
        for name in reversed(list(self.started)):
            try:
                self.stop(name)
            except (OSError, subprocess.TimeoutExpired) as exc:
                print(f"  could not stop {name} (pid {self.pid(name)}): {exc}", file=sys.stderr)


# --------------------------------------------------------------------------- the cluster


@dataclass
class Cluster:
    workdir: Path
    env: dict[str, str]  # shared by every Django process: same SECRET_KEY, database, Redis
    processes: Processes = field(default_factory=Processes)
    node_ports: dict[str, int] = field(default_factory=dict)
    balancer_port: int = 0
    stats_port: int = 0

    @property
    def socket_path(self) -> Path:
        return self.workdir / "haproxy.sock"

    def start_node(self, name: str) -> None:
        port = self.node_ports.setdefault(name, free_port())
        command = [
            str(VENV_BIN / "gunicorn"),
            "config.wsgi:application",
            f"--bind={HOST}:{port}",
            f"--workers={GUNICORN_WORKERS}",
            "--threads=1",
            f"--timeout={GUNICORN_TIMEOUT}",
            "--graceful-timeout=10",
            "--log-level=warning",
            "--capture-output",
            # Its own control socket: the default, ~/.gunicorn/gunicorn.ctl, is one per user.
            f"--control-socket={self.workdir / f'{name}.ctl'}",
        ]
        self.processes.start(name, command, self.env, self.workdir / f"{name}.log")

    def start_worker(self, name: str) -> None:
        command = [
            sys.executable,
            "manage.py",
            "db_worker",
            f"--worker-id={name}",
            "--interval=0.5",
            "--no-reload",
        ]
        self.processes.start(name, command, self.env, self.workdir / f"{name}.log")

    def start_balancer(self) -> None:
        self.balancer_port, self.stats_port = free_port(), free_port()
        config = haproxy.render(
            haproxy.Balancer(
                listen=f"{HOST}:{self.balancer_port}",
                nodes=tuple(
                    haproxy.Node(name, f"{HOST}:{port}", GUNICORN_WORKERS)
                    for name, port in self.node_ports.items()
                ),
                stats=f"{HOST}:{self.stats_port}",
                socket=str(self.socket_path),
                check_interval_ms=1000,
                errors_dir=haproxy.ERRORS_DIR,
            )
        )
        path = self.workdir / "haproxy.cfg"
        path.write_text(config)
        check = subprocess.run(
            ["haproxy", "-c", "-q", "-f", str(path)], capture_output=True, text=True, check=False
        )
        if check.returncode != 0:
            raise BenchError(f"haproxy -c refused {path}:\n{check.stdout}{check.stderr}")
        # -db: stay in the foreground, so the PID we hold is HAProxy's own.
        self.processes.start(
            "haproxy", ["haproxy", "-db", "-f", str(path)], self.env, self.workdir / "haproxy.log"
        )

    def start_all(self) -> None:
        """Both nodes and both workers, then HAProxy once every node answers; prints the
        topology when HAProxy counts every node UP."""
        for name in NODES:
            self.start_node(name)
        for name in WORKERS:
            self.start_worker(name)
        self.wait_nodes()
        self.start_balancer()
        self.wait_balancer()
        print(f"\nUp ({self.server_states()}):\n{self.describe()}\n", flush=True)

    def admin(self, command: str) -> str:
        """One command on HAProxy's admin socket ("show stat", "disable server nodes/web1")."""
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
            sock.settimeout(5)
            sock.connect(str(self.socket_path))
            sock.sendall(command.encode() + b"\n")
            chunks = []
            while chunk := sock.recv(65536):
                chunks.append(chunk)
        return b"".join(chunks).decode(errors="replace")

    def server_states(self) -> dict[str, str]:
        """HAProxy's view of each node: UP, DOWN, MAINT, "UP 1/2" while rising ..."""
        states = {}
        lines = self.admin("show stat").splitlines()
        header = lines[0].lstrip("# ").split(",")
        for line in lines[1:]:
            row = dict(zip(header, line.split(","), strict=False))
            if row.get("pxname") == "nodes" and row.get("svname") in self.node_ports:
                states[row["svname"]] = row.get("status", "")
        return states

    def wait_nodes(self) -> None:
        """Every node answers /healthz/ itself (before the balancer starts checking them)."""
        deadline = time.monotonic() + STARTUP_TIMEOUT
        probe = Browser("probe")
        pending = set(self.node_ports)
        while pending and time.monotonic() < deadline:
            for name in sorted(pending):
                if not self.processes.alive(name):
                    raise BenchError(f"{name} exited:\n{read_log(self.workdir / f'{name}.log')}")
                try:
                    if probe.get(self.node_ports[name], "/healthz/").status == 200:
                        pending.discard(name)
                except OSError:
                    pass
            time.sleep(0.3)
        if pending:
            raise BenchError(f"no 200 from /healthz/ of {sorted(pending)} in {STARTUP_TIMEOUT} s")

    def wait_balancer(self) -> None:
        """HAProxy counts every node UP (after `rise` good checks)."""
        deadline = time.monotonic() + STARTUP_TIMEOUT
        states: dict[str, str] = {}
        while time.monotonic() < deadline:
            if not self.processes.alive("haproxy"):
                raise BenchError(f"haproxy exited:\n{read_log(self.workdir / 'haproxy.log')}")
            try:
                states = self.server_states()
            except OSError:
                states = {}
            if states and all(state == "UP" for state in states.values()):
                return
            time.sleep(0.3)
        raise BenchError(f"HAProxy does not count every node UP: {states}")

    def describe(self) -> str:
        balancer = self.processes.pid("haproxy")
        lines = [f"  balancer  http://{HOST}:{self.balancer_port}/  (pid {balancer})"]
        lines.append(f"  stats     http://{HOST}:{self.stats_port}/")
        lines.append(f"  admin     echo 'show stat' | socat stdio {self.socket_path}")
        for name, port in self.node_ports.items():
            lines.append(f"  {name:<9} http://{HOST}:{port}/  (pid {self.processes.pid(name)})")
        for name in WORKERS:
            if name in self.processes.started:
                lines.append(f"  {name:<9} manage.py db_worker  (pid {self.processes.pid(name)})")
        lines.append(f"  logs      {self.workdir}/*.log")
        return "\n".join(lines)


# --------------------------------------------------------------------------- environment


@contextmanager
def scratch_redis(url: str) -> Iterator[object]:
    """The Redis database of the cluster's cache and sessions: it must be empty at the start (so
    emptying it destroys nothing of anyone else's), and is emptied at the end."""
    import redis

    client = redis.Redis.from_url(url, socket_timeout=10)
    held = client.dbsize()
    if held:
        raise BenchError(f"{url} holds {held} keys; empty it (FLUSHDB) or pass another --redis-url")
    try:
        yield client
    finally:
        client.flushdb()
        client.close()
        print(f"  emptied {url}", flush=True)


def cluster_env(workdir: Path, database_url: str, redis_url: str) -> dict[str, str]:
    """The environment of every Django process of the cluster (docs/deployment.md lists it)."""
    env = dict(os.environ)
    for name in ("DB_CONN_MAX_AGE", "LMS_SERVE_PUBLIC_MEDIA"):
        env.pop(name, None)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "DATABASE_URL": database_url,
            "REDIS_URL": redis_url,
            "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
            "MEDIA_ROOT": str(workdir / "media"),  # shared by both nodes and both workers
            "STATIC_ROOT": str(workdir / "static"),
            "SECRET_KEY": random_secret_key(),
            "DEBUG": "0",
            "SECURE_SSL_REDIRECT": "0",  # plain HTTP on loopback; behind TLS it stays on
            "TRUSTED_PROXIES": HOST,  # HAProxy's address: X-Forwarded-For believed from it
            "ALLOWED_HOSTS": f"{HOST},localhost",
            "SITE_URL": "http://127.0.0.1",
            "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",  # no SMTP here
            "LOG_LEVEL": "WARNING",
            "PYTHONUNBUFFERED": "1",
        }
    )
    return env


def manage(env: dict[str, str], *args: str, label: str = "") -> str:
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=STEP_TIMEOUT,
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


def analyze(database_url: str) -> None:
    import psycopg

    with psycopg.connect(database_url, autocommit=True, connect_timeout=10) as conn:
        conn.execute("ANALYZE")
    print("  ANALYZE                                ok", flush=True)


def prepare(env: dict[str, str]) -> Scenario:
    manage(env, "migrate", "--noinput")
    # Production refuses the demo (known passwords); the same database, Redis and media with the
    # development settings, tasks inline so the demo leaves no queue behind.
    dev = {**env, "DJANGO_SETTINGS_MODULE": "config.settings.dev"}
    dev.pop("TASKS_BACKEND")
    output = manage(dev, "load_demo")
    password = next(
        (ln.rsplit(":", 1)[1].strip() for ln in output.splitlines() if "use the password:" in ln),
        "",
    )
    # What autovacuum would do soon after: without statistics the planner guesses the one-query
    # page routing (cms.routing, nine LEFT JOINs) at 10^12 rows, and PostgreSQL's JIT then
    # spends 1.7 s compiling it on every request (docs/deployment.md, "PostgreSQL").
    analyze(env["DATABASE_URL"])
    manage(env, "collectstatic", "--noinput")
    found = manage(env, "shell", "-c", SCENARIO_SNIPPET, label="shell (scenario)")
    line = next((ln for ln in found.splitlines() if ln.startswith("SCENARIO=")), "SCENARIO=null")
    data = json.loads(line.removeprefix("SCENARIO="))
    if not data or not password:
        raise BenchError(f"The demo has no pupil to hand in work, or no password:\n{found}")
    return Scenario(password=password, course_url=COURSE_URL, **data)


# --------------------------------------------------------------------------- the run


def tasks_queries(database_url: str):
    import psycopg

    def db_now():
        with psycopg.connect(database_url, autocommit=True) as conn:
            return conn.execute("SELECT now()").fetchone()[0]

    def tasks_since(since) -> list[tuple]:
        with psycopg.connect(database_url, autocommit=True) as conn:
            return conn.execute(
                f"SELECT task_path, status, worker_ids FROM {TASKS_TABLE} "  # noqa: S608
                "WHERE enqueued_at >= %s ORDER BY enqueued_at",
                (since,),
            ).fetchall()

    return db_now, tasks_since


def run_load(cluster: Cluster, scenario: Scenario, cookie: str, args) -> list[LoadResult]:
    pages = [
        ("home (anon)", "/", None),
        ("course", scenario.course_url, cookie),
        ("lesson", scenario.lesson_url, cookie),
    ]
    first = NODES[0]
    via = [("balancer", cluster.balancer_port), (first, cluster.node_ports[first])]
    tool = "wrk" if have_wrk() else "python"
    print(f"\nLoad: {args.clients} clients x {args.seconds:g} s per page and target ({tool})")
    results = []
    for page, path, page_cookie in pages:
        for label, port in via:
            warm = Browser("warm-up")
            if page_cookie:
                warm.cookies["sessionid"] = page_cookie.removeprefix("sessionid=")
            for _ in range(3):
                warm.get(port, path)
            cpu_before = {n: group_cpu(cluster.processes.pid(n)) for n in (*NODES, "haproxy")}
            if tool == "wrk":
                result = run_wrk(
                    cluster.workdir,
                    label,
                    page,
                    port,
                    path,
                    page_cookie,
                    args.clients,
                    args.seconds,
                )
            else:
                result = run_python(
                    label, page, port, path, page_cookie, args.clients, args.seconds
                )
            cpu = {
                n: round(group_cpu(cluster.processes.pid(n)) - cpu_before[n], 1) for n in cpu_before
            }
            print(
                f"  {label:<9} {page:<12} {result.rps:7.1f} req/s, p50 {result.p50_ms:.1f} ms, "
                f"p99 {result.p99_ms:.1f} ms, {result.errors} errors; CPU s {cpu}",
                flush=True,
            )
            results.append(result)
    return results


def load_average() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def benchmark(args: argparse.Namespace, workdir: Path) -> int:
    print(f"Cluster in {workdir} (load average {load_average()}, {os.cpu_count()} CPUs)")
    with (
        scratch_database(args.database_url, "bench_cluster") as database_url,
        scratch_redis(args.redis_url) as redis_client,
    ):
        env = cluster_env(workdir, database_url, args.redis_url)
        scenario = prepare(env)
        cluster = Cluster(workdir, env)
        try:
            cluster.start_all()
            report = Report()
            pupil = None
            try:
                pupil, teacher = check_sessions(
                    report, cluster.balancer_port, cluster.node_ports, scenario, redis_client
                )
                db_now, tasks_since = tasks_queries(database_url)
                check_shared_state(
                    report,
                    cluster.node_ports,
                    scenario,
                    pupil,
                    teacher,
                    db_now,
                    tasks_since,
                    set(WORKERS),
                )
            except Exception as exc:  # noqa: BLE001  (a failed check, whatever raised it)
                report.fail("check", f"{type(exc).__name__}: {exc}")
            results: list[LoadResult] = []
            if not report.failed and args.seconds > 0:
                cookie = f"sessionid={pupil.cookies['sessionid']}"
                results = run_load(cluster, scenario, cookie, args)
                print_results(results)
            dead = [name for name in cluster.processes.started if not cluster.processes.alive(name)]
            if dead:
                report.fail("processes", f"exited during the run: {dead}")
            errors = [r for r in results if r.errors]
            for r in errors:
                report.fail("load", f"{r.via} {r.path}: {r.errors} errors, e.g. {r.error_sample}")
            if args.json:
                write_json(args, results, report)
            print(f"Load average at the end: {load_average()}")
            if args.keep:
                keep_running(cluster, args.keep_minutes)
            return 1 if report.failed else 0
        finally:
            cluster.processes.stop_all()
            print(f"  stopped {len(cluster.processes.started)} processes", flush=True)
            show_logs(workdir)


def keep_running(cluster: Cluster, minutes: float) -> None:
    print(
        f"\nLeft running for manual use (at most {minutes:g} min):\n{cluster.describe()}\n"
        f"  env       every process: config.settings.production, the variables in "
        f"docs/deployment.md\n"
        f"Stop with Ctrl-C, or: kill -TERM {os.getpid()}  (stops every PID above, drops the "
        f"database, empties Redis, removes {cluster.workdir})",
        flush=True,
    )
    deadline = time.monotonic() + minutes * 60
    try:
        while time.monotonic() < deadline:
            time.sleep(1)
    except KeyboardInterrupt:
        print("\nStopping the cluster", flush=True)


LOG_NOISE = ("AXES: BEGIN",)


def show_logs(workdir: Path) -> None:
    for log in sorted(workdir.glob("*.log")):
        lines = [
            ln
            for ln in read_log(log).splitlines()
            if ln.strip() and not ln.startswith(LOG_NOISE) and "Worker starting" not in ln
        ]
        if lines:
            print(f"\n{log.name}:\n" + "\n".join(lines[-40:]), file=sys.stderr)


def write_json(args, results: list[LoadResult], report: Report) -> None:
    payload = {
        "topology": {
            "nodes": len(NODES),
            "gunicorn_workers_per_node": GUNICORN_WORKERS,
            "db_workers": len(WORKERS),
            "balancer": "haproxy",
        },
        "clients": args.clients,
        "seconds": args.seconds,
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "load_average": os.getloadavg(),
        },
        "generated_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "checks": [{"name": n, "ok": ok, "detail": d} for n, ok, d in report.lines],
        "results": [asdict(r) for r in results],
    }
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n")
    print(f"Results written to {args.json}")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=10.0, help="per page and target; 0: none")
    parser.add_argument("--clients", type=int, default=8, help="concurrent connections (8)")
    parser.add_argument("--keep", action="store_true", help="leave it up after the run")
    parser.add_argument("--keep-minutes", type=float, default=30.0, help="with --keep (30)")
    parser.add_argument("--database-url", default=DEFAULT_SERVER_URL, help="PostgreSQL server")
    parser.add_argument("--redis-url", default=DEFAULT_REDIS_URL, help="an empty Redis database")
    parser.add_argument("--json", type=Path, default=None, help="also write the figures to PATH")
    args = parser.parse_args(argv)
    if not 0 <= args.seconds <= 120:
        parser.error("--seconds must be between 0 and 120")
    if not 1 <= args.clients <= 256:
        parser.error("--clients must be between 1 and 256")
    if not 0 < args.keep_minutes <= 240:
        parser.error("--keep-minutes must be in (0, 240]")
    if not args.redis_url.startswith("redis://127.0.0.1") and "localhost" not in args.redis_url:
        parser.error("--redis-url must be on loopback")
    if shutil.which("haproxy") is None:
        parser.error("haproxy is not installed (apt-get install -y haproxy)")
    return args


def _terminate(signum: int, _frame: FrameType | None) -> None:
    raise KeyboardInterrupt(f"signal {signum}")  # unwinds through every clean-up block


def run_in_workdir(benchmark, args: argparse.Namespace, name: str) -> int:
    """Run `benchmark(args, workdir)` in a temporary directory removed at the end, with SIGTERM
    unwinding through every clean-up block (so every process started is stopped by its PID)."""
    signal.signal(signal.SIGTERM, _terminate)
    workdir = Path(tempfile.mkdtemp(prefix=f"lms-{name}-"))
    status = 1
    try:
        status = benchmark(args, workdir)
    except (BenchError, subprocess.SubprocessError, OSError) as exc:
        print(f"\nBENCHMARK FAILED: {exc}", file=sys.stderr)
    except KeyboardInterrupt:
        print("\nINTERRUPTED", file=sys.stderr)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    print(f"{name.upper()} CHECKS FAILED" if status else f"{name}: all checks passed")
    return status


def main(argv: list[str] | None = None) -> int:
    return run_in_workdir(benchmark, parse_args(argv), "cluster")


if __name__ == "__main__":
    sys.exit(main())
