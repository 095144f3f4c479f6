"""The teacher's due-date pages: a group's assignments with their dates, and for one assignment
the group's own dates and each pupil's extension. On the site, not in the Wagtail admin, so the
pupils offered are only those of this group.

Access: MANAGE on the group (its teachers, the school's admin; 404 for everyone else), and the
assignment must be one of what the group takes (404 otherwise); a pupil must be a pupil of this
group (404). The reads and writes are assessments.due_dates: an extension is this group's, every
change is one transaction, and saving the same thing twice changes nothing."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from assessments import deadlines, due_dates
from assessments.dates_forms import ExtensionForm, GroupDatesForm
from assessments.group_scope import group_assignments
from assessments.models import Assignment
from lms import permissions
from lms.models import StudyGroup
from lms.permissions import MANAGE_GROUP

SAVE, CLEAR, REMOVE = "save", "clear", "remove"


def _assignment_or_404(group: StudyGroup, assignment_id: int) -> Assignment:
    assignment = group_assignments(group).select_related("lesson").filter(pk=assignment_id).first()
    if assignment is None:
        raise Http404
    return assignment


def _render_page(
    request: HttpRequest,
    group: StudyGroup,
    assignment: Assignment,
    group_form: GroupDatesForm | None = None,
    bound_extension: tuple[int, ExtensionForm] | None = None,
    status: int = 200,
) -> HttpResponse:
    override = due_dates.group_deadline(group, assignment)
    if group_form is None:
        initial = {}
        if override is not None:
            initial = {f: getattr(override, f) for f in ("opens_at", "due_at", "cutoff_at")}
        group_form = GroupDatesForm(assignment=assignment, group=group, initial=initial)
    rows = []
    for dates in due_dates.pupil_dates(group, assignment, override):
        pupil, extension = dates.pupil, dates.extension
        if bound_extension is not None and bound_extension[0] == pupil.pk:
            form = bound_extension[1]
        else:
            initial = {}
            if extension is not None:
                initial = {
                    "due_at": extension.due_at,
                    "cutoff_at": extension.cutoff_at,
                    "reason": extension.reason,
                }
            form = ExtensionForm(
                assignment=assignment,
                group_deadline=override,
                pupil_id=pupil.pk,
                initial=initial,
            )
        rows.append(
            {"pupil": pupil, "extension": extension, "timetable": dates.timetable, "form": form}
        )
    context = {
        "group": group,
        "assignment": assignment,
        "override": override,
        "group_timetable": deadlines.timetable_for(assignment, override),
        "group_form": group_form,
        "rows": rows,
    }
    return render(request, "assessments/dates/assignment.html", context, status=status)


@login_required
def dates_index(request: HttpRequest, group_id: int) -> HttpResponse:
    group = permissions.group_or_404(request.user, group_id, MANAGE_GROUP)
    rows = due_dates.group_overview(group)
    return render(request, "assessments/dates/index.html", {"group": group, "rows": rows})


@login_required
@require_http_methods(["GET", "POST"])
def assignment_dates(request: HttpRequest, group_id: int, assignment_id: int) -> HttpResponse:
    group = permissions.group_or_404(request.user, group_id, MANAGE_GROUP)
    assignment = _assignment_or_404(group, assignment_id)
    if request.method != "POST":
        return _render_page(request, group, assignment)
    here = redirect("assessments:dates", group_id=group.pk, assignment_id=assignment.pk)
    if request.POST.get("action") == CLEAR:
        if due_dates.clear_group_dates(assignment, group):
            messages.success(request, _("The group's dates were removed: the assignment's apply."))
        else:
            messages.info(request, _("The group already follows the assignment's dates."))
        return here
    form = GroupDatesForm(request.POST, assignment=assignment, group=group)
    if not form.is_valid():
        messages.error(request, _("The group's dates were not saved: check the marked fields."))
        return _render_page(request, group, assignment, group_form=form, status=400)
    due_dates.save_group_dates(
        assignment,
        group,
        opens_at=form.cleaned_data["opens_at"],
        due_at=form.cleaned_data["due_at"],
        cutoff_at=form.cleaned_data["cutoff_at"],
    )
    if form.is_empty:
        messages.success(request, _("All fields are empty: the assignment's dates apply."))
    else:
        messages.success(request, _("The group's dates were saved."))
    return here


@login_required
@require_POST
def extension(
    request: HttpRequest, group_id: int, assignment_id: int, pupil_id: int
) -> HttpResponse:
    group = permissions.group_or_404(request.user, group_id, MANAGE_GROUP)
    assignment = _assignment_or_404(group, assignment_id)
    pupil = permissions.group_pupil_or_404(group, pupil_id)
    name = pupil.get_display_name()
    here = redirect("assessments:dates", group_id=group.pk, assignment_id=assignment.pk)
    if request.POST.get("action") == REMOVE:
        if due_dates.remove_extension(assignment, group, pupil):
            messages.success(request, _("The extension of %(name)s was removed.") % {"name": name})
        else:
            messages.info(request, _("%(name)s has no extension.") % {"name": name})
        return here
    form = ExtensionForm(
        request.POST,
        assignment=assignment,
        group_deadline=due_dates.group_deadline(group, assignment),
        pupil_id=pupil.pk,
    )
    if not form.is_valid():
        messages.error(
            request,
            _("The extension of %(name)s was not saved: check the marked fields.") % {"name": name},
        )
        return _render_page(
            request, group, assignment, bound_extension=(pupil.pk, form), status=400
        )
    due_dates.save_extension(
        assignment,
        group,
        pupil,
        due_at=form.cleaned_data["due_at"],
        cutoff_at=form.cleaned_data["cutoff_at"],
        reason=form.cleaned_data["reason"],
        by=request.user,
    )
    messages.success(request, _("The extension of %(name)s was saved.") % {"name": name})
    return here
