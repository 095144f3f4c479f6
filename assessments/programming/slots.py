"""How many sandboxes run at once on this machine, whichever processes start them (web nodes
with the inline task backend, several task workers): one lock file per slot. A slot also gives
the run its own unprivileged uid where the judge runs as root, as isolate's box ids do, so two
runs never share a uid (a process limit or a stray signal stays inside one run)."""

from __future__ import annotations

import contextlib
import fcntl
import os
import random
import stat
import time
from collections.abc import Iterator
from dataclasses import dataclass
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


def capacity() -> int:
    return max(1, int(getattr(settings, "LMS_SANDBOX_MAX_PARALLEL", 0) or os.cpu_count() or 1))


@contextlib.contextmanager
def acquire(wait_s: float | None = None) -> Iterator[Slot]:
    """Hold one free slot for the duration of a run; wait for one when all are busy."""
    wait_s = getattr(settings, "LMS_SANDBOX_SLOT_WAIT_SECONDS", 120) if wait_s is None else wait_s
    folder = state_dir()
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
