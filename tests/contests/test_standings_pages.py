"""The standings page, its live fragment and the web exports: who sees what, the freeze, the
cells, ETags and query counts."""

import csv
import gzip
import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from contests import standings
from contests.models import Contest
from tests.contests.builders import add_participant, add_run, add_task, make_contest

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def two(region):
    return region["two"]


@pytest.fixture(autouse=True)
def _refresh_at_once(settings):
    """Every new version is rendered at once (the coalescing has its own test)."""
    settings.CONTESTS_STANDINGS_REFRESH_SECONDS = 0


def url(contest, **query):
    base = reverse("contests:standings", args=[contest.slug])
    if query:
        base += "?" + "&".join(f"{k}={v}" for k, v in query.items())
    return base


def export_url(contest, fmt, **query):
    base = reverse("contests:standings_export", args=[contest.slug, fmt])
    if query:
        base += "?" + "&".join(f"{k}={v}" for k, v in query.items())
    return base


def icpc_round(**fields):
    """Started 2 h ago, 3 h long, frozen for the last 90 minutes (since 30 minutes ago)."""
    fields.setdefault("freeze_minutes", 90)
    contest = make_contest(tasks=3, starts_in=timedelta(hours=-2), **fields)
    a, b, c = contest.tasks.all()
    anna = add_participant(contest, "Антонова Анна Петровна", school_name="Лицей №1")
    boris = add_participant(contest, "Борисов Борис", school_name="Школа №2")
    vera = add_participant(contest, "Верова Вера", school_name="Школа №2")
    add_run(anna, a, minute=7)
    add_run(anna, b, minute=30, verdict="WA")
    add_run(anna, b, minute=35, verdict="WA")
    add_run(anna, b, minute=67)
    for minute in (10, 20, 40):
        add_run(boris, a, minute=minute, verdict="WA")
    add_run(vera, c, minute=100)  # during the freeze
    return contest


def cells_of(html: str) -> str:
    return html.split("<tbody>", 1)[1]


# --- Who sees what -----------------------------------------------------------------------


def test_the_public_sees_the_frozen_board_with_public_names(client):
    contest = icpc_round()
    response = client.get(url(contest))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Анна А." in html and "Лицей №1" in html
    assert "Антонова" not in html and "Петровна" not in html
    banner = html.split('class="notice standings-frozen"', 1)[1].split("</p>", 1)[0]
    assert timezone.localtime(contest.freeze_at()).strftime("%H:%M") in banner
    body = cells_of(html)
    assert "+2" in body and "2:07" not in body  # B after two rejected runs, at 1:07
    assert "1:07" in body and "0:07" in body
    assert "−3" in body
    assert '<span class="q">?</span>' in body  # Vera's run during the freeze
    assert "Антонова" not in response.content.decode()


def test_the_jury_sees_live_with_full_names(client, two):
    contest = icpc_round()
    client.force_login(two.host.teacher_a)  # park staff: the jury of every contest
    html = client.get(url(contest)).content.decode()
    assert "Антонова Анна Петровна" in html and "Верова Вера" in html
    assert '<span class="q">' not in cells_of(html)  # nothing hidden
    assert "Как видят все" in html or "As the public sees it" in html
    public = client.get(url(contest, view="public")).content.decode()
    assert "Анна А." in public and "Антонова" not in cells_of(public)
    assert '<span class="q">?</span>' in public


def test_a_named_jury_member_is_the_jury(client, two):
    contest = icpc_round()
    member = two.visiting.teacher_a
    client.force_login(member)
    assert "Антонова Анна" not in client.get(url(contest)).content.decode()
    contest.jury.add(member)
    assert "Антонова Анна" in client.get(url(contest)).content.decode()


def test_others_cannot_ask_for_the_jury_board(client, two):
    contest = icpc_round()
    client.force_login(two.visiting.pupils_a[0])
    for view in ("live", "jury", "public"):
        html = client.get(url(contest, view=view)).content.decode()
        assert "Антонова" not in html and '<span class="q">?</span>' in html


def test_an_unpublished_contest_is_a_404_except_for_the_jury(client, two):
    contest = icpc_round(is_published=False)
    assert client.get(url(contest)).status_code == 404
    assert client.get(url(contest, fragment=1)).status_code == 404
    assert client.get(export_url(contest, "csv")).status_code == 404
    client.force_login(two.visiting.pupils_a[0])
    assert client.get(url(contest)).status_code == 404
    client.force_login(two.host.teacher_a)
    assert client.get(url(contest)).status_code == 200


def test_an_unknown_contest_is_a_404(client):
    assert client.get("/contests/nope/standings/").status_code == 404


def test_the_participant_finds_their_row(client, two):
    contest = icpc_round()
    pupil = two.host.pupils_a[0]
    me = add_participant(contest, "Пупкин Пётр", user=pupil)
    client.force_login(pupil)
    html = client.get(url(contest)).content.decode()
    assert f'href="#p-{me.pk}"' in html and f'id="p-{me.pk}"' in html
    assert f'data-me="p-{me.pk}"' in html


def test_a_big_board_is_shown_in_pages_and_my_row_link_finds_my_page(client, two, settings):
    settings.CONTESTS_STANDINGS_PAGE_SIZE = 2
    contest = icpc_round()
    pupil = two.host.pupils_a[0]
    me = add_participant(contest, "Пупкин Пётр", user=pupil)  # nothing solved: last, page 2
    client.force_login(pupil)
    first = client.get(url(contest)).content.decode()
    assert cells_of(first).count('<tr id="p-') == 2 and f'id="p-{me.pk}"' not in first
    assert "Страница 1 из 2" in first and "page=2" in first
    assert f'page=2#p-{me.pk}"' in first  # "My row" opens the page the row is on
    second = client.get(url(contest, page=2)).content.decode()
    assert f'id="p-{me.pk}"' in second and cells_of(second).count('<tr id="p-') == 2
    assert "Страница 2 из 2" in second and f'href="#p-{me.pk}"' in second
    assert "page=2&amp;fragment=1" in second  # the poller asks for its own page
    # Places are the whole board's, not the page's.
    # Places are the whole board's: the frozen public board shares 2nd to 4th, on page 2 too.
    assert f'<tr id="p-{me.pk}"><td class="col-place">2–4</td>' in second
    # Nonsense is the first page, too far the last; never an error.
    assert f'id="p-{me.pk}"' not in client.get(url(contest, page="abc")).content.decode()
    assert f'id="p-{me.pk}"' in client.get(url(contest, page=99)).content.decode()
    # Each page has its own ETag: a poll of page 2 is a 304 for page 2's, not for page 1's.
    one = client.get(url(contest, fragment=1))
    two_page = client.get(url(contest, fragment=1, page=2))
    assert f'id="p-{me.pk}"' in two_page.content.decode()
    assert one["ETag"] != two_page["ETag"]
    again = client.get(url(contest, fragment=1, page=2), HTTP_IF_NONE_MATCH=two_page["ETag"])
    assert again.status_code == 304
    other = client.get(url(contest, fragment=1), HTTP_IF_NONE_MATCH=two_page["ETag"])
    assert other.status_code == 200 and f'id="p-{me.pk}"' not in other.content.decode()


def test_after_unfreezing_everyone_sees_live(client):
    contest = icpc_round()
    contest.unfrozen_at = contest.ends_at
    contest.save()
    html = client.get(url(contest)).content.decode()
    assert '<span class="q">' not in cells_of(html)
    assert "standings-frozen" not in html


def test_without_freeze_no_banner(client):
    contest = icpc_round(freeze_minutes=0)
    assert "standings-frozen" not in client.get(url(contest)).content.decode()


def test_the_jury_is_told_the_public_board_freezes(client, two):
    contest = icpc_round()
    client.force_login(two.host.teacher_a)
    assert "standings-jury-live" in client.get(url(contest)).content.decode()


# --- Categories --------------------------------------------------------------------------


def categories_round():
    contest = make_contest(tasks=1, categories=["5–6 классы", "7–8 классы"])
    young, old = contest.categories.all()
    task = contest.tasks.first()
    add_run(add_participant(contest, "Младшая Мила", category=young), task, minute=10)
    add_run(add_participant(contest, "Старший Степан", category=old), task, minute=5)
    return contest, young, old


def test_a_contest_with_categories_opens_on_the_first(client):
    contest, young, old = categories_round()
    html = client.get(url(contest)).content.decode()
    assert "Мила М." in cells_of(html) and "Степан С." not in cells_of(html)
    assert f"?category={old.pk}" in html and "?category=all" in html
    html = client.get(url(contest, category=old.pk)).content.decode()
    assert "Степан С." in cells_of(html) and "Мила М." not in cells_of(html)
    html = client.get(url(contest, category="all")).content.decode()
    assert "Степан С." in cells_of(html) and "Мила М." in cells_of(html)
    assert "7–8 классы</td>" in html  # the category column on the board of everyone


@pytest.mark.parametrize("bad", ["x", "-1", "999999", "1.5"])
def test_a_bad_category_is_a_404(client, bad):
    contest, _young, _old = categories_round()
    assert client.get(url(contest, category=bad)).status_code == 404
    assert client.get(url(contest, category=bad, fragment=1)).status_code == 404


def test_another_contests_category_is_a_404(client):
    contest, _young, _old = categories_round()
    other = make_contest("other", categories=["Чужая"])
    foreign = other.categories.get()
    assert client.get(url(contest, category=foreign.pk)).status_code == 404


# --- Cells of points boards --------------------------------------------------------------


def test_points_cells_are_rounded_for_display_only(client):
    contest = make_contest(rules=Contest.Rules.IOI)
    task = add_task(contest, "A", kind="programming", max_score=D(100))
    anna = add_participant(contest, "Антонова Анна")
    add_run(anna, task, verdict="PT", score=D("85.456"))
    html = client.get(url(contest)).content.decode()
    assert "85,46" in cells_of(html)
    assert standings.build(contest).rows[0].score == D("85.456")


def test_a_board_without_participants(client):
    contest = make_contest(tasks=2)
    assert "Пока никто не участвует" in client.get(url(contest)).content.decode() or (
        "Nobody takes part yet" in client.get(url(contest)).content.decode()
    )


def test_names_are_escaped(client):
    contest = make_contest(tasks=1)
    add_participant(contest, "<script>alert(1)</script> Хакер", team_name="<b>Команда</b>")
    html = client.get(url(contest)).content.decode()
    assert "<script>alert" not in html and "&lt;b&gt;Команда&lt;/b&gt;" in html


# --- The live fragment -------------------------------------------------------------------


def test_the_fragment_is_the_board_alone_with_an_etag(client):
    contest = icpc_round()
    response = client.get(url(contest, fragment=1))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.startswith('<div class="standings-board"') and "<html" not in html
    assert response["ETag"].startswith('W/"standings-')
    assert response["Last-Modified"]
    assert "no-cache" in response["Cache-Control"] and "private" in response["Cache-Control"]


def test_a_matching_etag_is_a_304_before_anything_is_computed(client, django_assert_num_queries):
    contest = icpc_round()
    etag = client.get(url(contest, fragment=1))["ETag"]
    with django_assert_num_queries(1):  # the contest
        response = client.get(url(contest, fragment=1), HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304 and response["ETag"] == etag


def test_if_modified_since_is_a_304_too(client):
    contest = icpc_round()
    first = client.get(url(contest, fragment=1))
    again = client.get(url(contest, fragment=1), HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert again.status_code == 304


def test_a_new_verdict_changes_the_etag(client):
    contest = icpc_round(freeze_minutes=0)
    etag = client.get(url(contest, fragment=1))["ETag"]
    boris = contest.participants.get(name="Борисов Борис")
    add_run(boris, contest.tasks.get(label="A"), minute=50)
    standings.invalidate(contest.pk)
    response = client.get(url(contest, fragment=1), HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200 and response["ETag"] != etag
    assert "+3" in response.content.decode()


def test_verdicts_in_quick_succession_are_shown_within_the_refresh_time(client, settings):
    settings.CONTESTS_STANDINGS_REFRESH_SECONDS = 60
    contest = icpc_round(freeze_minutes=0)
    first = client.get(url(contest, fragment=1))
    boris = contest.participants.get(name="Борисов Борис")
    add_run(boris, contest.tasks.get(label="A"), minute=50)
    standings.invalidate(contest.pk)
    again = client.get(url(contest, fragment=1), HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304  # the board of a moment ago still serves
    settings.CONTESTS_STANDINGS_REFRESH_SECONDS = 0
    fresh = client.get(url(contest, fragment=1), HTTP_IF_NONE_MATCH=first["ETag"])
    assert fresh.status_code == 200 and "+3" in fresh.content.decode()


def test_a_gzipped_fragment(client):
    contest = icpc_round()
    plain = client.get(url(contest, fragment=1))
    packed = client.get(url(contest, fragment=1), HTTP_ACCEPT_ENCODING="gzip, br")
    assert packed["Content-Encoding"] == "gzip" and "Accept-Encoding" in packed["Vary"]
    assert gzip.decompress(packed.content) == plain.content


def test_the_jury_and_the_public_have_different_etags(client, two):
    contest = icpc_round()
    public = client.get(url(contest, fragment=1))["ETag"]
    client.force_login(two.host.teacher_a)
    jury = client.get(url(contest, fragment=1))
    assert jury["ETag"] != public
    assert client.get(url(contest, fragment=1), HTTP_IF_NONE_MATCH=public).status_code == 200
    as_public = client.get(url(contest, fragment=1, view="public"))
    assert as_public["ETag"] == public


def test_a_cached_fragment_costs_the_contest_query_only(client, django_assert_num_queries):
    contest = icpc_round()
    client.get(url(contest, fragment=1))
    with django_assert_num_queries(1):
        response = client.get(url(contest, fragment=1))
    assert response.status_code == 200


def test_a_cached_fragment_of_a_category(client, django_assert_num_queries):
    contest, young, _old = categories_round()
    client.get(url(contest, category=young.pk, fragment=1))
    with django_assert_num_queries(1):  # the contest with its category
        client.get(url(contest, category=young.pk, fragment=1))


def test_a_logged_in_pollers_cached_fragment(client, two, django_assert_num_queries):
    contest = icpc_round()
    client.force_login(two.visiting.pupils_a[0])
    client.get(url(contest, fragment=1))
    # The session (it lives in the cache in production) and the contest with the viewer's jury
    # seat; the user and the roles come from the shared cache (lms.user_cache, access_cache).
    with django_assert_num_queries(2):
        client.get(url(contest, fragment=1))


def test_the_page_query_counts(client, django_assert_num_queries):
    contest = icpc_round()
    client.get(url(contest))
    with django_assert_num_queries(2):  # the contest, the categories (the board is cached)
        client.get(url(contest))
    standings.invalidate(contest.pk)
    with django_assert_num_queries(6):  # + tasks, participants, runs, score changes
        client.get(url(contest))


def test_the_page_works_without_a_cache(client, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    contest = icpc_round()
    assert client.get(url(contest)).status_code == 200
    assert client.get(url(contest, fragment=1)).status_code == 200


# --- Web exports -------------------------------------------------------------------------


def read_csv(response) -> list[list[str]]:
    raw = response.content
    assert raw.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))


def test_csv_export_for_the_public(client):
    contest = icpc_round()
    response = client.get(export_url(contest, "csv"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="olymp-standings.csv"' in response["Content-Disposition"]
    rows = read_csv(response)
    assert rows[0] == [
        "rank",
        "participant",
        "category",
        "solved",
        "penalty",
        "score",
        "A",
        "B",
        "C",
    ]
    assert rows[1] == ["1", "Анна А. (Лицей №1)", "", "2", "114", "2", "'+ 0:07", "'+2 1:07", ""]
    assert rows[2][:2] == ["2–3", "Борис Б. (Школа №2)"] and rows[2][6] == "−3"
    assert rows[3][:2] == ["2–3", "Вера В. (Школа №2)"] and rows[3][8] == "?"
    assert "Антонова" not in response.content.decode("utf-8-sig")


def test_csv_export_for_the_jury_and_as_the_public(client, two):
    contest = icpc_round()
    client.force_login(two.host.teacher_a)
    rows = read_csv(client.get(export_url(contest, "csv")))
    assert rows[1][1] == "Антонова Анна Петровна (Лицей №1)"
    assert any(r[1].startswith("Верова Вера") and r[8] == "'+ 1:40" for r in rows)
    public = read_csv(client.get(export_url(contest, "csv", view="public")))
    assert public[1][1] == "Анна А. (Лицей №1)"


def test_csv_cells_are_made_inert(client):
    contest = make_contest(tasks=1)
    add_participant(contest, '=HYPERLINK("http://x","y")', school_name="@school")
    rows = read_csv(client.get(export_url(contest, "csv")))
    assert rows[1][1].startswith("'")


def test_xlsx_export(client):
    contest = make_contest(rules=Contest.Rules.IOI, categories=["Младшие"])
    task = add_task(contest, "A", kind="programming", max_score=D(100))
    anna = add_participant(contest, "Антонова Анна", category="Младшие")
    add_participant(contest, "Бобров Борис", team_name="=1+2", category="Младшие")
    add_run(anna, task, verdict="PT", score=D("85.456"))
    response = client.get(export_url(contest, "xlsx", category="all"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0] == ["rank", "participant", "category", "solved", "penalty", "score", "A"]
    assert values[1] == [1, "Анна А.", "Младшие", 0, 0, 85.46, 85.46]
    assert values[2][1].startswith("'=") and sheet.cell(row=3, column=2).data_type == "s"


def test_an_unknown_export_format_is_a_404(client):
    contest = icpc_round()
    assert client.get(export_url(contest, "pdf")).status_code == 404
