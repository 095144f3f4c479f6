"""Wagtail's site lookup from the shared cache: no query for the Site and its root page.

Wagtail finds the request's Site (one query) and then the root page's specific row (another) on
every page it serves, although both change about never. `SiteFromCacheMiddleware` (after
CommonMiddleware, so the host is already checked against ALLOWED_HOSTS and the keys are
bounded) puts the cached Site on the request, where `Site.find_for_request` looks first.

Every GET reads it (our own views link pages too: My courses, the gradebook); on a cold cache
the first such request pays Wagtail's lookup once for everybody. Only routing below the root
uses the root page object, for its place in the tree (path, depth, url_path), never for its
content, so the home page itself ("/") is always looked up afresh. Any save or delete of a
Site, and any save or move of a page at the site-root level (depth 2 and above), drops the
entry; a cache that fails means Wagtail's own lookup."""

from __future__ import annotations

import logging

from django.core.cache import cache
from django.http import HttpRequest
from django.http.request import split_domain_port
from django.urls import Resolver404, resolve
from wagtail.models import Site
from wagtail.views import serve as wagtail_serve

logger = logging.getLogger(__name__)

CACHE_KEY = "lms:sites"
CACHE_SECONDS = 300


def cached_site(request: HttpRequest) -> Site | None:
    """The request's Site from the cache; if it is not there, Wagtail's lookup (stored for the
    next request)."""
    hostname = split_domain_port(request._get_raw_host())[0]
    host = f"{hostname}:{request.get_port()}"
    try:
        sites = cache.get(CACHE_KEY) or {}
    except Exception:
        logger.warning("Site cache unavailable", exc_info=True)
        return None
    if host in sites:
        return sites[host]
    site = Site._find_for_request(request)
    if site is not None:
        site.root_page = site.root_page.specific  # pickled with the site: no query later
    try:
        cache.set(CACHE_KEY, {**sites, host: site}, CACHE_SECONDS)
    except Exception:
        logger.warning("Could not cache the site", exc_info=True)
    return site


def forget_sites(**_kwargs) -> None:
    try:
        cache.delete(CACHE_KEY)
    except Exception:
        logger.warning("Could not drop the cached sites", exc_info=True)


def forget_sites_for_page(instance=None, **kwargs) -> None:
    depth = getattr(instance, "depth", None)
    if instance is not None and (depth is None or depth <= 2):  # unknown (raw loads): drop
        forget_sites()


def _served_by_wagtail(request: HttpRequest) -> bool:
    """Is this a path of the page tree (Wagtail's serve view), not one of our own views?
    Those look the Site up only if they need it, so a cold cache must not add queries."""
    try:
        return resolve(request.path_info).func is wagtail_serve
    except Resolver404:
        return False


class SiteFromCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            request.path_info != "/"
            and not hasattr(request, "_wagtail_site")
            and (request.method == "GET" or _served_by_wagtail(request))
        ):
            site = cached_site(request)
            if site is not None:
                request._wagtail_site = site
        return self.get_response(request)
