"""Who is told what, and when: a pupil when their work is released or returned, the group's
graders when new work arrives, pupils and teachers the day before a due date.

Events are handed to a task after the transaction commits (`announce`); the task (run inline by
default, by `manage.py db_worker` when configured) writes the notifications and sends e-mails.
Every notification has a key per event and person, so a retried task never repeats itself."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from assessments.models import Assignment, Grade, Notification, Submission
from courses.models import Enrolment
from courses.tree import module_path_of
from lms import numbers, permissions
from lms.models import User
from lms.quotes import inner_quotes

log = logging.getLogger("assessments.notifications")
Kind = Notification.Kind


@dataclass(frozen=True)
class Message:
    kind: str
    user: User
    key: str
    title: str
    url: str


def announce(kind: str, subject_id: int) -> None:
    """Queue the notifications of an event once the current transaction has committed."""
    from assessments import tasks

    transaction.on_commit(lambda: tasks.notify.enqueue(kind, subject_id))


def _in_language(user: User, make_title) -> str:
    with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
        return str(make_title())


def _say(user: User, text, **params) -> str:
    """A lazily translated message, in the user's language, with its parameters (a title made
    ready for the message's own quotes, lms.quotes)."""
    with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
        if "title" in params:
            params["title"] = inner_quotes(params["title"])
        return str(text) % params


DUE_SOON_PUPIL = gettext_lazy("“%(title)s” is due soon: hand it in by %(when)s.")
DUE_SOON_TEACHER = gettext_lazy(
    "“%(title)s” is due %(when)s: %(done)d of %(total)d pupils of %(group)s have handed in."
)


def _assignment_url(assignment_id: int) -> str:
    return reverse("assessments:assignment", args=[assignment_id])


def _graders(submission: Submission) -> list[User]:
    return list(permissions.graders_of(submission.group_id))


def messages_for(kind: str, subject_id: int) -> list[Message]:
    if kind == Kind.RELEASED:
        grade = (
            Grade.objects.select_related("submission__assignment", "submission__pupil")
            .filter(pk=subject_id, is_released=True)
            .first()
        )
        if grade is None:
            return []
        submission, pupil = grade.submission, grade.submission.pupil
        return [
            Message(
                Kind.RELEASED,
                pupil,
                f"released:{submission.pk}",
                _in_language(
                    pupil,
                    lambda: (
                        ngettext(
                            "Your work “%(title)s” is graded: %(points)s of %(max)s point.",
                            "Your work “%(title)s” is graded: %(points)s of %(max)s points.",
                            numbers.plural_count(submission.assignment.max_points),
                        )
                        % {
                            "title": inner_quotes(submission.assignment.title),
                            "points": numbers.number(grade.final_points),
                            "max": numbers.number(submission.assignment.max_points),
                        }
                    ),
                ),
                _assignment_url(submission.assignment_id),
            )
        ]
    submission = (
        Submission.objects.select_related("assignment", "pupil").filter(pk=subject_id).first()
    )
    if submission is None:
        return []
    if kind == Kind.RETURNED:
        return [
            Message(
                Kind.RETURNED,
                submission.pupil,
                f"returned:{submission.pk}",
                _in_language(
                    submission.pupil,
                    lambda: (
                        _(
                            "Your teacher returned your work “%(title)s” for rework: read the "
                            "feedback and try again."
                        )
                        % {"title": inner_quotes(submission.assignment.title)}
                    ),
                ),
                # Straight to the returned attempt and its feedback.
                f"{_assignment_url(submission.assignment_id)}#attempt-{submission.attempt}",
            )
        ]
    if kind == Kind.SUBMITTED:
        url = reverse("assessments:grading_submission", args=[submission.pk])
        return [
            Message(
                Kind.SUBMITTED,
                teacher,
                f"submitted:{submission.pk}",
                _in_language(
                    teacher,
                    lambda: (
                        _("%(pupil)s handed in “%(title)s”.")
                        % {
                            "pupil": submission.pupil,
                            "title": inner_quotes(submission.assignment.title),
                        }
                    ),
                ),
                url,
            )
            for teacher in _graders(submission)
        ]
    raise ValueError(f"unknown notification kind {kind!r}")


def deliver(messages: list[Message]) -> int:
    """Write the notifications (once per key) and e-mail the new ones. Returns how many new."""
    existing = set(
        Notification.objects.filter(
            user__in=[m.user for m in messages], key__in=[m.key for m in messages]
        ).values_list("user_id", "key")
    )
    fresh = [m for m in messages if (m.user.pk, m.key) not in existing]
    created = Notification.objects.bulk_create(
        [
            Notification(user=m.user, kind=m.kind, title=m.title, url=m.url, key=m.key)
            for m in fresh
        ],
        ignore_conflicts=True,
    )
    for message in fresh:
        cache.delete(unread_cache_key(message.user.pk))
        if message.user.email:
            _email(message)
    Notification.objects.filter(
        user__in=[m.user for m in fresh if m.user.email], key__in=[m.key for m in fresh]
    ).update(emailed_at=timezone.now())
    return len(created)


def _email(message: Message) -> None:
    site = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    try:
        send_mail(
            subject=message.title[:150],
            message=f"{message.title}\n\n{site}{message.url}",
            from_email=None,
            recipient_list=[message.user.email],
        )
    except Exception:  # a mail server hiccup must not lose the in-site notification
        log.exception("could not e-mail notification %s to user %s", message.key, message.user.pk)


def due_soon_messages(now: datetime | None = None, within: timedelta = timedelta(days=1)):
    """The day before a due date: pupils who have not handed in yet, and each group's graders
    (how many have). Reads assignments' own due dates; group dates and extensions are not
    reminded of (their pupils see their own dates on the assignment page)."""
    now = now or timezone.now()
    soon = Assignment.objects.filter(
        is_archived=False, due_at__gt=now, due_at__lte=now + within
    ).select_related("lesson")
    messages: list[Message] = []
    for assignment in soon:
        module_path = module_path_of(assignment.lesson.path)
        groups = list(
            Enrolment.objects.filter(
                Q(module__isnull=True) | Q(module__path=module_path),
                course_id=assignment.course_id,
                is_active=True,
                group__is_archived=False,
            )
            .values_list("group_id", "group__name")
            .distinct()
        )
        handed_in = set(
            Submission.objects.filter(assignment=assignment)
            .exclude(status=Submission.Status.DRAFT)
            .values_list("pupil_id", flat=True)
        )
        due_key = assignment.due_at.strftime("%Y%m%d%H%M")
        when = timezone.localtime(assignment.due_at).strftime("%d.%m %H:%M")
        for group_id, group_name in groups:
            pupils = list(User.objects.pupils_of(group_id))
            for pupil in pupils:
                if pupil.pk in handed_in:
                    continue
                messages.append(
                    Message(
                        Kind.DUE_SOON,
                        pupil,
                        f"due:{assignment.pk}:{due_key}",
                        _say(pupil, DUE_SOON_PUPIL, title=assignment.title, when=when),
                        _assignment_url(assignment.pk),
                    )
                )
            done = sum(1 for pupil in pupils if pupil.pk in handed_in)
            for teacher in permissions.graders_of(group_id):
                messages.append(
                    Message(
                        Kind.DUE_SOON,
                        teacher,
                        f"due:{assignment.pk}:{group_id}:{due_key}",
                        _say(
                            teacher,
                            DUE_SOON_TEACHER,
                            title=assignment.title,
                            when=when,
                            done=done,
                            total=len(pupils),
                            group=group_name,
                        ),
                        reverse("assessments:grading_queue", args=[group_id]),
                    )
                )
    return messages


# The bell counts up to this many (and shows "99+" beyond 99): a pile of a thousand unread
# costs no more to count than a hundred.
UNREAD_COUNT_CAP = 100
UNREAD_CACHE_SECONDS = 300


def unread_cache_key(user_id: int) -> str:
    return f"lms:unread-notifications:{user_id}"


def unread_count(user: User) -> int:
    """The person's unread notifications, at most UNREAD_COUNT_CAP. Cached per person and
    dropped on every write (`deliver`, `mark_all_read`): one query when cold, none when warm."""
    if not user.is_authenticated:
        return 0
    key = unread_cache_key(user.pk)
    count = cache.get(key)
    if count is None:
        unread = Notification.objects.filter(user=user, read_at__isnull=True)
        count = unread[:UNREAD_COUNT_CAP].count()
        cache.set(key, count, UNREAD_CACHE_SECONDS)
    return count


def mark_all_read(user: User, up_to: int | None = None) -> int:
    """Marks the person's unread notifications read: all of them, or (up_to) those up to the
    newest one a page showed, so one that arrived after the page was drawn stays new. Marking
    twice marks nothing more."""
    unread = Notification.objects.filter(user=user, read_at__isnull=True)
    if up_to is not None:
        unread = unread.filter(pk__lte=up_to)
    marked = unread.update(read_at=timezone.now())
    cache.delete(unread_cache_key(user.pk))
    return marked


def inbox(user: User, shown: int) -> tuple[list[Notification], set[int]]:
    """The person's latest `shown` notifications, newest first, and which of them are unread.
    Reading the list changes nothing (a GET has no side effects; a cross-site picture could
    otherwise mark them read): the page then marks them read by POST."""
    items = list(Notification.objects.filter(user=user)[:shown])
    unread = {item.pk for item in items if item.read_at is None}
    return items, unread
