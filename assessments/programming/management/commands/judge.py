"""`manage.py judge FILE --language python|cpp --json`: run one program once in the sandbox,
as judging does, and print what happened. For operators checking a new server."""

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from assessments.programming import cgroups, sandbox
from assessments.programming.models import ProgrammingLanguage


class Command(BaseCommand):
    help = "Run one program once in the sandbox and print the verdict."

    def add_arguments(self, parser):
        parser.add_argument("file", help="the program's source")
        parser.add_argument("--language", required=True, help="a language code: python, cpp")
        parser.add_argument("--input", help="a file given to the program as its input")
        parser.add_argument("--time-limit", type=float, default=1.0, help="CPU seconds")
        parser.add_argument("--memory-limit", type=int, default=256, help="MB")
        parser.add_argument("--output-limit", type=int, default=1024, help="KB")
        parser.add_argument("--json", action="store_true", help="print the result as JSON")

    def handle(self, *args, **options):
        row = ProgrammingLanguage.objects.filter(code=options["language"]).first()
        if row is None:
            known = ", ".join(ProgrammingLanguage.objects.values_list("code", flat=True))
            raise CommandError(f"Unknown language {options['language']!r} (known: {known}).")
        try:
            source = Path(options["file"]).read_bytes()
            stdin = Path(options["input"]).read_bytes() if options["input"] else b""
        except OSError as error:
            raise CommandError(str(error)) from None
        limits = sandbox.Limits(
            time_s=options["time_limit"],
            memory_mb=options["memory_limit"],
            output_kb=options["output_limit"],
        )
        result = sandbox.run(row.runtime(), source, stdin, limits)
        if options["json"]:
            self.stdout.write(json.dumps(result.as_json(), ensure_ascii=False))
        else:
            self.stdout.write(
                f"{result.verdict}  time {result.time_s:.3f} s  wall {result.wall_s:.3f} s  "
                f"memory {result.memory_kb} KB  exit {result.exit_code}  signal {result.signal}"
                f"  (cgroups: {cgroups.mode()})"
            )
            if result.message:
                self.stdout.write(result.message)
            stderr = result.stderr.decode("utf-8", "replace")
            for name, text in (("compiler", result.compile_output), ("stderr", stderr)):
                if text:
                    self.stdout.write(f"--- {name}\n{text}")
            if result.stdout:
                self.stdout.write("--- stdout")
                sys.stdout.write(result.stdout.decode("utf-8", "replace"))
