"""Invisible characters in names: removed on the way in, whichever way a name arrives, and on the
way out, so CSV and XLSX exports stay valid and show names as they look (no U+202E turning "Иванов"
around, no NUL that makes Excel call the file damaged)."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from lms.models import School, StudyGroup, User
from lms.text import clean_cell, clean_line
from tests import builders, scenario

pytestmark = pytest.mark.django_db

HOSTILE = "Ив\x00ан\x07ов\u202e\u200b\ufeff\x1b[31m\u2066"


def test_clean_line_keeps_letters_and_drops_what_cannot_be_seen():
    assert clean_line(HOSTILE) == "Иванов[31m"
    assert clean_line("  Анна\t\nМария  ") == "Анна Мария"
    assert clean_line("Ёлкина") == "Ёлкина"
    assert clean_cell("строка 1\nстрока\x07 2") == "строка 1\nстрока 2"


def test_names_are_cleaned_on_the_way_in_by_every_path():
    school = School.objects.create(name="Школа\u202e 1", city="Сама\x07ра")
    group = StudyGroup.objects.create(school=school, name="Гру\x00ппа", academic_year="2026/2027")
    user = User.objects.create(username="x1", first_name=HOSTILE, last_name="\u202eИванов")
    User.objects.bulk_create([User(username="x2", first_name=HOSTILE, display_name=HOSTILE)])
    school.refresh_from_db()
    group.refresh_from_db()
    user.refresh_from_db()
    other = User.objects.get(username="x2")
    assert (school.name, school.city, group.name) == ("Школа 1", "Самара", "Группа")
    assert (user.first_name, user.last_name) == ("Иванов[31m", "Иванов")
    assert (other.first_name, other.display_name) == ("Иванов[31m", "Иванов[31m")


@scenario.shared
def dirty_group():
    """Names stored before cleaning existed (written past save(), as old data would be; no NUL:
    PostgreSQL refuses it in any text)."""
    world = builders.build_school("a", pupils=1)
    User.objects.filter(pk=world.pupils_a[0].pk).update(
        last_name="Пе\x01тров\u202e", first_name="Пё\x07тр", email=""
    )
    StudyGroup.objects.filter(pk=world.group_a.pk).update(name="Ро\x0eбо\u202eты")
    return world


def test_roster_exports_are_valid_and_clean(client, dirty_group):
    client.force_login(dirty_group.teacher_a)
    group_id = dirty_group.group_a.pk
    response = client.get(reverse("teach:export", args=[group_id, "csv"]))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[1][:2] == ["Петров", "Пётр"]
    response = client.get(reverse("teach:export", args=[group_id, "xlsx"]))
    book = load_workbook(io.BytesIO(response.content))
    sheet = book.active
    assert sheet.title == "Роботы"
    assert [cell.value for cell in next(sheet.iter_rows(min_row=2))][:2] == ["Петров", "Пётр"]
    for row in sheet.iter_rows():
        for cell in row:
            assert cell.value is None or clean_cell(str(cell.value)) == str(cell.value)
