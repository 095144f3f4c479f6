"""`{% load site_header %}{% site_header %}`: every page's header (brand, 🔔, menu, search,
languages, the user's name, log out), written in Python.

As template tags it cost a sixth of a lesson page: forty tags resolved on every page for every
reader. The markup is the one base.html had. Every text and URL is escaped here (`escape`),
the one place this HTML is put together; the CSRF fields come from Django's own tag."""

from __future__ import annotations

from urllib.parse import quote

from django import template
from django.conf import settings
from django.template.defaulttags import CsrfTokenNode
from django.templatetags.static import static
from django.utils import translation
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, ngettext

register = template.Library()

_CSRF = CsrfTokenNode()


def _value(context, name: str):
    """A context variable as a template sees it: a callable is called (the context
    processors' lazy values), a missing one is ""."""
    value = context.get(name, "")
    return value() if callable(value) else value


def _current(path: str, url: str) -> str:
    return ' aria-current="page"' if url and path == url else ""


def _bell(out: list[str], path: str, urls: dict, unread) -> None:
    url = urls["notifications"]
    out.append(
        f'<div class="header-quick"><a class="btn btn-small btn-ghost bell" href="{escape(url)}"'
        f' title="{escape(gettext("Notifications"))}"{_current(path, url)}>'
        '<span aria-hidden="true">🔔</span>'
    )
    unread = unread or 0
    if unread:
        shown = "99+" if unread > 99 else str(int(unread))
        out.append(f'<span class="bell-count" aria-hidden="true">{shown}</span>')
    if not unread:
        label = gettext("Notifications")
    elif unread > 99:
        label = gettext("Notifications: more than 99 unread")
    else:
        label = ngettext("Notifications: %(n)s unread", "Notifications: %(n)s unread", unread) % {
            "n": unread
        }
    out.append(f'<span class="visually-hidden">{escape(label)}</span></a></div>')


def _menu(out: list[str], context, path: str, urls: dict, signed_in: bool) -> None:
    out.append(f'<nav class="main-nav" aria-label="{escape(gettext("Main menu"))}">')
    for url, label in (
        (_value(context, "catalogue_url"), gettext("Courses")),
        (_value(context, "events_url"), gettext("Events")),
        (_value(context, "contests_url"), gettext("Contests")),
    ):
        if url:
            out.append(f'<a href="{escape(url)}"{_current(path, url)}>{escape(label)}</a>')
    staff = signed_in and _value(context, "is_school_staff")
    links = []
    if signed_in:
        links.append((urls["learn"], gettext("My courses")))
        if not staff:
            links.append((urls["grades"], gettext("My grades")))
    if staff:
        links.append((urls["teach"], gettext("My groups")))
    if signed_in and _value(context, "is_school_admin"):
        links.append((urls["school"], gettext("School")))
    for url, label in links:
        out.append(f'<a href="{escape(url)}"{_current(path, url)}>{escape(label)}</a>')
    out.append("</nav>")


def _search(out: list[str], context, urls: dict) -> None:
    query = context.get("query") or ""
    out.append(
        f'<form class="search-form" action="{escape(urls["search"])}" method="get"'
        f' role="search" aria-label="{escape(gettext("Site search"))}">'
        f'<label class="visually-hidden" for="site-search">{escape(gettext("Search lessons"))}'
        '</label><input id="site-search" type="search" name="q"'
        f' value="{escape(query)}" placeholder="{escape(gettext("Find lessons…"))}"'
        ' maxlength="200"></form>'
    )


def _languages(out: list[str], context, request, urls: dict, csrf: str) -> None:
    current = translation.get_language()
    out.append(
        f'<form class="language-form" action="{escape(urls["set_language"])}" method="post">'
        # No CSRF field for anonymous visitors: their pages are cached whole (cms.public_cache).
        f"{csrf}"
        f'<input name="next" type="hidden" value="{escape(request.get_full_path())}">'
    )
    for code, name in settings.LANGUAGES:
        code, name = escape(code), escape(gettext(name))
        if code == current:
            out.append(
                f'<button type="submit" name="language" value="{code}" class="lang is-current"'
                f' aria-current="true" lang="{code}" title="{name}">{code.upper()}</button>'
            )
        else:
            out.append(
                f'<button type="submit" name="language" value="{code}" class="lang"'
                f' lang="{code}" title="{name}">{code.upper()}</button>'
            )
    out.append("</form>")


def _user_tools(out: list[str], context, user, urls: dict, csrf: str) -> None:
    title = gettext("%(login)s: change password") % {"login": user.username}
    out.append(
        f'<a class="user-name" href="{escape(urls["change_password"])}" title="{escape(title)}">'
        f"{escape(user.get_display_name())}</a>"
    )
    if _value(context, "can_author"):
        out.append(
            f'<a class="btn btn-small btn-ghost" href="{escape(urls["authoring"])}">'
            f"{escape(gettext('Authoring'))}</a>"
        )
    out.append(
        f'<form action="{escape(urls["logout"])}" method="post" class="inline-form">{csrf}'
        f'<button class="btn btn-small btn-ghost" type="submit">{escape(gettext("Log out"))}'
        "</button></form>"
    )


@register.simple_tag(takes_context=True)
def site_header(context) -> SafeString:
    request = context["request"]
    user = context.get("user") or request.user
    urls = context["chrome_urls"]
    path = request.path
    signed_in = user.is_authenticated
    csrf = _CSRF.render(context) if signed_in else ""
    out = [
        '<header class="site-header"><div class="container header-row">'
        f'<a class="brand" href="/"><img src="{escape(static("img/favicon.svg"))}" alt=""'
        f' width="36" height="36"><span>{escape(gettext("Technopark"))}</span></a>'
    ]
    if signed_in:
        _bell(out, path, urls, _value(context, "unread_notifications"))
    else:
        login = f"{urls['login']}?next={quote(path, safe='/')}"
        out.append(
            f'<div class="header-quick"><a class="btn btn-small" href="{escape(login)}">'
            f"{escape(gettext('Log in'))}</a></div>"
        )
    # On a phone the menu folds behind this button (static/js/site.js; without script it stays
    # open: css/no-script.css).
    out.append(
        '<button type="button" class="menu-toggle" aria-expanded="false"'
        ' aria-controls="site-menu" data-menu-toggle><span class="menu-icon"'
        f' aria-hidden="true"></span>{escape(gettext("Menu"))}</button>'
        '<div class="site-menu" id="site-menu">'
    )
    _menu(out, context, path, urls, signed_in)
    _search(out, context, urls)
    out.append('<div class="header-tools">')
    _languages(out, context, request, urls, csrf)
    if signed_in:
        _user_tools(out, context, user, urls, csrf)
    out.append("</div></div></div></header>")
    return mark_safe("".join(out))  # noqa: S308 - every text above is escaped
