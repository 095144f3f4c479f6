"""What the sandbox adds to one run: the same trivial program run N times (default 50) in the
sandbox and directly, in-process, no database.

    .venv/bin/python bench/sandbox_overhead.py               # 50 runs of each, 5 warm-up runs
    .venv/bin/python bench/sandbox_overhead.py --runs 200 --json /tmp/overhead.json

Two programs: `print(1)` in Python and a C++ `int main(){}`. In the sandbox each is compiled once
with `sandbox.compile_program` and then run with `sandbox.execute` (a fresh bubblewrap sandbox a
run, with its cgroup where the machine gives one), so compilation is not counted. Directly:
`/usr/bin/python3 -I -S -B main.py` by subprocess in a temporary folder, and the C++ program
compiled once with the same g++ command as the language row and its binary run by subprocess.
Each run is timed from the call to its return (wall clock, perf_counter), runs of the two ways
interleaved so that a burst of load elsewhere hits both alike.

Prints the cgroup mode (`cgroups.mode()`: v2, v1 or none), a table of the median and p95 of each
and the extra a run costs in the sandbox (median minus median, p95 minus p95; the budget is
30 ms at the median), then one JSON line (prefixed `JSON=`). Exit status 1 if a run failed
(not OK or not printing what it should) or the median extra is over the budget.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

BUDGET_MS = 30.0
PY_SOURCE = "print(1)\n"
CPP_SOURCE = "int main(){}\n"


def percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile of sorted values."""
    if not values:
        return float("nan")
    rank = max(1, min(len(values), round(fraction * len(values) + 0.5)))
    return values[rank - 1]


def timed(call) -> float:
    started = time.perf_counter()
    call()
    return (time.perf_counter() - started) * 1000


class Failed(Exception):
    pass


def main(argv: list[str] | None = None) -> int:
    import django

    django.setup()
    from assessments.programming import cgroups, sandbox
    from assessments.programming.languages import default
    from assessments.programming.spec import Verdict

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=50, help="measured runs of each (default 50)")
    parser.add_argument("--warmup", type=int, default=5, help="unmeasured runs first (default 5)")
    parser.add_argument("--json", type=Path, default=None, help="also write the figures to PATH")
    args = parser.parse_args(argv)
    if not 1 <= args.runs <= 10_000 or not 0 <= args.warmup <= 1000:
        parser.error("--runs must be 1..10000 and --warmup 0..1000")

    python, cpp = default("python"), default("cpp")
    limits = sandbox.Limits(time_s=2.0, memory_mb=256, output_kb=64)
    mode = cgroups.mode()
    print(f"cgroup mode: {mode}; bwrap: {sandbox.bwrap_path() or 'missing'}", flush=True)

    workdir = Path(tempfile.mkdtemp(prefix="lms-sandbox-overhead-"))
    try:
        (workdir / "main.py").write_text(PY_SOURCE)
        (workdir / "main.cpp").write_text(CPP_SOURCE)
        subprocess.run(  # the language row's own compile command, once
            list(cpp.compile_command), cwd=workdir, check=True, capture_output=True, timeout=120
        )
        programs = {}
        for language, source in ((python, PY_SOURCE), (cpp, CPP_SOURCE)):
            program = sandbox.compile_program(language, source)
            if isinstance(program, sandbox.RunResult):
                raise Failed(
                    f"{language.code} does not compile in the sandbox: {program.verdict} "
                    f"{program.message} {program.compile_output}"
                )
            programs[language.code] = program

        def in_sandbox(code: str, expected: bytes):
            def call():
                result = sandbox.execute(programs[code], b"", limits)
                if result.verdict is not Verdict.OK or result.stdout != expected:
                    raise Failed(f"{code} in the sandbox: {result.as_json()}")

            return call

        def direct(command: list[str], expected: bytes):
            def call():
                done = subprocess.run(
                    command, cwd=workdir, stdin=subprocess.DEVNULL, capture_output=True, timeout=10
                )
                if done.returncode != 0 or done.stdout != expected:
                    raise Failed(f"{command} directly: exit {done.returncode}, {done.stdout!r}")

            return call

        cases = {
            "python print(1)": (
                in_sandbox("python", b"1\n"),
                direct(["/usr/bin/python3", "-I", "-S", "-B", "main.py"], b"1\n"),
            ),
            "c++ int main(){}": (in_sandbox("cpp", b""), direct([str(workdir / "main")], b"")),
        }
        rows = {}
        for name, (sandboxed, plain) in cases.items():
            for _ in range(args.warmup):
                sandboxed()
                plain()
            box, bare = [], []
            for _ in range(args.runs):  # interleaved: load from elsewhere hits both alike
                box.append(timed(sandboxed))
                bare.append(timed(plain))
            box.sort()
            bare.sort()
            rows[name] = {
                "runs": args.runs,
                "sandbox_median_ms": round(statistics.median(box), 2),
                "sandbox_p95_ms": round(percentile(box, 0.95), 2),
                "direct_median_ms": round(statistics.median(bare), 2),
                "direct_p95_ms": round(percentile(bare, 0.95), 2),
            }
            rows[name]["extra_median_ms"] = round(
                rows[name]["sandbox_median_ms"] - rows[name]["direct_median_ms"], 2
            )
            rows[name]["extra_p95_ms"] = round(
                rows[name]["sandbox_p95_ms"] - rows[name]["direct_p95_ms"], 2
            )
    except (Failed, subprocess.SubprocessError, OSError) as exc:
        print(f"BENCHMARK FAILED: {exc}", file=sys.stderr)
        return 1
    finally:
        shutil.rmtree(workdir, ignore_errors=True)

    header = (
        f"{'program':<18} {'sandbox p50':>11} {'p95':>8} {'direct p50':>11} {'p95':>8} "
        f"{'extra p50':>10} {'extra p95':>10}"
    )
    print(f"\n{args.runs} runs each (ms, wall clock of one run), budget {BUDGET_MS:g} ms extra")
    print(header)
    print("-" * len(header))
    for name, r in rows.items():
        print(
            f"{name:<18} {r['sandbox_median_ms']:>11.1f} {r['sandbox_p95_ms']:>8.1f} "
            f"{r['direct_median_ms']:>11.1f} {r['direct_p95_ms']:>8.1f} "
            f"{r['extra_median_ms']:>10.1f} {r['extra_p95_ms']:>10.1f}"
        )
    over = [name for name, r in rows.items() if r["extra_median_ms"] > BUDGET_MS]
    payload = {
        "bench": "sandbox_overhead",
        "cgroup_mode": mode,
        "budget_extra_ms": BUDGET_MS,
        "within_budget": not over,
        "cpus": os.cpu_count(),
        "load_average": round(os.getloadavg()[0], 2),
        "python": platform.python_version(),
        "generated_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "results": rows,
    }
    print("JSON=" + json.dumps(payload, ensure_ascii=False))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n")
    if over:
        print(f"over the {BUDGET_MS:g} ms budget: {', '.join(over)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
