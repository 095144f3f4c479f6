"""The msgids of Wagtail's own strings that locale/ru overrides (see the comments there).

Nothing imports this module: it exists so that `make messages` (makemessages) finds these msgids
in our source and keeps their Russian in locale/ru/LC_MESSAGES/django.po. Without it the
entries would be marked obsolete at the next run and silently dropped from the compiled
catalogue, and Wagtail's wording would come back."""

# ruff: noqa: E501 - the msgids are Wagtail's, copied whole so that they can be found

from django.utils.translation import gettext_noop, ngettext_lazy

OVERRIDDEN = (
    gettext_noop("Exploring"),
    gettext_noop("Explore child pages of '%(title)s'"),
    gettext_noop(
        "Sort the order of child pages within '%(parent)s' by '%(label)s' in ascending order."
    ),
    gettext_noop(
        "Sort the order of child pages within '%(parent)s' by '%(label)s' in descending order."
    ),
    gettext_noop("Sort by '%(label)s' in ascending order."),
    gettext_noop("Sort by '%(label)s' in descending order."),
    gettext_noop("Drag"),
    gettext_noop(
        "Focus on the drag button and press up or down arrows to move the item, then press enter to submit the change."
    ),
    gettext_noop("'%(page_title)s' has been moved successfully."),
    gettext_noop("Pagination"),
    gettext_noop("More"),
    gettext_noop("More actions"),
    gettext_noop("Show in Explorer"),
    ngettext_lazy("There is one matching page", "There are %(counter)s matching pages", "counter"),
    ngettext_lazy("Delete 1 page", "Delete %(counter)s pages", "counter"),
    ngettext_lazy("Move 1 page", "Move %(counter)s pages", "counter"),
    ngettext_lazy("Publish 1 page", "Publish %(counter)s pages", "counter"),
    ngettext_lazy("Unpublish 1 page", "Unpublish %(counter)s pages", "counter"),
    ngettext_lazy(
        "This page has one child page", "This page has %(counter)s child pages", "counter"
    ),
    gettext_noop("Skip to main content"),
    gettext_noop("Edited by"),
    gettext_noop("The page title as you'd like it to be seen by the public"),
    gettext_noop("slug"),
    gettext_noop("Preview not available"),
    gettext_noop("This data explained"),
    gettext_noop("Replace current draft"),
    gettext_noop("Only you can make changes while the %(model_name)s is locked"),
    gettext_noop("Choose who can view the live version of this page"),
    gettext_noop("Not visible to the public"),
    gettext_noop("Keep the new pages updated with future changes"),
    gettext_noop("This page is live. Would you like to publish its copy as well?"),
    gettext_noop("%(action)s by <b>%(who)s</b>"),
    gettext_noop("Initial Revision"),
    gettext_noop("Go back"),
    gettext_noop("live + scheduled"),
    gettext_noop("scheduled"),
    gettext_noop("Unschedule"),
    gettext_noop("Yes, unschedule"),
    gettext_noop("Are you sure you want to unschedule this revision?"),
    gettext_noop("Unschedule publication"),
    gettext_noop("Go-live:"),
    gettext_noop("Locked by <b>you</b> at <b>%(locking_date)s</b>"),
    gettext_noop("Locked by <b>%(locked_by)s</b> at <b>%(locking_date)s</b>"),
    gettext_noop("Reordered under '%(parent)s'"),
    gettext_noop("Reordered"),
    gettext_noop("'%(object)s' unpublished."),
    gettext_noop("Alt text"),
    gettext_noop("Upload"),
    gettext_noop("Newest"),
    gettext_noop("Oldest"),
    gettext_noop("Max dimensions"),
    gettext_noop("Use existing and delete new"),
    ngettext_lazy("Used %(usage_count)s time", "Used %(usage_count)s times", "counter"),
    gettext_noop("No %(model_name)s match your query."),
    gettext_noop('Sorry, no documents match "<em>%(query_string)s</em>"'),
    gettext_noop("You haven't uploaded any documents."),
    gettext_noop("Enter your %(username_field_name)s"),
    gettext_noop("%(start_index)s-%(end_index)s of %(items_count)s %(model_name)s"),
    gettext_noop(
        "%(start_index)s-%(end_index)s of %(items_count)s %(model_name)s across entire site."
    ),
    gettext_noop(
        "%(start_index)s-%(end_index)s of %(items_count)s %(model_name)s in '<span class=\"w-title-ellipsis\">%(title)s</span>'."
    ),
    gettext_noop("View latest version"),
    gettext_noop("Currently idle"),
    gettext_noop("Proceeding will overwrite the changes you made in that window."),
    gettext_noop("Proceeding will overwrite the changes made by %(user_name)s."),
    gettext_noop("Alternatively, you can view the latest version in a new tab."),
    gettext_noop("A network error occurred"),
    gettext_noop(
        "Troubleshoot your connection to the site before proceeding. Open the editor in a separate tab to view the last saved version."
    ),
    gettext_noop('You do not have permission to publish pages at "%(page_title)s"'),
)
