"""python manage.py import_gift PATH --course SLUG [--category PATH] [--dry-run]
[--skip-invalid] [--json]"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from assessments.quiz.importing import import_gift
from courses.models import CoursePage


class Command(BaseCommand):
    help = "Import a Moodle GIFT file into a course's question bank."

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--course", help="the course's slug; without it: the park-wide bank")
        parser.add_argument("--category", default="", help='a category path, "Robotics/Sensors"')
        parser.add_argument("--dry-run", action="store_true", help="check only, import nothing")
        parser.add_argument(
            "--skip-invalid", action="store_true", help="import the valid questions anyway"
        )
        parser.add_argument("--json", action="store_true", help="print the report as JSON")

    def handle(self, *args, **options):
        course = None
        if options["course"]:
            course = CoursePage.objects.filter(slug=options["course"]).first()
            if course is None:
                raise CommandError(
                    _("No course with the slug “%(slug)s”.") % {"slug": options["course"]}
                )
        try:
            data = Path(options["path"]).read_bytes()
        except OSError as error:
            raise CommandError(
                _("Cannot read %(path)s: %(error)s")
                % {"path": options["path"], "error": error.strerror}
            ) from None
        report = import_gift(
            data,
            course,
            None,
            category=options["category"],
            dry_run=options["dry_run"],
            skip_invalid=options["skip_invalid"],
        )
        if options["json"]:
            self.stdout.write(json.dumps(report.as_json(), ensure_ascii=False, indent=2))
        else:
            for issue in report.errors:
                self.stderr.write(
                    _("line %(line)d: %(message)s") % {"line": issue.line, "message": issue.message}
                )
            for issue in report.warnings:
                self.stdout.write(
                    _("line %(line)d (warning): %(message)s")
                    % {"line": issue.line, "message": issue.message}
                )
            by_type = ", ".join(f"{k}: {v}" for k, v in sorted(report.by_type.items()))
            self.stdout.write(
                ngettext(
                    "Imported %(n)d question (%(types)s).",
                    "Imported %(n)d questions (%(types)s).",
                    report.imported,
                )
                % {"n": report.imported, "types": by_type or "—"}
            )
        if report.errors and not (options["skip_invalid"] or options["dry_run"]):
            raise CommandError(_("Nothing was imported: fix the errors, or use --skip-invalid."))
