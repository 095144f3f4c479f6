"""Appeals pages: a participant's appeals and the form to file one; the jury's list, the answer
to one appeal, and a direct score change. Thin: the rules are in contests.appeals and
contests.score_changes. Someone else's appeal answers 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from contests import appeals, permissions, score_changes
from contests.appeal_forms import AnswerForm, AppealForm, ChangeForm, PickForm
from contests.models import Appeal, Contest, ScoreChange

RECENT_CHANGES = 50


def _contest_and_role(request: HttpRequest, slug: str):
    """(contest, is jury, the participant this request acts as); 404 for anyone else."""
    contest = Contest.objects.filter(slug=slug).first()
    if contest is None:
        raise Http404
    if permissions.is_jury(request.user, contest):
        return contest, True, None
    if not contest.is_published:
        raise Http404
    participant = permissions.participant_of(request, contest)
    if participant is None:
        raise Http404
    return contest, False, participant


@require_http_methods(["GET", "POST"])
def appeal_list(request: HttpRequest, slug: str) -> HttpResponse:
    contest, jury, participant = _contest_and_role(request, slug)
    if jury:
        return _jury_list(request, contest)
    refusal = appeals.refusal(contest, participant)
    form = AppealForm(request.POST or None, contest=contest)
    if request.method == "POST":
        if refusal:
            messages.error(request, refusal)
            return redirect("contests:appeals", contest.slug)
        if form.is_valid():
            try:
                appeal, created = appeals.file_appeal(
                    contest,
                    participant,
                    form.cleaned_data["task"],
                    request.user,
                    form.cleaned_data["text"],
                )
            except appeals.AppealError as error:
                form.add_error(None, str(error))
            else:
                if created:
                    messages.success(request, _("Your appeal is filed: the jury will answer it."))
                else:
                    messages.info(
                        request, _("An appeal of yours on this task already waits for the jury.")
                    )
                return redirect("contests:appeal", contest.slug, appeal.pk)
    context = {
        "contest": contest,
        "participant": participant,
        "appeals": list(appeals.visible_appeals(contest, participant, jury=False)),
        "period": appeals.period(contest, participant),
        "refusal": refusal,
        "form": form,
    }
    return render(request, "contests/appeals.html", context)


def _jury_list(request: HttpRequest, contest: Contest) -> HttpResponse:
    if request.method == "POST":
        raise Http404
    found = list(appeals.visible_appeals(contest, None, jury=True))
    changes = list(
        ScoreChange.objects.filter(participant__contest=contest)
        .select_related("participant", "task", "changed_by", "run")
        .order_by("-changed_at", "-pk")[:RECENT_CHANGES]
    )
    context = {
        "contest": contest,
        "appeals": found,
        "waiting": sum(1 for a in found if a.status == Appeal.Status.PENDING),
        "changes": changes,
        "period": appeals.period(contest),
    }
    return render(request, "contests/appeals_jury.html", context)


def _appeal_or_404(contest: Contest, pk: int, participant) -> Appeal:
    found = Appeal.objects.filter(pk=pk, contest=contest).select_related(
        "task", "participant", "answered_by"
    )
    if participant is not None:
        found = found.filter(participant=participant)
    appeal = found.first()
    if appeal is None:
        raise Http404
    return appeal


@require_http_methods(["GET", "POST"])
def appeal_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    contest, jury, participant = _contest_and_role(request, slug)
    appeal = _appeal_or_404(contest, pk, None if jury else participant)
    if not jury:
        if request.method == "POST":
            raise Http404
        return render(
            request, "contests/appeal.html", {"contest": contest, "appeal": appeal, "jury": False}
        )
    runs = list(score_changes.runs_to_change(appeal.participant, appeal.task))
    pending = appeal.status == Appeal.Status.PENDING
    form = AnswerForm(request.POST or None, contest=contest, runs=runs) if pending else None
    if request.method == "POST":
        if form is None:
            messages.info(request, _("This appeal has already been answered."))
            return redirect("contests:appeal", contest.slug, appeal.pk)
        if form.is_valid():
            data = form.cleaned_data
            try:
                appeals.answer(
                    appeal,
                    request.user,
                    status=data["status"],
                    answer_text=data["answer"],
                    score=data.get("score"),
                    run=form.chosen_run(),
                    verdict=data.get("verdict", ""),
                )
            except appeals.AppealError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("The answer is saved: the participant is told."))
                return redirect("contests:appeal", contest.slug, appeal.pk)
    context = {
        "contest": contest,
        "appeal": appeal,
        "jury": True,
        "form": form,
        "runs": runs,
        "icpc": contest.rules == Contest.Rules.ICPC,
        "current": None
        if contest.rules == Contest.Rules.ICPC or appeal.task.removed_at
        else score_changes.current_score(contest, appeal.participant, appeal.task),
        "changes": list(appeal.score_changes.select_related("changed_by", "run")),
        "max_score": score_changes.highest_score(appeal.task),
    }
    return render(request, "contests/appeal.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def score_change(request: HttpRequest, slug: str) -> HttpResponse:
    """The jury changes a result without an appeal (a run judged again by hand)."""
    contest = permissions.jury_contest_or_404(request.user, slug)
    pick = PickForm(request.GET or None, contest=contest)
    participant = task = None
    if pick.is_valid():
        participant, task = pick.cleaned_data["participant"], pick.cleaned_data["task"]
    runs = list(score_changes.runs_to_change(participant, task)) if participant else []
    form = None
    if participant is not None:
        form = ChangeForm(request.POST or None, contest=contest, runs=runs)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                score_changes.change_score(
                    contest,
                    participant,
                    task,
                    request.user,
                    reason=data["reason"],
                    score=data.get("score"),
                    run=form.chosen_run(),
                    verdict=data.get("verdict", ""),
                )
            except score_changes.ChangeError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("The result is changed; the change is kept."))
                return redirect("contests:appeals", contest.slug)
    elif request.method == "POST":
        messages.error(request, _("Choose the participant and the task first."))
    icpc = contest.rules == Contest.Rules.ICPC
    context = {
        "contest": contest,
        "pick": pick,
        "participant": participant,
        "task": task,
        "form": form,
        "runs": runs,
        "icpc": icpc,
        "current": score_changes.current_score(contest, participant, task)
        if participant is not None and not icpc
        else None,
        "max_score": score_changes.highest_score(task) if task is not None else None,
        "now": timezone.now(),
    }
    return render(request, "contests/appeal_change.html", context)
