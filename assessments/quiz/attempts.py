"""Taking a quiz: starting an attempt, saving each answer as it is given, handing in, and
closing attempts whose time is up, whether or not the pupil comes back.

An attempt is a Submission draft while it is open, so the assignment's rules hold as they are:
its dates, group dates and extensions, attempts, best/last. Every answer is stored at once
(no "save" button); the same answer sent twice changes nothing, and two tabs writing answers
at once each lock only the question they write. Handing in is one conditional UPDATE
(draft -> submitted): a double click, a retry and the task worker closing it at the same moment
hand it in once."""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments import work_cache
from assessments.models import Submission
from assessments.quiz import drawing, marking, quiz_marks
from assessments.quiz.models import AttemptQuestion, Quiz, QuizAttempt
from assessments.quiz.spec import QType
from assessments.submissions import PupilState, SubmitError
from lms.models import User

log = logging.getLogger("assessments.quiz")
Status = Submission.Status

# An answer sent as the time runs out is still in flight when the page's timer closes it.
GRACE = timedelta(seconds=getattr(settings, "LMS_QUIZ_GRACE_SECONDS", 3))


class AnswerRefused(SubmitError):
    """The answer was not stored (the reason can be shown); nothing changed."""


def deadline_for(quiz: Quiz, state: PupilState, started: datetime) -> datetime | None:
    """When the attempt closes: the time limit from its start, never after the pupil's cut-off
    (Moodle closes open attempts at the quiz's close too)."""
    limits = [state.timetable.cutoff_at]
    if quiz.time_limit_minutes:
        limits.append(started + timedelta(minutes=quiz.time_limit_minutes))
    limits = [moment for moment in limits if moment is not None]
    return min(limits) if limits else None


def open_attempt(state: PupilState) -> QuizAttempt | None:
    draft = state.draft
    if draft is None:
        return None
    return QuizAttempt.objects.filter(submission=draft).select_related("quiz").first()


def start(state: PupilState, pupil: User, now: datetime | None = None) -> QuizAttempt:
    """The open attempt, or a new one with its questions drawn. Idempotent: two tabs starting
    at once get the same attempt."""
    now = now or timezone.now()
    current = open_attempt(state)
    if current is not None:
        return current
    reason = state.refusal()
    if reason:
        raise SubmitError(reason)
    quiz = Quiz.objects.get(pk=state.assignment.pk)
    seed = secrets.randbits(62)
    try:
        drawn = drawing.draw(quiz, seed)
    except drawing.DrawError as error:
        raise SubmitError(str(error)) from None
    try:
        with transaction.atomic():
            submission = Submission.objects.create(
                assignment=state.assignment,
                pupil=pupil,
                group=state.group,
                attempt=(state.attempts[-1].attempt + 1) if state.attempts else 1,
            )
            attempt = QuizAttempt.objects.create(
                submission=submission,
                quiz=quiz,
                started_at=now,
                deadline_at=deadline_for(quiz, state, now),
                seed=seed,
            )
            AttemptQuestion.objects.bulk_create(
                [
                    AttemptQuestion(
                        attempt=attempt,
                        position=position,
                        slot_number=item.slot.number,
                        version=item.version,
                        max_mark=item.slot.mark,
                        order=item.order,
                    )
                    for position, item in enumerate(drawn, start=1)
                ]
            )
    except IntegrityError:  # another tab started it a moment ago
        existing = (
            QuizAttempt.objects.filter(
                submission__assignment=state.assignment,
                submission__pupil=pupil,
                submission__status=Status.DRAFT,
            )
            .select_related("quiz")
            .first()
        )
        if existing is None:
            raise SubmitError(
                _("This attempt has just been started elsewhere. Reload the page.")
            ) from None
        return existing
    _schedule_closing(attempt)
    return attempt


def _schedule_closing(attempt: QuizAttempt) -> None:
    """The task worker closes the attempt when its time is up, if the backend can wait (the
    inline backend cannot: then the next read closes it, see close_overdue)."""
    if attempt.deadline_at is None:
        return
    from assessments.quiz import tasks

    backend = tasks.close_attempt.get_backend()
    if backend.supports_defer:
        when = attempt.deadline_at + GRACE + timedelta(seconds=1)
        transaction.on_commit(lambda: tasks.close_attempt.using(run_after=when).enqueue(attempt.pk))


def is_overdue(attempt: QuizAttempt, now: datetime) -> bool:
    return attempt.deadline_at is not None and now > attempt.deadline_at + GRACE


@dataclass
class Saved:
    question: AttemptQuestion
    changed: bool


def save_answer(
    attempt: QuizAttempt, pupil: User, position: int, raw: object, now: datetime | None = None
) -> Saved:
    """Store the pupil's answer to one question of their open attempt. Raises AnswerRefused
    (nothing stored) for a question not in the attempt, another pupil's attempt, a handed-in
    attempt, an answer that cannot be read, or after the time is up (the attempt is then
    closed with the answers given before)."""
    now = now or timezone.now()
    if attempt.submission.pupil_id != pupil.pk:
        raise AnswerRefused(_("This is not your attempt."))
    with transaction.atomic():
        try:
            question = (
                AttemptQuestion.objects.select_for_update(of=("self",))
                .select_related("version", "attempt__submission")
                .get(attempt=attempt, position=position)
            )
        except AttemptQuestion.DoesNotExist:
            raise AnswerRefused(_("This question is not part of your attempt.")) from None
        submission = question.attempt.submission
        if submission.status != Status.DRAFT:
            raise AnswerRefused(_("This attempt has been handed in; answers can no longer change."))
        if is_overdue(question.attempt, now):
            overdue = True
        else:
            overdue = False
            spec = question.version.spec
            if spec.qtype == QType.DESCRIPTION:
                raise AnswerRefused(_("This part of the quiz takes no answer."))
            response = marking.valid_response(spec, raw)
            if response is None:
                raise AnswerRefused(_("This answer cannot be read. Please answer again."))
            if response == question.response:
                return Saved(question, changed=False)
            question.response = response
            question.answered_at = now
            question.save(update_fields=["response", "answered_at"])
    if overdue:
        finish(attempt, closed_by=QuizAttempt.ClosedBy.TIME, now=now)
        raise AnswerRefused(
            _("The time is up: your attempt was closed with the answers you had given.")
        )
    return Saved(question, changed=True)


def finish(
    attempt: QuizAttempt,
    *,
    closed_by: str = QuizAttempt.ClosedBy.PUPIL,
    now: datetime | None = None,
) -> bool:
    """Hand the attempt in and mark it. Returns False if it had been handed in already.
    Closed for time, it counts as handed in at its deadline (not when the worker came by)."""
    now = now or timezone.now()
    with transaction.atomic():
        attempt = QuizAttempt.objects.select_related("quiz__assignment", "submission").get(
            pk=attempt.pk
        )
        submission = attempt.submission
        moment = now
        if closed_by == QuizAttempt.ClosedBy.TIME and attempt.deadline_at is not None:
            moment = min(now, attempt.deadline_at)
        timetable = quiz_marks.timetable_of(submission)
        late_days = timetable.late_days(moment)
        handed_in = Submission.objects.filter(pk=submission.pk, status=Status.DRAFT).update(
            status=Status.SUBMITTED,
            submitted_at=moment,
            is_late=late_days > 0,
            late_days=late_days,
            updated_at=now,
        )
        if not handed_in:
            return False
        work_cache.work_changed(submission.pupil_id)  # update() sends no signal
        QuizAttempt.objects.filter(pk=attempt.pk).update(finished_at=moment, closed_by=closed_by)
        submission.refresh_from_db()
        quiz_marks.mark_attempt(attempt, submission)
    log.info("quiz attempt handed in (%s): %s", closed_by, submission)
    return True


def close_overdue(now: datetime | None = None, **filters) -> int:
    """Close every open attempt whose time is up (optionally only those matching `filters`,
    e.g. submission__group=group): the lazy path for when no task worker waits for them."""
    now = now or timezone.now()
    due = QuizAttempt.objects.filter(
        finished_at__isnull=True,
        deadline_at__lt=now - GRACE,
        submission__status=Status.DRAFT,
        **filters,
    )
    closed = 0
    for attempt in due.only("pk"):
        closed += finish(attempt, closed_by=QuizAttempt.ClosedBy.TIME, now=now)
    return closed
