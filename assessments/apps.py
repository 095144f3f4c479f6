from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    name = "assessments"
    verbose_name = _("Assignments and grades")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from assessments import page_guards, work_cache
        from assessments.models import Assignment, Extension, Grade, GroupDeadline, Submission
        from courses.lesson_body import assignments_changed

        page_guards.connect()
        # A lesson's list of its assignments (courses.lesson_body) and a group's assignments
        # with their own dates (assessments.next_steps) are cached.
        for model in (Assignment, GroupDeadline):
            post_save.connect(assignments_changed, sender=model, dispatch_uid=f"work-{model}")
            post_delete.connect(assignments_changed, sender=model, dispatch_uid=f"work-d-{model}")
        # A pupil's hand-ins, grades and extensions are cached (assessments.work_cache); the
        # writes that send no signal move the pupil's token themselves.
        for model, receiver in (
            (Submission, work_cache.submission_saved),
            (Extension, work_cache.submission_saved),
            (Grade, work_cache.grade_saved),
        ):
            post_save.connect(receiver, sender=model, dispatch_uid=f"hand-ins-{model}")
            post_delete.connect(receiver, sender=model, dispatch_uid=f"hand-ins-d-{model}")
