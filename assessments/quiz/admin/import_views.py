"""Importing a GIFT file in three steps: upload (file, target category, "skip invalid"), a
preview of what would be imported (counts by type, the categories that will be made, every
error and warning with its line, the first questions as pupils see them), then confirm.

The file is checked against importing.MAX_BYTES before its body is read where the request
says how big it is, and read into memory only up to the limit. Between the steps it waits in
the cache (import_store.py). Whatever the file holds, the author gets a message, never a 500."""

from __future__ import annotations

from io import BytesIO

from django import forms
from django.contrib import messages
from django.core.files.uploadedfile import InMemoryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods

from assessments.quiz import importing
from assessments.quiz.admin import import_store
from assessments.quiz.admin.bank_services import BankError, clean_name
from assessments.quiz.admin.banks import Bank, Tree, category_tree, chosen_bank
from assessments.quiz.admin.common import (
    authors_only,
    bank_url,
    id_or_none,
    preview_document,
    with_bank,
)
from assessments.quiz.admin.question_forms import qtype_label
from assessments.quiz.questions import split_path
from assessments.quiz.rendering import question_view
from lms.text import clean_line

PREVIEW_QUESTIONS = 10
FORM_SLACK = 64 * 1024  # the form's other fields and the multipart framing
MAX_DEPTH = 10


def _megabytes() -> int:
    return max(1, importing.MAX_BYTES // (1024 * 1024))


def _too_large() -> str:
    return _("The file is too large: at most %(max)d MB.") % {"max": _megabytes()}


class CappedUpload(FileUploadHandler):
    """Keeps an uploaded file in memory up to the limit; past it, the rest of the file is
    skipped (not stored anywhere) and the form says it was too large."""

    def __init__(self, request=None, limit: int = 0):
        super().__init__(request)
        self.limit = limit
        self.too_large = False

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.buffer, self.size = BytesIO(), 0

    def receive_data_chunk(self, raw_data, start):
        self.size += len(raw_data)
        if self.size > self.limit:
            self.too_large = True
            raise SkipFile
        self.buffer.write(raw_data)
        return None

    def file_complete(self, file_size):
        self.buffer.seek(0)
        return InMemoryUploadedFile(
            self.buffer,
            self.field_name,
            self.file_name,
            self.content_type,
            file_size,
            self.charset,
            self.content_type_extra,
        )


def clean_category_path(raw: str) -> str:
    names = [clean_name(name) for name in split_path(raw)]
    if len(names) > MAX_DEPTH:
        raise BankError(_("At most %(max)d levels of categories.") % {"max": MAX_DEPTH})
    return "/".join(names)


class UploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("GIFT file"))
    category = forms.CharField(
        label=gettext_lazy("Put the questions in the category"),
        required=False,
        max_length=2000,
        widget=forms.TextInput(attrs={"list": "category-paths"}),
        help_text=gettext_lazy(
            "A path such as “Robotics/Sensors”, made where missing; the file's $CATEGORY: "
            "lines are made below it. Empty: “Imported”, and $CATEGORY: lines at the top."
        ),
    )
    skip_invalid = forms.BooleanField(
        label=gettext_lazy("Skip invalid questions"),
        required=False,
        help_text=gettext_lazy(
            "Import the questions that can be read and leave out the others. Without this, "
            "a file with any error imports nothing."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "Moodle's GIFT format, as plain text: UTF-8 (Windows-1251 is read too), "
            "at most %(max)d MB."
        ) % {"max": _megabytes()}

    def clean_category(self) -> str:
        try:
            return clean_category_path(self.cleaned_data["category"])
        except BankError as error:
            raise forms.ValidationError(str(error)) from None


def _upload_page(request, bank: Bank, tree: Tree, form: UploadForm, issues=(), status=200):
    context = {
        "bank": bank,
        "form": form,
        "issues": list(issues),
        "paths": [node.path for node in tree.flat()],
        "back_url": bank_url(bank),
    }
    return render(request, "quiz/admin/import_upload.html", context, status=status)


def _initial_path(request, tree: Tree) -> str:
    category_id = id_or_none(request.GET.get("category"))
    return tree.path_of(category_id) if category_id in tree.by_id else ""


@csrf_exempt  # checked in _read_upload, after the size: the token is in the body
@require_http_methods(["GET", "POST"])
@authors_only
def upload(request: HttpRequest) -> HttpResponse:
    bank = chosen_bank(request.user, request.GET.get("bank"))
    tree = category_tree(bank)
    if request.method == "GET":
        form = UploadForm(initial={"category": _initial_path(request, tree)})
        return _upload_page(request, bank, tree, form)
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > importing.MAX_BYTES + FORM_SLACK:  # refused before the body is read
        return _upload_page(request, bank, tree, UploadForm(), [_too_large()], status=413)
    handler = CappedUpload(request, importing.MAX_BYTES)
    try:
        request.upload_handlers = [handler]
    except AttributeError:  # the body was read already (by a middleware): checked below
        handler = None
    return _read_upload(request, bank, tree, handler)


@csrf_protect
def _read_upload(request, bank: Bank, tree: Tree, handler: CappedUpload | None) -> HttpResponse:
    form = UploadForm(request.POST, request.FILES)
    if handler is not None and handler.too_large:
        return _upload_page(request, bank, tree, UploadForm(request.POST), [_too_large()], 413)
    if not form.is_valid():
        return _upload_page(request, bank, tree, form)
    upload_file = form.cleaned_data["file"]
    if upload_file.size > importing.MAX_BYTES:
        return _upload_page(request, bank, tree, form, [_too_large()], 413)
    data = upload_file.read()
    report = importing.read(data)
    if not report.questions:
        issues = [_issue_text(issue) for issue in report.errors]
        return _upload_page(
            request, bank, tree, form, issues or [_("The file holds no questions.")]
        )
    payload = {
        "bank": bank.key,
        "data": data,
        "name": clean_line(upload_file.name or "")[:200],
        "category": form.cleaned_data["category"],
        "skip_invalid": form.cleaned_data["skip_invalid"],
    }
    token = import_store.keep(request.user.pk, payload)
    return redirect("quiz_admin:import_preview", token)


def _issue_text(issue) -> str:
    if issue.line:
        return _("Line %(line)d: %(message)s") % {"line": issue.line, "message": issue.message}
    return issue.message


def _expired(request, bank_key: str | None = None) -> HttpResponse:
    messages.error(
        request,
        _(
            "This upload is no longer waiting (it was imported already, or an hour has "
            "passed): upload the file again."
        ),
    )
    url = reverse("quiz_admin:import")
    return redirect(f"{url}?bank={bank_key}" if bank_key else url)


def planned_categories(tree: Tree, specs, base: str) -> list[str]:
    """The category paths the import will make (those the bank lacks), in the file's order;
    names compare as questions.category_at finds them (whatever their case)."""
    have = {node.path.casefold() for node in tree.flat()}
    made: dict[str, None] = {}
    for spec in specs:
        path = "/".join(filter(None, [base, spec.category])) or _("Imported")
        parts = [name[:255] for name in split_path(path)]
        for depth in range(1, len(parts) + 1):
            prefix = "/".join(parts[:depth])
            if prefix.casefold() not in have:
                made.setdefault(prefix)
    return list(made)


@require_http_methods(["GET", "POST"])
@authors_only
def preview(request: HttpRequest, token: str) -> HttpResponse:
    payload = import_store.peek(request.user.pk, token)
    if payload is None:
        return _expired(request)
    bank = chosen_bank(request.user, payload["bank"])
    if request.method == "POST":
        skip_invalid = request.POST.get("skip_invalid") == "on"
        report = importing.read(payload["data"])
        if report.errors and not skip_invalid:
            messages.error(
                request,
                _(
                    "The file has errors, so nothing was imported: fix them and upload it "
                    "again, or tick “Skip invalid questions”."
                ),
            )
            payload["skip_invalid"] = False
            import_store.update(request.user.pk, token, payload)
            return redirect("quiz_admin:import_preview", token)
        taken = import_store.take(request.user.pk, token)
        if taken is None:
            return _expired(request, bank.key)
        result = importing.import_gift(
            taken["data"],
            bank.course,
            request.user,
            category=taken["category"],
            skip_invalid=skip_invalid,
        )
        messages.success(
            request,
            ngettext(
                "Imported %(n)d question into “%(bank)s”.",
                "Imported %(n)d questions into “%(bank)s”.",
                result.imported,
            )
            % {"n": result.imported, "bank": bank.label},
        )
        return redirect(bank_url(bank))
    report = importing.read(payload["data"])
    tree = category_tree(bank)
    shown = [
        question_view(n, spec, None, None, disabled=True)
        for n, spec in enumerate(report.questions[:PREVIEW_QUESTIONS], start=1)
    ]
    context = {
        "bank": bank,
        "token": token,
        "payload": payload,
        "report": report,
        "by_type": sorted((qtype_label(t), n) for t, n in report.by_type.items()),
        "planned": planned_categories(tree, report.questions, payload["category"]),
        "document": preview_document(shown),
        "shown_count": len(shown),
        "again_url": with_bank(reverse("quiz_admin:import"), bank),
    }
    return render(request, "quiz/admin/import_preview.html", context)
