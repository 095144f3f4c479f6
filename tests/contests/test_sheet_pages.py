"""The judges' pages: the list of what a judge scores and one run's sheet. Who reaches them
(judge, another judge, pupil, anonymous, organiser), another contest's ids, saving and going on
to the next participant, refusals on the form, organisers seeing and fixing every judge's
sheet, escaping, and the pages' query counts."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from django.urls import reverse
from django.utils import timezone

from contests.models import Contest, Criterion, JudgeAssignment, Sheet, Task
from contests.sheets import save_sheet
from tests.contests.builders import add_participant, add_task, make_contest
from tests.contests.test_sheets import Field

pytestmark = pytest.mark.django_db

XSS = '<img src=x onerror="alert(1)">'


@pytest.fixture
def field(region):
    return Field(region["two"])


def list_url(field, **query) -> str:
    url = reverse("contests:sheets", args=[field.contest.slug])
    if query:
        url += "?" + "&".join(f"{k}={v}" for k, v in query.items())
    return url


def sheet_url(field, participant=None, run=1, task=None, query: str = "") -> str:
    participant = participant or field.team
    task = task or field.task
    args = [field.contest.slug, task.pk, participant.pk, run]
    return reverse("contests:sheet", args=args) + query


def post_data(field, item=0, bonus=0, penalty=0, time="", comment="", then="stay") -> dict:
    return {
        f"c{field.item.pk}": item,
        f"c{field.bonus.pk}": bonus,
        f"c{field.penalty.pk}": penalty,
        "time": time,
        "comment": comment,
        "then": then,
    }


# --- Who reaches the pages -------------------------------------------------------------------


@pytest.mark.parametrize(
    "who, status",
    [
        ("judge", 200),
        ("other_judge", 200),
        ("organiser", 200),
        ("pupil", 404),
        ("visiting_admin", 404),
    ],
)
def test_who_sees_the_list(client, field, region, who, status):
    users = {"visiting_admin": region["two"].visiting.admin}
    client.force_login(users.get(who) or getattr(field, who))
    assert client.get(list_url(field)).status_code == status


def test_anonymous_is_sent_to_log_in(client, field):
    for url in (list_url(field), sheet_url(field)):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    response = client.post(sheet_url(field), post_data(field, item=1))
    assert response.status_code == 302
    assert not Sheet.objects.exists()


def test_a_jury_member_who_is_no_judge_does_not_get_the_sheets(client, field):
    field.contest.jury.add(field.pupil)
    client.force_login(field.pupil)
    assert client.get(list_url(field)).status_code == 404
    assert client.get(sheet_url(field)).status_code == 404


@pytest.mark.parametrize(
    "who, target, status",
    [
        ("judge", "team", 200),
        ("judge", "senior_team", 404),  # not their category
        ("other_judge", "team", 200),
        ("other_judge", "senior_team", 200),
        ("organiser", "senior_team", 200),
        ("pupil", "team", 404),
    ],
)
def test_who_opens_a_sheet(client, field, who, target, status):
    client.force_login(getattr(field, who))
    assert client.get(sheet_url(field, getattr(field, target))).status_code == status
    response = client.post(sheet_url(field, getattr(field, target)), post_data(field, item=1))
    assert response.status_code == (302 if status == 200 else 404)
    assert Sheet.objects.count() == (1 if status == 200 else 0)


def test_a_judge_of_another_task_gets_404(client, field):
    task_b = add_task(field.contest, "B")
    client.force_login(field.judge)
    assert client.get(sheet_url(field, task=task_b)).status_code == 404
    assert client.get(list_url(field, task=task_b.pk)).status_code == 404


def test_a_category_the_judge_does_not_score_gets_404(client, field):
    client.force_login(field.judge)
    assert client.get(list_url(field, category=field.senior.pk)).status_code == 404
    assert client.get(list_url(field, category=field.junior.pk)).status_code == 200


@pytest.mark.parametrize("value", ["x", "-1", "1.5", "٣", "9" * 30])
def test_garbage_in_the_query_gets_404(client, field, value):
    client.force_login(field.organiser)
    assert client.get(list_url(field, task=value)).status_code == 404
    assert client.get(list_url(field, category=value)).status_code == 404
    assert client.get(sheet_url(field, query=f"?judge={value}")).status_code == 404


def test_another_contests_ids_get_404(client, field):
    other = make_contest("other", rules=Contest.Rules.JUDGED, categories=["Младшие"])
    other_task = add_task(other, "A", runs_allowed=2)
    stranger = add_participant(other, "Чужой Участник", category="Младшие")
    JudgeAssignment.objects.create(contest=other, user=field.judge)
    client.force_login(field.organiser)
    assert client.get(sheet_url(field, task=other_task)).status_code == 404
    assert client.get(sheet_url(field, participant=stranger)).status_code == 404
    assert client.get(list_url(field, task=other_task.pk)).status_code == 404
    other_category = other.categories.get()
    assert client.get(list_url(field, category=other_category.pk)).status_code == 404
    response = client.post(sheet_url(field, participant=stranger), post_data(field, item=1))
    assert response.status_code == 404
    assert not Sheet.objects.exists()


def test_unknown_contest_runs_and_tasks_get_404(client, field):
    client.force_login(field.organiser)
    assert client.get(reverse("contests:sheets", args=["nope"])).status_code == 404
    for run in (0, 3, 99):
        assert client.get(sheet_url(field, run=run)).status_code == 404
    quiz = add_task(field.contest, "Q", kind=Task.Kind.QUIZ)
    assert client.get(sheet_url(field, task=quiz)).status_code == 404
    assert client.get(list_url(field, task=quiz.pk)).status_code == 404


def test_a_judge_of_an_unpublished_contest_still_scores(client, field):
    Contest.objects.filter(pk=field.contest.pk).update(is_published=False)
    client.force_login(field.judge)
    assert client.get(list_url(field)).status_code == 200
    assert client.get(sheet_url(field)).status_code == 200


# --- The list --------------------------------------------------------------------------------


def test_the_list_shows_each_cells_state_to_a_judge(client, field):
    save_sheet(field.task, field.team, 1, field.judge, field.counts(2), None)
    save_sheet(field.task, field.team, 1, field.other_judge, field.counts(3), None)
    save_sheet(field.task, field.team, 2, field.other_judge, field.counts(1), None)
    client.force_login(field.judge)
    page = client.get(list_url(field)).content.decode()
    assert "Роботяги" in page and "Шестерёнки" not in page  # juniors only
    assert page.count('class="sheets-state is-mine"') == 1
    assert page.count('class="sheets-state is-others"') == 1
    assert ">✓ </span>20<" in page
    assert ">30<" not in page and ">25<" not in page  # other judges' scores stay theirs
    assert sheet_url(field, run=2) in page


def test_the_list_shows_combined_scores_to_organisers(client, field):
    save_sheet(field.task, field.team, 1, field.judge, field.counts(2), None)
    save_sheet(field.task, field.team, 1, field.other_judge, field.counts(3), None)
    client.force_login(field.organiser)
    page = client.get(list_url(field)).content.decode()
    assert "Роботяги" in page and "Шестерёнки" in page
    assert '<span class="sheets-score">25</span>' in page  # (20 + 30) / 2
    assert page.count('class="sheets-state is-scored"') == 1
    assert page.count('class="sheets-state is-empty"') == 3


def test_the_category_filter(client, field):
    client.force_login(field.organiser)
    page = client.get(list_url(field, category=field.senior.pk)).content.decode()
    assert "Шестерёнки" in page and "Роботяги" not in page
    assert f"?category={field.senior.pk}" in page  # the sheets keep the filter


def test_the_list_names_tasks_and_switches_between_them(client, field):
    task_b = add_task(field.contest, "B", title="Лабиринт")
    add_task(field.contest, "R", title="Снятая", removed_at=timezone.now())
    client.force_login(field.other_judge)
    page = client.get(list_url(field)).content.decode()
    assert "Кегельринг" in page and "Лабиринт" in page and "Снятая" not in page
    page = client.get(list_url(field, task=task_b.pk)).content.decode()
    assert f'href="?task={task_b.pk}" class="sheets-tab" aria-current="page"' in page


def test_pupils_names_are_short_for_judges_and_full_for_the_jury(client, field):
    add_participant(field.contest, "Иванова Мария Петровна", category=field.junior)
    client.force_login(field.judge)
    page = client.get(list_url(field)).content.decode()
    assert "Мария И." in page and "Иванова" not in page
    client.force_login(field.organiser)
    assert "Иванова Мария Петровна" in client.get(list_url(field)).content.decode()


def test_a_judge_with_nothing_to_score(client, field):
    JudgeAssignment.objects.filter(user=field.judge).update(task=add_task(field.contest, "P"))
    Task.objects.filter(label="P").update(kind=Task.Kind.PROGRAMMING)
    client.force_login(field.judge)
    response = client.get(list_url(field))
    assert response.status_code == 200
    assert response.context["tasks"] == []


def test_the_list_in_english(en, field, english):
    en.force_login(field.judge)
    page = en.get(list_url(field)).content.decode()
    assert "Score sheets" in page and "Run 2" in page


def test_the_lists_queries_do_not_grow(client, field, django_assert_num_queries):
    client.force_login(field.judge)
    client.get(list_url(field))  # the session and the user are warm
    with django_assert_num_queries(13) as small:
        assert client.get(list_url(field)).status_code == 200
    for n in range(15):
        team = add_participant(
            field.contest, f"Участник {n}", team_name=f"Команда {n}", category=field.junior
        )
        save_sheet(field.task, team, 1, field.judge, field.counts(1), None)
        save_sheet(field.task, team, 2, field.other_judge, field.counts(2), None)
    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get(list_url(field))
    assert len(response.context["rows"]) == 16


# --- The sheet -------------------------------------------------------------------------------


def test_the_sheet_form_has_every_line_labelled(client, field):
    client.force_login(field.judge)
    page = client.get(sheet_url(field)).content.decode()
    for criterion in (field.item, field.bonus, field.penalty):
        assert f'<label for="id_c{criterion.pk}">{criterion.name}</label>' in page
        assert f'id="id_c{criterion.pk}" name="c{criterion.pk}"' in page
    assert '<label for="id_time">Время</label>' in page
    assert '<label for="id_comment">' in page
    assert 'class="sheet-line sheet-penalty"' in page
    assert "csrfmiddlewaretoken" in page
    assert "js/contests-sheets.js" in page


def test_saving_goes_on_to_the_next_participant(client, field):
    second = add_participant(field.contest, "Второй", team_name="Яблочко", category=field.junior)
    client.force_login(field.judge)
    response = client.post(
        sheet_url(field), post_data(field, 2, 1, 1, "1:05,5", "хорошо", then="next")
    )
    assert response.status_code == 302
    assert response["Location"] == sheet_url(field, participant=second)
    sheet = Sheet.objects.get()
    assert sheet.score == D("18.5") and sheet.time_seconds == D("65.5")
    assert sheet.comment == "хорошо" and sheet.judge_id == field.judge.pk
    page = client.get(response["Location"]).content.decode()
    assert "18,5" in page  # the message: saved, with the points


def test_the_last_participant_goes_back_to_the_list(client, field):
    client.force_login(field.judge)
    response = client.post(sheet_url(field), post_data(field, 1, then="next"))
    assert response["Location"] == list_url(field, task=field.task.pk)


def test_next_keeps_the_category_filter(client, field):
    client.force_login(field.organiser)
    query = f"?category={field.junior.pk}"
    response = client.post(sheet_url(field, query=query), post_data(field, 1, then="next"))
    assert response["Location"] == list_url(field, task=field.task.pk, category=field.junior.pk)


def test_save_stays_on_the_sheet_and_shows_it_again(client, field):
    client.force_login(field.judge)
    response = client.post(sheet_url(field, run=2), post_data(field, 3, time="83.25"))
    assert response["Location"] == sheet_url(field, run=2)
    page = client.get(response["Location"]).content.decode()
    assert f'name="c{field.item.pk}" value="3"' in page
    assert 'value="1:23.25"' in page


def test_a_double_submit_keeps_one_sheet(client, field):
    client.force_login(field.judge)
    for _ in range(2):
        assert client.post(sheet_url(field), post_data(field, 2)).status_code == 302
    assert Sheet.objects.count() == 1


def test_bad_counts_and_times_stay_on_the_form(client, field, english):
    client.force_login(field.judge)
    response = client.post(sheet_url(field), post_data(field, item=7, time="скоро"))
    assert response.status_code == 400
    page = response.content.decode()
    assert "between 0 and 3" in page and "minutes:seconds" in page
    assert 'aria-invalid="true"' in page
    assert not Sheet.objects.exists()


def test_a_refusal_is_shown_on_the_form(client, field, english):
    client.force_login(field.judge)
    response = client.post(sheet_url(field), post_data(field, item=1, time="90000"))
    assert response.status_code == 400
    assert "longer than 24 hours" in response.content.decode()
    assert not Sheet.objects.exists()


def test_a_published_contests_sheets_are_read_only(client, field, english):
    save_sheet(field.task, field.team, 1, field.judge, field.counts(1), None)
    Contest.objects.filter(pk=field.contest.pk).update(results_published_at=timezone.now())
    client.force_login(field.judge)
    page = client.get(sheet_url(field)).content.decode()
    assert "through an appeal" in page
    assert '<fieldset class="sheet-fieldset" disabled>' in page
    response = client.post(sheet_url(field), post_data(field, item=3))
    assert response.status_code == 400
    assert "through an appeal" in response.content.decode()
    assert Sheet.objects.get().score == D("10")
    assert "through an appeal" in client.get(list_url(field)).content.decode()


def test_a_removed_task_or_a_withdrawn_participant_shows_why(client, field, english):
    Task.objects.filter(pk=field.task.pk).update(removed_at=timezone.now())
    client.force_login(field.judge)
    response = client.get(sheet_url(field))
    assert response.status_code == 200
    assert "removed from the contest" in response.content.decode()
    response = client.post(sheet_url(field), post_data(field, item=1))
    assert response.status_code == 400
    Task.objects.filter(pk=field.task.pk).update(removed_at=None)
    type(field.team).objects.filter(pk=field.team.pk).update(withdrawn_at=timezone.now())
    assert "withdrawn" in client.get(sheet_url(field)).content.decode()
    assert not Sheet.objects.exists()


def test_a_judge_does_not_see_other_judges_sheets(client, field):
    save_sheet(field.task, field.team, 1, field.other_judge, field.counts(3), None, "секрет")
    client.force_login(field.judge)
    page = client.get(sheet_url(field)).content.decode()
    assert "секрет" not in page and "Every judge" not in page
    assert f'name="c{field.item.pk}" value="0"' in page  # their own, empty sheet


def test_organisers_see_every_judges_sheet_and_the_combined_result(client, field):
    save_sheet(field.task, field.team, 1, field.judge, field.counts(2), 60, "первый")
    save_sheet(field.task, field.team, 1, field.other_judge, field.counts(3), 64, "второй")
    client.force_login(field.organiser)
    response = client.get(sheet_url(field))
    page = response.content.decode()
    assert "первый" in page and "второй" in page
    assert "25" in page and "1:02" in page  # the average score and time
    assert response.context["cell"].result.score == D("25")
    assert f"?judge={field.judge.pk}" in page


def test_an_organiser_fixes_a_judges_sheet(client, field):
    save_sheet(field.task, field.team, 1, field.judge, field.counts(2), 60)
    client.force_login(field.organiser)
    url = sheet_url(field, query=f"?judge={field.judge.pk}")
    page = client.get(url).content.decode()
    assert f'name="c{field.item.pk}" value="2"' in page
    response = client.post(url, post_data(field, 1, time="60"))
    assert response.status_code == 302 and response["Location"] == url
    sheet = Sheet.objects.get()
    assert sheet.judge_id == field.judge.pk and sheet.score == D("10")


def test_nobody_else_opens_another_judges_sheet(client, field):
    save_sheet(field.task, field.team, 1, field.judge, field.counts(2), None)
    client.force_login(field.other_judge)
    url = sheet_url(field, query=f"?judge={field.judge.pk}")
    assert client.get(url).status_code == 404
    assert client.post(url, post_data(field, 3)).status_code == 404
    client.force_login(field.organiser)
    no_sheet = sheet_url(field, run=2, query=f"?judge={field.judge.pk}")
    assert client.get(no_sheet).status_code == 404
    assert Sheet.objects.get().score == D("20")


def test_comments_and_team_names_are_escaped(client, field):
    team = add_participant(
        field.contest, XSS, team_name=XSS, school_name=XSS, category=field.junior
    )
    save_sheet(field.task, team, 1, field.judge, field.counts(1), None, XSS)
    for user in (field.judge, field.organiser):
        client.force_login(user)
        for url in (list_url(field), sheet_url(field, participant=team)):
            page = client.get(url).content.decode()
            assert "<img src=x" not in page, url
            assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in page, url


def test_a_criterion_named_with_markup_is_escaped(client, field):
    Criterion.objects.filter(pk=field.item.pk).update(name="<script>alert(1)</script>")
    client.force_login(field.judge)
    page = client.get(sheet_url(field)).content.decode()
    assert "<script>alert(1)" not in page


def test_the_sheet_without_a_time_asks_for_none(client, field):
    plain = add_task(field.contest, "N", tie_break=Task.TieBreak.NONE)
    Criterion.objects.create(task=plain, name="Проект", points=5, max_count=4)
    client.force_login(field.organiser)
    page = client.get(sheet_url(field, task=plain)).content.decode()
    assert 'name="time"' not in page


def test_the_sheet_posts_with_csrf_only(field):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(field.judge)
    assert strict.post(sheet_url(field), post_data(field, 1)).status_code == 403
    assert not Sheet.objects.exists()


def test_the_sheets_queries_do_not_grow_with_judges(client, field, django_assert_num_queries):
    client.force_login(field.organiser)
    client.get(sheet_url(field))
    with django_assert_num_queries(9) as small:
        assert client.get(sheet_url(field)).status_code == 200
    for n in range(5):
        judge = field.judge if n == 0 else field.other_judge if n == 1 else None
        if judge is None:
            from tests import builders

            judge = builders.make_user(f"extra_judge{n}")
            JudgeAssignment.objects.create(contest=field.contest, user=judge)
        save_sheet(field.task, field.team, 1, judge, field.counts(n % 4), n)
    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get(sheet_url(field))
    assert len(response.context["judge_rows"]) == 5


def test_the_cells_address_is_the_sheets_url(client, field):
    client.force_login(field.judge)
    response = client.get(list_url(field, category=field.junior.pk))
    cell = response.context["rows"][0]["cells"][1]
    assert cell["url"] == sheet_url(field, run=2, query=f"?category={field.junior.pk}")
