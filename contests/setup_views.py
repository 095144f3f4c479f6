"""The organisers' pages of a contest: the list of contests, a new contest, its settings and
categories, its award rules, its jury and judges, the public board's freeze and the jury's
dashboard. (Tasks: contests.setup_task_views.) Organisers only: everyone else gets 404, an
anonymous visitor the login page. Rules live in contests.setup; views parse, call, render."""

from __future__ import annotations

from copy import copy

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError, transaction
from django.db.models import Count, ProtectedError, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from contests import board_freeze, jury_dashboard, permissions, setup
from contests import setup_people as people
from contests.models import AwardRule, Contest, JudgeAssignment
from contests.setup_forms import (
    AwardRuleFormSet,
    CategoryFormSet,
    ContestForm,
    JudgeForm,
    JuryForm,
    PeopleSearchForm,
)
from events.certificates import park_zone
from lms.models import User


def _organiser_or_404(request: HttpRequest) -> None:
    if not permissions.is_organiser(request.user):
        raise Http404


def _context(contest: Contest | None, **extra) -> dict:
    return {"contest": contest, "park_zone": park_zone(), **extra}


# --- All contests, a new one ----------------------------------------------------------------


@require_GET
@login_required
def manage(request: HttpRequest) -> HttpResponse:
    _organiser_or_404(request)
    contests = Contest.objects.annotate(
        participant_count=Count("participants", distinct=True),
        task_count=Count("tasks", filter=Q(tasks__removed_at__isnull=True), distinct=True),
    ).order_by("-starts_at", "pk")
    now = timezone.now()
    rows = [(contest, jury_dashboard.state_of(contest, now)) for contest in contests]
    return render(request, "contests/manage.html", _context(None, rows=rows))


@require_http_methods(["GET", "POST"])
@login_required
def create(request: HttpRequest) -> HttpResponse:
    _organiser_or_404(request)
    form = ContestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if form.warnings and request.POST.get("confirm") != "1":
            return render(request, "contests/setup/contest_form.html", _context(None, form=form))
        with transaction.atomic():
            contest = form.save(commit=False)
            contest.created_by = request.user
            contest.save()
            form.save_m2m()
            if contest.audience != Contest.Audience.SCHOOLS:
                contest.schools.clear()
        messages.success(request, _("The contest is created. Add its categories and tasks next."))
        return redirect("contests:jury", contest.slug)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "contests/setup/contest_form.html", _context(None, form=form), status=status
    )


# --- Settings and categories ----------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def edit(request: HttpRequest, slug: str) -> HttpResponse:
    contest = permissions.organised_contest_or_404(request.user, slug)
    section = request.POST.get("section") if request.method == "POST" else None
    # The form works on a copy: a refused edit must not change the slug the page links with.
    form = ContestForm(request.POST if section == "contest" else None, instance=copy(contest))
    categories = CategoryFormSet(
        request.POST if section == "categories" else None, instance=contest, prefix="cat"
    )
    status = 200
    if section == "contest":
        if form.is_valid() and (not form.warnings or request.POST.get("confirm") == "1"):
            with transaction.atomic():
                contest = form.save()
                setup.invalidate_on_commit(contest.pk)
            messages.success(request, _("The contest's settings are saved."))
            return redirect("contests:edit", contest.slug)
        status = 200 if form.is_valid() else 400  # 200: warnings to confirm
    elif section == "categories":
        if categories.is_valid() and _save_categories(request, contest, categories):
            messages.success(request, _("The categories are saved."))
            warning = setup.overlap_warning(setup.overlapping(categories.ranges()))
            if warning:
                messages.warning(request, warning)
            return redirect(reverse("contests:edit", args=[contest.slug]) + "#categories")
        status = 400
    return render(
        request,
        "contests/setup/contest_form.html",
        _context(contest, form=form, categories=categories),
        status=status,
    )


def _save_categories(request: HttpRequest, contest: Contest, categories) -> bool:
    try:
        with transaction.atomic():
            categories.save(commit=False)
            for category in categories.deleted_objects:
                category.delete()
            kept = [f.instance for f in categories.forms if f not in categories.deleted_forms]
            for order, category in enumerate(c for c in kept if c.name):
                category.order = order
                category.contest = contest
                category.save()
            setup.invalidate_on_commit(contest.pk)
    except ProtectedError:  # a participant registered into it meanwhile
        categories._non_form_errors = categories.error_class(
            [_("A category to delete has participants now: move them first.")]
        )
        return False
    except IntegrityError:  # another organiser saved the same name meanwhile
        categories._non_form_errors = categories.error_class(
            [_("The categories have changed meanwhile: reload the page.")]
        )
        return False
    return True


# --- Award rules ----------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def setup_awards(request: HttpRequest, slug: str) -> HttpResponse:
    contest = permissions.organised_contest_or_404(request.user, slug)
    formset = AwardRuleFormSet(
        request.POST or None,
        instance=contest,
        prefix="award",
        queryset=AwardRule.objects.filter(contest=contest).select_related("category"),
        form_kwargs={"contest": contest},
    )
    if request.method == "POST" and formset.is_valid():
        with transaction.atomic():
            formset.save(commit=False)
            for rule in formset.deleted_objects:
                rule.delete()
            kept = [f.instance for f in formset.forms if f not in formset.deleted_forms]
            for order, rule in enumerate(r for r in kept if r.award):
                rule.order = order
                rule.contest = contest
                rule.save()
        messages.success(request, _("The award rules are saved."))
        rules = list(AwardRule.objects.filter(contest=contest))
        for warning in setup.check_award_order(rules):
            messages.warning(request, warning)
        if contest.results_published_at:
            messages.warning(
                request,
                _(
                    "The results are published: the awards given change only when they are "
                    "published again."
                ),
            )
        return redirect("contests:setup_awards", contest.slug)
    rules = list(AwardRule.objects.filter(contest=contest).select_related("category"))
    preview = [setup.describe_rule(r, r.category.name if r.category else None) for r in rules]
    return render(
        request,
        "contests/setup/awards.html",
        _context(contest, formset=formset, preview=preview),
        status=400 if request.method == "POST" else 200,
    )


# --- Jury and judges ------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def setup_people(request: HttpRequest, slug: str) -> HttpResponse:
    contest = permissions.organised_contest_or_404(request.user, slug)
    jury_form = JuryForm(prefix="jury")
    judge_form = JudgeForm(prefix="judge", contest=contest)
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "add_jury":
            jury_form = JuryForm(request.POST, prefix="jury")
            if jury_form.is_valid():
                try:
                    user = people.add_jury(contest, jury_form.cleaned_data["login"])
                except setup.SetupError as error:
                    jury_form.add_error("login", str(error))
                else:
                    messages.success(request, _("%(name)s is on the jury.") % {"name": _who(user)})
                    return redirect("contests:setup_people", contest.slug)
        elif action == "add_judge":
            judge_form = JudgeForm(request.POST, prefix="judge", contest=contest)
            if judge_form.is_valid():
                data = judge_form.cleaned_data
                try:
                    judge, made = people.add_judge(
                        contest, data["login"], data["category"], data["task"]
                    )
                except setup.SetupError as error:
                    judge_form.add_error("login", str(error))
                else:
                    messages.success(
                        request,
                        _("%(name)s judges here.") % {"name": _who(judge.user)}
                        if made
                        else _("%(name)s already judges this.") % {"name": _who(judge.user)},
                    )
                    return redirect("contests:setup_people", contest.slug)
        elif action == "remove_jury":
            contest.jury.remove(*User.objects.filter(pk=_id(request.POST.get("user"))))
            messages.success(request, _("Removed from the jury."))
            return redirect("contests:setup_people", contest.slug)
        elif action == "remove_judge":
            JudgeAssignment.objects.filter(
                contest=contest, pk=_id(request.POST.get("judge"))
            ).delete()
            messages.success(request, _("The judge's assignment is removed."))
            return redirect("contests:setup_people", contest.slug)
        else:
            messages.error(request, _("Unknown action."))
            return redirect("contests:setup_people", contest.slug)
        status = 400
    search = PeopleSearchForm(request.GET or None)
    found = people.find_staff(search.cleaned_data["q"]) if search.is_valid() else []
    return render(
        request,
        "contests/setup/people.html",
        _context(
            contest,
            search=search,
            found=found,
            jury=list(contest.jury.select_related("school").order_by("last_name", "username")),
            judges=list(
                JudgeAssignment.objects.filter(contest=contest)
                .select_related("user__school", "category", "task")
                .order_by("user__last_name", "user__username", "pk")
            ),
            jury_form=jury_form,
            judge_form=judge_form,
        ),
        status=status,
    )


def _who(user: User) -> str:
    return f"{user.get_display_name()} ({user.username})"


def _id(value) -> int:
    """A row id posted by a form: digits within the database's range, else 0 (no row)."""
    text = str(value or "").strip()
    if text.isascii() and text.isdigit() and len(text) <= 18:
        return int(text)
    return 0


# --- The freeze -----------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def freeze(request: HttpRequest, slug: str) -> HttpResponse:
    contest = permissions.organised_contest_or_404(request.user, slug)
    now = timezone.now()
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "unfreeze":
            if board_freeze.unfreeze(contest, now):
                messages.success(request, _("The public board shows every result now."))
            else:
                messages.info(request, _("The public board was not frozen."))
        elif action == "refreeze":
            if board_freeze.refreeze(contest, now):
                messages.success(request, _("The public board is frozen again."))
            else:
                messages.error(request, _("The board can be frozen again only before the end."))
        return redirect("contests:jury", contest.slug)
    return render(
        request,
        "contests/setup/freeze.html",
        _context(
            contest,
            freeze_at=contest.freeze_at(),
            may_unfreeze=board_freeze.may_unfreeze(contest),
            may_refreeze=board_freeze.may_refreeze(contest, now),
            now=now,
        ),
    )


# --- The jury's dashboard -------------------------------------------------------------------


@require_GET
@login_required
def jury(request: HttpRequest, slug: str) -> HttpResponse:
    contest = permissions.organised_contest_or_404(request.user, slug)
    now = timezone.now()
    return render(
        request,
        "contests/jury.html",
        _context(
            contest,
            state=jury_dashboard.state_of(contest, now),
            figures=jury_dashboard.figures_of(contest),
            tools=jury_dashboard.tool_links(contest),
            detail_url=jury_dashboard.url_or_none("contests:detail", contest.slug),
            now=now,
        ),
    )
