"""Judging one program on a problem's tests: compile once in the sandbox, run each test in a
fresh sandbox, compare its output with the answer (or ask the checker, in the sandbox too), and
say what the pupil may see. Plain data in and out (spec.ProblemSpec); the task worker
(judging.py) reads the models and writes the results."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext as _

from assessments.programming import compare, sandbox
from assessments.programming.languages import Language
from assessments.programming.spec import Comparison, ProblemSpec, TestSpec, Verdict

EXCERPT = 2000  # characters of an example's output or error shown to the pupil


@dataclass
class TestVerdict:
    index: int
    verdict: Verdict
    is_example: bool = False
    subtask: int = 0
    points: float = 0.0
    time_s: float = 0.0
    memory_kb: int = 0
    signal: int | None = None
    output_excerpt: str = ""  # examples only: what the program printed
    message: str = ""  # examples: the first difference or the error; hidden tests: teachers only


@dataclass
class Judgement:
    verdict: Verdict  # OK, CE, IE, or the first failing test's verdict
    tests: list[TestVerdict] = field(default_factory=list)
    compile_output: str = ""
    message: str = ""


def limits_for(spec: ProblemSpec, language: Language) -> sandbox.Limits:
    own = spec.languages.get(language.code)
    time_s = own.time_limit_s if own and own.time_limit_s else spec.time_limit_s
    return sandbox.Limits(
        time_s=float(time_s),
        memory_mb=spec.memory_limit_mb,
        output_kb=spec.output_limit_kb,
    )


def checker_limits() -> sandbox.Limits:
    return sandbox.Limits(
        time_s=float(getattr(settings, "LMS_CHECKER_TIME_SECONDS", 5)),
        memory_mb=256,
        output_kb=64,
        file_mb=64,
    )


def _excerpt(text: str) -> str:
    return text if len(text) <= EXCERPT else text[:EXCERPT] + "\n…"


def _run_failure(result: sandbox.RunResult) -> str:
    if result.verdict is Verdict.RE and result.signal:
        return _("The program was stopped by signal %(signal)s.") % {"signal": result.signal}
    if result.verdict is Verdict.RE:
        return _("The program ended with exit code %(code)s.") % {"code": result.exit_code}
    return ""


# The checker runs under this wrapper: a checker that crashes (an uncaught exception exits 1 in
# Python, which would read as "wrong answer") is a judge error (exit 3, testlib's _fail).
CHECKER_WRAPPER = """\
import runpy, sys, traceback
try:
    runpy.run_path("checker.py", run_name="__main__")
except SystemExit:
    raise
except BaseException:
    traceback.print_exc()
    sys.exit(3)
"""


class Checker:
    """A problem's checker program, compiled once per judging."""

    def __init__(self, language: Language, source: str):
        self.source = source.encode()
        self.program = sandbox.compile_program(language, CHECKER_WRAPPER)

    def check(self, test: TestSpec, output: bytes) -> tuple[Verdict, str]:
        if isinstance(self.program, sandbox.RunResult):
            return Verdict.IE, _("The checker does not compile: %(error)s") % {
                "error": self.program.compile_output or self.program.message
            }
        files = {
            "checker.py": self.source,
            "input.txt": test.input.encode(),
            "output.txt": output,
            "answer.txt": test.answer.encode(),
        }
        args = ("input.txt", "output.txt", "answer.txt")
        result = sandbox.execute(self.program, b"", checker_limits(), files=files, args=args)
        comment = compare.decode_output(result.stdout + result.stderr)[:EXCERPT]
        if result.verdict is sandbox.Verdict.IE:
            return Verdict.IE, result.message
        verdicts = {0: Verdict.OK, 1: Verdict.WA, 2: Verdict.PE}
        if result.verdict is Verdict.OK or (
            result.verdict is Verdict.RE and result.exit_code in verdicts
        ):
            return verdicts[result.exit_code or 0], comment
        # A checker that crashes, loops or exits otherwise is the judge's fault, not the pupil's.
        return Verdict.IE, _("The checker failed (%(verdict)s): %(comment)s") % {
            "verdict": result.verdict,
            "comment": comment,
        }


def judge_test(
    program: sandbox.Program,
    spec: ProblemSpec,
    index: int,
    test: TestSpec,
    limits: sandbox.Limits,
    checker: Checker | None,
) -> TestVerdict:
    result = sandbox.execute(program, test.input.encode(), limits)
    verdict = TestVerdict(
        index=index,
        verdict=result.verdict,
        is_example=test.is_example,
        subtask=test.subtask,
        points=test.points,
        time_s=round(result.time_s, 3),
        memory_kb=result.memory_kb,
        signal=result.signal,
    )
    output = compare.decode_output(result.stdout)
    stderr = compare.decode_output(result.stderr)
    if result.verdict is Verdict.OK:
        if spec.comparison == Comparison.CHECKER and checker is not None:
            verdict.verdict, verdict.message = checker.check(test, result.stdout)
        else:
            verdict.verdict = compare.compare(
                output, test.answer, Comparison(spec.comparison), spec.float_tolerance
            )
            if verdict.verdict is not Verdict.OK and test.is_example:
                verdict.message = compare.first_difference(output, test.answer)
    elif result.verdict is Verdict.IE:
        verdict.message = result.message
    else:
        verdict.message = _excerpt(stderr) or _run_failure(result)
    if test.is_example:
        verdict.output_excerpt = _excerpt(output)
    return verdict


def judge(
    spec: ProblemSpec,
    language: Language,
    source: str,
    *,
    checker_language: Language | None = None,
    tests: list[tuple[int, TestSpec]] | None = None,
    on_test: Callable[[TestVerdict], None] | None = None,
) -> Judgement:
    """Compile and run on the given tests (default: all), calling `on_test` as each verdict
    arrives (the page shows them as they come)."""
    chosen = tests if tests is not None else list(enumerate(spec.tests))
    program = sandbox.compile_program(language, source)
    if isinstance(program, sandbox.RunResult):
        return Judgement(
            verdict=program.verdict,
            compile_output=program.compile_output,
            message=program.message,
        )
    checker = None
    if spec.comparison == Comparison.CHECKER:
        if checker_language is None or not spec.checker.strip():
            return Judgement(Verdict.IE, message=_("The problem has no checker."))
        checker = Checker(checker_language, spec.checker)
    limits = limits_for(spec, language)
    judgement = Judgement(verdict=Verdict.OK, compile_output=program.compile_output)
    for index, test in chosen:
        verdict = judge_test(program, spec, index, test, limits, checker)
        judgement.tests.append(verdict)
        if on_test is not None:
            on_test(verdict)
    failed = next((t for t in judgement.tests if t.verdict is not Verdict.OK), None)
    if failed is not None:
        judgement.verdict = Verdict.IE if failed.verdict is Verdict.IE else failed.verdict
    return judgement


def run_custom(spec: ProblemSpec, language: Language, source: str, stdin: str) -> dict:
    """ "Run with my input": one run with the problem's limits, shown in full (never counted)."""
    result = sandbox.run(language, source, stdin.encode(), limits_for(spec, language))
    return {
        "verdict": str(result.verdict),
        "time_s": round(result.time_s, 3),
        "memory_kb": result.memory_kb,
        "signal": result.signal,
        "output": _excerpt(compare.decode_output(result.stdout)),
        "message": _excerpt(
            result.compile_output
            or compare.decode_output(result.stderr)
            or (result.message if result.verdict is Verdict.IE else _run_failure(result))
        ),
    }
