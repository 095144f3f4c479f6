"""The final protocol: ranked tables per category with the awards, the jury's signature
lines, the printable page (jury only) and the XLSX file."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from contests import awards, protocol, standings
from contests.models import AwardRule, Contest
from tests.builders import make_user
from tests.contests.builders import add_participant, add_run, make_contest

pytestmark = pytest.mark.django_db


@pytest.fixture
def two(region):
    return region["two"]


@pytest.fixture
def contest(two):
    contest = make_contest(
        "olymp",
        rules=Contest.Rules.IOI,
        starts_in=timedelta(hours=-5),
        length=timedelta(hours=3),
        tasks=2,
        categories=["5–6 классы", "7–8 классы"],
    )
    AwardRule.objects.create(contest=contest, award="Победитель", max_place=1)
    AwardRule.objects.create(contest=contest, award="Призёр", max_place=3, order=1)
    a, b = contest.tasks.get(label="A"), contest.tasks.get(label="B")
    young = [("Петрова Анна", 90, 5), ("Иванов Иван", 70, 6), ("Смирнов Олег", 70, 6),
             ("=HYPERLINK(1)", 10, 5)]  # fmt: skip
    for name, score, grade in young:
        person = add_participant(contest, name, category="5–6 классы", class_number=grade,
                                 school_name="Школа № 1")  # fmt: skip
        add_run(person, a, score=score)
        add_run(person, b, score=score // 2)
    guest = add_participant(contest, "Гостев Гость", category="7–8 классы",
                            is_out_of_competition=True)  # fmt: skip
    add_run(guest, a, score=100)
    add_participant(contest, "Ушедший Был", category="7–8 классы", withdrawn_at=timezone.now())
    chair = make_user("chair", first_name="Мария Петровна", last_name="Соколова")
    member = make_user("member", first_name="Олег", last_name="Андреев")
    contest.jury.add(chair, member)
    return contest


def test_the_protocol_ranks_each_category_and_names_the_awards(contest):
    made = protocol.build(contest)
    assert made.preliminary and len(made.tables) == 2
    young, older = made.tables
    assert young.category == "5–6 классы" and [t.label for t in young.tasks] == ["A", "B"]
    lines = [
        (line.place, line.name, line.class_number, line.total, line.award) for line in young.lines
    ]
    assert lines == [
        ("1", "Петрова Анна", 5, "135", "Победитель"),
        ("2–3", "Иванов Иван", 6, "105", "Призёр"),
        ("2–3", "Смирнов Олег", 6, "105", "Призёр"),
        ("4", "=HYPERLINK(1)", 5, "15", ""),
    ]
    assert young.lines[0].results == ["90", "45"]
    assert [line.name for line in older.lines] == ["Гостев Гость"]  # the withdrawn one is left out
    assert older.lines[0].out_of_competition and older.lines[0].award == ""


def test_the_signature_lines_name_the_jury(contest):
    made = protocol.build(contest)
    assert made.chair.name == "Андреев О." and [m.name for m in made.members] == ["Соколова М. П."]
    chosen = protocol.build(contest, chair_id=made.members[0].user_id)
    assert chosen.chair.name == "Соколова М. П." and [m.name for m in chosen.members] == [
        "Андреев О."
    ]
    contest.jury.clear()
    blank = protocol.build(contest)
    assert blank.chair.name == "" and len(blank.members) == protocol.BLANK_MEMBERS


def test_published_awards_are_the_ones_shown(contest, two):
    awards.publish_results(contest, two.host.teacher_a)
    contest.refresh_from_db()
    made = protocol.build(contest)
    assert not made.preliminary
    assert [line.award for line in made.tables[0].lines] == ["Победитель", "Призёр", "Призёр", ""]


def test_the_printable_page_is_the_jurys(client, contest, two, en):
    en.force_login(two.visiting.pupils_a[0])
    assert en.get("/contests/olymp/protocol/").status_code == 404
    assert en.get("/contests/olymp/protocol.xlsx").status_code == 404
    en.force_login(two.host.teacher_a)
    page = en.get("/contests/olymp/protocol/").content.decode()
    assert "Chair of the jury" in page and "Андреев О." in page and "Соколова М. П." in page
    assert "Петрова Анна" in page and "Победитель" in page and "Preliminary" in page
    assert "contests-results.css" in page


def test_the_xlsx_protocol(client, contest, two):
    client.force_login(two.host.teacher_a)
    response = client.get("/contests/olymp/protocol.xlsx")
    assert response.status_code == 200 and "protocol-olymp.xlsx" in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["5–6 классы", "7–8 классы"]
    sheet = book["5–6 классы"]
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    header = next(row for row in values if row[0] in ("Место", "Place"))
    start = values.index(header)
    first = values[start + 1]
    assert first[:8] == ["1", "Петрова Анна", "Школа № 1", 5, 90, 45, 135, "Победитель"]
    formula = values[start + 4]
    assert formula[1] == "'=HYPERLINK(1)" and sheet.cell(row=start + 5, column=2).data_type == "s"
    text = " ".join(str(v) for row in values for v in row if v)
    assert "Андреев О." in text and "Соколова М. П." in text


def test_the_pages_queries_do_not_grow_with_participants(
    client, contest, two, django_assert_num_queries
):
    client.force_login(two.host.teacher_a)
    client.get("/contests/olymp/protocol/")
    with django_assert_num_queries(9):
        client.get("/contests/olymp/protocol/")
    for n in range(6):
        add_participant(contest, f"Ещё Участник{n}", category="5–6 классы")
    standings.invalidate(contest.pk)
    client.get("/contests/olymp/protocol/")  # the standings were rebuilt
    with django_assert_num_queries(9):
        client.get("/contests/olymp/protocol/")
