"""manage.py import_runs: into an existing contest, and with --create for a round held
elsewhere; errors are a CommandError listing every line, with nothing written."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from contests.models import Contest, Participant, Run, Task
from tests.contests.builders import add_participant, make_contest

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data"


def write(tmp_path: Path, text: str, encoding: str = "utf-8") -> str:
    path = tmp_path / "results.csv"
    path.write_bytes(text.encode(encoding))
    return str(path)


def run(*args, **options) -> str:
    out = StringIO()
    call_command("import_runs", *args, stdout=out, stderr=StringIO(), **options)
    return out.getvalue()


def finished(slug: str = "round", **fields) -> Contest:
    return make_contest(
        slug, tasks=["A", "B"], starts_in=timedelta(days=-3), length=timedelta(hours=5), **fields
    )


def test_into_an_existing_contest(english, tmp_path):
    contest = finished()
    add_participant(contest, "Иванова Софья", external_id="sofia")
    path = write(
        tmp_path,
        "participant;problem;time_seconds;verdict\nsofia;A;60;WA\nsofia;A;60;WA\nsofia;a;600;AC\n",
    )
    out = run(path, contest="round")
    assert "Rows: 3; runs added: 2; already imported: 0; duplicate rows skipped: 1" in out
    assert "warning: Line 3: the same as line 2: skipped." in out
    assert Run.objects.filter(contest=contest, source=Run.Source.IMPORTED).count() == 2
    again = run(path, contest="round")
    assert "runs added: 0; already imported: 2" in again


def test_every_bad_line_is_listed_and_nothing_is_written(english, tmp_path):
    contest = finished()
    add_participant(contest, "s", external_id="s")
    path = write(
        tmp_path,
        "participant,problem,time_seconds,verdict\ns,A,60,OK\nghost,A,60,OK\ns,Q,60,OK\n"
        "s,A,-1,OK\ns,A,999999,OK\ns,A,70,maybe\n",
    )
    with pytest.raises(CommandError) as error:
        run(path, contest="round")
    text = str(error.value)
    assert text.startswith("Nothing was imported:")
    for line in (
        "Line 3: unknown participant",
        "Line 4: unknown problem",
        "Line 5:",
        "Line 6:",
        "Line 7: unknown verdict",
    ):
        assert line in text
    assert "--add-participants" in text
    assert error.value.returncode == 1
    assert not Run.objects.exists()


def test_add_participants_and_dry_run(english, tmp_path):
    finished()
    path = write(
        tmp_path, "participant,problem,time_seconds,verdict\nteam1,A,60,OK\nteam2,B,61,WA\n"
    )
    out = run(path, contest="round", add_participants=True, dry_run=True)
    assert "Checked, nothing written" in out and "runs to add: 2" in out
    assert not Participant.objects.exists()
    out = run(path, contest="round", add_participants=True)
    assert "participants created: 2" in out
    assert Participant.objects.filter(source=Participant.Source.IMPORT).count() == 2


def test_create_round_trip(english, tmp_path):
    path = str(DATA / "ejudge-icpc.csv")
    out = run(
        path,
        contest="archive-2025",
        create=True,
        title="Городская олимпиада 2025",
        starts="2025-03-01 10:00",
        length=300,
    )
    assert "Contest “archive-2025” made: Городская олимпиада 2025." in out
    assert "tasks created: 3" in out and "participants created: 4" in out
    contest = Contest.objects.get(slug="archive-2025")
    assert contest.title == "Городская олимпиада 2025"
    assert contest.rules == Contest.Rules.ICPC and contest.kind == Contest.Kind.PROGRAMMING
    assert contest.is_published and contest.ends_at < timezone.now()
    assert contest.ends_at - contest.starts_at == timedelta(hours=5)
    assert timezone.localtime(contest.starts_at).hour == 10
    assert list(contest.tasks.values_list("label", flat=True)) == ["A", "B", "C"]
    names = set(contest.participants.values_list("name", "external_id"))
    assert ("ivanov_p", "ivanov_p") in names and len(names) == 4
    assert Run.objects.filter(contest=contest).count() == 9
    # The same file into the contest it made: nothing more.
    assert "runs added: 0; already imported: 9" in run(path, contest="archive-2025")


def test_create_an_ioi_round_from_a_score_file(english, tmp_path):
    path = write(
        tmp_path,
        "\ufeffparticipant;problem;time_seconds;score\r\n"
        "Петров Пётр;2;100;37,5\r\nПетров Пётр;10;200;50\r\nПетров Пётр;1;300;0\r\n",
    )
    run(path, contest="ioi-archive", create=True, max_score="50")
    contest = Contest.objects.get(slug="ioi-archive")
    assert contest.rules == Contest.Rules.IOI and contest.title == "ioi-archive"
    assert list(contest.tasks.values_list("label", "max_score")) == [
        ("1", Decimal(50)),
        ("2", Decimal(50)),
        ("10", Decimal(50)),
    ]
    assert sorted(Run.objects.values_list("verdict", flat=True)) == ["OK", "PT", "WA"]
    # Ends now by default, and is as long as the whole hours holding the last run.
    assert contest.ends_at - contest.starts_at == timedelta(hours=1)


def test_create_with_a_bad_row_makes_no_contest(english, tmp_path):
    path = write(
        tmp_path, "participant,problem,time_seconds,verdict\na,A,60,OK\na,B,61,OK\nb,A,62,??\n"
    )
    with pytest.raises(CommandError, match="Line 4: unknown verdict"):
        run(path, contest="broken", create=True)
    assert not Contest.objects.filter(slug="broken").exists()
    assert not Task.objects.exists() and not Participant.objects.exists()


@pytest.mark.parametrize(
    ("options", "words"),
    [
        ({"create": True, "starts": "2099-01-01 10:00"}, "must have ended"),
        ({"create": True, "starts": "yesterday"}, "not a date"),
        ({"create": True, "rules": "ioi"}, "contest has IOI rules"),
        ({"create": True, "length": 0}, "from 1 to"),
        ({"title": "x"}, "--title: only with --create"),
    ],
)
def test_bad_options(english, tmp_path, options, words):
    path = write(tmp_path, "participant,problem,time_seconds,verdict\na,A,60,OK\n")
    with pytest.raises(CommandError, match=words):
        run(path, contest="new-round", **options)
    assert not Contest.objects.exists()


def test_create_refuses_a_slug_that_exists_and_import_needs_one_that_does(english, tmp_path):
    finished("taken")
    path = write(tmp_path, "participant,problem,time_seconds,verdict\na,A,60,OK\n")
    with pytest.raises(CommandError, match="exists already"):
        run(path, contest="taken", create=True)
    with pytest.raises(CommandError, match="No contest “missing”"):
        run(path, contest="missing")
    with pytest.raises(CommandError, match="short name"):
        run(path, contest="не slug", create=True)


def test_unreadable_and_binary_files(english, tmp_path):
    finished()
    with pytest.raises(CommandError, match="Cannot read"):
        run(str(tmp_path / "missing.csv"), contest="round")
    binary = tmp_path / "photo.csv"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 10)
    with pytest.raises(CommandError, match="binary"):
        run(str(binary), contest="round")
