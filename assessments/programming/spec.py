"""The plain-data form of a programming problem and of a judged run, the same everywhere: what a
problem package (zip) reads into and is written from, what the models store, what judging and
scoring read. No Django here, so the package format, comparison and scoring are plain functions."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Verdict(StrEnum):
    """One run's outcome. The first eight are the sandbox's own (`manage.py judge` prints them);
    WA and PE come from comparing the output with the expected answer."""

    OK = "OK"  # ran within the limits (for a test: and the answer is right)
    RE = "RE"  # runtime error: non-zero exit or killed by a signal
    TLE = "TLE"  # CPU time or wall-clock limit
    MLE = "MLE"  # memory limit
    OLE = "OLE"  # output limit
    CE = "CE"  # compilation error
    SE = "SE"  # security error: the program did what the sandbox forbids (reserved)
    IE = "IE"  # internal (judge) error: the sandbox could not start, a checker crashed
    WA = "WA"  # wrong answer
    PE = "PE"  # presentation error: the right tokens, laid out differently (exact comparison)


class Comparison(StrEnum):
    EXACT = "exact"  # byte for byte (after decoding and \r\n -> \n)
    TRAILING = "trailing"  # default: trailing spaces on lines and blank lines at the end ignored
    TOKENS = "tokens"  # whitespace-separated tokens must be equal
    FLOAT = "float"  # tokens; numbers equal within an absolute or relative tolerance
    CHECKER = "checker"  # a Python checker program run in the sandbox decides


class Scoring(StrEnum):
    SUBTASKS = "subtasks"  # IOI: a subtask scores its points only if all its tests pass
    PER_TEST = "per_test"  # each passed test scores its own points
    ALL_OR_NOTHING = "all_or_nothing"  # full points only when every test passes


@dataclass
class TestSpec:
    __test__ = False  # not a pytest test class, whatever its name
    input: str
    answer: str  # expected output (for a checker: what it is given as the jury's answer)
    name: str = ""  # "01", "02", ... as in the package
    is_example: bool = False  # examples are shown in the statement and run by "Run examples"
    subtask: int = 0  # index into ProblemSpec.subtasks (SUBTASKS scoring); 0 for the others
    points: float = 0.0  # PER_TEST scoring: what passing this test is worth


@dataclass
class SubtaskSpec:
    points: float
    title: str = ""


@dataclass
class LanguageLimits:
    """Per-language settings of a problem (DMOJ and cms PR #1247: Python needs its own time
    limit, not a multiplier of the C++ one)."""

    time_limit_s: float | None = None  # None: the problem's default time limit
    starter_code: str = ""


@dataclass
class ProblemSpec:
    title: str
    statement: str = ""  # markdown with $formulas$
    time_limit_s: float = 1.0
    memory_limit_mb: int = 256
    output_limit_kb: int = 1024
    languages: dict[str, LanguageLimits] = field(default_factory=dict)  # code -> limits
    comparison: Comparison = Comparison.TRAILING
    float_tolerance: float = 1e-6  # FLOAT comparison: absolute or relative, whichever is looser
    checker: str = ""  # Python source of the checker (CHECKER comparison)
    scoring: Scoring = Scoring.PER_TEST
    subtasks: list[SubtaskSpec] = field(default_factory=list)
    tests: list[TestSpec] = field(default_factory=list)
    solutions: dict[str, str] = field(default_factory=dict)  # language code -> reference source
