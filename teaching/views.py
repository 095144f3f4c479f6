"""The teacher's pages: my groups, a group's roster and progress, pupil accounts, login cards,
roster import/export, invites and enrolments. Thin: every rule is in lms.permissions or a
service; every object is fetched through a permission check that answers 404."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from assessments import attention
from courses import permissions as course_permissions
from courses import progress_grid, services, sharing
from courses.models import CoursePage, Enrolment, ModulePage
from courses.services import enrol_group
from lms import accounts, invitations, login_cards, names, permissions, qr, roster
from lms.forms import PersonNameForm
from lms.models import Invite, Membership
from lms.permissions import MANAGE_GROUP, VIEW_GROUP
from lms.quotes import inner_quotes
from lms.roster_files import RosterFileError
from teaching.forms import CardsForm, EnrolForm, InviteForm, RosterUploadForm


@dataclass(frozen=True)
class GroupCard:
    """One card of "My groups": the group's progress and what needs the teacher there."""

    summary: progress_grid.GroupSummary
    needs: attention.GroupAttention
    can_grade: bool


def _staff_or_404(request) -> None:
    if not permissions.is_school_staff(request.user):
        raise Http404


@login_required
def my_groups(request):
    _staff_or_404(request)
    groups = list(
        permissions.groups_with(request.user, VIEW_GROUP)
        .select_related("school")
        .order_by("is_archived", "school__name", "name")
    )
    needs = attention.groups_attention(groups)
    cards = [
        GroupCard(
            summary,
            needs[summary.group.pk],
            permissions.can_grade_group(request.user, summary.group),
        )
        for summary in progress_grid.group_summaries(groups)
    ]
    return render(request, "teach/my_groups.html", {"cards": cards})


@login_required
def group_detail(request, group_id: int):
    group = permissions.group_or_404(request.user, group_id, VIEW_GROUP)
    can_manage = permissions.can_manage_group(request.user, group)
    grid = progress_grid.group_progress(group)
    context = {
        "group": group,
        "grid": grid,
        "needs": attention.group_attention(group).name_pupils(row.pupil for row in grid.rows),
        "can_manage": can_manage,
        "can_grade": permissions.can_grade_group(request.user, group),
        "teachers": sorted(
            Membership.objects.filter(group=group, role=Membership.Role.TEACHER).select_related(
                "user"
            ),
            key=lambda membership: names.surname_key(membership.user),
        ),
        "enrolments": Enrolment.objects.filter(group=group)
        .select_related("course", "module")
        .order_by("-is_active", "course__title"),
    }
    if can_manage:
        context["invites"] = list(group.invites.filter(is_revoked=False)[:10])
        context["invite_form"] = InviteForm()
        context["catalogue"] = sharing.shared_catalogue(group.school)
    return render(request, "teach/group.html", context)


@login_required
def add_pupil(request, group_id: int):
    group = permissions.group_or_404(request.user, group_id, MANAGE_GROUP)
    form = PersonNameForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        _user, card = accounts.create_pupil(
            group,
            form.cleaned_data["last_name"],
            form.cleaned_data["first_name"],
            form.cleaned_data["login"],
        )
        token = login_cards.remember(request, group.pk, [card])
        messages.success(request, _("Account created. Print the card or copy the password now."))
        return redirect("teach:cards", group_id=group.pk, token=token)
    return render(request, "teach/add_pupil.html", {"group": group, "form": form})


@login_required
def import_roster(request, group_id: int):
    group = permissions.group_or_404(request.user, group_id, MANAGE_GROUP)
    form = RosterUploadForm(request.POST or None, request.FILES or None)
    plan = None
    file_error = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            plan = roster.read_and_plan(group, upload.read(), upload.name, request.user)
        except RosterFileError as error:
            file_error = str(error)
        else:
            if plan.ok:
                result = roster.apply_import(group, plan)
                messages.success(
                    request,
                    _(
                        "Imported: %(created)d new accounts, %(added)d added to the group, "
                        "%(unchanged)d already there."
                    )
                    % {
                        "created": len(result.created),
                        "added": len(result.added),
                        "unchanged": result.unchanged,
                    },
                )
                if result.created:
                    messages.info(request, _("Print login cards so the new pupils can sign in."))
                return redirect("teach:group", group_id=group.pk)
    return render(
        request,
        "teach/import.html",
        {"group": group, "form": form, "plan": plan, "file_error": file_error},
    )


@login_required
def export_roster(request, group_id: int, fmt: str):
    group = permissions.group_or_404(request.user, group_id, VIEW_GROUP)
    if fmt == "csv":
        body, content_type = roster.export_csv(group), "text/csv; charset=utf-8"
    elif fmt == "xlsx":
        body = roster.export_xlsx(group)
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        raise Http404
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="group-{group.pk}.{fmt}"'
    return response


@login_required
def issue_cards(request, group_id: int):
    group = permissions.group_or_404(request.user, group_id, MANAGE_GROUP)
    form = CardsForm(request.POST or None)
    pupils = progress_grid.group_pupils(group)
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["who"] == CardsForm.WHO_NEW:
            pupils = [p for p in pupils if p.last_login is None]
        if not pupils:
            messages.info(request, _("Every pupil of this group has already signed in."))
            return redirect("teach:issue_cards", group_id=group.pk)
        refusals = permissions.password_reset_refusals(request.user, pupils, group)
        refused = [p for p in pupils if refusals[p.pk]]
        pupils = [p for p in pupils if not refusals[p.pk]]
        if refused:
            messages.warning(
                request,
                _("No new password for: %(names)s (ask the school admin).")
                % {"names": ", ".join(names.surname_first(p) for p in refused)},
            )
        if not pupils:
            return redirect("teach:issue_cards", group_id=group.pk)
        cards = accounts.issue_passwords(pupils, group, by=request.user)
        token = login_cards.remember(request, group.pk, cards)
        return redirect("teach:cards", group_id=group.pk, token=token)
    never = sum(1 for p in pupils if p.last_login is None)
    return render(
        request,
        "teach/issue_cards.html",
        {"group": group, "form": form, "pupils": pupils, "never_signed_in": never},
    )


@never_cache  # the page shows passwords: no browser or proxy may keep a copy
@login_required
def cards(request, group_id: int, token: str):
    group = permissions.group_or_404(request.user, group_id, MANAGE_GROUP)
    batch = login_cards.recall(request, token, group.pk)
    if batch is None:
        messages.warning(
            request, _("These cards are no longer available. Issue new ones to print them.")
        )
        return redirect("teach:issue_cards", group_id=group.pk)
    login_url = request.build_absolute_uri(reverse("login"))
    return render(
        request, "teach/cards.html", {"group": group, "cards": batch, "login_url": login_url}
    )


@login_required
@require_http_methods(["GET", "POST"])
def reset_password(request, group_id: int, user_id: int):
    """GET asks "a new password for …?" (the old one stops working), POST sets it."""
    group = permissions.group_or_404(request.user, group_id, MANAGE_GROUP)
    pupil = permissions.group_pupil_or_404(group, user_id)
    refusal = permissions.password_reset_refusal(request.user, pupil, group)
    if refusal:
        messages.error(request, refusal)
        return redirect("teach:group", group_id=group.pk)
    if request.method == "GET":
        back = reverse("teach:group", args=[group.pk])
        return render(
            request, "teach/confirm_reset.html", {"account": pupil, "group": group, "back": back}
        )
    cards = accounts.issue_passwords([pupil], group, by=request.user)
    token = login_cards.remember(request, group.pk, cards)
    messages.success(
        request, _("New password for %(name)s. The old one no longer works.") % {"name": pupil}
    )
    return redirect("teach:cards", group_id=group.pk, token=token)


@login_required
@require_POST
def remove_pupil(request, group_id: int, user_id: int):
    group = permissions.group_or_404(request.user, group_id, MANAGE_GROUP)
    pupil = permissions.group_pupil_or_404(group, user_id)
    accounts.remove_from_group(pupil, group, Membership.Role.PUPIL)
    messages.success(
        request,
        _("%(name)s is no longer in the group. The account and its progress are kept.")
        % {"name": pupil},
    )
    return redirect("teach:group", group_id=group.pk)


@login_required
@require_POST
def create_invite(request, group_id: int):
    group = permissions.group_or_404(request.user, group_id, MANAGE_GROUP)
    form = InviteForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("teach:group", group_id=group.pk)
    invite = invitations.create_invite(
        group, request.user, days=form.cleaned_data["days"], max_uses=form.cleaned_data["max_uses"]
    )
    return redirect("teach:invite", invite_id=invite.pk)


def _invite_or_404(request, invite_id: int, codename: str) -> Invite:
    invite = Invite.objects.select_related("group__school").filter(pk=invite_id).first()
    if invite is None or codename not in permissions.group_perms(request.user, invite.group):
        raise Http404
    return invite


@login_required
def invite_detail(request, invite_id: int):
    invite = _invite_or_404(request, invite_id, MANAGE_GROUP)
    link = request.build_absolute_uri(reverse("join_code", args=[invite.code]))
    return render(
        request,
        "teach/invite.html",
        {
            "invite": invite,
            "group": invite.group,
            "link": link,
            "qr_svg": qr.svg(link),
            "uses": invite.used_by.select_related("user").order_by("-used_at"),
        },
    )


@login_required
@require_POST
def revoke_invite(request, invite_id: int):
    invite = _invite_or_404(request, invite_id, MANAGE_GROUP)
    if invitations.revoke_invite(invite):
        messages.success(request, _("The invite no longer works."))
    return redirect("teach:group", group_id=invite.group_id)


def _enrol(request, group):
    form = EnrolForm(request.POST)
    if not form.is_valid():
        raise Http404
    course = get_object_or_404(CoursePage.objects.live(), pk=form.cleaned_data["course"])
    module = None
    if form.cleaned_data["module"]:
        module = get_object_or_404(
            ModulePage.objects.live().child_of(course), pk=form.cleaned_data["module"]
        )
    if not course_permissions.can_enrol(
        request.user, group, course.pk, module.pk if module else None
    ):
        raise Http404
    enrol_group(group, course, module, by=request.user)
    messages.success(
        request,
        _("%(group)s is enrolled in %(target)s.")
        % {
            "group": inner_quotes(group.name),
            "target": inner_quotes(module.title if module else course.title),
        },
    )


@login_required
@require_POST
def enrol(request, group_id: int):
    group = permissions.group_or_404(request.user, group_id, MANAGE_GROUP)
    _enrol(request, group)
    return redirect("teach:group", group_id=group.pk)


@login_required
@require_POST
def enrol_shared(request):
    """The shared catalogue's form: the group is chosen in the form."""
    try:
        group_id = int(request.POST.get("group", ""))
    except ValueError:
        raise Http404 from None
    group = permissions.group_or_404(request.user, group_id, MANAGE_GROUP)
    _enrol(request, group)
    return redirect("teach:shared")


@login_required
@require_POST
def end_enrolment(request, enrolment_id: int):
    enrolment = Enrolment.objects.select_related("group").filter(pk=enrolment_id).first()
    if enrolment is None or not permissions.can_manage_group(request.user, enrolment.group):
        raise Http404
    if services.end_enrolment(enrolment):
        messages.success(request, _("Enrolment ended. The pupils' progress is kept."))
    return redirect("teach:group", group_id=enrolment.group_id)


@login_required
def shared_catalogue(request):
    """What the park shares with the user's school, with a form to enrol a group."""
    _staff_or_404(request)
    school = request.user.school
    if school is None:
        raise Http404
    groups = list(permissions.groups_with(request.user, MANAGE_GROUP).filter(school=school))
    catalogue = sharing.shared_catalogue(school)
    # Which of the user's groups already take each offer, to show them instead of a button.
    taken: dict[tuple[int, int | None], list[str]] = {}
    names = {g.pk: g.name for g in groups}
    for group_id, course_id, module_id in Enrolment.objects.filter(
        group__in=groups, is_active=True
    ).values_list("group_id", "course_id", "module_id"):
        taken.setdefault((course_id, module_id), []).append(names[group_id])
    for item in catalogue:
        item.enrolled = sorted(taken.get((item.course.pk, None), []))
        for module in item.modules:
            module.enrolled = sorted(taken.get((item.course.pk, module.pk), []))
    return render(
        request,
        "teach/shared.html",
        {"school": school, "catalogue": catalogue, "groups": groups},
    )
