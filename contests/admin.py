"""The contests' rows in the Django admin, for support: to look things up, not to run a contest.

Read-only, because the organisers' pages (contests/setup_views.py and the other areas') check
what may change once a round has started and refresh the standings; the admin would do
neither. The one exception: a participant's own details (a misspelt name, extra time, a
withdrawal), saved with the standings refreshed. Score changes are the audit trail: never
edited here."""

from __future__ import annotations

from django.contrib import admin
from django.db import transaction

from contests.models import (
    Appeal,
    Award,
    AwardRule,
    Category,
    Contest,
    Criterion,
    JudgeAssignment,
    Member,
    Participant,
    Run,
    ScoreChange,
    Sheet,
    Task,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    show_change_link = True

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class CategoryInline(ReadOnlyInline):
    model = Category
    fields = ("name", "min_class", "max_class", "order")


class TaskInline(ReadOnlyInline):
    model = Task
    fields = ("label", "title", "kind", "max_score", "problem", "question", "removed_at")


class AwardRuleInline(ReadOnlyInline):
    model = AwardRule
    fields = ("category", "award", "max_place", "min_score", "min_score_is_percent")


@admin.register(Contest)
class ContestAdmin(ReadOnlyAdmin):
    list_display = ("title", "slug", "kind", "rules", "starts_at", "ends_at", "is_published")
    list_filter = ("kind", "rules", "is_published", "audience")
    search_fields = ("title", "slug")
    date_hierarchy = "starts_at"
    inlines = [CategoryInline, TaskInline, AwardRuleInline]


class CriterionInline(ReadOnlyInline):
    model = Criterion
    fields = ("name", "kind", "points", "max_count", "order")
    show_change_link = False


@admin.register(Task)
class TaskAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "contest", "kind", "max_score", "removed_at")
    list_filter = ("kind",)
    search_fields = ("label", "title", "contest__title", "contest__slug")
    list_select_related = ("contest",)
    inlines = [CriterionInline]


class MemberInline(ReadOnlyInline):
    model = Member
    fields = ("user",)
    raw_id_fields = ("user",)
    show_change_link = False


@admin.register(Participant)
class ParticipantAdmin(admin.ModelAdmin):
    list_display = ("name", "team_name", "contest", "category", "school_name", "code", "source")
    list_filter = ("source", "is_out_of_competition")
    search_fields = ("name", "team_name", "code", "external_id", "contest__slug", "school_name")
    list_select_related = ("contest", "category")
    fields = (
        "contest",
        "category",
        "name",
        "team_name",
        "school_name",
        "class_number",
        "code",
        "external_id",
        "source",
        "started_at",
        "extra_minutes",
        "withdrawn_at",
        "is_out_of_competition",
    )
    readonly_fields = ("contest", "category", "code", "external_id", "source", "started_at")
    inlines = [MemberInline]

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # runs, sheets and appeals hang on it: withdraw instead

    def save_model(self, request, obj, form, change) -> None:
        from contests import standings  # another area's module: imported when needed

        super().save_model(request, obj, form, change)
        contest_id = obj.contest_id
        transaction.on_commit(lambda: standings.invalidate(contest_id))


@admin.register(JudgeAssignment)
class JudgeAssignmentAdmin(ReadOnlyAdmin):
    list_display = ("user", "contest", "category", "task")
    search_fields = ("user__username", "contest__slug")
    list_select_related = ("user", "contest", "category", "task")


@admin.register(Run)
class RunAdmin(ReadOnlyAdmin):
    list_display = (
        "pk",
        "contest",
        "participant",
        "task",
        "submitted_at",
        "time_seconds",
        "state",
        "verdict",
        "score",
        "source",
        "is_practice",
    )
    list_filter = ("state", "verdict", "source", "is_practice")
    search_fields = ("participant__name", "participant__code", "contest__slug", "import_key")
    list_select_related = ("contest", "participant", "task")
    exclude = ("code",)  # a pupil's program: reached through the run page, not the admin list


@admin.register(Sheet)
class SheetAdmin(ReadOnlyAdmin):
    list_display = ("task", "participant", "run_number", "judge", "score", "updated_at")
    search_fields = ("participant__name", "task__contest__slug")
    list_select_related = ("task", "participant", "judge")


@admin.register(Appeal)
class AppealAdmin(ReadOnlyAdmin):
    list_display = ("pk", "contest", "participant", "task", "status", "filed_at", "answered_at")
    list_filter = ("status",)
    search_fields = ("participant__name", "contest__slug")
    list_select_related = ("contest", "participant", "task")


@admin.register(ScoreChange)
class ScoreChangeAdmin(ReadOnlyAdmin):
    list_display = (
        "participant",
        "task",
        "score_before",
        "score",
        "verdict_before",
        "verdict",
        "changed_by",
        "changed_at",
    )
    search_fields = ("participant__name", "task__contest__slug", "reason")
    list_select_related = ("participant", "task", "changed_by")


@admin.register(Award)
class AwardAdmin(ReadOnlyAdmin):
    list_display = ("participant", "category", "award", "rank", "rank_to", "score", "given_at")
    search_fields = ("participant__name", "award")
    list_select_related = ("participant", "category")
