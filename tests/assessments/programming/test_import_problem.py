"""`manage.py import_problem`: the admin's import from the command line (a course by slug or
the park-wide archive, a dry run, JSON), exit status 1 on errors."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command

from assessments.programming.models import Problem
from assessments.programming.package import write_package
from tests import builders
from tests.assessments.programming.builders import sum_spec

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def course():
    return builders.build_course("import-course", modules=1, lessons=1).course


@pytest.fixture
def package(tmp_path):
    path = tmp_path / "sum.zip"
    path.write_bytes(write_package(sum_spec(title="Сумма из командной строки")))
    return path


def test_imports_into_a_course(course, package, capsys, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("import_problem", str(package), "--course", course.slug)
    problem = Problem.objects.get(title="Сумма из командной строки")
    assert problem.course == course and problem.tests.count() == 5
    assert problem.reference == Problem.Reference.PASSED
    assert f"#{problem.pk}" in capsys.readouterr().out


def test_imports_into_the_park_as_json(package, capsys):
    call_command("import_problem", str(package), "--park", "--json")
    out = json.loads(capsys.readouterr().out)
    assert out["ok"] and out["errors"] == []
    assert Problem.objects.get(pk=out["problem"]).course is None


def test_a_dry_run_saves_nothing(package, capsys):
    call_command("import_problem", str(package), "--park", "--dry-run")
    assert "dry run" in capsys.readouterr().out
    assert not Problem.objects.exists()


def test_errors_exit_1(tmp_path, capsys):
    bad = tmp_path / "bad.zip"
    bad.write_bytes(b"not a zip")
    with pytest.raises(SystemExit) as exit_:
        call_command("import_problem", str(bad), "--park", "--json")
    assert exit_.value.code == 1
    out = json.loads(capsys.readouterr().out)
    assert not out["ok"] and out["errors"]
    assert not Problem.objects.exists()


def test_an_oversized_file_exits_1(package, settings, capsys):
    settings.LMS_PROBLEM_PACKAGE_MAX_BYTES = 100
    with pytest.raises(SystemExit):
        call_command("import_problem", str(package), "--park")
    assert "too large" in capsys.readouterr().err


def test_an_unknown_course_is_an_error(package):
    from django.core.management import CommandError

    with pytest.raises(CommandError):
        call_command("import_problem", str(package), "--course", "no-such-course")
