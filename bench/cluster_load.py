"""The short bounded load of bench/cluster.py: a few pages through the balancer and through one
node, with wrk (Debian's `wrk`, when installed) or, without it, keep-alive clients of the
standard library. Every run is bounded by --seconds; every request by a 30 s timeout."""

from __future__ import annotations

import http.client
import json
import shutil
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from cluster_http import HOST, REQUEST_TIMEOUT

# wrk's Lua hooks: count the answers that are not 200 and which node gave each (X-Node), and
# print one JSON line at the end with the percentiles wrk measured (in microseconds).
WRK_SCRIPT = r"""
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) nodes = {}; bad = 0; sample = "" end
function response(status, headers, body)
  if status ~= 200 then
    bad = bad + 1
    if sample == "" then sample = "HTTP " .. status .. " " .. (headers["Location"] or "") end
  end
  local node = headers["X-Node"] or headers["x-node"] or "-"
  nodes[node] = (nodes[node] or 0) + 1
end
function done(summary, latency, requests)
  local counts, bad_total, first = {}, 0, ""
  for _, t in ipairs(threads) do
    bad_total = bad_total + t:get("bad")
    if first == "" then first = t:get("sample") end
    for k, v in pairs(t:get("nodes")) do counts[k] = (counts[k] or 0) + v end
  end
  local parts = {}
  for k, v in pairs(counts) do table.insert(parts, string.format('"%s": %d', k, v)) end
  local e = summary.errors
  io.write(string.format(
    'WRK_JSON={"requests": %d, "duration_us": %d, "bad_status": %d, "connect": %d, ' ..
    '"read": %d, "write": %d, "timeout": %d, "p50": %d, "p95": %d, "p99": %d, "max": %d, ' ..
    '"nodes": {%s}, "sample": "%s"}\n',
    summary.requests, summary.duration, bad_total, e.connect, e.read, e.write, e.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max,
    table.concat(parts, ", "), first:gsub('"', "'")))
end
"""


@dataclass
class LoadResult:
    via: str  # "balancer" or the node's name
    page: str
    path: str
    requests: int
    errors: int
    rps: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float
    nodes: dict[str, int] = field(default_factory=dict)
    error_sample: str = ""
    tool: str = "wrk"


def have_wrk() -> bool:
    return shutil.which("wrk") is not None


def run_wrk(
    workdir: Path,
    via: str,
    page: str,
    port: int,
    path: str,
    cookie: str | None,
    clients: int,
    seconds: float,
) -> LoadResult:
    script = workdir / "count.lua"
    script.write_text(WRK_SCRIPT)
    command = [
        "wrk",
        f"--threads={min(2, clients)}",
        f"--connections={clients}",
        f"--duration={max(1, round(seconds))}s",
        f"--timeout={REQUEST_TIMEOUT:.0f}s",
        f"--script={script}",
        "--header=Accept: text/html",
    ]
    if cookie:
        command.append(f"--header=Cookie: {cookie}")
    command.append(f"http://{HOST}:{port}{path}")
    result = subprocess.run(
        command, capture_output=True, text=True, timeout=seconds + REQUEST_TIMEOUT + 30, check=False
    )
    line = next((ln for ln in result.stdout.splitlines() if ln.startswith("WRK_JSON=")), None)
    if result.returncode != 0 or line is None:
        raise RuntimeError(f"wrk failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
    data = json.loads(line.removeprefix("WRK_JSON="))
    socket_errors = data["connect"] + data["read"] + data["write"] + data["timeout"]
    return LoadResult(
        via=via,
        page=page,
        path=path,
        requests=data["requests"],
        errors=data["bad_status"] + socket_errors,
        rps=round(data["requests"] / (data["duration_us"] / 1e6), 1),
        p50_ms=data["p50"] / 1000,
        p95_ms=data["p95"] / 1000,
        p99_ms=data["p99"] / 1000,
        max_ms=data["max"] / 1000,
        nodes=data["nodes"],
        error_sample=data["sample"]
        or (f"{socket_errors} socket errors/timeouts" if socket_errors else ""),
    )


def _percentile(values: list[float], fraction: float) -> float:
    if not values:
        return float("nan")
    rank = max(1, min(len(values), round(fraction * len(values) + 0.5)))
    return values[rank - 1]


def run_python(
    via: str, page: str, port: int, path: str, cookie: str | None, clients: int, seconds: float
) -> LoadResult:
    """The fallback without wrk: `clients` threads on kept-alive connections."""
    lock = threading.Lock()
    latencies: list[float] = []
    nodes: dict[str, int] = {}
    errors: list[str] = []
    deadline = time.monotonic() + seconds
    headers = {"Accept": "text/html", "User-Agent": "lms-cluster/1"}
    if cookie:
        headers["Cookie"] = cookie

    def client() -> None:
        connection = http.client.HTTPConnection(HOST, port, timeout=REQUEST_TIMEOUT)
        while time.monotonic() < deadline:
            started = time.perf_counter()
            problem, node = None, "-"
            try:
                connection.request("GET", path, headers=headers)
                response = connection.getresponse()
                response.read()
                node = response.getheader("X-Node") or "-"
                if response.status != 200:
                    problem = f"HTTP {response.status} {response.getheader('Location') or ''}"
                if response.will_close:
                    connection.close()
            except (OSError, http.client.HTTPException) as exc:
                problem = f"{type(exc).__name__}: {exc}"
                connection.close()
            with lock:
                latencies.append(time.perf_counter() - started)
                nodes[node] = nodes.get(node, 0) + 1
                if problem:
                    errors.append(problem)
        connection.close()

    started = time.perf_counter()
    threads = [threading.Thread(target=client, daemon=True) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + REQUEST_TIMEOUT + 5)
    elapsed = time.perf_counter() - started
    values = sorted(latencies)
    return LoadResult(
        via=via,
        page=page,
        path=path,
        requests=len(values),
        errors=len(errors),
        rps=round(len(values) / elapsed, 1),
        p50_ms=_percentile(values, 0.50) * 1000,
        p95_ms=_percentile(values, 0.95) * 1000,
        p99_ms=_percentile(values, 0.99) * 1000,
        max_ms=(values[-1] * 1000) if values else float("nan"),
        nodes=nodes,
        error_sample=errors[0] if errors else "",
        tool="python",
    )


def print_results(results: list[LoadResult]) -> None:
    width = max(len(r.path) for r in results)
    header = (
        f"{'via':<9} {'page':<12} {'path':<{width}} {'requests':>8} {'errors':>6} {'req/s':>7} "
        f"{'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'max ms':>7}  nodes"
    )
    print()
    print(header)
    print("-" * len(header))
    for r in results:
        split = ", ".join(f"{name} {count}" for name, count in sorted(r.nodes.items()))
        print(
            f"{r.via:<9} {r.page:<12} {r.path:<{width}} {r.requests:>8} {r.errors:>6} "
            f"{r.rps:>7.1f} {r.p50_ms:>7.1f} {r.p95_ms:>7.1f} {r.p99_ms:>7.1f} {r.max_ms:>7.1f}"
            f"  {split}"
        )
    print()
