"""Who may do what with contests, built on lms.permissions and events.permissions.

- Organisers (park staff: teachers and school admins of a host park, methodologists, platform
  staff) create and run contests: setup, participants and codes, import, freeze, appeals,
  awards, the protocol and diplomas. They are the jury of every contest.
- Jury members (named on the contest) see the live standings with full names and answer
  appeals.
- Judges fill score sheets only of their categories and tasks (JudgeAssignment).
- A participant is a member account, or whoever entered the participant's code in this browser
  session (the code is the key, as on paper at a school).
- The public sees published contests and their (frozen) standings with first name, initial
  and school.
Objects one may not see answer 404."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest

from contests.models import Category, Contest, JudgeAssignment, Member, Participant, Task
from events import permissions as event_permissions
from lms.permissions import AnyUser

SESSION_CODES = "contests.participants"  # {str(contest id): participant id}


def is_organiser(user: AnyUser) -> bool:
    return event_permissions.is_park_staff(user)


def is_jury(user: AnyUser, contest: Contest) -> bool:
    if not user.is_authenticated:
        return False
    if is_organiser(user):
        return True
    return contest.jury.filter(pk=user.pk).exists()


def visible_contests(user: AnyUser) -> QuerySet[Contest]:
    if is_organiser(user):
        return Contest.objects.all()
    if not user.is_authenticated:
        return Contest.objects.filter(is_published=True)
    return Contest.objects.filter(Q(is_published=True) | Q(jury=user)).distinct()


def contest_or_404(user: AnyUser, slug: str) -> Contest:
    contest = visible_contests(user).filter(slug=slug).first()
    if contest is None:
        raise Http404
    return contest


def jury_contest_or_404(user: AnyUser, slug: str) -> Contest:
    contest = Contest.objects.filter(slug=slug).first()
    if contest is None or not is_jury(user, contest):
        raise Http404
    return contest


def organised_contest_or_404(user: AnyUser, slug: str) -> Contest:
    contest = Contest.objects.filter(slug=slug).first()
    if contest is None or not is_organiser(user):
        raise Http404
    return contest


def may_judge(user: AnyUser, task: Task, category: Category | None) -> bool:
    """May this user fill a sheet of this task for a participant of this category?"""
    if not user.is_authenticated:
        return False
    if is_organiser(user):
        return True
    return (
        JudgeAssignment.objects.filter(contest_id=task.contest_id, user=user)
        .filter(Q(task__isnull=True) | Q(task=task))
        .filter(Q(category__isnull=True) | Q(category=category))
        .exists()
    )


def is_judge(user: AnyUser, contest: Contest) -> bool:
    if not user.is_authenticated:
        return False
    return is_organiser(user) or JudgeAssignment.objects.filter(contest=contest, user=user).exists()


def participant_of(request: HttpRequest, contest: Contest) -> Participant | None:
    """The participant this request acts as: the user's own participation, or the one whose
    code was entered in this session."""
    user = request.user
    if user.is_authenticated:
        member = (
            Member.objects.filter(contest=contest, user=user)
            .select_related("participant__category")
            .first()
        )
        if member is not None:
            return member.participant
    entered = request.session.get(SESSION_CODES, {}).get(str(contest.pk))
    if entered:
        return (
            Participant.objects.filter(pk=entered, contest=contest, withdrawn_at__isnull=True)
            .select_related("category")
            .first()
        )
    return None


def remember_code(request: HttpRequest, participant: Participant) -> None:
    codes = dict(request.session.get(SESSION_CODES, {}))
    codes[str(participant.contest_id)] = participant.pk
    request.session[SESSION_CODES] = codes
