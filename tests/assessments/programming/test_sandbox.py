"""The sandbox on ordinary and odd programs: verdicts, exit codes and signals, limits, output
bytes, the sandbox that cannot start (IE, nothing run), the fallback without cgroups, and slots.
Real runs in bubblewrap, no database (the `sandbox_box` fixture checks the host after each run);
the hostile programs are in test_sandbox_hostile.py."""

import json
import os
import threading
import time
from dataclasses import replace
from pathlib import Path

import pytest

from assessments.programming import languages, sandbox
from assessments.programming.spec import Verdict

pytestmark = pytest.mark.usefixtures("sandbox_box")


def test_python_and_cpp_print_and_read_stdin(sandbox_box):
    result = sandbox_box.run("print(int(input()) * 2)", stdin=b"21\n")
    assert (result.verdict, result.stdout, result.exit_code) == (Verdict.OK, b"42\n", 0)
    cpp = '#include <cstdio>\nint main(){int a; scanf("%d", &a); printf("%d\\n", a + 1);}'
    result = sandbox_box.run(cpp, "cpp", stdin=b"41")
    assert (result.verdict, result.stdout) == (Verdict.OK, b"42\n")
    assert 0 < result.memory_kb < 64 * 1024


def test_exit_code_is_reported():
    result = sandbox.run(languages.default("python"), "import sys\nsys.exit(3)", b"", LIMITS)
    assert (result.verdict, result.exit_code, result.signal) == (Verdict.RE, 3, None)
    assert result.message == "exit code 3"


@pytest.mark.parametrize(
    ("language", "source"),
    [
        ("python", "import ctypes\nctypes.string_at(0)"),
        ("cpp", "int main(){ volatile int *p = nullptr; *p = 1; }"),
    ],
)
def test_a_crash_is_re_with_its_signal(sandbox_box, language, source):
    result = sandbox_box.run(source, language)
    assert (result.verdict, result.signal, result.exit_code) == (Verdict.RE, 11, None)
    assert "SIGSEGV" in result.message


def test_empty_programs(sandbox_box):
    assert sandbox_box.run("").verdict is Verdict.OK
    result = sandbox_box.run("", "cpp")
    assert result.verdict is Verdict.CE
    assert "main" in result.compile_output  # the linker: undefined reference to main


@pytest.mark.parametrize("language", ["python", "cpp"])
def test_nul_bytes_and_binary_garbage_as_source_are_ce(sandbox_box, language):
    garbage = b"print(1)\x00\xff\xfe\x00\x01\x02" + bytes(range(256)) * 4
    result = sandbox_box.run(garbage, language)
    assert result.verdict is Verdict.CE
    assert result.compile_output
    json.dumps(result.as_json())  # the compiler's bytes come back as text a page can show


def test_output_bytes_are_kept_as_they_are(sandbox_box):
    source = "import sys\nsys.stdout.buffer.write('Привет, мир'.encode('cp1251'))"
    result = sandbox_box.run(source)
    assert result.verdict is Verdict.OK
    assert result.stdout == "Привет, мир".encode("cp1251")


def test_stderr_is_capped_while_read_and_the_run_goes_on(sandbox_box):
    source = "import sys\nsys.stderr.write('e' * (4 << 20))\nprint('done')"
    result = sandbox_box.run(source, limits=replace(sandbox_box.limits, stderr_kb=16))
    assert (result.verdict, result.stdout) == (Verdict.OK, b"done\n")
    assert result.stderr == b"e" * 16 * 1024


def test_output_limit_is_ole_with_the_output_cut(sandbox_box):
    result = sandbox_box.run("print('x' * 100_000)")
    assert result.verdict is Verdict.OLE
    assert result.stdout == b"x" * 64 * 1024


def test_compile_output_is_cut_to_the_setting(sandbox_box, settings):
    settings.LMS_SANDBOX_COMPILE_OUTPUT_KB = 1
    names = "".join(f"undeclared_{i};\n" for i in range(2000))
    result = sandbox_box.run("int main(){\n" + names + "}", "cpp")
    assert result.verdict is Verdict.CE
    assert len(result.compile_output.encode()) <= 1024 + len("\n…".encode())
    assert result.compile_output.endswith("\n…")


def test_infinite_loop_is_tle_within_the_wall(sandbox_box):
    result = sandbox_box.run("while True:\n    pass")
    assert result.verdict is Verdict.TLE
    assert result.time_s >= 0.5
    assert result.wall_s < sandbox_box.limits.wall + 1


def test_sleeping_past_the_wall_is_tle_at_the_wall(sandbox_box):
    limits = replace(sandbox_box.limits, wall_s=1.0)
    result = sandbox_box.run("import time\ntime.sleep(100)", limits=limits)
    assert (result.verdict, result.signal) == (Verdict.TLE, 9)
    assert 1.0 <= result.wall_s < 2.0
    assert result.time_s < 0.5  # asleep: no CPU time, the wall clock stopped it


ALLOCATE = """\
#include <cstdio>
#include <cstdlib>
#include <cstring>
int main() {
  char *volatile kept = (char *)malloc(SIZE << 20);  // volatile: not optimised away
  memset(kept, 1, SIZE << 20);
  printf("%d\\n", kept[5]);
}
"""


@pytest.mark.parametrize(("size", "verdict"), [(40, Verdict.OK), (72, Verdict.MLE)])
def test_memory_over_the_limit_is_mle_even_under_the_cgroup_cap(sandbox_box, size, verdict):
    """The cgroup's cap leaves room for the tmpfs folders (64 + 2 * 8 + 4 MB): between the limit
    and the cap it is the figure that says MLE, for a run too short to be sampled too."""
    result = sandbox_box.run(ALLOCATE.replace("SIZE", str(size)), "cpp")
    assert result.verdict is verdict
    assert size * 1024 <= result.memory_kb < (size + 8) * 1024


def test_threads_count_toward_the_process_limit(sandbox_box):
    source = (
        "import threading, time\n"
        "for _ in range(100):\n"
        "    threading.Thread(target=time.sleep, args=(0.3,), daemon=True).start()\n"
    )
    result = sandbox_box.run(source)
    assert result.verdict is Verdict.RE
    assert b"can't start new thread" in result.stderr


def test_open_file_limit(sandbox_box):
    result = sandbox_box.run("files = [open('/dev/null') for _ in range(1000)]")
    assert result.verdict is Verdict.RE
    assert b"Too many open files" in result.stderr


def test_the_program_sees_only_its_standard_streams(sandbox_box):
    """No descriptor of the judge's leaks in: bwrap's status pipe would let a program forge
    its own exit status."""
    result = sandbox_box.run("import os\nprint(sorted(os.listdir('/proc/self/fd')))")
    assert result.verdict is Verdict.OK
    assert result.stdout == b"['0', '1', '2', '3']\n"  # 3: the listing's own descriptor


def test_an_unprivileged_uid_with_no_capabilities(sandbox_box):
    source = (
        "import os, time\n"
        "status = dict(l.split(':', 1) for l in open('/proc/self/status').read().splitlines())\n"
        "print(os.getuid(), status['CapEff'].strip(), status['NoNewPrivs'].strip())\n"
        "time.sleep(0.6)\n"
    )
    results = []
    thread = threading.Thread(target=lambda: results.append(sandbox_box.run(source)))
    thread.start()
    seen = []
    for _ in range(100):  # the host's view while it sleeps: the slot's uid, never root
        seen = [line for pid, line in sandbox_box.live() if "main.py" in line]
        if seen:
            break
        time.sleep(0.01)
    thread.join()
    assert results[0].stdout == b"1000 0000000000000000 1\n"
    assert seen, "the program's process was not seen under a sandbox uid"


# --- the sandbox that cannot start: IE, and nothing ran -------------------------------------


LIMITS = sandbox.Limits(time_s=0.5, memory_mb=64, output_kb=64, file_mb=8)
MARKER = "import sys\nsys.stdout.write('ran')\nsys.stderr.write('ran')\n"


@pytest.mark.parametrize("bwrap", ["/nonexistent/bwrap", "/bin/false"])
@pytest.mark.parametrize("language", ["python", "cpp"])
def test_a_sandbox_that_cannot_start_is_ie_and_nothing_runs(sandbox_box, settings, bwrap, language):
    settings.LMS_SANDBOX_BWRAP = bwrap
    sandbox_box.reset()
    source = MARKER if language == "python" else '#include <cstdio>\nint main(){puts("ran");}'
    result = sandbox_box.run(source, language)
    assert result.verdict is Verdict.IE  # not CE, not RE: the pupil is not to blame
    assert "bwrap" in result.message
    assert "nothing was run" in result.message
    assert (result.stdout, result.stderr, result.exit_code, result.time_s) == (b"", b"", None, 0)
    assert b"ran" not in (result.compile_output.encode() + result.stdout)


def test_execute_alone_with_a_missing_bwrap_is_ie(sandbox_box, settings):
    program = sandbox.compile_program(languages.default("python"), MARKER)
    assert isinstance(program, sandbox.Program)
    settings.LMS_SANDBOX_BWRAP = "/nonexistent/bwrap"
    sandbox_box.reset()
    result = sandbox.execute(program, b"", LIMITS)
    assert (result.verdict, result.stdout) == (Verdict.IE, b"")
    assert "/nonexistent/bwrap" in result.message


@pytest.mark.parametrize("field", ["run_command", "compile_command"])
def test_a_missing_interpreter_or_compiler_is_ie(sandbox_box, field):
    row = languages.default("python")
    command = ("/usr/bin/no-such-python", *getattr(row, field)[1:])
    result = sandbox.run(replace(row, **{field: command}), "print(1)", b"", LIMITS)
    assert result.verdict is Verdict.IE
    assert "/usr/bin/no-such-python" in result.message
    assert "nothing was run" in result.message


def test_a_program_cannot_forge_an_ie(sandbox_box):
    """bwrap's failure to start a command is told by the run's setup, not by the stderr a
    program can write itself."""
    source = (
        "import sys\n"
        "sys.stderr.write('bwrap: execvp ./main: No such file or directory\\n')\n"
        "sys.exit(1)\n"
    )
    result = sandbox_box.run(source)
    assert (result.verdict, result.exit_code) == (Verdict.RE, 1)


# --- without cgroups: rlimits and /proc samples alone ---------------------------------------


@pytest.fixture
def no_cgroups(sandbox_box, settings):
    settings.LMS_SANDBOX_CGROUP = "none"
    sandbox_box.reset()
    assert sandbox_box.cgroups.mode() == "none"
    yield sandbox_box
    settings.LMS_SANDBOX_CGROUP = "auto"
    sandbox_box.reset()


def test_fallback_infinite_loop_is_tle(no_cgroups):
    result = no_cgroups.run("while True:\n    pass")
    assert result.verdict is Verdict.TLE
    assert result.time_s >= 0.5  # the tree's CPU time, sampled from /proc


@pytest.mark.parametrize(
    ("language", "source", "failure"),
    [
        ("python", "a = []\nwhile True:\n    a.append(bytearray(1 << 20))", b"MemoryError"),
        (
            "cpp",
            "#include <vector>\n#include <cstring>\nint main(){ std::vector<char*> v;\n"
            "for (;;) { char *p = new char[1 << 20]; memset(p, 1, 1 << 20); v.push_back(p); } }",
            b"std::bad_alloc",
        ),
    ],
)
def test_fallback_memory_bomb_is_mle_by_the_address_space_limit(
    no_cgroups, language, source, failure
):
    result = no_cgroups.run(source, language)
    assert result.verdict is Verdict.MLE
    assert failure in result.stderr


def test_fallback_fork_bomb_is_contained(no_cgroups):
    source = (
        "import os\nwhile True:\n    try:\n        os.fork()\n    except OSError:\n        pass\n"
    )
    result = no_cgroups.run(source)  # run() itself checks that nothing is left running
    assert result.verdict in (Verdict.TLE, Verdict.RE)


def test_fallback_background_process_does_not_outlive_the_run(no_cgroups):
    result = no_cgroups.run(BACKGROUND)
    assert (result.verdict, result.stdout) == (Verdict.OK, b"parent exits\n")


def test_fallback_dev_shm_is_capped(no_cgroups):
    """Without a cgroup nothing else would stop a tmpfs of no size from filling host memory."""
    result = no_cgroups.run(FILL_DEV)
    assert result.verdict is Verdict.OK
    assert result.stdout.decode().split() == ["/dev/shm", "4", "/dev", "0"]  # noqa: S108


FORK_BOMB = (
    "import os\nwhile True:\n    try:\n        os.fork()\n    except OSError:\n        pass\n"
)
BACKGROUND = (
    "import os, sys, time\n"
    "if os.fork() == 0:\n"
    "    os.setsid()\n"
    "    if os.fork() == 0:\n"
    "        time.sleep(30)\n"
    "    sys.exit(0)\n"
    "print('parent exits')\n"
)
FILL_DEV = (
    "for folder in ('/dev/shm', '/dev'):\n"
    "    written = 0\n"
    "    try:\n"
    "        for i in range(64):\n"
    "            with open(f'{folder}/f{i}', 'wb') as handle:\n"
    "                handle.write(b'x' * (1 << 20))\n"
    "            written += 1\n"
    "    except OSError:\n"
    "        pass\n"
    "    print(folder, written)\n"
)


# --- slots ------------------------------------------------------------------------------------

SPAN = "import time\nstart = time.time()\ntime.sleep(0.3)\nprint(start, time.time())\n"


def _spans(count: int) -> list[tuple[float, float]]:
    results = []
    program = sandbox.compile_program(languages.default("python"), SPAN)
    threads = [
        threading.Thread(target=lambda: results.append(sandbox.execute(program, b"", LIMITS)))
        for _ in range(count)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [result.verdict for result in results] == [Verdict.OK] * count
    return sorted(tuple(map(float, result.stdout.split())) for result in results)


def test_many_quick_runs_in_one_slot_leave_no_zombie_behind(sandbox_box, settings):
    """bwrap's pid 1 is reaped by the judge: left to a slow init, each zombie held one of the
    slot uid's processes, and after `processes + 4` runs bwrap could not start."""
    settings.LMS_SANDBOX_MAX_PARALLEL = 1
    program = sandbox.compile_program(languages.default("python"), "print(1)")
    limits = replace(LIMITS, processes=2)
    verdicts = [sandbox.execute(program, b"", limits).verdict for _ in range(20)]
    assert verdicts == [Verdict.OK] * 20
    if os.geteuid() != 0:
        return  # the zombies of the judge's own uid would be anyone's
    uid = settings.LMS_SANDBOX_UID_BASE
    zombies = [
        entry.name
        for entry in Path("/proc").iterdir()
        if entry.name.isdigit() and _owner(entry) == uid and _state(entry) == "Z"
    ]
    assert zombies == []


def _owner(entry: Path) -> int | None:
    try:
        return entry.stat().st_uid
    except OSError:
        return None


def _state(entry: Path) -> str:
    try:
        return (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return ""


def test_four_runs_at_once_in_threads(sandbox_box, settings):
    settings.LMS_SANDBOX_MAX_PARALLEL = 4
    spans = _spans(4)
    assert any(later[0] < earlier[1] for earlier, later in zip(spans, spans[1:], strict=False))
    assert sandbox_box.live() == []


def test_one_slot_serialises_the_runs(sandbox_box, settings):
    settings.LMS_SANDBOX_MAX_PARALLEL = 1
    spans = _spans(3)
    assert all(later[0] >= earlier[1] for earlier, later in zip(spans, spans[1:], strict=False))
