from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.utils.translation import gettext_lazy as _

from lms.models import CrossSchoolGrant, Invite, Membership, School, StudyGroup, User


class UserCreationForm(AdminUserCreationForm):
    """Django's form names auth.User; ours checks our login rules (and look-alikes)."""

    class Meta(AdminUserCreationForm.Meta):
        model = User
        fields = ("username",)


class UserEditForm(UserChangeForm):
    class Meta(UserChangeForm.Meta):
        model = User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    add_form = UserCreationForm
    form = UserEditForm
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        (_("Platform"), {"fields": ("display_name", "preferred_language", "school")}),
    )
    list_display = ("username", "display_name", "school", "email", "is_staff")
    list_filter = ("school", "groups", "is_staff", "is_active")
    search_fields = ("username", "display_name", "first_name", "last_name", "email")


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ("user",)


@admin.register(School)
class SchoolAdmin(admin.ModelAdmin):
    list_display = ("name", "city", "kind", "time_zone")
    search_fields = ("name", "city")


@admin.register(StudyGroup)
class StudyGroupAdmin(admin.ModelAdmin):
    list_display = ("name", "school", "academic_year", "is_archived")
    list_filter = ("school", "academic_year", "is_archived")
    search_fields = ("name",)
    inlines = [MembershipInline]


@admin.register(Invite)
class InviteAdmin(admin.ModelAdmin):
    list_display = ("code", "group", "uses", "max_uses", "expires_at", "is_revoked")
    list_filter = ("is_revoked",)
    search_fields = ("code", "group__name")
    raw_id_fields = ("group", "created_by")


@admin.register(CrossSchoolGrant)
class CrossSchoolGrantAdmin(admin.ModelAdmin):
    """Read-only: grants are made and revoked by school admins on the site, so the log stays
    true (and the guardian rows follow through the signals)."""

    list_display = ("teacher", "group", "reason", "granted_by", "granted_at", "revoked_at")
    list_filter = ("revoked_at",)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
