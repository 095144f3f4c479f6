"""For the progress grid and the gradebook: a column's short name, and the group's progress
chart drawn from a grid the view has already built (no query of its own)."""

from django import template
from django.utils.safestring import SafeString

from courses import progress_chart
from courses.progress_grid import ProgressGrid

register = template.Library()

SHORT_TITLE = 28  # characters: two or three lines of a column heading


@register.filter
def short_title(title: str, max_chars: int = SHORT_TITLE) -> str:
    """A column heading's short name ("Инфракрасные датчики…"); the full title goes beside it."""
    return progress_chart.truncate(progress_chart.clean(title), int(max_chars))


@register.simple_tag
def module_progress_charts(grid: ProgressGrid) -> list[SafeString]:
    """{% module_progress_charts grid as charts %}: one SVG per module."""
    return progress_chart.module_progress_svgs(grid)
