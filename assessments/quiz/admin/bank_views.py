"""The bank's index (a bank, its category tree, the questions of a category), its categories
(create, rename and move, delete) and the GIFT export. Thin views: banks.py and
bank_queries.py read, bank_services.py writes, assessments.quiz.permissions decides."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from assessments.quiz import permissions
from assessments.quiz.admin import bank_queries, bank_services
from assessments.quiz.admin.bank_services import BankError
from assessments.quiz.admin.banks import Bank, banks_for, category_tree, chosen_bank
from assessments.quiz.admin.common import authors_only, bank_url, id_or_none, with_bank
from assessments.quiz.admin.question_forms import qtype_label
from assessments.quiz.models import QuestionCategory
from assessments.quiz.questions import category_deletion_refusal

PER_PAGE = 100


@require_GET
@authors_only
def index(request: HttpRequest) -> HttpResponse:
    user = request.user
    banks = banks_for(user)
    bank = chosen_bank(user, request.GET.get("bank"), banks)
    tree = category_tree(bank)
    node = None
    if request.GET.get("category"):
        node = tree.by_id.get(id_or_none(request.GET["category"]))
        if node is None:
            raise Http404
    with_sub = request.GET.get("sub") == "1"
    tag = request.GET.get("tag", "").strip()[:100]
    text = request.GET.get("q", "").strip()[:200]
    ids = None
    if node is not None:
        ids = tree.subtree_ids(node.pk) if with_sub else {node.pk}
    rows = bank_queries.question_rows(bank, ids, tag=tag, text=text)
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("p"))
    for question in page:
        question.type_label = qtype_label(question.latest.qtype)
        question.tag_names = sorted(t.name for t in question.tags.all())
    context = {
        "banks": banks,
        "bank": bank,
        "tree": tree,
        "nodes": tree.flat(),
        "node": node,
        "with_sub": with_sub,
        "tag": tag,
        "q": text,
        "tags": bank_queries.bank_tags(bank),
        "page": page,
        "filtered": bool(tag or text),
        "create_url": with_bank(
            reverse("quiz_admin:question_create"), bank, category=node.pk if node else None
        ),
    }
    return render(request, "quiz/admin/index.html", context)


class CategoryForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=255)
    parent = forms.TypedChoiceField(
        label=gettext_lazy("Parent category"),
        coerce=int,
        empty_value=None,
        required=False,
    )
    info = forms.CharField(
        label=gettext_lazy("Description"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, parents: list[tuple[int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].choices = [("", _("— the top of the bank —")), *parents]


def _parent(bank: Bank, parent_id: int | None) -> QuestionCategory | None:
    if parent_id is None:
        return None
    return QuestionCategory.objects.filter(bank.q(), pk=parent_id).first()


@require_http_methods(["GET", "POST"])
@authors_only
def category_create(request: HttpRequest) -> HttpResponse:
    bank = chosen_bank(request.user, request.GET.get("bank") or request.POST.get("bank"))
    tree = category_tree(bank)
    initial_parent = id_or_none(request.GET.get("parent"))
    form = CategoryForm(
        request.POST or None,
        parents=tree.choices(),
        initial={"parent": initial_parent if initial_parent in tree.by_id else None},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            category = bank_services.create_category(
                bank.course, data["name"], _parent(bank, data["parent"]), data["info"]
            )
        except BankError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Category “%(name)s” made.") % {"name": category.name})
            return redirect(bank_url(bank, category.pk))
    context = {"form": form, "bank": bank, "category": None}
    return render(request, "quiz/admin/category_form.html", context)


@require_http_methods(["GET", "POST"])
@authors_only
def category_edit(request: HttpRequest, category_id: int) -> HttpResponse:
    category = permissions.category_or_404(request.user, category_id)
    bank = Bank(category.course)
    tree = category_tree(bank)
    form = CategoryForm(
        request.POST or None,
        parents=tree.choices(exclude=tree.subtree_ids(category.pk)),
        initial={"name": category.name, "parent": category.parent_id, "info": category.info},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            bank_services.update_category(
                category, name=data["name"], parent=_parent(bank, data["parent"]), info=data["info"]
            )
        except BankError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Category saved."))
            return redirect(bank_url(bank, category.pk))
    context = {"form": form, "bank": bank, "category": category, "node": tree.by_id[category.pk]}
    return render(request, "quiz/admin/category_form.html", context)


@require_http_methods(["GET", "POST"])
@authors_only
def category_delete(request: HttpRequest, category_id: int) -> HttpResponse:
    category = permissions.category_or_404(request.user, category_id)
    bank = Bank(category.course)
    if request.method == "POST":
        try:
            bank_services.delete_category(category)
        except BankError as error:
            messages.error(request, str(error))
            return redirect(bank_url(bank, category.pk))
        messages.success(request, _("Category “%(name)s” deleted.") % {"name": category.name})
        return redirect(bank_url(bank, category.parent_id))
    refusal = category_deletion_refusal(category)
    context = {"bank": bank, "category": category, "refusal": refusal}
    return render(request, "quiz/admin/category_delete.html", context)


@require_GET
@authors_only
def export(request: HttpRequest) -> HttpResponse:
    """A .gift file (UTF-8) of a category with its subcategories, or of the whole bank."""
    bank = chosen_bank(request.user, request.GET.get("bank"))
    tree = category_tree(bank)
    category_id = None
    if request.GET.get("category"):
        category_id = id_or_none(request.GET["category"])
        if category_id not in tree.by_id:
            raise Http404
    text = bank_queries.export_text(bank, tree, category_id)
    name = bank.label if category_id is None else tree.path_of(category_id)
    filename = (slugify(name, allow_unicode=True) or "questions") + ".gift"
    response = HttpResponse(text.encode("utf-8"), content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response
