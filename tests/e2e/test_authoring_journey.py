"""A methodologist logs in and lands on the admin's dashboard with their courses and the latest
edits; the explorer lists a module's lessons in the outline's order; in the lesson editor the
markdown preview follows the typing (rendered and sanitised by the server) and KaTeX draws the
formula. Screenshots of each screen."""

from __future__ import annotations

from tests import builders
from tests.e2e.conftest import E2E_MARKS, login, screenshot

pytestmark = E2E_MARKS


def test_methodologist_dashboard_explorer_and_live_preview(live_server, page, console_errors):
    from lms import roles

    tree = builders.build_course("robots", modules=2, lessons=3)
    author = builders.make_user("methodist_e2e", roles.METHODOLOGIST, display_name="Мария Ивановна")
    first, second, third = tree.lessons_of(tree.modules[0])
    # The last lesson was edited last: Wagtail's default would list it first.
    third.title = "Аккумуляторы"
    third.save_revision(user=author).publish(user=author)
    url = live_server.url

    login(page, url, author.username)
    assert page.url == f"{url}/admin/"
    courses = page.locator("#lms-author-courses-section")
    assert courses.locator("a", has_text=tree.course.title).count() >= 1
    edits = page.locator("#lms-recent-edits-section")
    assert edits.locator("a", has_text="Аккумуляторы").count() == 1
    assert page.locator("#recent-edits-section").count() == 0  # Wagtail's own list is replaced
    screenshot(page, "admin-dashboard-author")

    # The explorer: the module's lessons in the outline's order, with drag handles.
    with page.expect_navigation():
        courses.locator("a", has_text=tree.course.title).first.click()
    assert page.url.endswith(f"/admin/pages/{tree.course.pk}/")  # the course's modules
    page.goto(f"{url}/admin/pages/{tree.modules[0].pk}/")
    titles = page.locator("[data-w-orderable-item-label]").evaluate_all(
        "rows => rows.map(row => row.getAttribute('data-w-orderable-item-label'))"
    )
    assert titles == [first.title, second.title, "Аккумуляторы"]
    screenshot(page, "admin-explorer-tree-order")

    # The editor: the markdown block's preview and the formula's.
    page.goto(f"{url}/admin/pages/{first.pk}/edit/")
    markdown = page.locator("textarea[data-markdown-preview]").first
    markdown_pane = page.locator(".lms-preview--markdown .lms-preview__body").first
    markdown_pane.locator("strong", has_text="робота").wait_for()  # the saved text, rendered
    markdown.fill("## Шаг 2\n\nПодключаем **датчик** <script>window.hacked = 1</script>")
    markdown_pane.locator("h2", has_text="Шаг 2").wait_for()
    assert markdown_pane.locator("strong", has_text="датчик").count() == 1
    assert markdown_pane.locator("script").count() == 0  # raw HTML shows as text
    assert "<script>" in markdown_pane.inner_text()
    assert page.evaluate("window.hacked === undefined")

    formula_pane = page.locator(".lms-preview--formula .lms-preview__body").first
    formula_pane.locator(".katex").wait_for()
    assert formula_pane.locator(".katex-display").count() == 1  # the block is in display mode
    latex = page.locator("textarea[data-formula-preview]").first
    latex.fill("P = U \\cdot I")
    page.wait_for_function("el => el.textContent.includes('P')", arg=formula_pane.element_handle())
    display = page.locator("input[type=checkbox][name$='-display']").first
    display.uncheck()
    page.wait_for_function(
        "el => !el.querySelector('.katex-display') && el.querySelector('.katex')",
        arg=formula_pane.element_handle(),
    )
    formula_pane.scroll_into_view_if_needed()
    screenshot(page, "admin-lesson-editor-formula")
    markdown.scroll_into_view_if_needed()
    screenshot(page, "admin-lesson-editor-preview")

    # A text over the limit: the preview says so and asks nothing of the server.
    markdown.fill("я" * 50_001)
    markdown_pane.locator(".lms-preview__message--error").wait_for()
    assert "50001" in markdown_pane.inner_text()
    assert console_errors == []
