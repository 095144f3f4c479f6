"""The organisers' pages of a contest: the list, a new contest, its settings (times typed in the
park's time zone, refusals on the fields, warnings to confirm), categories, award rules, the
jury and judges, the freeze; who may open them."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import resolve, reverse
from django.utils import timezone

from contests.models import AwardRule, Contest, JudgeAssignment
from tests.contests.builders import add_participant, add_run, add_task, make_contest

pytestmark = pytest.mark.django_db

PARK = ZoneInfo(settings.TIME_ZONE)


@pytest.fixture
def two(region):
    return region["two"]


@pytest.fixture
def organiser(client, two):
    client.force_login(two.host.teacher_a)
    return client


def local(moment: datetime) -> str:
    return timezone.localtime(moment, PARK).strftime("%Y-%m-%dT%H:%M")


def form_data(**changes) -> dict:
    start = (
        (timezone.now() + timedelta(days=7))
        .astimezone(PARK)
        .replace(hour=10, minute=0, second=0, microsecond=0)
    )
    data = {
        "section": "contest",
        "slug": "robo-2026",
        "title": "Робототехника 2026",
        "kind": "robotics",
        "rules": "judged",
        "description": "Для **всех**.",
        "audience": "park",
        "self_registration": "on",
        "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (start + timedelta(hours=4)).strftime("%Y-%m-%dT%H:%M"),
        "window_minutes": "",
        "freeze_minutes": "0",
        "penalty_minutes": "20",
        "team_size": "1",
        "practice_after_end": "on",
        "appeals_until": "",
        "registration_opens_at": "",
        "registration_closes_at": "",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def contest_form_of(contest: Contest, **changes) -> dict:
    """The edit form as the page would post it back for `contest`."""
    data = {
        "section": "contest",
        "slug": contest.slug,
        "title": contest.title,
        "kind": contest.kind,
        "rules": contest.rules,
        "description": contest.description,
        "audience": contest.audience,
        "starts_at": local(contest.starts_at),
        "ends_at": local(contest.ends_at),
        "window_minutes": contest.window_minutes or "",
        "freeze_minutes": contest.freeze_minutes,
        "penalty_minutes": contest.penalty_minutes,
        "team_size": contest.team_size,
    }
    for flag in ("self_registration", "practice_after_end", "is_published", "teams"):
        if getattr(contest, flag):
            data[flag] = "on"
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


# --- Who may open them ----------------------------------------------------------------------


SETUP_PAGES = ["edit", "setup_tasks", "setup_awards", "setup_people", "freeze", "jury"]


def test_anonymous_visitors_are_sent_to_log_in(client):
    contest = make_contest("olymp")
    for name in SETUP_PAGES:
        response = client.get(reverse(f"contests:{name}", args=[contest.slug]))
        assert response.status_code == 302 and reverse("login") in response.url, name
    for name in ("manage", "create"):
        response = client.get(reverse(f"contests:{name}"))
        assert response.status_code == 302 and reverse("login") in response.url


@pytest.mark.parametrize("who", ["pupil", "visiting_teacher", "visiting_admin"])
def test_others_get_404(client, two, who):
    user = {
        "pupil": two.host.pupils_a[0],
        "visiting_teacher": two.visiting.teacher_a,
        "visiting_admin": two.visiting.admin,
    }[who]
    contest = make_contest("olymp")
    contest.jury.add(two.visiting.teacher_a)  # the jury answers appeals; it does not set up
    client.force_login(user)
    for name in SETUP_PAGES:
        assert client.get(reverse(f"contests:{name}", args=[contest.slug])).status_code == 404
    assert client.get(reverse("contests:manage")).status_code == 404
    assert client.get(reverse("contests:create")).status_code == 404
    assert client.post(reverse("contests:create"), form_data()).status_code == 404
    assert not Contest.objects.filter(slug="robo-2026").exists()


@pytest.mark.parametrize("who", ["teacher", "admin", "methodologist", "superuser"])
def test_organisers_open_every_page(client, two, who):
    user = {
        "teacher": two.host.teacher_a,
        "admin": two.host.admin,
        "methodologist": two.methodologist,
        "superuser": two.superuser,
    }[who]
    contest = make_contest("olymp", freeze_minutes=30)
    client.force_login(user)
    for name in SETUP_PAGES:
        assert client.get(reverse(f"contests:{name}", args=[contest.slug])).status_code == 200
    assert client.get(reverse("contests:manage")).status_code == 200
    assert client.get(reverse("contests:create")).status_code == 200


def test_an_unknown_contest_is_404(organiser):
    assert organiser.get(reverse("contests:edit", args=["no-such"])).status_code == 404


def test_the_addresses_resolve_to_the_setup_pages():
    """/contests/new/ and /contests/manage/ must not be taken for a contest called so."""
    assert resolve("/contests/new/").url_name == "create"
    assert resolve("/contests/manage/").url_name == "manage"


# --- The list -------------------------------------------------------------------------------


def test_the_list_shows_every_contest_and_a_new_button(organiser, django_assert_max_num_queries):
    make_contest("first", tasks=2)
    hidden = make_contest("draft", is_published=False)
    for n in range(5):
        make_contest(f"more-{n}", tasks=3)
    organiser.get(reverse("contests:manage"))  # warm: the Site (cms.sites), the roles
    with django_assert_max_num_queries(12):
        page = organiser.get(reverse("contests:manage"))
    html = page.content.decode()
    assert reverse("contests:create") in html
    assert reverse("contests:jury", args=[hidden.slug]) in html
    assert html.count('class="card setup-contest"') == 7


# --- A new contest --------------------------------------------------------------------------


def test_an_organiser_creates_a_contest_in_the_park_time(organiser, two):
    data = form_data(
        audience="schools",
        schools=[str(two.visiting.school.pk)],
        teams="on",
        team_size="3",
        registration_closes_at="",
    )
    response = organiser.post(reverse("contests:create"), data)
    assert response.status_code == 302
    contest = Contest.objects.get(slug="robo-2026")
    assert response.url == reverse("contests:jury", args=[contest.slug])
    typed = datetime.strptime(data["starts_at"], "%Y-%m-%dT%H:%M").replace(tzinfo=PARK)
    assert contest.starts_at == typed
    assert contest.created_by == two.host.teacher_a
    assert list(contest.schools.all()) == [two.visiting.school]
    assert contest.team_size == 3 and contest.teams
    # The edit page shows the time as it was typed.
    page = organiser.get(reverse("contests:edit", args=[contest.slug])).content.decode()
    assert f'value="{data["starts_at"]}"' in page
    assert 'type="datetime-local"' in page


def test_a_refused_contest_says_why_on_the_field_and_saves_nothing(organiser, en):
    data = form_data(kind="quiz", rules="icpc")
    response = organiser.post(reverse("contests:create"), data)
    assert response.status_code == 400
    assert "IOI" in response.content.decode()
    data = form_data(ends_at=form_data()["starts_at"], window_minutes="30")
    response = organiser.post(reverse("contests:create"), data)
    assert response.status_code == 400
    assert "must end after it starts" in response.content.decode()
    assert not Contest.objects.exists()


@pytest.mark.parametrize(
    "changes",
    [
        {"starts_at": "not a date"},
        {"starts_at": "0001-01-01T00:00"},
        {"ends_at": "9999-12-31T23:59"},
        {"window_minutes": "-5"},
        {"window_minutes": "99999999999999999999"},
        {"schools": ["99999999999999999999999"]},
        {"kind": "chess"},
        {"slug": "не-латиница"},
        {"slug": "new"},
        {"audience": "schools"},
    ],
)
def test_bad_input_is_a_form_error_never_a_500(organiser, changes):
    response = organiser.post(reverse("contests:create"), form_data(**changes))
    assert response.status_code == 400
    assert not Contest.objects.exists()


def test_a_slug_taken_is_refused(organiser):
    make_contest("robo-2026")
    response = organiser.post(reverse("contests:create"), form_data())
    assert response.status_code == 400
    assert Contest.objects.count() == 1


# --- Settings -------------------------------------------------------------------------------


def test_the_settings_are_saved_and_the_standings_refreshed(
    organiser, django_capture_on_commit_callbacks
):
    contest = make_contest("olymp", starts_in=timedelta(days=3))
    data = contest_form_of(contest, title="Новое название", freeze_minutes="30")
    with django_capture_on_commit_callbacks(execute=True):
        response = organiser.post(reverse("contests:edit", args=[contest.slug]), data)
    assert response.status_code == 302
    contest.refresh_from_db()
    assert contest.title == "Новое название" and contest.freeze_minutes == 30
    assert contest.standings_version == 1


def test_rules_cannot_change_once_the_round_started(organiser, en):
    contest = make_contest("olymp", tasks=0)
    data = contest_form_of(contest, rules="ioi")
    response = organiser.post(reverse("contests:edit", args=[contest.slug]), data)
    assert response.status_code == 400
    assert "only before the round starts" in response.content.decode()
    contest.refresh_from_db()
    assert contest.rules == "icpc"


def test_a_warning_is_confirmed_before_saving(organiser, en):
    contest = make_contest("olymp", rules="ioi", tasks=0)
    task = add_task(contest, "A", kind="programming")
    add_run(add_participant(contest), task, score=50)
    url = reverse("contests:edit", args=[contest.slug])
    data = contest_form_of(contest, best_per_subtask="on")
    page = organiser.post(url, data)
    assert page.status_code == 200
    assert "recounted" in page.content.decode() and 'name="confirm"' in page.content.decode()
    contest.refresh_from_db()
    assert not contest.best_per_subtask
    response = organiser.post(url, {**data, "confirm": "1"})
    assert response.status_code == 302
    contest.refresh_from_db()
    assert contest.best_per_subtask


def test_a_refused_slug_change_keeps_the_page_on_the_old_address(organiser):
    contest = make_contest("olymp")
    make_contest("taken")
    data = contest_form_of(contest, slug="taken")
    response = organiser.post(reverse("contests:edit", args=[contest.slug]), data)
    assert response.status_code == 400
    assert reverse("contests:jury", args=["olymp"]) in response.content.decode()


# --- Categories -----------------------------------------------------------------------------


def categories_data(rows: list[dict], initial: int = 0) -> dict:
    data = {
        "section": "categories",
        "cat-TOTAL_FORMS": str(len(rows)),
        "cat-INITIAL_FORMS": str(initial),
        "cat-MIN_NUM_FORMS": "0",
        "cat-MAX_NUM_FORMS": "1000",
    }
    for i, row in enumerate(rows):
        for key, value in row.items():
            data[f"cat-{i}-{key}"] = value
    return data


def test_categories_are_added_in_order_with_an_overlap_warning(organiser, en):
    contest = make_contest("olymp")
    url = reverse("contests:edit", args=[contest.slug])
    rows = [
        {"name": "5–7 классы", "min_class": "5", "max_class": "7"},
        {"name": "7–9 классы", "min_class": "7", "max_class": "9"},
    ]
    response = organiser.post(url, categories_data(rows), follow=True)
    assert response.status_code == 200
    assert [c.name for c in contest.categories.all()] == ["5–7 классы", "7–9 классы"]
    assert "overlap" in response.content.decode()


def test_a_category_with_participants_cannot_be_deleted(organiser, en):
    contest = make_contest("olymp", categories=["Младшие", "Старшие"])
    young, old = contest.categories.all()
    add_participant(contest, category=young)
    url = reverse("contests:edit", args=[contest.slug])
    rows = [
        {"id": str(young.pk), "name": "Младшие", "DELETE": "on"},
        {"id": str(old.pk), "name": "Старшие", "DELETE": "on"},
    ]
    response = organiser.post(url, categories_data(rows, initial=2))
    assert response.status_code == 400
    assert "move them to another category" in response.content.decode()
    assert contest.categories.count() == 2  # nothing half-saved: the empty one stays too
    rows[0].pop("DELETE")
    assert organiser.post(url, categories_data(rows, initial=2)).status_code == 302
    assert list(contest.categories.all()) == [young]


def test_a_bad_class_range_and_a_forged_row_are_refused(organiser):
    contest = make_contest("olymp", categories=["Младшие"])
    url = reverse("contests:edit", args=[contest.slug])
    backwards = [{"name": "Наоборот", "min_class": "9", "max_class": "5"}]
    assert organiser.post(url, categories_data(backwards)).status_code == 400
    other = make_contest("other", categories=["Чужая"])
    forged = [{"id": str(other.categories.get().pk), "name": "Моя"}]
    assert organiser.post(url, categories_data(forged, initial=1)).status_code == 400
    huge = [{"id": "99999999999999999999999", "name": "Моя"}]
    assert organiser.post(url, categories_data(huge, initial=1)).status_code == 400
    assert other.categories.get().name == "Чужая"
    same = [{"name": "Младшие"}]
    assert organiser.post(url, categories_data(same)).status_code == 400
    assert contest.categories.count() == 1


# --- Award rules ----------------------------------------------------------------------------


def awards_data(rows: list[dict], initial: int = 0) -> dict:
    data = {
        "award-TOTAL_FORMS": str(len(rows)),
        "award-INITIAL_FORMS": str(initial),
        "award-MIN_NUM_FORMS": "0",
        "award-MAX_NUM_FORMS": "1000",
    }
    for i, row in enumerate(rows):
        for key, value in row.items():
            data[f"award-{i}-{key}"] = value
    return data


def test_award_rules_are_saved_and_previewed_in_plain_words(organiser, en):
    contest = make_contest("olymp", categories=["Младшие"])
    young = contest.categories.get()
    url = reverse("contests:setup_awards", args=[contest.slug])
    rows = [
        {
            "category": str(young.pk),
            "award": "Winner",
            "max_place": "3",
            "min_score": "50",
            "min_score_is_percent": "on",
        },
        {"category": "", "award": "Prize-winner", "max_share_percent": "25"},
    ]
    assert organiser.post(url, awards_data(rows)).status_code == 302
    first, second = AwardRule.objects.filter(contest=contest)
    assert (first.award, first.max_place, first.min_score) == ("Winner", 3, Decimal(50))
    assert second.category is None and second.order == 1
    html = organiser.get(url).content.decode()
    assert "Winner: places 1–3, at least 50 % of the points (Младшие)" in html
    assert "Prize-winner: within the best 25 % of participants (every category)" in html


def test_an_award_rule_without_a_condition_or_of_another_contest_is_refused(organiser):
    contest = make_contest("olymp")
    other = make_contest("other", categories=["Чужая"])
    url = reverse("contests:setup_awards", args=[contest.slug])
    assert organiser.post(url, awards_data([{"award": "Победитель"}])).status_code == 400
    foreign = [
        {"award": "Победитель", "max_place": "1", "category": str(other.categories.get().pk)}
    ]
    assert organiser.post(url, awards_data(foreign)).status_code == 400
    assert not AwardRule.objects.exists()


# --- Jury and judges ------------------------------------------------------------------------


def test_people_are_found_by_login_and_added(organiser, two, en):
    contest = make_contest("robots", rules="judged", kind="robotics", categories=["Младшие"])
    task = add_task(contest, "A")
    url = reverse("contests:setup_people", args=[contest.slug])
    page = organiser.get(url, {"q": "v_teacher"}).content.decode()
    assert two.visiting.teacher_a.username in page
    assert two.visiting.pupils_a[0].username not in organiser.get(url, {"q": "v_"}).content.decode()
    response = organiser.post(
        url, {"action": "add_jury", "jury-login": two.visiting.teacher_a.username}
    )
    assert response.status_code == 302
    assert list(contest.jury.all()) == [two.visiting.teacher_a]
    category = contest.categories.get()
    data = {
        "action": "add_judge",
        "judge-login": two.visiting.teacher_b.username,
        "judge-category": str(category.pk),
        "judge-task": str(task.pk),
    }
    assert organiser.post(url, data).status_code == 302
    assert organiser.post(url, data).status_code == 302  # twice: one assignment
    judge = JudgeAssignment.objects.get(contest=contest)
    assert (judge.user, judge.category, judge.task) == (two.visiting.teacher_b, category, task)
    page = organiser.get(url).content.decode()
    assert two.visiting.teacher_b.username in page
    assert (
        organiser.post(url, {"action": "remove_judge", "judge": str(judge.pk)}).status_code == 302
    )
    assert not JudgeAssignment.objects.exists()
    organiser.post(url, {"action": "remove_jury", "user": str(two.visiting.teacher_a.pk)})
    assert not contest.jury.exists()


def test_a_pupil_cannot_be_on_the_jury(organiser, two, en):
    contest = make_contest("olymp")
    url = reverse("contests:setup_people", args=[contest.slug])
    pupil = two.host.pupils_a[0].username
    response = organiser.post(url, {"action": "add_jury", "jury-login": pupil})
    assert response.status_code == 400 and "staff only" in response.content.decode()
    response = organiser.post(url, {"action": "add_judge", "judge-login": pupil})
    assert response.status_code == 400
    forged = {
        "action": "add_judge",
        "judge-login": two.host.teacher_b.username,
        "judge-task": "99999999999999999999999",
    }
    assert organiser.post(url, forged).status_code == 400
    assert organiser.post(url, {"action": "remove_judge", "judge": "٣"}).status_code == 302
    assert not contest.jury.exists() and not JudgeAssignment.objects.exists()


def test_the_people_page_needs_no_query_per_person(organiser, two):
    contest = make_contest("olymp", categories=["Младшие"])
    url = reverse("contests:setup_people", args=[contest.slug])

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert organiser.get(url, {"q": "teacher"}).status_code == 200
        return len(captured)

    contest.jury.add(two.host.teacher_b)
    JudgeAssignment.objects.create(contest=contest, user=two.host.teacher_b)
    queries()  # the first request caches the site's chrome
    few = queries()
    for user in (two.visiting.teacher_a, two.visiting.teacher_b, two.visiting.admin):
        contest.jury.add(user)
        JudgeAssignment.objects.create(contest=contest, user=user)
    assert queries() == few <= 14


# --- The freeze -----------------------------------------------------------------------------


def test_the_jury_unfreezes_after_a_confirm_page(organiser, en, django_capture_on_commit_callbacks):
    contest = make_contest("olymp", freeze_minutes=60, starts_in=timedelta(hours=-3, minutes=-10))
    url = reverse("contests:freeze", args=[contest.slug])
    page = organiser.get(url).content.decode()
    assert "Unfreeze now?" in page and 'value="unfreeze"' in page
    with django_capture_on_commit_callbacks(execute=True):
        response = organiser.post(url, {"action": "unfreeze"})
    assert response.status_code == 302
    contest.refresh_from_db()
    assert contest.unfrozen_at is not None and contest.standings_version == 1
    # The round is over: it cannot freeze again.
    organiser.post(url, {"action": "refreeze"})
    contest.refresh_from_db()
    assert contest.unfrozen_at is not None
    assert "results once shown stay shown" in organiser.get(url).content.decode()


def test_refreezing_before_the_end(organiser):
    contest = make_contest("olymp", freeze_minutes=60, unfrozen_at=timezone.now())
    url = reverse("contests:freeze", args=[contest.slug])
    assert 'value="refreeze"' in organiser.get(url).content.decode()
    organiser.post(url, {"action": "refreeze"})
    contest.refresh_from_db()
    assert contest.unfrozen_at is None


def test_the_freeze_is_post_for_changes(organiser):
    contest = make_contest("olymp", freeze_minutes=60)
    organiser.get(reverse("contests:freeze", args=[contest.slug]), {"action": "unfreeze"})
    contest.refresh_from_db()
    assert contest.unfrozen_at is None


def test_times_on_the_pages_are_in_the_park_zone(organiser):
    start = datetime(2026, 12, 1, 6, 0, tzinfo=ZoneInfo("UTC"))
    contest = make_contest("olymp", starts_at=start, freeze_minutes=30)
    page = organiser.get(reverse("contests:jury", args=[contest.slug])).content.decode()
    shown = timezone.localtime(start, PARK).strftime("%H:%M")
    assert re.search(rf"1 декабря 2026, {shown}", page)
