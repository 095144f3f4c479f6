"""After the round: the jury's results page (the awards the rules give, publishing them, the
certificates issued), the final protocol (a printable page and XLSX), and a participant's own
result with their diploma. Thin: the rules are in contests.awards, contests.diplomas and
contests.protocol."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from contests import appeals, awards, diplomas, permissions, protocol, protocol_xlsx
from contests.models import Appeal, Award, Contest, Run
from events import certificates
from events.certificate_views import pdf_response


@login_required
@require_http_methods(["GET", "POST"])
def results(request: HttpRequest, slug: str) -> HttpResponse:
    contest = permissions.jury_contest_or_404(request.user, slug)
    if request.method == "POST":
        return _publish(request, contest)
    published = contest.results_published_at is not None
    context = {
        "contest": contest,
        "published": published,
        "refusal": awards.refusal(contest),
        "waiting_appeals": Appeal.objects.filter(
            contest=contest, status=Appeal.Status.PENDING
        ).count(),
        "queued_runs": Run.objects.filter(contest=contest, is_practice=False)
        .exclude(state=Run.State.DONE)
        .count(),
        "appeal_period": appeals.period(contest),
        "now": timezone.now(),
        "has_rules": contest.award_rules.exists(),
        "uncategorised": awards.uncategorised(contest),
        "icpc": contest.rules == Contest.Rules.ICPC,
    }
    if published:
        context["given"] = _given(contest)
    else:
        context["preview"] = [
            {"category": category, "board": board, "rows": _preview_rows(board, given)}
            for category, board, given in awards.preview(contest)
        ]
    return render(request, "contests/results.html", context)


def _preview_rows(board, given: dict[int, str]) -> list[dict]:
    return [
        {"row": row, "place": protocol.place(row), "award": given.get(row.participant_id, "")}
        for row in board.rows
    ]


def _given(contest: Contest) -> list[dict]:
    """The published awards by category, each with its standing certificates."""
    found = list(
        Award.objects.filter(participant__contest=contest)
        .select_related("participant", "category")
        .order_by("category__order", "category_id", "rank", "participant__name", "pk")
    )
    held = diplomas.standing_by_participant([a.participant_id for a in found])
    groups: list[dict] = []
    for award in found:
        name = award.category.name if award.category else ""
        if not groups or groups[-1]["category"] != name:
            groups.append({"category": name, "awards": []})
        place = ""
        if award.rank is not None:
            place = (
                f"{award.rank}–{award.rank_to}"
                if award.rank_to and award.rank_to != award.rank
                else str(award.rank)
            )
        groups[-1]["awards"].append(
            {"award": award, "place": place, "certificates": held.get(award.participant_id, [])}
        )
    return groups


def _publish(request: HttpRequest, contest: Contest) -> HttpResponse:
    if request.POST.get("confirm") != "yes":
        messages.error(request, _("Tick the box to confirm that the awards are checked."))
        return redirect("contests:results", contest.slug)
    again = contest.results_published_at is not None
    try:
        kept = awards.publish_results(contest, request.user)
    except awards.PublishError as error:
        messages.error(request, str(error))
        return redirect("contests:results", contest.slug)
    diplomas_count = sum(1 for award in kept if award.award)
    if again:
        messages.success(
            request,
            _(
                "The results are published again: the awards are updated, and the certificates "
                "of awards that changed are replaced."
            ),
        )
    else:
        messages.success(
            request,
            _(
                "The results are published. Diplomas: %(diplomas)d; certificates of "
                "participation: %(others)d."
            )
            % {"diplomas": diplomas_count, "others": len(kept) - diplomas_count},
        )
    return redirect("contests:results", contest.slug)


def _chair_id(request: HttpRequest) -> int | None:
    raw = request.GET.get("chair", "")
    return int(raw) if raw.isdigit() and len(raw) < 12 else None


@login_required
@require_GET
def protocol_page(request: HttpRequest, slug: str) -> HttpResponse:
    contest = permissions.jury_contest_or_404(request.user, slug)
    made = protocol.build(contest, chair_id=_chair_id(request))
    wide = any(len(table.tasks) > 6 for table in made.tables)
    return render(
        request,
        "contests/protocol.html",
        {"contest": contest, "protocol": made, "made_at": protocol.made_at(), "wide": wide},
    )


@login_required
@require_GET
def protocol_download(request: HttpRequest, slug: str) -> HttpResponse:
    contest = permissions.jury_contest_or_404(request.user, slug)
    made = protocol.build(contest, chair_id=_chair_id(request))
    response = HttpResponse(
        protocol_xlsx.workbook(made),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    readable = quote(f"{_('Protocol')} {contest.title}.xlsx", safe="")
    response["Content-Disposition"] = (
        f"attachment; filename=\"protocol-{contest.slug}.xlsx\"; filename*=UTF-8''{readable}"
    )
    response["Cache-Control"] = "private, no-store"
    return response


def _participant_or_404(request: HttpRequest, slug: str):
    contest = Contest.objects.filter(slug=slug, is_published=True).first()
    if contest is None:
        raise Http404
    participant = permissions.participant_of(request, contest)
    if participant is None:
        raise Http404
    return contest, participant


@never_cache
@require_GET
def my_result(request: HttpRequest, slug: str) -> HttpResponse:
    """A participant's place, score and award, and their diploma or certificate."""
    contest, participant = _participant_or_404(request, slug)
    award = None
    held = []
    if contest.results_published_at is not None:
        award = Award.objects.filter(participant=participant).first()
        if award is not None:
            held = [
                {
                    "certificate": certificate,
                    "download_url": _download_url(request, contest, certificate),
                }
                for certificate in diplomas.certificates_of(participant, request.user)
            ]
    context = {
        "contest": contest,
        "participant": participant,
        "award": award,
        "place": _place(award),
        "held": held,
        "icpc": contest.rules == Contest.Rules.ICPC,
    }
    return render(request, "contests/my_result.html", context)


def _place(award: Award | None) -> str:
    if award is None or award.rank is None:
        return ""
    if award.rank_to and award.rank_to != award.rank:
        return f"{award.rank}–{award.rank_to}"
    return str(award.rank)


def _download_url(request: HttpRequest, contest: Contest, certificate) -> str:
    if certificates.can_download(request.user, certificate):
        return reverse("certificates:pdf", args=[certificate.code])
    # Known by a code only (no account): the PDF comes through the participant's own page.
    return reverse("contests:my_certificate", args=[contest.slug, certificate.code])


@require_GET
def my_certificate(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    """The PDF of one of this participant's certificates (for participants known by a code,
    who have no account to download it from the certificates pages)."""
    contest, participant = _participant_or_404(request, slug)
    wanted = certificates.normalise_code(code)
    for certificate in diplomas.certificates_of(participant, request.user):
        if certificate.code == wanted:
            return pdf_response(certificate)
    raise Http404
