"""Who is told about an appeal: the contest's named jury members when one is filed, the
participant's members (their accounts) when the jury has answered. Notifications of kind
EVENT through assessments.notifications (a notification per person and key, so a retried task
never repeats itself), queued after the transaction commits, in each person's language.

A participant known only by a code (no account) has no one to notify: they read the answer on
the appeals page after entering the code again."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task

from assessments.models import Notification
from assessments.notifications import Message, deliver
from contests.models import Appeal, Member
from lms.models import User
from lms.quotes import inner_quotes

FILED = "filed"
ANSWERED = "answered"


def announce(appeal_id: int, what: str) -> None:
    """Queue the messages of an appeal filed or answered, once the transaction commits."""
    transaction.on_commit(lambda: tell_appeal.enqueue(appeal_id, what))


def _in(user: User, make) -> str:
    with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
        return str(make())


def _answered_text(appeal: Appeal) -> str:
    params = {"task": appeal.task.label, "contest": inner_quotes(appeal.contest.title)}
    if appeal.status == Appeal.Status.GRANTED:
        return _("The jury granted your appeal on task %(task)s of “%(contest)s”.") % params
    return _("The jury rejected your appeal on task %(task)s of “%(contest)s”.") % params


def _filed_text(appeal: Appeal) -> str:
    return _("A new appeal on task %(task)s of “%(contest)s” waits for the jury.") % {
        "task": appeal.task.label,
        "contest": inner_quotes(appeal.contest.title),
    }


def messages_for(appeal: Appeal, what: str) -> list[Message]:
    url = reverse("contests:appeal", args=[appeal.contest.slug, appeal.pk])
    if what == FILED:
        people = list(appeal.contest.jury.all())
        return [
            Message(
                Notification.Kind.EVENT,
                user,
                f"contest-appeal:{appeal.pk}:filed",
                _in(user, lambda: _filed_text(appeal)),
                url,
            )
            for user in people
        ]
    if what == ANSWERED and appeal.status != Appeal.Status.PENDING:
        members = Member.objects.filter(participant_id=appeal.participant_id).select_related("user")
        return [
            Message(
                Notification.Kind.EVENT,
                member.user,
                f"contest-appeal:{appeal.pk}:{appeal.status}",
                _in(member.user, lambda: _answered_text(appeal)),
                url,
            )
            for member in members
        ]
    return []


def tell(appeal_id: int, what: str) -> int:
    appeal = Appeal.objects.select_related("contest", "task").filter(pk=appeal_id).first()
    if appeal is None:
        return 0
    messages = messages_for(appeal, what)
    return deliver(messages) if messages else 0


@task()
def tell_appeal(appeal_id: int, what: str) -> int:
    """Tell the people concerned about an appeal filed or answered (the task's body)."""
    return tell(appeal_id, what)
