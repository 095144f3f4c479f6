"""Admin screens for methodologists: what is shared with partner schools, and who co-authors
which course (ModelViewSets guarded by the model permissions methodologists hold); the
dashboard's panels for authors: their courses and the latest edits of their pages."""

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.components import Component
from wagtail.admin.viewsets.model import ModelViewSet

from courses import admin_dashboard, permissions
from courses.models import CourseAuthor, CoursePage, CourseShare, ModulePage
from lms import names, roles
from lms import permissions as lms_permissions
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
            field.queryset = User.objects.filter(groups__name=roles.TEACHER).order_by(
                "last_name", "first_name", "username"
            )
            field.label_from_instance = lambda u: f"{names.surname_first(u)} ({u.username})"
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


class AuthorCoursesPanel(Component):
    """The courses the author may edit, each with its modules and lessons counted."""

    name = "lms_author_courses"
    order = 90  # first: before Wagtail's moderation and edits panels
    template_name = "courses/admin/dashboard_courses.html"

    class Media:
        css = {"all": ["css/admin-authoring.css"]}

    def get_context_data(self, parent_context):
        user = parent_context["request"].user
        return {"listing": admin_dashboard.editable_courses(user)}


class RecentPageEditsPanel(Component):
    """The latest edits of the pages the author may edit, by anyone: co-authors see each
    other's work. It takes the place of Wagtail's "your most recent edits"."""

    name = "recent_edits"
    order = 250
    template_name = "courses/admin/dashboard_recent_edits.html"

    class Media:
        css = {"all": ["css/admin-authoring.css"]}

    def get_context_data(self, parent_context):
        request = parent_context["request"]
        return {"edits": admin_dashboard.recent_edits(request.user), "request": request}


@hooks.register("construct_homepage_panels")
def author_dashboard_panels(request, panels):
    if not lms_permissions.can_author_pages(request.user):
        return
    panels[:] = [panel for panel in panels if getattr(panel, "name", "") != "recent_edits"]
    panels.extend([AuthorCoursesPanel(), RecentPageEditsPanel()])
