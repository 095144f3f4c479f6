"""What the sandbox needs to know of a programming language: one plain row of data. The rows live
in the database (models.ProgrammingLanguage, editable in the admin); DEFAULTS seeds them, so
adding a language is a row, not code."""

from __future__ import annotations

from dataclasses import dataclass, field

# Read-only host folders the sandbox's root is built from: binaries and libraries only. No /etc
# (no passwd, shadow, resolv.conf), /home, /root, /var, /srv, /opt, /tmp, nor the project.
LIBRARY_MOUNTS = ("/usr/bin", "/usr/lib", "/usr/lib64", "/usr/libexec")


@dataclass(frozen=True)
class Language:
    code: str  # "python", "cpp": what problems, packages and `manage.py judge` name
    name: str  # shown to pupils: "Python 3", "C++17 (g++)"
    source_name: str  # the file the pupil's code is written to inside the sandbox
    run_command: tuple[str, ...]  # run inside the sandbox's work dir
    compile_command: tuple[str, ...] = ()  # empty: nothing to compile
    artifact: str = ""  # what compiling leaves to run ("main"); "" runs the source itself
    mounts: tuple[str, ...] = LIBRARY_MOUNTS  # host folders bound read-only (missing ones skipped)
    compile_time_s: float = 10.0
    compile_memory_mb: int = 512
    default_time_limit_s: float = 1.0  # a problem without its own limit for this language
    highlight: str = ""  # the editor's syntax mode ("python", "cpp")
    extensions: tuple[str, ...] = field(default=())  # source files in problem packages


DEFAULTS = (
    Language(
        code="python",
        name="Python 3",
        source_name="main.py",
        # -I: no environment, no user site, no script folder on sys.path; -S: no site (a faster
        # start); -B: nothing written beside the source. Compiling first turns a syntax error
        # into a compilation error with the line, not a runtime error on every test.
        compile_command=("/usr/bin/python3", "-I", "-S", "-B", "-m", "py_compile", "main.py"),
        run_command=("/usr/bin/python3", "-I", "-S", "-B", "main.py"),
        compile_time_s=5.0,
        compile_memory_mb=128,
        default_time_limit_s=2.0,  # cms PR #1247: Python gets its own limit, not a multiplier
        highlight="python",
        extensions=(".py",),
    ),
    Language(
        code="cpp",
        name="C++17 (g++)",
        source_name="main.cpp",
        compile_command=(
            "/usr/bin/g++",
            "-std=c++17",
            "-O2",
            "-pipe",
            "-DONLINE_JUDGE",
            "-o",
            "main",
            "main.cpp",
        ),
        artifact="main",
        run_command=("./main",),
        mounts=(*LIBRARY_MOUNTS, "/usr/include"),
        compile_time_s=15.0,
        compile_memory_mb=768,
        default_time_limit_s=1.0,
        highlight="cpp",
        extensions=(".cpp", ".cc", ".cxx"),
    ),
)


def default(code: str) -> Language | None:
    return next((language for language in DEFAULTS if language.code == code), None)
