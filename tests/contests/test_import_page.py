"""The jury's import page: organisers only; upload, preview (counts, first rows, every problem
with its line), confirm; bad files get a message, never a 500; nothing half-imported."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from contests.models import Contest, Participant, Run
from tests.contests.builders import add_participant, make_contest

DATA = Path(__file__).parent / "data"
HEADER = "participant,problem,time_seconds,verdict"


@pytest.fixture
def contest(db) -> Contest:
    contest = make_contest(
        "city", tasks=["A", "B"], starts_in=timedelta(days=-1), length=timedelta(hours=5)
    )
    add_participant(contest, "Иванова Софья", external_id="sofia")
    return contest


def url(contest: Contest) -> str:
    return reverse("contests:import_runs", args=[contest.slug])


def upload(client, contest: Contest, data: bytes, name: str = "results.csv", **fields):
    file = SimpleUploadedFile(name, data, content_type="text/csv")
    return client.post(url(contest), {"step": "check", "file": file, **fields})


def token_of(response) -> str:
    match = re.search(r'name="token" value="([^"]+)"', response.content.decode())
    assert match, "no confirm form"
    return match.group(1)


def confirm(client, contest: Contest, token: str):
    return client.post(url(contest), {"step": "confirm", "token": token})


def rows(*lines: str) -> bytes:
    return ("\n".join([HEADER, *lines]) + "\n").encode()


def test_only_organisers_reach_it(client, region, contest):
    two = region["two"]
    response = client.get(url(contest))
    assert response.status_code == 302 and "/login" in response["Location"]
    for outsider in (two.host.pupils_a[0], two.visiting.teacher_a, two.visiting.admin):
        client.force_login(outsider)
        assert client.get(url(contest)).status_code == 404
        assert upload(client, contest, rows("sofia,A,60,OK")).status_code == 404
    assert not Run.objects.exists()
    client.force_login(two.host.teacher_a)
    assert client.get(url(contest)).status_code == 200
    assert client.get(reverse("contests:import_runs", args=["no-such"])).status_code == 404


def test_the_page_in_a_fixed_number_of_queries(client, region, contest, django_assert_num_queries):
    client.force_login(region["two"].host.teacher_a)
    client.get(url(contest))  # the session and the user's roles are warm now
    with django_assert_num_queries(5):
        response = client.get(url(contest))
    assert response.status_code == 200


def test_preview_then_confirm(en, region, contest, django_capture_on_commit_callbacks):
    en.force_login(region["two"].host.teacher_a)
    response = upload(
        en, contest, (DATA / "domjudge-icpc.csv").read_bytes(), create_participants="on"
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "What will be imported" in page
    assert "Team &quot;Bits&quot;" in page and "0:02:05" in page and "timelimit" not in page
    assert "Import 5 runs" in page
    assert not Run.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        done = confirm(en, contest, token_of(response))
    assert done.status_code == 302 and done["Location"] == url(contest)
    assert Run.objects.filter(contest=contest).count() == 5
    assert set(Participant.objects.filter(source="import").values_list("name", flat=True)) == {
        'Team "Bits"',
        "Lambda",
    }
    contest.refresh_from_db()
    assert contest.standings_version == 1
    page = en.get(done["Location"]).content.decode()
    assert "Runs added: 5; participants added: 2" in page


def test_errors_are_listed_with_lines_and_nothing_can_be_confirmed(en, region, contest):
    en.force_login(region["two"].host.teacher_a)
    response = upload(
        en, contest, rows("sofia,A,60,OK", "ghost,A,60,OK", "sofia,A,-5,OK", "sofia,A,70,Maybe")
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Nothing was imported: 3 problems in the file." in page
    for line, words in ((3, "unknown participant"), (4, "negative"), (5, "unknown verdict")):
        assert re.search(rf"<td>{line}</td><td>[^<]*{words}", page), (line, words)
    assert "Add unknown participants" in page
    assert 'name="token"' not in page
    assert not Run.objects.exists()


@pytest.mark.parametrize(
    ("data", "name", "words"),
    [
        (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40, "photo.png", "binary"),
        (b"PK\x03\x04" + bytes(300), "results.xlsx", "Excel workbook"),
        (b"", "empty.csv", "empty"),
        (b"a;b\n1;2\n", "other.csv", "no header row"),
    ],
)
def test_files_that_are_no_table_get_a_message(en, region, contest, data, name, words):
    en.force_login(region["two"].host.teacher_a)
    response = upload(en, contest, data, name)
    assert response.status_code == 200
    assert words in response.content.decode()
    assert not Run.objects.exists()


def test_a_file_too_large_is_refused(en, region, contest, settings):
    settings.LMS_CONTEST_IMPORT_MAX_BYTES = 1024
    en.force_login(region["two"].host.teacher_a)
    response = upload(en, contest, rows(*["sofia,A,60,OK"] * 200))
    assert response.status_code == 413
    assert "too large" in response.content.decode()


def test_a_double_confirm_imports_once_and_a_token_is_its_uploaders(en, region, contest):
    two = region["two"]
    en.force_login(two.host.teacher_b)
    token = token_of(upload(en, contest, rows("sofia,A,60,WA", "sofia,A,90,OK")))
    en.force_login(two.host.teacher_a)
    stolen = confirm(en, contest, token)
    assert stolen.status_code == 302 and not Run.objects.exists()
    assert "no longer kept" in en.get(url(contest)).content.decode()
    en.force_login(two.host.teacher_b)
    assert confirm(en, contest, token).status_code == 302
    assert confirm(en, contest, token).status_code == 302
    assert Run.objects.count() == 2
    assert confirm(en, contest, "not a token!").status_code == 302


def test_the_file_is_checked_again_when_confirmed(en, region, contest):
    en.force_login(region["two"].host.teacher_a)
    token = token_of(upload(en, contest, rows("sofia,A,60,OK")))
    contest.tasks.filter(label="A").update(removed_at=contest.ends_at)
    response = confirm(en, contest, token)
    assert response.status_code == 200
    assert "was removed" in response.content.decode()
    assert not Run.objects.exists()


def test_a_file_imported_already_has_nothing_to_confirm(en, region, contest):
    en.force_login(region["two"].host.teacher_a)
    data = rows("sofia,A,60,OK")
    confirm(en, contest, token_of(upload(en, contest, data)))
    page = upload(en, contest, data).content.decode()
    assert "there is nothing to add" in page and 'name="token"' not in page


def test_checking_does_not_grow_with_the_file(client, region, contest):
    client.force_login(region["two"].host.teacher_a)
    for n in range(30):
        add_participant(contest, f"p{n}", external_id=f"p{n}")
    upload(client, contest, rows("sofia,A,60,OK"))  # warm
    counts = []
    for size in (3, 30):
        data = rows(*[f"p{n},B,{60 + n},WA" for n in range(size)])
        with CaptureQueriesContext(connection) as queries:
            assert upload(client, contest, data).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
