"""Pages that are the same for every visitor who is not logged in, served whole from the cache.

The home page, the catalogue, a course's overview and the information pages look the same to
every anonymous visitor who reads them in one language, and they are most of what the public
(parents, other schools, search engines) opens. A page type opts in with `PublicCacheMixin` (or
`mark_public`);
its response, when rendered for an anonymous visitor, is kept in the shared cache and given to
the next anonymous visitor before sessions, users or the page tree are touched (no query).

What makes a request eligible: GET, no query string, no session cookie and no flash-messages
cookie (someone who ever logged in on this browser has a session cookie: always rendered
afresh), a host that ALLOWED_HOSTS accepts. What makes a response storable: a page that opted
in, rendered for an anonymous user, 200, no cookie set, no CSP nonce, not streamed. So nothing
personal can be stored: the page had no user, no session and set no cookie. (The language form
carries no CSRF token for anonymous visitors for this reason: lms.views.set_language.)

The key names the host, the language (the visitor's language cookie, else Russian, as
lms.middleware.RussianFirstLocaleMiddleware decides) and the path; each entry holds the
*public generation* it was rendered under, a token in the same cache read in the same round
trip. Every save, delete, move, publish or unpublish of a page, a view restriction, a site, a
picture, a rendition or a document moves the generation once its transaction commits, so no
page older than a completed publish is served. The token read at the start of a request is the
one stored with it, so a page rendered from data that a concurrent publish was changing is
stored under the old token and never served after it. `LMS_PUBLIC_CACHE_SECONDS` bounds what
changes with the clock alone; `LMS_RELEASE` (or the static files' manifest) keeps one release's
pages from another's. A cache that fails means the page is rendered as if there were none."""

from __future__ import annotations

import hashlib
import logging

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import DisallowedHost
from django.http import HttpRequest, HttpResponse

from lms import generations

logger = logging.getLogger(__name__)

GENERATION_KEY = "lms:public:generation"
CACHE_VERSION = "1"
STORED_HEADERS_SKIP = frozenset({"set-cookie", "content-length"})


def mark_public(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """A page's serve says: rendered for an anonymous visitor, this is everybody's page."""
    if not request.user.is_authenticated:
        response.lms_public = True
    return response


class PublicCacheMixin:
    """A page type whose anonymous rendering is the same for everybody (see the module).
    A type with its own serve() calls mark_public() at its end instead."""

    def serve(self, request, *args, **kwargs):
        return mark_public(request, super().serve(request, *args, **kwargs))


def release() -> str:
    """What tells one release's pages from another's: LMS_RELEASE if set, else the hash of the
    static files' manifest (a new stylesheet is a new release)."""
    named = getattr(settings, "LMS_RELEASE", "")
    if named:
        return named
    from django.contrib.staticfiles.storage import staticfiles_storage

    return getattr(staticfiles_storage, "manifest_hash", "") or "dev"


def visitor_language(request: HttpRequest) -> str:
    language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def is_eligible(request: HttpRequest) -> bool:
    return (
        request.method == "GET"
        and not request.META.get("QUERY_STRING")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
        and "HTTP_AUTHORIZATION" not in request.META
    )


def page_key(request: HttpRequest) -> str:
    host = request.get_host()  # raises DisallowedHost for a host ALLOWED_HOSTS refuses
    raw = f"{host}\n{request.path}".encode()
    digest = hashlib.blake2b(raw, digest_size=16).hexdigest()
    return f"lms:public:{release()}:{CACHE_VERSION}:{visitor_language(request)}:{digest}"


def bump_generation(**_kwargs) -> None:
    """Something an anonymous page shows has changed: once the change commits, no stored page
    is served again."""
    generations.changed(GENERATION_KEY)


def lookup(key: str) -> tuple[object | None, str | None]:
    """(what is stored under `key` for the current public generation or None, that
    generation), in one round trip; (None, None) when the cache fails. For the whole pages and
    for other values that depend on pages only (cms.routing's page chains, outlines)."""
    found, generation = lookup_many([key])
    return found.get(key), generation


def lookup_many(keys: list[str]) -> tuple[dict[str, object], str | None]:
    """`lookup` for several keys in one round trip: {key: value} of those stored under the
    current generation, and the generation."""
    try:
        found = cache.get_many([*keys, GENERATION_KEY])
        generation = generations.current(GENERATION_KEY, found.get(GENERATION_KEY))
    except Exception:
        logger.warning("Public cache unavailable", exc_info=True)
        return {}, None
    current = {}
    for key in keys:
        entry = found.get(key)
        if entry is not None and entry[0] == generation:
            current[key] = entry[1]
    return current, generation


def store_many(values: dict[str, object], generation: str | None, timeout: int) -> None:
    if generation is None or not values:
        return
    try:
        cache.set_many({key: (generation, value) for key, value in values.items()}, timeout)
    except Exception:
        logger.warning("Could not store %s", sorted(values), exc_info=True)


def store(key: str, generation: str | None, value: object, timeout: int) -> None:
    store_many({key: value}, generation, timeout)


def is_storable(request: HttpRequest, response: HttpResponse) -> bool:
    user = getattr(request, "user", None)
    return (
        getattr(response, "lms_public", False)
        and response.status_code == 200
        and not response.streaming
        and not response.cookies
        and user is not None
        and not user.is_authenticated
        and "nonce-" not in response.get("Content-Security-Policy", "")
    )


def stored(response: HttpResponse) -> tuple:
    headers = [(k, v) for k, v in response.items() if k.lower() not in STORED_HEADERS_SKIP]
    return (response.content, headers)


def replayed(entry: tuple) -> HttpResponse:
    content, headers = entry
    return HttpResponse(content, headers=headers)


class PublicPageCacheMiddleware:
    """Early in the chain (after the security and static-file middleware, before sessions)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not is_eligible(request):
            return self.get_response(request)
        try:
            key = page_key(request)
        except DisallowedHost:
            return self.get_response(request)  # CommonMiddleware answers it with a 400
        entry, generation = lookup(key)
        if entry is not None:
            return replayed(entry)
        response = self.get_response(request)
        if is_storable(request, response):
            store(key, generation, stored(response), settings.LMS_PUBLIC_CACHE_SECONDS)
        return response
