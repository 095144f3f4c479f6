"""Page routing in one query instead of two per level of the tree.

Wagtail's default `Page.route` walks the tree: for /catalogue/course/module/lesson/ it fetches each
child and its specific row (eight queries). The home page here looks the whole chain up by
`url_path` in one query and fetches only the last page's specific row; the chain is kept on the
request so the lesson page gets its breadcrumb for free. Pages below the home page do not
override `route`, so jumping straight to the deepest match is equivalent to walking.
"""

from django.http import Http404, HttpRequest
from wagtail.models import Page
from wagtail.url_routing import RouteResult


def route_by_url_path(root: Page, request: HttpRequest, path_components: list[str]) -> RouteResult:
    prefixes = []
    url_path = root.url_path
    for component in path_components:
        url_path += f"{component}/"
        prefixes.append(url_path)
    found = Page.objects.filter(
        path__startswith=root.path,
        depth__gt=root.depth,
        depth__lte=root.depth + len(prefixes),
        url_path__in=prefixes,
    ).order_by("depth")
    chain: list[Page] = [root]
    for page in found:
        if page.depth != chain[-1].depth + 1 or not page.path.startswith(chain[-1].path):
            break
        page._cached_parent_obj = chain[-1]
        chain.append(page)
    if len(chain) == 1:
        raise Http404
    deepest = chain[-1].specific
    deepest._cached_parent_obj = chain[-2]
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
        from django.db.models import Q
        from wagtail.models import PageViewRestriction

        ids = [self.pk, *(page.pk for page in ancestors)]
        # The tree's root (depth 1) is not in the chain; include it without another query.
        return PageViewRestriction.objects.filter(Q(page_id__in=ids) | Q(page__depth=1))
