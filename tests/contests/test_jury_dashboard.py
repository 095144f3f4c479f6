"""The organisers' dashboard of a contest: where it stands, its figures (in a fixed number of
queries), and a link to every tool that is registered."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from contests import jury_dashboard
from contests.models import Appeal, Run, Sheet
from tests.contests.builders import add_participant, add_run, add_task, make_contest

pytestmark = pytest.mark.django_db


@pytest.fixture
def organiser(client, region):
    client.force_login(region["two"].host.teacher_a)
    return client


def jury_url(contest) -> str:
    return reverse("contests:jury", args=[contest.slug])


def registered(name: str, *args) -> bool:
    try:
        reverse(name, args=args)
    except NoReverseMatch:
        return False
    return True


def test_the_links_skip_tools_not_registered(monkeypatch):
    contest = make_contest("olymp")
    monkeypatch.setattr(
        jury_dashboard,
        "TOOLS",
        [("Группа", [("contests:edit", "Настройки"), ("contests:no_such_page", "Нет")])],
    )
    groups = jury_dashboard.tool_links(contest)
    assert [(link.name, link.url) for link in groups[0][1]] == [
        ("contests:edit", reverse("contests:edit", args=[contest.slug]))
    ]


def test_the_dashboard_links_every_registered_tool(organiser):
    contest = make_contest("olymp")
    html = organiser.get(jury_url(contest)).content.decode()
    names = [name for _title, tools in jury_dashboard.TOOLS for name, _label in tools]
    assert {"contests:edit", "contests:setup_tasks", "contests:freeze"} <= set(names)
    for name in (
        "participants",
        "codes",
        "standings",
        "import_runs",
        "sheets",
        "appeals",
        "results",
        "protocol",
        "edit",
        "setup_tasks",
        "setup_awards",
        "setup_people",
        "freeze",
    ):
        assert f"contests:{name}" in names
        if registered(f"contests:{name}", contest.slug):
            assert f'href="{reverse(f"contests:{name}", args=[contest.slug])}"' in html, name


def test_the_state_of_a_running_frozen_contest(english):
    now = timezone.now()
    contest = make_contest(
        "olymp",
        starts_at=now - timedelta(hours=2, minutes=50),
        freeze_minutes=30,
        registration_closes_at=now - timedelta(hours=3),
    )
    phrases = [text for _tone, text in jury_dashboard.state_of(contest, now).phrases]
    assert phrases == ["registration closed", "the round is running", "the public board is frozen"]


def test_the_state_of_a_contest_after_the_round(english):
    now = timezone.now()
    contest = make_contest(
        "olymp",
        starts_at=now - timedelta(days=1),
        freeze_minutes=30,
        unfrozen_at=now - timedelta(hours=20),
        appeals_until=now + timedelta(days=1),
        results_published_at=now,
        is_published=False,
    )
    phrases = [text for _tone, text in jury_dashboard.state_of(contest, now).phrases]
    assert phrases == [
        "not published: only the organisers see it",
        "registration closed",
        "the round has ended",
        "the public board is unfrozen",
        "appeals are accepted",
        "results published",
    ]


def test_registration_before_the_round(english):
    now = timezone.now()
    soon = make_contest("soon", starts_in=timedelta(days=5))
    assert jury_dashboard.registration_open(soon, now)
    later = make_contest(
        "later", starts_in=timedelta(days=5), registration_opens_at=now + timedelta(days=1)
    )
    phrases = [text for _t, text in jury_dashboard.state_of(later, now).phrases]
    assert "registration not open yet" in phrases


def test_the_figures(region, english):
    two = region["two"]
    contest = make_contest("olymp", categories=["Младшие", "Старшие"], tasks=2)
    young, old = contest.categories.all()
    a, b = contest.tasks.all()
    first = add_participant(contest, "Иванова Софья", category=young)
    add_participant(contest, "Петров Иван", category=young, withdrawn_at=timezone.now())
    second = add_participant(contest, "Сидоров Пётр", category=old)
    add_participant(contest, "Без категории")
    add_run(first, a)
    queued = add_run(second, a, verdict="")
    Run.objects.filter(pk=queued.pk).update(state=Run.State.QUEUED)
    add_run(second, b, is_practice=True)
    Appeal.objects.create(contest=contest, participant=first, task=a, text="Почему?")
    Appeal.objects.create(
        contest=contest, participant=second, task=a, text="Ещё", status=Appeal.Status.REJECTED
    )
    Sheet.objects.create(task=b, participant=first, run_number=1, judge=two.host.teacher_a, score=5)
    b.removed_at = timezone.now()
    b.save()
    figures = jury_dashboard.figures_of(contest)
    assert [(c.name, c.participants, c.withdrawn) for c in figures.categories] == [
        ("Младшие", 2, 1),
        ("Старшие", 1, 0),
        ("without a category", 1, 0),
    ]
    assert figures.participants == 4
    assert (figures.runs, figures.queued_runs, figures.practice_runs) == (2, 1, 1)
    assert (figures.tasks, figures.removed_tasks) == (1, 1)
    assert figures.pending_appeals == 1 and figures.sheets == 1


def test_the_dashboard_queries_do_not_grow_with_the_contest(organiser):
    contest = make_contest("olymp", categories=["Младшие"], tasks=1)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert organiser.get(jury_url(contest)).status_code == 200
        return len(captured)

    queries()
    few = queries()
    task = contest.tasks.get()
    for n in range(6):
        add_run(add_participant(contest, f"Участник {n}", category="Младшие"), task)
    add_task(contest, "B")
    contest.categories.create(name="Старшие", order=1)
    assert queries() == few


def test_the_dashboard_is_for_organisers_only(client, region):
    contest = make_contest("olymp")
    client.force_login(region["two"].visiting.teacher_a)
    assert client.get(jury_url(contest)).status_code == 404
