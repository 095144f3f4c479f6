"""A participant's run during the round: a program (queued for the task workers,
contests/judging.py) or a quiz answer (marked at once). Everything is checked before anything is
stored: who sends it, the task, the participant's window (timing.window), the language and the
code; a refusal is a RunRefused with a message the participant can read, and nothing is saved.

After one's window a run is refused, unless the contest has practice after the end and the
contest is over: then it is stored as practice (Run.is_practice), shown but never counted.
A double click (the same program again within the interval, the same answer again) gives the
run already made; another program within the interval is refused (a rate limit per participant,
so one participant cannot fill the judges' queue)."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from decimal import Decimal
from types import SimpleNamespace

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.http import QueryDict
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from assessments.programming import submitting as programming_submitting
from assessments.programming.models import ProblemLanguage
from assessments.quiz import marking
from assessments.quiz.posted import posted_response
from assessments.quiz.spec import AUTO_MARKED
from contests import timing
from contests.models import Contest, Participant, Run, Task
from lms.models import User

log = logging.getLogger("contests")

# The quiz field of a contest task's form: one question per task, at position 1 ("q1").
QUIZ_POSITION = 1
PLACES = Decimal("1E-10")  # Run.score's decimal places


class RunRefused(Exception):
    """The run was not stored; the message says why, in the participant's language."""


def run_interval() -> timedelta:
    """At most one program per participant this often (a double click inside it is harmless)."""
    return timedelta(seconds=int(getattr(settings, "CONTESTS_RUN_INTERVAL_SECONDS", 10)))


def answers_per_minute() -> int:
    """Quiz answers a participant may save in a minute (answers are changed freely; this only
    stops a script from flooding the table)."""
    return int(getattr(settings, "CONTESTS_ANSWERS_PER_MINUTE", 60))


def _local(moment: datetime) -> str:
    return formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT")


def _check_task(contest: Contest, participant: Participant | None, task: Task, kind: str) -> None:
    if (
        participant is None
        or participant.contest_id != contest.pk
        or participant.withdrawn_at is not None
    ):
        raise RunRefused(_("You do not take part in this contest."))
    if task.contest_id != contest.pk:
        raise RunRefused(_("This task is not part of this contest."))
    if task.removed_at is not None:
        raise RunRefused(_("This task was removed from the contest: it takes no more runs."))
    if task.kind != kind:
        if kind == Task.Kind.PROGRAMMING:
            raise RunRefused(_("This task does not take programs."))
        raise RunRefused(_("This task does not take quiz answers."))


def practice_or_refusal(contest: Contest, participant: Participant, now: datetime) -> bool:
    """False: the run counts (the participant's window is open); True: practice (after the
    contest, where it has practice). Otherwise RunRefused saying why."""
    window = timing.window(contest, participant)
    if window.is_open(now):
        return False
    if now < contest.starts_at:
        raise RunRefused(
            _("The round has not started yet: it starts at %(time)s.")
            % {"time": _local(contest.starts_at)}
        )
    if window.starts_at is None and now < window.ends_at:
        raise RunRefused(_("Press Start first: your time has not started yet."))
    if contest.practice_after_end and timing.is_over(contest, now):
        return True
    if contest.practice_after_end:
        raise RunRefused(
            _(
                "Your time is over: the round closed for you at %(time)s. Practice opens "
                "when the contest ends, at %(end)s."
            )
            % {"time": _local(window.ends_at), "end": _local(contest.ends_at)}
        )
    raise RunRefused(
        _("Your time is over: the round closed for you at %(time)s.")
        % {"time": _local(window.ends_at)}
    )


def allowed_languages(task: Task) -> list[ProblemLanguage]:
    """The languages the task's problem takes (enabled ones), in the problem's order."""
    if task.problem_id is None:
        return []
    return list(
        ProblemLanguage.objects.filter(problem_id=task.problem_id, language__is_enabled=True)
        .select_related("language")
        .order_by("pk")
    )


def source_from_upload(upload: UploadedFile) -> str:
    """An uploaded program as text: UTF-8 (a byte-order mark dropped), within the size limit."""
    limit = int(getattr(settings, "LMS_CODE_MAX_BYTES", 1024 * 1024))
    if upload.size is not None and upload.size > limit:
        raise RunRefused(_("The program is longer than %(size)s KB.") % {"size": limit // 1024})
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise RunRefused(_("The program is longer than %(size)s KB.") % {"size": limit // 1024})
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise RunRefused(
            _("The file is not a text file (UTF-8): send your program's source code.")
        ) from None


def _checked_program(task: Task, language_code: str, source: str):
    if task.problem_id is None:
        raise RunRefused(_("This task has no problem yet: ask the jury."))
    if not any(row.language.code == language_code for row in allowed_languages(task)):
        raise RunRefused(_("This task does not take that language."))
    # The course exercises' checks (length, NUL, text) and newline clean-up, on the task's problem.
    as_exercise = SimpleNamespace(problem_id=task.problem_id, problem=task.problem)
    try:
        language, source = programming_submitting.checked_source(as_exercise, language_code, source)
    except programming_submitting.CodeRefused as error:
        raise RunRefused(str(error)) from None
    if not source.strip():
        raise RunRefused(_("Write your program before sending it."))
    return language, source


def _lock(participant: Participant) -> None:
    """Runs of one participant are made one at a time (the rate limit and the double-click
    check read the last run and must not race)."""
    Participant.objects.select_for_update().filter(pk=participant.pk).values_list("pk").first()


def submit_code(
    contest: Contest,
    participant: Participant | None,
    task: Task,
    user: User | None,
    language_code: str,
    source: str,
    now: datetime | None = None,
) -> Run:
    """Store the program as a run and queue it for judging, or RunRefused."""
    now = now or timezone.now()
    _check_task(contest, participant, task, Task.Kind.PROGRAMMING)
    language, source = _checked_program(task, language_code, source)
    with transaction.atomic():
        _lock(participant)
        last = (
            Run.objects.filter(
                participant=participant,
                task__kind=Task.Kind.PROGRAMMING,
                source=Run.Source.SUBMITTED,
            )
            .order_by("-submitted_at", "-pk")
            .first()
        )
        recent = last is not None and now - last.submitted_at < run_interval()
        if (
            recent
            and last.task_id == task.pk
            and last.language_id == language.pk
            and last.code == source
        ):
            return last  # the same click twice
        practice = practice_or_refusal(contest, participant, now)
        if recent:
            wait = int((run_interval() - (now - last.submitted_at)).total_seconds()) + 1
            raise RunRefused(
                _("You sent a program a moment ago: wait %(seconds)s s and send again.")
                % {"seconds": wait}
            )
        run = Run.objects.create(
            contest=contest,
            participant=participant,
            task=task,
            submitted_by=user if user is not None and user.is_authenticated else None,
            submitted_at=now,
            time_seconds=timing.contest_seconds(contest, participant, now),
            is_practice=practice,
            language=language,
            code=source,
            state=Run.State.QUEUED,
        )
        from contests import judging

        judging.enqueue(run.pk)
    log.info("contest run %s: participant %s task %s", run.pk, participant.pk, task.label)
    return run


def quiz_verdict(fraction: float) -> str:
    if fraction >= 1 - marking.EPSILON:
        return "OK"
    if fraction <= marking.EPSILON:
        return "WA"
    return "PT"


def quiz_score(fraction: float, max_score: Decimal) -> Decimal:
    """The answer's points: the mark's fraction (clamped to 0..1) of the task's points."""
    fraction = min(max(fraction, 0.0), 1.0)
    if fraction >= 1 - marking.EPSILON:
        return Decimal(max_score)
    if fraction <= marking.EPSILON:
        return Decimal(0)
    return (Decimal(repr(fraction)) * Decimal(max_score)).quantize(PLACES)


def answer_quiz(
    contest: Contest,
    participant: Participant | None,
    task: Task,
    user: User | None,
    posted: QueryDict,
    now: datetime | None = None,
) -> Run:
    """Store the posted answer to the task's question as a new run, marked at once (the last
    answer counts, so the participant may change it until their time is over)."""
    now = now or timezone.now()
    _check_task(contest, participant, task, Task.Kind.QUIZ)
    if task.question_id is None:
        raise RunRefused(_("This task has no question yet: ask the jury."))
    spec = task.question.spec
    if spec.qtype not in AUTO_MARKED:
        raise RunRefused(_("This question cannot be marked automatically: ask the jury."))
    raw = posted_response(spec, posted, QUIZ_POSITION)
    clean = marking.valid_response(spec, raw) if raw is not None else None
    if clean is None:
        raise RunRefused(_("This answer cannot be read. Please answer again."))
    with transaction.atomic():
        _lock(participant)
        practice = practice_or_refusal(contest, participant, now)
        last = (
            Run.objects.filter(participant=participant, task=task, source=Run.Source.SUBMITTED)
            .order_by("-submitted_at", "-pk")
            .first()
        )
        if last is not None and last.answer == clean and last.is_practice == practice:
            return last  # the same answer again: nothing changes
        minute_ago = now - timedelta(minutes=1)
        sent = Run.objects.filter(
            participant=participant, task__kind=Task.Kind.QUIZ, submitted_at__gte=minute_ago
        ).count()
        if sent >= answers_per_minute():
            raise RunRefused(_("That is too many answers in a minute: wait a little."))
        result = marking.mark(spec, clean)
        fraction = result.fraction or 0.0
        run = Run.objects.create(
            contest=contest,
            participant=participant,
            task=task,
            submitted_by=user if user is not None and user.is_authenticated else None,
            submitted_at=now,
            time_seconds=timing.contest_seconds(contest, participant, now),
            is_practice=practice,
            answer=clean,
            state=Run.State.DONE,
            verdict=quiz_verdict(fraction),
            score=quiz_score(fraction, task.max_score),
            judged_at=now,
        )
        if not practice:
            from contests import judging

            judging.invalidate_on_commit(contest.pk)
    return run
