"""Queue again the code submissions a dead worker left running, or whose task was lost (the same
sweep runs before every judging task and when the pupil opens the page): for a cron line, or
after restarting the workers. Sweeps until nothing stale is left (200 at a time)."""

from django.core.management.base import BaseCommand

from assessments.programming import judging


class Command(BaseCommand):
    help = "Queue again code submissions whose judging worker died or whose task was lost."

    def handle(self, *args, **options) -> None:
        total = 0
        while True:
            count = judging.requeue_stale()
            total += count
            if count < 200:
                break
        self.stdout.write(f"queued again: {total}")
