"""The gradebook (released grades only, best/last, totals, pupils who left, sorting), its exports,
"download all" as a ZIP limited to one group, and the pupil's own "My grades"."""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass
from decimal import Decimal
from pathlib import PurePosixPath

import pytest
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from assessments import download_all, gradebook, pupil_grades, uploads
from assessments.gradebook import CellStatus
from assessments.models import Assignment, Grade, GradeChange, Submission, SubmissionFile
from lms import accounts, roles
from lms.models import Membership, School, StudyGroup, User
from tests import builders
from tests.assessments.builders import make_assignment, submit

pytestmark = pytest.mark.django_db

DRAFT_POINTS = Decimal("7.77")  # a value no released grade has: it must never be shown
DRAFT_TEXTS = ("7.77", "7,77")


@pytest.fixture(autouse=True)
def _media_and_language(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    with translation.override("en"):
        yield


def grade(submission: Submission, points: str | Decimal, *, released: bool = True, **extra):
    points = Decimal(points)
    return Grade.objects.create(
        submission=submission,
        points=points,
        final_points=points,
        is_released=released,
        released_at=timezone.now() if released else None,
        **extra,
    )


def stored_file(submission: Submission, display_name: str, content: bytes = b"data", **extra):
    name = default_storage.save(uploads.storage_name("bin"), ContentFile(content))
    return SubmissionFile.objects.create(
        submission=submission,
        file=name,
        display_name=display_name,
        kind=extra.get("kind", "image"),
        content_type=extra.get("content_type", "image/jpeg"),
        size=len(content),
    )


@dataclass
class Scene:
    world: builders.TwoSchools
    first: Assignment  # module 1: taken by a-1 (whole course) and v-1 (module 1)
    second: Assignment  # module 2: a-1 only

    @property
    def group(self) -> StudyGroup:
        return self.world.host.group_a

    @property
    def teacher(self) -> User:
        return self.world.host.teacher_a

    def url(self, name: str = "gradebook", **kwargs) -> str:
        group = kwargs.pop("group", self.group)
        course = kwargs.pop("course", self.world.tree.course)
        args = [group.pk, course.pk, *kwargs.values()]
        return reverse(f"assessments:{name}", args=args)


@pytest.fixture
def scene(two_schools) -> Scene:
    lessons = two_schools.tree.lessons
    first = make_assignment(lessons[0], title="Линия", counts="best", max_points=Decimal("10"))
    second = make_assignment(
        lessons[2], title="Светофор", counts="last", max_points=Decimal("20"), weight=3
    )
    return Scene(two_schools, first, second)


def book_for(scene: Scene, **kwargs) -> gradebook.Gradebook:
    return gradebook.build_gradebook(scene.group, scene.world.tree.course, **kwargs)


def row_of(book: gradebook.Gradebook, pupil: User) -> gradebook.Row:
    return next(row for row in book.rows if row.pupil == pupil)


# --- The service -------------------------------------------------------------------------------


def test_released_grades_only_and_the_rule_picks_the_attempt(scene):
    pupil = scene.world.host.pupils_a[0]
    grade(submit(scene.first, pupil, scene.group, 1), "9")
    grade(submit(scene.first, pupil, scene.group, 2), "6")
    grade(submit(scene.first, pupil, scene.group, 3), DRAFT_POINTS, released=False)
    grade(submit(scene.second, pupil, scene.group, 1), "18")
    grade(submit(scene.second, pupil, scene.group, 2), "12")
    grade(submit(scene.second, pupil, scene.group, 3), DRAFT_POINTS, released=False)

    best, last = row_of(book_for(scene), pupil).cells
    assert (best.points, best.attempt) == (Decimal("9"), 1)  # best of the released ones
    assert (last.points, last.attempt) == (Decimal("12"), 2)  # the last RELEASED one
    # The latest attempt's grade is a draft: to this page it is still waiting for a grade.
    assert best.status == last.status == CellStatus.AWAITING


def test_statuses_late_marks_and_totals(scene):
    pupils = scene.world.host.pupils_a
    late = submit(scene.first, pupils[0], scene.group)
    Submission.objects.filter(pk=late.pk).update(is_late=True, late_days=2)
    grade(late, "5")
    grade(submit(scene.second, pupils[0], scene.group), "20")
    returned = submit(scene.first, pupils[1], scene.group)
    Submission.objects.filter(pk=returned.pk).update(status=Submission.Status.RETURNED)
    submit(scene.second, pupils[1], scene.group)  # awaiting, no grade
    book = book_for(scene)

    first, second = row_of(book, pupils[0]).cells
    assert first.status == second.status == CellStatus.GRADED
    assert (first.is_late, first.late_days, second.is_late) == (True, 2, False)
    # 5/10 with weight 1 and 20/20 with weight 3: (0.5 + 3) / 4.
    assert row_of(book, pupils[0]).percent == Decimal("87.5")
    assert row_of(book, pupils[0]).points == Decimal("25")
    other = row_of(book, pupils[1])
    assert [c.status for c in other.cells] == [CellStatus.RETURNED, CellStatus.AWAITING]
    assert other.percent is None and other.points == 0
    assert [c.title for c in book.columns] == ["Линия", "Светофор"]  # outline order


def test_unsubmitted_drafts_are_not_work(scene):
    pupil = scene.world.host.pupils_a[0]
    Submission.objects.create(
        assignment=scene.first, pupil=pupil, group=scene.group, attempt=1, text="черновик"
    )
    assert row_of(book_for(scene), pupil).cells[0].status == CellStatus.NOT_SUBMITTED


def test_a_pupil_who_left_keeps_their_row_and_only_this_groups_work_counts(scene):
    world = scene.world
    leaver, stayer = world.host.pupils_a
    grade(submit(scene.first, leaver, scene.group), "8")
    accounts.remove_from_group(leaver, scene.group, Membership.Role.PUPIL)
    # The pupil who stays also did the assignment in another group: not this gradebook's.
    grade(submit(scene.first, stayer, world.host.group_b), "10")
    book = book_for(scene)

    assert row_of(book, leaver).has_left and row_of(book, leaver).cells[0].points == 8
    assert book.rows[-1].pupil == leaver  # current pupils first
    assert row_of(book, stayer).cells[0].status == CellStatus.NOT_SUBMITTED
    # A pupil of another group with no work here is not listed at all.
    assert world.host.pupils_b[0] not in [row.pupil for row in book.rows]


def test_archived_assignments_and_modules_not_taken_are_not_columns(scene):
    make_assignment(scene.world.tree.lessons[1], title="Старое", is_archived=True)
    assert [c.title for c in book_for(scene).columns] == ["Линия", "Светофор"]
    visiting = scene.world.visiting.group_a  # takes module 1 only
    book = gradebook.build_gradebook(visiting, scene.world.tree.course)
    assert [c.title for c in book.columns] == ["Линия"]


def test_sorting_by_name_total_and_one_column(scene):
    school = scene.world.host.school
    names = ["Борисов", "Алексеева", "Васильев"]
    pupils = []
    for n, last_name in enumerate(names):
        pupil = builders.make_user(f"s{n}", roles.PUPIL, school=school, last_name=last_name)
        Membership.objects.create(user=pupil, group=scene.group, role=Membership.Role.PUPIL)
        pupils.append(pupil)
    Membership.objects.filter(group=scene.group, user__in=scene.world.host.pupils_a).delete()
    grade(submit(scene.first, pupils[0], scene.group), "4")
    grade(submit(scene.first, pupils[2], scene.group), "9")
    grade(submit(scene.second, pupils[1], scene.group), "20")

    def order(**kwargs) -> list[str]:
        return [row.pupil.last_name for row in book_for(scene, **kwargs).rows]

    assert order() == ["Алексеева", "Борисов", "Васильев"]
    assert order(sort="name", direction="desc") == ["Васильев", "Борисов", "Алексеева"]
    assert order(sort="total", direction="desc") == ["Алексеева", "Васильев", "Борисов"]
    column = f"a{scene.first.pk}"
    # No grade goes last in both directions.
    assert order(sort=column, direction="desc") == ["Васильев", "Борисов", "Алексеева"]
    assert order(sort=column, direction="asc") == ["Борисов", "Васильев", "Алексеева"]
    book = book_for(scene, sort="'; DROP TABLE", direction="sideways")
    assert (book.sort, book.descending) == ("name", False)


# --- Pages and access --------------------------------------------------------------------------


def test_the_page_shows_released_grades_to_the_groups_staff(client, scene):
    pupil = scene.world.host.pupils_a[0]
    grade(submit(scene.first, pupil, scene.group), "9.5")
    grade(submit(scene.second, pupil, scene.group), DRAFT_POINTS, released=False)
    for user in (scene.teacher, scene.world.host.admin, scene.world.superuser):
        client.force_login(user)
        response = client.get(scene.url())
        assert response.status_code == 200, user
        content = response.content.decode()
        assert "9,5" in content and pupil.username in content  # pages are in Russian
        assert not any(text in content for text in DRAFT_TEXTS)
    # A pupil who left with work done here is still listed, and marked.
    accounts.remove_from_group(pupil, scene.group, Membership.Role.PUPIL)
    client.cookies["django_language"] = "en"  # the mark is asserted in English
    content = client.get(scene.url()).content.decode()
    assert pupil.username in content and "left the group" in content
    # Sorting links and a sorted page.
    response = client.get(scene.url() + f"?sort=a{scene.first.pk}&dir=desc")
    assert 'aria-sort="descending"' in response.content.decode()


def test_a_big_group_pages_its_rows_sorted_over_everyone(client, scene, monkeypatch):
    from assessments import gradebook_views

    monkeypatch.setattr(gradebook_views, "GRADEBOOK_PAGE_SIZE", 2)
    school = scene.world.host.school
    Membership.objects.filter(group=scene.group, user__in=scene.world.host.pupils_a).delete()
    for n, (last_name, points) in enumerate(
        [("Борисов", "4"), ("Алексеева", "9"), ("Васильев", "7")]
    ):
        pupil = builders.make_user(f"p{n}", roles.PUPIL, school=school, last_name=last_name)
        Membership.objects.create(user=pupil, group=scene.group, role=Membership.Role.PUPIL)
        grade(submit(scene.first, pupil, scene.group), points)
    client.force_login(scene.teacher)

    def rows(query: str) -> str:
        response = client.get(scene.url() + query)
        assert response.status_code == 200
        body = response.content.decode()
        return body.split("<tbody>")[1].split("</tbody>")[0]

    first = rows("?sort=total&dir=desc")
    assert "Алексеева" in first and "Васильев" in first and "Борисов" not in first
    content = client.get(scene.url() + "?sort=total&dir=desc").content.decode()
    assert "(3)" in content  # the heading counts everyone
    assert "Страница 1 из 2" in content and "sort=total&amp;dir=desc&amp;page=2" in content
    last = rows("?sort=total&dir=desc&page=2")
    assert "Борисов" in last and "Алексеева" not in last
    # Nonsense and out-of-range pages fall back to a real page, never an error.
    assert "Алексеева" in rows("?sort=total&dir=desc&page=abc")
    assert "Борисов" in rows("?sort=total&dir=desc&page=99")


def test_strangers_get_404(client, scene):
    world = scene.world
    other_course = builders.build_course("other")
    assignment = make_assignment(other_course.lessons[0])
    forbidden = {
        world.host.pupils_a[0]: scene.url(),  # a pupil of the group
        world.host.teacher_b: scene.url(),  # a teacher of another group of the same school
        world.visiting.teacher_a: scene.url(),  # another school
        world.visiting.admin: scene.url(),
        world.methodologist: scene.url(),
        # The group is not enrolled in that course (teacher of a-1 asking for it).
        scene.teacher: scene.url(course=other_course.course),
    }
    for user, url in forbidden.items():
        client.force_login(user)
        assert client.get(url).status_code == 404, (user, url)
        export_url = url + "export.csv"
        assert client.get(export_url).status_code == 404, (user, export_url)
    client.force_login(scene.teacher)
    # a-2 is not enrolled at all; another school's group id.
    assert client.get(scene.url(group=world.host.group_b)).status_code == 404
    assert client.get(scene.url(group=world.visiting.group_a)).status_code == 404
    # Download: an assignment of a course the group does not take; another group's ids.
    download = reverse("assessments:gradebook_download", args=[scene.group.pk, assignment.pk])
    assert client.get(download).status_code == 404
    visiting_download = reverse(
        "assessments:gradebook_download", args=[world.visiting.group_a.pk, scene.first.pk]
    )
    assert client.get(visiting_download).status_code == 404
    # The visiting teacher: module 2 is not taken by v-1.
    client.force_login(world.visiting.teacher_a)
    module2 = reverse(
        "assessments:gradebook_download", args=[world.visiting.group_a.pk, scene.second.pk]
    )
    assert client.get(module2).status_code == 404
    assert client.get(visiting_download).status_code == 302  # own group, nothing handed in
    # The school admin sees grades (VIEW) but does not grade: no download.
    client.force_login(world.host.admin)
    own = reverse("assessments:gradebook_download", args=[scene.group.pk, scene.first.pk])
    assert client.get(own).status_code == 404
    assert client.get(scene.url(name="gradebook_export", fmt="pdf")).status_code == 404
    client.logout()
    assert client.get(scene.url()).status_code == 302
    assert client.get(reverse("assessments:gradebook_mine")).status_code == 302


def test_an_ended_enrolment_keeps_the_gradebook(client, scene):
    scene.world.tree.course.enrolments.filter(group=scene.group).update(is_active=False)
    client.force_login(scene.teacher)
    assert client.get(scene.url()).status_code == 200


# --- Exports -----------------------------------------------------------------------------------


def test_exports_neutralise_formulas_and_hide_drafts(client, scene):
    pupil = scene.world.host.pupils_a[0]
    User.objects.filter(pk=pupil.pk).update(display_name='=HYPERLINK("http://evil","click")')
    grade(submit(scene.first, pupil, scene.group), "8.5")
    grade(submit(scene.second, pupil, scene.group), DRAFT_POINTS, released=False)
    client.force_login(scene.teacher)

    response = client.get(scene.url("gradebook_export", fmt="csv"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0][3].startswith("1. Линия")
    evil = next(row for row in rows if row[1] == pupil.username)
    assert evil[0] == '\'=HYPERLINK("http://evil","click")'
    assert evil[3] == "8,5" and evil[4] == ""  # Russian Excel reads a decimal comma
    assert not any(draft in text for draft in DRAFT_TEXTS)

    response = client.get(scene.url("gradebook_export", fmt="xlsx"))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    evil = next(row for row in values if row[1] == pupil.username)
    assert evil[0].startswith("'=HYPERLINK")
    assert all(cell.data_type == "s" for row in sheet.iter_rows() for cell in row if cell.value)


# --- Download all ------------------------------------------------------------------------------


def test_download_all_packs_only_this_groups_latest_work_with_safe_names(client, scene):
    world = scene.world
    pupil, neighbour = world.host.pupils_a
    User.objects.filter(pk=pupil.pk).update(display_name="../../Иванова 🤖 Мария")
    old = submit(scene.first, pupil, scene.group, 1)
    stored_file(old, "old.jpg", b"old attempt")
    latest = submit(scene.first, pupil, scene.group, 2)
    Submission.objects.filter(pk=latest.pk).update(text="# Отчёт\nВсё работает")
    for name in ("photo.jpg", "PHOTO.jpg", "../../etc/passwd", "/abs/робот 🤖.png", "..", "."):
        stored_file(latest, name, f"content of {name}".encode())
    stored_file(latest, "C:\\Users\\pupil\\text.md", b"own text.md")
    # The same assignment handed in elsewhere: another group of the school, another school.
    other_group = submit(scene.first, world.host.pupils_b[0], world.host.group_b)
    stored_file(other_group, "secret-a2.jpg")
    other_school = submit(scene.first, world.visiting.pupils_a[0], world.visiting.group_a)
    stored_file(other_school, "secret-visiting.jpg")
    # A pupil who has left keeps their work in this group's archive.
    left = submit(scene.first, neighbour, scene.group)
    stored_file(left, "mine.txt", b"text", content_type="text/plain")
    accounts.remove_from_group(neighbour, scene.group, Membership.Role.PUPIL)

    client.force_login(scene.teacher)
    url = reverse("assessments:gradebook_download", args=[scene.group.pk, scene.first.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "attachment" in response["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    names = archive.namelist()
    for name in names:
        path = PurePosixPath(name)
        assert not path.is_absolute() and ".." not in path.parts and "\\" not in name, name
    folder = "Иванова 🤖 Мария (a_pupil_a1)"
    assert sorted(names) == sorted(
        [
            f"{folder}/text.md",
            f"{folder}/photo.jpg",
            f"{folder}/PHOTO (2).jpg",
            f"{folder}/passwd",
            f"{folder}/робот 🤖.png",
            f"{folder}/file",
            f"{folder}/file (2)",
            f"{folder}/text (2).md",
            f"{neighbour.get_display_name()} (a_pupil_a2)/text.md",
            f"{neighbour.get_display_name()} (a_pupil_a2)/mine.txt",
        ]
    )
    assert archive.read(f"{folder}/text.md").decode() == "# Отчёт\nВсё работает"
    assert archive.read(f"{folder}/passwd") == b"content of ../../etc/passwd"
    assert not any("secret" in name or "old" in name for name in names)


def test_download_all_with_nothing_handed_in_says_so(client, scene):
    client.cookies["django_language"] = "en"
    client.force_login(scene.teacher)
    url = reverse("assessments:gradebook_download", args=[scene.group.pk, scene.first.pk])
    response = client.get(url, follow=True)
    assert response.redirect_chain[0][0] == scene.url()
    assert "Nobody in this group has handed in" in response.content.decode()


def test_download_all_refuses_more_than_the_limit(client, scene, settings):
    settings.LMS_DOWNLOAD_ALL_MAX_BYTES = 10
    stored_file(submit(scene.first, scene.world.host.pupils_a[0], scene.group), "a.jpg", b"x" * 11)
    client.cookies["django_language"] = "en"
    client.force_login(scene.teacher)
    url = reverse("assessments:gradebook_download", args=[scene.group.pk, scene.first.pk])
    response = client.get(url, follow=True)
    assert "too large to download at once" in response.content.decode()


def test_a_missing_stored_file_is_listed_not_fatal(scene):
    submission = submit(scene.first, scene.world.host.pupils_a[0], scene.group)
    gone = stored_file(submission, "gone.jpg")
    default_storage.delete(gone.file.name)
    stored_file(submission, "here.jpg", b"here")
    spool, summary = download_all.build_zip(download_all.latest_attempts(scene.group, scene.first))
    with spool, zipfile.ZipFile(spool) as archive:
        assert summary.files == 1 and len(summary.missing) == 1
        assert "missing-files.txt" in archive.namelist()
        assert "gone.jpg" in archive.read("missing-files.txt").decode()


def test_unique_names_are_case_insensitive_and_keep_the_extension():
    taken: set[str] = set()
    made = [download_all.unique_name(n, taken) for n in ("a.jpg", "A.JPG", "a.jpg", "a", "a")]
    assert made == ["a.jpg", "A (2).JPG", "a (3).jpg", "a", "a (2)"]


# --- My grades ---------------------------------------------------------------------------------


def test_my_grades_shows_only_my_released_grades_feedback_and_history(client, scene):
    me, classmate = scene.world.host.pupils_a
    mine = grade(
        submit(scene.first, me, scene.group),
        "9",
        feedback="**Молодец**<script>alert(1)</script>",
    )
    GradeChange.objects.create(grade=mine, after={"final_points": "6", "is_released": True})
    GradeChange.objects.create(
        grade=mine, after={"final_points": str(DRAFT_POINTS), "is_released": False}
    )
    GradeChange.objects.create(grade=mine, after={"final_points": "9", "is_released": True})
    GradeChange.objects.create(  # feedback edited, same points: not a new line
        grade=mine, after={"final_points": "9.00", "is_released": True, "feedback": "!"}
    )
    grade(submit(scene.second, me, scene.group), DRAFT_POINTS, released=False)
    grade(submit(scene.second, classmate, scene.group), "13.13", feedback="Чужой отзыв")

    courses = pupil_grades.my_grades(me)
    assert [len(c.grades) for c in courses] == [1]
    only = courses[0].grades[0]
    assert only.points == 9 and [e.points for e in only.history] == [6, 9]
    assert courses[0].percent == Decimal("90.0")

    client.force_login(me)
    content = client.get(reverse("assessments:gradebook_mine")).content.decode()
    assert "<strong>Молодец</strong>" in content and "<script>alert" not in content
    # Its only grade is a draft: listed once, as waiting for a grade, with no points.
    waiting = content.split('id="waiting"', 1)[1].split("</section>", 1)[0]
    assert content.count(">Светофор<") == 1 and ">Светофор<" in waiting
    assert "Чужой отзыв" not in content and "13,13" not in content
    assert not any(text in content for text in DRAFT_TEXTS)
    client.force_login(classmate)
    content = client.get(reverse("assessments:gradebook_mine")).content.decode()
    assert "Чужой отзыв" in content and "Молодец" not in content


def test_my_grades_empty(client, scene):
    client.cookies["django_language"] = "en"
    client.force_login(scene.world.host.pupils_b[0])
    response = client.get(reverse("assessments:gradebook_mine"))
    assert response.status_code == 200
    assert "No released grades yet" in response.content.decode()


# --- Queries do not grow with pupils, assignments or attempts -----------------------------------


@dataclass
class Case:
    teacher: User
    pupil: User
    group: StudyGroup
    course_id: int
    assignment: Assignment


def build_case(prefix: str, pupils: int, assignments: int) -> Case:
    """A group of `pupils` x `assignments` of its own course, every pupil with a released grade
    on each assignment (two attempts on every other one, a draft regrade on some), two files
    per latest attempt of the first assignment, and one pupil who left. Bulk-created."""
    tree = builders.build_course(f"{prefix}-course", modules=2, lessons=2)
    school = School.objects.create(name=f"Школа {prefix}", kind=School.Kind.HOST)
    teacher = builders.make_user(f"{prefix}_teacher", roles.TEACHER, school=school)
    group = StudyGroup.objects.create(school=school, name=prefix, academic_year="2026/2027")
    Membership.objects.create(user=teacher, group=group, role=Membership.Role.TEACHER)
    builders.enrol(group, tree)
    users = User.objects.bulk_create(
        [
            User(
                username=f"{prefix}-{n}",
                first_name=f"Имя{n}",
                last_name=f"Фамилия{n}",
                school=school,
                password="!unusable",
            )
            for n in range(pupils)
        ]
    )
    pupil_role = Group.objects.get(name=roles.PUPIL)
    User.groups.through.objects.bulk_create(
        [User.groups.through(user_id=u.pk, group_id=pupil_role.pk) for u in users]
    )
    Membership.objects.bulk_create(
        [Membership(user=u, group=group, role=Membership.Role.PUPIL) for u in users[1:]]
    )  # users[0] has left the group but keeps their work
    made = Assignment.objects.bulk_create(
        [
            Assignment(
                lesson=tree.lessons[n % len(tree.lessons)],
                course=tree.course,
                title=f"Задание {n}",
                counts="best" if n % 2 else "last",
                weight=Decimal(1 + n % 3),
            )
            for n in range(assignments)
        ]
    )
    now = timezone.now()
    submissions = Submission.objects.bulk_create(
        [
            Submission(
                assignment=a,
                pupil=u,
                group=group,
                attempt=attempt,
                status=Submission.Status.GRADED,
                is_late=(i + attempt) % 5 == 0,
                text="Готово",
                submitted_at=now,
            )
            for i, u in enumerate(users)
            for n, a in enumerate(made)
            for attempt in range(1, 3 if n % 2 else 2)
        ]
    )
    Grade.objects.bulk_create(
        [
            Grade(
                submission=s,
                points=Decimal(s.attempt + 5),
                final_points=Decimal(s.attempt + 5),
                is_released=s.pk % 7 != 0,
                feedback="Хорошо",
            )
            for s in submissions
        ]
    )
    first_latest = [s for s in submissions if s.assignment_id == made[0].pk]
    for s in first_latest:
        stored_file(s, "фото.jpg", b"1")
        stored_file(s, "фото.jpg", b"2")
    return Case(teacher, users[1], group, tree.course.pk, made[0])


def count_queries(client, user, url) -> int:
    client.force_login(user)
    assert client.get(url).status_code == 200  # warm caches (site root, catalogue link)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        if response.streaming:
            b"".join(response.streaming_content)
    assert response.status_code == 200, url
    return len(queries)


def test_query_counts_do_not_grow(client, django_assert_max_num_queries):
    small = build_case("s", pupils=3, assignments=2)
    large = build_case("l", pupils=30, assignments=40)
    assert Submission.objects.filter(group=large.group).count() == 30 * 60

    def pages(case: Case) -> dict[str, tuple[User, str]]:
        book = reverse("assessments:gradebook", args=[case.group.pk, case.course_id])
        return {
            "gradebook": (case.teacher, book),
            "sorted": (case.teacher, f"{book}?sort=total&dir=desc"),
            "csv": (case.teacher, book + "export.csv"),
            "xlsx": (case.teacher, book + "export.xlsx"),
            "zip": (
                case.teacher,
                reverse("assessments:gradebook_download", args=[case.group.pk, case.assignment.pk]),
            ),
            "my grades": (case.pupil, reverse("assessments:gradebook_mine")),
        }

    counts = {}
    for page, (user, url) in pages(small).items():
        small_count = count_queries(client, user, url)
        large_user, large_url = pages(large)[page]
        assert count_queries(client, large_user, large_url) == small_count, page
        client.force_login(large_user)
        client.get(large_url)  # the login saved the user (last_login): their cached row again
        with django_assert_max_num_queries(small_count, info=page):
            response = client.get(large_url)
            if response.streaming:
                b"".join(response.streaming_content)
        counts[page] = small_count
    print("query counts:", counts)
    large_book = gradebook.build_gradebook(large.group, large.assignment.course)
    assert len(large_book.rows) == 30 and len(large_book.columns) == 40
    assert large_book.rows[-1].has_left
