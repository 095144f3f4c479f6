"""The quiz builder: a quiz assignment's settings (time, pages, shuffling, release, the review
matrix) and its slots: add fixed questions from the course's bank and the park-wide one, add
random ones from a category and/or tag, set marks and versions, move, remove. Thin views:
slots.py writes, assessments.quiz.permissions decides (404 for quizzes one may not edit)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from assessments.models import Assignment
from assessments.quiz import permissions
from assessments.quiz.admin import slots as slot_services
from assessments.quiz.admin.banks import Bank, Tree, category_tree
from assessments.quiz.admin.common import authors_only, id_or_none
from assessments.quiz.admin.question_forms import qtype_label
from assessments.quiz.admin.quiz_forms import QuizSettingsForm, RandomForm
from assessments.quiz.admin.slots import SlotError
from assessments.quiz.models import (
    Question,
    QuestionCategory,
    QuestionVersion,
    Quiz,
    TaggedQuestion,
)

PICK_LIMIT = 100
PER_PAGE = 100


@require_GET
@authors_only
def quiz_list(request: HttpRequest) -> HttpResponse:
    quizzes = (
        Assignment.objects.filter(permissions.buildable_assignments_q(request.user))
        .select_related("course", "lesson")
        .annotate(slot_count=Count("quiz__slots"))
        .order_by("course__title", "title", "pk")
    )
    page = Paginator(quizzes, PER_PAGE).get_page(request.GET.get("p"))
    return render(request, "quiz/admin/quiz_list.html", {"page": page})


def _builder_url(assignment: Assignment, **params) -> str:
    url = reverse("quiz_admin:quiz", args=[assignment.pk])
    query = "&".join(f"{k}={v}" for k, v in params.items() if v not in (None, ""))
    return f"{url}?{query}" if query else url


class _Banks:
    """The two banks a course's quiz draws from: the course's and the park-wide one."""

    def __init__(self, assignment: Assignment):
        self.course = Bank(assignment.course)
        self.park = Bank(None)
        self.course_tree = category_tree(self.course)
        self.park_tree = category_tree(self.park)

    def trees(self) -> list[tuple[Bank, Tree]]:
        return [(self.course, self.course_tree), (self.park, self.park_tree)]

    def grouped_choices(self) -> list[tuple[str, list[tuple[int, str]]]]:
        return [(bank.label, tree.choices()) for bank, tree in self.trees() if tree.by_id]

    def subtree(self, category_id: int) -> set[int]:
        return self.course_tree.subtree_ids(category_id) or self.park_tree.subtree_ids(category_id)

    def path(self, category_id: int) -> str:
        for bank, tree in self.trees():
            if category_id in tree.by_id:
                return f"{bank.label}: {tree.by_id[category_id].label}"
        return ""


def _slot_rows(quiz: Quiz, banks: _Banks) -> tuple[list[dict], list, Decimal]:
    slots = list(
        quiz.slots.select_related("question__latest", "version", "random_category").order_by(
            "number"
        )
    )
    fixed_ids = {slot.question_id for slot in slots if not slot.is_random}
    versions: dict[int, list[tuple[int, int]]] = {}
    for pk, question_id, number in (
        QuestionVersion.objects.filter(question_id__in=fixed_ids)
        .order_by("-number")
        .values_list("pk", "question_id", "number")
    ):
        versions.setdefault(question_id, []).append((pk, number))
    pools = slot_services.pools(slots)
    rows = []
    for slot in slots:
        row = {"slot": slot}
        if slot.is_random:
            row["pool"] = slot_services.describe(
                slot.random_category, slot.include_subcategories, slot.random_tag
            )
            row["where"] = banks.path(slot.random_category_id) if slot.random_category_id else ""
            row["pool_size"] = len(pools[slot_services.Rule.of(slot)])
        else:
            latest = slot.question.latest
            row["title"] = latest.title if latest else str(slot.question)
            row["type_label"] = qtype_label(latest.qtype) if latest else ""
            row["versions"] = versions.get(slot.question_id, [])
            row["latest_number"] = latest.number if latest else None
            row["archived"] = slot.question.is_archived
        rows.append(row)
    total = sum((slot.mark for slot in slots), Decimal(0))
    return rows, slot_services.shortfalls(slots, pools), total


def _candidates(request: HttpRequest, assignment: Assignment, banks: _Banks):
    """Questions that may be added as fixed ones, filtered by category and text."""
    found = Question.objects.filter(
        permissions.usable_questions_q(request.user, assignment.course_id),
        is_archived=False,
        latest__isnull=False,
    ).select_related("latest")
    category_id = id_or_none(request.GET.get("pick_category"))
    if category_id is not None:
        found = found.filter(category_id__in=banks.subtree(category_id) or {0})
    text = request.GET.get("pick_q", "").strip()[:200]
    if text:
        found = found.filter(Q(latest__title__icontains=text) | Q(latest__text__icontains=text))
    rows = list(found.order_by("latest__title", "pk")[: PICK_LIMIT + 1])
    for question in rows:
        question.type_label = qtype_label(question.latest.qtype)
        question.path = banks.path(question.category_id)
    return rows[:PICK_LIMIT], len(rows) > PICK_LIMIT, category_id, text


@require_http_methods(["GET", "POST"])
@authors_only
def builder(request: HttpRequest, assignment_id: int) -> HttpResponse:
    assignment = permissions.quiz_assignment_or_404(request.user, assignment_id)
    quiz = slot_services.quiz_of(assignment)
    settings_form = QuizSettingsForm(request.POST or None, instance=quiz)
    if request.method == "POST" and settings_form.is_valid():
        settings_form.save()
        messages.success(request, _("Quiz settings saved."))
        return redirect("quiz_admin:quiz", assignment.pk)
    banks = _Banks(assignment)
    return _page(
        request,
        assignment,
        quiz,
        banks,
        settings_form,
        RandomForm(categories=banks.grouped_choices()),
    )


def _page(request, assignment, quiz, banks, settings_form, random_form, status=200):
    rows, short, total = _slot_rows(quiz, banks)
    candidates, more, pick_category, pick_q = _candidates(request, assignment, banks)
    tags = (
        TaggedQuestion.objects.filter(
            Q(content_object__category__course_id=assignment.course_id)
            | Q(content_object__category__course_id__isnull=True)
        )
        .values_list("tag__name", flat=True)
        .order_by("tag__name")
        .distinct()
    )
    context = {
        "assignment": assignment,
        "quiz": quiz,
        "settings_form": settings_form,
        "random_form": random_form,
        "rows": rows,
        "shortfalls": short,
        "total": total,
        "candidates": candidates,
        "more_candidates": more,
        "pick_category": pick_category,
        "pick_q": pick_q,
        "category_groups": banks.grouped_choices(),
        "tags": list(tags),
        "held": {row["slot"].question_id for row in rows if not row["slot"].is_random},
    }
    return render(request, "quiz/admin/quiz_builder.html", context, status=status)


@require_POST
@authors_only
def add_fixed(request: HttpRequest, assignment_id: int) -> HttpResponse:
    assignment = permissions.quiz_assignment_or_404(request.user, assignment_id)
    quiz = slot_services.quiz_of(assignment)
    ids = [id_or_none(value) for value in request.POST.getlist("question")]
    chosen = list(
        Question.objects.filter(
            permissions.usable_questions_q(request.user, assignment.course_id),
            pk__in=[pk for pk in ids if pk is not None],
            latest__isnull=False,
        ).select_related("latest")
    )
    chosen.sort(key=lambda question: ids.index(question.pk))  # in the order ticked
    if not ids:
        messages.error(request, _("Tick the questions to add."))
    elif len(chosen) != len(set(ids)) or None in ids:
        messages.error(request, _("Some of the chosen questions cannot be used in this quiz."))
    else:
        try:
            made = slot_services.add_fixed(
                quiz, chosen, pin_version=request.POST.get("version") == "fixed"
            )
        except SlotError as error:
            messages.error(request, str(error))
        else:
            n = len(made)
            messages.success(
                request,
                ngettext("%(n)d question added.", "%(n)d questions added.", n) % {"n": n},
            )
    return redirect(reverse("quiz_admin:quiz", args=[assignment.pk]) + "#slots")


@require_POST
@authors_only
def add_random(request: HttpRequest, assignment_id: int) -> HttpResponse:
    assignment = permissions.quiz_assignment_or_404(request.user, assignment_id)
    quiz = slot_services.quiz_of(assignment)
    banks = _Banks(assignment)
    form = RandomForm(request.POST, categories=banks.grouped_choices())
    if form.is_valid():
        data = form.cleaned_data
        category = None
        if data["category"] is not None:
            category = QuestionCategory.objects.filter(
                permissions.usable_categories_q(request.user, assignment.course_id),
                pk=data["category"],
            ).first()
        try:
            if data["category"] is not None and category is None:
                raise SlotError(_("Choose a category of this course's bank or the park's."))
            made = slot_services.add_random(
                quiz,
                category=category,
                include_subcategories=data["include_subcategories"],
                tag=data["tag"],
                count=data["count"],
                mark=data["mark"],
            )
        except SlotError as error:
            form.add_error(None, str(error))
        else:
            n = len(made)
            messages.success(
                request,
                ngettext("%(n)d random question added.", "%(n)d random questions added.", n)
                % {"n": n},
            )
            return redirect(reverse("quiz_admin:quiz", args=[assignment.pk]) + "#slots")
    settings_form = QuizSettingsForm(instance=quiz)
    return _page(request, assignment, quiz, banks, settings_form, form)


@require_POST
@authors_only
def slot_action(request: HttpRequest, assignment_id: int) -> HttpResponse:
    """The slots table's buttons: save marks and versions, or move or remove one slot."""
    assignment = permissions.quiz_assignment_or_404(request.user, assignment_id)
    quiz = slot_services.quiz_of(assignment)
    action, _sep, target = (request.POST.get("action") or "").partition(":")
    slot_id = id_or_none(target)
    try:
        if action in ("up", "down", "remove"):
            if slot_id is None or not quiz.slots.filter(pk=slot_id).exists():
                raise Http404
            if action == "remove":
                slot_services.remove(quiz, slot_id)
                messages.success(request, _("Removed from the quiz."))
            else:
                slot_services.move(quiz, slot_id, -1 if action == "up" else 1)
        elif action == "save":
            marks, versions = _posted_marks(request)
            changed = slot_services.update(quiz, marks, versions)
            messages.success(
                request,
                ngettext("%(n)d slot changed.", "%(n)d slots changed.", changed) % {"n": changed},
            )
        else:
            raise Http404
    except SlotError as error:
        messages.error(request, str(error))
    return redirect(reverse("quiz_admin:quiz", args=[assignment.pk]) + "#slots")


def _mark(value: str) -> Decimal:
    try:
        mark = Decimal(value.strip().replace(",", "."))
    except InvalidOperation:
        mark = None
    if mark is None or not mark.is_finite():
        raise SlotError(_("A mark must be a number, such as 1 or 0.5."))
    if not Decimal(0) <= mark <= slot_services.MAX_MARK:
        raise SlotError(
            _("A mark must be between 0 and %(max)s.") % {"max": slot_services.MAX_MARK}
        )
    return mark.quantize(Decimal("0.01"))


def _posted_marks(request) -> tuple[dict[int, Decimal], dict[int, int | None]]:
    marks: dict[int, Decimal] = {}
    versions: dict[int, int | None] = {}
    for key, value in request.POST.items():
        name, _sep, raw_id = key.partition("-")
        slot_id = id_or_none(raw_id)
        if slot_id is None:
            continue
        if name == "mark":
            marks[slot_id] = _mark(value)
        elif name == "version":
            versions[slot_id] = None if value in ("", "latest") else id_or_none(value) or -1
    return marks, versions
