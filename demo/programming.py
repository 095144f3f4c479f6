"""Demo programming exercises (content/programming/exercises.toml): each problem is a package
folder, zipped in memory and read by package.read_package as a teacher's upload is, stored in
the Python course, its reference solutions judged in the sandbox, published, and set as a code
exercise of a lesson. Demo pupils hand in code through the same services as the pupil's page,
judged for real, so the pages show every verdict.

Where the sandbox cannot run (the judge says IE), the problems stay drafts, a warning says why,
and the rest of the demo loads all the same."""

from __future__ import annotations

import io
import logging
import time
import zipfile
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

from django.utils import timezone

from assessments import submissions
from assessments.models import Assignment, Submission
from assessments.programming import authoring, judging, package, submitting
from assessments.programming.models import CodeExercise, CodeSubmission, Problem
from assessments.programming.spec import ProblemSpec, Verdict
from courses.models import CoursePage
from demo import manifests
from demo.manifests import CONTENT_DIR
from demo.work import _lesson

log = logging.getLogger(__name__)

FOLDER = "programming"
MANIFEST = f"{FOLDER}/exercises.toml"
MAX_PACKAGE_BYTES = 32 * 1024 * 1024
# A sandbox started right after another one may fail to start for a moment ("Creating new
# namespace failed: Resource temporarily unavailable" while the last one's namespace is torn
# down): a failed reference check or an IE judging is tried again after these pauses.
RETRY_PAUSES_S = (0.5, 1.5)


def manifest(root: Path = CONTENT_DIR) -> dict:
    data = manifests.read_toml(MANIFEST, root)
    manifests.require(data, ("course", "created_by", "exercises", "submissions"), MANIFEST)
    return data


def package_bytes(folder: Path) -> bytes:
    """The folder as a zip (its files under one top folder, as when a folder is zipped), the
    same bytes on every call."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        files = [p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts]
        for path in sorted(files):
            name = f"{folder.name}/{path.relative_to(folder).as_posix()}"
            archive.writestr(
                zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0)), path.read_bytes()
            )
    return buffer.getvalue()


def read(slug: str, root: Path = CONTENT_DIR) -> package.PackageResult:
    return package.read_package(
        package_bytes(root / FOLDER / slug),
        max_bytes=MAX_PACKAGE_BYTES,
        max_unpacked_bytes=MAX_PACKAGE_BYTES,
    )


def package_problems(data: dict, root: Path = CONTENT_DIR) -> list[str]:
    """Every package that does not read cleanly (errors and warnings), and every lesson,
    pupil, problem or language exercises.toml names that is not there."""
    found = []
    course = next((c for c in manifests.courses(root) if c["slug"] == data["course"]), None)
    if course is None:
        return [f"{MANIFEST}: no course {data['course']}"]
    lessons = {
        f"{m['slug']}/{lesson['slug']}" for m in course["modules"] for lesson in m["lessons"]
    }
    pupils = set(manifests.pupil_usernames(manifests.people(root)))
    languages = {}
    for row in data["exercises"]:
        where = f"{MANIFEST} [[exercises]] {row['problem']}"
        if row["lesson"] not in lessons:
            found.append(f"{where}: no lesson {row['lesson']}")
        if not (root / FOLDER / row["problem"] / "problem.yaml").exists():
            found.append(f"{where}: no package {FOLDER}/{row['problem']}/problem.yaml")
            continue
        result = read(row["problem"], root)
        found += [f"{FOLDER}/{row['problem']}: {message}" for message in result.errors]
        found += [f"{FOLDER}/{row['problem']}: {message}" for message in result.warnings]
        if result.spec is not None:
            languages[row["problem"]] = set(result.spec.languages)
    for row in data["submissions"]:
        where = f"{MANIFEST} [[submissions]] {row['pupil']} {row['problem']}"
        if row["pupil"] not in pupils:
            found.append(f"{where}: no pupil {row['pupil']}")
        if row["problem"] not in languages:
            found.append(f"{where}: no exercise {row['problem']}")
        elif row["language"] not in languages[row["problem"]]:
            found.append(f"{where}: the problem does not take {row['language']}")
    return found


def check(problem: Problem) -> Problem:
    """authoring.check_reference, tried again after a pause when it fails."""
    problem = authoring.check_reference(problem.pk)
    for pause in RETRY_PAUSES_S:
        if problem.reference == Problem.Reference.PASSED:
            break
        time.sleep(pause)
        problem = authoring.check_reference(problem.pk)
    return problem


def _problem(spec: ProblemSpec, course: CoursePage, by) -> Problem:
    problem = Problem.objects.filter(course=course, title=spec.title).first()
    if problem is None:
        problem = authoring.store(spec, course=course, by=by, check=False)
    if not problem.is_published:
        # Judged here, not queued: the problems must be published before pupils hand in.
        problem = check(problem)
        if problem.reference == Problem.Reference.PASSED:
            authoring.set_published(problem, True)
        else:
            failed = [r for r in problem.reference_report if r["verdict"] != Verdict.OK]
            log.warning(
                "demo problem %r stays a draft: its reference solution did not pass (%s)",
                spec.title,
                "; ".join(f"{r['language']} {r['verdict']} {r['message'][:200]}" for r in failed),
            )
    return problem


def _exercise(row: dict, course: CoursePage, by) -> CodeExercise:
    result = read(row["problem"])
    if result.spec is None:
        raise ValueError(f"{FOLDER}/{row['problem']}: {result.errors[0]}")
    problem = _problem(result.spec, course, by)
    assignment, _ = Assignment.objects.get_or_create(
        lesson=_lesson(course, row["lesson"]),
        title=result.spec.title,
        defaults={
            "kind": Assignment.Kind.CODE,
            "instructions": row.get("instructions", ""),
            "max_points": Decimal(str(row.get("max_points", 10))),
            "max_attempts": row.get("max_attempts", 0),
            "counts": Assignment.Counts.BEST,
            "created_by": by,
        },
    )
    exercise = CodeExercise.objects.get(assignment=assignment)
    if exercise.problem_id is None:
        exercise.problem = problem
        exercise.wrong_submission_penalty = row.get("wrong_submission_penalty", 0)
        exercise.save()
    return exercise


def _hand_in(row: dict, exercise: CodeExercise, pupil, when) -> CodeSubmission | None:
    state = submissions.pupil_state(pupil, exercise.assignment, now=when)
    code = submitting.submit(state, pupil, exercise, row["language"], row["source"], now=when)
    judging.judge_submission(code.pk)
    code.refresh_from_db()
    for pause in RETRY_PAUSES_S:
        if code.verdict != Verdict.IE:
            break
        time.sleep(pause)  # the sandbox did not start: not the pupil's fault, so again
        judging.rejudge([code], None)
        judging.judge_submission(code.pk)
        code.refresh_from_db()
    if code.verdict == Verdict.IE:
        log.warning(
            "demo submission of %s to %r: the judge failed (IE): %s",
            pupil.username,
            exercise.assignment.title,
            code.compile_output[:300],
        )
    elif code.verdict != row.get("verdict", code.verdict):
        log.warning(
            "demo submission of %s to %r was judged %s, not %s",
            pupil.username,
            exercise.assignment.title,
            code.verdict,
            row["verdict"],
        )
    return code


def ensure_programming(data: dict, found: dict, courses: dict[str, CoursePage]) -> None:
    course = courses[data["course"]]
    by = found["users"][data["created_by"]]
    exercises = {row["problem"]: _exercise(row, course, by) for row in data["exercises"]}
    handed_in = set(
        Submission.objects.filter(assignment__in=[e.assignment for e in exercises.values()])
        .values_list("assignment_id", "pupil__username")
        .distinct()
    )
    start = timezone.now() - timedelta(days=5)
    skipped = set()
    for number, row in enumerate(data["submissions"]):
        exercise, pupil = exercises[row["problem"]], found["users"][row["pupil"]]
        if (exercise.assignment.pk, pupil.username) in handed_in:
            continue  # idempotent: this pupil's demo work on it is there already
        if not exercise.problem.is_published:
            skipped.add(row["problem"])
            continue
        _hand_in(row, exercise, pupil, start + timedelta(hours=3 * number))
    if skipped:
        log.warning("no demo submissions to unpublished problems: %s", ", ".join(sorted(skipped)))
