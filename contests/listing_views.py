"""The contests list (/contests/) and a contest's page (/contests/<slug>/). They parse the
query string, ask contests.listing, and render."""

from __future__ import annotations

import re

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from cms.markdown import render_markdown
from contests import audience, codes, listing, permissions
from contests.models import Contest
from contests.participation_forms import SelfForm


@require_safe
def index(request: HttpRequest) -> HttpResponse:
    kind = listing.parse_kind(request.GET.get("kind"))
    found = listing.index(request.user, kind=kind, page=request.GET.get("page"))
    organiser = permissions.is_organiser(request.user)
    return render(
        request,
        "contests/index.html",
        {
            "found": found,
            "kinds": Contest.Kind.choices,
            "kind": kind,
            "organiser": organiser,
            "create_url": listing.url_or_none("contests:create") if organiser else None,
            "manage_url": listing.url_or_none("contests:manage") if organiser else None,
        },
    )


@require_safe
def detail(request: HttpRequest, slug: str) -> HttpResponse:
    contest = permissions.contest_or_404(request.user, slug)
    listing.prefetch(contest)
    now = timezone.now()
    viewer = listing.viewer(request, contest, now)
    categories = list(contest.categories.all())
    form = None
    if viewer.action.kind == "register":
        form = SelfForm(contest=contest, categories=categories)
    return render(
        request,
        "contests/detail.html",
        {
            "contest": contest,
            "icon": listing.KIND_ICONS.get(contest.kind, "🏆"),
            "viewer": viewer,
            "form": form,
            "description": render_markdown(contest.description),
            "rules": listing.rules_in_words(contest),
            "schedule": listing.schedule(contest),
            "time_zone": listing.time_zone_label(),
            "audience": audience.audience_label(contest, contest.schools.all()),
            "categories": [(c.name, _classes_unless_named(c)) for c in categories],
            "ends_at_local": listing.local(viewer.ends_at) if viewer.ends_at else "",
            "jury_url": listing.url_or_none("contests:jury", slug) if viewer.jury else None,
            "participants_url": listing.url_or_none("contests:participants", slug)
            if viewer.organiser
            else None,
            "codes_url": listing.url_or_none("contests:codes", slug)
            if request.user.is_authenticated and codes.may_make_codes(request.user, contest)
            else None,
            "unpublished": not contest.is_published,
        },
    )


def _classes_unless_named(category) -> str:
    """ "classes 5–8", unless the name says it already ("5–8 классы")."""
    bounds = [str(b) for b in (category.min_class, category.max_class) if b is not None]
    if bounds and all(re.search(rf"(?<!\d){b}(?!\d)", category.name) for b in bounds):
        return ""
    return audience.classes_label(category)
