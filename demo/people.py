"""Demo schools, groups and accounts from people.toml; every account has the file's password."""

from __future__ import annotations

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group

from demo.manifests import pupil_usernames
from lms import roles
from lms.models import Membership, School, StudyGroup, User


def split_name(name: str) -> tuple[str, str]:
    """(first name, surname) of "Имя Фамилия" or "Имя Отчество Фамилия": the surname is the
    last word, the first name the words before it (with the patronymic, so a list reads
    "Смирнова Елена Викторовна"); a single word is a first name."""
    *first, last = name.split() or [""]
    if not first:
        return last, ""
    return " ".join(first), last


def ensure_people(data: dict) -> dict:
    """Create (or find) schools, groups and users; returns them by key. Idempotent: an
    existing account gets the first name and surname its name in people.toml splits into
    (lists sort and show people by surname, lms.names); its display name and password stay."""
    schools = {
        key: School.objects.get_or_create(
            name=spec["name"],
            defaults={"name": spec["name"], "city": spec.get("city", ""), "kind": spec["kind"]},
        )[0]
        for key, spec in data["schools"].items()
    }
    password_hash = make_password(data["password"])  # one hash for all: hashing is slow by design
    role_groups = {name: Group.objects.get_or_create(name=name)[0] for name in roles.ALL_ROLES}

    users: dict[str, User] = {}

    def account(username: str, display: str, person: bool = True, **extra) -> User:
        first, last = split_name(display) if person else ("", "")
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "display_name": display,
                "first_name": first,
                "last_name": last,
                "password": password_hash,
                **extra,
            },
        )
        if not created and (user.first_name, user.last_name) != (first, last):
            user.first_name, user.last_name = first, last
            user.save(update_fields=["first_name", "last_name"])
        users[username] = user
        return user

    for row in data["staff"]:
        school = schools[row["school"]] if row.get("school") else None
        superuser = row.get("superuser", False)
        user = account(
            row["username"],
            row["name"],
            person=row.get("person", True),
            is_superuser=superuser,
            is_staff=superuser,
            school=school,
        )
        if row.get("role"):
            user.groups.add(role_groups[row["role"]])
    school_of_pupil = {
        number: schools[group["school"]] for group in data["groups"] for number in group["pupils"]
    }
    for number, (username, display) in enumerate(
        zip(pupil_usernames(data), data["pupils"], strict=True), start=1
    ):
        pupil = account(username, display, school=school_of_pupil[number])
        pupil.groups.add(role_groups[roles.PUPIL])

    groups = {}
    for row in data["groups"]:
        group, _ = StudyGroup.objects.get_or_create(
            school=schools[row["school"]], name=row["name"], academic_year=data["academic_year"]
        )
        groups[row["name"]] = group
        Membership.objects.get_or_create(
            user=users[row["teacher"]], group=group, defaults={"role": Membership.Role.TEACHER}
        )
        for number in row["pupils"]:
            Membership.objects.get_or_create(
                user=users[f"pupil{number}"], group=group, defaults={"role": Membership.Role.PUPIL}
            )
    return {"schools": schools, "groups": groups, "users": users}


def logins(data: dict) -> list[tuple[str, str]]:
    """(username, name) of every account, staff first, as load_demo prints them."""
    staff = [(row["username"], row["name"]) for row in data["staff"]]
    return staff + list(zip(pupil_usernames(data), data["pupils"], strict=True))
