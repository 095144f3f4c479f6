"""The pinned pages at regional scale: each page's query count and p50/p95 on the small demo,
then again in the same database after `manage.py load_benchmark_data` has added a region
(default: 100 schools, 2,000 groups, 100,000 pupils, 1,000,000 submissions), for the demo's own
users and for a teacher, a school admin and a pupil of the region (a group of ~50 pupils).

    .venv/bin/python bench/region.py                              # the whole region (~5 min load)
    .venv/bin/python bench/region.py --schools 10 --groups 200 --pupils 10000 --submissions 100000
    .venv/bin/python bench/region.py --json /tmp/region.json

In this process, with Django's test client (the middleware and templates of a real request,
`config.settings.dev` with DEBUG off), on a scratch PostgreSQL database
(`--database-url`, dropped at the end), `ANALYZE`d after each load. Each page: warmed twice,
its queries counted on the third request, then `--requests` timed requests. A page whose
query count differs between the demo and the region, or whose p95 is over twice the demo's,
is marked (the region's own users, whose groups are bigger than the demo's, only when they need
more queries than the demo's page); exit status 1 if any is.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from inprocess import setup_django  # noqa: E402
from pages import percentile  # noqa: E402
from quiz_load import scratch_database  # noqa: E402

DEFAULT_SERVER_URL = "postgresql://postgres@127.0.0.1:5432/postgres"


@dataclass
class Figure:
    page: str
    who: str
    url: str
    queries: int
    p50_ms: float
    p95_ms: float


def analyze() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def targets(region: bool) -> list[tuple[str, str, str]]:
    """(page, username, url) of the pages the suite pins, for the demo's users and, with
    `region`, for users of the region."""
    from django.urls import reverse

    from contests.models import Contest
    from courses.models import CoursePage, Enrolment
    from lms.models import Membership, StudyGroup

    def group_pages(prefix: str, group: StudyGroup, teacher: str) -> list[tuple[str, str, str]]:
        enrolment = Enrolment.objects.filter(group=group, is_active=True).first()
        pages = [(f"{prefix}group page", teacher, reverse("teach:group", args=[group.pk]))]
        if enrolment:
            url = reverse("assessments:gradebook", args=[group.pk, enrolment.course_id])
            pages.append((f"{prefix}gradebook", teacher, url))
        return pages

    course = CoursePage.objects.live().order_by("path").first()
    lesson = course.get_descendants().live().filter(depth=course.depth + 2).first()
    found = [
        ("lesson", "pupil1", lesson.url),
        ("course", "pupil1", course.url),
        ("my courses", "pupil1", "/learn/"),
        ("my grades", "pupil1", reverse("assessments:gradebook_mine")),
        ("my groups", "teacher1", "/teach/"),
        ("school pupils", "host_admin", reverse("school:pupils")),
        ("search", "pupil1", "/search/?q=робот"),
    ]
    contest = Contest.objects.order_by("pk").first()
    if contest:
        found.append(("standings", "teacher1", reverse("contests:standings", args=[contest.slug])))
    teacher_group = Membership.objects.filter(
        user__username="teacher1", role=Membership.Role.TEACHER
    ).first()
    if teacher_group:
        found += group_pages("", teacher_group.group, "teacher1")
    if not region:
        return found
    from demo.benchmark_data.names import LOGIN_PREFIX
    from lms import roles

    groups = StudyGroup.objects.filter(school__name__endswith=" (бенчмарк)").order_by("pk")
    big = max(groups[:40], key=lambda g: g.memberships.count())
    teacher = big.memberships.filter(role=Membership.Role.TEACHER).first().user
    pupil = big.memberships.filter(role=Membership.Role.PUPIL).first().user
    admin = (
        type(pupil)
        .objects.filter(
            school=big.school, groups__name=roles.SCHOOL_ADMIN, username__startswith=LOGIN_PREFIX
        )
        .first()
    )
    region_course = Enrolment.objects.filter(group=big, is_active=True).first().course
    region_lesson = region_course.get_descendants().live().filter(depth=region_course.depth + 2)
    found += [
        ("region lesson", pupil.username, region_lesson.first().url),
        ("region my courses", pupil.username, "/learn/"),
        ("region my groups", teacher.username, "/teach/"),
        *group_pages("region ", big, teacher.username),
    ]
    if admin:
        found.append(("region school pupils", admin.username, reverse("school:pupils")))
    return found


def measure(page: str, username: str, url: str, requests: int) -> Figure:
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    for _ in range(2):
        status = client.get(url).status_code
        if status != 200:
            raise SystemExit(f"{page}: {url} as {username} answered {status}")
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    count = len(queries)  # now: the next request clears the log (request_started)
    times = []
    for _ in range(requests):
        started = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return Figure(
        page,
        username,
        url,
        count,
        round(percentile(times, 0.5), 1),
        round(percentile(times, 0.95), 1),
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--schools", type=int, default=100)
    parser.add_argument("--groups", type=int, default=2000)
    parser.add_argument("--pupils", type=int, default=100_000)
    parser.add_argument("--submissions", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=30, help="timed requests a page (30)")
    parser.add_argument("--database-url", default=DEFAULT_SERVER_URL, help="PostgreSQL server")
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args(argv)
    with scratch_database(args.database_url, "bench_region") as database_url:
        os.environ["DATABASE_URL"] = database_url
        os.environ.pop("REDIS_URL", None)  # each page's own cost, not a Redis round trip's
        sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # apps before bench/*.py
        workdir = setup_django()  # noqa: F841  (kept alive: media live in it)
        from django.core.management import call_command

        call_command("load_demo", verbosity=0)
        analyze()
        small = {t[0]: measure(*t, args.requests) for t in targets(region=False)}
        started = time.perf_counter()
        call_command(
            "load_benchmark_data",
            "--schools", str(args.schools), "--groups", str(args.groups),
            "--pupils", str(args.pupils), "--submissions", str(args.submissions),
        )  # fmt: skip
        loaded = time.perf_counter() - started
        analyze()
        large = {t[0]: measure(*t, args.requests) for t in targets(region=True)}
        from django.db import connection

        connection.close()
    print(f"\nRegion loaded in {loaded:.0f} s. Demo, then the same page in the region:\n")
    print(f"{'page':<22} {'queries':>9} {'p50 ms':>15} {'p95 ms':>15} {'p95 ×':>6}")
    marked = []
    for name, figure in large.items():
        base = small.get(name) or small.get(name.removeprefix("region "))
        ratio = figure.p95_ms / base.p95_ms if base and base.p95_ms else float("nan")
        # The demo's users must see the same count and p95 within 2x; the region's own users
        # (bigger groups, other courses) no more queries than the demo's page: their p95 shown.
        if name in small:
            same = base.queries == figure.queries
            slow = ratio > 2
        else:
            same = base is None or figure.queries <= base.queries
            slow = False
        flag = "" if same and not slow else "  <-"
        if flag:
            marked.append(name)
        q = f"{base.queries if base else '-'}→{figure.queries}"
        p50 = f"{base.p50_ms if base else '-'}→{figure.p50_ms}"
        p95 = f"{base.p95_ms if base else '-'}→{figure.p95_ms}"
        print(f"{name:<22} {q:>9} {p50:>15} {p95:>15} {ratio:>6.2f}{flag}")
    if args.json:
        payload = {"loaded_seconds": round(loaded), "small": [asdict(f) for f in small.values()],
                   "region": [asdict(f) for f in large.values()], "marked": marked}  # fmt: skip
        args.json.write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n")
    print(f"\nmarked (more queries, or p95 over 2× the demo's): {marked or 'none'}")
    return 1 if marked else 0


if __name__ == "__main__":
    sys.exit(main())
