"""The school admin's pages: the school's groups and teachers, and cross-school access.
Everything is limited to the admin's own school; other ids answer 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from lms import accounts, cross_school, login_cards, names, permissions
from lms.models import CrossSchoolGrant, Membership, PasswordReset, StudyGroup, User
from lms.permissions import MANAGE_GROUP
from lms.quotes import inner_quotes
from schools.forms import GrantForm, GroupForm, GroupTeachersForm, TeacherForm


@login_required
def school_home(request):
    school = permissions.administered_school_or_404(request.user)
    groups = (
        StudyGroup.objects.filter(school=school)
        .annotate(
            pupils=Count("memberships", filter=Q(memberships__role=Membership.Role.PUPIL)),
            teachers=Count("memberships", filter=Q(memberships__role=Membership.Role.TEACHER)),
        )
        .order_by("is_archived", "name")
    )
    teachers = sorted(permissions.school_teachers(school), key=names.surname_key)
    refusals = permissions.password_reset_refusals(request.user, teachers)
    return render(
        request,
        "school/home.html",
        {
            "school": school,
            "groups": groups,
            "teachers": [(teacher, refusals[teacher.pk]) for teacher in teachers],
        },
    )


@login_required
def create_group(request):
    school = permissions.administered_school_or_404(request.user)
    form = GroupForm(request.POST or None, school=school)
    if request.method == "POST" and form.is_valid():
        group = form.save()
        messages.success(
            request, _("Group “%(name)s” created.") % {"name": inner_quotes(group.name)}
        )
        return redirect("school:group", group_id=group.pk)
    return render(request, "school/group_form.html", {"school": school, "form": form})


@login_required
def edit_group(request, group_id: int):
    group = permissions.administered_group_or_404(request.user, group_id)
    school = group.school
    teachers = permissions.school_teachers(school).order_by("last_name", "first_name")
    current = list(
        group.memberships.filter(role=Membership.Role.TEACHER).values_list("user_id", flat=True)
    )
    form = GroupForm(request.POST or None, instance=group, school=school, prefix="group")
    teachers_form = GroupTeachersForm(
        request.POST or None,
        teachers=teachers,
        initial={"teachers": current},
        prefix="staff",
    )
    if request.method == "POST" and form.is_valid() and teachers_form.is_valid():
        with transaction.atomic():
            form.save()
            accounts.set_group_teachers(group, teachers_form.cleaned_data["teachers"])
        messages.success(request, _("Group saved."))
        return redirect("school:home")
    return render(
        request,
        "school/group_form.html",
        {"school": school, "group": group, "form": form, "teachers_form": teachers_form},
    )


@login_required
def create_teacher(request):
    school = permissions.administered_school_or_404(request.user)
    form = TeacherForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        _user, card = accounts.create_teacher(
            school,
            form.cleaned_data["last_name"],
            form.cleaned_data["first_name"],
            form.cleaned_data["login"],
            form.cleaned_data["email"],
        )
        token = login_cards.remember(request, None, [card])
        messages.success(request, _("Teacher account created. Hand over the password now."))
        return redirect("school:cards", token=token)
    return render(request, "school/teacher_form.html", {"school": school, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def reset_teacher_password(request, user_id: int):
    """GET asks to confirm (the old password stops working), POST sets a new one."""
    school = permissions.administered_school_or_404(request.user)
    teacher = permissions.school_teachers(school).filter(pk=user_id).first()
    if teacher is None:
        raise Http404
    refusal = permissions.password_reset_refusal(request.user, teacher)
    if refusal:
        messages.error(request, refusal)
        return redirect("school:home")
    if request.method == "GET":
        return render(
            request,
            "teach/confirm_reset.html",
            {"account": teacher, "is_teacher": True, "back": reverse("school:home")},
        )
    cards = accounts.issue_passwords([teacher], None, by=request.user)
    return redirect("school:cards", token=login_cards.remember(request, None, cards))


PUPILS_PAGE_SIZE = 50


@login_required
def school_pupils(request):
    """Every pupil of the school, searchable by name or login, with their groups."""
    school = permissions.administered_school_or_404(request.user)
    query = request.GET.get("q", "").strip()[:100]
    pupils = User.objects.filter(
        permissions.pupils_visible_q(request.user), school=school
    ).order_by(*names.surname_order())
    if query:
        pupils = pupils.filter(
            Q(username__icontains=query)
            | Q(last_name__icontains=query)
            | Q(first_name__icontains=query)
            | Q(display_name__icontains=query)
        )
    page = Paginator(pupils, PUPILS_PAGE_SIZE).get_page(request.GET.get("page"))
    groups_of: dict[int, list[StudyGroup]] = {}
    for membership in Membership.objects.filter(
        user__in=[p.pk for p in page], role=Membership.Role.PUPIL
    ).select_related("group"):
        groups_of.setdefault(membership.user_id, []).append(membership.group)
    refusals = permissions.password_reset_refusals(request.user, list(page))
    rows = [(pupil, groups_of.get(pupil.pk, []), refusals[pupil.pk]) for pupil in page]
    return render(
        request,
        "school/pupils.html",
        {"school": school, "page": page, "rows": rows, "query": query},
    )


@login_required
@require_http_methods(["GET", "POST"])
def reset_pupil_password(request, user_id: int):
    """GET asks to confirm (the old password stops working), POST sets a new one."""
    school = permissions.administered_school_or_404(request.user)
    pupil = (
        User.objects.filter(permissions.pupils_visible_q(request.user, MANAGE_GROUP), school=school)
        .filter(pk=user_id)
        .first()
    )
    if pupil is None:
        raise Http404
    refusal = permissions.password_reset_refusal(request.user, pupil)
    if refusal:
        messages.error(request, refusal)
        return redirect("school:pupils")
    if request.method == "GET":
        return render(
            request,
            "teach/confirm_reset.html",
            {"account": pupil, "back": reverse("school:pupils")},
        )
    cards = accounts.issue_passwords([pupil], None, by=request.user)
    token = login_cards.remember(request, None, cards)
    messages.success(
        request, _("New password for %(name)s. The old one no longer works.") % {"name": pupil}
    )
    return redirect("school:cards", token=token)


RESETS_PAGE_SIZE = 50


@login_required
def password_resets(request):
    """Who gave which account of the school a new password, and when (newest first)."""
    school = permissions.administered_school_or_404(request.user)
    resets = (
        PasswordReset.objects.filter(school=school)
        .select_related("user", "reset_by", "group")
        .order_by("-reset_at", "-pk")
    )
    page = Paginator(resets, RESETS_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "school/resets.html", {"school": school, "page": page})


@never_cache  # the page shows passwords: no browser or proxy may keep a copy
@login_required
def staff_cards(request, token: str):
    school = permissions.administered_school_or_404(request.user)
    batch = login_cards.recall(request, token, None)
    if batch is None:
        messages.warning(request, _("These cards are no longer available."))
        return redirect("school:home")
    return render(
        request,
        "teach/cards.html",
        {
            "school": school,
            "cards": batch,
            "login_url": request.build_absolute_uri(reverse("login")),
        },
    )


@login_required
def access_grants(request):
    school = permissions.administered_school_or_404(request.user)
    groups = StudyGroup.objects.filter(school=school, is_archived=False).order_by("name")
    form = GrantForm(request.POST or None, groups=groups)
    if request.method == "POST" and form.is_valid():
        group = form.cleaned_data["group"]
        if not permissions.can_grant_cross_school(request.user, group):
            raise Http404
        try:
            cross_school.grant(
                request.user, group, form.cleaned_data["teacher_login"], form.cleaned_data["reason"]
            )
        except cross_school.GrantError as error:
            form.add_error("teacher_login", str(error))
        else:
            messages.success(request, _("Access granted. You can revoke it at any time."))
            return redirect("school:access")
    grants = (
        CrossSchoolGrant.objects.filter(group__school=school)
        .select_related("group", "teacher__school", "granted_by", "revoked_by")
        .order_by("revoked_at", "-granted_at")
    )
    return render(request, "school/access.html", {"school": school, "form": form, "grants": grants})


@login_required
@require_POST
def revoke_grant(request, grant_id: int):
    grant = permissions.grant_or_404(request.user, grant_id)
    if cross_school.revoke(request.user, grant):
        messages.success(request, _("Access revoked."))
    return redirect("school:access")
