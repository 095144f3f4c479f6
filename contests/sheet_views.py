"""The judges' pages: the list of what they score (participants × runs, the state of every
cell) and the sheet of one run, made for a tablet or a phone at the field. Thin views:
contests.sheets decides, saves and counts. Judges of the contest and organisers only; anything
else, and a task or category the judge does not score, answers 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods

from contests import permissions, sheet_scores, sheets
from contests.models import Contest, Criterion, Sheet, Task
from contests.sheet_forms import SheetForm, count_field_name, format_time
from lms import numbers


def _contest_for_judge(user, slug: str) -> Contest:
    contest = Contest.objects.filter(slug=slug).first()
    if contest is None or not permissions.is_judge(user, contest):
        raise Http404
    return contest


def _id_param(request: HttpRequest, name: str) -> int | None:
    value = request.GET.get(name, "")
    if not value:
        return None
    if not (value.isascii() and value.isdigit()) or len(value) > 18:
        raise Http404
    return int(value)


def _query(**params) -> str:
    kept = {k: v for k, v in params.items() if v is not None}
    return f"?{urlencode(kept)}" if kept else ""


@login_required
@require_GET
def sheet_list(request: HttpRequest, slug: str) -> HttpResponse:
    user = request.user
    contest = _contest_for_judge(user, slug)
    scope = sheets.judge_scope(user, contest)
    tasks = sheets.judgeable_tasks(contest, scope)
    task_id = _id_param(request, "task")
    if task_id is None:
        task = tasks[0] if tasks else None
    else:
        task = next((t for t in tasks if t.pk == task_id), None)
        if task is None:
            raise Http404
    categories = sheets.judgeable_categories(contest, scope, task) if task else []
    category_id = _id_param(request, "category")
    if category_id is not None and category_id not in {c.pk for c in categories}:
        raise Http404
    organiser = permissions.is_organiser(user)
    full_names = permissions.is_jury(user, contest)
    rows = []
    if task is not None:
        # The sheet's address from its parts: reversing it for every cell of a thousand
        # participants costs more than the rest of the page (tests pin it to the URL name).
        base = reverse("contests:sheets", args=[contest.slug])
        suffix = _query(category=category_id)
        for line in sheets.progress(task, scope=scope, user=user, category_id=category_id):
            participant = line.participant
            rows.append(
                {
                    "participant": participant,
                    "label": sheets.participant_label(participant, full_names=full_names),
                    "school": sheets.school_of(participant),
                    "cells": [
                        {
                            "run": cell,
                            "url": f"{base}{task.pk}/{participant.pk}/{cell.number}/{suffix}",
                        }
                        for cell in line.runs
                    ],
                    "scored": sum(
                        1 for cell in line.runs if (cell.sheets if organiser else cell.mine)
                    ),
                }
            )
    context = {
        "contest": contest,
        "tasks": tasks,
        "task": task,
        "categories": categories,
        "category_id": category_id,
        "rows": rows,
        "runs": range(1, task.runs_allowed + 1) if task else [],
        "organiser": organiser,
        "locked": sheets.is_locked(contest),
        "scored": sum(row["scored"] for row in rows),
        "cells": len(rows) * (task.runs_allowed if task else 0),
    }
    return render(request, "contests/sheets.html", context)


def _next_url(contest, task, participant, run_number, scope, category_id) -> str:
    """The same run of the next participant in the judge's list; the list after the last."""
    ids = sheets.judgeable_participants(task, scope)
    if category_id is not None:
        ids = ids.filter(category_id=category_id)
    ids = list(ids.values_list("pk", flat=True))
    suffix = _query(category=category_id)
    if participant.pk in ids:
        position = ids.index(participant.pk)
        if position + 1 < len(ids):
            following = ids[position + 1]
            url = reverse("contests:sheet", args=[contest.slug, task.pk, following, run_number])
            return url + suffix
    return reverse("contests:sheets", args=[contest.slug]) + _query(
        task=task.pk, category=category_id
    )


def _saved_message(label: str, run_number: int, score) -> str:
    points = numbers.number(score)
    return ngettext(
        "Saved: %(name)s, run %(run)s: %(points)s point.",
        "Saved: %(name)s, run %(run)s: %(points)s points.",
        numbers.plural_count(score),
    ) % {"name": label, "run": run_number, "points": points}


def _initial(sheet: Sheet | None, criteria: list[Criterion]) -> dict:
    if sheet is None:
        return {count_field_name(c): 0 for c in criteria if c.kind != Criterion.Kind.TIME}
    counts = {str(k): v for k, v in (sheet.counts or {}).items()}
    initial = {
        count_field_name(c): counts.get(str(c.pk), 0)
        for c in criteria
        if c.kind != Criterion.Kind.TIME
    }
    initial["time"] = format_time(sheet.time_seconds)
    initial["comment"] = sheet.comment
    return initial


@login_required
@require_http_methods(["GET", "POST"])
def sheet_page(
    request: HttpRequest, slug: str, task_id: int, participant_id: int, run_number: int
) -> HttpResponse:
    user = request.user
    contest = _contest_for_judge(user, slug)
    task = (
        contest.tasks.filter(pk=task_id, kind=Task.Kind.JUDGED).prefetch_related("criteria").first()
    )
    participant = (
        contest.participants.filter(pk=participant_id).select_related("category", "school").first()
    )
    if task is None or participant is None or not 1 <= run_number <= task.runs_allowed:
        raise Http404
    if not permissions.may_judge(user, task, participant.category):
        raise Http404
    organiser = permissions.is_organiser(user)
    scope = sheets.judge_scope(user, contest)
    category_id = _id_param(request, "category")
    run_sheets = sheets.sheets_of_run(task, participant, run_number)
    judge_id = _id_param(request, "judge") or user.pk
    if judge_id != user.pk:
        # Organisers fix another judge's existing sheet; nobody else opens one.
        sheet = next((s for s in run_sheets if s.judge_id == judge_id), None)
        if not organiser or sheet is None:
            raise Http404
        judge = sheet.judge
    else:
        sheet = next((s for s in run_sheets if s.judge_id == user.pk), None)
        judge = user
    criteria = list(task.criteria.all())
    with_time = sheets.takes_time(task, criteria)
    full_names = permissions.is_jury(user, contest)
    label = sheets.participant_label(participant, full_names=full_names)
    refusal = sheets.why_closed(task, participant)
    closed = refusal.message if refusal else ""
    status = 200
    if request.method == "POST":
        form = SheetForm(request.POST, criteria=criteria, with_time=with_time)
        if form.is_valid():
            try:
                saved = sheets.save_sheet(
                    task,
                    participant,
                    run_number,
                    judge,
                    form.counts(),
                    form.time_seconds(),
                    form.cleaned_data.get("comment", ""),
                    by=user,
                )
            except sheets.SheetRefused as refusal:
                form.add_error(None, refusal.message)
            else:
                messages.success(request, _saved_message(label, run_number, saved.score))
                if request.POST.get("then") == "next" and judge_id == user.pk:
                    return redirect(
                        _next_url(contest, task, participant, run_number, scope, category_id)
                    )
                return redirect(
                    reverse("contests:sheet", args=[slug, task.pk, participant.pk, run_number])
                    + _query(judge=None if judge_id == user.pk else judge_id, category=category_id)
                )
        status = 400
    else:
        form = SheetForm(initial=_initial(sheet, criteria), criteria=criteria, with_time=with_time)
    lines = []
    for criterion in criteria:
        if criterion.kind == Criterion.Kind.TIME:
            continue
        lines.append({"criterion": criterion, "field": form[count_field_name(criterion)]})
    cell = sheets.run_cell(task, run_number, run_sheets, user)
    judge_rows = []
    if organiser:
        here = reverse("contests:sheet", args=[slug, task.pk, participant.pk, run_number])
        for one in run_sheets:
            counts = {str(k): v for k, v in (one.counts or {}).items()}
            judge_rows.append(
                {
                    "sheet": one,
                    "counts": [counts.get(str(line["criterion"].pk), 0) for line in lines],
                    "time": format_time(one.time_seconds),
                    "fix_url": None
                    if one.judge_id == user.pk
                    else here + _query(judge=one.judge_id, category=category_id),
                }
            )
    runs = []
    for number in range(1, task.runs_allowed + 1):
        runs.append(
            {
                "number": number,
                "url": reverse("contests:sheet", args=[slug, task.pk, participant.pk, number])
                + _query(category=category_id),
            }
        )
    context = {
        "contest": contest,
        "task": task,
        "participant": participant,
        "label": label,
        "school": sheets.school_of(participant),
        "run_number": run_number,
        "runs": runs,
        "form": form,
        "lines": lines,
        "with_time": with_time,
        "sheet": sheet,
        "judge": judge,
        "editing_other": judge_id != user.pk,
        "organiser": organiser,
        "cell": cell,
        "judge_rows": judge_rows,
        "combined_time": format_time(cell.result.time_seconds) if cell.result else "",
        "closed": closed,
        "max_score": sheet_scores.max_sheet_score(sheets.specs(task)),
        "shown_score": sheet.score if sheet else 0,
        "list_url": reverse("contests:sheets", args=[slug])
        + _query(task=task.pk, category=category_id),
        "action": request.get_full_path(),
    }
    return render(request, "contests/sheet.html", context, status=status)
