from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    name = "assessments"
    verbose_name = _("Assignments and grades")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from assessments import page_guards

        page_guards.connect()
