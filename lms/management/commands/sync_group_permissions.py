"""Re-derive the teachers' guardian permissions on study groups and report drift."""

from django.core.management.base import BaseCommand, CommandError

from lms import group_permissions
from lms.models import StudyGroup, User


class Command(BaseCommand):
    help = (
        "Re-derive guardian permissions on study groups from teacher memberships and "
        "cross-school grants; print every row that was missing or extra."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--check",
            action="store_true",
            help="Only report drift; change nothing; exit with status 1 if there is any.",
        )

    def handle(self, *args, check: bool = False, **options):
        drift = group_permissions.sync(dry_run=check)
        if not drift:
            self.stdout.write(self.style.SUCCESS("No drift: group permissions match memberships."))
            return
        users = dict(
            User.objects.filter(pk__in={k[0] for k in drift.missing | drift.extra}).values_list(
                "pk", "username"
            )
        )
        groups = {
            g.pk: str(g)
            for g in StudyGroup.objects.filter(pk__in={k[1] for k in drift.missing | drift.extra})
        }
        verb_missing = "missing" if check else "granted"
        verb_extra = "extra" if check else "revoked"
        for label, keys in ((verb_missing, drift.missing), (verb_extra, drift.extra)):
            for user_id, group_id, codename in sorted(keys):
                self.stdout.write(
                    f"{label}: {users.get(user_id, user_id)} {codename} "
                    f"{groups.get(group_id, group_id)}"
                )
        summary = f"{len(drift.missing)} {verb_missing}, {len(drift.extra)} {verb_extra}"
        if check:
            raise CommandError(f"Drift found: {summary}.")
        self.stdout.write(self.style.WARNING(f"Fixed drift: {summary}."))
