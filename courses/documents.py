"""Documents of courses: each course keeps its files (worksheets, video files) in a Wagtail
collection of its own.

* Its authors may choose and upload documents there only (courses/authoring.py grants the
  collection permissions), so the document chooser of one course never lists another's files.
* A document in course X's collection is downloaded only by readers of a live lesson of X that
  uses it, by catalogue staff and by X's authors: placing it in another course's lesson gives
  nothing (`can_download_document`).
* A lesson body that names a document its editor may not choose (a forged POST), or a document
  of another course, is refused on save (`LessonPageForm`).

Images stay park-wide: they are public pictures, served without a check."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.blocks import StreamBlockValidationError, StructBlockValidationError
from wagtail.models import Collection

from lms import permissions

NOT_CHOOSABLE = _(
    "You may not use this file: it is not among the files you may choose. Choose one of this "
    "course's files or upload a new one."
)
OTHER_COURSE = _(
    "This file belongs to another course, so the pupils of this lesson could not download it. "
    "Upload a copy to this course's files."
)


# --- the collection of a course -----------------------------------------------------------------


def _collection_name(course) -> str:
    return course.title[:255]


@transaction.atomic
def course_collection(course) -> Collection:
    """The course's document collection, made under the root collection on first use."""
    from courses.models import CourseCollection

    link = CourseCollection.objects.select_related("collection").filter(course=course).first()
    if link is not None:
        return link.collection
    root = Collection.get_first_root_node() or Collection.add_root(name="Root")
    collection = root.add_child(name=_collection_name(course))
    CourseCollection.objects.create(course=course, collection=collection)
    return collection


def rename_course_collection(course) -> None:
    """Keep the collection's name (shown in the admin) equal to the course's title."""
    from courses.models import CourseCollection

    Collection.objects.filter(
        pk__in=CourseCollection.objects.filter(course=course).values("collection_id")
    ).exclude(name=_collection_name(course)).update(name=_collection_name(course))


def course_of_collection(collection_id: int | None) -> int | None:
    """The id of the course whose collection this is (or lies in), else None."""
    from courses.models import CourseCollection

    path = Collection.objects.filter(pk=collection_id).values_list("path", flat=True).first()
    if not path:
        return None
    step = Collection.steplen
    prefixes = [path[:end] for end in range(step, len(path) + 1, step)]
    return (
        CourseCollection.objects.filter(collection__path__in=prefixes)
        .order_by("-collection__depth")
        .values_list("course_id", flat=True)
        .first()
    )


# --- who may download ---------------------------------------------------------------------------


def _pages_using(document) -> list[int]:
    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import Page, ReferenceIndex

    page_type = ContentType.objects.get_for_model(Page)
    ids = (
        ReferenceIndex.get_references_to(document)
        .filter(base_content_type=page_type)
        .values_list("object_id", flat=True)
    )
    return [int(pk) for pk in ids]


def _may_open_a_lesson(user, lessons) -> bool:
    """Whether the user may open one of these live lessons (course / module / lesson paths)."""
    from wagtail.models import Page

    lessons = list(lessons)
    if not lessons:
        return False
    module_paths = {lesson.path[: -Page.steplen] for lesson in lessons}
    course_paths = {path[: -Page.steplen] for path in module_paths}
    ids = dict(Page.objects.filter(path__in=module_paths | course_paths).values_list("path", "pk"))
    for lesson in lessons:
        module_path = lesson.path[: -Page.steplen]
        course_id, module_id = ids.get(module_path[: -Page.steplen]), ids.get(module_path)
        if course_id and module_id and permissions.can_view_lesson(user, course_id, module_id):
            return True
    return False


def _park_wide_rule(user, document) -> bool:
    """A document outside every course's collection: whoever may open a live page using it
    (for a lesson, whoever may open the lesson); unused, it is for catalogue staff only."""
    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import Page

    from courses.models import LessonPage

    pages = Page.objects.live().public().filter(pk__in=_pages_using(document))
    lesson_type = ContentType.objects.get_for_model(LessonPage)
    if pages.exclude(content_type=lesson_type).exists():
        return True  # used on a public page (home, course overview, information page)
    return _may_open_a_lesson(user, pages.filter(content_type=lesson_type).order_by("path"))


def can_download_document(user, document) -> bool:
    """Who may download a document (Wagtail's serve view asks through `before_serve_document`).
    Same signature as lms.permissions.can_download_document, which delegates here."""
    if permissions.is_catalogue_staff(user):
        return True
    course_id = course_of_collection(document.collection_id)
    if course_id is None:
        return _park_wide_rule(user, document)
    if course_id in permissions.authored_course_ids(user):
        return True
    from courses.models import CoursePage, LessonPage

    course_path = CoursePage.objects.filter(pk=course_id).values_list("path", flat=True).first()
    if course_path is None:
        return False
    lessons = (
        LessonPage.objects.live()
        .public()
        .filter(pk__in=_pages_using(document), path__startswith=course_path)
        .only("path")
        .order_by("path")
    )
    return _may_open_a_lesson(user, lessons)


# --- refusing documents on save -----------------------------------------------------------------


def _document_ids_by_block(body) -> dict[int, dict[str, int]]:
    """{block index: {field name: document id}} for the documents a stream names."""
    from wagtail.documents import get_document_model

    document_model = get_document_model()
    found: dict[int, dict[str, int]] = {}
    for index, child in enumerate(body or []):
        for model, object_id, _path, content_path in child.block.extract_references(child.value):
            if issubclass(model, document_model):
                found.setdefault(index, {})[content_path.split(".")[0]] = int(object_id)
    return found


def _document_ids(body) -> set[int]:
    return {pk for fields in _document_ids_by_block(body).values() for pk in fields.values()}


def body_document_error(
    user, course_id: int | None, body, kept: set[int]
) -> StreamBlockValidationError | None:
    """A StreamBlockValidationError for the documents of `body` the user may not place in a
    lesson of this course, or None. Documents in `kept` (already in the lesson) stay allowed:
    a methodologist may have placed them."""
    from wagtail.documents import get_document_model
    from wagtail.permissions import policy_registry

    permission_policy = policy_registry.get_by_type(get_document_model())
    found = _document_ids_by_block(body)
    new_ids = _document_ids(body) - kept
    if not new_ids:
        return None
    choosable = set()
    if user is not None:
        choosable = set(
            permission_policy.instances_user_has_any_permission_for(user, ["choose"])
            .filter(pk__in=new_ids)
            .values_list("pk", flat=True)
        )
    collections = dict(
        get_document_model().objects.filter(pk__in=new_ids).values_list("pk", "collection_id")
    )
    block_errors = {}
    for index, fields in found.items():
        errors = {}
        for name, pk in fields.items():
            if pk in kept:
                continue
            if user is not None and pk not in choosable:
                errors[name] = ValidationError(NOT_CHOOSABLE, code="not_choosable")
            elif course_of_collection(collections.get(pk)) not in (None, course_id):
                errors[name] = ValidationError(OTHER_COURSE, code="other_course")
        if "" in errors:  # a chooser straight in the stream, not inside a struct block
            block_errors[index] = errors[""]
        elif errors:
            block_errors[index] = StructBlockValidationError(block_errors=errors)
    return StreamBlockValidationError(block_errors=block_errors) if block_errors else None


class LessonPageForm(WagtailAdminPageForm):
    """The admin form of lessons: refuses documents the editor may not choose."""

    def clean(self):
        cleaned_data = super().clean()
        body = cleaned_data.get("body")
        if body is None:
            return cleaned_data
        from courses.models import CoursePage

        anchor = self.instance if self.instance.pk else self.parent_page
        course = CoursePage.objects.ancestor_of(anchor, inclusive=True).first() if anchor else None
        # The lesson as last saved (this form's data is not on it yet).
        kept = _document_ids(self.instance.body) if self.instance.pk else set()
        error = body_document_error(self.for_user, course.pk if course else None, body, kept)
        if error is not None:
            self.add_error("body", error)
        return cleaned_data
