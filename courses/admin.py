from django.contrib import admin

from courses.models import Enrolment, LessonProgress


@admin.register(Enrolment)
class EnrolmentAdmin(admin.ModelAdmin):
    list_display = ("group", "course", "module", "is_active", "created_at")
    list_filter = ("is_active",)
    raw_id_fields = ("course", "module")


@admin.register(LessonProgress)
class LessonProgressAdmin(admin.ModelAdmin):
    list_display = ("user", "lesson", "opened_at", "completed_at")
    raw_id_fields = ("user", "lesson", "course")
