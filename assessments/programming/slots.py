"""How many sandboxes run at once on this machine, whichever processes start them (web nodes
with the inline task backend, several task workers): one lock file per slot. A slot also gives
the run its own unprivileged uid where the judge runs as root, as isolate's box ids do, so two
runs never share a uid (a process limit or a stray signal stays inside one run)."""

from __future__ import annotations

import contextlib
import ctypes
import fcntl
import os
import random
import shutil
import signal
import stat
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings


class NoSlot(Exception):
    """Every slot stayed busy for the whole wait."""


@dataclass(frozen=True)
class Slot:
    index: int
    uid: int | None  # the uid the run drops to (None: the judge is not root, it runs as itself)


def state_dir() -> Path:
    """A machine-local folder only the judge writes: slot locks and compile folders. Refused if
    something else (a symlink, another owner's folder) already sits at the path."""
    path = Path(getattr(settings, "LMS_SANDBOX_STATE_DIR", "/tmp/lms-sandbox"))  # noqa: S108
    with contextlib.suppress(FileExistsError):
        path.mkdir(mode=0o711, parents=True)
    info = path.lstat()
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.geteuid():
        raise OSError(f"{path} is not a folder of the judge's own")
    if stat.S_IMODE(info.st_mode) & 0o022:
        os.chmod(path, 0o711)  # noqa: S103 - others may pass through to their own folder only
    return path


@contextlib.contextmanager
def compile_dir() -> Iterator[tuple[Path, int]]:
    """A fresh folder for one compilation, owned by the run's uid once it is handed over;
    the judge keeps a descriptor of it and removes it without following anything inside
    (shutil.rmtree is descriptor-based and symlink-safe on Linux)."""
    folder = Path(tempfile.mkdtemp(prefix="build-", dir=state_dir()))
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
    try:
        yield folder, fd
    finally:
        os.close(fd)
        shutil.rmtree(folder, ignore_errors=True)


def capacity() -> int:
    return max(1, int(getattr(settings, "LMS_SANDBOX_MAX_PARALLEL", 0) or os.cpu_count() or 1))


@contextlib.contextmanager
def acquire(wait_s: float | None = None) -> Iterator[Slot]:
    """Hold one free slot for the duration of a run; wait for one when all are busy."""
    wait_s = getattr(settings, "LMS_SANDBOX_SLOT_WAIT_SECONDS", 120) if wait_s is None else wait_s
    folder = state_dir()
    _adopt_orphans()
    deadline = time.monotonic() + wait_s
    indices = list(range(capacity()))
    while True:
        random.shuffle(indices)  # spreads the processes over the slots
        for index in indices:
            flags = os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW
            fd = os.open(folder / f"slot-{index}.lock", flags, 0o600)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(fd)
                continue
            try:
                base = getattr(settings, "LMS_SANDBOX_UID_BASE", 60000)
                yield Slot(index=index, uid=base + index if os.geteuid() == 0 else None)
            finally:
                os.close(fd)  # closing releases the lock
            return
        if time.monotonic() >= deadline:
            raise NoSlot
        time.sleep(0.02)


def processes(uid: int, live: bool = False) -> list[int]:
    """The pids `uid` owns (`live`: zombies left out; they hold nothing and wait for init). A
    slot's uid is the run's alone while the slot is held, so these are the run's processes."""
    found = []
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError, IndexError):
            if entry.stat(follow_symlinks=False).st_uid != uid:
                continue
            if live and Path(entry.path, "stat").read_text().rsplit(")", 1)[1].split()[0] in "ZX":
                continue
            found.append(int(entry.name))
    return found


def sweep(slot: Slot, ns_init: int | None) -> None:
    """bwrap's outer process exits as soon as the program's status is known; its pid 1, and
    whatever the program left in the namespace (a setsid'd child, the rest of a fork bomb),
    die a moment later, and without a cgroup nothing waited for them. Kill and wait, while the
    slot is held: nothing of a run outlives it, and its uid, reused at once, starts with no
    stragglers counted against RLIMIT_NPROC. Killing pid 1 kills the whole pid namespace; as
    root every process of the slot's uid goes too. Then pid 1 is reaped (_adopt_orphans)."""
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        left = processes(slot.uid, live=True) if slot.uid is not None else []
        if ns_init and _is_ns_init(ns_init):
            left.append(ns_init)
        if not left:
            break
        for pid in left:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(pid, signal.SIGKILL)
        time.sleep(0.002)
    if ns_init:
        _reap(ns_init)


@cache
def _adopt_orphans() -> bool:
    """Make the judge the reaper of its descendants' orphans (PR_SET_CHILD_SUBREAPER). bwrap's
    pid 1 outlives the outer bwrap by a moment; orphaned, it waits for init to reap it, which
    may be slow (or never happen: PID 1 of a container without an init), and each zombie holds
    one of the slot uid's RLIMIT_NPROC processes until bwrap cannot start at all. The judge
    reaps exactly those pids (sweep), so no one else's exit status is taken."""
    with contextlib.suppress(OSError, AttributeError):
        return ctypes.CDLL(None, use_errno=True).prctl(36, 1, 0, 0, 0) == 0
    return False


def _reap(pid: int) -> None:
    """Reap bwrap's pid 1 once it is dead, if it became the judge's child; leave it to init
    otherwise (ChildProcessError: not ours)."""
    for _ in range(500):
        with contextlib.suppress(ChildProcessError):
            if os.waitpid(pid, os.WNOHANG)[0] == 0:
                time.sleep(0.002)
                continue
        return


def _is_ns_init(pid: int) -> bool:
    """Still alive and still a sandbox's pid 1 (not a new process that took the pid)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    lines = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
    state, nspid = lines.get("State", "").split(), lines.get("NSpid", "").split()
    return bool(state) and state[0] not in "ZX" and nspid[-1:] == ["1"] and len(nspid) > 1
