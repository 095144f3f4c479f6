"""Taking part: registering oneself and a teacher's pupils, pressing Start, withdrawing; the
organisers' participants page (with its CSV). Codes are contests.code_views. Each view parses,
calls one service (contests.registering, .participant_changes) and renders or redirects with
the service's words."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from contests import (
    audience,
    listing,
    participant_changes,
    permissions,
    registering,
    timing,
)
from contests.audience import Refused
from contests.models import Contest, Participant
from contests.participation_forms import (
    CLASS_CHOICES,
    SelfForm,
    category_choices,
    parse_group_post,
)
from events import permissions as event_permissions
from lms import names
from lms.models import User

PARTICIPANTS_PER_PAGE = 200


def _detail(contest: Contest):
    return redirect("contests:detail", contest.slug)


def _back(request: HttpRequest, contest: Contest):
    """To the page the form was on (a `next` of this site), else the contest's page."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, {request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return _detail(contest)


# --- Oneself -----------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def register(request: HttpRequest, slug: str) -> HttpResponse:
    contest = permissions.contest_or_404(request.user, slug)
    if not request.user.is_authenticated:
        return redirect_to_login(reverse("contests:detail", args=[slug]))
    listing.prefetch(contest)
    categories = list(contest.categories.all())
    already = registering.participation_of(contest, request.user)
    if already is not None:
        messages.info(request, _("You are already registered."))
        return _detail(contest)
    form = SelfForm(request.POST or None, contest=contest, categories=categories)
    refusal = audience.self_refusal(contest, request.user)
    if request.method == "POST" and form.is_valid():
        try:
            _participant, created = registering.register_self(
                contest,
                request.user,
                category=form.cleaned_data.get("category"),
                class_number=form.cleaned_data.get("class_number"),
                team_name=form.cleaned_data.get("team_name", ""),
            )
        except Refused as refused:
            form.add_error(None, refused.message)
        else:
            if created:
                messages.success(request, _("You are registered."))
            else:
                messages.info(request, _("You are already registered."))
            return _detail(contest)
    return render(
        request,
        "contests/register.html",
        {"contest": contest, "form": form, "refusal": refusal, "categories": categories},
    )


@require_POST
def start(request: HttpRequest, slug: str) -> HttpResponse:
    """Start one's individual window. A second click keeps the first start."""
    contest = permissions.contest_or_404(request.user, slug)
    participant = permissions.participant_of(request, contest)
    if participant is None or participant.withdrawn_at is not None:
        messages.error(request, _("You do not take part in this contest."))
        return _detail(contest)
    now = timezone.now()
    if participant.started_at is None:
        if not timing.may_start(contest, participant, now):
            if not contest.window_minutes:
                messages.info(request, _("This round has one window for everyone: no Start."))
            elif now < contest.starts_at:
                messages.error(
                    request,
                    _("You can start from %(when)s.") % {"when": listing.local(contest.starts_at)},
                )
            else:
                messages.error(request, _("The round is over: it is too late to start."))
            return _detail(contest)
        timing.start(participant, now)
        messages.success(request, _("Your time has started. Good luck!"))
    return redirect(listing.first_task_url(contest) or reverse("contests:detail", args=[slug]))


@login_required
@require_POST
def withdraw(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    contest = Contest.objects.filter(slug=slug).first()
    if contest is None:
        raise Http404
    participant = Participant.objects.filter(contest=contest, pk=pk).first()
    if participant is None or not registering.concerns(request.user, participant):
        raise Http404
    try:
        done = registering.withdraw(participant, request.user)
    except Refused as refused:
        messages.error(request, refused.message)
    else:
        messages.success(
            request,
            {
                "removed": _("The registration is cancelled."),
                "left": _("You have left the team."),
                "withdrawn": _("The participant is withdrawn: left out of the standings."),
            }[done],
        )
    return _back(request, contest)


# --- A teacher's pupils ------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def register_group(request: HttpRequest, slug: str) -> HttpResponse:
    """A teacher chooses a group, ticks pupils (all at first) and gives each a class, a
    category (by the class unless chosen) and, in a team contest, a team."""
    contest = permissions.contest_or_404(request.user, slug)
    groups = list(event_permissions.groups_to_register(request.user).order_by("name"))
    if not groups:
        raise Http404
    group = _chosen_group(request, groups)
    listing.prefetch(contest)
    categories = list(contest.categories.all())
    pupils = list(
        event_permissions.pupils_to_register(request.user, group).order_by(*names.surname_order())
    )
    problems: dict[int, str] = {}
    if request.method == "POST":
        entries, problems = parse_group_post(
            request.POST, [p.pk for p in pupils], teams=contest.teams
        )
        if not problems:
            try:
                outcome = registering.register_pupils(contest, request.user, group, entries)
            except registering.BatchRefused as refused:
                problems = refused.problems
                messages.error(request, refused.message)
            except Refused as refused:
                messages.error(request, refused.message)
            else:
                messages.success(request, _outcome_text(outcome))
                return redirect(f"{request.path}?group={group.pk}")
        else:
            messages.error(request, _("Nothing was registered: check the marked pupils."))
    registered = registering.my_pupils_registered(contest, request.user, [p.pk for p in pupils])
    # The pupils are the teacher's own (a group they manage): they may cancel any of them
    # before the round; the organisers at any time. No query per row.
    organiser, now = permissions.is_organiser(request.user), timezone.now()
    rows = [
        _row(request, pupil, registered.get(pupil.pk), problems, contest, organiser, now)
        for pupil in pupils
    ]
    return render(
        request,
        "contests/register_group.html",
        {
            "contest": contest,
            "groups": groups,
            "group": group,
            "rows": rows,
            "categories": categories,
            "category_choices": category_choices(categories, empty_label=_("by the class")),
            "class_choices": CLASS_CHOICES,
            "class_all": request.POST.get("class_all", ""),
            "needs_class": audience.needs_class(categories),
            "refusal": audience.teacher_refusal(contest)
            or audience.school_refusal(contest, group.school),
            "submitted": request.method == "POST",
        },
    )


def _chosen_group(request: HttpRequest, groups: list):
    raw = request.POST.get("group") or request.GET.get("group")
    if raw is None:
        return groups[0]
    for group in groups:
        if str(group.pk) == raw:
            return group
    raise Http404  # another school's group, or garbage


def _row(request, pupil: User, participant, problems, contest, organiser, now) -> dict:
    post = request.POST
    posted = request.method == "POST"
    may_withdraw = participant is not None and (
        organiser
        or (
            participant.withdrawn_at is None
            and not registering.has_begun(contest, participant, now)
        )
    )
    return {
        "pupil": pupil,
        "name": registering.full_name_of(pupil),
        "participant": participant,
        "may_withdraw": may_withdraw,
        "ticked": (str(pupil.pk) in post.getlist("pupil")) if posted else participant is None,
        "class_value": post.get(f"class_{pupil.pk}", "") if posted else "",
        "category_value": post.get(f"category_{pupil.pk}", "") if posted else "",
        "team_value": post.get(f"team_{pupil.pk}", "") if posted else "",
        "problem": problems.get(pupil.pk, ""),
    }


def _outcome_text(outcome: registering.Outcome) -> str:
    parts = [
        ngettext("Registered: %(n)d pupil.", "Registered: %(n)d pupils.", outcome.pupils)
        % {"n": outcome.pupils}
    ]
    if outcome.already:
        parts.append(
            _("Already registered before: %(names)s.") % {"names": ", ".join(outcome.already)}
        )
    return " ".join(parts)


# --- The organisers' participants page ---------------------------------------------------------


def _organised(request: HttpRequest, slug: str) -> Contest:
    return permissions.organised_contest_or_404(request.user, slug)


@login_required
@require_safe
def participants(request: HttpRequest, slug: str) -> HttpResponse:
    contest = _organised(request, slug)
    listing.prefetch(contest)
    categories = list(contest.categories.all())
    category_id, school_id = request.GET.get("category"), request.GET.get("school")
    rows = participant_changes.listed(contest, category_id=category_id, school_id=school_id)
    page = Paginator(rows, PARTICIPANTS_PER_PAGE).get_page(request.GET.get("page"))
    schools = (
        Participant.objects.filter(contest=contest, school__isnull=False)
        .values_list("school_id", "school__name")
        .distinct()
        .order_by("school__name")
    )
    return render(
        request,
        "contests/participants.html",
        {
            "contest": contest,
            "page": page,
            "categories": categories,
            "schools": list(schools),
            "category_id": category_id or "",
            "school_id": school_id or "",
            "query": request.GET.urlencode(),
            "jury_url": listing.url_or_none("contests:jury", contest.slug),
            "now": timezone.now(),
        },
    )


@login_required
@require_safe
def participants_csv(request: HttpRequest, slug: str) -> HttpResponse:
    contest = _organised(request, slug)
    rows = participant_changes.listed(
        contest, category_id=request.GET.get("category"), school_id=request.GET.get("school")
    )
    response = HttpResponse(
        participant_changes.csv_export(contest, rows), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{contest.slug}-participants.csv"'
    return response


EDITS = {
    "extra": lambda p, post: participant_changes.set_extra_minutes(p, post.get("extra_minutes")),
    "category": lambda p, post: participant_changes.move_category(p, post.get("category")),
    "rename": lambda p, post: participant_changes.rename(
        p, post.get("name", ""), post.get("team_name")
    ),
    "class": lambda p, post: participant_changes.set_class(p, post.get("class_number")),
    "reinstate": lambda p, post: participant_changes.reinstate(p),
}


@login_required
@require_POST
def participant_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    contest = _organised(request, slug)
    participant = Participant.objects.filter(contest=contest, pk=pk).first()
    action = request.POST.get("action", "")
    if participant is None or action not in EDITS:
        raise Http404
    try:
        EDITS[action](participant, request.POST)
    except Refused as refused:
        messages.error(request, f"{participant.name}: {refused.message}")
    else:
        messages.success(request, _("Saved: %(name)s.") % {"name": participant.name})
    return _back(request, contest)
