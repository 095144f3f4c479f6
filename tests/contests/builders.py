"""Contests for tests: made directly as rows (the services have their own tests). Helpers of one
area's tests live in that area's test module; these are the ones every area needs."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

from django.utils import timezone

from contests.models import Category, Contest, Member, Participant, Run, Task
from contests.models.participants import new_code


def make_contest(
    slug: str = "olymp",
    *,
    rules: str = Contest.Rules.ICPC,
    kind: str = Contest.Kind.PROGRAMMING,
    starts_in: timedelta = timedelta(hours=-1),
    length: timedelta = timedelta(hours=3),
    starts_at: datetime | None = None,
    tasks: int | list[str] = 0,
    categories: list[str] | None = None,
    **fields,
) -> Contest:
    """A published contest; by default it started an hour ago and runs for three hours.
    `tasks`: a number (labelled A, B, …) or labels, all judged-kind placeholders unless the
    test sets problems; `categories`: names."""
    start = starts_at or (timezone.now() + starts_in).replace(microsecond=0)
    fields.setdefault("title", f"Олимпиада {slug}")
    fields.setdefault("is_published", True)
    contest = Contest.objects.create(
        slug=slug, rules=rules, kind=kind, starts_at=start, ends_at=start + length, **fields
    )
    labels = tasks if isinstance(tasks, list) else [chr(ord("A") + n) for n in range(tasks)]
    for order, label in enumerate(labels):
        add_task(contest, label, order=order)
    for order, name in enumerate(categories or []):
        Category.objects.create(contest=contest, name=name, order=order)
    return contest


def add_task(contest: Contest, label: str, *, kind: str = Task.Kind.JUDGED, **fields) -> Task:
    fields.setdefault("order", contest.tasks.count())
    fields.setdefault("title", f"Задача {label}")
    return Task.objects.create(contest=contest, label=label, kind=kind, **fields)


def add_participant(
    contest: Contest,
    name: str = "Иванова Софья",
    *,
    user=None,
    category: Category | str | None = None,
    **fields,
) -> Participant:
    """A participant (with `user` as its one member when given)."""
    if isinstance(category, str):
        category = contest.categories.get(name=category)
    if user is not None:
        fields.setdefault("school", user.school)
        fields.setdefault("school_name", user.school.name if user.school else "")
    fields.setdefault("source", Participant.Source.JURY)
    fields.setdefault("code", new_code())
    participant = Participant.objects.create(
        contest=contest, name=name, category=category, **fields
    )
    if user is not None:
        Member.objects.create(contest=contest, participant=participant, user=user)
    return participant


def add_run(
    participant: Participant,
    task: Task,
    *,
    minute: float = 10,
    verdict: str = "OK",
    score: Decimal | int | str | None = None,
    **fields,
) -> Run:
    """A judged run at the given contest minute of the participant."""
    contest = participant.contest
    seconds = int(minute * 60)
    fields.setdefault("submitted_at", contest.starts_at + timedelta(seconds=seconds))
    return Run.objects.create(
        contest=contest,
        participant=participant,
        task=task,
        time_seconds=seconds,
        state=Run.State.DONE,
        verdict=verdict,
        score=None if score is None else Decimal(str(score)),
        **fields,
    )
