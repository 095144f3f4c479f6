"""Admin screens for methodologists: what is shared with partner schools, and who co-authors
which course. Both are ModelViewSets guarded by the model permissions methodologists hold."""

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet

from courses import permissions
from courses.models import CourseAuthor, CoursePage, CourseShare, ModulePage
from lms import roles
from lms.models import School, User


def _module_label(module: ModulePage) -> str:
    course = module.get_parent()
    return f"{course.title} — {module.title}"


class CourseShareViewSet(ModelViewSet):
    model = CourseShare
    icon = "group"
    menu_label = _("Sharing with schools")
    menu_order = 250
    add_to_admin_menu = True
    name = "course-shares"
    form_fields = ["course", "module", "school"]
    list_display = ["course", "module", "school", "created_at"]

    def formfield_for_dbfield(self, db_field, **kwargs):
        field = super().formfield_for_dbfield(db_field, **kwargs)
        if db_field.name == "course":
            field.queryset = CoursePage.objects.order_by("title")
        elif db_field.name == "module":
            field.queryset = ModulePage.objects.order_by("path")
            field.label_from_instance = _module_label
        elif db_field.name == "school":
            field.queryset = School.objects.filter(kind=School.Kind.VISITING)
        return field


class CourseAuthorViewSet(ModelViewSet):
    model = CourseAuthor
    icon = "user"
    menu_label = _("Course authors")
    menu_order = 260
    add_to_admin_menu = True
    name = "course-authors"
    form_fields = ["course", "user"]
    list_display = ["course", "user", "added_at"]

    def formfield_for_dbfield(self, db_field, **kwargs):
        field = super().formfield_for_dbfield(db_field, **kwargs)
        if db_field.name == "course":
            field.queryset = CoursePage.objects.order_by("title")
        elif db_field.name == "user":
            field.queryset = User.objects.filter(groups__name=roles.TEACHER).order_by("last_name")
            field.label_from_instance = lambda u: f"{u.get_display_name()} ({u.username})"
        return field


@hooks.register("register_admin_viewset")
def register_viewsets():
    return [CourseShareViewSet(), CourseAuthorViewSet()]


@hooks.register("before_serve_document")
def serve_lesson_files_only_to_their_readers(document, request):
    """Documents have sequential ids; without this anyone could fetch a locked lesson's files.
    A course's documents go only to readers of that course's lessons (courses.permissions)."""
    if not permissions.can_download_document(request.user, document):
        raise Http404
