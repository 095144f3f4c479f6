"""Demo schools, groups and accounts. Every account's password is DEMO_PASSWORD."""

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group

from lms import roles
from lms.models import Membership, School, StudyGroup, User

DEMO_PASSWORD = "demo12345"  # noqa: S105 - demo accounts only; production refuses load_demo
ACADEMIC_YEAR = "2026/2027"

HOST = {"name": "Детский технопарк «Кванториум»", "city": "Самара", "kind": School.Kind.HOST}
VISITING = {"name": "Школа № 12 г. Тольятти", "city": "Тольятти", "kind": School.Kind.VISITING}

STAFF = [
    # username, display name, role group, school key, superuser
    ("admin", "Администратор платформы", None, None, True),
    ("methodist", "Елена Викторовна Смирнова", roles.METHODOLOGIST, "host", False),
    ("teacher1", "Андрей Петрович Волков", roles.TEACHER, "host", False),
    ("teacher2", "Мария Сергеевна Орлова", roles.TEACHER, "host", False),
    ("guest_teacher", "Ольга Николаевна Белова", roles.TEACHER, "visiting", False),
    ("host_admin", "Наталья Игоревна Кравец", roles.SCHOOL_ADMIN, "host", False),
    ("guest_admin", "Сергей Павлович Тихонов", roles.SCHOOL_ADMIN, "visiting", False),
]

PUPIL_NAMES = [
    "Артём Кузнецов", "Софья Иванова", "Максим Соколов", "Алиса Попова", "Лев Морозов",
    "Ева Новикова", "Матвей Фёдоров", "Варвара Лебедева", "Тимофей Егоров",
    "Милана Павлова", "Даниил Козлов", "Полина Степанова",
]  # fmt: skip

# group name, school key, teacher, pupils (1-based numbers)
GROUPS = [
    ("Робототехника — 1", "host", "teacher1", range(1, 6)),
    ("Программирование — 2", "host", "teacher2", range(6, 10)),
    ("Гости: 7 «Б»", "visiting", "guest_teacher", range(10, 13)),
]


def ensure_people() -> dict:
    """Create (or find) schools, groups and users; returns them by key. Idempotent."""
    schools = {
        "host": School.objects.get_or_create(name=HOST["name"], defaults=HOST)[0],
        "visiting": School.objects.get_or_create(name=VISITING["name"], defaults=VISITING)[0],
    }
    password_hash = make_password(DEMO_PASSWORD)  # one hash for all: hashing is slow by design
    role_groups = {name: Group.objects.get_or_create(name=name)[0] for name in roles.ALL_ROLES}

    users: dict[str, User] = {}

    def account(username: str, display: str, **extra) -> User:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={"display_name": display, "password": password_hash, **extra},
        )
        users[username] = user
        return user

    for username, display, role, school_key, superuser in STAFF:
        school = schools[school_key] if school_key else None
        user = account(username, display, is_superuser=superuser, is_staff=superuser, school=school)
        if role:
            user.groups.add(role_groups[role])
    school_of_pupil = {
        number: schools[school_key]
        for _name, school_key, _teacher, numbers in GROUPS
        for number in numbers
    }
    for number, display in enumerate(PUPIL_NAMES, start=1):
        pupil = account(f"pupil{number}", display, school=school_of_pupil[number])
        pupil.groups.add(role_groups[roles.PUPIL])

    groups = {}
    for name, school_key, teacher, pupil_numbers in GROUPS:
        group, _ = StudyGroup.objects.get_or_create(
            school=schools[school_key], name=name, academic_year=ACADEMIC_YEAR
        )
        groups[name] = group
        Membership.objects.get_or_create(
            user=users[teacher], group=group, defaults={"role": Membership.Role.TEACHER}
        )
        for number in pupil_numbers:
            Membership.objects.get_or_create(
                user=users[f"pupil{number}"], group=group, defaults={"role": Membership.Role.PUPIL}
            )
    return {"schools": schools, "groups": groups, "users": users}
