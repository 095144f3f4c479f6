"""The page editor's live preview: the markdown endpoint under /admin/ (authors only, POST with
CSRF, the one renderer and sanitiser, a size limit with the block's message) and the widgets
that carry it into the editor."""

from html.parser import HTMLParser

import pytest
from django.contrib.auth.models import Group, Permission
from django.test import Client, override_settings
from django.urls import reverse

from cms.blocks import FormulaBlock, MarkdownBlock
from cms.markdown import render_markdown
from courses import authoring
from tests import builders

pytestmark = pytest.mark.django_db

URL = reverse("cms_admin:markdown_preview")
ADMIN_LOGIN = reverse("wagtailadmin_login")


def preview(client, text: str, **headers):
    return client.post(URL, {"text": text}, headers=headers)


# --- Who may ask ------------------------------------------------------------------------------


def test_a_methodologist_gets_the_rendered_text(client, methodologist):
    client.force_login(methodologist)
    response = preview(client, "## Шаг 1\n\nСобираем **робота**.")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    html = response.json()["html"]
    assert "<h2>Шаг 1</h2>" in html
    assert "<strong>робота</strong>" in html


def test_a_course_author_may_preview(client, two_schools):
    author = two_schools.host.teacher_a
    authoring.add_author(two_schools.tree.course, author)
    client.force_login(author)
    assert preview(client, "*да*").json()["html"] == "<p><em>да</em></p>\n"


def test_a_visitor_is_sent_to_the_admin_login(client):
    response = preview(client, "text")
    assert response.status_code == 302
    assert response["Location"].startswith(ADMIN_LOGIN)
    assert "next=" in response["Location"]


@pytest.mark.parametrize("who", ["teacher_a", "admin", "pupil"])
def test_users_without_admin_access_are_refused(client, school, who):
    user = school.pupils_a[0] if who == "pupil" else getattr(school, who)
    client.force_login(user)
    response = preview(client, "text")
    assert response.status_code == 302
    assert response["Location"].startswith(ADMIN_LOGIN)
    # The script asks as XMLHttpRequest: Wagtail answers 403 instead of a redirect.
    assert preview(client, "text", x_requested_with="XMLHttpRequest").status_code == 403


def test_admin_access_without_a_page_to_write_is_not_enough(client):
    user = builders.make_user("reader")
    group = Group.objects.create(name="Admin readers")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    user.groups.add(group)
    client.force_login(user)
    assert preview(client, "text").status_code == 404


def test_only_post(client, methodologist):
    client.force_login(methodologist)
    assert client.get(URL, {"text": "x"}).status_code == 405


def test_csrf_is_required(methodologist):
    client = Client(enforce_csrf_checks=True)
    client.force_login(methodologist)
    assert preview(client, "text").status_code == 403
    client.get(reverse("wagtailadmin_home"))  # sets the CSRF cookie, as the editor does
    token = client.cookies["csrftoken"].value
    response = preview(client, "*ok*", x_csrftoken=token, x_requested_with="XMLHttpRequest")
    assert response.status_code == 200
    assert response.json()["html"] == "<p><em>ok</em></p>\n"


# --- What comes back ---------------------------------------------------------------------------

XSS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[click](javascript:alert(1))",
    "[click](java\tscript:alert(1))",
    "![pixel](https://tracker.example/p.png)",
    '<a href="#" onclick="alert(1)">x</a>',
    "<iframe src=//evil.example></iframe>",
    '<div class="button">fake</div>',
]


class _Elements(HTMLParser):
    """Every element and attribute of the HTML (text that merely looks like a tag is text)."""

    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def elements(html: str) -> list[tuple[str, dict]]:
    parser = _Elements()
    parser.feed(html)
    return parser.tags


@pytest.mark.parametrize("text", XSS)
def test_markdown_is_sanitised_by_the_one_renderer(client, methodologist, text):
    client.force_login(methodologist)
    html = preview(client, text).json()["html"]
    assert html == str(render_markdown(text))  # exactly what pupils get
    for tag, attrs in elements(html):
        assert tag not in {"script", "iframe", "object", "embed", "style"}
        assert not any(name.startswith("on") for name in attrs), (tag, attrs)
        assert "javascript" not in attrs.get("href", "").lower().replace("\t", "")
        assert "example" not in attrs.get("src", "")
        assert attrs.get("class") in (None, "highlight")


def test_empty_text_gives_an_empty_preview(client, methodologist):
    client.force_login(methodologist)
    assert preview(client, "   \n").json() == {"html": ""}
    assert client.post(URL, {}).json() == {"html": ""}


@override_settings(LMS_MARKDOWN_MAX_CHARS=100)
def test_text_over_the_limit_is_refused_with_the_blocks_message(en, english, methodologist):
    en.force_login(methodologist)
    assert preview(en, "я" * 100).status_code == 200  # at the limit: fine
    response = preview(en, "я" * 101)
    assert response.status_code == 413
    error = response.json()["error"]
    assert error.startswith("This text is too long: 101 characters, at most 100 are allowed.")
    assert "html" not in response.json()


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1000)
def test_a_request_too_big_to_read_is_refused_with_a_message(en, english, methodologist):
    en.force_login(methodologist)
    response = preview(en, "a" * 5000)
    assert response.status_code == 413
    assert response.json()["error"].startswith("This text is too long: at most")


def test_the_refusal_is_in_russian_by_default(client, methodologist):
    client.force_login(methodologist)
    with override_settings(LMS_MARKDOWN_MAX_CHARS=10):
        error = preview(client, "x" * 11).json()["error"]
    assert "11" in error and "10" in error
    assert not error.startswith("This text")


# --- The editor ----------------------------------------------------------------------------------


def test_the_lesson_editor_carries_the_preview(client, course, methodologist):
    client.force_login(methodologist)
    response = client.get(reverse("wagtailadmin_pages:edit", args=[course.lessons[0].pk]))
    html = response.content.decode()
    assert "/static/js/markdown-preview.js" in html
    assert "/static/vendor/katex/katex.min.js" in html
    assert "/static/vendor/katex/katex.min.css" in html
    assert "/static/css/admin-authoring.css" in html
    # The block definitions (telepath JSON, HTML-escaped) carry the textareas' settings.
    assert "data-markdown-preview=\\&quot;/admin/cms/markdown-preview/\\&quot;" in html
    assert "data-formula-preview=\\&quot;display\\&quot;" in html


@override_settings(LMS_MARKDOWN_MAX_CHARS=1234)
def test_the_textarea_tells_the_script_the_current_limit():
    widget = MarkdownBlock().field.widget
    html = widget.render("body-0-value", "text", attrs={"id": "body-0-value"})
    assert 'data-preview-max-chars="1234"' in html
    assert f'data-markdown-preview="{URL}"' in html
    assert "%(length)s" in html and "%(limit)s" in html  # the script fills them in


def test_the_formula_field_is_still_a_plain_text_block_in_migrations():
    latex = FormulaBlock().child_blocks["latex"]
    path, args, kwargs = latex.deconstruct()
    assert path == "wagtail.blocks.TextBlock"
    assert (kwargs["rows"], kwargs["max_length"]) == (2, 2000)
