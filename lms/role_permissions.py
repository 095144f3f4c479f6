"""What each role may do in the Wagtail admin, re-applied after every `migrate` (idempotent).

Methodologists author the whole catalogue: admin access, every page permission on the site
root, and the image and document libraries. Pupils and teachers get no admin rights here;
per-course authoring for teachers is granted per course."""

from django.contrib.auth.models import Group, Permission

from lms import roles

PAGE_PERMISSIONS = (
    "add_page",
    "change_page",
    "publish_page",
    "bulk_delete_page",
    "lock_page",
    "unlock_page",
)
COLLECTION_PERMISSIONS = {
    "wagtailimages": ("add_image", "change_image", "choose_image", "delete_image"),
    "wagtaildocs": ("add_document", "change_document", "choose_document", "delete_document"),
}


def ensure_role_permissions(**kwargs) -> None:
    from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Page

    methodologist, _ = Group.objects.get_or_create(name=roles.METHODOLOGIST)
    for name in roles.ALL_ROLES:
        Group.objects.get_or_create(name=name)

    access_admin = Permission.objects.filter(
        content_type__app_label="wagtailadmin", codename="access_admin"
    ).first()
    if access_admin is None:  # wagtailadmin's permission not created yet (first migrate run)
        return
    methodologist.permissions.add(access_admin)
    _grant_share_admin(methodologist)

    # Teachers' guardian rows are derived data; re-derive them after every migrate.
    from lms import group_permissions

    group_permissions.sync()

    for site_root in Page.objects.filter(depth=2):
        for codename in PAGE_PERMISSIONS:
            permission = Permission.objects.filter(
                content_type__app_label="wagtailcore", codename=codename
            ).first()
            if permission:
                GroupPagePermission.objects.get_or_create(
                    group=methodologist, page=site_root, permission=permission
                )

    root_collection = Collection.get_first_root_node()
    if root_collection is None:
        return
    for app_label, codenames in COLLECTION_PERMISSIONS.items():
        for permission in Permission.objects.filter(
            content_type__app_label=app_label, codename__in=codenames
        ):
            GroupCollectionPermission.objects.get_or_create(
                group=methodologist, collection=root_collection, permission=permission
            )


def connect() -> None:
    """Run once per `migrate`, after the last app's post_migrate, when every app's permissions
    (wagtailadmin's included) have been created."""
    from django.apps import apps
    from django.db.models.signals import post_migrate

    # post_migrate is sent only for apps that have models.
    last_app = [config for config in apps.get_app_configs() if config.models_module][-1]
    post_migrate.connect(ensure_role_permissions, sender=last_app, dispatch_uid="lms-role-perms")


SHARE_PERMISSIONS = (
    "add_courseshare",
    "change_courseshare",
    "delete_courseshare",
    "view_courseshare",
)
AUTHOR_PERMISSIONS = (
    "add_courseauthor",
    "change_courseauthor",
    "delete_courseauthor",
    "view_courseauthor",
)


RUBRIC_PERMISSIONS = ("add_rubric", "change_rubric", "delete_rubric", "view_rubric")


def _grant_share_admin(methodologist: Group) -> None:
    """Methodologists decide what is shared with partner schools and who co-authors a course,
    and keep the rubrics."""
    methodologist.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="courses", codename__in=SHARE_PERMISSIONS + AUTHOR_PERMISSIONS
        ),
        *Permission.objects.filter(
            content_type__app_label="assessments", codename__in=RUBRIC_PERMISSIONS
        ),
    )
