"""Importing GIFT in the admin (/admin/quiz/import/): upload, preview, confirm. The file waits
in the cache under a token bound to its uploader and is taken out on confirm (a double post
imports once); files with errors import nothing unless "skip invalid" is ticked; empty, binary,
Windows-1251, malformed and oversized files get a message, never a 500."""

from __future__ import annotations

import html
import re

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from assessments.quiz import importing
from assessments.quiz.admin import import_store
from assessments.quiz.models import Question, QuestionCategory
from tests.assessments.quiz.test_quiz_permissions import EVENT_ATTRIBUTE, build_quiz_world
from tests.scenario import shared

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

GIFT = """$CATEGORY: $course$/top/Электричество/Закон Ома

// [tag:ом]
::Единица::Единица сопротивления? {=Ом ~Вольт ~Ампер}

::Напряжение::Если I = 2 А, R = 3 Ом, то U = {#6:0.1}

::Правда::Земля круглая {T}
"""
BROKEN = GIFT + "\n::Сломанный::Незакрытый {=a ~b\n\n::Ещё::Вопрос {=да ~нет}\n"


@shared
def import_world(two_schools):
    return build_quiz_world(two_schools)


@pytest.fixture
def world(import_world):
    return import_world


@pytest.fixture
def author(client, world):
    client.force_login(world.author)
    return client


def _url(world, bank: str | None = None) -> str:
    return f"{reverse('quiz_admin:import')}?bank={bank or world.course.pk}"


def _upload(client, world, data: bytes, name: str = "questions.gift", **fields):
    post = {"file": SimpleUploadedFile(name, data, "text/plain"), "category": "", **fields}
    return client.post(_url(world), post)


def _token(response) -> str:
    assert response.status_code == 302, response.content.decode()[:3000]
    return response["Location"].rstrip("/").rsplit("/", 1)[-1]


def _imported(world) -> set[str]:
    return set(
        Question.objects.filter(category__course=world.course).values_list(
            "latest__title", flat=True
        )
    ) - {"Вольтметр", "Датчик света"}


def test_upload_preview_and_confirm_import_once(author, world):
    response = _upload(author, world, GIFT.encode())
    token = _token(response)
    preview = author.get(reverse("quiz_admin:import_preview", args=[token]))
    page = preview.content.decode()
    assert preview.status_code == 200
    assert "Single choice" in page and "Numerical" in page and "True / false" in page
    assert "Электричество/Закон Ома" in page  # the categories that will be made
    assert "Электричество" in page
    frame = html.unescape(page)
    assert "Единица сопротивления?" in frame and "quiz-question" in frame
    assert not _imported(world)  # a preview imports nothing

    confirm = reverse("quiz_admin:import_preview", args=[token])
    done = author.post(confirm, {}, follow=True)
    assert "Imported 3 questions" in done.content.decode()
    assert _imported(world) == {"Единица", "Напряжение", "Правда"}
    ohm = QuestionCategory.objects.get(course=world.course, name="Закон Ома")
    assert ohm.parent.name == "Электричество" and ohm.parent.parent is None
    assert ohm.questions.count() == 3

    again = author.post(confirm, {}, follow=True)
    assert "upload the file again" in again.content.decode()
    assert Question.objects.filter(category=ohm).count() == 3  # once
    assert import_store.peek(world.author.pk, token) is None


def test_the_target_category_path_puts_the_files_categories_below_it(author, world):
    token = _token(_upload(author, world, GIFT.encode(), category=" Робототехника / Импорт "))
    page = author.get(reverse("quiz_admin:import_preview", args=[token])).content.decode()
    assert "Робототехника/Импорт/Электричество/Закон Ома" in page
    author.post(reverse("quiz_admin:import_preview", args=[token]))
    ohm = QuestionCategory.objects.get(course=world.course, name="Закон Ома")
    assert ohm.parent.parent.name == "Импорт"
    assert ohm.parent.parent.parent == world.robotics  # the existing one


def test_a_file_with_errors_imports_nothing_unless_skipping_is_ticked(author, world):
    token = _token(_upload(author, world, BROKEN.encode()))
    url = reverse("quiz_admin:import_preview", args=[token])
    page = author.get(url).content.decode()
    assert "Errors (1)" in page
    assert "<td>10</td>" in page and "is not closed" in page  # its line and reason
    refused = author.post(url, {}, follow=True).content.decode()
    assert "nothing was imported" in refused
    assert not _imported(world)
    done = author.post(url, {"skip_invalid": "on"}, follow=True).content.decode()
    assert "Imported 4 questions" in done
    assert _imported(world) == {"Единица", "Напряжение", "Правда", "Ещё"}


def test_skipping_can_be_ticked_at_the_upload(author, world):
    token = _token(_upload(author, world, BROKEN.encode(), skip_invalid="on"))
    page = author.get(reverse("quiz_admin:import_preview", args=[token])).content.decode()
    assert 'name="skip_invalid" checked' in page
    author.post(reverse("quiz_admin:import_preview", args=[token]), {"skip_invalid": "on"})
    assert len(_imported(world)) == 4


def test_a_windows_1251_file_is_read_with_a_warning(author, world):
    token = _token(_upload(author, world, GIFT.encode("cp1251")))
    page = author.get(reverse("quiz_admin:import_preview", args=[token])).content.decode()
    assert "Windows-1251" in page and "Warnings (1)" in page
    author.post(reverse("quiz_admin:import_preview", args=[token]))
    assert "Единица" in _imported(world)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "The submitted file is empty."),
        (b"\x00\x01\x02\xff\xfe binary", "This is not a text file"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "This is not a text file"),
        ("// только комментарий\n".encode(), "The file holds no questions."),
        (b"::T::{=a ~b", "is not closed"),
        (b"\xef\xbb\xbf::T::\xff\xfe {=a}", "not valid UTF-8"),
    ],
)
def test_unreadable_files_get_a_message(author, world, data, message):
    response = _upload(author, world, data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not _imported(world)


def test_no_file_at_all_gets_a_message(author, world):
    response = author.post(_url(world), {"category": ""})
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()


def test_an_oversized_file_is_refused_before_it_is_read(author, world, monkeypatch):
    monkeypatch.setattr(importing, "MAX_BYTES", 1024)
    # far over the limit: refused on the request's Content-Length, the body never parsed
    response = _upload(author, world, b"x" * (200 * 1024))
    assert response.status_code == 413
    assert "The file is too large" in response.content.decode()
    # a little over it: the upload handler stops keeping it at the limit
    response = _upload(author, world, b"::T::Q {=a ~b}\n" * 200)
    assert response.status_code == 413
    assert "The file is too large" in response.content.decode()
    assert not _imported(world)


def test_the_upload_still_checks_the_csrf_token(world):
    """The upload view reads the size before the body, so Django's middleware leaves the CSRF
    check to it: a post without the token is refused, and nothing is kept."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.author)
    post = {"file": SimpleUploadedFile("q.gift", GIFT.encode()), "category": ""}
    response = client.post(_url(world), post)
    assert response.status_code == 403
    client.get(_url(world))  # sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    post = {
        "file": SimpleUploadedFile("q.gift", GIFT.encode()),
        "category": "",
        "csrfmiddlewaretoken": token,
    }
    assert client.post(_url(world), post).status_code == 302


def test_a_bad_category_path_is_refused_on_the_form(author, world):
    response = _upload(author, world, GIFT.encode(), category="/".join(["a"] * 20))
    assert response.status_code == 200 and "At most 10 levels" in response.content.decode()


def test_an_expired_or_foreign_token_asks_to_upload_again(author, client, world):
    token = _token(_upload(author, world, GIFT.encode()))
    url = reverse("quiz_admin:import_preview", args=[token])
    other = type(client)()
    other.cookies["django_language"] = "en"
    other.force_login(world.methodologist)  # may import anywhere, but it is not their upload
    assert "upload the file again" in other.post(url, {}, follow=True).content.decode()
    assert "upload the file again" in other.get(url, follow=True).content.decode()
    assert import_store.peek(world.author.pk, token) is not None
    cache.clear()  # an hour later
    assert "upload the file again" in author.post(url, {}, follow=True).content.decode()
    for forged in ("x", "a" * 200, "..%2F..%2Fetc"):
        response = author.get(f"/admin/quiz/import/{forged}/", follow=True)
        assert response.status_code in (200, 404)
    assert not _imported(world)


def test_nothing_is_kept_on_local_disk_only_in_the_cache(author, world, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    token = _token(_upload(author, world, GIFT.encode()))
    payload = import_store.peek(world.author.pk, token)
    assert payload["data"] == GIFT.encode() and payload["bank"] == str(world.course.pk)
    assert not any(tmp_path.iterdir())


def test_another_banks_import_answers_404(author, world):
    for bank in (str(world.other.course.pk), "park", "x"):
        assert author.get(_url(world, bank)).status_code == 404
        post = {"file": SimpleUploadedFile("q.gift", GIFT.encode()), "category": ""}
        assert author.post(_url(world, bank), post).status_code == 404
    assert not Question.objects.filter(latest__title="Единица").exists()


def test_a_methodologist_imports_into_the_park_wide_bank(client, world):
    client.force_login(world.methodologist)
    response = client.post(
        _url(world, "park"),
        {"file": SimpleUploadedFile("q.gift", GIFT.encode()), "category": "Физика"},
    )
    token = _token(response)
    client.post(reverse("quiz_admin:import_preview", args=[token]))
    physics = QuestionCategory.objects.get(course__isnull=True, name="Физика")
    assert Question.objects.filter(category__parent__parent=physics).count() == 3


def test_markup_in_a_gift_file_is_escaped_or_sanitised_in_the_preview(author, world):
    evil = (
        "$CATEGORY: <script>alert(1)</script>\n\n"
        "::<b onmouseover=alert(1)>T</b>::[html]<script>alert(2)</script>"
        "<img src=x onerror=alert(3)>"
        "Текст {=<script>alert(4)</script>Да ~Нет#<img src=x onerror=alert(5)>}\n"
    )
    token = _token(_upload(author, world, evil.encode()))
    page = author.get(reverse("quiz_admin:import_preview", args=[token])).content.decode()
    assert "<script>alert" not in page and "<img src=x" not in page
    frame = html.unescape(re.search(r'srcdoc="([^"]*)"', page).group(1))
    assert "<script" not in frame and not EVENT_ATTRIBUTE.search(frame)
    assert "Текст" in frame
