from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContestsConfig(AppConfig):
    name = "contests"
    verbose_name = _("Contests and olympiads")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from contests import signals  # noqa: F401  (connects the receivers)
