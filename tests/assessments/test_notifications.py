"""Who is told what: released and returned work, new work for the graders, due dates; once
per event; in the person's language; and through a real task worker on PostgreSQL."""

import os
import subprocess
import sys
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.core import mail
from django.core.cache import cache
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessments import grading, notifications, tasks
from assessments.models import Notification, Submission
from tests import builders
from tests.assessments.builders import make_assignment, submit

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def scene(two_schools):
    assignment = make_assignment(two_schools.tree.lessons[0], max_points=Decimal("10"))
    pupil = two_schools.host.pupils_a[0]
    pupil.email = "pupil@example.org"
    pupil.save()
    return two_schools, assignment, pupil


def test_a_released_grade_tells_the_pupil_once_in_their_language(
    scene, django_capture_on_commit_callbacks
):
    _two, assignment, pupil = scene
    pupil.preferred_language = "en"
    pupil.save()
    work = submit(assignment, pupil, _two.host.group_a)
    with django_capture_on_commit_callbacks(execute=True):
        grading.save_grade(work, _two.host.teacher_a, points="8", release=False)
    assert not Notification.objects.filter(user=pupil).exists()  # a draft tells nobody
    with django_capture_on_commit_callbacks(execute=True):
        grade = grading.save_grade(work, _two.host.teacher_a, points="9", release=True)
    note = Notification.objects.get(user=pupil)
    assert note.kind == Notification.Kind.RELEASED
    assert "is graded: 9 of 10 points." in note.title  # no "9.00": lms.numbers
    assert note.url == reverse("assessments:assignment", args=[assignment.pk])
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["pupil@example.org"]
    # Retried task, or the grade edited again: nobody is told twice.
    tasks.notify.enqueue(Notification.Kind.RELEASED, grade.pk)
    with django_capture_on_commit_callbacks(execute=True):
        grading.save_grade(work, _two.host.teacher_a, points="10", release=True)
    assert Notification.objects.filter(user=pupil).count() == 1
    assert len(mail.outbox) == 1


def test_a_released_grade_in_russian_has_a_decimal_comma_a_plural_and_no_doubled_quotes(
    scene, django_capture_on_commit_callbacks
):
    two, assignment, pupil = scene
    assignment.title = "Проект «Угадай число»"
    assignment.save()
    work = submit(assignment, pupil, two.host.group_a)
    with django_capture_on_commit_callbacks(execute=True):
        grading.save_grade(work, two.host.teacher_a, points="8.5", release=True)
    note = Notification.objects.get(user=pupil)
    assert note.title == "Ваша работа «Проект „Угадай число“» оценена: 8,5 из 10 баллов."


def test_new_work_tells_the_groups_graders_only(scene, django_capture_on_commit_callbacks):
    two, assignment, pupil = scene
    from assessments import submissions

    state = submissions.pupil_state(pupil, assignment)
    draft = submissions.start_draft(state, pupil)
    submissions.save_text(draft, "готово")
    with django_capture_on_commit_callbacks(execute=True):
        submissions.submit(draft, state)
    told = set(Notification.objects.values_list("user__username", flat=True))
    assert told == {two.host.teacher_a.username}  # not a-2's teacher, not the other school


def test_returned_work_tells_the_pupil_in_russian_by_default(
    scene, django_capture_on_commit_callbacks
):
    two, assignment, pupil = scene
    work = submit(assignment, pupil, two.host.group_a)
    with django_capture_on_commit_callbacks(execute=True):
        grading.return_for_rework(work, two.host.teacher_a, "Переделай датчик.")
    note = Notification.objects.get(user=pupil)
    assert note.kind == Notification.Kind.RETURNED
    assert "доработку" in note.title


def test_due_soon_reminds_those_who_have_not_handed_in_and_their_teachers(scene):
    two, assignment, pupil = scene
    assignment.due_at = timezone.now() + timedelta(hours=5)
    assignment.save()
    submit(assignment, pupil, two.host.group_a)
    tasks.remind_due_soon.enqueue()
    reminded = set(Notification.objects.values_list("user__username", flat=True))
    # a-1 takes the whole course, v-1 module 1 (where the lesson is): their other pupils, and
    # each group's teacher (how many have handed in). a-2 takes nothing: nobody there.
    expected = (
        {p.username for p in two.host.pupils_a[1:]}
        | {p.username for p in two.visiting.pupils_a}
        | {two.host.teacher_a.username, two.visiting.teacher_a.username}
    )
    assert reminded == expected
    teacher_note = Notification.objects.get(user=two.host.teacher_a)
    assert teacher_note.url == reverse("assessments:grading_queue", args=[two.host.group_a.pk])
    tasks.remind_due_soon.enqueue()  # hourly cron: nobody twice
    assert Notification.objects.count() == len(expected)


def test_the_list_shows_own_notifications_and_a_post_marks_them_read(client, scene):
    two, _assignment, pupil = scene
    mine = Notification.objects.create(user=pupil, kind="released", title="Моя оценка", key="a")
    other = two.host.pupils_a[1]
    Notification.objects.create(user=other, kind="released", title="Чужая", key="b")
    client.force_login(pupil)
    assert notifications.unread_count(pupil) == 1
    page = client.get(reverse("assessments:notifications")).content.decode()
    assert "Моя оценка" in page and "Чужая" not in page
    assert f'name="up_to" value="{mine.pk}"' in page and "data-mark-read" in page
    # Showing the list changes nothing: a picture on another site pointing here marks nothing.
    assert notifications.unread_count(pupil) == 1
    read = reverse("assessments:notifications_read")
    response = client.post(read, {"up_to": mine.pk}, headers={"X-Requested-With": "fetch"})
    assert response.status_code == 204
    assert notifications.unread_count(pupil) == 0
    assert Notification.objects.get(user=other).read_at is None  # only one's own
    # The button without script: back to the list; a second press marks nothing more.
    assert client.post(read, {"up_to": mine.pk}).url == reverse("assessments:notifications")
    assert "data-mark-read" not in client.get(reverse("assessments:notifications")).content.decode()


def test_marking_read_keeps_what_arrived_after_the_page_and_refuses_get(client, scene):
    _two, _assignment, pupil = scene
    shown = Notification.objects.create(user=pupil, kind="released", title="Старая", key="a")
    client.force_login(pupil)
    client.get(reverse("assessments:notifications"))
    later = Notification.objects.create(user=pupil, kind="released", title="Новая", key="b")
    read = reverse("assessments:notifications_read")
    assert client.get(read).status_code == 405
    client.post(read, {"up_to": shown.pk})
    shown.refresh_from_db(), later.refresh_from_db()
    assert shown.read_at is not None and later.read_at is None
    # Garbage instead of a number: everything unread so far, never a 500.
    assert client.post(read, {"up_to": "<script>"}).status_code == 302
    later.refresh_from_db()
    assert later.read_at is not None


def test_marking_read_needs_a_login_and_a_csrf_token(scene):
    from django.test import Client

    _two, _assignment, pupil = scene
    Notification.objects.create(user=pupil, kind="released", title="Моя", key="a")
    read = reverse("assessments:notifications_read")
    assert Client().post(read).status_code == 302  # to the login page
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(pupil)
    assert strict.post(read).status_code == 403  # a form on another site cannot do it
    assert notifications.unread_count(pupil) == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_real_db_worker_delivers_queued_notifications():
    if connection.vendor != "postgresql":
        pytest.skip("the task worker test needs PostgreSQL (a second process on the same database)")
    two = builders.build_two_schools()
    assignment = make_assignment(two.tree.lessons[0])
    pupil = two.host.pupils_a[0]
    work = submit(assignment, pupil, two.host.group_a)
    Submission.objects.filter(pk=work.pk).update(status=Submission.Status.RETURNED)
    backend = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    with override_settings(TASKS=backend):
        result = tasks.notify.enqueue(Notification.Kind.RETURNED, work.pk)
        assert not Notification.objects.exists()  # queued, not run
        db = connection.settings_dict
        env = {
            **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
            "DATABASE_URL": (
                f"postgresql://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
                f"/{db['NAME']}"
            ),
        }
        worker = subprocess.run(
            [sys.executable, "manage.py", "db_worker", "--batch", "--no-startup-delay"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert worker.returncode == 0, worker.stderr[-2000:]
        result.refresh()
        assert result.status == "SUCCESSFUL", worker.stderr[-2000:]
    assert Notification.objects.get(user=pupil).kind == Notification.Kind.RETURNED


# --- The 🔔's unread count in the header --------------------------------------------------------


def _bell(html: str) -> str:
    return html.split('class="btn btn-small btn-ghost bell', 1)[1].split("</a>", 1)[0]


def test_the_bell_shows_the_unread_count_and_99_plus(en, scene):
    _two, _assignment, pupil = scene
    en.force_login(pupil)
    bell = _bell(en.get(reverse("courses:my_courses")).content.decode())
    assert "bell-count" not in bell and "Notifications" in bell
    Notification.objects.bulk_create(
        [Notification(user=pupil, kind="released", title=f"№{n}", key=f"k{n}") for n in range(3)]
    )
    cache.delete(notifications.unread_cache_key(pupil.pk))  # bulk_create skips deliver()
    bell = _bell(en.get(reverse("courses:my_courses")).content.decode())
    assert 'class="bell-count" aria-hidden="true">3<' in bell and "Notifications: 3 unread" in bell
    Notification.objects.bulk_create(
        [Notification(user=pupil, kind="released", title=f"№{n}", key=f"m{n}") for n in range(997)]
    )
    cache.delete(notifications.unread_cache_key(pupil.pk))
    assert notifications.unread_count(pupil) == notifications.UNREAD_COUNT_CAP  # counted to 100
    bell = _bell(en.get(reverse("courses:my_courses")).content.decode())
    assert ">99+<" in bell and "more than 99 unread" in bell


def test_the_count_costs_no_query_once_warm_and_follows_every_write(en, scene):
    two, assignment, pupil = scene
    en.force_login(pupil)
    page = reverse("assessments:gradebook_mine")
    en.get(page)  # warm: the count is cached
    with CaptureQueriesContext(connection) as warm:
        en.get(page)
    assert not [q for q in warm.captured_queries if "notification" in q["sql"].lower()]
    # Delivered: the cached count is dropped, the next page shows it.
    message = notifications.Message("released", pupil, "x", "Новое", "/")
    assert notifications.deliver([message]) == 1
    assert 'aria-hidden="true">1<' in _bell(en.get(page).content.decode())
    with CaptureQueriesContext(connection) as again:
        en.get(page)
    assert len(again) == len(warm)  # warm again: the same queries as before
    # Marked read (the list page's POST): dropped again, the bell is empty.
    en.post(reverse("assessments:notifications_read"))
    assert "bell-count" not in _bell(en.get(page).content.decode())


def test_returned_work_encourages_and_links_straight_to_the_work(
    scene, django_capture_on_commit_callbacks
):
    two, assignment, pupil = scene
    pupil.preferred_language = "en"
    pupil.save()
    submit(assignment, pupil, two.host.group_a)
    second = submit(assignment, pupil, two.host.group_a, attempt=2)
    with django_capture_on_commit_callbacks(execute=True):
        grading.return_for_rework(second, two.host.teacher_a, "Переделай датчик.")
    note = Notification.objects.get(user=pupil)
    assert note.title == (
        f"Your teacher returned your work “{assignment.title}” for rework: "
        "read the feedback and try again."
    )
    assert note.url == reverse("assessments:assignment", args=[assignment.pk]) + "#attempt-2"
