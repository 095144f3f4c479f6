"""Roster import and export for one group.

Import is all or nothing: the whole file is checked first; any bad row refuses the file with a
report of every bad row (line, column, reason). Matching makes re-importing the same file change
nothing: a row with a login matches that account; a row without one matches a pupil of the group
with the same name.

A login that names an existing pupil adds that pupil to the group only if the importing user
already manages them (a pupil of another of their groups; for a school admin, any pupil of the
school): an import must never hand a teacher a child of someone else's group, whose password
they could then reset. Other existing logins are refused row by row, with one wording whatever
school or role the account has, so an import cannot be used to find out who exists elsewhere.

New accounts get no usable password until their login cards are printed (hashing thousands of
passwords would take minutes, and nobody could read them anyway)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lms import permissions, roles
from lms.access_cache import access_changed
from lms.accounts import display_name_for, free_logins
from lms.credentials import login_base
from lms.logins import login_key, login_problem, normalise_login
from lms.models import Membership, StudyGroup, User
from lms.roster_files import RawRow, read_roster, write_csv, write_xlsx
from lms.text import clean_line

COLUMN_LABELS = {
    "last_name": gettext_lazy("Last name"),
    "first_name": gettext_lazy("First name"),
    "login": gettext_lazy("Login"),
    "email": gettext_lazy("E-mail"),
}
NAME_MAX = 150
# Said of every login that cannot be used, whoever holds it (another school, staff, a look-alike).
LOGIN_UNAVAILABLE = gettext_lazy(
    "This login cannot be used. Leave it empty to make one from the name, or choose another."
)
NOT_YOUR_PUPIL = gettext_lazy(
    "This pupil is in a group you do not teach. Your school admin can add them to this group, "
    "or give the pupil the group's invite."
)


@dataclass(frozen=True)
class RowError:
    line: int
    column: str
    message: str


@dataclass
class NewPupil:
    line: int
    last_name: str
    first_name: str
    login: str  # empty: generate one
    email: str


@dataclass
class ImportPlan:
    create: list[NewPupil] = field(default_factory=list)
    add: list[User] = field(default_factory=list)  # accounts of this school, not yet in the group
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class ImportResult:
    created: list[User]
    added: list[User]
    unchanged: int


def restore_cell(value: str) -> str:
    """Undo export's formula guard (a leading quote before = + - @), so that a file exported
    here and imported back matches the same pupils."""
    if len(value) > 1 and value[0] == "'" and value[1] in "=+-@\t\r＝＋－＠":
        return value[1:]
    return value


def name_problem(value: str) -> str | None:
    """Why a (cleaned, see lms.text.clean_line) name cannot be used, or None."""
    if not value:
        return _("Empty: every pupil needs a first and a last name.")
    if len(value) > NAME_MAX:
        return _("Longer than %(max)d characters.") % {"max": NAME_MAX}
    if not any(ch.isalpha() for ch in value):
        return _("A name needs at least one letter.")
    return None


def _name_key(last: str, first: str) -> tuple[str, str]:
    return (last.casefold().replace("ё", "е"), first.casefold().replace("ё", "е"))


def plan_import(group: StudyGroup, rows: list[RawRow], by: User) -> ImportPlan:
    """Check every row and decide what to do; changes nothing. A fixed number of queries.
    `by` is the importing teacher or admin: existing pupils join only if they manage them."""
    plan = ImportPlan()
    label = {key: str(text) for key, text in COLUMN_LABELS.items()}
    logins_in_file: dict[str, int] = {}
    names_in_file: dict[tuple[str, str], int] = {}
    checked: list[tuple[RawRow, str, str, str, str]] = []
    deferred_name_problems: dict[int, list[RowError]] = {}

    for row in rows:
        last = clean_line(restore_cell(row.cells.get("last_name", "").strip()))
        first = clean_line(restore_cell(row.cells.get("first_name", "").strip()))
        login = normalise_login(clean_line(row.cells.get("login", "")))
        email = row.cells.get("email", "").strip()
        problems = []
        # Names are needed for a new account; a row whose login matches an existing pupil may
        # leave them out (an export of accounts made without names imports back unchanged).
        name_problems = [
            RowError(row.line, label[key], problem)
            for key, value in (("last_name", last), ("first_name", first))
            if (problem := name_problem(value))
        ]
        if not login:
            problems.extend(name_problems)
            name_problems = []
        if login:
            if problem := login_problem(login):
                problems.append(RowError(row.line, label["login"], problem))
            else:
                earlier = logins_in_file.setdefault(login_key(login), row.line)
                if earlier != row.line:
                    problems.append(
                        RowError(
                            row.line,
                            label["login"],
                            _("Same login as line %(line)d.") % {"line": earlier},
                        )
                    )
        elif not problems:
            earlier = names_in_file.setdefault(_name_key(last, first), row.line)
            if earlier != row.line:
                problems.append(
                    RowError(
                        row.line,
                        label["last_name"],
                        _("Same name as line %(line)d: add a login column to tell them apart.")
                        % {"line": earlier},
                    )
                )
        if email:
            try:
                validate_email(email)
            except ValidationError:
                problems.append(RowError(row.line, label["email"], _("Not an e-mail address.")))
        plan.errors.extend(problems)
        if not problems:
            checked.append((row, last, first, login, email))
            if name_problems:
                deferred_name_problems[row.line] = name_problems

    given_keys = {login_key(login) for _row, _l, _f, login, _e in checked if login}
    # By login key: "Ivanov", "ivanov" and look-alikes are one login (lms.logins).
    existing = (
        {
            user.login_key: user
            for user in User.objects.filter(login_key__in=given_keys).prefetch_related("groups")
        }
        if given_keys
        else {}
    )
    # The existing pupils the importing user already manages (one query).
    reachable = set(
        User.objects.filter(
            permissions.pupils_visible_q(by, permissions.MANAGE_GROUP),
            pk__in=[user.pk for user in existing.values()],
        ).values_list("pk", flat=True)
    )
    members = {
        m.user_id: m.role for m in Membership.objects.filter(group=group).only("user_id", "role")
    }
    group_pupils = {_name_key(u.last_name, u.first_name): u for u in User.objects.pupils_of(group)}
    for row, last, first, login, email in checked:
        if login:
            user = existing.get(login_key(login))
            if user is None:
                if row.line in deferred_name_problems:
                    plan.errors.extend(deferred_name_problems[row.line])
                else:
                    plan.create.append(NewPupil(row.line, last, first, login, email))
                continue
            role_names = {g.name for g in user.groups.all()}
            only_pupil = role_names == {roles.PUPIL} and not (user.is_staff or user.is_superuser)
            if (
                user.school_id != group.school_id
                or not only_pupil
                or members.get(user.pk) == Membership.Role.TEACHER
            ):
                plan.errors.append(RowError(row.line, label["login"], str(LOGIN_UNAVAILABLE)))
            elif user.pk in members:
                plan.unchanged += 1
            elif user.pk in reachable:
                plan.add.append(user)
            else:
                plan.errors.append(RowError(row.line, label["login"], str(NOT_YOUR_PUPIL)))
        elif _name_key(last, first) in group_pupils:
            plan.unchanged += 1
        else:
            plan.create.append(NewPupil(row.line, last, first, "", email))
    plan.errors.sort(key=lambda e: (e.line, e.column))
    return plan


@transaction.atomic
def apply_import(group: StudyGroup, plan: ImportPlan) -> ImportResult:
    if not plan.ok:
        raise ValueError("a plan with errors cannot be applied")
    generated = iter(
        free_logins(
            (login_base(p.last_name, p.first_name) for p in plan.create if not p.login),
            reserved=[p.login for p in plan.create if p.login],
        )
    )
    new_users = [
        User(
            username=p.login or next(generated),
            first_name=p.first_name,
            last_name=p.last_name,
            email=p.email,
            display_name=display_name_for(p.last_name, p.first_name),
            school=group.school,
            # Unusable until the cards are printed: "!" marks it so for Django.
            password="!" + secrets.token_urlsafe(30),
        )
        for p in plan.create
    ]
    created = User.objects.bulk_create(new_users, batch_size=500)
    if not all(u.pk for u in created):  # backends without RETURNING: read the ids back
        by_name = dict(
            User.objects.filter(username__in=[u.username for u in created]).values_list(
                "username", "pk"
            )
        )
        for user in created:
            user.pk = by_name[user.username]
    pupil_role = Group.objects.get_or_create(name=roles.PUPIL)[0]
    User.groups.through.objects.bulk_create(
        [User.groups.through(user_id=u.pk, group_id=pupil_role.pk) for u in created],
        batch_size=500,
        ignore_conflicts=True,
    )
    Membership.objects.bulk_create(
        [
            Membership(user_id=u.pk, group=group, role=Membership.Role.PUPIL)
            for u in [*created, *plan.add]
        ],
        batch_size=500,
        ignore_conflicts=True,
    )
    access_changed()  # bulk_create sends no signal: the new pupils' roles and group
    return ImportResult(created=created, added=plan.add, unchanged=plan.unchanged)


def read_and_plan(group: StudyGroup, data: bytes, filename: str, by: User) -> ImportPlan:
    """Raises lms.roster_files.RosterFileError for a file that is not a readable table."""
    rows = read_roster(
        data,
        filename,
        max_bytes=settings.LMS_ROSTER_MAX_BYTES,
        max_rows=settings.LMS_ROSTER_MAX_ROWS,
    )
    return plan_import(group, rows, by)


def export_rows(group: StudyGroup) -> tuple[list[str], list[list[str]]]:
    """The group's pupils in the import format, so an export can be edited and imported back."""
    header = [str(COLUMN_LABELS[key]) for key in ("last_name", "first_name", "login", "email")]
    pupils = User.objects.pupils_of(group).order_by("last_name", "first_name", "username")
    return header, [[u.last_name, u.first_name, u.username, u.email] for u in pupils]


def export_csv(group: StudyGroup) -> bytes:
    return write_csv(*export_rows(group))


def export_xlsx(group: StudyGroup) -> bytes:
    header, rows = export_rows(group)
    return write_xlsx(header, rows, sheet_title=group.name)
