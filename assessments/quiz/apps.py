from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QuizConfig(AppConfig):
    name = "assessments.quiz"
    label = "quiz"
    verbose_name = _("Quizzes and question bank")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from assessments.models import Assignment
        from assessments.quiz import signals

        post_save.connect(signals.quiz_for_assignment, sender=Assignment)
