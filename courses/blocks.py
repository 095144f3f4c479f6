"""The body of a lesson: every content block of the site (cms.blocks), plus the blocks that
higher apps put into lessons, named in settings.LMS_LESSON_BLOCKS (config wires the
assessments' assignment block in), so this app never imports an app above it."""

from django.conf import settings
from django.utils.module_loading import import_string

# Early migrations name the blocks by their old home here.
from cms.blocks import (  # noqa: F401
    CalloutBlock,
    CodeBlock,
    ContentBlock,
    FileBlock,
    FormulaBlock,
    ImageBlock,
    MarkdownBlock,
    StepBlock,
    StepsBlock,
    VideoBlock,
)


class LessonBodyBlock(ContentBlock):
    """A lesson body may also hold what higher apps add (an assignment card, say)."""

    def __init__(self, local_blocks=None, **kwargs):
        added = [(name, import_string(path)()) for name, path in settings.LMS_LESSON_BLOCKS]
        super().__init__([*added, *(local_blocks or [])], **kwargs)
