"""`manage.py import_gift`: the JSON report, all or nothing, the limits, real files."""

import contextlib
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from assessments.quiz import importing
from assessments.quiz.models import Question, QuestionCategory
from tests import builders
from tests.shared_fixtures import shared_fixtures

pytestmark = pytest.mark.django_db

FIXTURES = shared_fixtures()
REAL_FILES = sorted((FIXTURES / "gift").glob("*.gift")) + [
    FIXTURES / "moodle/question/format/gift/examples.txt",
    *sorted((FIXTURES / "moodle/question/format/gift/tests/fixtures").glob("*.txt")),
]

GOOD = """// a comment
$CATEGORY: $course$/top/Датчики/Свет
::Свет::Какой датчик видит линию? {=ИК-датчик ~Микрофон#Нет ~Гироскоп}

::Ом::Сопротивление при 12 В и 3 А? {#4:0,1}

::Правда::Земля круглая. {T#Подумай ещё.#Верно!}
"""
BAD = GOOD + "\n::Сломан::Без конца {=a ~b\n\n::Вес::Вопрос {~%150%a =b}\n"


def _run(tmp_path, text: str | bytes, *args) -> tuple[dict, str]:
    path = tmp_path / "bank.gift"
    path.write_bytes(text if isinstance(text, bytes) else text.encode())
    out, err = StringIO(), StringIO()
    try:
        call_command("import_gift", str(path), *args, "--json", stdout=out, stderr=err)
        failed = ""
    except CommandError as error:
        failed = str(error)
    return json.loads(out.getvalue()), failed


@pytest.fixture
def course():
    return builders.build_course("bank-course", modules=1, lessons=1).course


def test_the_json_report_names_everything(tmp_path, course):
    report, failed = _run(tmp_path, GOOD, "--course", course.slug)
    assert not failed
    assert report["imported"] == 3
    assert report["by_type"] == {"single_choice": 1, "numerical": 1, "true_false": 1}
    assert report["categories"] == ["Датчики/Свет"]
    assert report["errors"] == []
    numerical = report["questions"][1]
    assert numerical["type"] == "numerical"
    assert numerical["answers"][0]["value"] == 4 and numerical["answers"][0]["tolerance"] == 0.1
    choice = report["questions"][0]
    assert [a["fraction"] for a in choice["answers"]] == [1, 0, 0]
    assert choice["answers"][1]["feedback"] == "Нет"
    assert Question.objects.filter(category__course=course).count() == 3
    path = [c.name for c in QuestionCategory.objects.filter(course=course).order_by("pk")]
    assert path == ["Датчики", "Свет"]


def test_with_errors_nothing_is_imported_unless_asked(tmp_path, course):
    report, failed = _run(tmp_path, BAD, "--course", course.slug)
    assert failed and report["imported"] == 0
    assert {error["line"] for error in report["errors"]} == {9, 11}
    assert all(error["message"] for error in report["errors"])
    assert not Question.objects.exists()
    report, failed = _run(tmp_path, BAD, "--course", course.slug, "--skip-invalid")
    assert not failed and report["imported"] == 3
    assert Question.objects.count() == 3


def test_a_dry_run_writes_nothing(tmp_path, course):
    report, failed = _run(tmp_path, GOOD, "--course", course.slug, "--dry-run")
    assert report["imported"] == 3 and report["dry_run"] is True and not failed
    assert not Question.objects.exists() and not QuestionCategory.objects.exists()


def test_windows_1251_is_read(tmp_path, course):
    report, failed = _run(tmp_path, GOOD.encode("cp1251"), "--course", course.slug)
    assert not failed and report["imported"] == 3
    assert report["encoding"].lower().replace("-", "") in {"windows1251", "cp1251"}
    assert Question.objects.filter(latest__title="Свет").exists()


def test_limits_are_settings(tmp_path, course, monkeypatch):
    monkeypatch.setattr(importing, "MAX_BYTES", 100)
    report, failed = _run(tmp_path, GOOD * 3, "--course", course.slug)
    assert failed and "too large" in report["errors"][0]["message"].lower() or report["errors"]
    monkeypatch.setattr(importing, "MAX_BYTES", 10**7)
    monkeypatch.setattr(importing, "MAX_QUESTIONS", 10)
    many = "\n\n".join(f"Вопрос {n}? {{=да ~нет}}" for n in range(50))
    report, failed = _run(tmp_path, many, "--course", course.slug)
    assert failed and report["imported"] == 0 and report["errors"]
    assert not Question.objects.exists()


def test_unknown_course_and_missing_file_are_clear(tmp_path):
    with pytest.raises(CommandError, match="no-such"):
        call_command("import_gift", str(tmp_path / "x.gift"), "--course", "no-such")
    with pytest.raises(CommandError):
        call_command("import_gift", str(tmp_path / "missing.gift"))


@pytest.mark.parametrize("path", REAL_FILES, ids=lambda p: p.name)
def test_real_files_import_or_say_why(tmp_path, course, path):
    if not path.exists():
        pytest.skip(f"shared fixtures not present: {path}")
    out = StringIO()
    with contextlib.suppress(CommandError):
        call_command(
            "import_gift",
            str(path),
            "--course",
            course.slug,
            "--skip-invalid",
            "--json",
            stdout=out,
        )
    report = json.loads(out.getvalue())
    assert report["imported"] + len(report["errors"]) >= 1
    for error in report["errors"]:
        assert error["line"] >= 1 and error["message"]
    assert Question.objects.count() == report["imported"]
