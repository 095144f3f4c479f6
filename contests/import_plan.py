"""What an import would do: the runs to add and every problem found, each with its line
(contests.importing builds it, the page and the command show it)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from contests.import_cells import clock
from contests.models import Contest, Participant, Task

MAX_ERRORS = 50  # problems listed; the rest are only counted


@dataclass(frozen=True)
class Issue:
    line: int | None  # None: about the whole file
    message: str

    def __str__(self) -> str:
        if self.line is None:
            return self.message
        return _("Line %(line)d: %(message)s") % {"line": self.line, "message": self.message}


@dataclass
class PlannedRun:
    line: int
    name: str  # the participant as the file names it
    participant: Participant | None  # None: made by this import
    task: Task
    time_seconds: int
    verdict: str
    score: Decimal | None

    @property
    def clock(self) -> str:
        return clock(self.time_seconds)

    def identity(self) -> tuple:
        who = self.participant.pk if self.participant is not None else ("new", self.name)
        return (who, self.task.pk, self.time_seconds, self.verdict, self.score)


@dataclass
class Plan:
    contest: Contest | None
    rows: int = 0  # rows of results in the file
    runs: list[PlannedRun] = field(default_factory=list)  # to add
    errors: list[Issue] = field(default_factory=list)  # the first MAX_ERRORS
    error_count: int = 0
    warnings: list[Issue] = field(default_factory=list)
    duplicates: int = 0
    already_imported: int = 0
    new_participants: list[str] = field(default_factory=list)
    new_tasks: list[str] = field(default_factory=list)
    hint: str = ""  # how to get past the errors, when there is one way
    added: int = 0
    written: bool = False

    @property
    def ok(self) -> bool:
        return self.error_count == 0

    @property
    def more_errors(self) -> int:
        return self.error_count - len(self.errors)

    def error(self, line: int | None, message: str) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_ERRORS:
            self.errors.append(Issue(line, message))

    def warn(self, line: int | None, message: str) -> None:
        if len(self.warnings) < MAX_ERRORS:
            self.warnings.append(Issue(line, message))

    def messages(self) -> list[str]:
        """Every listed error as text, and how many more there are."""
        lines = [str(issue) for issue in self.errors]
        if self.more_errors:
            lines.append(_("… and %(count)d more problems.") % {"count": self.more_errors})
        if self.hint:
            lines.append(self.hint)
        return lines
