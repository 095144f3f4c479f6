"""`{% load pager %}{% pager number count q=query %}`: "← Previous · Page 2 of 7 · Next →" under
a long list (school pupils, password resets, a group's gradebook, contest standings): one
markup for all of them. The other parameters of the list's address (a search, a sort, a
category) ride along in every link; empty ones are left out."""

from __future__ import annotations

from urllib.parse import urlencode

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

register = template.Library()


def page_link(path: str, query: str, number: int) -> str:
    """The address of page `number`: `path?<query>&page=<number>` (`query` already encoded)."""
    return f"{path}?{query}&page={number}" if query else f"{path}?page={number}"


@register.simple_tag
def pager(
    number: int,
    count: int,
    path: str = "",
    query: str = "",
    extra_class: str = "",
    **params,
) -> SafeString:
    """{% pager page.number page.paginator.num_pages q=query %}; `query` takes a query string
    already encoded (a gradebook's sort), `params` values to encode; "" when one page."""
    number, count = int(number), int(count)
    if count <= 1:
        return mark_safe("")
    kept = urlencode({key: value for key, value in params.items() if value not in ("", None)})
    query = "&".join(part for part in (query, kept) if part)
    classes = f"pager {extra_class}".strip()
    out = [f'<nav class="{escape(classes)}" aria-label="{escape(gettext("Pages"))}">']
    if number > 1:
        href = escape(page_link(path, query, number - 1))
        out.append(
            f'<a class="btn btn-ghost btn-small" href="{href}" rel="prev">'
            f"← {escape(gettext('Previous'))}</a>"
        )
    label = gettext("Page %(n)s of %(total)s") % {"n": number, "total": count}
    out.append(f'<span class="muted">{escape(label)}</span>')
    if number < count:
        href = escape(page_link(path, query, number + 1))
        out.append(
            f'<a class="btn btn-ghost btn-small" href="{href}" rel="next">'
            f"{escape(gettext('Next'))} →</a>"
        )
    out.append("</nav>")
    return mark_safe("".join(out))  # noqa: S308 - every text above is escaped
