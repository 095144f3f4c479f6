"""The crawl: every page of the site and of both admins that a role reaches by following links
is opened, and none answers with a server error (status >= 500).

The world is the permission matrix's two-schools scenario (its `world` fixture: assignments,
hand-ins, a released grade with a feedback file, an invite, a cross-school grant) plus a course
author, so that the Wagtail admin is crawled as a methodologist, a course author and a superuser,
and the assignment placed in a lesson's body.

For each role the crawl starts from SEEDS and the project pages the matrix opens with a 200 for
that role, and follows, breadth first, the same-site links of every HTML page it gets: `a[href]`,
`img[src]`, the actions of GET forms (without their fields), the URLs Wagtail's JavaScript GETs
(DATA_URLS, and the "url"s of JSON data blocks: its sidebar menu is one) and redirects. Downloads
are fetched to the end, not parsed; logout is never requested. The work is bounded per role:
at most PER_PATTERN paths per URL pattern (`ResolverMatch.route`; Wagtail's page tree, a single
pattern, counts per page type, and TYPED_VIEWS of its admin one path per page type), per pattern
one URL for each set of query parameters and PER_PATTERN such URLs in all (so `?p=2` once), and
MAX_PAGES pages. Each listing (a page with links to itself with pagination or ordering, or with a
GET form of its own) is requested once per pattern with each of LISTING_PROBES and once with the
query parameters of its own links all set to "nonsense".

Every request runs in a rolled-back transaction with the cookies restored (the matrix's `fetch`),
so no request changes what the next one sees; the tables a GET writes to are printed (`-s`), as
side effects to look at. The failures of all roles are collected before the test fails, each with
the role, the URL, the status, the referring page and the end of the traceback.
"""

from __future__ import annotations

import re
import time
import traceback
from collections import Counter, defaultdict, deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.urls import Resolver404, resolve, reverse
from wagtail.models import Page, Site
from wagtail.users.models import UserProfile

from assessments.models import Assignment
from courses import authoring
from courses.models import LessonPage
from lms import roles
from tests.builders import make_user
from tests.lms import test_permission_matrix as matrix

pytestmark = [pytest.mark.django_db, pytest.mark.slow]  # about a minute

matrix_world = matrix.matrix_world  # the matrix's scenario, as fixtures of this module too
world = matrix.world

ROLES = (*matrix.USERS, "course_author")  # the author: see `crawl_world`
SEEDS = (
    "/",
    "/learn/",
    "/search/",
    "/join/",
    "/account/password/",
    "/teach/",
    "/school/",
    "/work/notifications/",
    "/work/gradebook/mine/",
    "/admin/",  # for those without admin access: a redirect to the login page, and so on
    "/django-admin/",
)
PER_PATTERN = 2  # paths per URL pattern, and URLs with a query string per pattern, per role
PER_PAGE_TYPE = 4  # paths per Wagtail page type (the world has four lessons), per role
MAX_PAGES = 400  # pages per role, probes not counted
NEVER = {"logout", "wagtailadmin_logout", "admin:logout"}  # url names never requested
NEVER_PATHS = ("/logout/", "/admin/logout/", "/django-admin/logout/")
# Where a page returns to afterwards: the same page, for the crawl.
IGNORED_PARAMS = {"next", "_changelist_filters"}
LISTING_PROBES = (
    {"q": "<script>alert(1)</script>"},
    {"p": "999"},
    {"page": "abc"},
    {"ordering": "nonsense"},
)
LISTING_LINK = re.compile(r"[?&](?:p|page|ordering|o|sort)=")  # pagination or ordering
# Admin URLs that JavaScript GETs: modals (privacy, choosers), listing refreshes, previews.
# Not data-w-action-url-value: those are POSTed (lock, editing sessions).
DATA_URLS = ("data-url", "data-chooser-url", "data-w-preview-url-value")
JSON_URL = re.compile(r'"url":\s*"(/[^"]*)"')
WRITE = re.compile(r'^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?', re.IGNORECASE)


@pytest.fixture
def crawl_world(world, two_schools):
    """The matrix's world, plus a teacher of the host school who authors the course, and the
    assignment placed in its lesson's body (as authors do) so that pages render the block."""
    users, ids = world
    lesson = LessonPage.objects.get(pk=ids["lesson_m1"])
    lesson.body.append(("assignment", {"assignment": Assignment.objects.get(pk=ids["assignment"])}))
    lesson.save_revision().publish()
    author = make_user("a_course_author", roles.TEACHER, school=two_schools.host.school)
    authoring.add_author(two_schools.tree.course, author, by=two_schools.methodologist)
    users = {**users, "course_author": author}
    for user in users.values():  # Wagtail makes them lazily: on every request, rolled back
        if user is not None:
            UserProfile.get_for_user(user)
    return users, ids


# --- Pages and links -------------------------------------------------------------------------


class LinkParser(HTMLParser):
    """The hrefs of <a>, the srcs of <img>, the actions of GET forms and the "url"s of JSON
    data blocks."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.forms: list[str] = []  # "" for the page itself
        self._json = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.links += [attrs[name] for name in DATA_URLS if attrs.get(name)]
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        elif tag == "img" and attrs.get("src"):  # thumbnails are views too
            self.links.append(attrs["src"])
        elif tag == "form" and (attrs.get("method") or "get").lower() == "get":
            self.forms.append(attrs.get("action") or "")
        elif tag == "script":
            self._json = attrs.get("type") == "application/json"

    def handle_endtag(self, tag):
        if tag == "script":
            self._json = False

    def handle_data(self, data):
        if self._json:
            self.links += JSON_URL.findall(data)


def same_site(base: str, href: str) -> str | None:
    """The link as path?query (parameters sorted), or None if it leaves the site or the page."""
    href = href.strip()
    if href.startswith(("#", "mailto:", "tel:", "javascript:", "data:")):
        return None
    parts = urlsplit(urljoin(base, href))
    if parts.scheme not in ("", "http", "https") or parts.netloc not in ("", "testserver"):
        return None
    params = parse_qsl(parts.query, keep_blank_values=True)
    query = urlencode(sorted((k, v) for k, v in params if k not in IGNORED_PARAMS))
    return (parts.path or "/") + (f"?{query}" if query else "")


def is_download(response) -> bool:
    if response.streaming or "attachment" in response.get("Content-Disposition", ""):
        return True
    return not response.get("Content-Type", "").startswith("text/html")


_PAGE_TYPES: dict[str | int, str] = {}
# Wagtail admin views whose page differs with the type of page: one path per type.
TYPED_VIEWS = {
    "wagtailadmin_pages:edit",
    "wagtailadmin_pages:preview_on_edit",
    "wagtailadmin_pages:add_subpage",  # which types may be added below
    "wagtailadmin_pages:add",  # the type is in the URL
    "wagtailadmin_pages:preview_on_add",
}


def page_type(path: str | None = None, pk: int | None = None) -> str:
    """The page type served at a path of the default site, or of a page id ("missing")."""
    cache_key = path if path is not None else pk
    if cache_key not in _PAGE_TYPES:
        if path is not None:
            root = Site.objects.get(is_default_site=True).root_page.url_path
            page = Page.objects.filter(url_path=root + path.lstrip("/")).first()
        else:
            page = Page.objects.filter(pk=pk).first()
        _PAGE_TYPES[cache_key] = page.specific_class.__name__ if page else "missing"
    return _PAGE_TYPES[cache_key]


def route_key(path: str) -> tuple:
    """What the per-pattern budget counts: the pattern's route; for Wagtail's page tree (one
    pattern) the page type; for TYPED_VIEWS the route and the page type."""
    try:
        match = resolve(path)
    except Resolver404:
        return ("unresolved", path)
    if match.view_name in NEVER:
        return ("never",)
    if match.url_name == "wagtail_serve":
        return ("page", page_type(path))
    if match.view_name in TYPED_VIEWS:
        kwargs = match.kwargs
        about = kwargs.get("content_type_model_name")
        return (
            match.route,
            about or page_type(pk=kwargs.get("page_id", kwargs.get("parent_page_id"))),
        )
    return (match.route,)


class Statements:
    """A database execute wrapper: the tables a request writes to."""

    def __init__(self):
        self.tables: set[str] = set()

    def __call__(self, execute, sql, params, many, context):
        if match := WRITE.match(sql):
            self.tables.add(match.group(1))
        return execute(sql, params, many, context)


def traceback_end(exc_info, lines: int = 6) -> str:
    text = "".join(traceback.format_exception(*exc_info)).rstrip().splitlines()
    return "\n".join(f"    {line}" for line in text[-lines:])


# --- The crawl -------------------------------------------------------------------------------


@dataclass
class Crawl:
    role: str
    client: Client
    queue: deque = field(default_factory=deque)  # (url, referrer, route key, is a probe)
    seen: set = field(default_factory=set)
    paths: dict = field(default_factory=lambda: defaultdict(set))  # route key -> paths
    variants: set = field(default_factory=set)  # (route, query parameter names)
    with_query: Counter = field(default_factory=Counter)  # route -> URLs with a query
    probed: set = field(default_factory=set)  # routes whose listing probes are queued
    patterns: set = field(default_factory=set)
    answered: dict = field(default_factory=dict)  # url -> view name, for 2xx answers
    linked: set = field(default_factory=set)  # urls some page links to (seeds are not)
    failures: list = field(default_factory=list)
    writes: dict = field(default_factory=dict)  # view name -> tables a GET wrote to
    statuses: Counter = field(default_factory=Counter)
    requests: int = 0
    pages: int = 0  # requests that are not probes
    capped: bool = False

    def run(self, seeds) -> None:
        for seed in seeds:
            self.admit(seed, "(seed)")
        self.linked.clear()
        while self.queue:
            url, referrer, key, is_probe = self.queue.popleft()
            if not is_probe:
                if self.pages >= MAX_PAGES:
                    self.capped = True
                    continue
                self.pages += 1
            self.visit(url, referrer, key, is_probe)

    def admit(self, url: str | None, referrer: str) -> None:
        """Queue a link unless it was seen, is never followed, or its pattern's budget is spent."""
        if url is None:
            return
        self.linked.add(url)
        if url in self.seen:
            return
        path, _, query = url.partition("?")
        if path in NEVER_PATHS or path.startswith((settings.STATIC_URL, settings.MEDIA_URL)):
            return
        key = route_key(path)
        if key == ("never",):
            return
        if query:
            route = key[0]  # whatever the page type
            variant = (route, frozenset(name for name, _ in parse_qsl(query)))
            if variant in self.variants or self.with_query[route] >= PER_PATTERN:
                return
            self.variants.add(variant)
            self.with_query[route] += 1
        else:
            paths = self.paths[key]
            if path not in paths:
                if len(paths) >= self.budget(key):
                    return
                paths.add(path)
        self.seen.add(url)
        self.queue.append((url, referrer, key, False))

    @staticmethod
    def budget(key: tuple) -> int:
        if key[0] == "page":
            return PER_PAGE_TYPE
        return PER_PATTERN if len(key) == 1 else 1  # TYPED_VIEWS: one page per type

    def probe(self, url: str, key: tuple, links: list[str]) -> None:
        """Queue a listing's probes, once per pattern (whatever its page type). Wagtail's
        results/ views render the rows of their index view, which is probed itself."""
        route = key[0]
        if route in self.probed or route.endswith("results/"):
            return
        self.probed.add(route)
        path = url.partition("?")[0]
        own = {name for link in links for name, _ in parse_qsl(link.partition("?")[2])}
        nonsense = [dict.fromkeys(sorted(own), "nonsense")] if own else []
        for params in (*LISTING_PROBES, *nonsense):
            probe = f"{path}?{urlencode(params)}"
            if probe not in self.seen:
                self.seen.add(probe)
                self.queue.append((probe, url, key, True))

    def visit(self, url: str, referrer: str, key: tuple, is_probe: bool) -> None:
        self.requests += 1
        self.patterns.add(key)
        statements = Statements()
        try:
            with connection.execute_wrapper(statements):
                response = matrix.fetch(self.client, "get", url)
            if response.streaming:  # a download: read it through, it must not fail either
                b"".join(response.streaming_content)
                for close in response._resource_closers:  # the file; not response.close(),
                    close()  # whose request_finished signal would close the test's connection
        except Exception as error:  # not even an error page: still a server error
            tb = traceback_end((type(error), error, error.__traceback__))
            self.failures.append(f"GET {url} (linked from {referrer}): exception\n{tb}")
            return
        status = response.status_code
        self.statuses[status] += 1
        view = resolve(url.partition("?")[0]).view_name if key[0] != "unresolved" else url
        if statements.tables:
            self.writes.setdefault(view, set()).update(statements.tables)
        if status >= 500:
            tb = traceback_end(response.exc_info) if response.exc_info else "    (no traceback)"
            self.failures.append(f"GET {url} (linked from {referrer}): {status}\n{tb}")
            return
        if 200 <= status < 300:
            self.answered[url] = view
        if is_probe:
            return
        if status in (301, 302, 303, 307, 308):
            self.admit(same_site(url, response["Location"]), url)
            return
        if status != 200 or is_download(response):
            return  # downloads are fetched, not parsed
        parser = LinkParser()
        parser.feed(response.content.decode(response.charset or "utf-8", "replace"))
        path = url.partition("?")[0]
        links = [same_site(url, href) for href in parser.links]
        forms = [same_site(url, action or path) for action in parser.forms]
        for link in links + forms:
            self.admit(link, url)
        # A listing: links to itself with pagination or ordering, or a search or filter form of
        # its own (the site-wide search box is not).
        own = [link for link in links + forms if link and link.partition("?")[0] == path]
        if any(LISTING_LINK.search(link) for link in own) or any(
            form and form.partition("?")[0] == path for form in forms
        ):
            self.probe(url, key, own)


def client_for(users, role: str) -> Client:
    client = Client(raise_request_exception=False)  # a 500 is an answer to collect
    if users[role] is not None:
        client.force_login(users[role])
    return client


def matrix_pages(role: str, ids: dict) -> dict[str, str]:
    """The project's pages the matrix opens with a GET and a 200 for this role: url -> name."""
    if role not in matrix.USERS:
        return {}
    pages = {}
    for case in matrix.CASES:
        if case.method == "get" and case.expect[role] == 200:
            kwargs = {k: ids[v[1:]] if v.startswith("@") else v for k, v in case.kwargs.items()}
            pages[reverse(case.name, kwargs=kwargs)] = case.name
    return pages


# --- The test --------------------------------------------------------------------------------


def test_crawl_every_role_without_server_errors(crawl_world):
    users, ids = crawl_world
    _PAGE_TYPES.clear()
    failures, writes, started = [], defaultdict(set), time.monotonic()
    for role in ROLES:
        role_started = time.monotonic()
        crawl = Crawl(role, client_for(users, role))
        own_pages = matrix_pages(role, ids)  # seeds too: the crawl opens all of them
        crawl.run([*SEEDS, *own_pages])
        print(
            f"{role}: {crawl.requests} requests ({crawl.pages} pages, "
            f"{len(crawl.probed)} listings probed), {len(crawl.patterns)} patterns, "
            f"{len(crawl.failures)} server errors{' (page cap reached)' if crawl.capped else ''}"
            f", {time.monotonic() - role_started:.1f} s"
        )
        reached = {view for url, view in crawl.answered.items() if url in crawl.linked}
        print("  statuses: " + ", ".join(f"{n}× {s}" for s, n in sorted(crawl.statuses.items())))
        if missed := sorted(set(own_pages.values()) - reached):
            print(f"  pages no link leads to (the matrix's, opened as seeds): {', '.join(missed)}")
        for view, tables in crawl.writes.items():
            writes[view, ", ".join(sorted(tables))].add(role)
        assert crawl.pages > len(SEEDS), f"{role}: the crawl went nowhere"
        failures += [f"[{role}] {failure}" for failure in crawl.failures]
    for (view, tables), who in sorted(writes.items()):
        print(f"GET writes (rolled back): {view} -> {tables} ({len(who)} roles)")
    print(f"all roles: {time.monotonic() - started:.1f} s")
    assert not failures, f"{len(failures)} server errors:\n" + "\n\n".join(failures)
