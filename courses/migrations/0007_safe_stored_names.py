"""Files handed in (and feedback files) stored before stored names were made safe kept the
pupil's extension: a page.html under submissions/ would be rendered by a web server that
exposed /media/. Each such file is copied to the same name ending in .txt, its rows updated,
then the old file deleted. Idempotent: renamed rows no longer match; a file already gone is
left alone (its row still points at it, as before) and logged.

It lives here, not in assessments, because it is part of the /media/ fix of the course files
(courses/documents.py, cms/media.py); it only reads and writes two assessments tables."""

import logging

from django.core.files.storage import default_storage
from django.db import migrations, transaction

log = logging.getLogger(__name__)

# Frozen copy of assessments.uploads._NEVER_STORED_EXTENSIONS as of this migration.
UNSAFE = frozenset(
    {"html", "htm", "xhtml", "xht", "shtml", "shtm", "svg", "svgz", "xml", "xsl", "xslt"}
    | {"js", "mjs", "cjs", "css", "wasm", "swf", "hta", "htc", "mht", "mhtml"}
    | {"php", "php3", "php4", "php5", "php7", "phtml", "phar", "asp", "aspx", "jsp", "cgi"}
    | {"pl", "sh", "exe", "bat", "cmd", "vbs", "ps1"}
)


def unsafe(name: str) -> bool:
    base = name.rsplit("/", 1)[-1].lower()
    return "." in base and base.rsplit(".", 1)[1] in UNSAFE


def safe_name(name: str) -> str:
    return name.rsplit(".", 1)[0] + ".txt"


def rename_unsafe_files(model, storage=default_storage) -> int:
    """Rename the stored files of `model` (SubmissionFile or GradeFile rows); returns how many.
    Later attempts share their files with earlier ones, so one copy serves every row."""
    names = sorted(
        {name for name in model.objects.values_list("file", flat=True).distinct() if name}
    )
    renamed = 0
    for old in filter(unsafe, names):
        if not storage.exists(old):
            log.warning("Stored file missing, not renamed: %s", old)
            continue
        with storage.open(old, "rb") as source:
            new = storage.save(safe_name(old), source)  # the storage may add a suffix: still .txt
        with transaction.atomic():
            model.objects.filter(file=old).update(file=new)
        storage.delete(old)
        renamed += 1
    return renamed


def forwards(apps, schema_editor) -> None:
    for name in ("SubmissionFile", "GradeFile"):
        rename_unsafe_files(apps.get_model("assessments", name))


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0006_course_collections_data"),
        ("assessments", "0004_grade_files"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
