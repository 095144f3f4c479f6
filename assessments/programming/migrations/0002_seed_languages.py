"""The language table starts with Python 3 and C++17 (languages.DEFAULTS); operators add more
as rows."""

from dataclasses import asdict

from django.db import migrations


def seed(apps, schema_editor):
    from assessments.programming.languages import DEFAULTS

    ProgrammingLanguage = apps.get_model("programming", "ProgrammingLanguage")
    for language in DEFAULTS:
        fields = asdict(language)
        code = fields.pop("code")
        for key in ("run_command", "compile_command", "mounts", "extensions"):
            fields[key] = list(fields[key])
        ProgrammingLanguage.objects.update_or_create(code=code, defaults=fields)


class Migration(migrations.Migration):
    dependencies = [("programming", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
