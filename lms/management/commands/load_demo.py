"""Load the demo technopark: two schools, three courses of real lessons, users and progress.

Idempotent: a second run finds everything in place and changes nothing."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from lms.demo import catalogue, people, work


class Command(BaseCommand):
    help = "Create the demo technopark (development only; production settings refuse it)."

    def handle(self, *args, **options):
        if not getattr(settings, "DEMO_CONTENT_ALLOWED", False):
            raise CommandError(
                "Demo content is disabled in these settings (DEMO_CONTENT_ALLOWED is False): "
                "it creates accounts with a known password."
            )
        with transaction.atomic():
            found = people.ensure_people()
            courses = catalogue.ensure_catalogue()
            catalogue.ensure_enrollments(found, courses)
            catalogue.ensure_sharing(found, courses)
            catalogue.ensure_invites(found)
            work.ensure_work(found, courses)
            catalogue.ensure_progress(found, courses)
        self.stdout.write(self.style.SUCCESS("Demo technopark is ready: http://127.0.0.1:8000/"))
        self.stdout.write(f"All demo accounts use the password: {people.DEMO_PASSWORD}")
        rows = [(u, d) for u, d, *_ in people.STAFF] + [
            (f"pupil{n}", name) for n, name in enumerate(people.PUPIL_NAMES, start=1)
        ]
        for username, display in rows:
            self.stdout.write(f"  {username:<14} {display}")
        codes = ", ".join(code for code, *_ in catalogue.DEMO_INVITES)
        self.stdout.write(f"Invite codes: {codes} (open /join/ as a pupil)")
