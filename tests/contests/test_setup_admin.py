"""The contests' rows in the Django admin: read-only for support, a participant's own details
editable (with the standings refreshed)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from contests.models import (
    Appeal,
    Award,
    AwardRule,
    Contest,
    JudgeAssignment,
    Participant,
    Run,
    ScoreChange,
    Sheet,
    Task,
)
from tests.contests.builders import add_participant, add_run, make_contest

pytestmark = pytest.mark.django_db

MODELS = [Contest, Task, Participant, JudgeAssignment, Run, Sheet, Appeal, ScoreChange, Award]


@pytest.fixture
def admin_client(client, region):
    client.force_login(region["two"].superuser)
    return client


def test_every_contest_model_is_listed_and_read_only(admin_client):
    contest = make_contest("olymp", tasks=1, categories=["Младшие"])
    AwardRule.objects.create(contest=contest, award="Победитель", max_place=1)
    participant = add_participant(contest, category="Младшие")
    run = add_run(participant, contest.tasks.get())
    for model in MODELS:
        name = f"admin:contests_{model._meta.model_name}_changelist"
        assert admin_client.get(reverse(name)).status_code == 200, model
    page = admin_client.get(reverse("admin:contests_contest_change", args=[contest.pk]))
    assert page.status_code == 200 and "Младшие" in page.content.decode()
    assert admin_client.get(reverse("admin:contests_run_change", args=[run.pk])).status_code == 200
    assert admin_client.get(reverse("admin:contests_contest_add")).status_code == 403
    response = admin_client.post(
        reverse("admin:contests_contest_delete", args=[contest.pk]), {"post": "yes"}
    )
    assert response.status_code == 403
    assert Contest.objects.filter(pk=contest.pk).exists()


def test_a_participants_name_is_fixed_in_the_admin(
    admin_client, django_capture_on_commit_callbacks
):
    contest = make_contest("olymp")
    participant = add_participant(contest, "Иванва Софья")
    url = reverse("admin:contests_participant_change", args=[participant.pk])
    data = {
        "name": "Иванова Софья",
        "team_name": "",
        "school_name": "Школа a",
        "class_number": "7",
        "extra_minutes": "15",
        "withdrawn_at_0": "",
        "withdrawn_at_1": "",
        "members-TOTAL_FORMS": "0",
        "members-INITIAL_FORMS": "0",
        "members-MIN_NUM_FORMS": "0",
        "members-MAX_NUM_FORMS": "1000",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    participant.refresh_from_db()
    assert (participant.name, participant.extra_minutes) == ("Иванова Софья", 15)
    contest.refresh_from_db()
    assert contest.standings_version == 1
    assert admin_client.get(reverse("admin:contests_participant_add")).status_code == 403
