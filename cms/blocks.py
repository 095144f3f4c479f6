"""The content blocks of every page body (information pages, course overviews, lessons): text,
code, pictures, video, files, callouts, formulas, steps. Each renders through its own template
in templates/cms/blocks/; every piece of author text passes the one sanitiser. Lessons add the
blocks of higher apps (courses.blocks)."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.functional import cached_property
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import get_lexer_by_name
from pygments.util import ClassNotFound
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock

from cms.markdown import render_markdown
from cms.video import embed_url_for

CODE_LANGUAGES = [
    ("python", "Python"),
    ("cpp", "C++ / Arduino"),
    ("c", "C"),
    ("javascript", "JavaScript"),
    ("html", "HTML"),
    ("css", "CSS"),
    ("bash", "Bash"),
    ("text", _("Plain text")),
]


# Also what the editor's preview says of such a text (cms.preview), so both agree.
MARKDOWN_TOO_LONG = _(
    "This text is too long: %(length)s characters, at most %(limit)s are allowed. "
    "Split it into several text blocks."
)


class MarkdownBlock(blocks.TextBlock):
    """Markdown text, rendered and sanitised on output (cached by content hash). In the editor
    its textarea has a live preview rendered by the server (cms.preview)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("rows", 8)
        super().__init__(**kwargs)

    @cached_property
    def field(self):
        from cms.preview import MarkdownTextarea

        return forms.CharField(
            widget=MarkdownTextarea(attrs={"rows": self.rows}), **self.field_options
        )

    def clean(self, value):
        value = super().clean(value)
        limit = settings.LMS_MARKDOWN_MAX_CHARS
        if len(value) > limit:
            raise ValidationError(MARKDOWN_TOO_LONG % {"length": len(value), "limit": limit})
        return value

    def render_basic(self, value, context=None):
        return render_markdown(value)

    class Meta:
        icon = "doc-full"
        label = _("Text (Markdown)")


class CodeBlock(blocks.StructBlock):
    language = blocks.ChoiceBlock(choices=CODE_LANGUAGES, default="python", label=_("Language"))
    code = blocks.TextBlock(label=_("Code"), rows=10)
    caption = blocks.CharBlock(required=False, max_length=200, label=_("Caption"))

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        try:
            lexer = get_lexer_by_name(value["language"] or "text")
        except ClassNotFound:
            lexer = get_lexer_by_name("text")
        # Pygments escapes the source itself; the result is trusted markup of our own.
        context["highlighted"] = mark_safe(  # noqa: S308
            highlight(value["code"], lexer, HtmlFormatter(cssclass="highlight", wrapcode=True))
        )
        return context

    class Meta:
        icon = "code"
        label = _("Code")
        template = "cms/blocks/code.html"


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("Image"))
    alt_text = blocks.CharBlock(
        required=False,
        max_length=250,
        label=_("Alternative text"),
        help_text=_("What the picture shows, for pupils who cannot see it."),
    )
    caption = blocks.CharBlock(required=False, max_length=300, label=_("Caption"))

    class Meta:
        icon = "image"
        label = _("Image")
        template = "cms/blocks/image.html"


class VideoBlock(blocks.StructBlock):
    """Either a link to a video on a video host, or an uploaded video file."""

    url = blocks.URLBlock(
        required=False,
        label=_("Video link"),
        help_text=_("A link to YouTube, RuTube, VK Video or Vimeo."),
    )
    file = DocumentChooserBlock(
        required=False, label=_("Video file"), help_text=_("An uploaded MP4 or WebM file.")
    )
    caption = blocks.CharBlock(required=False, max_length=300, label=_("Caption"))

    def clean(self, value):
        value = super().clean(value)
        url, file = value.get("url"), value.get("file")
        if bool(url) == bool(file):
            raise StructBlockValidationError(
                block_errors={
                    "url": ValidationError(_("Give either a video link or a video file, not both."))
                }
            )
        if url and embed_url_for(url) is None:
            raise StructBlockValidationError(
                block_errors={
                    "url": ValidationError(
                        _(
                            "This link is not a video we can show. Use a video page on YouTube, "
                            "RuTube, VK Video or Vimeo, or upload the file."
                        )
                    )
                }
            )
        if file and file.file_extension.lower() not in {"mp4", "webm", "ogv"}:
            raise StructBlockValidationError(
                block_errors={"file": ValidationError(_("A video file must be MP4, WebM or OGV."))}
            )
        return value

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        context["embed_url"] = embed_url_for(value["url"]) if value.get("url") else None
        return context

    class Meta:
        icon = "media"
        label = _("Video")
        template = "cms/blocks/video.html"


class FileBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("File"))
    title = blocks.CharBlock(
        required=False, max_length=200, label=_("Title"), help_text=_("Empty: the file's title.")
    )
    description = blocks.CharBlock(required=False, max_length=300, label=_("Description"))

    class Meta:
        icon = "download"
        label = _("Downloadable file")
        template = "cms/blocks/file.html"


class CalloutBlock(blocks.StructBlock):
    kind = blocks.ChoiceBlock(
        choices=[
            ("tip", _("Tip")),
            ("warning", _("Warning")),
            ("safety", _("Safety note (workshop tools)")),
        ],
        default="tip",
        label=_("Kind"),
    )
    title = blocks.CharBlock(required=False, max_length=150, label=_("Title"))
    text = MarkdownBlock(label=_("Text"), rows=4)

    class Meta:
        icon = "warning"
        label = _("Callout")
        template = "cms/blocks/callout.html"


class LatexBlock(blocks.TextBlock):
    """A formula's LaTeX; in the editor KaTeX draws it below the textarea as the author types
    (cms.preview). Stored, and written in migrations, as the plain TextBlock it is."""

    canonical_module_path = "wagtail.blocks.TextBlock"

    @cached_property
    def field(self):
        from cms.preview import FormulaTextarea

        return forms.CharField(
            widget=FormulaTextarea(attrs={"rows": self.rows}), **self.field_options
        )


class FormulaBlock(blocks.StructBlock):
    """LaTeX rendered in the browser by KaTeX, served from our own static files."""

    latex = LatexBlock(label=_("Formula (LaTeX)"), rows=2, max_length=2000)
    display = blocks.BooleanBlock(
        required=False, default=True, label=_("On its own line (display mode)")
    )
    caption = blocks.CharBlock(required=False, max_length=300, label=_("Explanation"))

    class Meta:
        icon = "superscript"
        label = _("Formula")
        template = "cms/blocks/formula.html"


class StepBlock(blocks.StructBlock):
    title = blocks.CharBlock(required=False, max_length=200, label=_("Step title"))
    text = MarkdownBlock(label=_("What to do"), rows=3)
    photo = ImageChooserBlock(required=False, label=_("Photo"))


class StepsBlock(blocks.StructBlock):
    """Numbered step-by-step instructions, as for assembling a robot."""

    title = blocks.CharBlock(required=False, max_length=200, label=_("Title"))
    steps = blocks.ListBlock(StepBlock(), min_num=1, label=_("Steps"))

    class Meta:
        icon = "list-ol"
        label = _("Step-by-step instructions")
        template = "cms/blocks/steps.html"


class ContentBlock(blocks.StreamBlock):
    """The blocks of any page body: information pages and lessons."""

    markdown = MarkdownBlock()
    code = CodeBlock()
    image = ImageBlock()
    video = VideoBlock()
    file = FileBlock()
    callout = CalloutBlock()
    formula = FormulaBlock()
    steps = StepsBlock()
