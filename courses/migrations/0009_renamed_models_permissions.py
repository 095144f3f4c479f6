"""The renamed models' permissions follow their new names (add_enrollment → add_enrolment,
add_catalogpage → add_cataloguepage, ...), so that each rename leaves one set, grants kept (their
names come from the verbose names, which did not change). On a new database there is nothing to
do: post_migrate creates them under the new names."""

from django.db import migrations

ACTIONS = ("add", "change", "delete", "view")
RENAMED = (("enrollment", "enrolment"), ("catalogpage", "cataloguepage"))


def rename(apps, old: str, new: str, model: str) -> None:
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    content_type = ContentType.objects.filter(app_label="courses", model=model).first()
    if content_type is None:
        return
    for action in ACTIONS:
        kept = Permission.objects.filter(content_type=content_type, codename=f"{action}_{old}")
        if Permission.objects.filter(content_type=content_type, codename=f"{action}_{new}").exists():
            continue
        kept.update(codename=f"{action}_{new}")


def forwards(apps, schema_editor):
    for old, new in RENAMED:
        rename(apps, old, new, model=new)


def backwards(apps, schema_editor):
    # Migrating back, 0008 renames the content types back after this runs.
    for old, new in RENAMED:
        rename(apps, new, old, model=new)


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0008_british_spelling"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
