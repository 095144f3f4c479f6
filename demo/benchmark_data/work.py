"""One pupil's term: lessons opened and completed, and their attempts at the assignments of the
courses their group takes, each ending in the rows the app writes for it.

* project: the Submission (a draft now and then), and when the teacher has looked at it a Grade
  with the rubric snapshot (`scoring.rubric_choices`), the late penalty
  (`deadlines.late_penalty_percent`), one GradeChange (`grade_history.snapshot`), and the
  notifications the hand-in, the release or the return send;
* quiz: the Submission, its QuizAttempt, one AttemptQuestion per slot with the response and its
  automatic mark (`quiz.marking`), and the total (`quiz_marks.total_points`) as a released Grade;
* code: the Submission, its CodeSubmission with the verdict and points
  (`programming.scoring.score`), one JudgedTest per test, the released Grade.

How much each pupil does follows their "activity": one in twelve does nothing at all, the rest
spread from a little to everything; the region's submissions add up to the asked number."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext, ngettext

from assessments import grade_history, scoring
from assessments.deadlines import late_penalty_percent
from assessments.models import Grade, GradeChange, Notification, Submission
from assessments.programming import scoring as code_scoring
from assessments.programming.models import CodeSubmission, JudgedTest
from assessments.programming.spec import Verdict
from assessments.quiz.models import AttemptQuestion, QuizAttempt
from courses.models import LessonProgress
from demo.benchmark_data.content import TERM_DAYS, Course, Work, scoring_of
from demo.benchmark_data.writer import Ids, Writer
from lms import numbers
from lms.quotes import inner_quotes

Status = Submission.Status
DAY = timedelta(days=1)
CENT = Decimal("0.01")
INACTIVE = 1 / 12
PLACEHOLDER = "987654321"

COLUMNS = {
    LessonProgress: (
        "user_id", "lesson_id", "course_id", "opened_at", "last_seen_at", "completed_at",
    ),
    Submission: (
        "id", "assignment_id", "pupil_id", "group_id", "attempt", "status", "text", "is_late",
        "late_days", "created_at", "updated_at", "submitted_at",
    ),
    Grade: (
        "id", "submission_id", "points", "penalty_percent", "final_points", "feedback",
        "rubric_choices", "is_released", "released_at", "graded_by_id", "updated_at",
    ),
    GradeChange: ("grade_id", "changed_by_id", "changed_at", "before", "after"),
    QuizAttempt: (
        "submission_id", "quiz_id", "started_at", "deadline_at", "finished_at", "closed_by",
        "seed",
    ),
    AttemptQuestion: (
        "attempt_id", "position", "slot_number", "version_id", "max_mark", "order", "response",
        "answered_at", "fraction", "state", "manual_mark", "comment", "marked_by_id",
    ),
    CodeSubmission: (
        "submission_id", "exercise_id", "language_id", "source", "state", "verdict", "points",
        "tests_passed", "tests_total", "compile_output", "problem_revision", "claim",
        "claimed_at", "judge_runs", "judged_at",
    ),
    JudgedTest: (
        "code_submission_id", "test_id", "index", "is_example", "subtask", "verdict", "time_s",
        "memory_kb", "exit_signal", "output_excerpt", "message",
    ),
    Notification: ("user_id", "kind", "title", "url", "key", "created_at", "read_at", "emailed_at"),
}  # fmt: skip

FEEDBACK = (
    "Хорошая работа! Добавь в описание, как ты проверял схему.",
    "Всё работает. В следующий раз сфотографируй установку крупнее.",
    "Отлично, аккуратно и понятно.",
    "Неплохо, но описание слишком короткое.",
)
RETURNED = "Не хватает фотографии и описания: доделай, пожалуйста, и сдай ещё раз."
PROJECT_TEXT = "Мой проект: собрал установку по инструкции, проверил, всё получилось. Фото ниже."
SOURCES = {
    Verdict.OK: "n = int(input())\nprint(n * (n + 1) // 2)\n",
    Verdict.WA: "n = int(input())\nprint(n * n // 2)\n",
    Verdict.RE: "n = int(input()\nprint(n)\n",
    Verdict.TLE: "n = int(input())\ns = 0\nwhile True:\n    s += n\n",
    Verdict.CE: "print(\n",
}
FAILURES = ((Verdict.WA, 0.7), (Verdict.RE, 0.13), (Verdict.TLE, 0.1), (Verdict.CE, 0.07))


def activities(pupils: int, rng: random.Random) -> list[float]:
    return [0.0 if rng.random() < INACTIVE else rng.betavariate(2.2, 1.4) for _ in range(pupils)]


def quotas(total: int, weights: list[float]) -> list[int]:
    """Whole numbers in proportion to `weights` that add up to `total` (error diffusion)."""
    weight_sum = sum(weights)
    if weight_sum <= 0:
        return [0] * len(weights)
    result, carry = [], 0.0
    for weight in weights:
        want = total * weight / weight_sum + carry
        whole = int(want)
        carry = want - whole
        result.append(whole)
    result[-1] += total - sum(result)
    return result


@dataclass
class Context:
    """What every pupil's rows share."""

    writer: Writer
    submissions: Ids
    grades: Ids
    courses: dict[int, Course]
    now: datetime
    term_start: datetime
    messages: dict
    grading_url: str = ""

    def __post_init__(self) -> None:
        self.grading_url = reverse("assessments:grading_submission", args=[PLACEHOLDER])


def declare_tables(writer: Writer) -> None:
    for model, columns in COLUMNS.items():
        writer.table(model, columns)


def _between(rng: random.Random, start: datetime, end: datetime) -> datetime:
    if end <= start:
        return start
    return start + (end - start) * rng.random()


def _late_days(work: Work, when: datetime) -> int:
    if work.due_at is None or when <= work.due_at:
        return 0
    return math.ceil((when - work.due_at) / DAY)


def _available(ctx: Context, enrolments) -> tuple[list[Work], list[tuple[int, int, int]]]:
    """The works and lessons (lesson, course, place) of the group's enrolments, open now."""
    works: list[Work] = []
    lessons = []
    for course_id, module_id in enrolments:
        course = ctx.courses[course_id]
        for place, (lesson_id, lesson_module) in enumerate(course.lessons):
            if module_id is None or lesson_module == module_id:
                lessons.append((lesson_id, course_id, place))
        for work in course.works:
            if module_id is not None and work.module_id != module_id:
                continue
            if work.opens_at is None or work.opens_at < ctx.now - DAY:
                works.append(work)
    return works, lessons


def _plan(works: list[Work], quota: int, rng: random.Random) -> dict[int, int]:
    """How many attempts at each work: first everything in order (most pupils skip some), then
    more tries, mostly at code (a few runs until accepted) and quizzes (best of three)."""
    attempts = {w.id: 0 for w in works}
    order = sorted(works, key=lambda w: w.lesson_number + rng.uniform(-1.5, 1.5))
    for work in order:
        if quota <= 0:
            break
        attempts[work.id] = 1
        quota -= 1
    rank = {"code": 0, "quiz": 1, "project": 2}  # code takes a few runs; quizzes best of 3
    extra = sorted(works, key=lambda w: rank[w.kind])
    while quota > 0 and extra:
        room = [w for w in extra if not w.max_attempts or attempts[w.id] < w.max_attempts]
        if not room:
            break
        work = rng.choice(room[: max(1, len(room) // 2 + 1)]) if rng.random() < 0.8 else room[-1]
        attempts[work.id] += 1
        quota -= 1
    return attempts


def write_pupil(
    ctx: Context,
    pupil_id: int,
    name: str,
    group,
    activity: float,
    quota: int,
    rng: random.Random,
) -> int:
    """All rows of one pupil. Returns how many submissions it did not manage to place (the next
    pupil takes them)."""
    works, lessons = _available(ctx, group.enrolments)
    plan = _plan(works, quota, rng) if activity > 0 or quota else {}
    placed = 0
    last_place: dict[int, int] = {}
    for work in works:
        count = plan.get(work.id, 0)
        if not count:
            continue
        placed += _writer_of(work.kind)(ctx, work, pupil_id, name, group, activity, count, rng)
        last_place[work.course_id] = max(last_place.get(work.course_id, -1), work.lesson_number)
    _progress(ctx, pupil_id, lessons, activity, last_place, rng)
    return quota - placed


def _progress(ctx, pupil_id, lessons, activity, last_place, rng) -> None:
    for lesson_id, course_id, place in lessons:
        course = ctx.courses[course_id]
        shown = ctx.term_start + (TERM_DAYS + 25) * DAY / len(course.lessons) * place
        if shown >= ctx.now:
            continue
        must = place <= last_place.get(course_id, -1)
        if not must and rng.random() > (activity**0.5 if activity else 0.05 * (place == 0)):
            continue
        opened = _between(rng, shown, min(shown + 7 * DAY, ctx.now))
        seen = _between(rng, opened, min(opened + 3 * DAY, ctx.now))
        completed = seen if rng.random() < 0.3 + 0.65 * activity else None
        ctx.writer.add(LessonProgress, (pupil_id, lesson_id, course_id, opened, seen, completed))


def _when_handed_in(ctx: Context, work: Work, activity: float, rng: random.Random) -> datetime:
    """Mostly in the fortnight before the due time; the less active pupils are late more often."""
    opens = work.opens_at or ctx.term_start
    due = work.due_at or opens + 14 * DAY
    if rng.random() < 0.08 + 0.3 * (1 - activity):
        latest = work.cutoff_at or due + 10 * DAY
        when = _between(rng, due, latest - timedelta(minutes=1))
    else:
        when = _between(rng, opens + (due - opens) * 0.2, due)
    return min(when, ctx.now - timedelta(minutes=rng.randint(5, 600)))


def _submission(ctx, work, pupil_id, group, attempt, status, when, text="", updated=None) -> int:
    submission_id = ctx.submissions.take()
    late = _late_days(work, when) if status != Status.DRAFT else 0
    ctx.writer.add(
        Submission,
        (
            submission_id, work.id, pupil_id, group.id, attempt, status, text, late > 0, late,
            when - timedelta(minutes=20), updated or when, None if status == Status.DRAFT else when,
        ),
    )  # fmt: skip
    return submission_id


def _grade(ctx, submission_id, status, *, points, penalty, feedback, choices, released, by, when):
    grade_id = ctx.grades.take()
    final = None if points is None else scoring.after_penalty(points, penalty)
    grade = Grade(
        points=points, penalty_percent=penalty, final_points=final, feedback=feedback,
        rubric_choices=choices, is_released=released,
    )  # fmt: skip
    ctx.writer.add(
        Grade,
        (
            grade_id, submission_id, points, penalty, final, feedback, choices, released,
            when if released else None, by, when,
        ),
    )  # fmt: skip
    after = grade_history.snapshot(grade, status)
    ctx.writer.add(GradeChange, (grade_id, by, when, {}, after))
    return final


def _notify(ctx, user_id, kind, key, title, url, when, rng) -> None:
    read = when + timedelta(hours=rng.uniform(1, 72)) if rng.random() < 0.75 else None
    if read is not None and read > ctx.now:
        read = None
    ctx.writer.add(Notification, (user_id, kind, title[:300], url, key, when, read, None))


def _title(ctx, kind: str, work: Work, points: Decimal | None = None, pupil: str = "") -> str:
    key = (kind, work.id, points, pupil)
    cached = ctx.messages.get(key)
    if cached is None:
        with translation.override("ru"):
            title = inner_quotes(work.title)
            if kind == Notification.Kind.RELEASED:
                cached = ngettext(
                    "Your work “%(title)s” is graded: %(points)s of %(max)s point.",
                    "Your work “%(title)s” is graded: %(points)s of %(max)s points.",
                    numbers.plural_count(work.max_points),
                ) % {
                    "title": title,
                    "points": numbers.number(points),
                    "max": numbers.number(work.max_points),
                }
            elif kind == Notification.Kind.RETURNED:
                cached = gettext(
                    "Your teacher returned your work “%(title)s” for rework: read the "
                    "feedback and try again."
                ) % {"title": title}
            else:
                cached = gettext("%(pupil)s handed in “%(title)s”.") % {
                    "pupil": pupil,
                    "title": title,
                }
        if kind != Notification.Kind.SUBMITTED:
            ctx.messages[key] = cached
    return cached


def _url(work: Work) -> str:
    return reverse("assessments:assignment", args=[work.id])


def _writer_of(kind: str):
    return {"project": _projects, "quiz": _quizzes, "code": _code}[kind]


# --- Projects ---------------------------------------------------------------------------------


def _rubric_grade(work: Work, activity: float, rng: random.Random) -> tuple[Decimal, dict]:
    chosen, comments = {}, {}
    for criterion in work.rubric:
        top = len(criterion.levels) - 1
        level = min(top, max(0, round(top * (activity + rng.uniform(-0.35, 0.35)))))
        chosen[criterion.id] = criterion.levels[level].id
    snapshot, total = scoring.rubric_choices(work.rubric, chosen, comments)
    return total, snapshot


def _projects(ctx, work, pupil_id, name, group, activity, count, rng) -> int:
    when = _when_handed_in(ctx, work, activity, rng)
    url = _url(work)
    for attempt in range(1, count + 1):
        last = attempt == count
        open_now = work.cutoff_at is None or ctx.now < work.cutoff_at
        if last and open_now and rng.random() < 0.05:
            _submission(ctx, work, pupil_id, group, attempt, Status.DRAFT, when, PROJECT_TEXT)
            return attempt
        graded_at = when + timedelta(hours=rng.uniform(2, 24 * 6))
        outcome = rng.random()
        if graded_at >= ctx.now or outcome < 0.1:
            outcome = None  # waiting for the teacher
        elif not last and outcome < 0.6:
            outcome = 0.12  # returned, then handed in again
        status = Status.SUBMITTED
        if outcome is not None and outcome < 0.17:
            status = Status.RETURNED
        elif outcome is not None and outcome >= 0.25:
            status = Status.GRADED
        sub_id = _submission(ctx, work, pupil_id, group, attempt, status, when, PROJECT_TEXT,
                             updated=graded_at if outcome is not None else when)  # fmt: skip
        teacher = group.teachers[0]
        for graded_by in group.teachers:
            title = _title(ctx, Notification.Kind.SUBMITTED, work, pupil=name)
            grading_url = ctx.grading_url.replace(PLACEHOLDER, str(sub_id))
            _notify(ctx, graded_by, Notification.Kind.SUBMITTED, f"submitted:{sub_id}", title,
                    grading_url, when, rng)  # fmt: skip
        if outcome is None:
            pass
        elif status == Status.RETURNED:
            penalty = late_penalty_percent(work, _late_days(work, when))
            _grade(ctx, sub_id, status, points=None, penalty=penalty, feedback=RETURNED,
                   choices={}, released=True, by=teacher, when=graded_at)  # fmt: skip
            title = _title(ctx, Notification.Kind.RETURNED, work)
            _notify(ctx, pupil_id, Notification.Kind.RETURNED, f"returned:{sub_id}", title,
                    f"{url}#attempt-{attempt}", graded_at, rng)  # fmt: skip
        else:
            points, choices = _rubric_grade(work, activity, rng)
            penalty = late_penalty_percent(work, _late_days(work, when))
            released = status == Status.GRADED
            final = _grade(ctx, sub_id, status, points=points, penalty=penalty,
                           feedback=rng.choice(FEEDBACK), choices=choices, released=released,
                           by=teacher, when=graded_at)  # fmt: skip
            if released:
                title = _title(ctx, Notification.Kind.RELEASED, work, final)
                _notify(ctx, pupil_id, Notification.Kind.RELEASED, f"released:{sub_id}", title,
                        url, graded_at, rng)  # fmt: skip
        when = min(graded_at + timedelta(days=rng.uniform(0.5, 4)), ctx.now - timedelta(minutes=1))
    return count


# --- Quizzes ----------------------------------------------------------------------------------


def _quizzes(ctx, work, pupil_id, name, group, activity, count, rng) -> int:
    started = _when_handed_in(ctx, work, activity, rng) - timedelta(minutes=20)
    skill = min(0.97, 0.25 + 0.7 * activity)
    for attempt in range(1, count + 1):
        answered = started + timedelta(minutes=1)
        sub_id = ctx.submissions.take()
        got, out_of = Decimal(0), Decimal(0)
        questions = []
        for slot in work.slots:
            variant = slot.right if rng.random() < skill else rng.choice(slot.wrong)
            answered += timedelta(seconds=rng.randint(20, 120))
            questions.append((slot, variant, answered if variant.response else None))
            got += Decimal(repr(variant.fraction)) * slot.max_mark
            out_of += slot.max_mark
        finished = answered + timedelta(seconds=rng.randint(10, 60))
        points = Decimal(0)
        if out_of > 0:
            points = min(got / out_of * work.max_points, work.max_points)
            points = points.quantize(CENT, rounding=ROUND_HALF_UP)  # as quiz_marks.total_points
        late = _late_days(work, finished)
        ctx.writer.add(
            Submission,
            (
                sub_id, work.id, pupil_id, group.id, attempt, Status.GRADED, "", late > 0, late,
                started, finished, finished,
            ),
        )  # fmt: skip
        ctx.writer.add(
            QuizAttempt,
            (sub_id, work.id, started, started + timedelta(minutes=20), finished,
             QuizAttempt.ClosedBy.PUPIL, rng.getrandbits(62)),
        )  # fmt: skip
        for slot, variant, at in questions:
            ctx.writer.add(
                AttemptQuestion,
                (
                    sub_id, slot.number, slot.number, slot.version_id, slot.max_mark,
                    rng.choice(slot.orders), variant.response, at, variant.fraction,
                    variant.state, None, "", None,
                ),
            )  # fmt: skip
        _grade(ctx, sub_id, Status.GRADED, points=points, penalty=late_penalty_percent(work, late),
               feedback="", choices={}, released=True, by=None, when=finished)  # fmt: skip
        skill = min(0.97, skill + 0.1)
        started = min(
            finished + timedelta(hours=rng.uniform(0.2, 48)), ctx.now - timedelta(hours=1)
        )
    return count


# --- Code -------------------------------------------------------------------------------------


def _judged(work: Work, skill: float, rng: random.Random) -> tuple[str, list[tuple]]:
    """The verdict and each test's (row, verdict) of one program."""
    if rng.random() < skill:
        return Verdict.OK, [(t, Verdict.OK) for t in work.tests]
    verdict = rng.choices([v for v, _w in FAILURES], weights=[w for _v, w in FAILURES])[0]
    if verdict == Verdict.CE:
        return verdict, []
    fails_at = rng.randrange(len(work.tests)) if work.tests else 0
    results = []
    for index, test in enumerate(work.tests):
        if index < fails_at:
            results.append((test, Verdict.OK))
        elif index == fails_at:
            results.append((test, verdict))
        else:
            results.append((test, Verdict.OK if rng.random() < 0.5 else verdict))
    return verdict, results


def _code(ctx, work, pupil_id, name, group, activity, count, rng) -> int:
    when = _when_handed_in(ctx, work, activity, rng)
    skill = 0.2 + 0.5 * activity
    spec = work.problem_spec
    for attempt in range(1, count + 1):
        verdict, results = _judged(work, skill, rng)
        if verdict == Verdict.CE:
            points = Decimal(0)
        else:
            outcomes = [
                code_scoring.TestOutcome(verdict=v, subtask=t.subtask, points=t.points)
                for t, v in results
            ]
            points = code_scoring.score(outcomes, scoring_of(work), spec.subtasks, work.max_points)
        judged = when + timedelta(seconds=rng.uniform(2, 20))
        late = _late_days(work, when)
        sub_id = ctx.submissions.take()
        ctx.writer.add(
            Submission,
            (sub_id, work.id, pupil_id, group.id, attempt, Status.GRADED, "", late > 0, late,
             when, judged, when),
        )  # fmt: skip
        passed = sum(v == Verdict.OK for _t, v in results)
        ctx.writer.add(
            CodeSubmission,
            (
                sub_id, work.id, work.language_id, SOURCES[verdict], CodeSubmission.State.DONE,
                verdict.value, points, passed, len(results),
                "SyntaxError: '(' was never closed" if verdict == Verdict.CE else "",
                work.problem_revision, "", when, 1, judged,
            ),
        )  # fmt: skip
        for test, test_verdict in results:
            ctx.writer.add(
                JudgedTest,
                (
                    sub_id, test.id, test.index, test.is_example, test.subtask,
                    test_verdict.value, round(rng.uniform(0.02, 0.3), 3),
                    rng.randint(7000, 12000), None, "", "",
                ),
            )  # fmt: skip
        _grade(ctx, sub_id, Status.GRADED, points=points, penalty=late_penalty_percent(work, late),
               feedback="", choices={}, released=True, by=None, when=judged)  # fmt: skip
        skill = min(0.95, skill + 0.2)
        when = min(judged + timedelta(minutes=rng.uniform(2, 40)), ctx.now - timedelta(minutes=1))
    return count
