"""Page routing in one query instead of two per level of the tree.

Wagtail's default `Page.route` walks the tree: for /catalogue/course/module/lesson/ it fetches each
child and its specific row (eight queries), then the view restrictions of the page and its
ancestors (two more). The home page here looks the whole chain up by `url_path` in one query
that also joins the lesson's own table (so a lesson, the page opened most, comes back as its
specific class; other types take one more query) and says whether any page of the chain, the
site root or the tree root has a view restriction; the chain is kept on the request so the
lesson page gets its breadcrumb for free. Pages below the home page do not override `route`,
so jumping straight to the deepest match is equivalent to walking.

The chain for a path (the pages below the site root, the deepest specific, the restriction
flag) is kept in the shared cache under the public generation of cms.public_cache: any change
to a page or a view restriction moves it, so a cached chain is never older than the tree. Only
whole matches of live pages are kept; a cache that fails means the query.
"""

import hashlib
from functools import cache

from django.db.models import Exists, OuterRef, Q
from django.http import Http404, HttpRequest
from wagtail.models import Page, PageViewRestriction, get_page_models
from wagtail.url_routing import RouteResult

from cms import public_cache

# The chain found for a path is kept under the public generation (cms.public_cache), which
# every save, move, publish, unpublish or delete of a page and every view restriction moves.
ROUTE_CACHE_SECONDS = 300


@cache
def _specific_accessors() -> dict[int, str]:
    """Content type id -> the reverse one-to-one name that reaches that type's own row, for the
    page types that ask for it (`routing_joins_specific = True`: the pages opened most, the
    lessons) and extend Page directly. Joining every page type's table instead costs more to
    build as SQL than the query it saves (and PostgreSQL's planner, without statistics,
    estimates such a join so large that it JIT-compiles it: seconds per request)."""
    from django.contrib.contenttypes.models import ContentType

    accessors = {}
    for model in get_page_models():
        if model is Page or list(model._meta.parents) != [Page]:
            continue
        if not getattr(model, "routing_joins_specific", False):
            continue
        link = model._meta.parents[Page]
        content_type = ContentType.objects.get_for_model(model)
        accessors[content_type.pk] = link.remote_field.get_accessor_name()
    return accessors


def _specific_of(page: Page) -> Page:
    accessor = _specific_accessors().get(page.content_type_id)
    specific = getattr(page, accessor, None) if accessor else None
    if specific is None:  # a type the join did not cover: Wagtail's own query
        return page.specific
    return specific


def route_by_url_path(root: Page, request: HttpRequest, path_components: list[str]) -> RouteResult:
    prefixes = []
    url_path = root.url_path
    for component in path_components:
        url_path += f"{component}/"
        prefixes.append(url_path)
    key = route_key(root, url_path)
    stored, generation = public_cache.lookup(key)
    if stored is not None:
        chain: list[Page] = [root, *stored]
        chain[1]._cached_parent_obj = root
    else:
        chain = _chain_from_database(root, prefixes)
    if len(chain) == 1:
        raise Http404
    deepest = chain[-1]
    remaining = path_components[len(chain) - 1 :]
    if remaining:
        return deepest.route(request, remaining)
    if not deepest.live:
        raise Http404
    if stored is None:  # only whole matches of live pages are kept
        public_cache.store(key, generation, chain[1:], ROUTE_CACHE_SECONDS)
    request._lms_page_chain = chain
    deepest._lms_ancestors = chain[:-1]
    return RouteResult(deepest)


def route_key(root: Page, url_path: str) -> str:
    digest = hashlib.blake2b(url_path.encode(), digest_size=16).hexdigest()
    return f"lms:route:{root.pk}:{digest}"


def _chain_from_database(root: Page, prefixes: list[str]) -> list[Page]:
    """The root and the pages below it down to the deepest match, in one query; the deepest as
    its specific class, with whether any page of the chain has a view restriction."""
    restrictions = PageViewRestriction.objects.all()
    found = (
        Page.objects.filter(
            path__startswith=root.path,
            depth__gt=root.depth,
            depth__lte=root.depth + len(prefixes),
            url_path__in=prefixes,
        )
        .select_related(*_specific_accessors().values())
        .annotate(
            _lms_restricted=Exists(restrictions.filter(page_id=OuterRef("pk"))),
            # The site root and the tree's root (depth 1) are not in the chain.
            _lms_root_restricted=Exists(restrictions.filter(Q(page_id=root.pk) | Q(page__depth=1))),
        )
        .order_by("depth")
    )
    chain: list[Page] = [root]
    for page in found:
        if page.depth != chain[-1].depth + 1 or not page.path.startswith(chain[-1].path):
            break
        page._cached_parent_obj = chain[-1]
        chain.append(page)
    if len(chain) == 1:
        return chain
    restricted = chain[-1]._lms_root_restricted or any(p._lms_restricted for p in chain[1:])
    deepest = _specific_of(chain[-1])
    # A page type may load the related rows its page shows (a course's cover picture), so the
    # cached chain carries them; pictures move the public generation like pages do.
    prepare = getattr(deepest, "prepare_for_routing_cache", None)
    if prepare is not None:
        prepare()
    deepest._cached_parent_obj = chain[-2]
    deepest._lms_restricted_chain = restricted
    chain[-1] = deepest
    return chain


class RoutedAncestorsMixin:
    """Reuse the ancestor chain found by `route_by_url_path` for Wagtail's view-restriction
    check, instead of querying the ancestors again."""

    def get_view_restrictions(self):
        ancestors = getattr(self, "_lms_ancestors", None)
        if ancestors is None or any(page.alias_of_id for page in [*ancestors, self]):
            return super().get_view_restrictions()
        if getattr(self, "_lms_restricted_chain", None) is False:
            return PageViewRestriction.objects.none()  # the routing query saw none
        ids = [self.pk, *(page.pk for page in ancestors)]
        # The tree's root (depth 1) is not in the chain; include it without another query.
        return PageViewRestriction.objects.filter(Q(page_id__in=ids) | Q(page__depth=1))
