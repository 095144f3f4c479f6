import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from lms.models import School
from tests import builders

ROOT = Path(__file__).resolve().parents[2]


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    # Not inherited: the test run's settings module, and the async-unsafe switch that the
    # Playwright tests set (the deploy check rightly refuses it).
    skip = {"DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    environment = {k: v for k, v in os.environ.items() if k not in skip}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SECRET_KEY="x" * 20 + "production-secret-key-for-the-check-only-0123456789",
        DATABASE_URL=f"sqlite:///{tmp_path}/db.sqlite3",
        REDIS_URL="redis://127.0.0.1:6379/15",  # not connected to by the check
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_warns_of_a_cache_kept_per_process(tmp_path):
    result = run_manage(
        "check",
        "--deploy",
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SECRET_KEY="x" * 20 + "production-secret-key-for-the-check-only-0123456789",
        DATABASE_URL=f"sqlite:///{tmp_path}/db.sqlite3",
        REDIS_URL="",
    )
    assert (
        "lms.W001" in result.stdout + result.stderr and "REDIS_URL" in result.stderr + result.stdout
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = run_manage("check", DJANGO_SETTINGS_MODULE="config.settings.production", SECRET_KEY="")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_refuses_demo_content(tmp_path):
    result = run_manage(
        "load_demo",
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SECRET_KEY="y" * 60,
        DATABASE_URL=f"sqlite:///{tmp_path}/db.sqlite3",
    )
    assert result.returncode != 0
    assert "Demo content is disabled" in result.stderr


@pytest.mark.django_db
def test_russian_is_the_default_and_english_is_one_click_away(client, course):
    # Even a browser that asks for English gets Russian until the person chooses otherwise.
    response = client.get(course.course.url, HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.headers["Content-Language"] == "ru"
    assert "Программа курса" in response.content.decode()
    response = client.post(reverse("set_language"), {"language": "en", "next": course.course.url})
    assert response.status_code == 302
    response = client.get(course.course.url)
    assert response.headers["Content-Language"] == "en"
    assert "Course programme" in response.content.decode()


@pytest.mark.django_db
def test_language_choice_is_kept_on_the_profile_and_used_by_the_admin(client, methodologist):
    client.force_login(methodologist)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    methodologist.refresh_from_db()
    assert methodologist.preferred_language == "en"
    client.cookies.clear()
    client.force_login(methodologist)
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 200
    assert response.headers["Content-Language"] == "en"
    methodologist.preferred_language = "ru"
    methodologist.save()
    response = client.get(reverse("wagtailadmin_home"))
    assert 'lang="ru"' in response.content.decode()


@pytest.mark.django_db
def test_pupil_sees_times_in_the_school_time_zone(client):
    scenario = builders.build_school("tz")
    School.objects.filter(pk=scenario.school.pk).update(time_zone="Asia/Vladivostok")
    client.post(reverse("login"), {"username": "tz_pupil_a1", "password": "pw-12345"})
    assert client.session["lms_time_zone"] == "Asia/Vladivostok"


def test_school_time_zone_is_validated(db):
    from django.core.exceptions import ValidationError

    school = School(name="X", time_zone="Mars/Olympus")
    with pytest.raises(ValidationError):
        school.full_clean()
