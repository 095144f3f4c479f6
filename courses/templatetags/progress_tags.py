"""For the progress grid and the gradebook: a column's short name, and the group's progress
chart drawn from a grid the view has already built (no query of its own); a pupil's progress
bar."""

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext, ngettext

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


@register.simple_tag
def progress_bar(done: int, total: int, percent: int) -> SafeString:
    """{% progress_bar done total percent %}: "3 of 8 lessons · 37%" with its bar (a course
    card, the course page, the lesson page). Escaped here: numbers only, and the label."""
    label = ngettext(
        "%(done)s of %(total)s lesson · %(percent)s%%",
        "%(done)s of %(total)s lessons · %(percent)s%%",
        total,
    ) % {"done": done, "total": total, "percent": percent}
    return format_html(
        '<div class="progress-block"><progress value="{}" max="{}" aria-label="{}">{}%</progress>'
        '<span class="progress-label">{}</span></div>',
        done,
        total or 1,
        gettext("Progress"),
        percent,
        label,
    )
