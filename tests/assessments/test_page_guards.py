"""Pages holding pupils' work stay published, undeleted and in place, whatever path tries: the
admin's single and bulk views, the move view, Python calls on base Page instances, a parent
unpublished with its descendants, the scheduled unpublish. Pages without work keep every action;
copying a page is harmless."""

from __future__ import annotations

import datetime as dt
import io
import logging

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.http import HttpResponse
from django.urls import include, path, reverse
from django.utils import timezone
from wagtail.actions.unpublish_page import UnpublishPageAction
from wagtail.models import Page, PageLogEntry

from assessments import page_guards
from assessments.models import Assignment, Submission
from assessments.page_guards import PageHasAssignments, PageHoldsWork
from courses.models import LessonPage, ModulePage
from tests import builders
from tests.assessments.builders import make_assignment, submit

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def _unpublish_from_an_unforeseen_view(request, page_id: int) -> HttpResponse:
    Page.objects.get(pk=page_id).unpublish()
    return HttpResponse("done")


# This module doubles as a URLconf for the "unforeseen path" test: the site plus one view.
urlpatterns = [
    path("unforeseen/<int:page_id>/", _unpublish_from_an_unforeseen_view),
    path("", include("config.urls")),
]
handler403 = "lms.views.permission_denied"  # the site's own 403 page, which shows the reason


@pytest.fixture
def world(two_schools):
    """Lesson 1.1 holds a pupil's work; lesson 1.2 has an assignment nobody has started;
    module 2's lessons have none; module 3 is empty (a place to move lessons to)."""
    tree = two_schools.tree
    held = make_assignment(tree.lessons[0])
    submit(held, two_schools.host.pupils_a[0], two_schools.host.group_a)
    make_assignment(tree.lessons[1], title="Пустое")
    two_schools.empty_module = builders.publish_child(
        tree.course, ModulePage(title="Модуль 3", slug="m3")
    )
    return two_schools


def _live(page) -> bool:
    return Page.objects.get(pk=page.pk).live


def _parent_pk(page) -> int:
    return Page.objects.get(pk=page.pk).get_parent().pk


def _texts(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def _bulk(action: str, *pages) -> str:
    ids = "&".join(f"id={page.pk}" for page in pages)
    url = reverse("wagtail_bulk_action", args=["wagtailcore", "page", action])
    return f"{url}?{ids}&next=/admin/"


# --- the rule ------------------------------------------------------------------------------------


def test_the_rule_sees_work_at_or_below_a_page(world, django_assert_num_queries):
    tree = world.tree
    pages = [tree.course, *tree.modules, *tree.lessons, tree.course.get_parent()]
    with django_assert_num_queries(1):
        held = page_guards.pages_holding_work(pages)
    assert {p.pk for p in held} == {
        tree.course.pk,
        tree.modules[0].pk,
        tree.lessons[0].pk,
        tree.course.get_parent().pk,
    }
    assert page_guards.holds_work(tree.lessons[0])
    assert not page_guards.holds_work(tree.lessons[1])  # an assignment, but no work


def test_a_draft_counts_as_work(two_schools):
    assignment = make_assignment(two_schools.tree.lessons[2])
    Submission.objects.create(
        assignment=assignment,
        pupil=two_schools.host.pupils_a[0],
        group=two_schools.host.group_a,
        attempt=1,
    )
    assert page_guards.holds_work(two_schools.tree.modules[1])
    assert page_guards.assignment_holds_work(assignment)


# --- single admin views --------------------------------------------------------------------------


def test_admin_move_view_refuses_with_a_message(client, world):
    lesson, elsewhere = world.tree.lessons[0], world.empty_module
    client.force_login(world.superuser)
    url = reverse("wagtailadmin_pages:move_confirm", args=[lesson.pk, elsewhere.pk])
    for method in (client.get, client.post):
        response = method(url)
        assert response.status_code == 302
        assert "so it cannot be moved to another place" in " ".join(_texts(response))
    assert _parent_pk(lesson) == world.tree.modules[0].pk


def test_admin_unpublish_of_a_parent_with_descendants_is_refused(client, world):
    client.force_login(world.superuser)
    for page in (world.tree.modules[0], world.tree.course):
        url = reverse("wagtailadmin_pages:unpublish", args=[page.pk])
        response = client.post(url, {"include_descendants": "on"})
        assert response.status_code == 302
        assert "so it stays published" in " ".join(_texts(response))
    assert all(_live(p) for p in (world.tree.course, *world.tree.modules, *world.tree.lessons))


def test_pages_without_work_are_still_unpublished_moved_and_deleted(client, world):
    empty_module = world.tree.modules[1]
    first, second = world.tree.lessons_of(empty_module)
    client.force_login(world.superuser)
    client.post(reverse("wagtailadmin_pages:unpublish", args=[first.pk]))
    assert not _live(first)
    client.post(reverse("wagtailadmin_pages:move_confirm", args=[second.pk, world.empty_module.pk]))
    assert _parent_pk(second) == world.empty_module.pk
    client.post(reverse("wagtailadmin_pages:delete", args=[first.pk]))
    assert not Page.objects.filter(pk=first.pk).exists()


def test_a_page_with_assignments_but_no_work_is_refused_with_a_message_not_a_500(client, world):
    """Assignment.lesson is PROTECT: this used to end in a ProtectedError (a 500)."""
    lesson = world.tree.lessons[1]  # an assignment nobody has started
    client.force_login(world.superuser)
    response = client.post(reverse("wagtailadmin_pages:delete", args=[lesson.pk]))
    assert response.status_code == 302
    assert "has assignments, so it cannot be deleted" in " ".join(_texts(response))
    response = client.post(_bulk("delete", lesson, world.tree.lessons[2]))
    assert "Nothing was deleted: these pages have assignments" in " ".join(_texts(response))
    with pytest.raises(PageHasAssignments) as refused:
        Page.objects.get(pk=lesson.pk).delete()
    assert isinstance(refused.value, PermissionDenied)
    assert Page.find_problems() == ([], [], [], [], [])
    assert Page.objects.filter(pk__in=[lesson.pk, world.tree.lessons[2].pk]).count() == 2


# --- bulk actions --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("action", "data", "said"),
    [
        ("unpublish", {"include_descendants": "on"}, "Nothing was unpublished"),
        ("unpublish", {}, "Nothing was unpublished"),
        ("delete", {}, "Nothing was deleted"),
    ],
)
def test_bulk_unpublish_and_delete_are_refused_naming_the_pages(client, world, action, data, said):
    tree = world.tree
    client.force_login(world.superuser)
    response = client.post(_bulk(action, tree.lessons[0], tree.lessons[2]), data)
    assert response.status_code == 302
    text = " ".join(_texts(response))
    assert said in text and f"“{tree.lessons[0].title}”" in text
    assert f"“{tree.lessons[2].title}”" not in text  # only the pages holding work are named
    assert _live(tree.lessons[0]) and _live(tree.lessons[2])  # the whole action is refused
    assert Page.objects.filter(pk=tree.lessons[2].pk).exists()


def test_bulk_action_on_a_parent_is_refused(client, world):
    client.force_login(world.superuser)
    response = client.post(_bulk("unpublish", world.tree.modules[0]), {"include_descendants": "on"})
    assert "Nothing was unpublished" in " ".join(_texts(response))
    assert _live(world.tree.lessons[0])


def test_bulk_move_is_refused_but_a_page_without_work_moves(client, world):
    tree = world.tree
    client.force_login(world.superuser)
    destination = world.empty_module.pk
    response = client.post(
        _bulk("move", tree.lessons[0], tree.lessons[2]), {"chooser": destination}
    )
    assert "Nothing was moved" in " ".join(_texts(response))
    assert _parent_pk(tree.lessons[0]) == tree.modules[0].pk
    assert _parent_pk(tree.lessons[2]) == tree.modules[1].pk
    client.post(_bulk("move", tree.lessons[2]), {"chooser": destination})
    assert _parent_pk(tree.lessons[2]) == destination


def test_bulk_unpublish_without_work_still_works(client, world):
    client.force_login(world.superuser)
    client.post(_bulk("unpublish", world.tree.modules[1]), {"include_descendants": "on"})
    assert not _live(world.tree.modules[1]) and not _live(world.tree.lessons[3])


# --- model level: no path skips it ---------------------------------------------------------------


def test_unpublish_of_a_base_page_from_python_is_refused(world):
    lesson = world.tree.lessons[0]
    logs = PageLogEntry.objects.count()
    for page in (Page.objects.get(pk=lesson.pk), lesson, world.tree.modules[0]):
        with pytest.raises(PageHoldsWork) as refused:
            page.unpublish()
        assert isinstance(refused.value, PermissionDenied)
        assert "stays published" in str(refused.value)
    with pytest.raises(PageHoldsWork):
        UnpublishPageAction(world.tree.course, include_descendants=True).execute()
    assert all(_live(p) for p in (world.tree.course, world.tree.modules[0], lesson))
    assert PageLogEntry.objects.count() == logs  # refused before anything was written


def test_a_save_setting_live_false_is_refused_but_other_saves_pass(world):
    lesson = LessonPage.objects.get(pk=world.tree.lessons[0].pk)
    lesson.live = False
    with pytest.raises(PageHoldsWork):
        lesson.save()
    fresh = LessonPage.objects.get(pk=lesson.pk)
    fresh.title = "Новое название"
    fresh.save_revision().publish()  # editing and publishing a lesson with work is fine
    assert _live(fresh)


def test_delete_from_python_is_refused_before_anything_is_written(world):
    """Outside a transaction too: treebeard lowers the parent's numchild before Django deletes,
    so a refusal that came only then would leave the tree wrong (the next delete of the parent
    would orphan the course). The refusal comes first; the tree stays whole."""
    tree = world.tree
    logs = PageLogEntry.objects.count()
    catalogue = tree.course.get_parent()
    for page in (tree.lessons[0], tree.modules[0], tree.course, catalogue):
        with pytest.raises(PageHoldsWork) as refused:
            Page.objects.get(pk=page.pk).delete()
        assert "cannot be deleted" in str(refused.value)
    assert PageLogEntry.objects.count() == logs
    assert Page.find_problems() == ([], [], [], [], [])
    assert Page.objects.get(pk=catalogue.pk).numchild == 1
    assert LessonPage.objects.filter(pk=tree.lessons[0].pk).exists()
    assert Submission.objects.count() == 1


def test_deleting_that_logs_nothing_is_refused_naming_the_lesson(world):
    lesson = LessonPage.objects.get(pk=world.tree.lessons[0].pk)
    with pytest.raises(PageHoldsWork) as refused:
        lesson.__class__.objects.filter(pk=lesson.pk).delete()  # a queryset delete: no log
    assert lesson.title in str(refused.value)


def test_move_from_python_is_refused_but_reordering_is_not(world):
    tree = world.tree
    lesson = Page.objects.get(pk=tree.lessons[0].pk)
    with pytest.raises(PageHoldsWork):
        lesson.move(Page.objects.get(pk=world.empty_module.pk), pos="last-child")
    assert _parent_pk(lesson) == tree.modules[0].pk
    lesson.move(Page.objects.get(pk=tree.lessons[1].pk), pos="right")  # same parent: allowed
    order = list(
        Page.objects.get(pk=tree.modules[0].pk).get_children().values_list("pk", flat=True)
    )
    assert order == [tree.lessons[1].pk, tree.lessons[0].pk]


@pytest.mark.urls(__name__)
def test_an_unforeseen_path_gets_403_and_changes_nothing(client, world):
    client.force_login(world.superuser)
    assert client.get(f"/unforeseen/{world.tree.lessons[2].pk}/").status_code == 200
    assert not _live(world.tree.lessons[2])
    response = client.get(f"/unforeseen/{world.tree.lessons[0].pk}/")
    assert response.status_code == 403
    assert "holds pupils" in response.content.decode() or "работ" in response.content.decode()
    assert _live(world.tree.lessons[0])


# --- scheduled unpublishing ----------------------------------------------------------------------


def test_scheduled_expiry_skips_pages_holding_work_with_a_log_line(world, caplog):
    tree = world.tree
    past = timezone.now() - dt.timedelta(minutes=5)
    Page.objects.filter(pk__in=[tree.lessons[0].pk, tree.lessons[2].pk]).update(expire_at=past)
    with caplog.at_level(logging.WARNING, logger="assessments"):
        call_command("publish_scheduled", stdout=io.StringIO())
    kept = Page.objects.get(pk=tree.lessons[0].pk)
    assert kept.live and kept.expire_at is None and not kept.expired
    assert any(str(tree.lessons[0].pk) in r.getMessage() for r in caplog.records)
    expired = Page.objects.get(pk=tree.lessons[2].pk)
    assert not expired.live and expired.expired  # a page without work expires as scheduled
    call_command("publish_scheduled", stdout=io.StringIO())
    assert Page.objects.get(pk=tree.lessons[0].pk).live  # and stays so on the next run


# --- copying -------------------------------------------------------------------------------------


def test_copying_a_page_with_work_copies_no_assignments(world):
    tree = world.tree
    source = LessonPage.objects.get(pk=tree.lessons[0].pk)
    copy = source.copy(to=tree.modules[1], update_attrs={"slug": "copy", "title": "Копия"})
    assert not Assignment.objects.filter(lesson_id=copy.pk).exists()
    assert Assignment.objects.filter(lesson_id=source.pk).count() == 1
    assert Submission.objects.get().assignment.lesson_id == source.pk
    assert not page_guards.holds_work(copy)
    copy.delete()  # a copy holds nothing, so it goes
    module_copy = Page.objects.get(pk=tree.modules[0].pk).copy(
        recursive=True, to=tree.course, update_attrs={"slug": "m-copy", "title": "Копия"}
    )
    assert not page_guards.holds_work(module_copy)
