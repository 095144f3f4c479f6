import pytest

from tests import builders, scenario
from tests.assessments.programming.builders import make_exercise, make_problem


@scenario.shared
def code_class():
    """A school whose group a-1 takes a course with one code exercise (A + B in subtasks,
    Python and C++, unlimited attempts)."""
    tree = builders.build_course("code-course", modules=1, lessons=2)
    school = builders.build_school("c")
    builders.enrol(school.group_a, tree)
    problem = make_problem()
    exercise = make_exercise(tree.lessons[0], problem)
    return {"tree": tree, "school": school, "problem": problem, "exercise": exercise}


@pytest.fixture
def pupil(code_class):
    return code_class["school"].pupils_a[0]


# --- The sandbox's own tests (test_sandbox.py, test_sandbox_hostile.py): no database ----------

import contextlib as _contextlib  # noqa: E402
import os as _os  # noqa: E402
import secrets as _secrets  # noqa: E402
import shutil as _shutil  # noqa: E402
import subprocess as _subprocess  # noqa: E402
from pathlib import Path as _Path  # noqa: E402

from tests.parallel import worker_index  # noqa: E402

# Slots of these tests: their own uids, apart from other test runs' and from the other xdist
# workers' (as root the judge kills every process of a slot's uid after a run).
SANDBOX_UID_BASE = 60040 + 8 * worker_index()


class SandboxBox:
    """Runs programs in the real sandbox with small limits, and checks the host after each run:
    no live process of the run's uids left, the canary in the media folder untouched."""

    def __init__(self, settings, media_canary: _Path):
        from assessments.programming import cgroups, languages, sandbox

        self.settings, self.sandbox, self.cgroups = settings, sandbox, cgroups
        self.languages = languages
        self.canary = media_canary
        self.canary_text = media_canary.read_bytes()
        self.token = "pwned-" + _secrets.token_hex(6)  # files a hostile program tries to plant
        self.limits = sandbox.Limits(time_s=0.5, memory_mb=64, output_kb=64, file_mb=8)

    def reset(self) -> None:
        """After a settings change the modules cache: the bwrap path and the cgroup mode."""
        self.sandbox.bwrap_path.cache_clear()
        self.cgroups.mode.cache_clear()

    def run(self, source, language="python", limits=None, stdin=b"", **changes):
        row = self.languages.default(language)
        if changes:  # smaller compile limits for compile bombs
            import dataclasses

            row = dataclasses.replace(row, **changes)
        result = self.sandbox.run(row, source, stdin, limits or self.limits)
        assert self.live() == [], "a process of the run outlived it"
        assert self.canary.read_bytes() == self.canary_text
        return result

    def live(self) -> list[tuple[int, str]]:
        """Live (not zombie) processes of the sandbox: as root, those of the slots' uids; else
        those of our own uid in another pid namespace."""
        root = _os.geteuid() == 0
        uids = range(SANDBOX_UID_BASE, SANDBOX_UID_BASE + 8) if root else [_os.getuid()]
        own_ns = _os.readlink("/proc/self/ns/pid")
        found = []
        for entry in _os.scandir("/proc"):
            with _contextlib.suppress(OSError, IndexError):
                if not entry.name.isdigit() or entry.stat().st_uid not in uids:
                    continue
                state = _Path(entry.path, "stat").read_text().rsplit(")", 1)[1].split()[0]
                if state in "ZX" or (not root and _os.readlink(f"{entry.path}/ns/pid") == own_ns):
                    continue
                found.append((int(entry.name), _Path(entry.path, "cmdline").read_text()[:80]))
        return found

    def planted(self) -> list[str]:
        """Host files named with the token: in /tmp, the state dir, the media folder and the
        project's top folder."""
        host_tmp = _Path(_os.sep, "tmp")
        state = _Path(self.settings.LMS_SANDBOX_STATE_DIR)
        found = [*host_tmp.glob(f"*{self.token}*"), *_Path(self.settings.BASE_DIR).glob("*")]
        found += [*state.rglob("*"), *self.canary.parent.rglob("*")]
        return [str(path) for path in found if self.token in path.name]


def _bwrap_works(path: str) -> bool:
    with _contextlib.suppress(OSError, _subprocess.SubprocessError):
        probe = [path, "--unshare-all", "--ro-bind", "/", "/", "/bin/true"]
        return _subprocess.run(probe, capture_output=True, timeout=10).returncode == 0  # noqa: S603
    return False


@pytest.fixture
def sandbox_box(settings, tmp_path):
    """The sandbox with these tests' own state folder and uids; skipped where bwrap or
    unprivileged user namespaces are missing (the IE tests run without it)."""
    from assessments.programming import sandbox

    state = _Path("/tmp") / f"lms-sandbox-test-{_os.getpid()}"  # noqa: S108 - 0711, ours
    settings.LMS_SANDBOX_STATE_DIR = str(state)
    settings.LMS_SANDBOX_UID_BASE = SANDBOX_UID_BASE
    settings.LMS_SANDBOX_MAX_PARALLEL = 2
    settings.LMS_SANDBOX_BWRAP = ""
    settings.LMS_SANDBOX_CGROUP = "auto"
    media = _Path(settings.MEDIA_ROOT)
    media.mkdir(parents=True, exist_ok=True)
    canary = media / f"canary-{_os.getpid()}.txt"
    canary.write_bytes(b"canary: the sandbox must not touch this\n")
    box = SandboxBox(settings, canary)
    box.reset()
    if not sandbox.bwrap_path() or not _bwrap_works(sandbox.bwrap_path()):
        pytest.skip("bubblewrap or unprivileged user namespaces are not available here")
    yield box
    assert box.planted() == []
    canary.unlink()
    box.reset()
    _shutil.rmtree(state, ignore_errors=True)
