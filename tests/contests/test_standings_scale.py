"""At scale (a smaller bench/standings.py): the number of queries of the standings and of their
pages does not grow with the participants and runs."""

import random
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from contests import standings
from contests.models import Category, Contest, Participant, Run, Task
from tests.contests.builders import make_contest

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def grow(contest: Contest, count: int, runs_each: int = 3) -> None:
    """`count` more participants in the contest's categories, with runs on every task."""
    rng = random.Random(count)
    categories = list(contest.categories.all())
    tasks = list(contest.tasks.all())
    start = contest.participants.count()
    people = Participant.objects.bulk_create(
        [
            Participant(
                contest=contest,
                category=categories[n % len(categories)] if categories else None,
                name=f"Фамилия{n} Имя{n}",
                school_name=f"Школа {n % 7}",
                code=f"S{contest.pk}-{n}",
                source=Participant.Source.JURY,
            )
            for n in range(start, start + count)
        ]
    )
    runs = []
    for person in people:
        for task in tasks:
            for k in range(runs_each):
                seconds = rng.randrange(60, 7000)
                verdict = "OK" if k == runs_each - 1 and rng.random() < 0.5 else "WA"
                runs.append(
                    Run(
                        contest=contest,
                        participant=person,
                        task=task,
                        submitted_at=contest.starts_at + timedelta(seconds=seconds),
                        time_seconds=seconds,
                        state=Run.State.DONE,
                        verdict=verdict,
                        score=Decimal(100 if verdict == "OK" else rng.randrange(0, 60)),
                        subtask_scores=["50", "50"] if verdict == "OK" else ["0", "0"],
                    )
                )
    Run.objects.bulk_create(runs, batch_size=1000)


def queries(work) -> int:
    with CaptureQueriesContext(connection) as captured:
        work()
    return len(captured)


@pytest.mark.parametrize(
    ("rules", "best_per_subtask"),
    [(Contest.Rules.ICPC, False), (Contest.Rules.IOI, True)],
)
def test_queries_stay_constant_from_10_to_200_participants(
    rules, best_per_subtask, client, settings
):
    settings.CONTESTS_STANDINGS_REFRESH_SECONDS = 0  # every version rendered at once
    contest = make_contest(
        rules=rules,
        best_per_subtask=best_per_subtask,
        categories=["Младшие", "Старшие"],
        freeze_minutes=60,
        starts_in=timedelta(hours=-2, minutes=-30),
    )
    for n in range(12):
        Task.objects.create(
            contest=contest, label=f"T{n}", kind=Task.Kind.PROGRAMMING, order=n, max_score=100
        )
    category = Category.objects.filter(contest=contest).first()
    page = reverse("contests:standings", args=[contest.slug]) + "?category=all"
    client.get(page)  # the site's own per-process caches (menus), not the board's
    counts = []
    for size in (10, 190):  # 10, then 200
        grow(contest, size)
        standings.invalidate(contest.pk)
        contest.refresh_from_db()
        counts.append(
            (
                queries(lambda: standings.compute(contest, jury=True)),
                queries(lambda: standings.compute(contest)),
                queries(lambda: standings.compute(contest, category_id=category.pk)),
                queries(lambda: client.get(page)),  # uncached: the board is built
                queries(lambda: client.get(page)),  # cached
                queries(lambda: client.get(page + "&fragment=1")),
            )
        )
    assert counts[0] == counts[1] == (4, 4, 4, 6, 2, 1)
    board = standings.build(contest, jury=True)
    assert len(board.rows) == 200 and len(board.rows[0].cells) == 12
