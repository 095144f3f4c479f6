"""`{% load page_title %}`: the text of the <title> element (templates/base.html).

    <title>{% filter with_site_name %}{% block title %}…{% endblock %}{% endfilter %}</title>

"Уроки · Технопарк"; the home page, whose title is the site's name, is just "Технопарк", not
"Технопарк · Технопарк"; a page with no title of its own is "Технопарк", not " · Технопарк"."""

from django import template
from django.conf import settings
from django.utils import translation
from django.utils.html import conditional_escape, escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

register = template.Library()

SEPARATOR = " · "


def _site_names() -> tuple[str, str]:
    """The site's name in the reader's language and in the site's own (the home page's title,
    content in Russian, is "Технопарк" in an English page too)."""
    with translation.override(settings.LANGUAGE_CODE):
        own = gettext("Technopark")
    return gettext("Technopark"), own


@register.filter
def with_site_name(title) -> str:
    site, own = _site_names()
    # The block's rendered output is markup already escaped; anything else is escaped here.
    shown = " ".join(str(conditional_escape(title)).split())
    if not shown:
        return escape(site)
    if shown in (site, own, escape(site), escape(own)):
        return mark_safe(shown)  # noqa: S308 (escaped above)
    return mark_safe(f"{shown}{SEPARATOR}{escape(site)}")  # noqa: S308 (both parts escaped)
