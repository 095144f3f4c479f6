"""Load a benchmark region: the size of a region of technoparks, for measuring pages at scale."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from demo.benchmark_data import region
from demo.benchmark_data.names import LOGIN_PREFIX, SCHOOL_MARK


def positive(text: str) -> int:
    value = int(text)
    if value < 0:
        raise ValueError(text)
    return value


class Command(BaseCommand):
    help = (
        "Build a benchmark region: host parks and partner schools, their teachers (with the "
        "per-group permissions the app grants them), groups of about 50 pupils, enrolments in "
        "three benchmark courses (made once through Wagtail's page tree, with quizzes, projects "
        "with a rubric and programming exercises), lesson progress, quiz attempts, code "
        "submissions with verdicts, projects with grades and notifications, spread over the "
        "last four months. Rows are written with COPY on PostgreSQL and batched INSERTs "
        "elsewhere, one transaction per chunk of about 2,000 pupils. "
        f"Logins start with '{LOGIN_PREFIX}', school names end with '{SCHOOL_MARK.strip()}'. "
        "Every account gets the same password, "
        f"'{region.PASSWORD}', hashed once and reused (hashing it for each of 100,000 "
        "accounts would take hours). Refused if a benchmark region is already there, unless "
        "--replace is given. Development and benchmark databases only."
    )

    def add_arguments(self, parser):
        parser.add_argument("--schools", type=positive, default=100, help="default 100")
        parser.add_argument("--groups", type=positive, default=2000, help="default 2000")
        parser.add_argument("--pupils", type=positive, default=100_000, help="default 100000")
        parser.add_argument(
            "--submissions",
            type=positive,
            default=1_000_000,
            help="submissions of all kinds (projects, quiz attempts, code); default 1000000",
        )
        parser.add_argument("--seed", type=int, default=2026, help="same seed, same region")
        parser.add_argument(
            "--batch-size",
            type=positive,
            default=10_000,
            help="rows per COPY or INSERT batch (default 10000)",
        )
        parser.add_argument(
            "--replace",
            action="store_true",
            help="delete an existing benchmark region first (the courses are kept and reused)",
        )

    def handle(self, *args, **options):
        if not getattr(settings, "DEMO_CONTENT_ALLOWED", False):
            raise CommandError(
                "Benchmark data is disabled in these settings (DEMO_CONTENT_ALLOWED is False): "
                "it creates accounts with a known password."
            )
        sizes = region.Sizes(
            schools=options["schools"],
            groups=options["groups"],
            pupils=options["pupils"],
            submissions=options["submissions"],
            seed=options["seed"],
            batch_size=max(options["batch_size"], 100),
        )
        if not sizes.schools or not sizes.groups:
            raise CommandError("--schools and --groups must be at least 1.")
        found = region.existing()
        if found and not options["replace"]:
            raise CommandError(
                "A benchmark region is already in this database "
                f"({found['schools']:,} schools, {found['accounts']:,} accounts). Run again "
                "with --replace to delete it and load a new one, or use a fresh database."
            )
        say = self.stdout.write
        if found:
            region.remove(say)
        say(
            f"Loading a benchmark region: {sizes.schools:,} schools, {sizes.groups:,} groups, "
            f"{sizes.pupils:,} pupils, {sizes.submissions:,} submissions (seed {sizes.seed})."
        )
        try:
            counts = region.load(sizes, say)
        except region.ChunkFailed as error:
            raise CommandError(str(error)) from error
        for table, count in sorted(counts.items()):
            say(f"  {table:<40} {count:>12,}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Benchmark region ready. Every account's password: {region.PASSWORD}"
            )
        )
