"""Authoring in the Wagtail admin: the explorer lists a course's modules and a module's lessons
in the tree's order; the dashboard shows an author their courses and the latest edits of their
pages, in a fixed number of queries."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from courses import admin_dashboard, authoring
from courses.wagtail_hooks import AuthorCoursesPanel, RecentPageEditsPanel
from tests import builders

pytestmark = pytest.mark.django_db


def listed(client, parent, **params) -> list[str]:
    response = client.get(reverse("wagtailadmin_explore", args=[parent.pk]), params)
    assert response.status_code == 200
    return [page.title for page in response.context["object_list"]]


def retitle(page, title: str) -> None:
    page.title = title
    page.save_revision().publish()


# --- The explorer's order ------------------------------------------------------------------


def test_lessons_are_listed_in_tree_order_not_by_latest_edit(client, course, methodologist):
    module = course.modules[0]
    first, second = course.lessons_of(module)
    # Titles out of alphabetical order, and the first lesson edited last: neither the title
    # nor the latest revision gives the tree's order.
    retitle(second, "А второй урок")
    retitle(first, "Я первый урок")
    client.force_login(methodologist)
    assert listed(client, module) == ["Я первый урок", "А второй урок"]


def test_modules_are_listed_in_tree_order(client, course, methodologist):
    first, second = course.modules
    retitle(second, "А второй модуль")
    retitle(first, "Я первый модуль")
    client.force_login(methodologist)
    assert listed(client, course.course) == ["Я первый модуль", "А второй модуль"]


def test_a_moved_lesson_is_listed_where_it_now_stands(client, course, methodologist):
    module = course.modules[0]
    first, second = course.lessons_of(module)
    second.move(first, pos="left")
    client.force_login(methodologist)
    assert listed(client, module) == [second.title, first.title]


def test_the_default_order_is_the_tree_with_its_drag_handles(client, course, methodologist):
    client.force_login(methodologist)
    response = client.get(reverse("wagtailadmin_explore", args=[course.modules[0].pk]))
    assert response.context["ordering"] == "ord"
    assert response.content.decode().count("data-w-orderable-item-id=") == 2  # both lessons


def test_the_authors_own_sort_still_wins(client, course, methodologist):
    module = course.modules[0]
    first, second = course.lessons_of(module)
    retitle(second, "А второй урок")
    retitle(first, "Я первый урок")
    client.force_login(methodologist)
    assert listed(client, module, ordering="title") == ["А второй урок", "Я первый урок"]
    assert listed(client, module, ordering="-title") == ["Я первый урок", "А второй урок"]
    newest_first = listed(client, module, ordering="-latest_revision_created_at")
    assert newest_first == ["Я первый урок", "А второй урок"]
    assert listed(client, module, ordering="latest_revision_created_at") == [
        "А второй урок",
        "Я первый урок",
    ]


def test_a_course_author_sees_the_tree_order_too(client, two_schools):
    tree, author = two_schools.tree, two_schools.host.teacher_a
    authoring.add_author(tree.course, author)
    module = tree.modules[0]
    first, second = tree.lessons_of(module)
    retitle(second, "А второй урок")
    client.force_login(author)
    assert listed(client, module) == [first.title, "А второй урок"]


# --- The dashboard ---------------------------------------------------------------------------


@pytest.fixture
def catalogue(course):
    """The shared course (2 x 2) and a second one (3 modules of 1 lesson)."""
    return course, builders.build_course("sensors", modules=3, lessons=1)


def dashboard(client):
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 200
    return response.content.decode()


def test_a_methodologist_sees_every_course_with_its_counts(catalogue, methodologist):
    robots, sensors = catalogue
    listing = admin_dashboard.editable_courses(methodologist)
    counts = {c.title: (c.module_count, c.lesson_count) for c in listing.courses}
    assert counts == {robots.course.title: (2, 4), sensors.course.title: (3, 3)}
    assert [c.pk for c in listing.courses] == [robots.course.pk, sensors.course.pk]  # tree order
    assert listing.more == 0


def test_the_courses_panel_links_each_course(en, english, catalogue, methodologist):
    robots, sensors = catalogue
    en.force_login(methodologist)
    html = dashboard(en)
    assert "Your courses" in html
    for tree in (robots, sensors):
        assert reverse("wagtailadmin_explore", args=[tree.course.pk]) in html
        assert reverse("wagtailadmin_pages:edit", args=[tree.course.pk]) in html
    assert "2 modules, 4 lessons" in html
    assert "3 modules, 3 lessons" in html


def test_a_course_author_sees_only_their_course(client, two_schools):
    tree, author = two_schools.tree, two_schools.host.teacher_a
    other = builders.build_course("other-course", modules=1, lessons=1)
    authoring.add_author(tree.course, author)
    client.force_login(author)
    html = dashboard(client)
    assert reverse("wagtailadmin_explore", args=[tree.course.pk]) in html
    assert reverse("wagtailadmin_explore", args=[other.course.pk]) not in html
    assert [c.pk for c in admin_dashboard.editable_courses(author).courses] == [tree.course.pk]
    edited = {edit.page.pk for edit in admin_dashboard.recent_edits(author, limit=100)}
    assert edited and edited <= {tree.course.pk, *(p.pk for p in tree.modules + tree.lessons)}


def test_recent_edits_show_who_edited_which_page_and_when(en, english, two_schools):
    tree, methodologist = two_schools.tree, two_schools.methodologist
    author = two_schools.host.teacher_a
    author.first_name, author.last_name = "Софья", "Иванова"
    author.save()
    authoring.add_author(tree.course, author)
    lesson = tree.lessons[-1]
    lesson.save_revision(user=author)  # a draft by the co-author
    tree.modules[0].save_revision(user=methodologist).publish(user=methodologist)
    edits = admin_dashboard.recent_edits(methodologist)
    assert [e.page.pk for e in edits[:2]] == [tree.modules[0].pk, lesson.pk]
    module_edit, lesson_edit = edits[:2]
    assert lesson_edit.by == author
    assert lesson_edit.kind == "lesson"
    assert lesson_edit.place == (tree.course.title, tree.modules[1].title)
    assert module_edit.place == ("Курсы", tree.course.title)

    en.force_login(methodologist)
    html = dashboard(en)
    assert "Recent edits" in html
    assert "Иванова Софья" in html  # the co-author's draft, "Фамилия Имя"
    assert ">you<" in html.replace(" ", "").replace("\n", "")  # their own edit
    assert reverse("wagtailadmin_pages:edit", args=[lesson.pk]) in html
    assert "live + draft" in html  # the lesson has a draft over its published version
    # Ours takes the place of Wagtail's own "your most recent edits".
    assert 'id="recent-edits-section"' not in html


def test_users_who_write_nothing_get_no_panels(client, two_schools):
    """A user with admin access but no page to edit: Wagtail's dashboard as it is."""
    user = builders.make_user("reader")
    group = Group.objects.create(name="Admin readers")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    user.groups.add(group)
    client.force_login(user)
    html = dashboard(client)
    assert "lms-author-courses" not in html
    assert "lms-recent-edits" not in html


def test_a_teacher_without_admin_access_is_sent_to_the_admin_login(client, school):
    client.force_login(school.teacher_a)
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("wagtailadmin_login"))


# --- Queries: pinned, and the same for a catalogue three times the size ---------------------

# Each panel on its own: the user's page permissions (one query, then cached on the user for
# the request), then the courses with their counts; or the edited pages with their revisions
# and editors, and the titles of their places.
COURSES_PANEL_QUERIES = 2
RECENT_EDITS_PANEL_QUERIES = 3
BOTH_PANELS_QUERIES = 4  # on the dashboard they share the permissions


def _request(user):
    request = RequestFactory().get("/admin/")
    request.user = type(user).objects.get(pk=user.pk)  # nothing cached on it yet
    return request


def _queries(user, *panels) -> int:
    request = _request(user)
    with CaptureQueriesContext(connection) as queries:
        for panel in panels:
            panel.render_html({"request": request})
    return len(queries)


def _grow(methodologist, extra_courses: int) -> None:
    for n in range(extra_courses):
        more = builders.build_course(f"more-{n}", modules=3, lessons=3)
        for page in more.lessons:
            page.save_revision(user=methodologist)


def test_panel_queries_are_pinned(course, methodologist, django_assert_num_queries):
    courses_alone, edits_alone, both = (_request(methodologist) for _ in range(3))
    with django_assert_num_queries(COURSES_PANEL_QUERIES):
        AuthorCoursesPanel().render_html({"request": courses_alone})
    with django_assert_num_queries(RECENT_EDITS_PANEL_QUERIES):
        RecentPageEditsPanel().render_html({"request": edits_alone})
    with django_assert_num_queries(BOTH_PANELS_QUERIES):
        AuthorCoursesPanel().render_html({"request": both})
        RecentPageEditsPanel().render_html({"request": both})


def test_panel_queries_do_not_grow_with_the_catalogue(course, methodologist):
    panels = (AuthorCoursesPanel(), RecentPageEditsPanel())
    small = [_queries(methodologist, panel) for panel in panels]
    _grow(methodologist, extra_courses=3)
    large = [_queries(methodologist, panel) for panel in panels]
    assert small == large == [COURSES_PANEL_QUERIES, RECENT_EDITS_PANEL_QUERIES]


def test_the_dashboard_costs_the_same_for_a_bigger_catalogue(client, course, methodologist):
    client.force_login(methodologist)

    def count() -> int:
        dashboard(client)  # warm per-process caches (site root paths, content types)
        with CaptureQueriesContext(connection) as queries:
            dashboard(client)
        return len(queries)

    before = count()
    _grow(methodologist, extra_courses=3)
    assert count() == before


def test_a_catalogue_over_the_limit_is_cut_with_a_link(
    en, english, course, methodologist, monkeypatch
):
    builders.build_course("second", modules=1, lessons=1)
    builders.build_course("third", modules=1, lessons=1)
    monkeypatch.setattr(admin_dashboard, "COURSES_SHOWN", 2)
    listing = admin_dashboard.editable_courses(methodologist)
    assert len(listing.courses) == 2 and listing.more == 1
    assert listing.more_under == course.course.get_parent().pk
    en.force_login(methodologist)
    html = dashboard(en)
    assert "And 1 more course" in html
    assert reverse("wagtailadmin_explore", args=[listing.more_under]) in html


# --- Wagtail's own strings: our locale comes first ----------------------------------------------


def test_our_locale_overrides_wagtails_russian():
    """LOCALE_PATHS are merged after every app's catalogue, so locale/ru's wording wins over
    Wagtail's: "Move up" is Wagtail's «Двигать наверх» and ours «Выше»."""
    from django.utils import translation

    with translation.override("ru"):
        assert translation.gettext("Move up") == "Выше"


# --- Who writes pages: the one-object rule and the list agree -----------------------------------


def test_who_may_author_agrees_with_the_pages_they_may_edit(two_schools):
    from lms import permissions

    author = two_schools.host.teacher_a
    authoring.add_author(two_schools.tree.course, author)
    users = [
        two_schools.methodologist,
        two_schools.superuser,
        author,
        two_schools.host.teacher_b,  # a teacher who authors nothing
        two_schools.host.admin,
        two_schools.host.pupils_a[0],
    ]
    for user in users:
        user = type(user).objects.get(pk=user.pk)
        assert permissions.can_author_pages(user) == permissions.editable_pages(user).exists(), user
    assert [permissions.can_author_pages(u) for u in users] == [
        True,
        True,
        True,
        False,
        False,
        False,
    ]


def test_wagtails_badly_read_strings_are_overridden(client, course, methodologist):
    """Wagtail's «Пропустить главный контент» says 'skip over the main content'; its bulk
    actions said «Удалить 2 страниц»."""
    from django.utils import translation

    with translation.override("ru"):
        assert translation.gettext("Skip to main content") == "Перейти к основному содержимому"
        delete = translation.ngettext("Delete 1 page", "Delete %(counter)s pages", 22)
        assert delete % {"counter": 22} == "Удалить 22 страницы"
    client.force_login(methodologist)
    html = client.get(reverse("wagtailadmin_explore", args=[course.course.pk])).content.decode()
    assert "Перейти к основному содержимому" in html and "Пропустить главный контент" not in html
    assert "Перетащить" in html  # the tree order's drag handles
