"""Per-course authors: a teacher may edit one course (and nothing else) in the Wagtail admin.

Each course gets its own auth group holding Wagtail page permissions on the course page (which
cover its modules and lessons), admin access, the park-wide image library (pictures are public)
and the course's own document collection (courses/documents.py): its authors choose and upload
documents there only. The authors of the course are the members of that group. Wagtail's own
admin then shows and enforces it."""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.db import transaction

from courses import documents
from courses.models import CourseAuthor, CourseAuthorsGroup, CoursePage

AUTHOR_PAGE_PERMISSIONS = ("add_page", "change_page", "publish_page", "lock_page", "unlock_page")
AUTHOR_IMAGE_PERMISSIONS = ("add_image", "choose_image")  # on the root collection
AUTHOR_DOCUMENT_PERMISSIONS = ("add_document", "choose_document")  # on the course's collection


def _group_name(course: CoursePage) -> str:
    return f"Course authors: {course.title}"[:140] + f" #{course.pk}"


@transaction.atomic
def authors_group(course: CoursePage) -> Group:
    """The course's authors group with its permissions (created or repaired; idempotent)."""
    from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission

    link = CourseAuthorsGroup.objects.select_related("group").filter(course=course).first()
    if link is None:
        group, _ = Group.objects.get_or_create(name=_group_name(course))
        link = CourseAuthorsGroup.objects.create(course=course, group=group)
    group = link.group
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    for permission in Permission.objects.filter(
        content_type__app_label="wagtailcore", codename__in=AUTHOR_PAGE_PERMISSIONS
    ):
        GroupPagePermission.objects.get_or_create(group=group, page=course, permission=permission)
    root = Collection.get_first_root_node()
    if root is not None:
        _grant(group, root, "wagtailimages", AUTHOR_IMAGE_PERMISSIONS)
    own = documents.course_collection(course)
    _grant(group, own, "wagtaildocs", AUTHOR_DOCUMENT_PERMISSIONS)
    # Earlier versions granted documents on the root collection: every course's files.
    GroupCollectionPermission.objects.filter(
        group=group, permission__content_type__app_label="wagtaildocs"
    ).exclude(collection=own).delete()
    return group


def _grant(group: Group, collection, app_label: str, codenames: tuple[str, ...]) -> None:
    from wagtail.models import GroupCollectionPermission

    for permission in Permission.objects.filter(
        content_type__app_label=app_label, codename__in=codenames
    ):
        GroupCollectionPermission.objects.get_or_create(
            group=group, collection=collection, permission=permission
        )


def sync_course_authors(course: CoursePage) -> None:
    """Make the authors group's members equal the course's CourseAuthor rows."""
    group = authors_group(course)
    wanted = set(CourseAuthor.objects.filter(course=course).values_list("user_id", flat=True))
    current = set(group.user_set.values_list("pk", flat=True))
    if wanted - current:
        group.user_set.add(*(wanted - current))
    if current - wanted:
        group.user_set.remove(*(current - wanted))


def add_author(course: CoursePage, user, by=None) -> CourseAuthor:
    author, _ = CourseAuthor.objects.get_or_create(
        course=course, user=user, defaults={"added_by": by}
    )
    sync_course_authors(course)
    return author


def remove_author(course: CoursePage, user) -> None:
    CourseAuthor.objects.filter(course=course, user=user).delete()
    sync_course_authors(course)
