"""Participant codes: making them for a school, the printed sheet of cards, and entering one
(contests.codes has the rules). The sheet is never cached: the codes are the keys."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models.functions import Lower
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from contests import codes, listing, permissions, registering
from contests.audience import Refused
from contests.models import Contest
from contests.participation_forms import CodeForm, CodesForm
from events import permissions as event_permissions

SHEET_MAX = 500


@require_http_methods(["GET", "POST"])
def enter_code(request: HttpRequest, slug: str) -> HttpResponse:
    contest = permissions.contest_or_404(request.user, slug)
    form = CodeForm(request.POST or None)
    blocked = codes.is_blocked(request)
    if request.method == "POST" and form.is_valid():
        try:
            participant = codes.enter(request, contest, form.cleaned_data["code"])
        except Refused as refused:
            form.add_error("code", refused.message)
        else:
            messages.success(request, _("Welcome, %(name)s!") % {"name": str(participant)})
            return redirect("contests:detail", contest.slug)
    return render(
        request,
        "contests/enter_code.html",
        {
            "contest": contest,
            "form": form,
            "blocked": blocked and not form.errors,
            "blocked_message": codes.blocked_message(),
        },
    )


# --- Making and printing codes ------------------------------------------------------------------


def _codes_contest(request: HttpRequest, slug: str) -> Contest:
    contest = permissions.contest_or_404(request.user, slug)
    if not codes.may_make_codes(request.user, contest):
        raise Http404
    return contest


@login_required
@require_http_methods(["GET", "POST"])
def codes_page(request: HttpRequest, slug: str) -> HttpResponse:
    contest = _codes_contest(request, slug)
    listing.prefetch(contest)
    categories = list(contest.categories.all())
    schools = list(codes.schools_for_codes(request.user, contest))
    groups = list(event_permissions.groups_to_register(request.user).order_by("name"))
    form = CodesForm(
        request.POST or None,
        schools=schools,
        categories=categories,
        groups=groups,
        max_count=codes.max_batch(),
    )
    if request.method == "POST" and form.is_valid():
        made = _make_codes(request, contest, form, schools, categories, groups)
        if made:
            messages.success(
                request,
                ngettext("%(n)d code is made.", "%(n)d codes are made.", len(made))
                % {"n": len(made)},
            )
            query = f"school={made[0].school_id}&first={made[0].pk}&last={made[-1].pk}"
            return redirect(f"{reverse('contests:code_sheet', args=[slug])}?{query}")
    made_so_far = codes.visible_codes(request.user, contest).select_related("category")
    batches = _batches(made_so_far)
    return render(
        request,
        "contests/codes.html",
        {"contest": contest, "form": form, "batches": batches, "schools": schools},
    )


def _make_codes(request, contest, form, schools, categories, groups):
    data = form.cleaned_data
    school = next(s for s in schools if str(s.pk) == data["school"])
    category = next((c for c in categories if str(c.pk) == data.get("category")), None)
    names_given: list[str] = []
    if data["way"] == "list":
        names_given = codes.typed_names(data["names"])
    elif data["way"] == "group":
        group = next((g for g in groups if str(g.pk) == data["group"]), None)
        if group is None:
            raise Http404
        pupils = event_permissions.pupils_to_register(request.user, group)
        names_given = sorted(registering.full_name_of(p) for p in pupils)
        if not names_given:
            form.add_error("group", _("This group has no pupils yet."))
            return None
    try:
        return codes.create_codes(
            contest,
            request.user,
            school=school,
            category=category,
            names=names_given,
            count=data.get("count") if data["way"] == "count" else None,
            class_number=data.get("class_number"),
        )
    except Refused as refused:
        form.add_error(None, refused.message)
        return None


def _batches(rows) -> list[dict]:
    """The codes made so far, by school and category (counts only: the sheet has the names)."""
    seen: dict[tuple, dict] = {}
    for p in rows.order_by("school_name", "category__order", "pk"):
        key = (p.school_id, p.category_id)
        batch = seen.setdefault(
            key,
            {
                "school_id": p.school_id,
                "school_name": p.school_name,
                "category": p.category,
                "count": 0,
                "withdrawn": 0,
            },
        )
        batch["count"] += 1
        batch["withdrawn"] += p.withdrawn_at is not None
    return list(seen.values())


def _int(raw) -> int | None:
    try:
        return int(raw)
    except (TypeError, ValueError):
        return None


@never_cache  # the codes are the keys: no shared cache keeps a copy
@login_required
@require_safe
def code_sheet(request: HttpRequest, slug: str) -> HttpResponse:
    """One card per code participant: the contest, the name, the code and where to type it."""
    contest = _codes_contest(request, slug)
    rows = codes.visible_codes(request.user, contest).filter(withdrawn_at__isnull=True)
    for name, lookup in (
        ("school", "school_id"),
        ("category", "category_id"),
        ("first", "pk__gte"),
        ("last", "pk__lte"),
    ):
        value = _int(request.GET.get(name))
        if value is not None:
            rows = rows.filter(**{lookup: value})
    rows = rows.select_related("category").order_by("school_name", Lower("name"), "pk")
    cards = list(rows[:SHEET_MAX])
    address = request.build_absolute_uri(reverse("contests:enter_code", args=[slug]))
    return render(
        request,
        "contests/codes_sheet.html",
        {
            "contest": contest,
            "cards": [(p, codes.shown(p.code)) for p in cards],
            "address": address,
            "qr": codes.address_qr(address),
            "starts": listing.local(contest.starts_at),
            "cut": len(cards) == SHEET_MAX,
        },
    )
