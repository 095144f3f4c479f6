"""Page routing in one query instead of two per level of the tree.

Wagtail's default `Page.route` walks the tree: for /catalogue/course/module/lesson/ it fetches each
child and its specific row (eight queries), then the view restrictions of the page and its
ancestors (two more). The home page here looks the whole chain up by `url_path` in one query
that also joins the lesson's own table (so a lesson, the page opened most, comes back as its
specific class; other types take one more query) and says whether any page of the chain, the
site root or the tree root has a view restriction; the chain is kept on the request so the
lesson page gets its breadcrumb for free. Pages below the home page do not override `route`,
so jumping straight to the deepest match is equivalent to walking.
"""

from functools import cache

from django.db.models import Exists, OuterRef, Q
from django.http import Http404, HttpRequest
from wagtail.models import Page, PageViewRestriction, get_page_models
from wagtail.url_routing import RouteResult


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
        raise Http404
    restricted = chain[-1]._lms_root_restricted or any(p._lms_restricted for p in chain[1:])
    deepest = _specific_of(chain[-1])
    deepest._cached_parent_obj = chain[-2]
    deepest._lms_restricted_chain = restricted
    chain[-1] = deepest
    remaining = path_components[len(chain) - 1 :]
    if remaining:
        return deepest.route(request, remaining)
    if not deepest.live:
        raise Http404
    request._lms_page_chain = chain
    deepest._lms_ancestors = chain[:-1]
    return RouteResult(deepest)


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
