"""The permission matrix.

Every URL pattern of the site is taken from the URLconf and requested as ten kinds of user
against the two-schools scenario; each answer is compared with a declared expectation. A pattern
without one fails `test_every_url_pattern_has_an_expectation`, so every new view must declare
its rule here.

The conventions (lms.permissions is the only place deciding access): anonymous users are sent
to the login page; a logged-in user without the right gets 404, never 403, so that another
school's ids are not even confirmed to exist. Lesson pages are the one 403: they show a "locked"
overview of the course, whose titles are public anyway.
"""

from __future__ import annotations

import copy
import io
import itertools
import shutil
import time
from dataclasses import dataclass, field

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.shortcuts import resolve_url
from django.test import Client, override_settings
from django.urls import Resolver404, URLPattern, URLResolver, get_resolver, resolve, reverse
from django.utils.regex_helper import normalize
from PIL import Image
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from assessments import grading, submissions
from assessments.models import Assignment, GradeFile
from assessments.quiz import attempts as quiz_attempts
from courses.models import Enrolment
from lms import cross_school, invitations
from tests import scenario

pytestmark = pytest.mark.django_db

USERS = (
    "anonymous",
    "pupil_a1",  # pupil of a-1 (host school), enrolled in the whole course
    "pupil_a2",  # pupil of a-2, not enrolled
    "teacher_a1",  # teacher of a-1
    "teacher_a2",  # teacher of a-2; holds a guest grant on v-1 (see `world`)
    "visiting_teacher",  # teacher of v-1 (visiting school), enrolled in module 1 only
    "host_admin",
    "visiting_admin",
    "methodologist",
    "superuser",
)
LOGGED_IN = USERS[1:]
LOGIN = "login"  # expectation: 302 to the site's login page with ?next=
WAGTAIL_LOGIN = "/admin/login/"  # any other string: 302 to that path with ?next=
DJANGO_ADMIN_LOGIN = "/django-admin/login/"

# Who may see a group: its teachers and guests (guardian rows), its school's admin, superusers.
A1 = ("teacher_a1", "host_admin", "superuser")
V1_MANAGE = ("visiting_teacher", "visiting_admin", "superuser")
V1_VIEW = (*V1_MANAGE, "teacher_a2")  # a guest sees and grades, never manages
STAFF = ("teacher_a1", "teacher_a2", "visiting_teacher", "host_admin", "visiting_admin")
ADMINS = ("host_admin", "visiting_admin")  # /school/ belongs to a school: no superuser there
# Who reads module 1: a-1 (whole course), v-1 (module 1) and its guest, catalogue staff, and
# each school's admin (they read what their school's groups are taught).
M1_READERS = (
    "pupil_a1",
    "teacher_a1",
    "teacher_a2",
    "visiting_teacher",
    "host_admin",
    "visiting_admin",
    "methodologist",
    "superuser",
)
# Module 2 is not shared: the visiting school's staff do not read it.
M2_READERS = ("pupil_a1", "teacher_a1", "host_admin", "methodologist", "superuser")


def answer(status, *users: str, otherwise=404, anonymous=LOGIN) -> dict[str, int | str]:
    """`status` for `users`, `otherwise` for the other logged-in users."""
    expected = {user: status if user in users else otherwise for user in LOGGED_IN}
    return {"anonymous": anonymous, **expected}


def everyone(status: int) -> dict[str, int | str]:
    return dict.fromkeys(USERS, status)


@dataclass(frozen=True)
class Case:
    """One request. Values starting with "@" in kwargs and data are ids from the scenario."""

    name: str
    expect: dict[str, int | str]
    kwargs: dict[str, str] = field(default_factory=dict)
    method: str = "get"
    data: dict[str, str] = field(default_factory=dict)


A1_ID = {"group_id": "@a1"}
V1_ID = {"group_id": "@v1"}
ASSIGNMENT = {"assignment_id": "@assignment"}
A1_GRADERS = ("teacher_a1", "superuser")
V1_GRADERS = ("visiting_teacher", "teacher_a2", "superuser")  # teacher_a2: the guest
POST = "post"
# Park staff: the host park's teachers and admin, methodologists, superusers.
PARK = ("teacher_a1", "teacher_a2", "host_admin", "methodologist", "superuser")
EVENT = {"event_id": "@event"}
REG = {"registration_id": "@reg"}

CASES = [
    # Site-wide pages.
    Case("login", answer(302, *LOGGED_IN, anonymous=200)),  # signed-in users are sent on
    Case("logout", everyone(302), method=POST),
    Case("change_password", answer(200, *LOGGED_IN)),  # every account may change its password
    Case("set_language", everyone(302), method=POST, data={"language": "ru", "next": "/"}),
    Case("search", everyone(200), data={"q": "Урок"}),  # lessons filtered, page public
    Case("join", everyone(200)),  # a visitor is told what invite codes are and to log in
    Case("healthz", everyone(200)),  # the load balancer's check: no login, no session
    Case("join_code", answer(200, *LOGGED_IN), {"code": "@code"}),  # refusal shown in page
    # Learning.
    Case("courses:my_courses", answer(200, *LOGGED_IN)),
    # Staff readers are told they view as staff (a redirect); the rest may not open it: 404.
    Case("courses:mark_lesson", answer(302, *M1_READERS), {"lesson_id": "@lesson_m1"}, POST),
    # Teacher pages: staff only; pupils and methodologists have no groups to teach.
    Case("teach:groups", answer(200, *STAFF, "superuser")),
    Case("teach:shared", answer(200, *STAFF)),  # what is shared with *my school*: none for root
    Case("teach:shared_enrol", answer(302, *A1), {}, POST, {"group": "@a1", "course": "@course"}),
    Case("teach:group", answer(200, *A1), A1_ID),
    Case("teach:group", answer(200, *V1_VIEW), V1_ID),  # isolation: the other school's group
    Case("teach:add_pupil", answer(200, *A1), A1_ID),
    Case("teach:add_pupil", answer(200, *V1_MANAGE), V1_ID),
    Case("teach:import", answer(200, *A1), A1_ID),
    Case("teach:export", answer(200, *A1), {**A1_ID, "fmt": "csv"}),
    Case("teach:export", answer(200, *V1_VIEW), {**V1_ID, "fmt": "csv"}),
    Case("teach:issue_cards", answer(200, *A1), A1_ID),
    # Cards live in the session of whoever issued them: an unknown token sends managers back.
    Case("teach:cards", answer(302, *A1), {**A1_ID, "token": "no-such-token"}),
    # A new password: GET asks to confirm, POST sets it.
    Case("teach:reset_password", answer(200, *A1), {**A1_ID, "user_id": "@pupil_a1"}),
    Case("teach:reset_password", answer(302, *A1), {**A1_ID, "user_id": "@pupil_a1"}, POST),
    Case("teach:remove_pupil", answer(302, *A1), {**A1_ID, "user_id": "@pupil_a1"}, POST),
    # A pupil of a-1 is nobody in v-1, even for v-1's own teacher.
    Case("teach:remove_pupil", answer(404), {**V1_ID, "user_id": "@pupil_a1"}, POST),
    Case("teach:create_invite", answer(302, *A1), A1_ID, POST, {"days": "7", "max_uses": "30"}),
    Case("teach:enrol", answer(302, *A1), A1_ID, POST, {"course": "@course"}),
    # A visiting school's group may be enrolled only in what is shared with it (module 1).
    Case(
        "teach:enrol", answer(302, *V1_MANAGE), V1_ID, POST, {"course": "@course", "module": "@m1"}
    ),
    Case("teach:enrol", answer(404), V1_ID, POST, {"course": "@course", "module": "@m2"}),
    Case("teach:invite", answer(200, *A1), {"invite_id": "@invite"}),
    Case("teach:revoke_invite", answer(302, *A1), {"invite_id": "@invite"}, POST),
    Case("teach:end_enrolment", answer(302, *A1), {"enrolment_id": "@enrolment"}, POST),
    # School admin pages: the admin's own school only.
    Case("school:home", answer(200, *ADMINS)),
    Case("school:create_group", answer(200, *ADMINS)),
    Case("school:group", answer(200, "host_admin"), A1_ID),
    Case("school:group", answer(200, "visiting_admin"), V1_ID),
    Case("school:create_teacher", answer(200, *ADMINS)),
    Case("school:reset_teacher_password", answer(200, "host_admin"), {"user_id": "@teacher_a1"}),
    Case(
        "school:reset_teacher_password",
        answer(302, "host_admin"),
        {"user_id": "@teacher_a1"},
        POST,
    ),
    Case("school:pupils", answer(200, *ADMINS)),
    Case("public_media", everyone(404), {"path": "submissions/2026/11/x.html"}),
    Case("public_media", everyone(404), {"path": "documents/x.pdf"}),
    Case("school:password_resets", answer(200, *ADMINS)),
    # Only the pupil's own school admin; the other school's admin does not even learn the id.
    Case("school:reset_pupil_password", answer(200, "host_admin"), {"user_id": "@pupil_a1"}),
    Case(
        "school:reset_pupil_password",
        answer(302, "host_admin"),
        {"user_id": "@pupil_a1"},
        POST,
    ),
    Case("school:cards", answer(302, *ADMINS), {"token": "no-such-token"}),
    Case("school:access", answer(200, *ADMINS)),
    # Only the school whose pupils they are may open or close a group to an outsider.
    Case("school:revoke_grant", answer(302, "visiting_admin"), {"grant_id": "@grant"}, POST),
    # Pupils' work. The assignment is on a module-1 lesson: whoever reads the lesson sees the
    # page (pupils with their editor, staff a preview); only an enrolled pupil changes work.
    Case("assessments:assignment", answer(200, *M1_READERS), {"assignment_id": "@assignment"}),
    Case("assessments:start_attempt", answer(302, "pupil_a1"), ASSIGNMENT, POST),
    Case("assessments:save_draft", answer(302, "pupil_a1"), ASSIGNMENT, POST, {"text": "x"}),
    Case(
        "assessments:remove_file",
        answer(302, "pupil_a1"),
        {**ASSIGNMENT, "file_id": "@file"},
        POST,
    ),
    Case("assessments:submit", answer(302, "pupil_a1"), ASSIGNMENT, POST),
    # A file is seen by its pupil and by who views or grades the group it was made in.
    Case("assessments:submission_file", answer(200, "pupil_a1", *A1), {"file_id": "@file"}),
    Case("assessments:submission_thumbnail", answer(200, "pupil_a1", *A1), {"file_id": "@file"}),
    # Grading needs GRADE on the group: its teachers (school admins manage, they do not grade).
    Case("assessments:grading_queue", answer(200, *A1_GRADERS), A1_ID),
    Case("assessments:grading_queue", answer(200, *V1_GRADERS), V1_ID),
    Case("assessments:grading_submission", answer(200, *A1_GRADERS), {"submission_id": "@work_a1"}),
    Case("assessments:grading_submission", answer(200, *V1_GRADERS), {"submission_id": "@work_v1"}),
    Case(
        "assessments:grading_release",
        answer(302, *A1_GRADERS),
        {**A1_ID, **ASSIGNMENT},
        POST,
    ),
    # The gradebook shows released grades to who views the group; "download all" needs GRADE.
    Case("assessments:gradebook", answer(200, *A1), {**A1_ID, "course_id": "@course"}),
    Case("assessments:gradebook", answer(200, *V1_VIEW), {**V1_ID, "course_id": "@course"}),
    Case(
        "assessments:gradebook_export",
        answer(200, *A1),
        {**A1_ID, "course_id": "@course", "fmt": "xlsx"},
    ),
    Case("assessments:gradebook_download", answer(200, *A1_GRADERS), {**A1_ID, **ASSIGNMENT}),
    Case("assessments:gradebook_mine", answer(200, *LOGGED_IN)),  # one's own grades only
    Case("assessments:notifications", answer(200, *LOGGED_IN)),  # one's own only
    Case("assessments:notifications_read", answer(302, *LOGGED_IN), {}, POST),  # one's own
    # Feedback files: the pupil once the grade is released (it is, here), and the group's staff.
    Case("assessments:feedback_file", answer(200, "pupil_a1", *A1), {"file_id": "@feedback"}),
    Case(
        "assessments:grading_feedback_file_remove",
        answer(302, *A1_GRADERS),
        {"file_id": "@feedback"},
        POST,
    ),
    # The grading page's helpers: a photo or PDF shown inline, and the feedback's preview (the
    # work's own file and submission: who may grade it; the pupil keeps the download).
    Case("assessments:grading_file_preview", answer(200, *A1_GRADERS), {"file_id": "@file"}),
    Case(
        "assessments:grading_feedback_preview",
        answer(200, *A1_GRADERS),
        {"submission_id": "@work_a1"},
        POST,
        {"text": "**x**"},
    ),
    # Due dates and extensions: who manages the group (its teachers, its school's admin).
    Case("assessments:dates_index", answer(200, *A1), A1_ID),
    Case("assessments:dates", answer(200, *A1), {**A1_ID, **ASSIGNMENT}),
    Case(
        "assessments:dates_extension",
        answer(302, *A1),
        {**A1_ID, **ASSIGNMENT, "pupil_id": "@pupil_a1"},
        POST,
        {"action": "remove"},  # the fields carry the pupil's id in their prefix
    ),
    Case(
        "assessments:dates_extension",
        answer(404),
        {**V1_ID, **ASSIGNMENT, "pupil_id": "@pupil_a1"},  # a pupil of another group
        POST,
        {"action": "remove"},
    ),
]

# Quizzes: the quiz page as the assignment page; an attempt is its pupil's only; reports need
# VIEW on the group, marking and regrading GRADE.
QUIZ = {"assignment_id": "@quiz"}
ANSWER = {"position": "1", "q1": "0", "q1-present": "1"}
CASES += [
    Case("quiz:quiz", answer(200, *M1_READERS), QUIZ),
    Case("quiz:start", answer(302, "pupil_a1"), QUIZ, POST),
    Case("quiz:attempt", answer(200, "pupil_a1"), {"submission_id": "@quiz_open"}),
    Case("quiz:answer", answer(200, "pupil_a1"), {"submission_id": "@quiz_open"}, POST, ANSWER),
    Case("quiz:save_page", answer(302, "pupil_a1"), {"submission_id": "@quiz_open"}, POST, ANSWER),
    Case("quiz:summary", answer(200, "pupil_a1"), {"submission_id": "@quiz_open"}),
    Case("quiz:finish", answer(302, "pupil_a1"), {"submission_id": "@quiz_open"}, POST),
    Case("quiz:review", answer(200, "pupil_a1"), {"submission_id": "@quiz_done_a1"}),
    Case("quiz:mark", answer(200, *A1_GRADERS), {"submission_id": "@quiz_done_a1"}),
    Case("quiz:mark", answer(200, *V1_GRADERS), {"submission_id": "@quiz_done_v1"}),
    Case("quiz:report", answer(200, *A1), {**QUIZ, **A1_ID}),
    Case("quiz:report", answer(200, *V1_VIEW), {**QUIZ, **V1_ID}),
    Case("quiz:statistics", answer(200, *A1), {**QUIZ, **A1_ID}),
    Case("quiz:export", answer(200, *A1), {**QUIZ, **A1_ID, "fmt": "xlsx"}),
    Case("quiz:regrade", answer(302, *A1_GRADERS), {**QUIZ, **A1_ID}, POST),
]

# Code exercises: the exercise page as the assignment page (staff preview it); drafts, runs and
# submissions are their pupil's only; the review and rejudging need GRADE on the group.
CODE = {"assignment_id": "@code_exercise"}
PROGRAM = {"language": "python", "source": "print(1)"}
CASES += [
    Case("programming:exercise", answer(200, *M1_READERS), CODE),
    Case("programming:draft", answer(200, "pupil_a1"), CODE, POST, PROGRAM),
    Case("programming:run", answer(200, "pupil_a1"), CODE, POST, {**PROGRAM, "kind": "examples"}),
    Case("programming:submit", answer(302, "pupil_a1"), CODE, POST, PROGRAM),
    Case("programming:run_status", answer(200, "pupil_a1"), {"run_id": "@code_run"}),
    Case("programming:submission", answer(200, "pupil_a1"), {"submission_id": "@code_a1"}),
    Case("programming:status", answer(200, "pupil_a1"), {"submission_id": "@code_a1"}),
    Case("programming:review", answer(200, *A1_GRADERS), {"submission_id": "@code_a1"}),
    Case("programming:review", answer(200, *V1_GRADERS), {"submission_id": "@code_v1"}),
    Case("programming:rejudge", answer(302, *A1_GRADERS), {"submission_id": "@code_a1"}, POST),
    Case("programming:rejudge_group", answer(302, *A1_GRADERS), {**CODE, "group_id": "@a1"}, POST),
    # Events. Park staff (the host park's teachers and admin, methodologists) run them; anyone
    # registers; a registration's and a certificate's secret codes are capabilities.
    Case("events:register", answer(302, *LOGGED_IN), EVENT, POST),  # refusals are said there
    Case("events:register_group", answer(200, *STAFF, "superuser"), EVENT),
    Case("events:register_guest", everyone(200), EVENT),
    Case("events:registration", everyone(200), {"code": "@reg_code"}),
    Case("events:registration_certificate", everyone(200), {"code": "@past_reg_code"}),
    Case(
        "events:registration_action",
        everyone(302),
        {"code": "@reg_code", "action": "accept"},  # nothing offered: said on the page
        POST,
    ),
    Case("events:mine", answer(200, *LOGGED_IN)),
    Case("events:cancel_mine", answer(302, "pupil_a1", *PARK), REG, POST),
    Case("events:manage", answer(200, *PARK), EVENT),
    Case("events:moderate", answer(302, *PARK), {**EVENT, **REG, "action": "approve"}, POST),
    Case("events:checkin", answer(200, *PARK), EVENT),
    Case("events:checkin_data", answer(200, *PARK), EVENT),
    Case("events:checkin_sync", answer(302, *PARK), EVENT, POST, {"mark": "@mark_in"}),
    Case(
        "events:walk_in",
        answer(302, *PARK),
        EVENT,
        POST,
        {"full_name": "Новикова Вера", "school_name": "Школа № 3", "category": "pupil"},
    ),
    Case("events:checkin_code", everyone(200), {"code": "@reg_code"}),  # no data for outsiders
    Case("events:feed", everyone(200)),
    Case("events:ical", everyone(200), EVENT),
    Case("events:report", answer(200, *PARK)),
    Case("certificates:mine", answer(200, *LOGGED_IN)),
    Case("certificates:lookup", everyone(302), data={"code": "@certificate"}),
    Case("certificates:check", everyone(200), {"code": "@certificate"}),
    Case("certificates:pdf", answer(200, "pupil_a1", *PARK), {"code": "@certificate"}),
    Case("certificates:issue_for_event", answer(302, *PARK), {"event_id": "@past_event"}, POST),
]

# Contests. Park staff organise them (and are their jury); a participant is pupil_a1 (a member
# account); the running contest is open to the visiting school too, so its staff make codes.
# Round pages, a participant's runs, appeals and results answer 404 to everyone else, also
# to anonymous visitors (a participant may be a code typed in, without an account).
RUNNING = {"slug": "matrix-olymp"}
ENDED = {"slug": "matrix-ended"}
ROUND = ("pupil_a1", *PARK)
OUTSIDERS_404 = {"anonymous": 404}
CODES = (*PARK, "visiting_teacher", "visiting_admin")
CASES += [
    Case("contests:index", everyone(200)),
    Case("contests:detail", everyone(200), RUNNING),
    # pupil_a1 takes part already: sent to the contest's page, which says so.
    Case("contests:register", {**answer(200, *LOGGED_IN), "pupil_a1": 302}, RUNNING),
    Case("contests:register_group", answer(200, *STAFF, "superuser"), RUNNING),
    Case("contests:enter_code", everyone(200), RUNNING),
    Case("contests:start", everyone(302), RUNNING, POST),
    Case("contests:participants", answer(200, *PARK), RUNNING),
    Case("contests:participants_csv", answer(200, *PARK), RUNNING),
    Case(
        "contests:participant_edit",
        answer(302, *PARK),
        {**RUNNING, "pk": "@contest_participant"},
        POST,
        {"action": "extra", "extra_minutes": "10"},
    ),
    Case(
        "contests:withdraw",
        answer(302, "pupil_a1", *PARK),
        {**RUNNING, "pk": "@contest_participant"},
        POST,
    ),
    Case("contests:codes", answer(200, *CODES), RUNNING),
    Case("contests:code_sheet", answer(200, *CODES), RUNNING),
    Case("contests:task", answer(200, *ROUND, **OUTSIDERS_404), {**RUNNING, "label": "A"}),
    Case(
        "contests:submit",
        answer(302, "pupil_a1", **OUTSIDERS_404),
        {**RUNNING, "label": "B"},
        POST,
        {"answer": "1"},
    ),
    Case("contests:my_runs", answer(200, *ROUND, **OUTSIDERS_404), RUNNING),
    Case(
        "contests:run",
        answer(200, *ROUND, **OUTSIDERS_404),
        {**RUNNING, "pk": "@contest_run"},
    ),
    Case("contests:standings", everyone(200), RUNNING),
    Case("contests:standings_export", everyone(200), {**RUNNING, "fmt": "csv"}),
    Case("contests:manage", answer(200, *PARK)),
    Case("contests:create", answer(200, *PARK)),
    Case("contests:jury", answer(200, *PARK), RUNNING),
    Case("contests:edit", answer(200, *PARK), RUNNING),
    Case("contests:setup_tasks", answer(200, *PARK), RUNNING),
    Case("contests:setup_task", answer(200, *PARK), {**RUNNING, "pk": "@contest_task"}),
    Case("contests:setup_awards", answer(200, *PARK), RUNNING),
    Case("contests:setup_people", answer(200, *PARK), RUNNING),
    Case("contests:freeze", answer(200, *PARK), RUNNING),
    Case("contests:import_runs", answer(200, *PARK), ENDED),
    Case("contests:sheets", answer(200, *PARK), RUNNING),
    Case(
        "contests:sheet",
        answer(200, *PARK),
        {
            **RUNNING,
            "task_id": "@contest_judged",
            "participant_id": "@contest_participant",
            "run_number": "1",
        },
    ),
    Case("contests:appeals", answer(200, *ROUND, **OUTSIDERS_404), ENDED),
    Case(
        "contests:appeal",
        answer(200, *ROUND, **OUTSIDERS_404),
        {**ENDED, "pk": "@contest_appeal"},
    ),
    Case("contests:score_change", answer(200, *PARK), ENDED),
    Case("contests:results", answer(200, *PARK), ENDED),
    Case("contests:protocol", answer(200, *PARK), ENDED),
    Case("contests:protocol_xlsx", answer(200, *PARK), ENDED),
    Case("contests:my_result", answer(200, "pupil_a1", **OUTSIDERS_404), ENDED),
    Case(
        "contests:my_certificate",
        answer(200, "pupil_a1", **OUTSIDERS_404),
        {**ENDED, "code": "@contest_certificate"},
    ),
]

# Wagtail's page tree (the "wagtail_serve" pattern), with real pages of the scenario.
PAGES = [
    ("@home_url", everyone(200)),
    ("@course_url", everyone(200)),  # a course overview is public
    ("@module_url", everyone(302)),  # a module has no page: its place is the course outline
    ("@lesson_m1_url", answer(200, *M1_READERS, otherwise=403, anonymous=403)),
    ("@lesson_m2_url", answer(200, *M2_READERS, otherwise=403, anonymous=403)),
    ("/courses/no-such-course/", everyone(404)),
]

# The admin homes, for every user: Wagtail's for authors, Django's for superusers (is_staff).
# Teachers and school admins are authors only of courses they are given, none here.
ADMIN_HOMES = [
    (
        "/admin/",
        answer(200, "methodologist", "superuser", otherwise=WAGTAIL_LOGIN, anonymous=WAGTAIL_LOGIN),
    ),
    (
        "/django-admin/",
        answer(200, "superuser", otherwise=DJANGO_ADMIN_LOGIN, anonymous=DJANGO_ADMIN_LOGIN),
    ),
]

# Third-party pages (Wagtail, Django admin, documents) that visitors and pupils may open, with
# the answers allowed. Any other must turn them away: a redirect to a login page, 403, 404, 405.
OPEN_THIRD_PARTY = {
    "admin:login": {200, 302},  # the login form (a signed-in non-staff user is sent on)
    "admin:logout": {302},  # non-staff are sent to the admin index, which asks them to sign in
    "wagtailadmin_login": {200},
    "wagtailadmin_password_reset": {200},
    "wagtailadmin_password_reset_done": {200},
    "wagtailadmin_password_reset_confirm": {200},  # "this link is invalid" for a dummy token
    "wagtailadmin_password_reset_complete": {200},
    "wagtailadmin_javascript_catalog": {200},  # translations for the login page
    "wagtailadmin_sprite": {200},  # icons for the login page
    "wagtailcore_login": {200},  # the login form for privacy-restricted pages
}
LOGIN_PAGES = {"/login/", WAGTAIL_LOGIN, DJANGO_ADMIN_LOGIN}


# --- The URLconf ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Leaf:
    route: str  # spelled as ResolverMatch.route spells it
    name: str | None  # namespaced, e.g. "teach:group"
    chain: tuple  # the patterns from the root down to this one


def _walk(patterns, chain=(), route="", namespace=None):
    for pattern in patterns:
        here = str(pattern.pattern)
        here = route + here.removeprefix("^") if route else here
        if isinstance(pattern, URLResolver):
            inner = ":".join(filter(None, [namespace, pattern.namespace])) or None
            yield from _walk(pattern.url_patterns, (*chain, pattern), here, inner)
        else:
            assert isinstance(pattern, URLPattern)
            name = f"{namespace}:{pattern.name}" if namespace and pattern.name else pattern.name
            yield Leaf(here, name, (*chain, pattern))


def all_leaves() -> list[Leaf]:
    return list(_walk(get_resolver().url_patterns))


def area(leaf: Leaf) -> str:
    """Which third-party URLconf a pattern comes from: only these exact includes count, so a new
    project view anywhere (even under "admin/") is "own" and needs an entry in CASES."""
    top = leaf.chain[0]
    if isinstance(top, URLResolver):
        prefix, module = str(top.pattern), top.urlconf_name
        if prefix == "admin/" and module is wagtailadmin_urls:
            return "wagtail admin"
        if prefix == "django-admin/" and top.app_name == "admin" and top.namespace == "admin":
            return "django admin"
        if prefix == "documents/" and module is wagtaildocs_urls:
            return "documents"
        if prefix == "" and module is wagtail_urls:
            return "wagtail"
    return "own"


# Dummy values for third-party kwargs, tried in order until the pattern matches: an id, a
# string or slug, a path, and an app label (Django admin's app_list is an alternation of them).
CANDIDATES = ("1", "x", "x/", "auth")
# Patterns whose URL cannot be built or that another pattern shadows (route -> reason).
UNBUILDABLE: dict[str, str] = {}


def _sample(pattern) -> str | None:
    regex = pattern.regex
    for template, params in normalize(regex.pattern):
        for values in itertools.product(CANDIDATES, repeat=len(params)):
            text = template % dict(zip(params, values, strict=True))
            if regex.fullmatch(text):
                return text
    return None


def sample_url(leaf: Leaf) -> str | None:
    """A URL that resolves to this very pattern, or None."""
    parts = [_sample(pattern.pattern) for pattern in leaf.chain]
    if None in parts:
        return None
    url = "/" + "".join(parts)
    try:
        match = resolve(url)
    except Resolver404:
        return None
    return url if match.route == leaf.route else None


# --- The scenario --------------------------------------------------------------------------


def _work(assignment, pupil):
    """A handed-in attempt with one photo (and its thumbnail)."""
    state = submissions.pupil_state(pupil, assignment)
    draft = submissions.start_draft(state, pupil)
    submissions.save_text(draft, "готово")
    photo = io.BytesIO()
    Image.new("RGB", (40, 30), "orange").save(photo, "PNG")
    submissions.add_file(draft, SimpleUploadedFile("robot.png", photo.getvalue()))
    return submissions.submit(draft, state)


@scenario.shared
def matrix_world(two_schools):
    """The rows, built once for the module; the files in a directory of their own."""
    media = scenario.layer_dir()
    with override_settings(MEDIA_ROOT=media):
        users, ids = _build_world(two_schools)
    return users, ids, media


@pytest.fixture
def world(matrix_world, settings, tmp_path):
    users, ids, media = matrix_world
    shutil.copytree(media, tmp_path, dirs_exist_ok=True)
    settings.MEDIA_ROOT = tmp_path
    return users, ids


def _build_world(s):
    host, visiting, tree = s.host, s.visiting, s.tree
    invite = invitations.create_invite(host.group_a, host.teacher_a, days=7, max_uses=30)
    # v-1's admin lets a teacher of the host park see v-1 (a joint event, say).
    grant = cross_school.grant(visiting.admin, visiting.group_a, host.teacher_b.username, "event")
    users = {
        "anonymous": None,
        "pupil_a1": host.pupils_a[0],
        "pupil_a2": host.pupils_b[0],
        "teacher_a1": host.teacher_a,
        "teacher_a2": host.teacher_b,
        "visiting_teacher": visiting.teacher_a,
        "host_admin": host.admin,
        "visiting_admin": visiting.admin,
        "methodologist": s.methodologist,
        "superuser": s.superuser,
    }
    m1, m2 = tree.modules
    assignment = Assignment.objects.create(lesson=tree.lessons_of(m1)[0], title="Фото робота")
    work_a1 = _work(assignment, host.pupils_a[0])
    work_v1 = _work(assignment, visiting.pupils_a[0])
    grade = grading.save_grade(work_a1, host.teacher_a, points="5", release=True)
    feedback = GradeFile.objects.create(
        grade=grade,
        file=default_storage.save("feedback/x.pdf", ContentFile(b"%PDF-1.4 ok")),
        display_name="отзыв.pdf",
        kind="pdf",
        content_type="application/pdf",
        size=11,
    )
    quiz_ids = _quiz_world(tree.lessons_of(m1)[1], host.pupils_a[0], visiting.pupils_a[0])
    code_ids = _code_world(tree.lessons_of(m1)[0], host.pupils_a[0], visiting.pupils_a[0])
    event_ids = _event_world(host.pupils_a[0], host.teacher_a)
    contest_ids = _contest_world(host.pupils_a[0], visiting.school, s.methodologist)
    ids = {
        **contest_ids,
        **quiz_ids,
        **code_ids,
        **event_ids,
        "feedback": feedback.pk,
        "assignment": assignment.pk,
        "work_a1": work_a1.pk,
        "work_v1": work_v1.pk,
        "file": work_a1.files.get().pk,
        "a1": host.group_a.pk,
        "v1": visiting.group_a.pk,
        "pupil_a1": host.pupils_a[0].pk,
        "teacher_a1": host.teacher_a.pk,
        "invite": invite.pk,
        "code": invite.code,
        "grant": grant.pk,
        "enrolment": Enrolment.objects.get(group=host.group_a).pk,
        "course": tree.course.pk,
        "m1": m1.pk,
        "m2": m2.pk,
        "lesson_m1": tree.lessons_of(m1)[0].pk,
        "home_url": "/",
        "course_url": tree.course.url,
        "module_url": m1.url,
        "lesson_m1_url": tree.lessons_of(m1)[0].url,
        "lesson_m2_url": tree.lessons_of(m2)[0].url,
    }
    return users, ids


def _quiz_world(lesson, pupil_a1, pupil_v1) -> dict:
    """A quiz of two questions: pupil_a1 handed in one attempt and has a second open; the
    visiting pupil handed in one."""
    from tests.assessments.quiz.builders import make_quiz, single

    setup = make_quiz(lesson, [single(), single("Второй вопрос?")], title="Тест", max_attempts=0)
    done = {}
    for key, pupil in (("quiz_done_a1", pupil_a1), ("quiz_done_v1", pupil_v1)):
        attempt = quiz_attempts.start(submissions.pupil_state(pupil, setup.assignment), pupil)
        quiz_attempts.save_answer(attempt, pupil, 1, {"choice": 0})
        quiz_attempts.finish(attempt)
        done[key] = attempt.pk
    state = submissions.pupil_state(pupil_a1, setup.assignment)
    return {
        **done,
        "quiz": setup.assignment.pk,
        "quiz_open": quiz_attempts.start(state, pupil_a1).pk,
    }


def _code_world(lesson, pupil_a1, pupil_v1) -> dict:
    """A code exercise (A + B): pupil_a1 and the visiting pupil handed in once (still queued:
    the matrix asks who may look, not what the judge says), and pupil_a1 asked for a run."""
    from assessments.programming import runs, submitting
    from assessments.programming.models import ProgrammingLanguage
    from tests.assessments.programming.builders import SUM_PY, make_exercise, make_problem

    exercise = make_exercise(lesson, make_problem(), title="Сумма")
    ids = {"code_exercise": exercise.pk}
    for key, pupil in (("code_a1", pupil_a1), ("code_v1", pupil_v1)):
        state = submissions.pupil_state(pupil, exercise.assignment)
        ids[key] = submitting.submit(state, pupil, exercise, "python", SUM_PY).pk
    python = ProgrammingLanguage.objects.get(code="python")
    ids["code_run"] = runs.request(exercise, pupil_a1, python, SUM_PY, "examples").pk
    return ids


def _event_world(pupil_a1, teacher_a1) -> dict:
    """An event in an hour (check-in open, registration too, visitors welcome) that pupil_a1
    registered for, and a past one they came to, with its certificate."""
    import uuid
    from datetime import timedelta

    from events import certificates, checkin, registering
    from tests.events.builders import make_event, register

    event = make_event(
        "Мастер-класс", slug="matrix-event", guests_register=True, starts_in=timedelta(hours=1)
    )
    registration, _ = registering.register_self(event, pupil_a1)
    past = make_event("Было", slug="matrix-past", starts_in=-timedelta(hours=3))
    came = register(past, pupil_a1)
    checkin.mark(came, action="in", client_id=uuid.uuid4(), marked_at=past.starts_at, by=teacher_a1)
    came.refresh_from_db()
    certificate = certificates.issue_for_registration(came)
    return {
        "event": event.pk,
        "reg": registration.pk,
        "reg_code": registration.code,
        "mark_in": f"in:{registration.pk}",
        "past_event": past.pk,
        "past_reg_code": came.code,
        "certificate": certificate.code,
    }


def _contest_world(pupil_a1, visiting_school, organiser) -> dict:
    """A running contest open to the visiting school too (task A judged on sheets, B a quiz
    question), pupil_a1 taking part with a run; and an ended one with pupil_a1's appeal, the
    results published and their certificate."""
    from datetime import timedelta

    from django.utils import timezone

    from assessments.quiz import questions
    from contests import awards
    from contests.models import Appeal, AwardRule, Contest
    from events.models import Certificate
    from tests.assessments.quiz.builders import single
    from tests.contests.builders import add_participant, add_run, add_task, make_contest

    running = make_contest(
        "matrix-olymp", rules=Contest.Rules.IOI, audience=Contest.Audience.SCHOOLS, tasks=["A"]
    )
    running.schools.add(visiting_school)
    question = questions.create_question(questions.category_at(None, "Олимпиада"), single(), None)
    add_task(running, "B", kind="quiz", question=question.latest)
    participant = add_participant(running, "Иванова Софья", user=pupil_a1)
    run = add_run(participant, running.tasks.get(label="A"), score=50)
    ended = make_contest(
        "matrix-ended",
        rules=Contest.Rules.IOI,
        starts_in=-timedelta(hours=5),
        tasks=["A"],
        appeals_until=timezone.now() + timedelta(days=3),
    )
    AwardRule.objects.create(contest=ended, award="Победитель", max_place=1)
    took_part = add_participant(ended, "Иванова Софья", user=pupil_a1)
    add_run(took_part, ended.tasks.get(), score=80)
    appeal = Appeal.objects.create(
        contest=ended, participant=took_part, task=ended.tasks.get(), text="Проверьте тест 3"
    )
    awards.publish_results(ended, organiser)
    certificate = Certificate.objects.get(user=pupil_a1, title=ended.title)
    return {
        "contest_participant": participant.pk,
        "contest_run": run.pk,
        "contest_task": running.tasks.get(label="A").pk,
        "contest_judged": running.tasks.get(label="A").pk,
        "contest_appeal": appeal.pk,
        "contest_certificate": certificate.code,
    }


def client_for(world, user_type: str) -> Client:
    client = Client(raise_request_exception=False)  # a 500 is an answer to assert on
    user = world[0][user_type]
    if user is not None:
        client.force_login(user)
    return client


def fetch(client: Client, method: str, url: str, data=None):
    """One request whose changes (database and cookies: a logout, say) are undone, so every
    request sees the same scenario."""
    cookies = copy.deepcopy(client.cookies)
    with transaction.atomic():
        response = getattr(client, method)(url, data or {})
        transaction.set_rollback(True)
    client.cookies = cookies
    return response


def _location(response) -> str:
    return response.get("Location", "").split("?")[0]


def mismatch(response, expected) -> str | None:
    status = response.status_code
    login = resolve_url(settings.LOGIN_URL)
    if isinstance(expected, str):
        target = login if expected == LOGIN else expected
        if status == 302 and _location(response) == target and "next=" in response["Location"]:
            return None
        return f"expected a redirect to {target}, got {status} {response.get('Location', '')}"
    if status != expected:
        return f"expected {expected}, got {status} {response.get('Location', '')}".rstrip()
    if status == 302 and _location(response) == login:
        return "expected a redirect, got one to the login page"
    return None


def _value(ids: dict, value: str):
    return ids[value[1:]] if value.startswith("@") else value


# --- The tests -------------------------------------------------------------------------------


@pytest.mark.parametrize("user_type", USERS)
def test_project_pages(world, user_type):
    ids = world[1]
    client = client_for(world, user_type)
    failures = []
    for case in CASES:
        url = reverse(case.name, kwargs={k: _value(ids, v) for k, v in case.kwargs.items()})
        data = {k: _value(ids, v) for k, v in case.data.items()}
        response = fetch(client, case.method, url, data)
        problem = mismatch(response, case.expect[user_type])
        if problem:
            failures.append(f"{case.method.upper()} {url} ({case.name}): {problem}")
    assert not failures, f"{user_type}:\n" + "\n".join(failures)


@pytest.mark.parametrize("user_type", USERS)
def test_wagtail_pages(world, user_type):
    ids = world[1]
    client = client_for(world, user_type)
    failures = []
    for url, expect in PAGES:
        url = _value(ids, url)
        problem = mismatch(fetch(client, "get", url), expect[user_type])
        if problem:
            failures.append(f"GET {url}: {problem}")
    assert not failures, f"{user_type}:\n" + "\n".join(failures)


@pytest.mark.parametrize("user_type", USERS)
def test_admin_homes(world, user_type):
    client = client_for(world, user_type)
    failures = []
    for url, expect in ADMIN_HOMES:
        problem = mismatch(fetch(client, "get", url), expect[user_type])
        if problem:
            failures.append(f"GET {url}: {problem}")
    assert not failures, f"{user_type}:\n" + "\n".join(failures)


@pytest.mark.parametrize("user_type", ["anonymous", "pupil_a1"])
def test_third_party_pages_turn_away_visitors_and_pupils(world, user_type):
    """Every pattern of Wagtail, its admin, its documents and the Django admin, with dummy ids:
    never a 500, never an admin page for someone who is not staff."""
    client = client_for(world, user_type)
    failures, requests, started = [], 0, time.monotonic()
    for leaf in all_leaves():
        url = sample_url(leaf) if area(leaf) != "own" else None
        if url is None:  # own pattern, or unbuildable: see the completeness test
            continue
        response = fetch(client, "get", url)
        requests += 1
        status, location = response.status_code, _location(response)
        if leaf.name in OPEN_THIRD_PARTY:
            ok = status in OPEN_THIRD_PARTY[leaf.name]
        elif status == 302:
            ok = location in LOGIN_PAGES
        else:
            ok = status in (403, 404, 405)
        if not ok:
            failures.append(f"GET {url} ({leaf.name or leaf.route}): {status} {location}")
    print(f"{user_type}: {requests} requests in {time.monotonic() - started:.1f} s")
    assert requests > 300
    assert not failures, f"{user_type}:\n" + "\n".join(failures)


def test_every_url_pattern_has_an_expectation():
    leaves = all_leaves()
    own = [leaf for leaf in leaves if area(leaf) == "own"]
    declared = {case.name for case in CASES}
    undeclared = [f"{leaf.route} ({leaf.name})" for leaf in own if leaf.name not in declared]
    assert not undeclared, "Add these patterns to CASES with their rule:\n" + "\n".join(undeclared)
    stale = declared - {leaf.name for leaf in own}
    assert not stale, f"CASES names patterns that no longer exist: {sorted(stale)}"
    third_party = [leaf for leaf in leaves if area(leaf) != "own"]
    unbuilt = [
        leaf.route
        for leaf in third_party
        if leaf.route not in UNBUILDABLE and sample_url(leaf) is None
    ]
    assert not unbuilt, "No dummy URL reaches these patterns:\n" + "\n".join(unbuilt)
    assert any(leaf.name == "wagtail_serve" for leaf in third_party) and PAGES  # real pages
    stale_open = set(OPEN_THIRD_PARTY) - {leaf.name for leaf in third_party}
    assert not stale_open, f"OPEN_THIRD_PARTY names unknown patterns: {sorted(stale_open)}"


# --- The programming problems' admin -------------------------------------------------------
# Its pages are registered through Wagtail's register_admin_urls, so they sit in Wagtail's
# URLconf (not "own" patterns, hence not in CASES). Declared here with the same conventions:
# teachers of the scenario author no course, so only catalogue staff get in; the others have
# no admin access and are sent to Wagtail's login; a quiz is not a code exercise (404).
CATALOGUE = ("methodologist", "superuser")
NO_ADMIN = {"otherwise": WAGTAIL_LOGIN, "anonymous": WAGTAIL_LOGIN}
PROBLEM = {"problem_id": "@problem"}
PROGRAMMING_ADMIN = [
    Case("programming_admin:index", answer(200, *CATALOGUE, **NO_ADMIN)),
    Case("programming_admin:create", answer(200, *CATALOGUE, **NO_ADMIN)),
    Case("programming_admin:import", answer(200, *CATALOGUE, **NO_ADMIN)),
    Case("programming_admin:edit", answer(200, *CATALOGUE, **NO_ADMIN), PROBLEM),
    Case("programming_admin:export", answer(200, *CATALOGUE, **NO_ADMIN), PROBLEM),
    Case(
        "programming_admin:publish",
        answer(302, *CATALOGUE, **NO_ADMIN),
        PROBLEM,
        POST,
        {"published": "0"},
    ),
    Case("programming_admin:check", answer(302, *CATALOGUE, **NO_ADMIN), PROBLEM, POST),
    Case("programming_admin:exercises", answer(200, *CATALOGUE, **NO_ADMIN)),
    Case(
        "programming_admin:exercise",
        answer(200, *CATALOGUE, **NO_ADMIN),
        {"assignment_id": "@code_exercise"},
    ),
    Case(
        "programming_admin:exercise",
        answer(404, *CATALOGUE, **NO_ADMIN),
        {"assignment_id": "@quiz"},
    ),
]


def test_programming_admin_names_every_pattern():
    from assessments.programming.admin import urls

    declared = {case.name for case in PROGRAMMING_ADMIN}
    assert declared == {f"programming_admin:{p.name}" for p in urls.urlpatterns}


@pytest.mark.parametrize("user_type", USERS)
def test_programming_admin_pages(world, user_type):
    from tests.assessments.programming.builders import make_exercise, make_problem

    ids = dict(world[1])
    problem = make_problem(course=Assignment.objects.get(pk=ids["assignment"]).course)
    lesson = Assignment.objects.get(pk=ids["assignment"]).lesson
    ids.update(problem=problem.pk, code_exercise=make_exercise(lesson, problem).assignment_id)
    client = client_for(world, user_type)
    failures = []
    for case in PROGRAMMING_ADMIN:
        url = reverse(case.name, kwargs={k: _value(ids, v) for k, v in case.kwargs.items()})
        response = fetch(client, case.method, url, case.data)
        problem_text = mismatch(response, case.expect[user_type])
        if problem_text:
            failures.append(f"{case.method.upper()} {url} ({case.name}): {problem_text}")
    assert not failures, f"{user_type}:\n" + "\n".join(failures)


# --- The page editor's helpers (cms.admin_urls) ----------------------------------------------
# Registered through register_admin_urls as well, with the same conventions: the markdown
# preview answers those who may write pages (here the catalogue staff: the scenario's teachers
# author no course), by POST; the others have no admin access and go to Wagtail's login.
EDITOR_HELPERS = [
    Case(
        "cms_admin:markdown_preview",
        answer(200, *CATALOGUE, **NO_ADMIN),
        method=POST,
        data={"text": "**текст**"},
    ),
]


def test_editor_helpers_name_every_pattern():
    from cms import admin_urls

    declared = {case.name for case in EDITOR_HELPERS}
    assert declared == {f"cms_admin:{p.name}" for p in admin_urls.urlpatterns}


@pytest.mark.parametrize("user_type", USERS)
def test_editor_helpers(world, user_type):
    client = client_for(world, user_type)
    failures = []
    for case in EDITOR_HELPERS:
        url = reverse(case.name)
        problem = mismatch(fetch(client, case.method, url, case.data), case.expect[user_type])
        if problem:
            failures.append(f"{case.method.upper()} {url} ({case.name}): {problem}")
    assert not failures, f"{user_type}:\n" + "\n".join(failures)
