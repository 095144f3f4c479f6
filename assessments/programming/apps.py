from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgrammingConfig(AppConfig):
    name = "assessments.programming"
    label = "programming"
    verbose_name = _("Programming exercises")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from assessments.models import Assignment
        from assessments.programming import signals

        post_save.connect(signals.exercise_for_assignment, sender=Assignment)
