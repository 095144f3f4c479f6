"""Hostile programs in the real sandbox: each is contained with the right verdict and the host is
unaffected. After every run `sandbox_box.run` itself asserts that no live process of the run's
uids is left and that the canary in the media folder is untouched; at the end of each test the
fixture asserts that no file named with the test's token appeared on the host (/tmp, the state
folder, the media folder, the project's folder)."""

import os
import socket
import stat
from dataclasses import replace
from pathlib import Path

import pytest
from django.conf import settings as django_settings

from assessments.programming import sandbox
from assessments.programming.spec import Verdict

pytestmark = pytest.mark.usefixtures("sandbox_box")

FORK_BOMB_PY = (
    "import os\nwhile True:\n    try:\n        os.fork()\n    except OSError:\n        pass"
)
FORK_BOMB_CPP = "#include <unistd.h>\nint main(){ for (;;) fork(); }"


# --- processes ------------------------------------------------------------------------------


@pytest.mark.parametrize(("language", "source"), [("python", FORK_BOMB_PY), ("cpp", FORK_BOMB_CPP)])
def test_fork_bomb_is_contained(sandbox_box, language, source):
    result = sandbox_box.run(source, language)
    # Stopped by the process cap (RE), the clock (TLE), or, when the forks' pages add up first,
    # the memory cap (MLE): whichever comes first, the host is checked clean after the run.
    assert result.verdict in (Verdict.TLE, Verdict.RE, Verdict.MLE)
    assert result.wall_s < sandbox_box.limits.wall + 1  # never hangs


def test_a_background_process_does_not_outlive_the_run(sandbox_box):
    source = (
        "import os, sys, time\n"
        "if os.fork() == 0:\n"
        "    os.setsid()\n"
        "    if os.fork() == 0:\n"
        "        time.sleep(30)\n"
        "    sys.exit(0)\n"
        "print('parent exits')\n"
    )
    result = sandbox_box.run(source)  # and no process of the slot's uid remains
    assert (result.verdict, result.stdout) == (Verdict.OK, b"parent exits\n")
    assert result.wall_s < 2


def test_killing_its_parent_is_contained(sandbox_box):
    """The parent is bwrap's pid 1, which a signal from inside its namespace cannot kill."""
    result = sandbox_box.run("import os\nos.kill(os.getppid(), 9)\nprint('still here')")
    assert (result.verdict, result.stdout) == (Verdict.OK, b"still here\n")


def test_proc_shows_only_the_sandbox_s_own_processes(sandbox_box):
    source = (
        "import os\n"
        "pids = sorted(int(p) for p in os.listdir('/proc') if p.isdigit())\n"
        "names = [open(f'/proc/{p}/cmdline', 'rb').read() for p in pids]\n"
        "print(pids, b'postgres' in b''.join(names), b'pytest' in b''.join(names))\n"
    )
    result = sandbox_box.run(source)
    assert result.stdout == b"[1, 2] False False\n"  # bwrap's pid 1, the program


def test_infinite_loop_is_tle(sandbox_box):
    result = sandbox_box.run(
        "#include <cstdio>\nint main(){ volatile long i = 0; for (;;) i++; }", "cpp"
    )
    assert result.verdict is Verdict.TLE
    assert result.wall_s < sandbox_box.limits.wall + 1


# --- memory and files ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "source"),
    [
        ("python", "a = []\nwhile True:\n    a.append(bytearray(1 << 20))"),
        ("python", "a = []\nwhile True:\n    a.append('x' * (1 << 20) + str(len(a)))"),
        (
            "cpp",
            "#include <cstring>\nint main(){ for (;;) { char *p = new char[1 << 20];"
            " memset(p, 1, 1 << 20); } }",
        ),
        ("cpp", "#include <vector>\nint main(){ std::vector<long> v; for (;;) v.push_back(1); }"),
    ],
)
def test_memory_bomb_is_mle(sandbox_box, language, source):
    result = sandbox_box.run(source, language)
    assert result.verdict is Verdict.MLE


PAGE_CACHE_FILLER = """\
import os
first_error = None
for folder in ('/tmp', '.', '/dev/shm'):
    written = 0
    try:
        for i in range(256):
            with open(f'{folder}/TOKEN-{i}', 'wb') as handle:
                handle.write(b'x' * (1 << 20))
            written += 1
    except OSError as error:
        first_error = first_error or error
    print(folder, written)
big = [entry.path for entry in os.scandir('/usr/bin') if entry.is_file()]
big = sorted(big, key=lambda path: -os.path.getsize(path))[:40]
read = 0
for _ in range(2):
    for path in big:
        with open(path, 'rb') as handle:
            while chunk := handle.read(1 << 20):
                read += len(chunk)
print('read', read >> 20)
raise first_error
"""


def test_page_cache_and_tmpfs_filler_is_not_mle(sandbox_box):
    """Files written to /tmp, the work dir and /dev/shm and big files read from /usr count in
    the cgroup's memory, not in the program's: the tmpfs sizes stop the writes (the program
    re-raises the first failed write, so RE), the page cache is reclaimed, no MLE."""
    limits = replace(sandbox_box.limits, time_s=2)
    result = sandbox_box.run(PAGE_CACHE_FILLER.replace("TOKEN", sandbox_box.token), limits=limits)
    assert result.verdict is Verdict.RE, result.message
    assert b"No space left on device" in result.stderr or b"File too large" in result.stderr
    printed = dict(line.split() for line in result.stdout.decode().splitlines())
    assert int(printed["/tmp"]) <= 8 and int(printed["."]) <= 8  # noqa: S108 - inside
    assert int(printed["/dev/shm"]) <= 4  # noqa: S108 - inside
    assert int(printed["read"]) > 64  # more than the memory limit went through the page cache
    assert result.memory_kb < 64 * 1024


GIGABYTE_PY = (
    "import sys\nb = b'x' * (1 << 20)\nfor _ in range(1024):\n    sys.stdout.buffer.write(b)"
)
GIGABYTE_CPP = """\
#include <cstdio>
#include <cstring>
static char b[1 << 20];
int main() {
  memset(b, 'x', sizeof b);
  for (int i = 0; i < 1024; i++) fwrite(b, 1, sizeof b, stdout);
}
"""
HUGE_FILE_PY = """\
b = b'x' * (1 << 20)
with open('big', 'wb') as f:
    for _ in range(1024):
        f.write(b)
"""
HUGE_FILE_CPP = """\
#include <cstdio>
#include <cstring>
static char b[1 << 20];
int main() {
  memset(b, 1, sizeof b);
  FILE *f = fopen("/tmp/big", "wb");
  for (int i = 0; i < 1024; i++) fwrite(b, 1, sizeof b, f);
}
"""


@pytest.mark.parametrize(("language", "source"), [("python", GIGABYTE_PY), ("cpp", GIGABYTE_CPP)])
def test_a_gigabyte_of_output_is_ole_at_once(sandbox_box, language, source):
    result = sandbox_box.run(source, language)
    assert result.verdict is Verdict.OLE
    assert len(result.stdout) == 64 * 1024  # cut while read, never buffered whole
    assert result.wall_s < 3


def test_a_huge_file_is_refused(sandbox_box):
    result = sandbox_box.run(HUGE_FILE_PY)
    assert result.verdict is Verdict.RE  # Python ignores SIGXFSZ: the write fails, EFBIG
    assert b"File too large" in result.stderr
    cpp = HUGE_FILE_CPP
    result = sandbox_box.run(cpp, "cpp")
    assert (result.verdict, result.signal) == (Verdict.OLE, 25)  # SIGXFSZ


def test_dev_and_the_root_are_read_only(sandbox_box):
    source = (
        "for path in ('/dev/TOKEN', '/TOKEN', '/usr/bin/TOKEN', '/usr/lib/TOKEN'):\n"
        "    try:\n"
        "        open(path, 'w')\n"
        "        print(path, 'written')\n"
        "    except OSError as error:\n"
        "        print(path, error.errno)\n"
    ).replace("TOKEN", sandbox_box.token)
    result = sandbox_box.run(source)
    assert [line.split()[1] for line in result.stdout.decode().splitlines()] == ["30"] * 4  # EROFS


# --- what the program must not see ------------------------------------------------------------


def _secret_paths() -> list[str]:
    base = Path(django_settings.BASE_DIR)
    paths = ["/etc/shadow", "/etc/passwd", str(base / "config" / "settings" / "base.py")]
    database = django_settings.DATABASES["default"]
    if database["ENGINE"].endswith("sqlite3") and str(database["NAME"]).startswith("/"):
        paths.append(str(database["NAME"]))
    paths += [str(Path(django_settings.MEDIA_ROOT)), str(base), "/root", "/home", "/var"]
    return paths


def test_host_files_are_not_there(sandbox_box):
    paths = [*_secret_paths(), str(sandbox_box.canary), django_settings.LMS_SANDBOX_STATE_DIR]
    source = (
        f"for path in {paths!r}:\n"
        "    try:\n"
        "        print(path, open(path, 'rb').read(200))\n"
        "    except OSError as error:\n"
        "        print(path, type(error).__name__)\n"
    )
    result = sandbox_box.run(source)
    lines = result.stdout.decode().splitlines()
    assert [line.rsplit(" ", 1)[1] for line in lines] == ["FileNotFoundError"] * len(paths)
    assert b"canary" not in result.stdout.replace(b"canary-", b"")


def test_the_server_s_environment_does_not_leak(sandbox_box, monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "leak-canary-secret-key")
    monkeypatch.setenv("DATABASE_URL", "postgres://judge:leak-canary@127.0.0.1/lms")
    monkeypatch.setenv("DJANGO_SETTINGS_MODULE", "config.settings.test")
    source = (
        "import os\n"
        "print(sorted(os.environ))\n"
        "for p in ('/proc/self/environ', '/proc/1/environ'):\n"
        "    print(open(p, 'rb').read())\n"
    )
    result = sandbox_box.run(source)
    assert result.stdout.splitlines()[0] == b"['HOME', 'LANG', 'PATH', 'PWD']"
    for secret in (
        b"leak-canary",
        b"SECRET_KEY",
        b"DJANGO_SETTINGS",
        django_settings.SECRET_KEY.encode(),
    ):
        assert secret not in result.stdout


def test_no_network_at_all(sandbox_box):
    """PostgreSQL and Redis listen on the host's loopback; a listener of our own proves it."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    abstract = socket.socket(socket.AF_UNIX)
    abstract.bind(f"\0{sandbox_box.token}")
    abstract.listen()
    port = listener.getsockname()[1]
    source = (
        "import socket\n"
        f"for host, port in [('127.0.0.1', {port}), ('127.0.0.1', 5432), ('127.0.0.1', 6379),\n"
        "                   ('1.1.1.1', 53), ('8.8.8.8', 80), ('::1', 5432)]:\n"
        "    try:\n"
        "        socket.create_connection((host, port), timeout=0.3)\n"
        "        print(host, port, 'CONNECTED')\n"
        "    except OSError as error:\n"
        "        print(host, port, 'refused', error.errno)\n"
        "for address in ['\\0TOKEN', '/run/postgresql/.s.PGSQL.5432']:\n"
        "    try:\n"
        "        socket.socket(socket.AF_UNIX).connect(address)\n"
        "        print('unix CONNECTED')\n"
        "    except OSError as error:\n"
        "        print('unix refused', error.errno)\n"
        "try:\n"
        "    socket.socket(socket.AF_INET, socket.SOCK_DGRAM).sendto(b'x', ('1.1.1.1', 53))\n"
        "    print('udp SENT')\n"
        "except OSError as error:\n"
        "    print('udp refused', error.errno)\n"
    ).replace("TOKEN", sandbox_box.token)
    try:
        result = sandbox_box.run(source)
    finally:
        listener.close()
        abstract.close()
    assert result.verdict is Verdict.OK
    lines = result.stdout.decode().splitlines()
    assert len(lines) == 9
    assert all(" refused " in line for line in lines), result.stdout


# --- the work dir, and what the judge reads back ----------------------------------------------


def _media_files(media: str) -> list[str]:
    """MEDIA_ROOT's names, less the other test process's canary (the two xdist workers share
    the folder, and each sandbox test writes its own `canary-<pid>.txt` there)."""
    return sorted(
        name
        for name in os.listdir(media)
        if not name.startswith("canary-") or name == f"canary-{os.getpid()}.txt"
    )


def test_symlinks_planted_in_the_work_dir_lead_nowhere(sandbox_box):
    media = str(Path(django_settings.MEDIA_ROOT))
    source = (
        "import os\n"
        "os.symlink('/etc/passwd', 'passwd')\n"
        f"os.symlink({media!r}, 'media')\n"
        f"os.symlink({media!r}, 'main')\n"
        "for path in ('passwd', 'media/TOKEN', 'main/TOKEN'):\n"
        "    try:\n"
        "        open(path, 'w').write('planted')\n"
        "        print(path, 'written')\n"
        "    except OSError as error:\n"
        "        print(path, type(error).__name__)\n"
    ).replace("TOKEN", sandbox_box.token)
    before = _media_files(media)
    result = sandbox_box.run(source)
    assert result.verdict is Verdict.OK
    lines = result.stdout.decode().splitlines()
    assert len(lines) == 3
    assert not any("written" in line for line in lines), lines  # ENOENT, or ELOOP for `main`
    assert _media_files(media) == before


def test_the_compiled_binary_is_read_back_only_if_a_regular_file(tmp_path):
    """The one thing read from a work dir after a run: a symlink, a FIFO or a folder in its
    place is refused, without following or blocking."""
    (tmp_path / "secret").write_bytes(b"host secret")
    cases = {
        "symlink-outside": lambda p: p.symlink_to("/etc/passwd"),
        "symlink-inside": lambda p: p.symlink_to(tmp_path / "secret"),
        "fifo": lambda p: os.mkfifo(p),
        "folder": lambda p: p.mkdir(),
    }
    for name, make in cases.items():
        folder = tmp_path / name
        folder.mkdir()
        make(folder / "main")
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
        try:
            assert sandbox._read_artifact(fd, "main", 1 << 20) is None, name
        finally:
            os.close(fd)
    folder = tmp_path / "regular"
    folder.mkdir()
    (folder / "main").write_bytes(b"\x7fELF binary")
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        assert sandbox._read_artifact(fd, "main", 1 << 20) == b"\x7fELF binary"
        assert sandbox._read_artifact(fd, "main", 4) is None  # over the limit
    finally:
        os.close(fd)


def test_changing_the_work_dir_s_permissions_is_contained(sandbox_box):
    state = Path(django_settings.LMS_SANDBOX_STATE_DIR)
    source = (
        "import os\n"
        "os.chmod('.', 0o777)\n"
        "os.chmod('/work', 0)\n"
        "try:\n"
        "    os.chmod('/tmp', 0o777)\n"
        "    os.chmod('/usr/bin', 0o777)\n"
        "except OSError as error:\n"
        "    print(error.errno)\n"
        "open('TOKEN', 'w')\n"
    ).replace("TOKEN", sandbox_box.token)
    result = sandbox_box.run(source)
    assert result.verdict is Verdict.RE
    assert b"PermissionError" in result.stderr  # its own work dir, closed by itself
    assert result.stdout in (b"1\n", b"30\n")  # /usr/bin is not its to change: EPERM, EROFS
    assert stat.S_IMODE(os.stat("/usr/bin").st_mode) == 0o755
    assert stat.S_IMODE(state.stat().st_mode) == 0o711
    assert not any(state.glob("build-*"))  # the compile folder is gone


# --- compile bombs: the compilation's own limits ----------------------------------------------

SMALL_COMPILE = {"compile_time_s": 2.0, "compile_memory_mb": 256}


@pytest.mark.slow
@pytest.mark.parametrize("device", ["/dev/random", "/dev/zero"])
def test_including_an_endless_device_is_ce_within_the_compile_limit(sandbox_box, device):
    result = sandbox_box.run(f'#include "{device}"\nint main(){{}}', "cpp", **SMALL_COMPILE)
    assert result.verdict is Verdict.CE
    assert result.message in ("compilation failed (memory)", "compilation failed (time)")
    assert result.wall_s <= 2 * SMALL_COMPILE["compile_time_s"] + 1


def test_template_recursion_is_ce(sandbox_box):
    source = (
        "template <int N> struct A { static const int v = A<N - 1>::v + 1; };\n"
        "template <> struct A<0> { static const int v = 0; };\n"
        "int main() { return A<100000>::v; }\n"
    )
    result = sandbox_box.run(source, "cpp", **SMALL_COMPILE)
    assert result.verdict is Verdict.CE
    assert "template instantiation depth" in result.compile_output


@pytest.mark.slow
def test_template_explosion_is_ce_within_the_compile_limit(sandbox_box):
    """Each level doubles the instantiations: the compiler runs into its limits, not ours."""
    source = (
        "template <int N, int M> struct A {\n"
        "  static const long v = A<N - 1, M>::v + A<N, M - 1>::v;\n"
        "};\n"
        "template <int M> struct A<0, M> { static const long v = 1; };\n"
        "template <int N> struct A<N, 0> { static const long v = 1; };\n"
        "int main() { return A<800, 800>::v; }\n"
    )
    result = sandbox_box.run(source, "cpp", **SMALL_COMPILE)
    assert result.verdict is Verdict.CE
    assert result.wall_s <= 2 * SMALL_COMPILE["compile_time_s"] + 1


@pytest.mark.parametrize("path", ["/etc/shadow", "/etc/passwd", "SETTINGS"])
def test_including_host_files_is_ce(sandbox_box, path):
    path = path.replace("SETTINGS", _secret_paths()[2])
    result = sandbox_box.run(f'#include "{path}"\nint main(){{}}', "cpp", **SMALL_COMPILE)
    assert result.verdict is Verdict.CE
    assert "No such file or directory" in result.compile_output


def test_including_the_compiler_s_environment_shows_no_secret(sandbox_box, monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "leak-canary-secret-key")
    source = '#include "/proc/self/environ"\n#include "/proc/1/environ"\nint main(){}'
    result = sandbox_box.run(source, "cpp", **SMALL_COMPILE)
    assert result.verdict in (Verdict.CE, Verdict.OK)
    for secret in ("leak-canary", "SECRET_KEY", django_settings.SECRET_KEY):
        assert secret not in result.compile_output


def test_pragmas_and_has_include_see_no_host_file(sandbox_box):
    paths = _secret_paths()[:3]
    probes = " || ".join(f'__has_include("{path}")' for path in paths)
    source = (
        '#pragma GCC optimize("O3")\n'
        '#pragma GCC diagnostic ignored "-Wall"\n'
        f"#if {probes}\n"
        '#error "a host file is visible to the compiler"\n'
        "#endif\n"
        "#include <cstdio>\n"
        'int main(){ puts("blind"); }\n'
    )
    result = sandbox_box.run(source, "cpp", **SMALL_COMPILE)
    assert (result.verdict, result.stdout) == (Verdict.OK, b"blind\n")
    result = sandbox_box.run('#pragma GCC dependency "/etc/shadow"\nint main(){}', "cpp")
    assert result.verdict is Verdict.CE
    assert "/etc/shadow" in result.compile_output


def test_a_huge_binary_is_ce(sandbox_box):
    """A static array with an initialiser is written into the binary: the compiler's file size
    limit stops it."""
    source = "char big[200 << 20] = {1};\nint main(){ return ((volatile char *)big)[12345]; }"
    result = sandbox_box.run(source, "cpp", **SMALL_COMPILE)
    assert result.verdict is Verdict.CE


def test_the_run_s_limits_hold_for_an_execute_with_extra_files(sandbox_box):
    """A checker's run: the extra files are read-only copies, the work dir a private tmpfs."""
    program = sandbox.compile_program(
        sandbox_box.languages.default("python"),
        "import os\nopen('input.txt', 'a')\n",
    )
    files = {"input.txt": b"1 2\n"}
    result = sandbox.execute(program, b"", sandbox_box.limits, files=files)
    assert result.verdict is Verdict.RE
    assert b"Read-only file system" in result.stderr or b"Permission denied" in result.stderr
    assert sandbox_box.live() == []
