"""Registering for a contest: a pupil themselves, or a teacher their groups' pupils (children
have no e-mail: nothing is sent), alone or in teams; withdrawing. Each is one transaction:
nothing is half-saved, and a second click finds the first registration (Member is unique per
contest and person) and says so.

Names: Participant.name is the full name in list order, "Фамилия Имя" (lms.names), which is
what events.certificates.public_name turns into "Имя Ф." on public pages. An account with no
surname but a display name ("Имя Фамилия", lms.accounts) is turned round, so the public name
stays "Имя Ф." either way. A team's name is its members' names; the public sees its team name.

Withdrawing before the round starts (nobody has started, no run): the registration is undone,
so the pupil may register again; the participant, whoever registered them (their teacher) and
the organisers may. After the start only the organisers may, and the participant is kept, with
withdrawn_at set: the standings leave it out, its runs stay."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from contests import audience, codes, permissions
from contests.audience import Refused
from contests.models import Category, Contest, Member, Participant
from events import permissions as event_permissions
from lms import permissions as lms_permissions
from lms.models import StudyGroup, User
from lms.names import surname_first
from lms.text import clean_line

MAX_TEAM_NAME = 200
MAX_NAME = 300

Source = Participant.Source


def full_name_of(user: User) -> str:
    """ "Фамилия Имя" of an account (see the module's note)."""
    if user.last_name:
        return surname_first(user)
    words = clean_line(user.display_name).split()
    if len(words) > 1:
        return " ".join([words[-1], *words[:-1]])
    return surname_first(user)


def team_title(names: Sequence[str]) -> str:
    joined = ", ".join(names)
    return joined if len(joined) <= MAX_NAME else joined[: MAX_NAME - 1] + "…"


def _school_of(user: User, group: StudyGroup | None = None):
    return user.school or (group.school if group else None)


def invalidate_on_commit(contest_id: int) -> None:
    """A participant came, went or changed: the standings are stale."""
    from contests import standings  # the standings area's module (its own contract)

    transaction.on_commit(lambda: standings.invalidate(contest_id))


def participation_of(contest: Contest, user: User) -> Participant | None:
    member = (
        Member.objects.filter(contest=contest, user=user)
        .select_related("participant__category")
        .first()
    )
    return member.participant if member else None


# --- Oneself -----------------------------------------------------------------------------------


def register_self(
    contest: Contest,
    user: User,
    *,
    category: Category | int | str | None = None,
    class_number=None,
    team_name: str = "",
    now: datetime | None = None,
) -> tuple[Participant, bool]:
    """A pupil (or, in an open contest, anyone) registers. Returns (participant, created);
    registering twice returns the first participation. In a team contest one registering alone
    is a team of one (the team's name is optional)."""
    existing = participation_of(contest, user)
    if existing is not None:
        return existing, False
    reason = audience.self_refusal(contest, user, now)
    if reason:
        raise Refused(reason)
    class_number = audience.checked_class(class_number)
    chosen_id = category.pk if isinstance(category, Category) else category
    chosen = audience.choose_category(list(contest.categories.all()), class_number, chosen_id)
    team_name = clean_line(team_name) if contest.teams else ""
    if len(team_name) > MAX_TEAM_NAME:
        raise Refused(_("A team's name is at most %(n)d characters.") % {"n": MAX_TEAM_NAME})
    school = user.school
    try:
        with transaction.atomic():
            participant = Participant.objects.create(
                contest=contest,
                category=chosen,
                name=full_name_of(user)[:MAX_NAME],
                team_name=team_name,
                school=school,
                school_name=school.name if school else "",
                class_number=class_number,
                code=codes.fresh_codes(contest.pk, 1)[0],
                source=Source.SELF,
                registered_by=user,
            )
            Member.objects.create(contest=contest, participant=participant, user=user)
            invalidate_on_commit(contest.pk)
    except IntegrityError:  # the same person's second click, in a race
        existing = participation_of(contest, user)
        if existing is None:
            raise
        return existing, False
    return participant, True


# --- A teacher's pupils ------------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    """One chosen pupil: their class, a category (None: by the class) and, in a team contest,
    a team's name (pupils with the same one form a team; none: a team of one)."""

    pupil_id: int
    class_number: int | None = None
    category_id: int | None = None
    team: str = ""


@dataclass
class Outcome:
    created: list[Participant] = field(default_factory=list)
    already: list[str] = field(default_factory=list)  # names of pupils registered before
    pupils: int = 0  # pupils registered now (a team counts its members)


class BatchRefused(Refused):
    """Nothing was registered: `problems` says what is wrong with which pupil (by id)."""

    def __init__(self, message: str, problems: dict[int, str]):
        super().__init__(message)
        self.problems = problems


def register_pupils(
    contest: Contest,
    teacher: User,
    group: StudyGroup,
    entries: Sequence[Entry],
    *,
    now: datetime | None = None,
) -> Outcome:
    """A teacher registers chosen pupils of a group they manage (events.permissions decides
    which). All or nothing; pupils registered before are left as they are and named."""
    entries = list({entry.pupil_id: entry for entry in entries}.values())
    if not entries:
        raise Refused(_("Choose at least one pupil."))
    if len(entries) > codes.max_batch():
        raise Refused(
            _("At most %(n)d pupils can be registered at once.") % {"n": codes.max_batch()}
        )
    if not event_permissions.groups_to_register(teacher).filter(pk=group.pk).exists():
        raise Refused(_("You may register only pupils of the groups you teach."))
    reason = audience.teacher_refusal(contest, now) or audience.school_refusal(
        contest, group.school
    )
    if reason:
        raise Refused(reason)
    pupils = {
        pupil.pk: pupil
        for pupil in event_permissions.pupils_to_register(teacher, group).filter(
            pk__in=[entry.pupil_id for entry in entries]
        )
    }
    if len(pupils) != len(entries):
        raise Refused(_("Some of the chosen pupils are not in this group."))
    teams = _teams(contest, entries, pupils, list(contest.categories.all()))
    for attempt in range(2):
        try:
            with transaction.atomic():
                outcome = _save_teams(contest, teacher, group, teams, pupils)
                if outcome.created:
                    invalidate_on_commit(contest.pk)
                return outcome
        except IntegrityError:  # a second click in a race: the next pass finds them registered
            if attempt:
                raise
    raise AssertionError("unreachable")


@dataclass
class _Team:
    name: str
    category: Category | None
    entries: list[Entry]


def _teams(contest, entries, pupils, categories) -> list[_Team]:
    """Check every entry (class, category, team) and group them; BatchRefused names each
    pupil's problem."""
    problems: dict[int, str] = {}
    resolved: dict[int, Category | None] = {}
    for entry in entries:
        try:
            number = audience.checked_class(entry.class_number)
            resolved[entry.pupil_id] = audience.choose_category(
                categories, number, entry.category_id
            )
        except Refused as refused:
            problems[entry.pupil_id] = refused.message
    teams: dict[str, _Team] = {}
    for entry in entries:
        team = clean_line(entry.team) if contest.teams else ""
        if len(team) > MAX_TEAM_NAME:
            problems[entry.pupil_id] = _("A team's name is at most %(n)d characters.") % {
                "n": MAX_TEAM_NAME
            }
        key = team.casefold() if team else f"#{entry.pupil_id}"
        teams.setdefault(key, _Team(team, resolved.get(entry.pupil_id), [])).entries.append(entry)
    for team in teams.values():
        if len(team.entries) > contest.team_size:
            for entry in team.entries:
                problems.setdefault(
                    entry.pupil_id,
                    _("The team «%(team)s» has more than %(n)d members.")
                    % {"team": team.name, "n": contest.team_size},
                )
        kinds = {resolved.get(entry.pupil_id) for entry in team.entries}
        if len(kinds) > 1:
            for entry in team.entries:
                problems.setdefault(
                    entry.pupil_id,
                    _("The members of «%(team)s» are in different categories: choose one.")
                    % {"team": team.name},
                )
    if problems:
        names = [full_name_of(pupils[pk]) for pk in problems]
        raise BatchRefused(
            _("Nothing was registered. Check: %(names)s.") % {"names": ", ".join(names)},
            problems,
        )
    return list(teams.values())


def _save_teams(contest, teacher, group, teams, pupils) -> Outcome:
    outcome = Outcome()
    registered = set(
        Member.objects.filter(contest=contest, user_id__in=list(pupils)).values_list(
            "user_id", flat=True
        )
    )
    wanted = []
    for team in teams:
        members = [e for e in team.entries if e.pupil_id not in registered]
        outcome.already.extend(
            full_name_of(pupils[e.pupil_id]) for e in team.entries if e.pupil_id in registered
        )
        if members:
            wanted.append((team, members))
    if not wanted:
        return outcome
    fresh = codes.fresh_codes(contest.pk, len(wanted))
    rows = []
    for (team, members), code in zip(wanted, fresh, strict=True):
        people = [pupils[e.pupil_id] for e in members]
        classes = [e.class_number for e in members if e.class_number is not None]
        school = _school_of(people[0], group)
        rows.append(
            Participant(
                contest=contest,
                category=team.category,
                name=team_title([full_name_of(p) for p in people]),
                team_name=team.name,
                school=school,
                school_name=school.name if school else "",
                class_number=max(classes) if classes else None,
                code=code,
                source=Source.TEACHER,
                registered_by=teacher,
            )
        )
    created = Participant.objects.bulk_create(rows)
    Member.objects.bulk_create(
        Member(contest=contest, participant=participant, user_id=e.pupil_id)
        for participant, (_team, members) in zip(created, wanted, strict=True)
        for e in members
    )
    outcome.created = created
    outcome.pupils = sum(len(members) for _team, members in wanted)
    return outcome


# --- Withdrawing -------------------------------------------------------------------------------


def has_begun(contest: Contest, participant: Participant, now: datetime) -> bool:
    return now >= contest.starts_at or participant.started_at is not None


def _is_their_teacher(user: User, participant: Participant) -> bool:
    if participant.registered_by_id == user.pk:
        return True
    members = Member.objects.filter(participant=participant).values("user_id")
    return User.objects.filter(
        lms_permissions.pupils_visible_q(user, lms_permissions.MANAGE_GROUP),
        pk__in=members,
    ).exists()


def concerns(user: User, participant: Participant) -> bool:
    """May this user act on this participant at all: the organisers, a member, whoever
    registered them, their teacher (others get 404)."""
    if not user.is_authenticated:
        return False
    if permissions.is_organiser(user):
        return True
    if Member.objects.filter(participant=participant, user=user).exists():
        return True
    return lms_permissions.is_school_staff(user) and _is_their_teacher(user, participant)


def may_withdraw(user: User, participant: Participant, now: datetime | None = None) -> bool:
    """Before the round: the participant, whoever registered them, their teacher and the
    organisers; after its start: the organisers only."""
    now = now or timezone.now()
    if not user.is_authenticated:
        return False
    if permissions.is_organiser(user):
        return True
    if participant.withdrawn_at is not None or has_begun(participant.contest, participant, now):
        return False
    if Member.objects.filter(participant=participant, user=user).exists():
        return True
    return lms_permissions.is_school_staff(user) and _is_their_teacher(user, participant)


def _has_work(participant: Participant) -> bool:
    return (
        participant.runs.exists()
        or participant.sheets.exists()
        or participant.appeals.exists()
        or Participant.objects.filter(pk=participant.pk, award__isnull=False).exists()
    )


def withdraw(participant: Participant, by: User, *, now: datetime | None = None) -> str:
    """Withdraw a participant (may_withdraw said yes). Returns "removed" (undone before the
    round: they may register again), "left" (one member left a team before the round) or
    "withdrawn" (kept, left out of the standings). A second click is harmless."""
    now = now or timezone.now()
    if not may_withdraw(by, participant, now):
        raise Refused(_("The round has begun: only the organisers can withdraw a participant now."))
    with transaction.atomic():
        participant = Participant.objects.select_for_update().filter(pk=participant.pk).first()
        if participant is None:
            return "removed"
        invalidate_on_commit(participant.contest_id)
        if participant.withdrawn_at is not None:
            return "withdrawn"
        if has_begun(participant.contest, participant, now) or _has_work(participant):
            participant.withdrawn_at = now
            participant.save(update_fields=["withdrawn_at"])
            return "withdrawn"
        own = Member.objects.filter(participant=participant, user=by)
        others = Member.objects.filter(participant=participant).exclude(user=by)
        if own.exists() and others.exists():  # one member leaves a team
            own.delete()
            participant.name = team_title(
                [full_name_of(m.user) for m in others.select_related("user")]
            )
            participant.save(update_fields=["name"])
            return "left"
        participant.delete()
        return "removed"


def my_pupils_registered(contest: Contest, teacher: User, pupil_ids) -> dict[int, Participant]:
    """For the teacher's page: which of these pupils take part already (pupil id → participant)."""
    rows = Member.objects.filter(contest=contest, user_id__in=list(pupil_ids)).select_related(
        "participant__category"
    )
    return {member.user_id: member.participant for member in rows}
