"""Loading the whole region: courses once, then the schools and staff, then the pupils and their
work chunk by chunk, each chunk (about `CHUNK_PUPILS` pupils with every row of theirs) in one
transaction. A failure leaves whole chunks behind and nothing half-written; `remove` (the
command's --replace) deletes the region again. The benchmark courses stay: they are content."""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone

from assessments.models import Grade, GradeChange, Notification, Submission
from assessments.programming.models import CodeSubmission, JudgedTest
from assessments.quiz.models import AttemptQuestion, QuizAttempt
from courses.models import Enrolment, LessonProgress
from demo.benchmark_data import content, people, work
from demo.benchmark_data.names import LOGIN_PREFIX, SCHOOL_MARK
from demo.benchmark_data.writer import Ids, Writer
from lms import roles
from lms.models import Membership, School, StudyGroup, StudyGroupUserObjectPermission, User

# Every benchmark account's password, printed by the command; hashed once (hashing is slow by
# design). A benchmark database, never a production one (the command refuses there).
PASSWORD = "bench-region"  # noqa: S105
CHUNK_PUPILS = 2000


@dataclass(frozen=True)
class Sizes:
    schools: int
    groups: int
    pupils: int
    submissions: int
    seed: int = 2026
    batch_size: int = 10_000


class ChunkFailed(Exception):
    """A chunk's transaction was rolled back; the message says what is left in the database."""


def _benchmark_users():
    return User.objects.filter(username__startswith=LOGIN_PREFIX)


def _benchmark_schools():
    return School.objects.filter(name__endswith=SCHOOL_MARK)


def existing() -> dict[str, int]:
    """How much of a benchmark region is in the database (empty dict: none)."""
    found = {
        "schools": _benchmark_schools().count(),
        "accounts": _benchmark_users().count(),
    }
    return found if any(found.values()) else {}


def remove(say: Callable[[str], None]) -> None:
    """Delete the region's rows in one transaction (raw DELETEs: the app's own deletion would
    walk a million objects; its PROTECT rules are for content edits, not this)."""
    users = _benchmark_users().values("pk")
    schools = _benchmark_schools().values("pk")
    mine = {"submission__pupil__in": users}
    steps = [
        (Notification, {"user__in": users}),
        (JudgedTest, {"code_submission__submission__pupil__in": users}),
        (CodeSubmission, mine),
        (AttemptQuestion, {"attempt__submission__pupil__in": users}),
        (QuizAttempt, mine),
        (GradeChange, {"grade__submission__pupil__in": users}),
        (Grade, mine),
        (Submission, {"pupil__in": users}),
        (LessonProgress, {"user__in": users}),
        (Enrolment, {"group__school__in": schools}),
        (StudyGroupUserObjectPermission, {"content_object__school__in": schools}),
        (Membership, {"group__school__in": schools}),
        (User.groups.through, {"user__in": users}),
        (StudyGroup, {"school__in": schools}),
        (User, {"username__startswith": LOGIN_PREFIX}),
        (School, {"name__endswith": SCHOOL_MARK}),
    ]
    started = time.monotonic()
    with transaction.atomic():
        for model, condition in steps:
            queryset = model.objects.filter(**condition)
            deleted = queryset._raw_delete(queryset.db)
            say(f"  deleted {deleted:,} rows of {model._meta.db_table}")
    say(f"Old benchmark region deleted in {time.monotonic() - started:.0f} s.")


def _chunks(plans: list[people.GroupPlan]) -> list[list[people.GroupPlan]]:
    chunks, current, size = [], [], 0
    for plan in plans:
        current.append(plan)
        size += plan.size
        if size >= CHUNK_PUPILS:
            chunks.append(current)
            current, size = [], 0
    if current:
        chunks.append(current)
    return chunks


def _elapsed(started: float) -> str:
    seconds = int(time.monotonic() - started)
    return f"{seconds // 60}:{seconds % 60:02d}"


def load(sizes: Sizes, say: Callable[[str], None]) -> dict[str, int]:
    """Build the region; returns the row counts per table."""
    started = time.monotonic()
    rng = random.Random(sizes.seed)
    with transaction.atomic():
        pages = content.ensure_courses()
    courses = content.describe(pages, sizes.seed)
    say(
        f"Courses: {len(courses)} ({sum(len(c.lessons) for c in courses)} lessons, "
        f"{sum(len(c.works) for c in courses)} assignments) [{_elapsed(started)}]"
    )
    password = make_password(PASSWORD)
    now = timezone.now()
    writer = Writer(sizes.batch_size)
    with transaction.atomic():
        region = people.write_region(
            writer, schools=sizes.schools, groups=sizes.groups, pupils=sizes.pupils,
            courses=courses, password=password, now=now, rng=rng,
        )  # fmt: skip
        writer.flush()
    say(
        f"Schools: {len(region.schools):,}, groups: {len(region.groups):,}, teachers: "
        f"{len(region.teachers):,}, school admins: {len(region.admins):,} [{_elapsed(started)}]"
    )
    activities = work.activities(sizes.pupils, rng)
    quotas = work.quotas(sizes.submissions, activities)
    work.declare_tables(writer)
    ctx = work.Context(
        writer=writer,
        submissions=Ids(Submission, sizes.batch_size),
        grades=Ids(Grade, sizes.batch_size),
        courses={c.id: c for c in courses},
        now=now,
        term_start=now - content.TERM_DAYS * work.DAY,
        messages={},
    )
    user_ids = Ids(User, CHUNK_PUPILS)
    pupil_role = people.role_ids()[roles.PUPIL]
    chunks = _chunks(region.groups)
    index, carry, pupils_done = 0, 0, 0
    for number, chunk in enumerate(chunks, start=1):
        try:
            with transaction.atomic():
                for plan in chunk:
                    group_rng = random.Random(f"{sizes.seed}:{plan.number}")
                    made = people.write_pupils(
                        writer, plan, ids=user_ids, password=password, pupil_role=pupil_role,
                        start=ctx.term_start, now=now, rng=group_rng,
                    )  # fmt: skip
                    for pupil_id, name in made:
                        activity = activities[index]
                        quota = quotas[index] + (carry if activity > 0 else 0)
                        if activity > 0:
                            carry = 0
                        carry += work.write_pupil(
                            ctx, pupil_id, name, plan, activity, quota, group_rng
                        )
                        index += 1
                writer.flush()
        except Exception as error:
            raise ChunkFailed(
                f"Chunk {number} of {len(chunks)} failed and was rolled back: {error!r}. "
                f"The courses, the schools and staff and {pupils_done:,} pupils (chunks 1 to "
                f"{number - 1}) with all their work are in the database; the region is "
                "incomplete. Run the command again with --replace to delete it and start over."
            ) from error
        pupils_done = index
        say(
            f"  chunk {number}/{len(chunks)}: {pupils_done:,}/{sizes.pupils:,} pupils, "
            f"{writer.count(Submission):,} submissions, {writer.total:,} rows, "
            f"{writer.rate():,.0f} rows/s [{_elapsed(started)}]"
        )
    if carry:
        say(f"{carry:,} submissions found no room (the pupils' assignments were full).")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # fresh statistics for the query planner
            for table in writer.tables.values():
                cursor.execute(f"ANALYZE {connection.ops.quote_name(table.name)}")
    counts = {table.name: table.written for table in writer.tables.values()}
    say(
        f"Done: {writer.total:,} rows in {_elapsed(started)} "
        f"({writer.total / max(time.monotonic() - started, 1e-6):,.0f} rows/s overall)."
    )
    return counts
