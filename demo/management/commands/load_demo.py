"""Load the demo technopark from demo/content/: two schools, three courses of real lessons,
users, progress and pupils' work, the park's events and contests.

Idempotent: a second run finds everything in place and changes nothing."""

import os

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from demo import catalogue, manifests, people, programming, quizzes, teaching, work
from demo import contests as demo_contests
from demo import events as demo_events


def site_url() -> str:
    """Where `make run` serves the site: the Makefile passes its HOST and PORT to this command
    (the same values it gives runserver); without them, runserver's defaults."""
    host = os.environ.get("HOST") or "127.0.0.1"
    port = os.environ.get("PORT") or "8000"
    if ":" in host and not host.startswith("["):
        host = f"[{host}]"  # an IPv6 address
    return f"http://{host}:{port}/"


class Command(BaseCommand):
    help = "Create the demo technopark (development only; production settings refuse it)."

    def handle(self, *args, **options):
        if not getattr(settings, "DEMO_CONTENT_ALLOWED", False):
            raise CommandError(
                "Demo content is disabled in these settings (DEMO_CONTENT_ALLOWED is False): "
                "it creates accounts with a known password."
            )
        # Read and check every file before writing anything: a typo names its file and line.
        problems = manifests.problems() + quizzes.gift_problems(manifests.quizzes())
        problems += programming.package_problems(programming.manifest())
        problems += demo_events.problems() + demo_contests.problems()
        if problems:
            raise CommandError("The demo content has problems:\n  " + "\n  ".join(problems))
        people_data, teaching_data = manifests.people(), manifests.teaching()
        # Visitors' e-mails go out when the transaction commits: kept in memory, not printed.
        with demo_events.mail_kept(), transaction.atomic():
            found = people.ensure_people(people_data)
            courses = catalogue.ensure_catalogue(
                manifests.site(), manifests.courses(), manifests.images(), manifests.documents()
            )
            teaching.ensure_enrolments(teaching_data, found, courses)
            teaching.ensure_sharing(teaching_data, found, courses)
            teaching.ensure_invites(teaching_data, found)
            work.ensure_work(manifests.work(), found, courses)
            quizzes.ensure_quizzes(manifests.quizzes(), found, courses)
            programming.ensure_programming(programming.manifest(), found, courses)
            teaching.ensure_progress(teaching_data, found, courses)
            events = demo_events.ensure_events(demo_events.manifest(), found, courses)
            contests = demo_contests.ensure_contests(demo_contests.manifest(), found, courses)
        self.stdout.write(self.style.SUCCESS(f"Demo technopark is ready: {site_url()}"))
        self.stdout.write(f"All demo accounts use the password: {people_data['password']}")
        for username, display in people.logins(people_data):
            self.stdout.write(f"  {username:<14} {display}")
        self.stdout.write(demo_contests.summary_line(contests))
        self.stdout.write(demo_events.summary_line(events))
        codes = ", ".join(teaching.invite_codes(teaching_data))
        self.stdout.write(f"Invite codes: {codes} (open /join/ as a pupil)")
