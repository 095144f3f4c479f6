from django.core.management.base import BaseCommand

from events import tasks


class Command(BaseCommand):
    help = (
        "Lapse waiting-list offers that ran out (offering their places to the next), and send "
        "the day-before reminders. Run it from cron every few minutes."
    )

    def handle(self, *args, **options):
        result = tasks.run_due.enqueue()
        self.stdout.write(f"queued: {result.id}")
