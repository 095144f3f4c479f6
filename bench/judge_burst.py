"""A burst of code submissions judged by task workers: N Python submissions (default 200) of a
problem with T tests (default 10) handed in at once, judged by W `manage.py db_worker` processes
(default 2) on PostgreSQL with the database task backend.

    .venv/bin/python bench/judge_burst.py              # 200 submissions x 10 tests, 2 workers
    .venv/bin/python bench/judge_burst.py --submissions 40 --tests 5 --workers 1
    .venv/bin/python bench/judge_burst.py --json /tmp/burst.json

Self-contained: creates a scratch database `lms_bench_burst_<hex>` on the server
(`--database-url`, default postgres@127.0.0.1:5432, trust), migrates it and builds, in this
process, a course, a school with one group of N pupils (one pupil a submission, so neither the
same-click rule nor the penalty for earlier wrong attempts comes into play) and a published
A + B problem with T tests scored per test (Python time limit 1 s) behind a code exercise
(tests.builders and tests.assessments.programming.builders). The settings are
config.settings.production (with a random SECRET_KEY), `TASKS_BACKEND=django_tasks_db.
DatabaseBackend`; the workers' log goes to a temporary folder. The database is dropped at the end,
whatever happens.

The workers are started first (and waited for until each says it is polling); then every
submission is handed in by `submitting.submit`, as the pupil's page does, one after the other as
fast as this process can: mostly right (80 %), some wrong (15 %: a - b, wrong on every test), a
few that loop forever on the last test (5 %: TLE there, the others pass). The script polls until
every CodeSubmission is done (or `--timeout`), stops the workers and checks in the database:

- every submission has the verdict, tests passed and points of its kind (OK 10/10 tests 10.00
  points; WA 0 tests 0.00; TLE T-1 tests, (T-1)/T of the points), state done, T judged tests;
- none lost: N code submissions, all done; none judged twice: judge_runs == 1 for each, exactly
  one Grade per submission (released, the submission GRADED) with exactly one GradeChange;
- the judging tasks: how many rows the queue got (more than N means judging.requeue_stale queued
  some again), how many succeeded, failed, and returned False (nothing to do: a duplicate).

Reports the wall time of the burst (first hand-in to last judged_at), tests run per second
(judged tests, N x T when all went well, over that time; compilations not counted), the queue
wait (submitted_at -> judged_at) p50, p95 and max, the hand-in time and the load average. Exit
status 1 on any failed check.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.parse
from collections import Counter
from decimal import Decimal
from pathlib import Path
from types import FrameType

sys.path.insert(0, str(Path(__file__).resolve().parent))
from pages import ROOT, BenchError, percentile, random_secret_key, read_log, stop  # noqa: E402

sys.path.insert(0, str(ROOT))

DEFAULT_SERVER_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
TIME_LIMIT_S = 1.0
MAX_POINTS = Decimal("10")

RIGHT_PY = "a, b = map(int, input().split())\nprint(a + b)\n"
WRONG_PY = "a, b = map(int, input().split())\nprint(a - b)\n"
# Loops on the last test only (the only one whose a is over a million).
TLE_PY = (
    "a, b = map(int, input().split())\nif a > 10**6:\n    while True:\n        pass\nprint(a + b)\n"
)


def kinds(count: int) -> list[str]:
    """80 % right, 15 % wrong, 5 % TLE (at least one of each from 3 submissions on), spread
    evenly through the burst."""
    wrong = max(1, round(count * 0.15)) if count >= 3 else 0
    tle = max(1, round(count * 0.05)) if count >= 3 else 0
    pattern = ["tle"] * tle + ["wrong"] * wrong + ["right"] * (count - tle - wrong)
    # Interleave: submission n gets the kind whose share is furthest behind.
    order, seen = [], Counter()
    totals = Counter(pattern)
    for n in range(count):
        kind = max(totals, key=lambda k: (totals[k] * (n + 1) / count - seen[k], k))
        seen[kind] += 1
        order.append(kind)
    return order


def expected(kind: str, tests: int) -> tuple[str, int, Decimal]:
    """(verdict, tests passed, points) of a kind of source."""
    if kind == "right":
        return "OK", tests, MAX_POINTS.quantize(Decimal("0.01"))
    if kind == "wrong":
        return "WA", 0, Decimal("0.00")
    return "TLE", tests - 1, (MAX_POINTS * (tests - 1) / tests).quantize(Decimal("0.01"))


# --------------------------------------------------------------------------- environment


def with_database(server_url: str, name: str) -> str:
    parts = urllib.parse.urlsplit(server_url)
    return urllib.parse.urlunsplit(parts._replace(path=f"/{name}"))


def create_database(server_url: str) -> str:
    import psycopg
    from psycopg import sql

    name = f"lms_bench_burst_{secrets.token_hex(4)}"
    with psycopg.connect(server_url, autocommit=True, connect_timeout=10) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return name


def drop_database(server_url: str, name: str) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(server_url, autocommit=True, connect_timeout=10) as admin:
        admin.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
    print(f"  dropped database {name}", flush=True)


def bench_env(workdir: Path, database_url: str) -> dict[str, str]:
    """The environment of this process (set before django.setup) and of the workers."""
    env = dict(os.environ)
    for name in ("REDIS_URL", "DB_CONN_MAX_AGE"):
        env.pop(name, None)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "DATABASE_URL": database_url,
            "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
            "MEDIA_ROOT": str(workdir / "media"),
            "STATIC_ROOT": str(workdir / "static"),
            "SECRET_KEY": random_secret_key(),
            "DEBUG": "0",
            "SECURE_SSL_REDIRECT": "0",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "LOG_LEVEL": "WARNING",  # judging logs each verdict at INFO; keep the warnings
            "PYTHONUNBUFFERED": "1",
        }
    )
    return env


# --------------------------------------------------------------------------- scenario


def build_scenario(pupils: int, tests: int):
    """Course, school, one group of pupils, the problem and its exercise (in this process)."""
    from django.contrib.auth.models import Group

    from assessments.programming.spec import (
        Comparison,
        LanguageLimits,
        ProblemSpec,
        Scoring,
        TestSpec,
    )
    from lms import roles
    from lms.models import Membership, School, StudyGroup, User
    from tests import builders
    from tests.assessments.programming.builders import make_exercise, make_problem

    tree = builders.build_course("bench-burst", modules=1, lessons=1, track="programming")
    school = School.objects.create(name="Технопарк (очередь)", city="Самара", kind=School.Kind.HOST)
    group = StudyGroup.objects.create(school=school, name="Python-1", academic_year="2026/2027")
    teacher = builders.make_user("bench_teacher", roles.TEACHER, school=school)
    Membership.objects.create(user=teacher, group=group, role=Membership.Role.TEACHER)
    builders.enrol(group, tree)
    made = [
        User(
            username=f"bench_pupil_{n + 1}",
            first_name="Имя",
            last_name=f"Ученик{n + 1}",
            school=school,
        )
        for n in range(pupils)
    ]
    for user in made:
        user.set_unusable_password()
    User.objects.bulk_create(made)
    made = list(User.objects.filter(username__startswith="bench_pupil_").order_by("pk"))
    pupil_role = Group.objects.get(name=roles.PUPIL)
    User.groups.through.objects.bulk_create(
        [User.groups.through(user_id=u.pk, group_id=pupil_role.pk) for u in made]
    )
    Membership.objects.bulk_create(
        [Membership(user=u, group=group, role=Membership.Role.PUPIL) for u in made]
    )

    cases = []
    for n in range(tests):
        a = 10**12 + n if n == tests - 1 else 3 * n + 1  # only the last test is big
        b = n + 2  # never 0, so a - b is wrong on every test
        cases.append(
            TestSpec(f"{a} {b}\n", f"{a + b}\n", f"{n + 1:02}", is_example=n < 2, points=10.0)
        )
    spec = ProblemSpec(
        title="Сумма двух чисел (нагрузка)",
        statement="Даны два целых числа $a$ и $b$. Выведите $a + b$.",
        time_limit_s=TIME_LIMIT_S,
        memory_limit_mb=64,
        output_limit_kb=64,
        languages={"python": LanguageLimits(time_limit_s=TIME_LIMIT_S)},
        comparison=Comparison.TRAILING,
        scoring=Scoring.PER_TEST,
        subtasks=[],
        tests=cases,
        solutions={"python": RIGHT_PY},
    )
    problem = make_problem(spec)
    exercise = make_exercise(
        tree.lessons[0], problem, title="Сумма (нагрузка)", max_points=MAX_POINTS
    )
    return exercise, made


def hand_in(exercise, pupils, order: list[str]) -> tuple[dict[int, str], float]:
    """Every submission, one after another; returns {code submission pk: kind} and the time."""
    from assessments import submissions
    from assessments.programming import submitting

    sources = {"right": RIGHT_PY, "wrong": WRONG_PY, "tle": TLE_PY}
    made = {}
    started = time.perf_counter()
    for pupil, kind in zip(pupils, order, strict=True):
        state = submissions.pupil_state(pupil, exercise.assignment)
        code = submitting.submit(state, pupil, exercise, "python", sources[kind])
        made[code.pk] = kind
    return made, time.perf_counter() - started


# --------------------------------------------------------------------------- workers


def start_workers(env: dict[str, str], count: int, workdir: Path) -> list:
    processes = []
    for n in range(count):
        log_path = workdir / f"worker-{n + 1}.log"
        with log_path.open("wb") as log:
            processes.append(
                subprocess.Popen(
                    [
                        sys.executable,
                        "manage.py",
                        "db_worker",
                        "--worker-id",
                        f"bench-{n + 1}",
                        "--interval",
                        "0.5",
                    ],
                    cwd=ROOT,
                    env=env,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,  # its own process group: stop() ends it and its runs
                )
            )
    deadline = time.monotonic() + 60
    for n, process in enumerate(processes):
        log_path = workdir / f"worker-{n + 1}.log"
        while "Starting worker" not in read_log(log_path):
            if process.poll() is not None:
                raise BenchError(
                    f"worker {n + 1} exited ({process.returncode}):\n{read_log(log_path)[-5000:]}"
                )
            if time.monotonic() > deadline:
                raise BenchError(f"worker {n + 1} did not start in 60 s")
            time.sleep(0.2)
    time.sleep(1.0)  # past the worker's random start-up delay (up to 1 s)
    return processes


def wait_for_empty_queue(processes: list, timeout: float = 120) -> int:
    """Let the workers run what building the scenario queued (Wagtail's reference index and
    search tasks) before the burst; returns how many there were."""
    from django_tasks_db.models import DBTaskResult

    queued = DBTaskResult.objects.count()
    deadline = time.monotonic() + timeout
    while DBTaskResult.objects.ready().exists() or DBTaskResult.objects.running().exists():
        if any(p.poll() is not None for p in processes):
            raise BenchError("a worker exited before the burst")
        if time.monotonic() > deadline:
            raise BenchError(f"the set-up's tasks were not done in {timeout:g} s")
        time.sleep(0.2)
    return queued


def wait_until_judged(ids: list[int], processes: list, timeout: float) -> float:
    """Poll until every submission is done; returns when the poll saw it (perf_counter)."""
    from assessments.programming.models import CodeSubmission

    deadline = time.monotonic() + timeout
    last_report = 0.0
    while True:
        done = CodeSubmission.objects.filter(pk__in=ids, state=CodeSubmission.State.DONE).count()
        if done == len(ids):
            return time.perf_counter()
        if time.monotonic() - last_report > 10:
            print(f"  {done}/{len(ids)} judged", flush=True)
            last_report = time.monotonic()
        dead = [n + 1 for n, p in enumerate(processes) if p.poll() is not None]
        if dead:
            raise BenchError(f"workers {dead} exited with {done}/{len(ids)} judged")
        if time.monotonic() > deadline:
            raise BenchError(f"--timeout ran out with {done}/{len(ids)} judged")
        time.sleep(0.5)


# --------------------------------------------------------------------------- the check


def check(made: dict[int, str], tests: int) -> tuple[dict, list[str], list[float]]:
    """Figures and problems from the database; also every queue wait in seconds."""
    from django.db.models import Count
    from django_tasks_db.models import DBTaskResult

    from assessments.models import Grade, GradeChange, Submission
    from assessments.programming.models import CodeSubmission, JudgedTest

    problems = []
    codes = {
        c.pk: c for c in CodeSubmission.objects.filter(pk__in=made).select_related("submission")
    }
    if len(codes) != len(made):
        problems.append(f"lost: {len(made) - len(codes)} code submissions are not in the database")
    judged_tests = dict(
        JudgedTest.objects.filter(code_submission__in=made)
        .values_list("code_submission")
        .annotate(n=Count("pk"))
    )
    subs = [c.submission_id for c in codes.values()]
    grades = {
        g.submission_id: g
        for g in Grade.objects.filter(submission_id__in=subs).annotate(changes=Count("history"))
    }
    grade_count = Counter(
        Grade.objects.filter(submission_id__in=subs).values_list("submission_id", flat=True)
    )
    changes_total = GradeChange.objects.filter(grade__in=[g.pk for g in grades.values()]).count()

    wrong, waits = Counter(), []
    samples = []
    verdicts = Counter()
    for pk, kind in made.items():
        code = codes.get(pk)
        if code is None:
            continue
        verdict, passed, points = expected(kind, tests)
        got = (code.state, code.verdict, code.tests_passed, code.tests_total, code.points)
        want = ("done", verdict, passed, tests, points)
        verdicts[f"{kind}:{code.verdict}"] += 1
        faults = []
        if got != want:
            why = f" ({code.compile_output[:300]!r})" if code.verdict in ("IE", "CE") else ""
            faults.append(("result", f"got {got}, want {want}{why}"))
        if code.judge_runs != 1:
            faults.append(("judge_runs", f"judge_runs {code.judge_runs}"))
        if judged_tests.get(pk, 0) != tests:
            faults.append(("judged tests", f"{judged_tests.get(pk, 0)} judged tests"))
        grade = grades.get(code.submission_id)
        if grade_count[code.submission_id] != 1 or grade is None:
            faults.append(("grades", f"{grade_count[code.submission_id]} grades"))
        else:
            if grade.changes != 1:
                faults.append(("grade changes", f"{grade.changes} grade changes"))
            if not grade.is_released or grade.points != points:
                faults.append(("grade", f"grade {grade.points} released={grade.is_released}"))
        if code.submission.status != Submission.Status.GRADED:
            faults.append(("status", f"submission {code.submission.status}"))
        if code.judged_at and code.submission.submitted_at:
            waits.append((code.judged_at - code.submission.submitted_at).total_seconds())
        else:
            faults.append(("judged_at", "no judged_at"))
        wrong.update(category for category, _text in faults)
        if faults and len(samples) < 8:
            samples.append(f"#{pk} ({kind}): {'; '.join(text for _c, text in faults)}")
    if samples:
        problems.append(
            f"{sum(wrong.values())} faults {dict(wrong)}, e.g.:\n    " + "\n    ".join(samples)
        )

    tasks = DBTaskResult.objects.filter(task_path__endswith="judge_submission")
    statuses = Counter(tasks.values_list("status", flat=True))
    returned = Counter(str(v) for v in tasks.values_list("return_value", flat=True))
    per_code = Counter(
        json.dumps(a.get("args")) for a in tasks.values_list("args_kwargs", flat=True)
    )
    task_figures = {
        "rows": tasks.count(),
        "statuses": dict(statuses),
        "returned": dict(returned),
        "submissions_with_several_tasks": sum(1 for n in per_code.values() if n > 1),
    }
    if statuses.get("FAILED"):
        problems.append(f"{statuses['FAILED']} judging tasks failed")
    if returned.get("True", 0) != len(made):
        problems.append(f"{returned.get('True', 0)} judging tasks judged, want {len(made)}")
    if changes_total != len(grades):
        problems.append(f"{changes_total} grade changes for {len(grades)} grades")
    figures = {
        "code_submissions": len(codes),
        "done": sum(c.state == "done" for c in codes.values()),
        "verdicts": dict(sorted(verdicts.items())),
        "judge_runs": dict(Counter(c.judge_runs for c in codes.values())),
        "tests_judged": sum(judged_tests.values()),
        "grades": len(grades),
        "grade_changes": changes_total,
        "tasks": task_figures,
    }
    return figures, problems, waits


# --------------------------------------------------------------------------- main


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--submissions", type=int, default=200, help="default 200")
    parser.add_argument("--tests", type=int, default=10, help="tests of the problem (default 10)")
    parser.add_argument("--workers", type=int, default=2, help="db_worker processes (default 2)")
    parser.add_argument(
        "--database-url",
        default=DEFAULT_SERVER_URL,
        help="PostgreSQL server for the scratch database (its database name is only used to "
        f"connect; default {DEFAULT_SERVER_URL})",
    )
    parser.add_argument("--timeout", type=float, default=1800.0, help="for the judging, seconds")
    parser.add_argument("--json", type=Path, default=None, help="also write the figures to PATH")
    args = parser.parse_args(argv)
    if not 1 <= args.submissions <= 5000:
        parser.error("--submissions must be between 1 and 5000")
    if not 2 <= args.tests <= 200:
        parser.error("--tests must be between 2 and 200")
    if not 1 <= args.workers <= 16:
        parser.error("--workers must be between 1 and 16")
    if not urllib.parse.urlsplit(args.database_url).scheme.startswith("postgres"):
        parser.error("--database-url must be a postgresql:// URL")
    return args


def benchmark(args: argparse.Namespace, workdir: Path, name: str) -> int:
    env = bench_env(workdir, with_database(args.database_url, name))
    os.environ.update(env)
    import django
    from django.core.management import call_command

    django.setup()
    from assessments.programming import cgroups, slots

    started = time.perf_counter()
    call_command("migrate", "--noinput", verbosity=0)
    print(f"  migrate ok in {time.perf_counter() - started:.1f} s", flush=True)
    exercise, pupils = build_scenario(args.submissions, args.tests)
    order = kinds(args.submissions)
    print(
        f"  {args.submissions} pupils, problem of {args.tests} tests (Python {TIME_LIMIT_S:g} s); "
        f"kinds {dict(Counter(order))}; cgroup mode {cgroups.mode()}, "
        f"{slots.capacity()} sandbox slots",
        flush=True,
    )
    processes = start_workers(env, args.workers, workdir)
    try:
        print(f"  the set-up's {wait_for_empty_queue(processes)} tasks are done", flush=True)
        print(
            f"  {args.workers} workers polling; handing in {args.submissions} submissions",
            flush=True,
        )
        load_before = os.getloadavg()[0]
        t0 = time.perf_counter()
        made, hand_in_s = hand_in(exercise, pupils, order)
        print(f"  handed in in {hand_in_s:.1f} s", flush=True)
        seen = wait_until_judged(list(made), processes, args.timeout)
        poll_wall = seen - t0
        load_after = os.getloadavg()[0]
    finally:
        for process in processes:
            stop(process)
    from django.db.models import Max, Min

    from assessments.programming.models import CodeSubmission

    span = CodeSubmission.objects.filter(pk__in=made).aggregate(
        first=Min("submission__submitted_at"), last=Max("judged_at")
    )
    wall = (span["last"] - span["first"]).total_seconds()
    figures, problems, waits = check(made, args.tests)
    waits.sort()
    warnings = sum(
        read_log(workdir / f"worker-{n + 1}.log").count("judging queued again")
        for n in range(args.workers)
    )
    runs = args.submissions * args.tests
    summary = {
        "submissions x tests": f"{args.submissions} x {args.tests} = {runs} runs "
        f"(+{args.submissions} compilations), {args.workers} workers, {os.cpu_count()} cores",
        "hand-in of the burst": f"{hand_in_s:.1f} s",
        "wall time": f"{wall:.1f} s (first hand-in to last judged_at; poll saw it at "
        f"{poll_wall:.1f} s)",
        "runs per second": f"{figures['tests_judged'] / wall:.1f} ({figures['tests_judged']} "
        f"judged tests of {runs} / wall time)",
        "queue wait p50 / p95 / max": f"{percentile(waits, 0.5):.1f} / "
        f"{percentile(waits, 0.95):.1f} / {waits[-1] if waits else float('nan'):.1f} s",
        "verdicts (kind:verdict)": figures["verdicts"],
        "judge_runs": figures["judge_runs"],
        "grades / grade changes": f"{figures['grades']} / {figures['grade_changes']}",
        "judging tasks": figures["tasks"],
        "'judging queued again' warnings": warnings,
        "load average before / after": f"{load_before:.1f} / {load_after:.1f}",
    }
    print()
    for label, value in summary.items():
        print(f"{label:<33} {value}")
    payload = {
        "bench": "judge_burst",
        "submissions": args.submissions,
        "tests": args.tests,
        "workers": args.workers,
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "generated_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "wall_s": round(wall, 2),
        "runs_per_s": round(figures["tests_judged"] / wall, 2),
        "tests_judged": figures["tests_judged"],
        "hand_in_s": round(hand_in_s, 2),
        "queue_wait_s": {
            "p50": round(percentile(waits, 0.5), 2),
            "p95": round(percentile(waits, 0.95), 2),
            "max": round(waits[-1], 2) if waits else None,
        },
        "requeue_warnings": warnings,
        "check": figures,
        "problems": problems,
    }
    print("JSON=" + json.dumps(payload, ensure_ascii=False))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n")
    if problems:
        print("PROBLEMS:\n- " + "\n- ".join(problems), file=sys.stderr)
        return 1
    return 0


def _terminate(signum: int, _frame: FrameType | None) -> None:
    raise KeyboardInterrupt(f"signal {signum}")  # unwinds through every clean-up block


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, _terminate)
    workdir = Path(tempfile.mkdtemp(prefix="lms-judge-burst-"))
    status = 1
    name = None
    try:
        name = create_database(args.database_url)
        print(f"Scratch database {name}, work files in {workdir}", flush=True)
        status = benchmark(args, workdir, name)
    except (BenchError, subprocess.SubprocessError, OSError) as exc:
        print(f"\nBENCHMARK FAILED: {exc}", file=sys.stderr)
    except KeyboardInterrupt:
        print("\nBENCHMARK INTERRUPTED", file=sys.stderr)
    finally:
        if status != 0:
            for log in sorted(workdir.glob("worker-*.log")):
                lines = read_log(log).splitlines()
                text = "\n".join(line for line in lines if not line.startswith("Task id=")).strip()
                if text:
                    print(f"\n{log.name}:\n{text[-5000:]}", file=sys.stderr)
        if name is not None:
            try:
                from django.db import connections

                connections.close_all()
            except Exception:  # noqa: BLE001, S110 - Django may not be set up yet
                pass
            drop_database(args.database_url, name)
        shutil.rmtree(workdir, ignore_errors=True)
    return status


if __name__ == "__main__":
    sys.exit(main())
