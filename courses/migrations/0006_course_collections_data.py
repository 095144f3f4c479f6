"""Existing courses get their document collection, their authors' document permissions move
from the root collection to it, and documents used only by one course's pages move into that
course's collection (documents used by several courses, by other pages, or by none stay in
the root collection, where the park-wide download rule applies).

Historical models have no treebeard methods, so child paths are made here as treebeard makes
them (steps of four base-36 digits)."""

from django.db import migrations

STEPLEN = 4
ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
DOCUMENT_PERMISSIONS = ("add_document", "choose_document")


def _step(number: int) -> str:
    digits = ""
    while number:
        number, digit = divmod(number, len(ALPHABET))
        digits = ALPHABET[digit] + digits
    return digits.rjust(STEPLEN, "0")


def _add_child(Collection, parent_id: int, name: str):
    parent = Collection.objects.get(pk=parent_id)
    last = (
        Collection.objects.filter(depth=parent.depth + 1, path__startswith=parent.path)
        .order_by("-path")
        .values_list("path", flat=True)
        .first()
    )
    number = int(last[-STEPLEN:], 36) + 1 if last else 1
    child = Collection.objects.create(
        name=name, path=parent.path + _step(number), depth=parent.depth + 1, numchild=0
    )
    parent.numchild += 1
    parent.save(update_fields=["numchild"])
    return child


def _collections_for_courses(apps, root) -> dict[str, int]:
    """{course path: collection id}, making the missing collections."""
    CoursePage = apps.get_model("courses", "CoursePage")
    CourseCollection = apps.get_model("courses", "CourseCollection")
    Collection = apps.get_model("wagtailcore", "Collection")
    found = {}
    for course in CoursePage.objects.order_by("path"):
        link = CourseCollection.objects.filter(course_id=course.pk).first()
        if link is None:
            collection = _add_child(Collection, root.pk, course.title[:255])
            link = CourseCollection.objects.create(course_id=course.pk, collection=collection)
        found[course.path] = link.collection_id
    return found


def _move_author_permissions(apps, collections: dict[int, int]) -> None:
    """collections: {course id: collection id}."""
    CourseAuthorsGroup = apps.get_model("courses", "CourseAuthorsGroup")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    Permission = apps.get_model("auth", "Permission")
    permissions = list(
        Permission.objects.filter(
            content_type__app_label="wagtaildocs", codename__in=DOCUMENT_PERMISSIONS
        )
    )
    for link in CourseAuthorsGroup.objects.all():
        own = collections.get(link.course_id)
        if own is None:
            continue
        GroupCollectionPermission.objects.filter(
            group_id=link.group_id, permission__content_type__app_label="wagtaildocs"
        ).exclude(collection_id=own).delete()
        for permission in permissions:
            GroupCollectionPermission.objects.get_or_create(
                group_id=link.group_id, collection_id=own, permission=permission
            )


def _move_single_course_documents(apps, root, by_path: dict[str, int]) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    Document = apps.get_model("wagtaildocs", "Document")
    Page = apps.get_model("wagtailcore", "Page")
    ReferenceIndex = apps.get_model("wagtailcore", "ReferenceIndex")
    document_type = ContentType.objects.filter(app_label="wagtaildocs", model="document").first()
    page_type = ContentType.objects.filter(app_label="wagtailcore", model="page").first()
    if document_type is None or page_type is None or not by_path:
        return
    depth = len(next(iter(by_path)))  # every course sits at the same depth (catalogue child)
    for document in Document.objects.filter(collection_id=root.pk):
        page_ids = ReferenceIndex.objects.filter(
            to_content_type=document_type,
            to_object_id=str(document.pk),
            base_content_type=page_type,
        ).values_list("object_id", flat=True)
        paths = Page.objects.filter(pk__in=[int(pk) for pk in page_ids]).values_list(
            "path", flat=True
        )
        targets = {by_path.get(path[:depth]) for path in paths}
        if len(targets) == 1 and None not in targets:
            document.collection_id = targets.pop()
            document.save(update_fields=["collection"])


def forwards(apps, schema_editor) -> None:
    Collection = apps.get_model("wagtailcore", "Collection")
    CourseCollection = apps.get_model("courses", "CourseCollection")
    root = Collection.objects.filter(depth=1).order_by("path").first()
    if root is None:
        return
    by_path = _collections_for_courses(apps, root)
    by_course = dict(CourseCollection.objects.values_list("course_id", "collection_id"))
    _move_author_permissions(apps, by_course)
    _move_single_course_documents(apps, root, by_path)


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("courses", "0005_course_collections"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtaildocs", "0014_alter_document_file_size"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
