from django import template
from django.utils.html import format_html

from assessments.programming import presenting

register = template.Library()


@register.simple_tag
def verdict_badge(code) -> str:
    """A submission's state or verdict, with its emoji, in the reader's language."""
    emoji = presenting.EMOJI.get(code.verdict, "⏳") if code.verdict else "⏳"
    return format_html("{} {}", emoji, presenting.state_label(code))
