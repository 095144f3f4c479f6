"""Documents of courses: each course keeps its files (worksheets, video files) in a Wagtail
collection of its own.

* Its authors may choose and upload documents there only (courses/authoring.py grants the
  collection permissions), so the document chooser of one course never lists another's files.
* A document in course X's collection is downloaded only by readers of a live lesson of X that
  uses it, by catalogue staff and by X's authors: placing it in another course's lesson gives
  nothing (courses.permissions.can_download_document).
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
