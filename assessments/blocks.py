"""The lesson-body block that places an assignment inside a lesson, with an admin chooser."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.admin.viewsets.chooser import ChooserViewSet


class AssignmentChooserViewSet(ChooserViewSet):
    model = "assessments.Assignment"
    icon = "clipboard-list"
    choose_one_text = _("Choose an assignment")
    choose_another_text = _("Choose another assignment")
    edit_item_text = _("Edit this assignment")


assignment_chooser_viewset = AssignmentChooserViewSet("assignment_chooser")
AssignmentChooserBlock = assignment_chooser_viewset.get_block_class(
    name="AssignmentChooserBlock", module_path="assessments.blocks"
)


class AssignmentBlock(blocks.StructBlock):
    """Shows the assignment as a card in the lesson; its page does the rest. An assignment of
    another lesson, or an archived one, shows nothing to pupils."""

    assignment = AssignmentChooserBlock(label=_("Assignment"))

    class Meta:
        icon = "clipboard-list"
        label = _("Assignment")
        template = "assessments/blocks/assignment.html"
