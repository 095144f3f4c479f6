"""Importing results held elsewhere (contests.importing and the modules it reads files and
verdicts with): every bad input of issue 13 item 5, the files Excel and other systems write,
all-or-nothing, and importing twice."""

from __future__ import annotations

import codecs
import random
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from contests import import_cells, import_file, import_verdicts, importing
from contests.models import Contest, Participant, Run
from tests.contests.builders import add_participant, add_task, make_contest

pytestmark = pytest.mark.django_db

ICPC_HEADER = "participant,problem,time_seconds,verdict"
IOI_HEADER = "participant,problem,time_seconds,score"


def csv_text(header: str, *rows: str) -> bytes:
    return "\n".join([header, *rows]).encode("utf-8") + b"\n"


def finished(slug: str = "round", *, rules: str = Contest.Rules.ICPC, **fields) -> Contest:
    """A five-hour round that ended yesterday, tasks A, B, C."""
    return make_contest(
        slug,
        rules=rules,
        tasks=["A", "B", "C"],
        starts_in=timedelta(days=-2),
        length=timedelta(hours=5),
        **fields,
    )


def planned(contest: Contest, data: bytes, **options) -> importing.Plan:
    return importing.check(contest, importing.read(data), **options)


def imported(contest: Contest, data: bytes, **options) -> importing.Plan:
    return importing.import_runs(contest, importing.read(data), **options)


def error_lines(plan: importing.Plan) -> list[int | None]:
    return [issue.line for issue in plan.errors]


# --- Reading the file --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        codecs.BOM_UTF8 + "participant,problem,time_seconds,verdict\nИванов,A,60,OK\n".encode(),
        "participant;problem;time_seconds;verdict\r\nИванов;A;60;OK\r\n\r\n\r\n".encode("cp1251"),
        "participant\tproblem\ttime_seconds\tverdict\r\nИванов\tA\t60\tOK\r\n".encode("utf-16"),
        b"sep=;\r\n" + "participant;problem;time_seconds;verdict\r\nИванов;A;60;OK\r\n".encode(),
        ' Participant , PROBLEM ,"Time_Seconds",Verdict\n"Иванов",A,60,OK\n\n'.encode(),
        "Результаты олимпиады\nУчастник;Задача;Время_секунды;Вердикт;Язык\n"
        "Иванов;A;60;OK;C++\n".encode(),
    ],
    ids=["utf8-bom", "cp1251-semicolon-crlf", "utf16-tab", "sep-line", "spaces-quotes", "russian"],
)
def test_files_as_excel_and_other_systems_write_them(data):
    results = importing.read(data)
    assert [row.cells["participant"] for row in results.rows] == ["Иванов"]
    assert results.rows[0].cells["verdict"] == "OK"
    assert results.has_verdicts and not results.has_scores


def test_line_numbers_count_every_line_of_the_file():
    data = (
        b"sep=;\nparticipant;problem;time_seconds;verdict\n\n"
        b'x;A;1;OK\n"multi\nline";A;2;OK\ny;A;3;OK\n'
    )
    results = importing.read(data)
    assert [row.line for row in results.rows] == [4, 5, 7]


def test_decimal_comma_in_a_semicolon_file():
    results = importing.read(csv_text("participant;problem;time_seconds;score", "x;A;60;7,5"))
    assert results.rows[0].cells["score"] == "7,5"
    assert results.has_scores


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"", "empty"),
        (b"  \r\n\r\n", "empty"),
        (b"PK\x03\x04" + bytes(200), "Excel"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(200), "Excel"),
        (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 20, "binary"),
        (random.Random(1).randbytes(4000), "binary"),
        (b"name,task,when\nx,A,1\n", "“name”, “task”, “when”"),
        (b"participant,problem,time_seconds\nx,A,1\n", "neither verdict"),
        (b"participant,problem,problem,time_seconds,verdict\nx,A,A,1,OK\n", "twice"),
        (csv_text(ICPC_HEADER), "no rows"),
    ],
    ids=["empty", "blank", "xlsx", "xls", "png", "noise", "other", "no-verdict", "twice", "none"],
)
def test_a_file_that_is_no_results_table_is_refused_with_a_message(english, data, words):
    with pytest.raises(importing.ImportFileError) as error:
        importing.read(data)
    assert words in str(error.value)


def test_too_many_rows(english):
    data = csv_text(ICPC_HEADER, *[f"p{n},A,{n},OK" for n in range(12)])
    with pytest.raises(importing.ImportFileError, match="12 rows; at most 10"):
        import_file.read(data, max_rows=10)


# --- Cells ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("0", 0),
        ("754", 754),
        ("754.9", 754),
        ("754,9", 754),
        ("1:02:03", 3723),
        ("12:05", 725),
        ("0:00:59.5", 59),
        (" 60 ", 60),
    ],
)
def test_times(text, seconds):
    assert import_cells.parse_time(text) == (seconds, "")


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("-5", "negative"),
        ("\u22125", "negative"),
        ("-0:10", "negative"),
        ("", "no time"),
        ("soon", "not a number"),
        ("1e3", "not a number"),
        ("1:75:00", "not a number"),
    ],
)
def test_bad_times(english, text, words):
    seconds, why = import_cells.parse_time(text)
    assert seconds is None and words in why


def test_every_name_in_the_verdict_table_is_ours_and_none_is_twice():
    ours = {code for code, _label in Run._meta.get_field("verdict").choices}
    keys: dict[str, str] = {}
    for verdict, names in import_verdicts.VERDICT_NAMES.items():
        assert verdict in ours
        for name in names:
            key = import_verdicts._key(name)
            assert keys.setdefault(key, verdict) == verdict, name
            assert not import_verdicts.is_not_final(name), name
    assert ours <= set(import_verdicts.VERDICT_NAMES)


@pytest.mark.parametrize(
    ("text", "verdict"),
    [
        ("AC", "OK"),
        ("ok", "OK"),
        ("correct", "OK"),
        ("Wrong Answer", "WA"),
        ("wrong-answer", "WA"),
        ("TL", "TLE"),
        ("timelimit", "TLE"),
        ("ML", "MLE"),
        ("RE", "RTE"),
        ("RT", "RTE"),
        ("run-error", "RTE"),
        ("compiler-error", "CE"),
        ("OL", "OLE"),
        ("CF", "IE"),
        ("JE", "IE"),
        ("SE", "SV"),
        ("Partial", "PT"),
        ("no-output", "WA"),
        ("Ошибка компиляции", "CE"),
    ],
)
def test_verdict_aliases(text, verdict):
    assert import_verdicts.verdict_of(text) == verdict


# --- Checking rows against the contest ---------------------------------------------------------


def test_participants_are_found_by_external_id_then_code_then_name():
    contest = finished()
    by_external = add_participant(contest, "Иванова Софья", external_id="sofia_i")
    by_code = add_participant(contest, "Петров Пётр", code="KM7PQ2XA")
    by_name = add_participant(contest, "Сидоров Иван")
    data = csv_text(ICPC_HEADER, "sofia_i,A,60,OK", "km7pq2xa,a,70,WA", "Сидоров  Иван,B,80,OK")
    plan = planned(contest, data)
    assert plan.ok, plan.messages()
    assert [run.participant for run in plan.runs] == [by_external, by_code, by_name]
    assert [run.task.label for run in plan.runs] == ["A", "A", "B"]


def test_unknown_participant_and_problem_name_the_row_and_the_value(english):
    contest = finished()
    add_participant(contest, "Иванова Софья")
    plan = planned(
        contest,
        csv_text(ICPC_HEADER, "Иванова Софья,A,60,OK", "Никто,A,60,OK", "Иванова Софья,Z,60,OK"),
    )
    assert not plan.ok
    assert error_lines(plan) == [3, 4]
    assert "unknown participant “Никто”" in plan.errors[0].message
    assert "unknown problem “Z”" in plan.errors[1].message and "A, B, C" in plan.errors[1].message
    assert "--add-participants" in plan.hint
    assert str(plan.errors[0]).startswith("Line 3: ")


def test_two_participants_of_one_name_need_codes(english):
    contest = finished()
    add_participant(contest, "Иванов Иван")
    add_participant(contest, "Иванов Иван")
    plan = planned(contest, csv_text(ICPC_HEADER, "Иванов Иван,A,60,OK"))
    assert error_lines(plan) == [2]
    assert "2 participants are named" in plan.errors[0].message


def test_negative_future_and_late_times(english):
    contest = make_contest(
        "live", tasks=["A"], starts_in=timedelta(hours=-1), length=timedelta(hours=3)
    )
    add_participant(contest, "Иванова Софья", external_id="s")
    plan = planned(
        contest,
        csv_text(ICPC_HEADER, "s,A,-60,OK", "s,A,600,OK", "s,A,7200,OK", "s,A,20000,OK"),
    )
    assert error_lines(plan) == [2, 4, 5]
    assert "negative" in plan.errors[0].message
    assert "in the future" in plan.errors[1].message
    assert "after the end of the round (it lasts 3:00:00)" in plan.errors[2].message


def test_extra_time_and_individual_windows_set_the_last_second(english):
    contest = finished(window_minutes=90)
    add_participant(contest, "a", external_id="a")
    add_participant(contest, "b", external_id="b", extra_minutes=30)
    plan = planned(contest, csv_text(ICPC_HEADER, "a,A,5400,OK", "a,B,5401,OK", "b,A,7200,OK"))
    assert error_lines(plan) == [3]
    assert "it lasts 1:30:00" in plan.errors[0].message


def test_unknown_and_unfinished_verdicts(english):
    contest = finished()
    add_participant(contest, "s", external_id="s")
    plan = planned(
        contest, csv_text(ICPC_HEADER, "s,A,1,Accepted", "s,A,2,Great", "s,A,3,IG", "s,A,4,")
    )
    assert error_lines(plan) == [3, 4, 5]
    assert "unknown verdict “Great”" in plan.errors[0].message
    assert "not a final verdict" in plan.errors[1].message
    assert "no verdict" in plan.errors[2].message


def test_scores_within_the_tasks_points(english):
    contest = finished(rules=Contest.Rules.IOI)
    contest.tasks.filter(label="B").update(max_score=50)
    add_participant(contest, "s", external_id="s")
    plan = planned(
        contest,
        csv_text(
            "participant;problem;time_seconds;score",
            "s;A;10;7,5",
            "s;B;20;50.0",
            "s;B;30;50,5",
            "s;C;40;-1",
            "s;C;50;NaN",
            "s;C;60;много",
        ),
    )
    assert error_lines(plan) == [4, 5, 6, 7]
    assert "more than task B's 50 points" in plan.errors[0].message
    assert "negative" in plan.errors[1].message
    assert "not a number" in plan.errors[2].message


def test_the_file_must_suit_the_contests_rules(english):
    icpc = finished("icpc")
    ioi = finished("ioi", rules=Contest.Rules.IOI)
    judged = finished("robots", rules=Contest.Rules.JUDGED)
    scores = csv_text(IOI_HEADER, "s,A,1,5")
    verdicts = csv_text(ICPC_HEADER, "s,A,1,OK")
    assert "contest has ICPC rules" in planned(icpc, scores).errors[0].message
    assert "contest has IOI rules" in planned(ioi, verdicts).errors[0].message
    assert "score sheets" in planned(judged, verdicts).errors[0].message


def test_a_removed_task_and_a_row_too_short(english):
    contest = finished()
    contest.tasks.filter(label="C").update(removed_at=timezone.now())
    add_participant(contest, "s", external_id="s")
    plan = planned(contest, csv_text(ICPC_HEADER, "s,C,1,OK", "s,A"))
    assert error_lines(plan) == [2, 3]
    assert "was removed" in plan.errors[0].message
    assert "shorter than the header: no time_seconds, verdict" in plan.errors[1].message


def test_errors_are_listed_up_to_a_cap_and_counted_past_it(english):
    contest = finished()
    plan = planned(contest, csv_text(ICPC_HEADER, *[f"nobody{n},A,1,OK" for n in range(70)]))
    assert plan.error_count == 70
    assert len(plan.errors) == importing.MAX_ERRORS
    assert plan.messages()[-2] == "… and 20 more problems."


# --- Writing ------------------------------------------------------------------------------


def test_runs_are_written_as_imported_and_the_standings_invalidated(
    django_capture_on_commit_callbacks,
):
    contest = finished(rules=Contest.Rules.IOI)
    sofia = add_participant(contest, "Иванова Софья", external_id="sofia")
    data = csv_text(IOI_HEADER, "sofia,A,754,100", 'sofia,B,3120,"37,5"', "sofia,C,4000,0")
    with django_capture_on_commit_callbacks(execute=True):
        plan = imported(contest, data)
    assert plan.ok and plan.added == 3
    runs = list(Run.objects.filter(contest=contest).order_by("time_seconds"))
    assert [(r.task.label, r.time_seconds, r.verdict, r.score) for r in runs] == [
        ("A", 754, "OK", Decimal(100)),
        ("B", 3120, "PT", Decimal("37.5")),
        ("C", 4000, "WA", Decimal(0)),
    ]
    first = runs[0]
    assert first.participant == sofia
    assert first.source == Run.Source.IMPORTED and first.state == Run.State.DONE
    assert first.submitted_at == contest.starts_at + timedelta(seconds=754)
    assert len(first.import_key) == 64
    contest.refresh_from_db()
    assert contest.standings_version == 1


def test_individual_window_runs_are_timed_from_the_participants_start():
    contest = finished(window_minutes=60)
    started = contest.starts_at + timedelta(hours=2)
    add_participant(contest, "s", external_id="s", started_at=started)
    imported(contest, csv_text(ICPC_HEADER, "s,A,600,OK"))
    assert Run.objects.get().submitted_at == started + timedelta(minutes=10)


def test_importing_the_same_file_twice_adds_nothing():
    contest = finished()
    add_participant(contest, "s", external_id="s")
    data = csv_text(ICPC_HEADER, "s,A,60,WA", "s,A,120,OK", "new,B,300,OK")
    first = imported(contest, data, create_participants=True)
    assert first.added == 3 and first.new_participants == ["new"]
    again = imported(contest, data, create_participants=True)
    assert again.ok and again.added == 0 and again.already_imported == 3
    assert again.new_participants == []
    assert Run.objects.count() == 3
    assert Participant.objects.filter(contest=contest).count() == 2
    # Without "add participants" too: the one made the first time is known now.
    assert imported(contest, data).already_imported == 3


def test_a_changed_result_is_not_imported_over_the_old_one(english):
    contest = finished()
    add_participant(contest, "s", external_id="s")
    imported(contest, csv_text(ICPC_HEADER, "s,A,60,WA"))
    plan = imported(contest, csv_text(ICPC_HEADER, "s,A,60,OK"))
    assert error_lines(plan) == [2]
    assert "imported before as WA" in plan.errors[0].message
    assert Run.objects.get().verdict == "WA"


def test_a_repeated_row_is_imported_once_with_a_warning(english):
    contest = finished()
    add_participant(contest, "s", external_id="s")
    data = csv_text(ICPC_HEADER, "s,A,60,WA", "s,A,60,OK", "s,A,60,WA", "s,A,61,WA")
    plan = imported(contest, data)
    assert plan.ok and plan.added == 3 and plan.duplicates == 1
    assert [(w.line, w.message) for w in plan.warnings] == [(4, "the same as line 2: skipped.")]


def test_an_error_on_the_last_row_writes_nothing(django_capture_on_commit_callbacks):
    contest = finished()
    rows = [f"p{n},A,{n * 10},OK" for n in range(199)] + ["p1,A,10,Wrong"]
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        plan = imported(contest, csv_text(ICPC_HEADER, *rows), create_participants=True)
    assert not plan.ok and error_lines(plan) == [201]
    assert not Run.objects.exists()
    assert not Participant.objects.exists()
    assert callbacks == []
    contest.refresh_from_db()
    assert contest.standings_version == 0


def test_dry_run_writes_nothing():
    contest = finished()
    plan = imported(
        contest, csv_text(ICPC_HEADER, "p,A,1,OK"), create_participants=True, dry_run=True
    )
    assert plan.ok and len(plan.runs) == 1 and plan.added == 0
    assert not Run.objects.exists() and not Participant.objects.exists()


def test_made_participants_carry_the_files_name_and_a_code():
    contest = finished()
    add_participant(contest, "s", code="AAAAAAAA")
    imported(
        contest, csv_text(ICPC_HEADER, "team_17,A,1,OK", "team_18,A,1,OK"), create_participants=True
    )
    made = Participant.objects.filter(contest=contest, source=Participant.Source.IMPORT)
    assert sorted(made.values_list("name", "external_id")) == [
        ("team_17", "team_17"),
        ("team_18", "team_18"),
    ]
    assert len(set(Participant.objects.values_list("code", flat=True))) == 3


def test_a_realistic_round_of_hundreds_of_runs():
    """An ejudge-like export: 60 participants × 6 problems, semicolons, Windows-1251, a few
    duplicated rows, a run id and a language column; read and checked in a fixed number of
    queries, whatever the number of rows (only the inserts come in batches)."""
    contest = finished("big", penalty_minutes=20)
    add_task(contest, "D")
    add_task(contest, "E")
    add_task(contest, "F")
    generator = random.Random(13)
    verdicts = ["OK", "WA", "TL", "RE", "ML", "CE", "PE"]
    lines = ["run_id;participant;problem;time_seconds;verdict;lang"]
    expected = set()
    for n in range(60):
        name = f"Участник {n:02d}"
        for label in "ABCDEF":
            for _attempt in range(generator.randrange(0, 4)):
                seconds = generator.randrange(0, 5 * 3600)
                verdict = generator.choice(verdicts)
                lines.append(f"{len(lines)};{name};{label.lower()};{seconds};{verdict};gcc")
                expected.add((name, label, seconds, import_verdicts.verdict_of(verdict)))
    lines += lines[5:8]  # pasted twice
    data = ("\r\n".join(lines) + "\r\n").encode("cp1251")
    with CaptureQueriesContext(connection) as queries:
        plan = imported(contest, data, create_participants=True)
    assert plan.ok, plan.messages()
    others = [q["sql"] for q in queries.captured_queries if not q["sql"].startswith("INSERT")]
    assert len(others) <= 8, others
    assert plan.rows == len(lines) - 1
    assert plan.duplicates >= 3
    assert plan.added == len(expected) == Run.objects.filter(contest=contest).count()
    stored = set(
        Run.objects.filter(contest=contest).values_list(
            "participant__name", "task__label", "time_seconds", "verdict"
        )
    )
    assert stored == expected
    assert imported(contest, data).added == 0


def test_an_ioi_file_may_bring_verdicts_and_an_icpc_contest_ignores_scores(english):
    ioi = finished("ioi", rules=Contest.Rules.IOI)
    add_participant(ioi, "s", external_id="s")
    plan = planned(
        ioi,
        csv_text(
            "participant,problem,time_seconds,score,verdict",
            "s,A,1,0,TL",
            "s,B,2,40,",
            "s,C,3,10,Soon",
        ),
    )
    assert [(run.verdict, run.score) for run in plan.runs] == [
        ("TLE", Decimal(0)),
        ("PT", Decimal(40)),
    ]
    assert error_lines(plan) == [4]
    icpc = finished("icpc")
    add_participant(icpc, "s", external_id="s")
    plan = planned(icpc, csv_text("participant,problem,time_seconds,verdict,score", "s,A,1,OK,7"))
    assert plan.ok and plan.runs[0].score is None
    assert "score is not used" in plan.warnings[0].message


def test_a_cell_beyond_the_csv_modules_limit_is_a_message_not_a_crash(english):
    data = csv_text(ICPC_HEADER, "s,A,1," + "W" * 200_000)
    with pytest.raises(importing.ImportFileError, match="could not be read as CSV"):
        importing.read(data)
