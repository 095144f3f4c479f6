"""Appeals: a participant asks the jury to look again at one task; the jury grants (with a new
score, or a run's new verdict under ICPC) or rejects it, with an answer the participant reads.

The period: from the end of the participant's own window (for everyone else the round's end)
until contest.appeals_until; a contest without appeals_until takes no appeals. One pending
appeal per participant and task: filing again while one waits returns it (a double submit
changes nothing). A granted appeal with a change writes a ScoreChange (contests.score_changes)
in the same transaction as the answer; the participant's members are told after the commit
(contests.appeal_messages)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import Case, F, IntegerField, Value, When
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from contests import appeal_messages, permissions, score_changes, timing
from contests.models import Appeal, Contest, Participant, Run, Task
from lms.models import User
from lms.text import clean_cell

TEXT_MAX = Appeal._meta.get_field("text").max_length
ANSWER_MAX = Appeal._meta.get_field("answer").max_length
Status = Appeal.Status


class AppealError(ValueError):
    """An appeal or an answer refused; the message is for the person who asked (translated)."""


@dataclass(frozen=True)
class Period:
    opens_at: datetime
    closes_at: datetime

    def is_open(self, now: datetime) -> bool:
        return self.opens_at <= now < self.closes_at


def period(contest: Contest, participant: Participant | None = None) -> Period | None:
    """When this participant may appeal (None: the contest takes no appeals). Without a
    participant: from the round's end."""
    if contest.appeals_until is None:
        return None
    opens = contest.ends_at if participant is None else timing.window(contest, participant).ends_at
    return Period(opens, contest.appeals_until)


def _when(moment: datetime) -> str:
    return formats.date_format(timezone.localtime(moment), "j E Y, H:i")


def refusal(contest: Contest, participant: Participant, now: datetime | None = None) -> str | None:
    """Why this participant may not file an appeal now, or None."""
    now = now or timezone.now()
    if participant.withdrawn_at is not None:
        return _("You have withdrawn from this contest.")
    found = period(contest, participant)
    if found is None:
        return _("This contest takes no appeals.")
    if now < found.opens_at:
        return _("Appeals open when your round is over, at %(when)s.") % {
            "when": _when(found.opens_at)
        }
    if now >= found.closes_at:
        return _("Appeals closed at %(when)s.") % {"when": _when(found.closes_at)}
    return None


def tasks_to_appeal(contest: Contest):
    """The tasks an appeal may be about: the contest's, except removed ones."""
    return Task.objects.filter(contest=contest, removed_at__isnull=True).order_by("order", "pk")


def clean_text(raw: str, limit: int) -> str:
    """Plain text as typed (line breaks kept, invisible characters removed), trimmed."""
    return clean_cell(raw or "").strip()[:limit]


def file_appeal(
    contest: Contest,
    participant: Participant,
    task: Task,
    user: User | None,
    text: str,
    *,
    now: datetime | None = None,
) -> tuple[Appeal, bool]:
    """Files an appeal: (the appeal, whether it is new). The pending appeal of this participant
    and task is returned as it is when there is one. Raises AppealError."""
    now = now or timezone.now()
    if participant.contest_id != contest.pk or task.contest_id != contest.pk:
        raise AppealError(_("Choose a task of this contest."))
    if task.removed_at is not None:
        raise AppealError(_("This task was removed from the contest: it takes no appeals."))
    reason = refusal(contest, participant, now)
    if reason:
        raise AppealError(reason)
    if len((text or "").strip()) > TEXT_MAX:
        raise AppealError(
            _("The appeal is too long: at most %(limit)d characters.") % {"limit": TEXT_MAX}
        )
    text = clean_text(text, TEXT_MAX)
    if not text:
        raise AppealError(_("Write what you think is wrong."))
    with transaction.atomic():
        # The participant's row serialises two submits of the same appeal.
        Participant.objects.select_for_update().filter(pk=participant.pk).first()
        pending = Appeal.objects.filter(
            participant=participant, task=task, status=Status.PENDING
        ).first()
        if pending is not None:
            return pending, False
        appeal = Appeal.objects.create(
            contest=contest,
            participant=participant,
            task=task,
            text=text,
            filed_by=user if user is not None and user.is_authenticated else None,
        )
        appeal_messages.announce(appeal.pk, appeal_messages.FILED)
    return appeal, True


def answer(
    appeal: Appeal,
    jury_user: User,
    *,
    status: str,
    answer_text: str,
    score: Decimal | None = None,
    run: Run | None = None,
    verdict: str = "",
) -> Appeal:
    """The jury's answer. A grant may change the result: a new score (IOI, judged) or a run's
    new verdict (ICPC), written as a ScoreChange in the same transaction. Raises AppealError."""
    contest = appeal.contest
    if not permissions.is_jury(jury_user, contest):
        raise AppealError(_("Only the jury answers appeals."))
    if status not in (Status.GRANTED, Status.REJECTED):
        raise AppealError(_("Grant or reject the appeal."))
    if len((answer_text or "").strip()) > ANSWER_MAX:
        raise AppealError(
            _("The answer is too long: at most %(limit)d characters.") % {"limit": ANSWER_MAX}
        )
    text = clean_text(answer_text, ANSWER_MAX)
    if not text:
        raise AppealError(_("Write the answer: the participant reads it."))
    changes = score is not None or run is not None or bool(verdict)
    if status == Status.REJECTED and changes:
        raise AppealError(_("A rejected appeal changes no result."))
    with transaction.atomic():
        locked = Appeal.objects.select_for_update().filter(pk=appeal.pk).first()
        if locked is None:
            raise AppealError(_("This appeal no longer exists."))
        if locked.status != Status.PENDING:
            raise AppealError(_("This appeal has already been answered."))
        if changes:
            try:
                score_changes.change_score(
                    contest,
                    locked.participant,
                    locked.task,
                    jury_user,
                    reason=_reason(locked, text),
                    score=score,
                    run=run,
                    verdict=verdict,
                    appeal=locked,
                )
            except score_changes.ChangeError as error:
                raise AppealError(str(error)) from error
        locked.status = status
        locked.answer = text
        locked.answered_by = jury_user
        locked.answered_at = timezone.now()
        locked.save(update_fields=["status", "answer", "answered_by", "answered_at"])
        appeal_messages.announce(locked.pk, appeal_messages.ANSWERED)
    return locked


def _reason(appeal: Appeal, text: str) -> str:
    """The score change's reason: the appeal's number and the answer, in the park's language
    (the audit trail is one record whoever reads it)."""
    with translation.override(settings.LANGUAGE_CODE):
        head = _("Appeal %(number)s granted") % {"number": appeal.pk}
    return f"{head}: {' '.join(text.split())}"[: score_changes.REASON_MAX]


def visible_appeals(contest: Contest, participant: Participant | None, *, jury: bool):
    """The appeals one may see: the jury all of the contest's (those waiting first, the oldest
    first; then the answered, the latest first), a participant their own (newest first)."""
    found = Appeal.objects.filter(contest=contest).select_related("task", "participant")
    if jury:
        waiting_first = Case(
            When(status=Status.PENDING, then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        )
        return found.order_by(waiting_first, F("answered_at").desc(nulls_last=True), "filed_at")
    if participant is None:
        return found.none()
    return found.filter(participant=participant).order_by("-filed_at", "-pk")
