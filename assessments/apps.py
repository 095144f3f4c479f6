from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    name = "assessments"
    verbose_name = _("Assignments and grades")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from assessments import page_guards
        from assessments.models import Assignment, GroupDeadline
        from courses.lesson_body import assignments_changed

        page_guards.connect()
        # A lesson's list of its assignments (courses.lesson_body) and a group's assignments
        # with their own dates (assessments.next_steps) are cached.
        for model in (Assignment, GroupDeadline):
            post_save.connect(assignments_changed, sender=model, dispatch_uid=f"work-{model}")
            post_delete.connect(assignments_changed, sender=model, dispatch_uid=f"work-d-{model}")
