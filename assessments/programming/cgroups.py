"""Control groups for sandboxed runs: a memory cap for the whole process tree with the kernel's
OOM flag (the MLE verdict), a process count cap (a fork bomb stops at it), the tree's CPU time,
and a sure way to kill everything a run started.

cgroup v2 where the machine delegates a writable subtree with the memory and pids controllers;
cgroup v1 (memory, pids, cpuacct hierarchies) where those are writable, as on machines whose
judge runs as root; otherwise none, and the sandbox falls back to resource limits: address space
for memory, RLIMIT_NPROC for processes, and the peak resident size and CPU time sampled from /proc
(Tree). `mode()` tells which
one this machine has; docs/security.md lists what each gives."""

from __future__ import annotations

import contextlib
import os
import secrets
import signal
import time
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from django.conf import settings

ROOT = Path("/sys/fs/cgroup")
V1_CONTROLLERS = ("memory", "pids", "cpuacct")
LAUNCH_FAILED = 121  # the launcher's exit status: it could not move itself into the group


def _own_paths() -> dict[str, str]:
    """Controller -> this process's cgroup path, from /proc/self/cgroup ("" for v2)."""
    paths = {}
    with contextlib.suppress(OSError):
        for line in Path("/proc/self/cgroup").read_text().splitlines():
            _, controllers, path = line.split(":", 2)
            for controller in controllers.split(",") if controllers else [""]:
                paths[controller] = path
    return paths


def _write(path: Path, value: str) -> None:
    with open(path, "w") as handle:
        handle.write(value)


def _read_int(path: Path, key: str | None = None) -> int | None:
    try:
        text = path.read_text()
    except OSError:
        return None
    if key is None:
        return int(text.split()[0]) if text.strip() else None
    for line in text.splitlines():
        name, _, value = line.partition(" ")
        if name == key:
            return int(value)
    return None


@dataclass
class Group:
    """One run's cgroup (one directory per controller)."""

    version: int
    dirs: dict[str, Path] = field(default_factory=dict)  # controller ("" for v2) -> directory

    @property
    def procs_files(self) -> list[str]:
        """What the launcher writes its own pid into before it starts the sandbox."""
        return [str(directory / "cgroup.procs") for directory in self.dirs.values()]

    def _dir(self, controller: str) -> Path:
        return self.dirs["" if self.version == 2 else controller]

    def cpu_seconds(self) -> float | None:
        if self.version == 2:
            usage = _read_int(self._dir("") / "cpu.stat", "usage_usec")
            return None if usage is None else usage / 1e6
        usage = _read_int(self._dir("cpuacct") / "cpuacct.usage")
        return None if usage is None else usage / 1e9

    def peak_bytes(self) -> int | None:
        """The tree's peak memory: what it allocated after joining (the judge's own pages that
        a fork copies are not charged here, as they are in wait4's maxrss), its tmpfs files and
        the page cache it brought in."""
        if self.version == 2:
            return _read_int(self._dir("") / "memory.peak")
        return _read_int(self._dir("memory") / "memory.max_usage_in_bytes")

    def split_bytes(self) -> tuple[int, int]:
        """The tree's memory now as (anonymous, cache): heap and stacks, and the page cache of
        what it read with its tmpfs files. The peak above counts both (cms#685); sampled while
        the run lasts, the cache is what the memory figure leaves out of the peak."""
        if self.version == 2:
            path, keys = self._dir("") / "memory.stat", ("anon", "file")
        else:
            path, keys = self._dir("memory") / "memory.stat", ("total_rss", "total_cache")
        try:
            text = path.read_text()
        except OSError:
            return 0, 0
        stat = dict(line.split(" ", 1) for line in text.splitlines() if " " in line)
        return int(stat.get(keys[0], 0)), int(stat.get(keys[1], 0))

    def oom_killed(self) -> bool:
        if self.version == 2:
            return bool(_read_int(self._dir("") / "memory.events", "oom_kill"))
        return bool(_read_int(self._dir("memory") / "memory.oom_control", "oom_kill"))

    def pids(self) -> list[int]:
        found = set()
        for directory in self.dirs.values():
            with contextlib.suppress(OSError, ValueError):
                found.update(int(pid) for pid in (directory / "cgroup.procs").read_text().split())
        return sorted(found)

    def kill_all(self) -> None:
        """SIGKILL every process left in the group, until none is (a fork bomb forks while it
        is being killed; v2 has cgroup.kill, which does it atomically)."""
        if self.version == 2:
            with contextlib.suppress(OSError):
                _write(self._dir("") / "cgroup.kill", "1")
        for _ in range(200):
            pids = self.pids()
            if not pids:
                return
            for pid in pids:
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.kill(pid, signal.SIGKILL)
            time.sleep(0.005)

    def remove(self) -> None:
        self.kill_all()
        for directory in self.dirs.values():
            for _ in range(100):  # the last processes may take a moment to leave
                try:
                    directory.rmdir()
                    break
                except FileNotFoundError:
                    break
                except OSError:
                    time.sleep(0.01)


def _v2_base() -> Path | None:
    configured = getattr(settings, "LMS_SANDBOX_CGROUP_PATH", "")
    if configured:
        base = Path(configured)
    else:
        if not (ROOT / "cgroup.controllers").exists():
            return None
        base = ROOT / _own_paths().get("", "/").lstrip("/")
    enabled = set((base / "cgroup.subtree_control").read_text().split()) if base.exists() else set()
    if not {"memory", "pids"} <= enabled:
        with contextlib.suppress(OSError):
            _write(base / "cgroup.subtree_control", "+memory +pids")
            enabled = set((base / "cgroup.subtree_control").read_text().split())
    return base if {"memory", "pids"} <= enabled and os.access(base, os.W_OK) else None


def _v1_bases() -> dict[str, Path] | None:
    own = _own_paths()
    bases = {}
    for controller in V1_CONTROLLERS:
        base = ROOT / controller / own.get(controller, "/").lstrip("/")
        if not (base / "cgroup.procs").exists() or not os.access(base, os.W_OK):
            return None
        bases[controller] = base
    return bases


def _make(version: int, bases: dict[str, Path], memory_bytes: int, pids: int, owner: int | None):
    name = f"lms-sandbox-{os.getpid()}-{secrets.token_hex(4)}"
    group = Group(version=version)
    try:
        for controller, base in bases.items():
            directory = base / name
            directory.mkdir()
            group.dirs[controller] = directory
        if version == 2:
            directory = group.dirs[""]
            _write(directory / "memory.max", str(memory_bytes))
            with contextlib.suppress(OSError):  # no swap: memory over the cap is an OOM kill
                _write(directory / "memory.swap.max", "0")
            _write(directory / "pids.max", str(pids))
        else:
            memory = group.dirs["memory"]
            _write(memory / "memory.limit_in_bytes", str(memory_bytes))
            with contextlib.suppress(OSError):  # swap accounting may be off
                _write(memory / "memory.memsw.limit_in_bytes", str(memory_bytes))
            _write(group.dirs["pids"] / "pids.max", str(pids))
        if owner is not None:  # the launcher, already unprivileged, moves itself in
            for procs in group.procs_files:
                os.chown(procs, owner, -1)
    except OSError:
        group.remove()
        raise
    return group


@cache
def mode() -> str:
    """ "v2", "v1" or "none": what this machine gives the sandbox (probed once per process by
    making and removing a test group)."""
    wanted = getattr(settings, "LMS_SANDBOX_CGROUP", "auto")
    if wanted == "none":
        return "none"
    for version in (2, 1):
        if wanted not in ("auto", f"v{version}"):
            continue
        bases = _bases(version)
        if bases is None:
            continue
        try:
            _make(version, bases, 64 * 1024 * 1024, 8, None).remove()
        except OSError:
            continue
        return f"v{version}"
    return "none"


def _bases(version: int) -> dict[str, Path] | None:
    try:
        if version == 2:
            base = _v2_base()
            return None if base is None else {"": base}
        return _v1_bases()
    except OSError:
        return None


def launcher(group: Group | None) -> list[str]:
    """The argv prefix that moves itself into the group, then becomes prlimit, which becomes
    bwrap: every process of the run is in the group from its first instruction."""
    if group is None:
        return []
    procs = group.procs_files
    script = (
        'n=$1; shift; while [ "$n" -gt 0 ]; do echo $$ > "$1" || exit '
        f'{LAUNCH_FAILED}; shift; n=$((n-1)); done; exec "$@"'
    )
    return ["/bin/sh", "-c", script, "launcher", str(len(procs)), *procs]


def create(memory_bytes: int, pids: int, owner: int | None) -> Group | None:
    """A new group for one run, or None where the machine has no usable cgroups."""
    current = mode()
    if current == "none":
        return None
    version = 2 if current == "v2" else 1
    bases = _bases(version)
    if bases is None:
        return None
    return _make(version, bases, memory_bytes, pids, owner)


# --- the tree seen from /proc: the fallback's figures, and a peak the page cache stays out of --


class Tree:
    """The processes under `root` (the outer bwrap, itself left out), sampled while the run
    lasts: the largest resident peak (VmHWM, a high-water mark, so a sample after a spike still
    sees it) and each process's CPU time. Without a cgroup these are the only figures (wait4
    sees neither: bwrap's pid 1 is reaped by init, not by the judge's child)."""

    def __init__(self, root: int):
        self.root = root
        self.peak_kb = 0
        self._ticks: dict[int, int] = {}  # pid -> utime + stime last seen
        self._hz = os.sysconf("SC_CLK_TCK")

    def cpu_seconds(self) -> float:
        return sum(self._ticks.values()) / self._hz

    def sample(self) -> None:
        pending, seen = [self.root], set()
        while pending and len(seen) < 64:
            pid = pending.pop()
            seen.add(pid)
            with contextlib.suppress(OSError, ValueError, IndexError):
                if pid != self.root:
                    self._sample_one(pid)
                for task in os.scandir(f"/proc/{pid}/task"):
                    children = Path(task.path, "children").read_text().split()
                    pending += [int(child) for child in children if int(child) not in seen]

    def _sample_one(self, pid: int) -> None:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        self._ticks[pid] = max(self._ticks.get(pid, 0), int(fields[11]) + int(fields[12]))
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                self.peak_kb = max(self.peak_kb, int(line.split()[1]))
