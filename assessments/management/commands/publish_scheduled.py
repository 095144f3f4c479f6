"""Wagtail's `publish_scheduled`, except that a page holding pupils' work is not unpublished
when its "expire at" passes: it stays live, its expiry is cleared and a warning is logged
(assessments.page_guards). This app comes before wagtail in INSTALLED_APPS, so this command
is the one `manage.py publish_scheduled` runs; everything else is Wagtail's."""

from django.utils import timezone
from wagtail.management.commands.publish_scheduled import Command as WagtailCommand
from wagtail.models import Page

from assessments import page_guards


class Command(WagtailCommand):
    def handle(self, *args, **options):
        now = timezone.now()
        if options["dryrun"]:
            expiring = Page.objects.filter(live=True, expire_at__lt=now)
            for page in page_guards.pages_holding_work(expiring):
                self.stdout.write(f"Kept live, holds pupils' work: {page.title} (pk={page.pk})")
        else:
            # Expired pages first, one by one; Wagtail's part then finds none left to expire.
            for page in page_guards.unpublish_expired_pages(now):
                self.stdout.write(f"Kept live, holds pupils' work: {page.title} (pk={page.pk})")
        super().handle(*args, **options)
