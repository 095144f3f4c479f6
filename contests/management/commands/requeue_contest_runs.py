"""Queue again the contest runs a dead worker left (as the programming judge's requeue_stale,
which runs before every judging task too): for a cron line or after restarting the workers."""

from django.core.management.base import BaseCommand

from contests import judging


class Command(BaseCommand):
    help = "Queue again contest runs whose judging worker died or whose task was lost."

    def handle(self, *args, **options) -> None:
        count = judging.requeue_stale()
        self.stdout.write(f"queued again: {count}")
