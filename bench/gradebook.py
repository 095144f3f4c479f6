"""Scale benchmark for the gradebook: the page, its CSV and XLSX exports, and "download all".

Builds a throwaway database (SQLite in a temporary directory, or the database DATABASE_URL
names, e.g. a scratch PostgreSQL database) with one teacher of a group of N pupils in a course
with A assignments, every pupil with graded attempts (two on every other assignment, a few
grades still drafts), and F small files per pupil on the first assignment; then measures
in-process with Django's test client: median and p95 time, SQL queries and size of

* the gradebook page (assessments:gradebook), also sorted by the course total;
* its CSV and XLSX exports;
* the ZIP of all work handed in for the first assignment.

    .venv/bin/python bench/gradebook.py [--pupils 30] [--assignments 40] [--files 2] [--repeat 20]

Production-like settings are not needed here: the figures are about queries and Python work.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from inprocess import setup_django  # noqa: E402
from pages import percentile  # noqa: E402  (nearest rank, as the load benchmark)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pupils", type=int, default=30)
    parser.add_argument("--assignments", type=int, default=40)
    parser.add_argument("--files", type=int, default=2, help="files per pupil in the ZIP")
    parser.add_argument("--file-kb", type=int, default=64, help="size of each file")
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()

    workdir = setup_django()  # noqa: F841 - lives as long as the run
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from tests import builders

    built = time.perf_counter()
    teacher, group, course, first = build(builders, args)
    print(
        f"built 1 group x {args.pupils} pupils x {args.assignments} assignments, "
        f"{args.pupils * args.files} files of {args.file_kb} KB "
        f"in {time.perf_counter() - built:.1f} s"
    )

    client = Client()
    client.force_login(teacher)
    book = reverse("assessments:gradebook", args=[group.pk, course.pk])
    targets = (
        ("gradebook", book),
        ("sorted", f"{book}?sort=total&dir=desc"),
        ("export CSV", reverse("assessments:gradebook_export", args=[group.pk, course.pk, "csv"])),
        (
            "export XLSX",
            reverse("assessments:gradebook_export", args=[group.pk, course.pk, "xlsx"]),
        ),
        ("ZIP", reverse("assessments:gradebook_download", args=[group.pk, first.pk])),
    )
    for label, url in targets:
        timings, queries, size = [], 0, 0
        for _ in range(args.repeat):
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = client.get(url)
                body = (
                    b"".join(response.streaming_content) if response.streaming else response.content
                )
                timings.append(time.perf_counter() - started)
            assert response.status_code == 200, (url, response.status_code)
            queries, size = len(captured), len(body)
        print(
            f"{label:<12} median {statistics.median(timings) * 1000:7.1f} ms  "
            f"p95 {percentile(sorted(timings), 0.95) * 1000:7.1f} ms  "
            f"{queries} queries  {size // 1024} KB"
        )


def build(builders, args):
    """Bulk-created pupils, assignments, attempts and grades; files written to MEDIA_ROOT."""
    from decimal import Decimal

    from django.contrib.auth.models import Group
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage
    from django.utils import timezone

    from assessments import uploads
    from assessments.models import Assignment, Grade, Submission, SubmissionFile
    from lms import roles
    from lms.models import Membership, StudyGroup, User

    tree = builders.build_course("bench", modules=2, lessons=5)
    school = builders.build_school("bench", pupils=0).school
    teacher = builders.make_user("bench_teacher", roles.TEACHER, school=school)
    group = StudyGroup.objects.create(school=school, name="Группа", academic_year="2026/2027")
    Membership.objects.create(user=teacher, group=group, role=Membership.Role.TEACHER)
    builders.enrol(group, tree)
    User.objects.bulk_create(
        [
            User(username=f"p{n}", last_name=f"Ученик{n}", first_name="Имя", school=school)
            for n in range(args.pupils)
        ]
    )
    pupils = list(User.objects.filter(username__regex=r"^p[0-9]+$"))
    role = Group.objects.get(name=roles.PUPIL)
    User.groups.through.objects.bulk_create(
        [User.groups.through(user_id=p.pk, group_id=role.pk) for p in pupils]
    )
    Membership.objects.bulk_create(
        [Membership(user=p, group=group, role=Membership.Role.PUPIL) for p in pupils]
    )
    assignments = Assignment.objects.bulk_create(
        [
            Assignment(
                lesson=tree.lessons[n % len(tree.lessons)],
                course=tree.course,
                title=f"Задание {n + 1}",
                counts="best" if n % 2 else "last",
                weight=Decimal(1 + n % 3),
            )
            for n in range(args.assignments)
        ]
    )
    now = timezone.now()
    submissions = Submission.objects.bulk_create(
        [
            Submission(
                assignment=a,
                pupil=p,
                group=group,
                attempt=attempt,
                status=Submission.Status.GRADED,
                is_late=(i + n) % 7 == 0,
                text="Готово: робот проходит трассу.",
                submitted_at=now,
            )
            for i, p in enumerate(pupils)
            for n, a in enumerate(assignments)
            for attempt in range(1, 3 if n % 2 else 2)
        ]
    )
    Grade.objects.bulk_create(
        [
            Grade(
                submission=s,
                points=Decimal(5 + (s.pk % 6)),
                final_points=Decimal(5 + (s.pk % 6)),
                is_released=s.pk % 11 != 0,
                released_at=now,
                feedback="Хорошо",
            )
            for s in submissions
        ]
    )
    payload = os.urandom(args.file_kb * 1024)  # incompressible, like photos
    files = []
    latest = {}
    for s in submissions:
        if s.assignment_id == assignments[0].pk:
            latest[s.pupil_id] = s
    for s in latest.values():
        for k in range(args.files):
            name = default_storage.save(uploads.storage_name("jpg"), ContentFile(payload))
            files.append(
                SubmissionFile(
                    submission=s,
                    file=name,
                    display_name=f"фото {k + 1}.jpg",
                    kind="image",
                    content_type="image/jpeg",
                    size=len(payload),
                )
            )
    SubmissionFile.objects.bulk_create(files)
    return teacher, group, tree.course, assignments[0]


if __name__ == "__main__":
    main()
