"""Each course keeps its documents in its own collection: its authors choose and upload there
only, a forged document id of another course is refused on save, and a course's documents are
downloaded only through that course's own lessons."""

import importlib

import pytest
from django.apps import apps as django_apps
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from wagtail.documents import get_document_model
from wagtail.models import Collection, GroupCollectionPermission

from courses import authoring, documents
from courses import permissions as course_permissions
from courses.models import CourseCollection, LessonPage
from tests import builders

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def en():
    with translation.override("en"):
        yield


def _document(title: str, collection: Collection | None = None):
    document = get_document_model()(
        title=title, collection=collection or Collection.get_first_root_node()
    )
    document.file.save(f"{title}.pdf", ContentFile(b"%PDF-1.4 worksheet"), save=False)
    document.save()
    return document


def _attach(lesson: LessonPage, document, block: str = "file") -> None:
    lesson = LessonPage.objects.get(pk=lesson.pk)
    if block == "file":
        lesson.body.append(("file", {"document": document, "title": "", "description": ""}))
    else:
        lesson.body.append(("video", {"url": "", "file": document, "caption": ""}))
    lesson.save_revision().publish()


@pytest.fixture
def scene(two_schools):
    """The shared course with one author (teacher a-1), a second course, and a document in each
    course's collection plus one in the root collection."""
    tree, other = two_schools.tree, builders.build_course("other")
    author = two_schools.host.teacher_a
    authoring.add_author(tree.course, author)
    own = _document("own-worksheet", documents.course_collection(tree.course))
    foreign = _document("foreign-worksheet", documents.course_collection(other.course))
    shared = _document("root-worksheet")
    return two_schools, other, author, own, foreign, shared


def test_a_new_course_gets_its_own_collection(course):
    link = CourseCollection.objects.get(course=course.course)
    assert link.collection.name == course.course.title
    assert link.collection.get_parent() == Collection.get_first_root_node()
    assert documents.course_collection(course.course) == link.collection  # idempotent
    course.course.title = "Новое название"
    course.course.save_revision().publish()
    link.collection.refresh_from_db()
    assert link.collection.name == "Новое название"


def test_authors_get_document_rights_on_their_collection_only(scene):
    world, _other, author, *_ = scene
    group = authoring.authors_group(world.tree.course)
    own = documents.course_collection(world.tree.course)
    document_rows = GroupCollectionPermission.objects.filter(
        group=group, permission__content_type__app_label="wagtaildocs"
    )
    assert {row.collection_id for row in document_rows} == {own.pk}
    assert {row.permission.codename for row in document_rows} == {
        "add_document",
        "choose_document",
    }
    # Images stay park-wide: pictures are public.
    image_rows = GroupCollectionPermission.objects.filter(
        group=group, permission__content_type__app_label="wagtailimages"
    )
    assert {row.collection_id for row in image_rows} == {Collection.get_first_root_node().pk}


def test_an_old_root_document_grant_is_repaired(scene):
    world, _other, _author, *_ = scene
    from django.contrib.auth.models import Permission

    group = authoring.authors_group(world.tree.course)
    GroupCollectionPermission.objects.create(
        group=group,
        collection=Collection.get_first_root_node(),
        permission=Permission.objects.get(codename="choose_document"),
    )
    authoring.authors_group(world.tree.course)
    assert not GroupCollectionPermission.objects.filter(
        group=group,
        collection=Collection.get_first_root_node(),
        permission__content_type__app_label="wagtaildocs",
    ).exists()


def test_the_chooser_lists_only_the_courses_own_documents(client, scene):
    _world, _other, author, own, foreign, shared = scene
    client.force_login(author)
    for name in ("wagtaildocs_chooser:choose", "wagtaildocs_chooser:choose_results"):
        content = client.get(reverse(name)).content.decode()
        assert own.title in content, name
        assert foreign.title not in content, name
        assert shared.title not in content, name
    chosen = reverse("wagtaildocs_chooser:chosen", args=[foreign.pk])
    assert client.get(chosen).status_code in (302, 403)  # the admin redirects a refusal
    assert client.get(reverse("wagtaildocs_chooser:chosen", args=[own.pk])).status_code == 200


def test_an_upload_from_the_chooser_goes_to_the_courses_collection(client, scene):
    world, other, author, *_ = scene
    client.force_login(author)
    data = {
        "document-chooser-upload-title": "new-upload",
        "document-chooser-upload-file": SimpleUploadedFile("plan.pdf", b"%PDF-1.4 plan"),
        # A forged collection (another course's) is not among the choices.
        "document-chooser-upload-collection": documents.course_collection(other.course).pk,
    }
    response = client.post(reverse("wagtaildocs_chooser:create"), data)
    assert response.status_code == 200
    uploaded = get_document_model().objects.get(title="new-upload")
    assert uploaded.collection == documents.course_collection(world.tree.course)


def _edit_with_document(client, lesson, document, block: str = "file"):
    value = (
        {"document": document.pk, "title": "", "description": ""}
        if block == "file"
        else {"url": "", "file": document.pk, "caption": ""}
    )
    data = {
        "title": lesson.title,
        "slug": lesson.slug,
        "summary": "",
        "duration_minutes": "30",
        "body-count": "1",
        "body-0-deleted": "",
        "body-0-order": "0",
        "body-0-type": block,
        "body-0-id": "",
        **{f"body-0-value-{key}": value for key, value in value.items()},
    }
    return client.post(reverse("wagtailadmin_pages:edit", args=[lesson.pk]), data)


def _says(message, text: str) -> bool:
    """The admin answers in the editor's language (Russian by default): either will do."""
    spellings = []
    for language in ("en", "ru"):
        with translation.override(language):
            spellings.append(str(message))
    return any(spelling in text for spelling in spellings)


def _body_error(response) -> str:
    from wagtail.blocks.base import get_error_json_data

    form = response.context["form"]
    return str(get_error_json_data(form.errors.as_data()["body"][0]))


@pytest.mark.parametrize("block", ["file", "video"])
def test_a_forged_document_of_another_course_is_refused_on_save(client, scene, en, block):
    world, _other, author, own, foreign, shared = scene
    lesson = world.tree.lessons[0]
    client.force_login(author)
    for document in (foreign, shared):
        if block == "video":
            document.file.name = document.file.name.replace(".pdf", ".mp4")
            document.save()
        response = _edit_with_document(client, lesson, document, block)
        assert response.status_code == 200, document
        assert _says(documents.NOT_CHOOSABLE, _body_error(response))
        latest = LessonPage.objects.get(pk=lesson.pk).get_latest_revision_as_object()
        assert [b.block_type for b in latest.body] == [t for t, _v in builders.LESSON_BODY]
    # The course's own document is fine.
    if block == "video":
        own.file.name = own.file.name.replace(".pdf", ".mp4")
        own.save()
    response = _edit_with_document(client, lesson, own, block)
    assert response.status_code == 302, _body_error(response)


def test_a_methodologist_cannot_place_another_courses_document_either(client, scene, en):
    world, _other, _author, _own, foreign, shared = scene
    client.force_login(world.methodologist)
    response = _edit_with_document(client, world.tree.lessons[0], foreign)
    assert response.status_code == 200
    assert _says(documents.OTHER_COURSE, _body_error(response))
    # Park-wide (root collection) documents stay available to the catalogue's staff.
    assert _edit_with_document(client, world.tree.lessons[0], shared).status_code == 302


def test_a_document_already_in_the_lesson_may_stay(client, scene):
    world, _other, author, _own, _foreign, shared = scene
    lesson = world.tree.lessons[0]
    _attach(lesson, shared)  # placed by a methodologist
    client.force_login(author)
    assert _edit_with_document(client, lesson, shared).status_code == 302


def test_a_course_document_is_downloaded_only_through_its_own_course(client, scene):
    world, other, author, own, foreign, _shared = scene
    _attach(world.tree.lessons_of(world.tree.modules[0])[0], own)
    # Placed in the shared course by a methodologist: still gives nothing to its readers.
    _attach(world.tree.lessons_of(world.tree.modules[0])[0], foreign)
    readers = [world.host.pupils_a[0], world.visiting.pupils_a[0], world.host.teacher_a]
    for user in readers:
        assert course_permissions.can_download_document(user, own), user
        if user != author:
            assert not course_permissions.can_download_document(user, foreign), user
    for user in (world.host.pupils_b[0], world.visiting.pupils_b[0], world.host.teacher_b):
        assert not course_permissions.can_download_document(user, own), user
    # Catalogue staff always; the other course's authors for their own files.
    assert course_permissions.can_download_document(world.methodologist, foreign)
    other_author = world.host.teacher_b
    authoring.add_author(other.course, other_author)
    other_author = type(other_author).objects.get(pk=other_author.pk)  # no cached rights
    assert course_permissions.can_download_document(other_author, foreign)
    assert not course_permissions.can_download_document(other_author, own)
    assert course_permissions.can_download_document(author, own)  # its author, used or not
    assert not course_permissions.can_download_document(author, foreign)
    # Through the serve view (the before_serve_document hook).
    client.force_login(world.host.pupils_a[0])
    assert client.get(own.url).status_code == 200
    assert client.get(foreign.url).status_code == 404


def test_a_lesson_of_the_own_course_gives_its_readers_the_file(scene):
    world, other, _author, _own, foreign, _shared = scene
    lesson = other.lessons[0]
    _attach(lesson, foreign)
    pupil = world.host.pupils_a[0]  # a-1 takes the shared course only
    assert not course_permissions.can_download_document(pupil, foreign)
    builders.enrol(world.host.group_a, other)
    pupil = type(pupil).objects.get(pk=pupil.pk)  # fresh user: no cached enrolments
    assert course_permissions.can_download_document(pupil, foreign)


def test_the_migration_gives_existing_courses_a_collection(two_schools):
    tree = two_schools.tree
    used_once = _document("used-once")
    _attach(tree.lessons[0], used_once)
    unused = _document("unused")
    CourseCollection.objects.all().delete()
    migration = importlib.import_module("courses.migrations.0006_course_collections_data")
    migration.forwards(django_apps, None)
    link = CourseCollection.objects.get(course=tree.course)
    assert link.collection.get_parent() == Collection.get_first_root_node()
    used_once.refresh_from_db()
    unused.refresh_from_db()
    assert used_once.collection == link.collection
    assert unused.collection == Collection.get_first_root_node()
    # The tree stays valid for treebeard: a new child goes after it.
    assert Collection.get_first_root_node().add_child(name="Ещё").depth == 2
    migration.forwards(django_apps, None)  # idempotent
    assert CourseCollection.objects.filter(course=tree.course).count() == 1


@pytest.mark.slow  # loads the demo
def test_the_demo_puts_each_courses_documents_in_its_collection():
    import io

    from django.core.management import call_command

    from courses.models import CoursePage
    from demo import manifests

    worksheets = manifests.documents()
    # A demo database from before course collections had its worksheets in the root.
    old = _document(worksheets["robot_checklist"]["title"])
    call_command("load_demo", stdout=io.StringIO())
    placed = 0
    for lesson in LessonPage.objects.live():
        course = CoursePage.objects.ancestor_of(lesson).get()
        for child in lesson.body:
            if child.block_type == "file":
                document = child.value["document"]
                assert document.collection == documents.course_collection(course), lesson
                placed += 1
    assert placed >= len(worksheets)
    old.refresh_from_db()
    assert old.collection != Collection.get_first_root_node()
    assert (
        not get_document_model()
        .objects.filter(collection=Collection.get_first_root_node())
        .exists()
    )


def test_a_forged_document_is_refused_in_a_new_lesson_too(client, scene, en):
    world, _other, author, _own, foreign, _shared = scene
    client.force_login(author)
    module = world.tree.modules[0]
    data = {
        **builders.lesson_admin_form("Новый урок", "forged", "Текст"),
        "body-count": "2",
        "body-1-deleted": "",
        "body-1-order": "1",
        "body-1-type": "file",
        "body-1-id": "",
        "body-1-value-document": str(foreign.pk),
        "body-1-value-title": "",
        "body-1-value-description": "",
        "action-publish": "1",
    }
    url = reverse("wagtailadmin_pages:add", args=["courses", "lessonpage", module.pk])
    response = client.post(url, data)
    assert response.status_code == 200
    assert _says(documents.NOT_CHOOSABLE, _body_error(response))
    assert not LessonPage.objects.filter(slug="forged").exists()
