"""contests.standings_export (CSV, XLSX) and `manage.py export_standings`."""

import csv
import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from contests import standings, standings_export
from contests.models import Contest
from tests.contests.builders import add_participant, add_run, add_task, make_contest

pytestmark = pytest.mark.django_db
D = Decimal
HEADER = ["rank", "participant", "category", "solved", "penalty", "score"]


def round_with_freeze(**fields):
    """Started 2 h ago, 3 h long, frozen for the last 90 minutes; categories."""
    contest = make_contest(
        tasks=2, starts_in=timedelta(hours=-2), freeze_minutes=90, categories=["Младшие", "Старшие"]
    )
    a, b = contest.tasks.all()
    anna = add_participant(contest, "Антонова Анна", category="Младшие", school_name="Лицей")
    boris = add_participant(contest, "Борисов Борис", category="Старшие")
    guest = add_participant(contest, "Гостев Глеб", category="Старшие", is_out_of_competition=True)
    add_run(anna, a, minute=10)
    add_run(boris, a, minute=20, verdict="WA")
    add_run(boris, a, minute=25)
    add_run(boris, b, minute=100)  # during the freeze
    add_run(guest, a, minute=5)
    return contest


def command(*args) -> str:
    out = io.StringIO()
    call_command("export_standings", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def parse(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text), delimiter=";"))


def test_default_is_the_jurys_live_board_with_full_names():
    contest = round_with_freeze()
    text = command(contest.slug, "--format", "csv")
    assert not text.startswith("\ufeff")  # standard output: no BOM
    rows = parse(text)
    assert rows[0] == [*HEADER, "A", "B"]
    assert rows[1] == ["1", "Борисов Борис", "Старшие", "2", "145", "2", "'+1 0:25", "'+ 1:40"]
    assert rows[2][0] == "вне конкурса" or rows[2][0] == "out of competition"
    assert rows[2][1] == "Гостев Глеб"
    assert rows[3] == ["2", "Антонова Анна (Лицей)", "Младшие", "1", "10", "1", "'+ 0:10", ""]


def test_frozen_is_what_the_public_saw_even_after_unfreezing():
    contest = round_with_freeze()
    contest.unfrozen_at = contest.ends_at
    contest.save()
    rows = parse(command(contest.slug, "--format", "csv", "--frozen"))
    boris = next(r for r in rows if r[1] == "Борис Б.")
    assert boris[3:6] == ["1", "45", "1"] and boris[7] == "?"
    assert all("Борисов" not in r[1] for r in rows)


def test_frozen_of_a_contest_without_freeze_is_the_public_board():
    contest = make_contest(tasks=1)
    add_run(add_participant(contest, "Антонова Анна"), contest.tasks.first(), minute=3)
    rows = parse(command(contest.slug, "--format", "csv", "--frozen"))
    assert rows[1][:2] == ["1", "Анна А."]


def test_one_category_by_name():
    contest = round_with_freeze()
    rows = parse(command(contest.slug, "--category", "Младшие", "--format", "csv"))
    assert [r[1] for r in rows[1:]] == ["Антонова Анна (Лицей)"]
    rows = parse(command(contest.slug, "--category", " старшие ", "--format", "csv"))
    assert [r[1] for r in rows[1:]] == ["Борисов Борис", "Гостев Глеб"]


def test_output_file_gets_the_bom(tmp_path):
    contest = round_with_freeze()
    target = tmp_path / "board.csv"
    assert command(contest.slug, "--format", "csv", "--output", str(target)) == ""
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    assert parse(raw.decode("utf-8-sig"))[0] == [*HEADER, "A", "B"]


def test_xlsx_to_a_file(tmp_path):
    contest = round_with_freeze()
    target = tmp_path / "board.xlsx"
    command(contest.slug, "--format", "xlsx", "--output", str(target))
    sheet = load_workbook(target).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0] == [*HEADER, "A", "B"]
    assert values[1] == [1, "Борисов Борис", "Старшие", 2, 145, 2, "+1 0:25", "+ 1:40"]
    assert values[3][5] == 1 and values[3][7] is None


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["nope", "--format", "csv"], "nope"),
        (["olymp", "--format", "xlsx"], "--output"),
        (["olymp", "--category", "Средние", "--format", "csv"], "Средние"),
    ],
)
def test_clear_errors(args, message):
    round_with_freeze()
    with pytest.raises(CommandError, match=message):
        command(*args)


def test_unknown_category_names_the_known_ones():
    round_with_freeze()
    with pytest.raises(CommandError, match="«?“Младшие”"):
        command("olymp", "--category", "X", "--format", "csv")


def test_a_category_of_a_contest_without_categories():
    make_contest("plain", tasks=1)
    with pytest.raises(CommandError, match="plain"):
        command("plain", "--category", "X", "--format", "csv")


def test_an_unwritable_output(tmp_path):
    round_with_freeze()
    with pytest.raises(CommandError, match="missing"):
        command("olymp", "--format", "csv", "--output", str(tmp_path / "missing" / "x.csv"))


def test_an_unknown_format_is_refused_by_the_parser():
    round_with_freeze()
    with pytest.raises(CommandError):
        command("olymp", "--format", "pdf")


# --- The writers directly ----------------------------------------------------------------


def test_points_board_in_both_formats():
    contest = make_contest(rules=Contest.Rules.IOI)
    task = add_task(contest, "Z", kind="programming", max_score=D(100))
    anna = add_participant(contest, "Антонова Анна")
    boris = add_participant(contest, "Борисов Борис")
    add_run(anna, task, verdict="PT", score=D(100) / 3)
    add_run(boris, task, verdict="PT", score=D(100) / 3)
    board = standings.build(contest, jury=True)
    rows = parse(standings_export.to_csv(board).decode("utf-8-sig"))
    assert rows[1] == ["1–2", "Антонова Анна", "", "0", "0", "33,33", "33,33"]
    sheet = load_workbook(io.BytesIO(standings_export.to_xlsx(board, title="Т"))).active
    assert [c.value for c in sheet[2]] == ["1–2", "Антонова Анна", None, 0, 0, 33.33, 33.33]


def test_english_numbers(english):
    contest = make_contest(rules=Contest.Rules.IOI)
    task = add_task(contest, "Z", kind="programming", max_score=D(100))
    add_run(add_participant(contest, "Антонова Анна"), task, verdict="PT", score="8.5")
    board = standings.build(contest, jury=True)
    assert parse(standings_export.to_csv(board).decode("utf-8-sig"))[1][5] == "8.5"


def test_render_refuses_other_formats():
    contest = make_contest(tasks=1)
    with pytest.raises(ValueError):
        standings_export.render(standings.build(contest), "pdf")
