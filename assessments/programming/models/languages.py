"""The language table: one row per language the sandbox can compile and run."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from assessments.programming.languages import Language


class ProgrammingLanguage(models.Model):
    code = models.SlugField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=60)
    source_name = models.CharField(_("source file name"), max_length=40)
    compile_command = models.JSONField(_("compile command"), default=list, blank=True)
    run_command = models.JSONField(_("run command"), default=list)
    artifact = models.CharField(_("compiled file"), max_length=40, blank=True)
    mounts = models.JSONField(_("read-only host folders"), default=list)
    compile_time_s = models.FloatField(_("compile time limit, s"), default=10.0)
    compile_memory_mb = models.PositiveIntegerField(_("compile memory limit, MB"), default=512)
    default_time_limit_s = models.FloatField(_("default time limit, s"), default=1.0)
    highlight = models.CharField(_("editor mode"), max_length=20, blank=True)
    extensions = models.JSONField(_("file extensions"), default=list, blank=True)
    is_enabled = models.BooleanField(_("enabled"), default=True)

    class Meta:
        verbose_name = _("programming language")
        verbose_name_plural = _("programming languages")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name

    def runtime(self) -> Language:
        return Language(
            code=self.code,
            name=self.name,
            source_name=self.source_name,
            run_command=tuple(self.run_command),
            compile_command=tuple(self.compile_command),
            artifact=self.artifact,
            mounts=tuple(self.mounts),
            compile_time_s=self.compile_time_s,
            compile_memory_mb=self.compile_memory_mb,
            default_time_limit_s=self.default_time_limit_s,
            highlight=self.highlight,
            extensions=tuple(self.extensions),
        )
