"""The region's people: schools (a few host parks, the rest partner schools), their staff,
study groups of about fifty pupils, the pupils' accounts, and who is in which group.

The rows are those the app writes: accounts as `User.prepare_for_save` leaves them (login key,
cleaned names, "Имя Фамилия" as the display name, as lms.accounts makes it), role groups,
memberships, and for every teacher's membership the guardian rows lms.group_permissions derives
from it (view, manage and grade the group). Children have no e-mail; teachers have one on a
domain that never receives mail. Every account shares one password hash, computed once."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.contrib.auth.models import Group, Permission

from courses.models import Enrolment
from demo.benchmark_data import names
from demo.benchmark_data.writer import Ids, Writer
from lms import roles
from lms.logins import login_key
from lms.models import Membership, School, StudyGroup, StudyGroupUserObjectPermission, User
from lms.permissions import TEACHER_GROUP_PERMISSIONS

USER_COLUMNS = (
    "id", "password", "last_login", "is_superuser", "username", "first_name", "last_name",
    "email", "is_staff", "is_active", "date_joined", "login_key", "display_name",
    "preferred_language", "school_id",
)  # fmt: skip
ROLE_GROUP_COLUMNS = ("user_id", "group_id")
MEMBERSHIP_COLUMNS = ("user_id", "group_id", "role", "joined_at")
PERMISSION_COLUMNS = ("user_id", "permission_id", "content_object_id")
HOST_SHARE = 20  # one school in twenty is a technopark; the others are partner schools
TEACHER_GROUPS = 3  # groups per teacher, about


@dataclass
class GroupPlan:
    id: int
    school_id: int
    number: int  # 0-based, over the whole region
    size: int
    teachers: list[int]
    is_host: bool
    enrolments: list[tuple[int, int | None]] = field(default_factory=list)  # (course, module)


@dataclass
class Region:
    schools: list[int]
    groups: list[GroupPlan]
    teachers: list[int]
    admins: list[int]
    academic_year: str


def academic_year(now: datetime) -> str:
    start = now.year if now.month >= 9 else now.year - 1
    return f"{start}/{start + 1}"


def role_ids() -> dict[str, int]:
    return {g.name: g.pk for g in Group.objects.filter(name__in=roles.ALL_ROLES)}


def group_permission_ids() -> list[int]:
    return list(
        Permission.objects.filter(
            content_type__app_label="lms",
            content_type__model="studygroup",
            codename__in=TEACHER_GROUP_PERMISSIONS,
        ).values_list("pk", flat=True)
    )


def user_row(
    user_id: int,
    username: str,
    surname: str,
    first: str,
    *,
    password: str,
    school_id: int,
    joined: datetime,
    email: str = "",
    last_login: datetime | None = None,
) -> tuple:
    # What User.prepare_for_save writes; the names are plain (no invisible characters) already.
    username = username.lower()
    return (
        user_id, password, last_login, False, username, first, surname, email, False, True,
        joined, login_key(username), f"{first} {surname}", "", school_id,
    )  # fmt: skip


def _sizes(total: int, parts: int, rng: random.Random) -> list[int]:
    """`parts` group sizes around total/parts (±20%) that add up to `total` exactly."""
    if parts <= 0:
        return []
    mean = total / parts
    sizes = [max(1, round(mean * rng.uniform(0.8, 1.2))) for _ in range(parts)]
    diff = total - sum(sizes)
    index = 0
    while diff:
        step = 1 if diff > 0 else -1
        if sizes[index % parts] + step >= 1:
            sizes[index % parts] += step
            diff -= step
        index += 1
    return sizes


def _group_name(plan: GroupPlan, within_school: int, rng: random.Random) -> str:
    if plan.is_host:
        track = ("Робототехника", "Программирование", "Юный исследователь")[within_school % 3]
        return f"{track} — {within_school + 1}"
    grade, letter = 5 + (within_school // 4) % 7, "АБВГ"[within_school % 4]
    suffix = f" ({within_school // 28 + 1})" if within_school >= 28 else ""
    return f"{grade} «{letter}»{suffix}"


def write_region(
    writer: Writer,
    *,
    schools: int,
    groups: int,
    pupils: int,
    courses: list,
    password: str,
    now: datetime,
    rng: random.Random,
) -> Region:
    """Schools, staff, groups, the staff's memberships and permissions, enrolments. Pupils come
    later, chunk by chunk (`write_pupils`)."""
    year = academic_year(now)
    start = now - timedelta(days=130)
    role = role_ids()
    permission_ids = group_permission_ids()
    school_ids, host = [], []
    school_model_ids = Ids(School, schools)
    writer.table(School, ("id", "name", "city", "time_zone", "kind"))
    for number in range(schools):
        is_host = number < max(1, schools // HOST_SHARE)
        town = names.TOWNS[number % len(names.TOWNS)]
        school_id = school_model_ids.take()
        kind = School.Kind.HOST if is_host else School.Kind.VISITING
        name = names.school_name(number + 1, is_host, town)
        writer.add(School, (school_id, name, town, "Europe/Samara", kind))
        school_ids.append(school_id)
        host.append(is_host)
    # Groups over schools: a park runs three times as many as a partner school.
    weights = [3 if h else 1 for h in host]
    owners = list(range(schools)) if groups >= schools else []
    owners += rng.choices(range(schools), weights=weights, k=groups - len(owners))
    owners.sort()
    sizes = _sizes(pupils, groups, rng)
    users = Ids(User, 1000)
    group_ids = Ids(StudyGroup, max(groups, 1))
    writer.table(User, USER_COLUMNS)
    writer.table(User.groups.through, ROLE_GROUP_COLUMNS)
    writer.table(StudyGroup, ("id", "school_id", "name", "academic_year", "is_archived"))
    writer.table(Membership, MEMBERSHIP_COLUMNS)
    writer.table(StudyGroupUserObjectPermission, PERMISSION_COLUMNS)
    writer.table(
        Enrolment,
        ("group_id", "course_id", "module_id", "is_active", "created_at", "created_by_id"),
    )
    plans, teachers, admins = [], [], []
    for school_index, school_id in enumerate(school_ids):
        own = [g for g, owner in enumerate(owners) if owner == school_index]
        count = max(1, -(-len(own) // TEACHER_GROUPS))
        staff = []
        for t in range(count + 1):  # the last one is the school's admin
            surname, first = names.adult(rng)
            user_id = users.take()
            is_admin = t == count
            login = f"{names.LOGIN_PREFIX}{'a' if is_admin else 't'}{user_id}"
            writer.add(
                User,
                user_row(
                    user_id,
                    login,
                    surname,
                    first,
                    password=password,
                    school_id=school_id,
                    joined=start,
                    email=f"{login}@school.example.invalid",
                    last_login=now,
                ),  # fmt: skip
            )
            writer.add(
                User.groups.through,
                (user_id, role[roles.SCHOOL_ADMIN if is_admin else roles.TEACHER]),
            )
            (admins if is_admin else staff).append(user_id)
        teachers += staff
        for within, number in enumerate(own):
            group_id = group_ids.take()
            lead = staff[within % len(staff)]
            team = [lead]
            if len(staff) > 1 and rng.random() < 0.1:  # a second teacher (a co-teacher)
                team.append(staff[(within + 1) % len(staff)])
            plan = GroupPlan(group_id, school_id, number, sizes[number], team, host[school_index])
            writer.add(
                StudyGroup, (group_id, school_id, _group_name(plan, within, rng), year, False)
            )
            for teacher in team:
                writer.add(Membership, (teacher, group_id, Membership.Role.TEACHER, start))
                for permission_id in permission_ids:
                    writer.add(StudyGroupUserObjectPermission, (teacher, permission_id, group_id))
            plan.enrolments = _enrolments(plan, courses, rng)
            for course_id, module_id in plan.enrolments:
                writer.add(Enrolment, (group_id, course_id, module_id, True, start, lead))
            plans.append(plan)
    plans.sort(key=lambda p: p.number)
    return Region(school_ids, plans, teachers, admins, year)


def _enrolments(plan: GroupPlan, courses: list, rng: random.Random) -> list[tuple[int, int | None]]:
    """Two of the courses; a partner school's group now and then takes one module of the second
    instead (the courses are shared with every partner school)."""
    first = courses[plan.number % len(courses)]
    chosen = [(first.id, None)]
    if len(courses) > 1:
        second = courses[(plan.number + 1) % len(courses)]
        if not plan.is_host and rng.random() < 0.15:
            chosen.append((second.id, rng.choice(second.modules)))
        else:
            chosen.append((second.id, None))
    return chosen


def write_pupils(
    writer: Writer,
    plan: GroupPlan,
    *,
    ids: Ids,
    password: str,
    pupil_role: int,
    start: datetime,
    now: datetime,
    rng: random.Random,
) -> list[tuple[int, str]]:
    """The group's pupils: accounts, role, membership. Returns their (id, name)."""
    made = []
    for _ in range(plan.size):
        surname, first = names.pupil(rng)
        user_id = ids.take()
        joined = start + timedelta(days=rng.uniform(0, 20))
        last_login = now - timedelta(days=rng.expovariate(1 / 6)) if rng.random() < 0.9 else None
        if last_login is not None and last_login < joined:
            last_login = joined
        login = f"{names.LOGIN_PREFIX}p{user_id}"
        writer.add(
            User,
            user_row(
                user_id,
                login,
                surname,
                first,
                password=password,
                school_id=plan.school_id,
                joined=joined,
                last_login=last_login,
            ),  # fmt: skip
        )
        writer.add(User.groups.through, (user_id, pupil_role))
        writer.add(Membership, (user_id, plan.id, Membership.Role.PUPIL, joined))
        made.append((user_id, f"{surname} {first}"))
    return made
