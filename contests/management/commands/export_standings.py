"""python manage.py export_standings SLUG [--category C] [--frozen] --format csv|xlsx
[--output FILE]

Writes a contest's standings as the page shows them (contests.standings_export: the columns
rank, participant, category, solved, penalty, score and one per task). By default the jury's
board: live, full names. --frozen: the public's board with the freeze applied, as it stood
while frozen (first name, initial, school; the runs of the freeze shown as "?"), even after
the jury unfroze it. CSV goes to standard output unless --output is given (without the BOM
there; a file gets the BOM, for Excel); XLSX needs --output."""

from __future__ import annotations

from copy import copy
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from contests import standings, standings_export
from contests.models import Contest

BOM = "\ufeff"


class Command(BaseCommand):
    help = (
        "Write a contest's standings as CSV or XLSX: by default the jury's live board with "
        "full names; with --frozen the public's frozen board (public names, the freeze's runs "
        "hidden), as it stood before the jury unfroze it. CSV to standard output unless "
        "--output is given."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug", help="the contest's short name (as in its address)")
        parser.add_argument("--category", help="a category's name (default: everyone)")
        parser.add_argument(
            "--frozen",
            action="store_true",
            help="the public's frozen board instead of the jury's live one",
        )
        parser.add_argument("--format", choices=standings_export.FORMATS, required=True)
        parser.add_argument("--output", help="write to this file (CSV: default standard output)")

    def handle(self, *args, **options) -> None:
        contest = Contest.objects.filter(slug=options["slug"]).first()
        if contest is None:
            raise CommandError(_("There is no contest “%(slug)s”.") % {"slug": options["slug"]})
        category_id = self._category(contest, options["category"])
        fmt, output = options["format"], options["output"]
        if fmt == "xlsx" and not output:
            raise CommandError(_("An XLSX file needs --output FILE."))
        if options["frozen"]:
            # The public's board with the freeze applied, whether or not it was lifted since.
            as_frozen = copy(contest)
            as_frozen.unfrozen_at = None
            board = standings.compute(
                as_frozen,
                category_id=category_id,
                jury=False,
                frozen=as_frozen.freeze_at() is not None,
            )
        else:
            board = standings.compute(contest, category_id=category_id, jury=True)
        content, _type = standings_export.render(board, fmt, title=contest.title)
        if output:
            try:
                Path(output).write_bytes(content)
            except OSError as error:
                raise CommandError(
                    _("Cannot write %(file)s: %(error)s") % {"file": output, "error": error}
                ) from None
            count = len(board.rows)
            self.stderr.write(
                ngettext(
                    "%(count)s participant written to %(file)s",
                    "%(count)s participants written to %(file)s",
                    count,
                )
                % {"count": count, "file": output}
            )
            return
        self.stdout.write(content.decode("utf-8").removeprefix(BOM), ending="")

    def _category(self, contest: Contest, name: str | None) -> int | None:
        if not name:
            return None
        categories = list(contest.categories.all())
        for category in categories:
            if category.name == name:
                return category.pk
        for category in categories:  # forgiving about case and spaces
            if category.name.casefold().strip() == name.casefold().strip():
                return category.pk
        known = ", ".join(f"“{c.name}”" for c in categories)
        if not known:
            raise CommandError(
                _("The contest “%(slug)s” has no categories.") % {"slug": contest.slug}
            )
        raise CommandError(
            _("The contest “%(slug)s” has no category “%(name)s”; its categories: %(known)s.")
            % {"slug": contest.slug, "name": name, "known": known}
        )
