"""Scale benchmark for the teacher's and school admin's pages and the roster import.

Builds a throwaway database (SQLite in a temporary directory, or the database DATABASE_URL
names, e.g. a scratch PostgreSQL database) with one teacher of N groups of M pupils in a course
of modules x lessons with progress, then measures in-process with Django's test client:

* "My groups" (teach:groups) and one group's page with the progress grid (teach:group):
  median time and the number of SQL queries;
* importing a CSV roster of R rows into a new group (check + write), and exporting it.

    .venv/bin/python bench/teaching.py [--groups 10] [--pupils 30] [--rows 10000] [--repeat 20]

Production-like settings are not needed here: the figures are about queries and Python work.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from inprocess import setup_django  # noqa: E402
from pages import percentile  # noqa: E402  (nearest rank, as the load benchmark)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--groups", type=int, default=10)
    parser.add_argument("--pupils", type=int, default=30)
    parser.add_argument("--modules", type=int, default=4)
    parser.add_argument("--lessons", type=int, default=8, help="lessons per module")
    parser.add_argument("--rows", type=int, default=10_000, help="rows of the imported CSV")
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()

    workdir = setup_django()  # noqa: F841 - lives as long as the run
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    settings.LMS_ROSTER_MAX_ROWS = max(settings.LMS_ROSTER_MAX_ROWS, args.rows)
    settings.LMS_ROSTER_MAX_BYTES = max(settings.LMS_ROSTER_MAX_BYTES, args.rows * 200)

    from tests import builders

    built = time.perf_counter()
    teacher, groups = build(builders, args)
    print(
        f"built {args.groups} groups x {args.pupils} pupils, "
        f"{args.modules}x{args.lessons} lessons in {time.perf_counter() - built:.1f} s"
    )

    client = Client()
    client.force_login(teacher)
    from django.urls import reverse

    for label, url in (
        ("my groups", reverse("teach:groups")),
        ("group page", reverse("teach:group", args=[groups[0].pk])),
    ):
        timings, queries = [], 0
        for _ in range(args.repeat):
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = client.get(url)
                timings.append(time.perf_counter() - started)
            assert response.status_code == 200, (url, response.status_code)
            queries = len(captured)
        print(
            f"{label:<12} median {statistics.median(timings) * 1000:7.1f} ms  "
            f"p95 {percentile(sorted(timings), 0.95) * 1000:7.1f} ms  "
            f"{queries} queries  {len(response.content) // 1024} KB"
        )

    bench_import(args, groups[0].school, teacher)


def build(builders, args):
    from courses.models import LessonProgress
    from lms import group_permissions, roles
    from lms.models import Membership, StudyGroup, User

    tree = builders.build_course("bench", modules=args.modules, lessons=args.lessons)
    school = builders.build_school("bench", pupils=0).school
    teacher = builders.make_user("bench_teacher", roles.TEACHER, school=school)
    groups = []
    for g in range(args.groups):
        group = StudyGroup.objects.create(
            school=school, name=f"Группа {g}", academic_year="2026/2027"
        )
        Membership.objects.create(user=teacher, group=group, role=Membership.Role.TEACHER)
        builders.enrol(group, tree)
        pupils = User.objects.bulk_create(
            [
                User(username=f"p{g}_{n}", last_name=f"Ученик{n}", first_name="Имя", school=school)
                for n in range(args.pupils)
            ]
        )
        pupils = list(User.objects.filter(username__startswith=f"p{g}_"))
        Membership.objects.bulk_create(
            [Membership(user=p, group=group, role=Membership.Role.PUPIL) for p in pupils]
        )
        LessonProgress.objects.bulk_create(
            [
                LessonProgress(user=p, lesson=lesson, course=tree.course)
                for i, p in enumerate(pupils)
                for lesson in tree.lessons[: i % len(tree.lessons)]
            ]
        )
        groups.append(group)
    group_permissions.sync()
    return teacher, groups


def bench_import(args, school, teacher) -> None:
    from lms import roster
    from lms.models import Membership, StudyGroup
    from lms.roster_files import write_csv

    group = StudyGroup.objects.create(school=school, name="Импорт", academic_year="2026/2027")
    Membership.objects.create(user=teacher, group=group, role=Membership.Role.TEACHER)
    rows = [[f"Фамилия{n}", f"Имя{n}", ""] for n in range(args.rows)]
    data = write_csv(["Фамилия", "Имя", "Логин"], rows)
    tracemalloc.start()
    started = time.perf_counter()
    plan = roster.read_and_plan(group, data, "roster.csv", teacher)
    checked = time.perf_counter()
    assert plan.ok, plan.errors[:5]
    result = roster.apply_import(group, plan)
    done = time.perf_counter()
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    again = time.perf_counter()
    second = roster.read_and_plan(group, data, "roster.csv", teacher)
    repeat_done = time.perf_counter()
    assert not second.create and not second.add and second.unchanged == args.rows
    started_export = time.perf_counter()
    exported = roster.export_xlsx(group)
    exported_at = time.perf_counter()
    print(
        f"import {args.rows} rows ({len(data) // 1024} KB CSV): check {checked - started:.2f} s, "
        f"write {done - checked:.2f} s, {len(result.created)} accounts, "
        f"peak Python memory {peak / 2**20:.0f} MB"
    )
    print(f"re-import of the same file: {repeat_done - again:.2f} s, nothing to change")
    print(f"export XLSX: {exported_at - started_export:.2f} s, {len(exported) // 1024} KB")


if __name__ == "__main__":
    main()
