"""One scenario builder every test reuses (as Kolibri's test helpers do): a site with a catalogue,
courses of modules and lessons, schools, groups, pupils and teachers. Call it twice with other
names to get a second, independent school."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth.models import Group
from wagtail.models import Page

from cms.models import HomePage
from courses import services
from courses.models import CataloguePage, CoursePage, LessonPage, ModulePage
from lms import roles
from lms.models import Membership, School, StudyGroup, User

LESSON_BODY = [
    (
        "markdown",
        "## Что делаем\n\nСобираем **робота** и пишем программу.\n\n"
        "| a | b |\n|---|---|\n| 1 | 2 |",
    ),
    ("code", {"language": "python", "code": "for i in range(3):\n    print(i)", "caption": ""}),
    ("callout", {"kind": "safety", "title": "", "text": "Паяльник горячий!"}),
    ("formula", {"latex": "U = I \\cdot R", "display": True, "caption": ""}),
]


def home_page() -> HomePage:
    return HomePage.objects.get(depth=2)


def catalogue_page() -> CataloguePage:
    catalogue = CataloguePage.objects.first()
    if catalogue is None:
        catalogue = CataloguePage(title="Курсы", slug="courses")
        home_page().add_child(instance=catalogue)
        catalogue.save_revision().publish()
    return catalogue


def publish_child(parent: Page, page: Page) -> Page:
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


@dataclass
class CourseTree:
    course: CoursePage
    modules: list[ModulePage]
    lessons: list[LessonPage]  # in outline order

    def lessons_of(self, module: ModulePage) -> list[LessonPage]:
        return [lesson for lesson in self.lessons if lesson.path.startswith(module.path)]


def build_course(
    slug: str = "robots", modules: int = 2, lessons: int = 2, track: str = "robotics"
) -> CourseTree:
    course = publish_child(
        catalogue_page(),
        CoursePage(title=f"Курс {slug}", slug=slug, track=track, summary="Курс для проверки."),
    )
    module_pages, lesson_pages = [], []
    for m in range(modules):
        module = publish_child(course, ModulePage(title=f"Модуль {m + 1}", slug=f"m{m + 1}"))
        module_pages.append(module)
        for n in range(lessons):
            lesson = LessonPage(
                title=f"Урок {m + 1}.{n + 1}",
                slug=f"l{n + 1}",
                body=[{"type": t, "value": v} for t, v in LESSON_BODY],
            )
            lesson_pages.append(publish_child(module, lesson))
    return CourseTree(course=course, modules=module_pages, lessons=lesson_pages)


def make_user(username: str, *role_names: str, **extra) -> User:
    user = User.objects.create_user(username=username, password="pw-12345", **extra)
    for name in role_names:
        user.groups.add(Group.objects.get(name=name))
    return user


@dataclass
class SchoolScenario:
    school: School
    group_a: StudyGroup
    group_b: StudyGroup
    teacher_a: User
    teacher_b: User
    pupils_a: list[User] = field(default_factory=list)
    pupils_b: list[User] = field(default_factory=list)
    admin: User | None = None  # the school admin


def build_school(
    prefix: str = "a", pupils: int = 2, kind: str = School.Kind.HOST
) -> SchoolScenario:
    school = School.objects.create(name=f"Школа {prefix}", city="Самара", kind=kind)
    group_a = StudyGroup.objects.create(
        school=school, name=f"{prefix}-1", academic_year="2026/2027"
    )
    group_b = StudyGroup.objects.create(
        school=school, name=f"{prefix}-2", academic_year="2026/2027"
    )
    teacher_a = make_user(f"{prefix}_teacher1", roles.TEACHER, school=school)
    teacher_b = make_user(f"{prefix}_teacher2", roles.TEACHER, school=school)
    Membership.objects.create(user=teacher_a, group=group_a, role=Membership.Role.TEACHER)
    Membership.objects.create(user=teacher_b, group=group_b, role=Membership.Role.TEACHER)
    scenario = SchoolScenario(school, group_a, group_b, teacher_a, teacher_b)
    scenario.admin = make_user(f"{prefix}_admin", roles.SCHOOL_ADMIN, school=school)
    for n in range(pupils):
        for group, bucket, tag in (
            (group_a, scenario.pupils_a, "a"),
            (group_b, scenario.pupils_b, "b"),
        ):
            pupil = make_user(f"{prefix}_pupil_{tag}{n + 1}", roles.PUPIL, school=school)
            Membership.objects.create(user=pupil, group=group, role=Membership.Role.PUPIL)
            bucket.append(pupil)
    return scenario


@dataclass
class TwoSchools:
    """The host park (school "a") and a visiting school ("v") with a course whose first module
    is shared with the visiting school and taken by its group v-1; the host's group a-1 takes
    the whole course. Kolibri-style: one scenario every access test reuses."""

    tree: CourseTree
    host: SchoolScenario
    visiting: SchoolScenario
    methodologist: User
    superuser: User


def build_two_schools(pupils: int = 2) -> TwoSchools:
    from courses.models import CourseShare

    tree = build_course("shared-course")
    host = build_school("a", pupils=pupils, kind=School.Kind.HOST)
    visiting = build_school("v", pupils=pupils, kind=School.Kind.VISITING)
    enrol(host.group_a, tree)
    CourseShare.objects.create(course=tree.course, module=tree.modules[0], school=visiting.school)
    enrol(visiting.group_a, tree, module=tree.modules[0])
    methodologist = make_user("catalogue_methodist", roles.METHODOLOGIST)
    superuser = User.objects.create_superuser("root", password="pw-12345")
    return TwoSchools(tree, host, visiting, methodologist, superuser)


def enrol(group: StudyGroup, tree: CourseTree, module: ModulePage | None = None):
    return services.enrol_group(group, tree.course, module=module)


def lesson_admin_form(title: str, slug: str, markdown: str) -> dict:
    """POST data of the Wagtail admin's lesson form with one markdown block."""
    return {
        "title": title,
        "slug": slug,
        "summary": "",
        "duration_minutes": "30",
        "body-count": "1",
        "body-0-deleted": "",
        "body-0-order": "0",
        "body-0-type": "markdown",
        "body-0-id": "",
        "body-0-value": markdown,
    }


def session_keys(users) -> list[list[str]]:
    """[username, session key] of a real login (django.contrib.auth.login on a bare request)
    for each user: how the load benchmarks (bench/quiz_load.py, bench/rush.py) log pupils in."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import login
    from django.test import RequestFactory

    engine = import_module(settings.SESSION_ENGINE)
    factory = RequestFactory()
    keys = []
    for user in users:
        request = factory.post("/login/")
        request.session = engine.SessionStore()
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        request.session.save()
        keys.append([user.username, request.session.session_key])
    return keys
