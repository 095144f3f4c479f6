"""The live preview of text and formulas in the page editor.

A markdown block's textarea carries the preview's address and limits (`MarkdownTextarea`);
static/js/markdown-preview.js (the widget's media, so it loads wherever such a block is
edited) sends the text, debounced, to `markdown_preview`, which renders it with the site's one
renderer and sanitiser (cms.markdown.render_markdown): the author sees exactly what pupils
will, and the browser never renders markdown itself. A formula block's LaTeX is drawn in the
browser by the vendored KaTeX with the same options as the lesson page (static/js/site.js).

The endpoint is under /admin/ (Wagtail requires admin access first, and sends anyone else to
its login), takes POST with Django's CSRF check, answers only users who may write pages
(lms.permissions.can_author_pages; anyone else: 404) and refuses a text over
LMS_MARKDOWN_MAX_CHARS with the block's own message."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import Http404, HttpRequest, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from wagtail.admin.widgets import AdminAutoHeightTextInput

from cms.blocks import MARKDOWN_TOO_LONG
from cms.markdown import render_markdown
from lms import permissions

TOO_LONG = MARKDOWN_TOO_LONG  # the block's own message: the preview and saving agree
TOO_BIG = _(
    "This text is too long: at most %(limit)s characters are allowed. "
    "Split it into several text blocks."
)


class _PreviewTextarea(AdminAutoHeightTextInput):
    """A textarea whose preview settings are written as it renders (in the request's language,
    under the current settings)."""

    def preview_attrs(self) -> dict:
        return {}

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"].update(self.preview_attrs())
        return context

    class Media:
        js = ["vendor/katex/katex.min.js", "js/markdown-preview.js"]
        css = {"all": ["vendor/katex/katex.min.css", "css/admin-authoring.css"]}


class MarkdownTextarea(_PreviewTextarea):
    """A markdown block's textarea, with what the preview script needs to know."""

    def preview_attrs(self) -> dict:
        return {
            "data-markdown-preview": reverse("cms_admin:markdown_preview"),
            "data-preview-max-chars": settings.LMS_MARKDOWN_MAX_CHARS,
            "data-preview-label": _("Preview"),
            "data-preview-empty": _("Nothing to show yet: the text is empty."),
            "data-preview-error": _("The preview is not available right now."),
            "data-preview-too-long": TOO_LONG,
        }


class FormulaTextarea(_PreviewTextarea):
    """A formula block's LaTeX textarea, drawn by KaTeX below it as the author types (with
    the block's display-mode checkbox, found by its name beside the textarea's)."""

    def preview_attrs(self) -> dict:
        return {
            "data-formula-preview": "display",  # the sibling field that holds display mode
            "data-preview-label": _("Preview"),
        }


def _refuse(message: str) -> JsonResponse:
    return JsonResponse({"error": message}, status=413)


@require_POST
def markdown_preview(request: HttpRequest) -> JsonResponse:
    if not permissions.can_author_pages(request.user):
        raise Http404
    limit = settings.LMS_MARKDOWN_MAX_CHARS
    try:
        text = request.POST.get("text", "")
    except RequestDataTooBig:  # over DATA_UPLOAD_MAX_MEMORY_SIZE: far over the limit
        return _refuse(TOO_BIG % {"limit": limit})
    if len(text) > limit:
        return _refuse(TOO_LONG % {"length": len(text), "limit": limit})
    return JsonResponse({"html": str(render_markdown(text))})
