"""The pupil's side as plain functions: drafts, files, handing in, attempts, deadlines."""

import threading
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.utils import timezone, translation

from assessments import submissions
from assessments.deadlines import Window
from assessments.models import Extension, Grade, Submission, SubmissionFile
from assessments.submissions import SubmitError
from tests import builders
from tests.assessments.builders import make_assignment

pytestmark = pytest.mark.django_db

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00"
    b"\x00\x00IEND\xaeB`\x82"
)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    with translation.override("en"):
        yield


@pytest.fixture
def scene(two_schools):
    assignment = make_assignment(two_schools.tree.lessons[0], max_attempts=2)
    return two_schools, assignment, two_schools.host.pupils_a[0]


def test_the_group_is_found_through_the_enrolment(scene):
    two_schools, assignment, pupil = scene
    assert submissions.pupil_group(pupil, assignment) == two_schools.host.group_a
    # The visiting group takes module 1: its pupils take this lesson's assignment too.
    visiting = two_schools.visiting.pupils_a[0]
    assert submissions.pupil_group(visiting, assignment) == two_schools.visiting.group_a
    # Not enrolled, or in module 2 only: no group, and the state says why.
    assert submissions.pupil_group(two_schools.host.pupils_b[0], assignment) is None
    with pytest.raises(SubmitError, match="not part of your group"):
        submissions.pupil_state(two_schools.host.pupils_b[0], assignment)
    module2 = make_assignment(two_schools.tree.lessons_of(two_schools.tree.modules[1])[0])
    assert submissions.pupil_group(visiting, module2) is None


def test_draft_text_files_and_handing_in(scene):
    _two_schools, assignment, pupil = scene
    state = submissions.pupil_state(pupil, assignment)
    draft = submissions.start_draft(state, pupil)
    assert submissions.start_draft(state, pupil) == draft  # idempotent
    with pytest.raises(SubmitError, match="Add a file or write"):
        submissions.submit(draft, state)
    submissions.save_text(draft, "Робот проехал трассу за 12 секунд.")
    photo = submissions.add_file(draft, SimpleUploadedFile("робот 🤖.png", PNG))
    assert photo.kind == "image" and photo.display_name == "робот 🤖.png"
    assert "робот" not in photo.file.name  # stored under a generated name
    handed = submissions.submit(draft, submissions.pupil_state(pupil, assignment))
    assert handed.status == Submission.Status.SUBMITTED and handed.submitted_at
    assert not handed.is_late
    # A submitted attempt never changes.
    with pytest.raises(SubmitError, match="handed in"):
        submissions.save_text(handed, "changed")
    with pytest.raises(SubmitError, match="handed in"):
        submissions.add_file(handed, SimpleUploadedFile("b.png", PNG))
    assert submissions.submit(handed, state).pk == handed.pk  # again: nothing happens


def test_a_bad_file_leaves_nothing_behind(scene, tmp_path):
    _two_schools, assignment, pupil = scene
    state = submissions.pupil_state(pupil, assignment)
    draft = submissions.start_draft(state, pupil)
    for name, content in [("virus.jpg", b"MZ\x90\x00" + b"\x00" * 200), ("empty.png", b"")]:
        with pytest.raises(SubmitError):
            submissions.add_file(draft, SimpleUploadedFile(name, content))
    assert not SubmissionFile.objects.exists()
    assert not any(path.is_file() for path in tmp_path.rglob("*"))


def test_a_new_attempt_copies_the_last_and_attempts_run_out(scene):
    _two_schools, assignment, pupil = scene
    state = submissions.pupil_state(pupil, assignment)
    first = submissions.start_draft(state, pupil)
    submissions.save_text(first, "v1")
    submissions.add_file(first, SimpleUploadedFile("a.png", PNG))
    submissions.submit(first, state)

    state = submissions.pupil_state(pupil, assignment)
    assert state.attempts_left == 1
    second = submissions.start_draft(state, pupil)
    assert second.attempt == 2 and second.text == "v1"
    copied = second.files.get()
    assert copied.file.name == first.files.get().file.name  # shared, not copied
    submissions.remove_file(second, copied.pk)
    assert first.files.get().file.storage.exists(first.files.get().file.name)  # still there
    submissions.save_text(second, "v2")
    submissions.submit(second, submissions.pupil_state(pupil, assignment))

    state = submissions.pupil_state(pupil, assignment)
    assert state.attempts_left == 0
    with pytest.raises(SubmitError, match="all your attempts"):
        submissions.start_draft(state, pupil)

    # Returned for rework: one more attempt, whatever the limit.
    Submission.objects.filter(pk=second.pk).update(status=Submission.Status.RETURNED)
    state = submissions.pupil_state(pupil, assignment)
    assert state.reopened
    assert submissions.start_draft(state, pupil).attempt == 3


def test_windows_late_days_and_extensions(scene):
    two_schools, assignment, pupil = scene
    now = timezone.now()
    assignment.opens_at = now + timedelta(days=1)
    assignment.save()
    state = submissions.pupil_state(pupil, assignment, now)
    assert state.window is Window.NOT_OPEN
    with pytest.raises(SubmitError, match="opens on"):
        submissions.start_draft(state, pupil)

    assignment.opens_at = now - timedelta(days=10)
    assignment.due_at = now - timedelta(days=2, hours=1)
    assignment.cutoff_at = now - timedelta(days=1)
    assignment.save()
    state = submissions.pupil_state(pupil, assignment, now)
    assert state.window is Window.CLOSED
    with pytest.raises(SubmitError, match="closed on"):
        submissions.start_draft(state, pupil)

    # An extension reopens it for this pupil only: due an hour ago, accepted until tomorrow.
    Extension.objects.create(
        assignment=assignment,
        pupil=pupil,
        group=two_schools.host.group_a,
        due_at=now - timedelta(hours=1),
        cutoff_at=now + timedelta(days=1),
    )
    assert submissions.pupil_state(two_schools.host.pupils_a[1], assignment, now).window is (
        Window.CLOSED
    )
    state = submissions.pupil_state(pupil, assignment, now)
    assert state.window is Window.LATE
    draft = submissions.start_draft(state, pupil)
    submissions.save_text(draft, "поздно, но сделал")
    handed = submissions.submit(draft, state, now)
    assert handed.is_late and handed.late_days == 1


def test_an_archived_assignment_takes_no_work(scene):
    _two_schools, assignment, pupil = scene
    assignment.is_archived = True
    assignment.save()
    with pytest.raises(SubmitError, match="archived"):
        submissions.start_draft(submissions.pupil_state(pupil, assignment), pupil)


def test_a_pupil_who_leaves_keeps_work_and_grade(scene):
    two_schools, assignment, pupil = scene
    state = submissions.pupil_state(pupil, assignment)
    draft = submissions.start_draft(state, pupil)
    submissions.save_text(draft, "готово")
    handed = submissions.submit(draft, state)
    Grade.objects.create(submission=handed, points=Decimal("8"), final_points=Decimal("8"))
    from lms import accounts
    from lms.models import Membership

    accounts.remove_from_group(pupil, two_schools.host.group_a, Membership.Role.PUPIL)
    handed.refresh_from_db()
    assert handed.group == two_schools.host.group_a
    assert handed.grade.final_points == Decimal("8")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_simultaneous_submits_consume_one_attempt():
    if connection.vendor != "postgresql":
        pytest.skip("needs real concurrent transactions (PostgreSQL); SQLite serialises writers")
    two_schools = builders.build_two_schools()
    assignment = make_assignment(two_schools.tree.lessons[0], max_attempts=3)
    pupil = two_schools.host.pupils_a[0]
    state = submissions.pupil_state(pupil, assignment)
    draft = submissions.start_draft(state, pupil)
    submissions.save_text(draft, "готово")
    barrier = threading.Barrier(4)
    errors = []

    def hand_in():
        from django.db import connection as own

        try:
            barrier.wait()
            copy = Submission.objects.get(pk=draft.pk)
            submissions.submit(copy, submissions.pupil_state(pupil, assignment))
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            own.close()

    threads = [threading.Thread(target=hand_in) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    handed = Submission.objects.filter(assignment=assignment, pupil=pupil)
    assert handed.count() == 1
    assert handed.get().status == Submission.Status.SUBMITTED
    assert submissions.pupil_state(pupil, assignment).attempts_left == 2
