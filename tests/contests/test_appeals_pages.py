"""The appeals pages: a participant files and reads their own appeals (by account or by code),
someone else's answer 404; the jury's list, the answer form, a direct score change."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from contests import appeals
from contests.models import Appeal, Contest, ScoreChange
from contests.permissions import SESSION_CODES
from tests.contests.builders import add_participant, add_run, make_contest

pytestmark = pytest.mark.django_db


@pytest.fixture
def two(region):
    return region["two"]


@pytest.fixture
def setup(two):
    contest = make_contest(
        "olymp",
        rules=Contest.Rules.IOI,
        starts_in=timedelta(hours=-4),
        length=timedelta(hours=3),
        tasks=2,
        appeals_until=timezone.now() + timedelta(days=1),
    )
    pupil, other = two.visiting.pupils_a[0], two.visiting.pupils_a[1]
    mine = add_participant(contest, "Петрова Анна", user=pupil)
    theirs = add_participant(contest, "Сидоров Олег", user=other)
    coded = add_participant(contest, "Кодов Кирилл")
    task = contest.tasks.get(label="A")
    add_run(mine, task, score=40)
    return {"contest": contest, "pupil": pupil, "other": other, "mine": mine,
            "theirs": theirs, "coded": coded, "task": task}  # fmt: skip


def by_code(client, contest, participant):
    session = client.session
    session[SESSION_CODES] = {str(contest.pk): participant.pk}
    session.save()


def test_a_participant_files_an_appeal_from_the_page(client, setup):
    s = setup
    client.force_login(s["pupil"])
    page = client.get("/contests/olymp/appeals/")
    assert page.status_code == 200
    assert "Задача A" in page.content.decode()
    response = client.post("/contests/olymp/appeals/", {"task": s["task"].pk, "text": "Тест 3"})
    appeal = Appeal.objects.get()
    assert (
        response.status_code == 302
        and response["Location"] == f"/contests/olymp/appeals/{appeal.pk}/"
    )
    again = client.post("/contests/olymp/appeals/", {"task": s["task"].pk, "text": "Тест 3"})
    assert again.status_code == 302 and Appeal.objects.count() == 1
    detail = client.get(f"/contests/olymp/appeals/{appeal.pk}/").content.decode()
    assert "Тест 3" in detail


def test_bad_input_is_shown_on_the_form(client, setup, en):
    s = setup
    en.force_login(s["pupil"])
    page = en.post("/contests/olymp/appeals/", {"task": s["task"].pk, "text": "  "})
    assert page.status_code == 200 and "This field is required" in page.content.decode()
    page = en.post("/contests/olymp/appeals/", {"task": "999999", "text": "Текст"})
    assert page.status_code == 200 and "Select a valid choice" in page.content.decode()
    assert not Appeal.objects.exists()


def test_a_participant_known_by_a_code_appeals_too(client, setup):
    s = setup
    by_code(client, s["contest"], s["coded"])
    response = client.post("/contests/olymp/appeals/", {"task": s["task"].pk, "text": "Текст"})
    assert response.status_code == 302
    assert Appeal.objects.get().participant == s["coded"] and Appeal.objects.get().filed_by is None


def test_the_closed_period_is_said_and_nothing_is_filed(client, setup, en):
    s = setup
    Contest.objects.filter(pk=s["contest"].pk).update(
        appeals_until=timezone.now() - timedelta(minutes=1)
    )
    en.force_login(s["pupil"])
    assert "Appeals closed" in en.get("/contests/olymp/appeals/").content.decode()
    en.post("/contests/olymp/appeals/", {"task": s["task"].pk, "text": "Текст"})
    assert not Appeal.objects.exists()


def test_someone_elses_appeal_answers_404(client, setup, two):
    s = setup
    appeal, _ = appeals.file_appeal(s["contest"], s["theirs"], s["task"], s["other"], "Их")
    client.force_login(s["pupil"])
    assert client.get(f"/contests/olymp/appeals/{appeal.pk}/").status_code == 404
    client.force_login(two.host.pupils_a[0])  # takes no part
    assert client.get("/contests/olymp/appeals/").status_code == 404
    client.logout()
    assert client.get("/contests/olymp/appeals/").status_code == 404
    assert client.get(f"/contests/olymp/appeals/{appeal.pk}/").status_code == 404
    client.force_login(two.visiting.teacher_a)  # a teacher of another school, not the jury
    assert client.get(f"/contests/olymp/appeals/{appeal.pk}/").status_code == 404


def test_the_jury_sees_every_appeal_waiting_first_and_answers_one(client, setup, two):
    s = setup
    first, _ = appeals.file_appeal(s["contest"], s["theirs"], s["task"], s["other"], "Первая")
    appeals.answer(first, two.host.teacher_a, status="rejected", answer_text="Нет")
    waiting, _ = appeals.file_appeal(s["contest"], s["mine"], s["task"], s["pupil"], "Тест 3")
    client.force_login(two.host.teacher_a)
    page = client.get("/contests/olymp/appeals/").content.decode()
    assert page.index("Петрова Анна") < page.index("Сидоров Олег")
    form = client.get(f"/contests/olymp/appeals/{waiting.pk}/").content.decode()
    assert 'name="score"' in form and "40" in form
    response = client.post(
        f"/contests/olymp/appeals/{waiting.pk}/",
        {"status": "granted", "answer": "Исправлено.", "score": "47,5"},
    )
    assert response.status_code == 302
    change = ScoreChange.objects.get()
    assert change.score == Decimal("47.5") and change.score_before == Decimal(40)
    # A second submit of the same answer changes nothing.
    client.post(
        f"/contests/olymp/appeals/{waiting.pk}/",
        {"status": "granted", "answer": "Ещё", "score": "60"},
    )
    assert ScoreChange.objects.count() == 1

    client.force_login(s["pupil"])
    mine = client.get(f"/contests/olymp/appeals/{waiting.pk}/").content.decode()
    assert "Исправлено." in mine and 'name="score"' not in mine


def test_a_bad_score_is_refused_on_the_answer_form(client, setup, two, en):
    s = setup
    appeal, _ = appeals.file_appeal(s["contest"], s["mine"], s["task"], s["pupil"], "Тест")
    en.force_login(two.host.teacher_a)
    for typed, said in (("abc", "Enter a number"), ("150", "from 0 to 100")):
        page = en.post(f"/contests/olymp/appeals/{appeal.pk}/",
                       {"status": "granted", "answer": "Да", "score": typed})  # fmt: skip
        assert page.status_code == 200 and said in page.content.decode()
    appeal.refresh_from_db()
    assert appeal.status == Appeal.Status.PENDING and not ScoreChange.objects.exists()


def test_icpc_the_answer_form_offers_the_runs(client, two):
    contest = make_contest("acm", rules=Contest.Rules.ICPC, starts_in=timedelta(hours=-4),
                           tasks=1, appeals_until=timezone.now() + timedelta(days=1))  # fmt: skip
    participant = add_participant(contest, user=two.visiting.pupils_a[0])
    run = add_run(participant, contest.tasks.get(), verdict="WA", minute=12)
    appeal, _ = appeals.file_appeal(contest, participant, contest.tasks.get(), None, "Верно")
    client.force_login(two.host.teacher_a)
    page = client.get(f"/contests/acm/appeals/{appeal.pk}/").content.decode()
    assert f'value="{run.pk}"' in page and 'name="verdict"' in page
    client.post(f"/contests/acm/appeals/{appeal.pk}/",
                {"status": "granted", "answer": "Да", "run": run.pk, "verdict": "OK"})  # fmt: skip
    run.refresh_from_db()
    assert run.verdict == "OK"


def test_a_direct_score_change(client, setup, two, en):
    s = setup
    url = f"/contests/olymp/appeals/change/?participant={s['mine'].pk}&task={s['task'].pk}"
    en.force_login(s["pupil"])
    assert en.get(url).status_code == 404
    en.force_login(two.host.teacher_a)
    assert en.get("/contests/olymp/appeals/change/").status_code == 200
    page = en.post(url, {"score": "55", "reason": ""})
    assert "This field is required" in page.content.decode()
    response = en.post(url, {"score": "55", "reason": "Перепроверка"})
    assert response.status_code == 302
    assert ScoreChange.objects.get().reason == "Перепроверка"


def test_the_pages_queries_do_not_grow_with_appeals(client, setup, two, django_assert_num_queries):
    s = setup
    client.force_login(two.host.teacher_a)
    client.get("/contests/olymp/appeals/")  # warm the standings and session caches

    appeals.file_appeal(s["contest"], s["mine"], s["task"], s["pupil"], "Одна")
    with django_assert_num_queries(7):  # was 9: the roles and the user from the shared cache
        client.get("/contests/olymp/appeals/")
    for n, task in enumerate(s["contest"].tasks.all()):
        appeals.file_appeal(s["contest"], s["theirs"], task, s["other"], f"Ещё {n}")
        appeals.file_appeal(s["contest"], s["coded"], task, None, f"И ещё {n}")
    with django_assert_num_queries(7):
        client.get("/contests/olymp/appeals/")
    client.force_login(s["pupil"])
    with django_assert_num_queries(10):
        client.get("/contests/olymp/appeals/")
