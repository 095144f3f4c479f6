"""Accounts for children without e-mail: logins made from names, generated passwords, login
cards. Passwords are stored only as hashes; a password in clear exists once, on the card
page that follows its creation or reset (see lms.login_cards)."""

from __future__ import annotations

from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import transaction

from lms import roles
from lms.credentials import generate_password, login_base, login_candidates
from lms.logins import login_key
from lms.models import Membership, PasswordReset, School, StudyGroup, User

# Hashing is slow on purpose (~0.2 s each); hashlib releases the GIL, so a group's cards are
# hashed on every core at once.
HASH_WORKERS = 4


@dataclass(frozen=True)
class Credential:
    """What one login card shows."""

    user_id: int
    name: str
    username: str
    password: str
    group: str
    school: str

    def as_dict(self) -> dict:
        return asdict(self)


def display_name_for(last_name: str, first_name: str) -> str:
    return f"{first_name} {last_name}".strip()


def free_logins(bases: Iterable[str], reserved: Iterable[str] = ()) -> list[str]:
    """One unused login per base (base, base2, base3…), distinct from each other too and from
    `reserved` (logins about to be created alongside). A constant number of queries per round;
    a second round only for the rare base whose nine candidates are all taken."""
    bases = list(bases)
    chosen: list[str | None] = [None] * len(bases)
    taken: set[str] = {login_key(login) for login in reserved}
    width = 9
    while None in chosen:
        pending = [i for i, login in enumerate(chosen) if login is None]
        candidates = {c for i in pending for c in login_candidates(bases[i], width)}
        # By login key: "Ivanov" and "ivanov" would confuse children at the login form.
        taken |= set(
            User.objects.filter(login_key__in=candidates).values_list("login_key", flat=True)
        )
        for i in pending:
            for candidate in login_candidates(bases[i], width):
                if candidate not in taken:
                    chosen[i] = candidate
                    taken.add(candidate)
                    break
        width *= 10  # wider search for the names that found nothing
    return [login for login in chosen if login is not None]


def hash_passwords(passwords: list[str]) -> list[str]:
    if len(passwords) <= 1:
        return [make_password(p) for p in passwords]
    with ThreadPoolExecutor(max_workers=HASH_WORKERS) as pool:
        return list(pool.map(make_password, passwords))


def _pupil_role() -> Group:
    return Group.objects.get_or_create(name=roles.PUPIL)[0]


@transaction.atomic
def create_pupil(
    group: StudyGroup, last_name: str, first_name: str, login: str = ""
) -> tuple[User, Credential]:
    """A new pupil account in the group's school, a member of the group, with a fresh
    password. The caller has checked that `login` is free (or left it empty)."""
    username = login or free_logins([login_base(last_name, first_name)])[0]
    password = generate_password()
    user = User.objects.create(
        username=username,
        first_name=first_name,
        last_name=last_name,
        display_name=display_name_for(last_name, first_name),
        school=group.school,
        password=make_password(password),
    )
    user.groups.add(_pupil_role())
    Membership.objects.create(user=user, group=group, role=Membership.Role.PUPIL)
    return user, credential(user, password, group)


def credential(user: User, password: str, group: StudyGroup | None) -> Credential:
    return Credential(
        user_id=user.pk,
        name=user.get_display_name(),
        username=user.username,
        password=password,
        group=str(group.name) if group else "",
        school=str(group.school.name) if group else "",
    )


@transaction.atomic
def issue_passwords(users: list[User], group: StudyGroup | None, *, by: User) -> list[Credential]:
    """New passwords for these accounts (the old ones stop working), for printing on cards.
    The caller has asked lms.permissions.password_reset_refusals; every reset is logged."""
    passwords = [generate_password() for _ in users]
    for user, hashed in zip(users, hash_passwords(passwords), strict=True):
        user.password = hashed
    User.objects.bulk_update(users, ["password"])
    PasswordReset.objects.bulk_create(
        [PasswordReset(user=u, school_id=u.school_id, reset_by=by, group=group) for u in users]
    )
    return [credential(u, p, group) for u, p in zip(users, passwords, strict=True)]


@transaction.atomic
def create_teacher(
    school: School, last_name: str, first_name: str, login: str = "", email: str = ""
) -> tuple[User, Credential]:
    username = login or free_logins([login_base(last_name, first_name)])[0]
    password = generate_password()
    user = User.objects.create(
        username=username,
        first_name=first_name,
        last_name=last_name,
        email=email,
        display_name=display_name_for(last_name, first_name),
        school=school,
        password=make_password(password),
    )
    user.groups.add(Group.objects.get_or_create(name=roles.TEACHER)[0])
    return user, Credential(user.pk, user.get_display_name(), username, password, "", school.name)


def add_to_group(user: User, group: StudyGroup, role: str) -> tuple[Membership, bool]:
    """Idempotent: an existing membership keeps its role (a teacher is not made a pupil)."""
    return Membership.objects.get_or_create(user=user, group=group, defaults={"role": role})


def remove_from_group(user: User, group: StudyGroup, role: str) -> bool:
    """The account stays (with its progress and work); only the membership goes."""
    deleted, _ = Membership.objects.filter(user=user, group=group, role=role).delete()
    return bool(deleted)


def set_group_teachers(group: StudyGroup, teachers: Iterable[User]) -> None:
    """The group's teachers become exactly these: new ones added, the others' memberships
    deleted (a queryset delete still sends post_delete for each row, so the signal revokes each
    removed teacher's object rights)."""
    chosen = {user.pk: user for user in teachers}
    with transaction.atomic():
        current = set(
            Membership.objects.filter(group=group, role=Membership.Role.TEACHER).values_list(
                "user_id", flat=True
            )
        )
        for pk, user in chosen.items():
            if pk not in current:
                add_to_group(user, group, Membership.Role.TEACHER)
        Membership.objects.filter(group=group, role=Membership.Role.TEACHER).exclude(
            user_id__in=chosen
        ).delete()


def remember_language(user: User, language: str) -> None:
    """The user's interface language, kept on the account so every device uses it."""
    if user.preferred_language != language:
        user.preferred_language = language
        user.save(update_fields=["preferred_language"])
