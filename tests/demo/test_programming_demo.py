"""The demo programming problems (demo/content/programming/): every package reads cleanly through
the real import path, holds what a pupil needs (examples, hidden tests, starter code), and its
reference solutions pass its tests in the real sandbox. What load_demo makes of them (exercises,
submissions and their verdicts) is checked in test_load_demo.py, so the demo is not loaded
twice more; here only the loader's fallback when the sandbox cannot run."""

import logging

import pytest

from assessments.programming import authoring, judge, languages
from assessments.programming.models import Problem
from assessments.programming.spec import Scoring, Verdict
from demo import programming

MANIFEST = programming.manifest()
SLUGS = [row["problem"] for row in MANIFEST["exercises"]]
WEIGHTS = "weights"

NAIVE_WEIGHTS = """\
n, k = map(int, input().split())
a = list(map(int, input().split()))
pairs = 0
for i in range(n):
    for j in range(i + 1, n):
        if a[i] + a[j] == k:
            pairs += 1
print(pairs)
"""


def spec(slug):
    result = programming.read(slug)
    assert result.errors == [] and result.warnings == [], slug
    return result.spec


def test_every_package_reads_and_the_manifest_names_only_what_is_there():
    assert programming.package_problems(MANIFEST) == []
    assert len(SLUGS) >= 7


def test_a_broken_package_or_reference_is_reported(tmp_path):
    import shutil

    from demo.manifests import CONTENT_DIR

    root = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, root)
    (root / "programming/who-won/tests/03.a").unlink()
    data = programming.manifest(root)
    data["submissions"][0]["pupil"] = "pupil99"
    found = programming.package_problems(data, root)
    assert any(line.startswith("programming/who-won: ") for line in found), found
    assert any("no pupil pupil99" in line for line in found), found


@pytest.mark.parametrize("slug", SLUGS)
def test_a_package_has_examples_hidden_tests_starter_code_and_a_reference(slug):
    problem = spec(slug)
    examples = [t for t in problem.tests if t.is_example]
    hidden = [t for t in problem.tests if not t.is_example]
    assert 1 <= len(examples) <= 3
    assert len(hidden) >= 5
    assert "python" in problem.solutions
    assert set(problem.solutions) == set(problem.languages)
    for code, limits in problem.languages.items():
        assert limits.starter_code.strip(), code
    assert all(len(t.input.encode()) < 1024 * 1024 for t in problem.tests)
    assert problem.statement.strip() and problem.title.strip()


def test_the_olympiad_problem_has_two_subtasks_two_languages_and_a_longer_python_limit():
    problem = spec(WEIGHTS)
    assert problem.scoring == Scoring.SUBTASKS
    assert [s.points for s in problem.subtasks] == [30, 70]
    assert set(problem.solutions) == {"python", "cpp"}
    assert problem.languages["python"].time_limit_s > problem.time_limit_s
    assert problem.languages["cpp"].time_limit_s is None  # the problem's 1 s
    big = [t for t in problem.tests if t.subtask == 1]
    assert max(len(t.input.split()) for t in big) > 100_000  # n = 10^5 and n, K


@pytest.mark.slow
@pytest.mark.django_db
@pytest.mark.parametrize("slug", SLUGS)
def test_the_reference_solutions_pass_their_tests_in_the_sandbox(slug):
    problem = programming.check(authoring.store(spec(slug), check=False))  # check_reference
    assert problem.reference == Problem.Reference.PASSED, problem.reference_report
    assert {row["language"] for row in problem.reference_report} == set(spec(slug).solutions)


@pytest.mark.slow
def test_a_pair_by_pair_python_solution_scores_the_small_subtask_and_times_out_on_a_big_test():
    problem = spec(WEIGHTS)
    small = [(i, t) for i, t in enumerate(problem.tests) if t.subtask == 0]
    big = next((i, t) for i, t in enumerate(problem.tests) if t.subtask == 1)
    python = languages.default("python")
    judgement = judge.judge(problem, python, NAIVE_WEIGHTS, tests=[*small, big])
    assert [t.verdict for t in judgement.tests] == [Verdict.OK] * len(small) + [Verdict.TLE]
    # ... and would under a 1 s limit too, well before the answer.
    assert judgement.tests[-1].time_s >= 1


@pytest.mark.django_db
def test_without_a_sandbox_the_problem_stays_a_draft_with_a_warning(monkeypatch, caplog):
    def broken(spec, language, source, **kwargs):
        return judge.Judgement(Verdict.IE, message="bwrap: no user namespaces")

    monkeypatch.setattr(judge, "judge", broken)
    monkeypatch.setattr(programming, "RETRY_PAUSES_S", (0,))
    with caplog.at_level(logging.WARNING, logger="demo.programming"):
        problem = programming._problem(spec("hello-name"), None, None)
    assert problem.reference == Problem.Reference.FAILED and not problem.is_published
    assert "stays a draft" in caplog.text and "IE" in caplog.text
