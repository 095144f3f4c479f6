"""Queue the day-before reminders (run hourly from cron; repeated runs tell nobody twice)."""

from django.core.management.base import BaseCommand

from assessments import tasks


class Command(BaseCommand):
    help = "Remind pupils of assignments due within a day that they have not handed in."

    def handle(self, *args, **options):
        result = tasks.remind_due_soon.enqueue()
        self.stdout.write(f"Queued reminders ({result.id}).")
