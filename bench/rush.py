"""The deadline rush: 500 pupils hand in a project (a text and a 1 MB photo), 300 hand in a
quiz attempt and 100 a program, all in the same 60 s, through HAProxy to two web nodes, while
one web node and one task worker are killed (SIGKILL) and started again and PostgreSQL is
restarted once. Then it checks that every hand-in a pupil was told was accepted is stored once,
with its photo byte for byte, that every queued judgement finished after the restarts and that
no pupil saw a 500; and prints throughput, p50/p95/p99 per step, the answers by status, the
retries and how long each outage lasted.

    .venv/bin/python bench/rush.py                     # 500 + 300 + 100 pupils in 60 s
    .venv/bin/python bench/rush.py --projects 50 --quizzes 30 --programs 10 --seconds 20
    .venv/bin/python bench/rush.py --no-chaos --json /tmp/rush.json

Self-contained and bounded: a PostgreSQL server of its own (initdb in a temporary directory, a
free loopback port; it is the one restarted, so nothing else on the machine is touched), an
empty Redis database (`--redis-url`, emptied at the end), the cluster of bench/cluster.py (two
gunicorn nodes, two `db_worker`s, HAProxy, shared media), every process stopped by its PID at
the end. Needs haproxy and PostgreSQL's server binaries (Debian: haproxy, postgresql). Exit
status 1 when a check fails. docs/deployment.md says what the figures mean.
"""

from __future__ import annotations

import argparse
import glob
import hashlib
import io
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import rush_pupils  # noqa: E402
from cluster import (  # noqa: E402
    NODES,
    WORKERS,
    Cluster,
    cluster_env,
    load_average,
    manage,
    run_in_workdir,
    scratch_redis,
)
from cluster_checks import Report  # noqa: E402
from cluster_http import HOST, Browser  # noqa: E402
from pages import BenchError, free_port, percentile, read_log  # noqa: E402

DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/12"
PHOTO_BYTES = 1_000_000
JUDGING_TIMEOUT = 300.0
STALE_SECONDS = 15  # a dead worker's claim is taken over this soon (production: 120)

SETUP_SNIPPET = r"""
import json, os
from django.contrib.auth.models import Group
from assessments.models import Assignment
from assessments.quiz.spec import QType
from lms import group_permissions, roles
from lms.models import Membership, School, StudyGroup, User
from tests import builders
from tests.assessments.builders import make_assignment
from tests.assessments.programming.builders import make_exercise, make_problem
from tests.assessments.quiz.builders import every_type, make_quiz

p = json.loads(os.environ["BENCH_RUSH_SETUP"])
tree = builders.build_course("bench-rush", modules=1, lessons=3)
school = School.objects.create(name="Технопарк (дедлайн)", city="Казань", kind=School.Kind.HOST,
                               time_zone="Europe/Moscow")
teacher = builders.make_user("teacher_of_the_rush", roles.TEACHER, school=school)
pupil_role = Group.objects.get(name=roles.PUPIL)
made = [User(username=f"rush_{n + 1}", first_name="Имя", last_name=f"Ученик{n + 1}", school=school)
        for n in range(p["pupils"])]
for user in made:
    user.set_unusable_password()
User.objects.bulk_create(made)
pupils = list(User.objects.filter(username__startswith="rush_").order_by("pk"))
User.groups.through.objects.bulk_create(
    [User.groups.through(user_id=u.pk, group_id=pupil_role.pk) for u in pupils])
for g in range(0, len(pupils), 100):
    group = StudyGroup.objects.create(school=school, name=f"Группа {g // 100 + 1}",
                                      academic_year="2026/2027")
    Membership.objects.create(user=teacher, group=group, role=Membership.Role.TEACHER)
    Membership.objects.bulk_create(
        [Membership(user=u, group=group, role=Membership.Role.PUPIL) for u in pupils[g:g + 100]])
    builders.enrol(group, tree)
group_permissions.sync()
project = make_assignment(tree.lessons[0], kind=Assignment.Kind.PROJECT, title="Робот на трассе")
auto = [s for s in every_type() if s.qtype not in (QType.ESSAY, QType.DESCRIPTION)][:3]
quiz = make_quiz(tree.lessons[1], auto, max_attempts=1, title="Датчики: проверка").assignment
exercise = make_exercise(tree.lessons[2], make_problem(), title="Сумма двух чисел")
sessions = builders.session_keys(pupils)
print("SETUP=" + json.dumps({"project": project.pk, "quiz": quiz.pk,
                             "code": exercise.assignment.pk, "sessions": sessions}))
"""

# Run after the rush: what the database holds, against what the pupils were told.
VERIFY_SNIPPET = r"""
import hashlib, json, os
from collections import Counter
from assessments.models import Submission, SubmissionFile
from assessments.programming.models import CodeSubmission
from assessments.quiz.models import QuizAttempt

p = json.loads(os.environ["BENCH_RUSH_VERIFY"])
out = {}
for kind in ("project", "quiz", "code"):
    subs = Submission.objects.filter(assignment_id=p[kind]).exclude(status=Submission.Status.DRAFT)
    per = Counter(subs.values_list("pupil__username", flat=True))
    told = set(p["accepted"][kind])
    out[kind] = {"stored": sum(per.values()), "told_accepted": len(told),
                 "missing": sorted(told - set(per))[:10],
                 "twice": sorted(u for u, n in per.items() if n > 1)[:10],
                 "stored_not_told": len(set(per) - told)}
files = SubmissionFile.objects.filter(submission__assignment_id=p["project"]).exclude(
    submission__status=Submission.Status.DRAFT).select_related("submission__pupil")
per_pupil, bad = Counter(), []
for f in files:
    per_pupil[f.submission.pupil.username] += 1
    with f.file.open("rb") as handle:
        digest = hashlib.sha256(handle.read()).hexdigest()
    if digest != p["photo_sha256"] or f.size != p["photo_bytes"]:
        bad.append(f.submission.pupil.username)
out["project"].update({"files": sum(per_pupil.values()), "files_wrong": bad[:10],
                       "without_photo": sorted(set(p["accepted"]["project"]) - set(per_pupil))[:10],
                       "with_two_photos": sorted(u for u, n in per_pupil.items() if n > 1)[:10]})
out["quiz"]["finished"] = QuizAttempt.objects.filter(
    submission__assignment_id=p["quiz"], finished_at__isnull=False).count()
codes = CodeSubmission.objects.filter(submission__assignment_id=p["code"])
out["code"].update({"states": dict(Counter(codes.values_list("state", flat=True))),
                    "verdicts": dict(Counter(codes.values_list("verdict", flat=True))),
                    "judged_twice": codes.filter(judge_runs__gt=1).count()})
print("VERIFY=" + json.dumps(out, ensure_ascii=False))
"""


# --------------------------------------------------------------------------- PostgreSQL


@dataclass
class Postgres:
    bindir: Path
    datadir: Path
    port: int
    log: Path

    @property
    def url(self) -> str:
        return f"postgresql://postgres@{HOST}:{self.port}/rush"

    def ctl(self, *args: str) -> None:
        command = [str(self.bindir / "pg_ctl"), "-D", str(self.datadir), "-l", str(self.log), *args]
        subprocess.run(as_postgres(command), check=True, capture_output=True, timeout=120)

    def restart(self) -> None:
        self.ctl("restart", "-m", "fast", "-w")


def as_postgres(command: list[str]) -> list[str]:
    """PostgreSQL refuses to run as root: as root, the command runs as the postgres user."""
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


def postgres_bindir() -> Path:
    for candidate in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
        if (Path(candidate) / "initdb").exists():
            return Path(candidate)
    found = shutil.which("initdb")
    if found:
        return Path(found).resolve().parent
    raise BenchError("PostgreSQL's server binaries (initdb, pg_ctl) are not installed")


@contextmanager
def own_postgres() -> Iterator[Postgres]:
    """A server of our own on a free port: initdb, start, CREATE DATABASE rush; stopped and
    removed at the end, whatever happens."""
    import psycopg

    home = Path(tempfile.mkdtemp(prefix="lms-rush-pg-"))
    if os.geteuid() == 0:
        shutil.chown(home, "postgres", "postgres")
    server = Postgres(postgres_bindir(), home / "data", free_port(), home / "postgres.log")
    subprocess.run(
        as_postgres(
            [
                str(server.bindir / "initdb"),
                "-D",
                str(server.datadir),
                "-A",
                "trust",
                "-U",
                "postgres",
                "-E",
                "UTF8",
                "--locale=C.UTF-8",
            ]
        ),
        check=True,
        capture_output=True,
        timeout=120,
    )
    options = f"-p {server.port} -k {home} -c listen_addresses={HOST} -c max_connections=200"
    try:
        server.ctl("start", "-w", "-o", options)
        with psycopg.connect(server.url.replace("/rush", "/postgres"), autocommit=True) as conn:
            conn.execute("CREATE DATABASE rush")
        print(f"  PostgreSQL of our own: {server.url} ({server.bindir})", flush=True)
        yield server
    finally:
        try:
            server.ctl("stop", "-m", "immediate")
        except (subprocess.SubprocessError, OSError) as exc:
            print(f"  could not stop our PostgreSQL: {exc}", file=sys.stderr)
        shutil.rmtree(home, ignore_errors=True)


# --------------------------------------------------------------------------- chaos


@dataclass
class Outage:
    what: str
    at: float  # seconds since the rush started
    recovered_after: float | None = None  # seconds until it served again (see chaos())


def wait_for(condition, timeout: float = 60.0) -> float | None:
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        try:
            if condition():
                return time.monotonic() - started
        except OSError:
            pass
        time.sleep(0.2)
    return None


def chaos(cluster: Cluster, server: Postgres, seconds: float, t0: float, log: list[Outage]) -> None:
    """A node killed at 20 % of the rush (started again 5 s later), a worker at 40 % (again 5 s
    later), PostgreSQL restarted at 60 %. Recovery: the node counted UP by HAProxy again, the
    worker running again, the balancer's /healthz/ 200 again after the restart (that probe waits
    in the same queue as the pupils' requests, so it includes the backlog)."""
    probe = Browser("probe")

    def at(fraction: float) -> None:
        time.sleep(max(0.0, t0 + fraction * seconds - time.monotonic()))

    at(0.2)
    node = Outage(f"SIGKILL {NODES[0]} (both its workers, mid-request)", time.monotonic() - t0)
    cluster.processes.kill(NODES[0])
    time.sleep(5)
    cluster.processes.restart(NODES[0])
    node.recovered_after = _since(
        t0, node.at, wait_for(lambda: cluster.server_states().get(NODES[0]) == "UP")
    )
    log.append(node)

    at(0.4)
    worker = Outage(f"SIGKILL {WORKERS[0]} (mid-judgement)", time.monotonic() - t0)
    cluster.processes.kill(WORKERS[0])
    time.sleep(5)
    cluster.processes.restart(WORKERS[0])
    worker.recovered_after = round(time.monotonic() - t0 - worker.at, 1)
    log.append(worker)

    at(0.6)
    database = Outage("PostgreSQL restarted (pg_ctl restart -m fast)", time.monotonic() - t0)
    server.restart()
    database.what += (
        f", accepting connections again after {time.monotonic() - t0 - database.at:.1f} s"
    )
    healthy = wait_for(lambda: probe.get(cluster.balancer_port, "/healthz/").status == 200)
    database.recovered_after = _since(t0, database.at, healthy)
    log.append(database)


def _since(t0: float, at: float, waited: float | None) -> float | None:
    return None if waited is None else round(time.monotonic() - t0 - at, 1)


# --------------------------------------------------------------------------- the rush


def photo_bytes(size: int = PHOTO_BYTES) -> bytes:
    """A real JPEG of exactly `size` bytes: noise (which does not compress) padded with comment
    segments, so every pupil's photo can be checked byte for byte."""
    from PIL import Image

    rng = random.Random(7)
    side = 480
    pixels = bytes(rng.getrandbits(8) for _ in range(side * side * 3))
    buffer = io.BytesIO()
    Image.frombytes("RGB", (side, side), pixels).save(buffer, "JPEG", quality=90)
    data = buffer.getvalue()
    pad = size - len(data)
    if pad < 0:
        raise BenchError(f"the test photo came out at {len(data)} bytes, over {size}")
    segments = []
    while pad:
        if pad < 5:  # a segment is at least 4 bytes: take it from the previous one
            last = segments.pop()
            pad += len(last)
        body = min(pad - 4, 65_000) if pad - 4 <= 65_000 or pad - 65_004 >= 5 else pad - 9
        segments.append(b"\xff\xfe" + (body + 2).to_bytes(2, "big") + b"\0" * body)
        pad -= body + 4
    return data[:2] + b"".join(segments) + data[2:]


def rush(
    cluster: Cluster, server: Postgres, setup: dict, args
) -> tuple[rush_pupils.Tally, list[Outage], bytes]:
    tally = rush_pupils.Tally()
    photo = photo_bytes()
    t0 = time.monotonic() + 2.0
    deadline = t0 + args.seconds + 120  # pupils keep retrying a while after the minute
    sessions = setup["sessions"]
    plan = [("project", rush_pupils.project(setup["project"], photo))] * args.projects
    plan += [("quiz", rush_pupils.quiz(setup["quiz"], think=2.0))] * args.quizzes
    plan += [("code", rush_pupils.code(setup["code"]))] * args.programs
    rng = random.Random(2026)
    threading.stack_size(512 * 1024)
    threads = []
    for (kind, journey), (username, key) in zip(plan, sessions, strict=False):
        pupil = rush_pupils.Pupil(
            username, key, cluster.balancer_port, tally, deadline, random.Random(rng.random())
        )
        start_at = t0 + rng.uniform(0, args.seconds * 0.9)
        threads.append(
            threading.Thread(target=rush_pupils.run, args=(pupil, journey, start_at, kind))
        )
    outages: list[Outage] = []
    if not args.no_chaos:
        threads.append(
            threading.Thread(target=chaos, args=(cluster, server, args.seconds, t0, outages))
        )
    print(
        f"\nRush: {len(plan)} pupils in {args.seconds:g} s through the balancer "
        f"({'with' if not args.no_chaos else 'without'} the kills and the restart)",
        flush=True,
    )
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=max(1.0, deadline + 30 - time.monotonic()))
    return tally, outages, photo


def wait_for_judging(cluster: Cluster, database_url: str, assignment: int) -> tuple[float, int]:
    """Until no code submission of the rush is left queued or running (the requeue sweep every
    10 s, as a cron line would); returns the seconds waited and how many were left."""
    import psycopg

    started = time.monotonic()
    sweep = 0.0
    left = -1
    while time.monotonic() - started < JUDGING_TIMEOUT:
        with psycopg.connect(database_url, autocommit=True) as conn:
            left = conn.execute(
                "SELECT count(*) FROM programming_codesubmission c JOIN assessments_submission s "
                "ON s.id = c.submission_id WHERE s.assignment_id = %s AND c.state <> 'done'",
                (assignment,),
            ).fetchone()[0]
        if left == 0:
            break
        if time.monotonic() - sweep > 10:
            manage(cluster.env, "requeue_judging", label="requeue_judging")
            sweep = time.monotonic()
        time.sleep(2)
    return round(time.monotonic() - started, 1), left


def report_figures(tally: rush_pupils.Tally, outages: list[Outage]) -> dict:
    wall = max(tally.last - tally.first, 1e-9)
    total = sum(len(v) for v in tally.latencies.values())
    rows = {}
    print(f"\n{'step':<18} {'requests':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'max ms':>8}")
    for kind, values in sorted(tally.latencies.items()):
        ms = sorted(v * 1000 for v in values)
        rows[kind] = {
            "requests": len(ms),
            "p50_ms": round(percentile(ms, 0.5), 1),
            "p95_ms": round(percentile(ms, 0.95), 1),
            "p99_ms": round(percentile(ms, 0.99), 1),
            "max_ms": round(ms[-1], 1),
        }
        r = rows[kind]
        print(
            f"{kind:<18} {r['requests']:>8} {r['p50_ms']:>8} {r['p95_ms']:>8} "
            f"{r['p99_ms']:>8} {r['max_ms']:>8}"
        )
    statuses = dict(sorted(tally.statuses.items()))
    print(
        f"\n{total} requests in {wall:.1f} s: {total / wall:.1f} req/s; answers by status "
        f"(0: no answer) {statuses}; sent again after a retry page: {tally.retries}"
    )
    print(
        f"accepted: { {k: len(v) for k, v in tally.accepted.items()} }; "
        f"gave up: {dict(tally.gave_up)}"
    )
    for outage in outages:
        print(
            f"  at {outage.at:5.1f} s  {outage.what}: "
            f"serving again after {outage.recovered_after} s"
        )
    for sample in tally.samples:
        print(f"  e.g. {sample}")
    return {
        "steps": rows,
        "requests": total,
        "seconds": round(wall, 1),
        "rps": round(total / wall, 1),
        "statuses": statuses,
        "retries": tally.retries,
        "accepted": {k: len(v) for k, v in tally.accepted.items()},
        "gave_up": dict(tally.gave_up),
        "outages": [o.__dict__ for o in outages],
    }


def check(
    report: Report, tally: rush_pupils.Tally, verified: dict, judging: tuple[float, int], args
) -> None:
    fives = tally.statuses.get(500, 0)
    (report.fail if fives else report.ok)("no 500", f"{fives} answers were 500")
    for kind, wanted in (
        ("project", args.projects),
        ("quiz", args.quizzes),
        ("code", args.programs),
    ):
        v = verified[kind]
        lost = v["missing"] or v["twice"]
        detail = (
            f"{v['told_accepted']} of {wanted} told accepted, {v['stored']} stored; missing "
            f"{v['missing']}, twice {v['twice']}, stored but not told {v['stored_not_told']}"
        )
        (report.fail if lost else report.ok)(f"{kind} stored once", detail)
    p = verified["project"]
    bad = p["files_wrong"] or p["without_photo"]
    (report.fail if bad else report.ok)(
        "photos",
        f"{p['files']} photos, wrong bytes {p['files_wrong']}, accepted without a photo "
        f"{p['without_photo']}, two photos {p['with_two_photos']}",
    )
    waited, left = judging
    c = verified["code"]
    (report.fail if left else report.ok)(
        "judging finished",
        f"{left} left after {waited} s; states {c['states']}, verdicts "
        f"{c['verdicts']}, judged again after a dead worker {c['judged_twice']}",
    )


def benchmark(args: argparse.Namespace, workdir: Path) -> int:
    print(f"Deadline rush in {workdir} (load average {load_average()}, {os.cpu_count()} CPUs)")
    with own_postgres() as server, scratch_redis(args.redis_url):
        env = cluster_env(workdir, server.url, args.redis_url)
        env["LMS_JUDGE_STALE_SECONDS"] = str(STALE_SECONDS)
        manage(env, "migrate", "--noinput")
        manage(env, "collectstatic", "--noinput")
        pupils = args.projects + args.quizzes + args.programs
        output = manage(
            {**env, "BENCH_RUSH_SETUP": json.dumps({"pupils": pupils})},
            "shell",
            "-c",
            SETUP_SNIPPET,
            label="shell (pupils, sessions)",
        )
        setup = json.loads(next(ln for ln in output.splitlines() if ln.startswith("SETUP="))[6:])
        cluster = Cluster(workdir, env)
        try:
            cluster.start_all()
            tally, outages, photo = rush(cluster, server, setup, args)
            figures = report_figures(tally, outages)
            judging = wait_for_judging(cluster, server.url, setup["code"])
            print(f"\nJudging: {judging[1]} left after {judging[0]} s", flush=True)
            verify = {
                "project": setup["project"],
                "quiz": setup["quiz"],
                "code": setup["code"],
                "accepted": {k: tally.accepted.get(k, []) for k in ("project", "quiz", "code")},
                "photo_sha256": hashlib.sha256(photo).hexdigest(),
                "photo_bytes": len(photo),
            }
            found = manage(
                {**env, "BENCH_RUSH_VERIFY": json.dumps(verify)},
                "shell",
                "-c",
                VERIFY_SNIPPET,
                label="shell (check the database)",
            )
            verified = json.loads(
                next(ln for ln in found.splitlines() if ln.startswith("VERIFY="))[7:]
            )
            report = Report()
            print()
            check(report, tally, verified, judging, args)
            dead = [n for n in cluster.processes.started if not cluster.processes.alive(n)]
            (report.fail if dead else report.ok)(
                "processes", f"exited on their own: {dead or 'none'}"
            )
            if args.json:
                payload = {
                    "figures": figures,
                    "verified": verified,
                    "judging_seconds": judging[0],
                    "checks": [{"name": n, "ok": ok, "detail": d} for n, ok, d in report.lines],
                    "load_average": os.getloadavg(),
                    "cpus": os.cpu_count(),
                }
                args.json.write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n")
            return 1 if report.failed else 0
        finally:
            cluster.processes.stop_all()
            for log in sorted(workdir.glob("*.log")):
                lines = [
                    ln for ln in read_log(log).splitlines() if "Traceback" in ln or "Error" in ln
                ]
                if lines:
                    print(
                        f"\n{log.name}: {len(lines)} error lines, e.g. {lines[:3]}", file=sys.stderr
                    )


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--projects", type=int, default=500, help="pupils handing in a project")
    parser.add_argument("--quizzes", type=int, default=300, help="pupils handing in a quiz")
    parser.add_argument("--programs", type=int, default=100, help="pupils handing in code")
    parser.add_argument("--seconds", type=float, default=60.0, help="the rush's length (60)")
    parser.add_argument("--no-chaos", action="store_true", help="no kills, no restart")
    parser.add_argument("--redis-url", default=DEFAULT_REDIS_URL, help="an empty Redis database")
    parser.add_argument("--json", type=Path, default=None, help="also write the figures to PATH")
    args = parser.parse_args(argv)
    for name in ("projects", "quizzes", "programs"):
        if not 0 <= getattr(args, name) <= 2000:
            parser.error(f"--{name} must be between 0 and 2000")
    if not 10 <= args.seconds <= 600:
        parser.error("--seconds must be between 10 and 600")
    if not args.redis_url.startswith(("redis://127.0.0.1", "redis://localhost")):
        parser.error("--redis-url must be on loopback")
    if shutil.which("haproxy") is None:
        parser.error("haproxy is not installed (apt-get install -y haproxy)")
    return args


def main(argv: list[str] | None = None) -> int:
    return run_in_workdir(benchmark, parse_args(argv), "rush")


if __name__ == "__main__":
    sys.exit(main())
