"""`manage.py import_problem PATH.zip --course SLUG | --park [--dry-run] [--json]`: read a
problem package as the admin's import does and store it (its reference is then checked).
Errors and warnings are printed; the exit status is 1 when there are errors."""

import json
import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from assessments.programming.admin.import_views import import_package
from courses.models import CoursePage


class Command(BaseCommand):
    help = "Import a programming problem from a zip package."

    def add_arguments(self, parser):
        parser.add_argument("path", help="the package (zip)")
        where = parser.add_mutually_exclusive_group(required=True)
        where.add_argument("--course", help="the course's slug")
        where.add_argument("--park", action="store_true", help="the park-wide archive")
        parser.add_argument("--dry-run", action="store_true", help="read and check, save nothing")
        parser.add_argument("--json", action="store_true", help="print the result as JSON")

    def handle(self, *args, **options):
        course = None
        if options["course"]:
            course = CoursePage.objects.filter(slug=options["course"]).first()
            if course is None:
                raise CommandError(f"No course with the slug {options['course']!r}.")
        path = Path(options["path"])
        try:
            size = path.stat().st_size
            if size > settings.LMS_PROBLEM_PACKAGE_MAX_BYTES:
                problem, errors, warnings = None, [f"The file is too large: {size} bytes."], []
            else:
                with path.open("rb") as data:
                    problem, errors, warnings = import_package(
                        data, course=course, by=None, dry_run=options["dry_run"]
                    )
        except OSError as error:
            raise CommandError(str(error)) from None
        if options["json"]:
            out = {
                "ok": not errors,
                "problem": problem.pk if problem else None,
                "title": problem.title if problem else None,
                "errors": errors,
                "warnings": warnings,
            }
            self.stdout.write(json.dumps(out, ensure_ascii=False))
        else:
            for warning in warnings:
                self.stdout.write(f"warning: {warning}")
            for error in errors:
                self.stderr.write(f"error: {error}")
            if problem is not None:
                self.stdout.write(f"Imported problem #{problem.pk}: {problem.title}")
            elif not errors:
                self.stdout.write("The package is fine (dry run: nothing saved).")
        if errors:
            sys.exit(1)
