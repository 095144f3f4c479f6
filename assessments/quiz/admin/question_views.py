"""The question editor: make a question, edit it (a new version only when something changed),
preview it as a pupil sees it (the saved version, or the form's without saving), move it to
another category of its bank, archive it. assessments.quiz.validation says what a question
must hold; bank_services.py writes; assessments.quiz.permissions decides who may."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from assessments.quiz import permissions
from assessments.quiz.admin import bank_services, common
from assessments.quiz.admin.bank_services import BankError
from assessments.quiz.admin.banks import Bank, Tree, category_tree, chosen_bank
from assessments.quiz.admin.common import authors_only, bank_url, id_or_none, with_bank
from assessments.quiz.admin.question_forms import (
    QuestionForm,
    answer_formset,
    build_spec,
    initial_from,
    qtype_label,
)
from assessments.quiz.models import Question, QuestionCategory
from assessments.quiz.questions import SpecError
from assessments.quiz.validation import problems

MAX_VERSIONS_SHOWN = 50


class MoveForm(forms.Form):
    category = forms.TypedChoiceField(label=gettext_lazy("Move to the category"), coerce=int)

    def __init__(self, *args, categories: list[tuple[int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = categories


@require_http_methods(["GET", "POST"])
@authors_only
def question_create(request: HttpRequest) -> HttpResponse:
    bank = chosen_bank(request.user, request.GET.get("bank"))
    tree = category_tree(bank)
    if not tree.by_id:
        messages.info(request, _("Make a category first: every question lives in one."))
        return redirect(with_bank(reverse("quiz_admin:category_create"), bank))
    return _editor(request, bank, tree, None)


@require_http_methods(["GET", "POST"])
@authors_only
def question_edit(request: HttpRequest, question_id: int) -> HttpResponse:
    question = permissions.question_or_404(request.user, question_id)
    if question.latest is None:  # never saved through a service: nothing to edit
        raise Http404
    bank = Bank(question.category.course)
    return _editor(request, bank, category_tree(bank), question)


def _editor(request: HttpRequest, bank: Bank, tree: Tree, question: Question | None):
    creating = question is None
    categories = tree.choices() if creating else None
    preview = None
    previewed_unsaved = False
    if request.method == "POST":
        form = QuestionForm(request.POST, categories=categories)
        formset = answer_formset(request.POST)
        if form.is_valid() and formset.is_valid():
            idnumber = question.latest.spec.idnumber if question and question.latest else ""
            spec, found = build_spec(form, formset, idnumber)
            found += [problem for problem in problems(spec) if problem not in found]
            for problem in found:
                form.add_error(None, problem)
            if not found and request.POST.get("action") == "preview":
                preview, previewed_unsaved = common.preview(spec), True
            elif not found:
                response = _save(request, bank, question, spec, form)
                if response is not None:
                    return response
    else:
        initial, rows = {}, []
        if question is not None:
            initial, rows = initial_from(question.latest, sorted(question.tags.names()))
            preview = common.preview(question.latest.spec)
        else:
            chosen = id_or_none(request.GET.get("category"))
            initial["category"] = chosen if chosen in tree.by_id else None
        form = QuestionForm(initial=initial, categories=categories)
        formset = answer_formset(initial=rows)
    context = {
        "bank": bank,
        "question": question,
        "form": form,
        "formset": formset,
        "preview": preview,
        "previewed_unsaved": previewed_unsaved,
        "back_url": bank_url(bank, question.category_id if question else None),
    }
    if question is not None:
        context["versions"] = list(
            question.versions.select_related("created_by").order_by("-number")[:MAX_VERSIONS_SHOWN]
        )
        context["type_label"] = qtype_label(question.latest.qtype)
        context["category_path"] = tree.path_of(question.category_id)
        others = tree.choices(exclude={question.category_id})
        context["move_form"] = MoveForm(categories=others) if others else None
    return render(request, "quiz/admin/question_form.html", context)


def _save(request, bank: Bank, question: Question | None, spec, form) -> HttpResponse | None:
    data = form.cleaned_data
    if question is None:
        category = QuestionCategory.objects.filter(bank.q(), pk=data["category"]).first()
        if category is None:
            form.add_error("category", _("Choose a category of this bank."))
            return None
    else:
        category = question.category
    try:
        saved = bank_services.save_question(
            question, category, spec, request.user, mark=data["mark"], tags=data["tags"]
        )
    except (SpecError, BankError) as error:
        form.add_error(None, str(error))
        return None
    number = saved.version.number
    if question is None:
        messages.success(request, _("Question saved as version %(n)d.") % {"n": number})
    elif saved.new_version:
        messages.success(request, _("Saved as version %(n)d.") % {"n": number})
    elif saved.tags_changed:
        messages.success(
            request,
            _("Tags saved; the question itself did not change (still version %(n)d).")
            % {"n": number},
        )
    else:
        messages.info(request, _("Nothing changed."))
    return redirect("quiz_admin:question_edit", saved.question.pk)


@require_POST
@authors_only
def question_move(request: HttpRequest, question_id: int) -> HttpResponse:
    question = permissions.question_or_404(request.user, question_id)
    bank = Bank(question.category.course)
    tree = category_tree(bank)
    form = MoveForm(request.POST, categories=tree.choices(exclude={question.category_id}))
    if not form.is_valid():
        messages.error(request, _("Choose a category of this bank."))
        return redirect("quiz_admin:question_edit", question.pk)
    category = QuestionCategory.objects.filter(bank.q(), pk=form.cleaned_data["category"]).first()
    try:
        if category is None:
            raise BankError(_("Choose a category of this bank."))
        bank_services.move_question(question, category)
    except BankError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, _("Moved to “%(path)s”.") % {"path": tree.by_id[category.pk].label}
        )
    return redirect("quiz_admin:question_edit", question.pk)


@require_POST
@authors_only
def question_archive(request: HttpRequest, question_id: int) -> HttpResponse:
    question = permissions.question_or_404(request.user, question_id)
    archive = request.POST.get("archived") == "1"
    bank_services.set_archived(question, archive)
    if archive:
        messages.success(request, _("Archived: new attempts no longer draw this question."))
    else:
        messages.success(request, _("Back in use: new attempts may draw this question again."))
    return redirect("quiz_admin:question_edit", question.pk)
