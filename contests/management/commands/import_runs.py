"""python manage.py import_runs FILE --contest SLUG [--add-participants] [--dry-run]
[--create [--rules icpc|ioi] [--title TITLE] [--starts WHEN] [--length MINUTES]
[--max-score POINTS]]

Imports the runs of a round held elsewhere (the CSV formats: contests.importing and the
README). With --create it makes the contest, its tasks and its participants from the file (an
archive of a round held elsewhere). Nothing is written when any row is wrong: every problem is
listed, with its line, and the command fails."""

from __future__ import annotations

from datetime import datetime, time
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from contests import importing
from contests.import_create import create_contest
from contests.models import Contest

_CREATE_ONLY = ("rules", "title", "starts", "length", "max_score")


def _when(text: str) -> datetime:
    """A moment typed on the command line; without a zone it is in the site's (TIME_ZONE)."""
    try:
        moment = parse_datetime(text)
        if moment is None and (day := parse_date(text)) is not None:
            moment = datetime.combine(day, time(0))
    except ValueError:
        moment = None
    if moment is None:
        raise CommandError(
            _("--starts: “%(value)s” is not a date and time such as 2026-03-01 10:00.")
            % {"value": text}
        )
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


def _points(text: str) -> Decimal:
    try:
        value = Decimal(text.replace(",", "."))
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite():
        raise CommandError(_("--max-score: “%(value)s” is not a number.") % {"value": text})
    return value


class Command(BaseCommand):
    help = "Import the runs of a round held elsewhere from CSV (ICPC verdicts or IOI scores)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="the CSV file")
        parser.add_argument("--contest", required=True, help="the contest's short name (slug)")
        parser.add_argument(
            "--add-participants",
            action="store_true",
            help="add the participants the contest does not have, named as in the file",
        )
        parser.add_argument("--dry-run", action="store_true", help="check only, write nothing")
        parser.add_argument(
            "--create",
            action="store_true",
            help="make the contest, its tasks and participants from the file (an archive)",
        )
        parser.add_argument(
            "--rules",
            choices=[Contest.Rules.ICPC, Contest.Rules.IOI],
            help="with --create; default: ioi if the file has a score column, else icpc",
        )
        parser.add_argument("--title", help="with --create; default: the slug")
        parser.add_argument(
            "--starts",
            help="with --create: when the round started, e.g. '2026-03-01 10:00' "
            "(the site's time zone unless given); default: it ended now",
        )
        parser.add_argument(
            "--length",
            type=int,
            help="with --create: the round's length in minutes; default: the whole hours "
            "that hold the latest run",
        )
        parser.add_argument(
            "--max-score", help="with --create, IOI: each task's points (default 100)"
        )

    def handle(self, *args, **options) -> None:
        path = options["file"]
        try:
            data = Path(path).read_bytes()
        except OSError as error:
            raise CommandError(
                _("Cannot read %(path)s: %(error)s") % {"path": path, "error": error.strerror}
            ) from None
        if len(data) > importing.max_bytes():
            raise CommandError(
                _("The file is too large: at most %(max)d MB.")
                % {"max": importing.max_bytes() // (1024 * 1024)}
            )
        try:
            results = importing.read(data)
        except importing.ImportFileError as error:
            raise CommandError(str(error)) from None
        slug = options["contest"]
        if options["create"]:
            plan = create_contest(
                results,
                slug=slug,
                title=options["title"] or "",
                rules=options["rules"],
                starts_at=_when(options["starts"]) if options["starts"] else None,
                length_minutes=options["length"],
                max_score=_points(options["max_score"]) if options["max_score"] else Decimal(100),
                dry_run=options["dry_run"],
            )
        else:
            given = [
                f"--{name.replace('_', '-')}" for name in _CREATE_ONLY if options[name] is not None
            ]
            if given:
                raise CommandError(
                    _("%(options)s: only with --create.") % {"options": ", ".join(given)}
                )
            contest = Contest.objects.filter(slug=slug).first()
            if contest is None:
                raise CommandError(
                    _("No contest “%(slug)s” (add --create to make it from the file).")
                    % {"slug": slug}
                )
            plan = importing.import_runs(
                contest,
                results,
                create_participants=options["add_participants"],
                dry_run=options["dry_run"],
            )
        for issue in plan.warnings:
            self.stdout.write(_("warning: %(issue)s") % {"issue": issue})
        if not plan.ok:
            raise CommandError("\n".join([_("Nothing was imported:"), *plan.messages()]))
        if plan.written and options["create"]:
            self.stdout.write(
                _("Contest “%(slug)s” made: %(title)s.")
                % {"slug": plan.contest.slug, "title": plan.contest.title}
            )
        self.stdout.write(self._summary(plan, options["dry_run"]))

    def _summary(self, plan: importing.Plan, dry_run: bool) -> str:
        figures = {
            "rows": plan.rows,
            "runs": len(plan.runs) if dry_run else plan.added,
            "already": plan.already_imported,
            "duplicates": plan.duplicates,
            "participants": len(plan.new_participants),
            "tasks": len(plan.new_tasks),
        }
        if dry_run:
            text = _(
                "Checked, nothing written. Rows: %(rows)d; runs to add: %(runs)d; already "
                "imported: %(already)d; duplicate rows skipped: %(duplicates)d; participants "
                "to create: %(participants)d; tasks to create: %(tasks)d."
            )
        else:
            text = _(
                "Rows: %(rows)d; runs added: %(runs)d; already imported: %(already)d; "
                "duplicate rows skipped: %(duplicates)d; participants created: "
                "%(participants)d; tasks created: %(tasks)d."
            )
        return text % figures
