"""The standings page, its live fragment and the exports. Thin: the numbers come from
contests.standings, their text from contests.standings_display.

- Everyone who may see the contest (permissions.visible_contests, the rule of contest_or_404,
  in the same query as the category and the jury seat) sees the public board: frozen
  while frozen, public names. The jury sees it live with full names, and may switch to
  "as the public sees it" (?view=public).
- ?category=<id> shows one category's standings (its own places); a contest with
  categories opens on the first one, and ?category=all shows everyone together.
- ?page=<n>: a board of many participants is shown a page at a time (contests.standings_board);
  the fragment polls its own page, and "My row" links to the page the viewer's row is on.
- ?fragment=1 is the board alone, polled every 10 s by static/js/contests-standings.js: it
  answers 304 to a matching ETag before reading anything more (the ETag is the version shown
  with what the board depends on), and its HTML comes from contests.standings_board's cache,
  so a poll costs one query (the contest with its category and the viewer's jury seat)."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Subquery
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date
from django.utils.safestring import mark_safe

from contests import permissions, standings, standings_board, standings_export
from contests.models import Category, Contest

POLL_SECONDS = 10


class Board:
    """What one request looks at: the contest, who looks, which category, which view."""

    def __init__(self, request: HttpRequest, slug: str):
        user = request.user
        raw = request.GET.get("category", "")
        if raw and raw != "all" and not (raw.isdigit() and len(raw) <= 9):
            raise Http404
        # One query: the contest, the category asked for (or the first), the viewer's seat on
        # its jury.
        categories = Category.objects.filter(contest_id=OuterRef("pk"))
        if raw.isdigit():
            categories = categories.filter(pk=int(raw))
        query = permissions.visible_contests(user).filter(slug=slug)
        query = query.annotate(
            board_category_id=Subquery(categories.order_by("order", "pk").values("pk")[:1])
        )
        if user.is_authenticated:
            jury_table = Contest.jury.through.objects.filter(
                contest_id=OuterRef("pk"), user_id=user.pk
            )
            query = query.annotate(viewer_on_jury=Exists(jury_table))
        self.contest: Contest | None = query.first()
        if self.contest is None:
            raise Http404
        self.is_jury = user.is_authenticated and (
            permissions.is_organiser(user) or self.contest.viewer_on_jury
        )
        self.category_id: int | None = None
        if raw.isdigit():
            self.category_id = self.contest.board_category_id
            if self.category_id is None:  # not a category of this contest
                raise Http404
        elif raw != "all":
            self.category_id = self.contest.board_category_id  # None: it has none
        self.everyone = self.category_id is None
        self.public_view = not self.is_jury or request.GET.get("view") == "public"
        self.now = timezone.now()
        self.frozen = self.public_view and standings.board_frozen(self.contest, self.now)

    def build(self) -> standings.Standings:
        return standings.build(
            self.contest, category_id=self.category_id, jury=not self.public_view, now=self.now
        )

    def key(self) -> str:
        return standings_board.board_key(
            self.contest, self.category_id, self.public_view, self.frozen
        )

    def rendered(self) -> standings_board.RenderedBoard:
        return standings_board.rendered(
            self.contest,
            category_id=self.category_id,
            everyone=self.everyone,
            public_view=self.public_view,
            frozen=self.frozen,
            now=self.now,
        )


def standings_page(request: HttpRequest, slug: str) -> HttpResponse:
    board = Board(request, slug)
    if request.GET.get("fragment") == "1":
        return _fragment(request, board)
    shown = board.rendered()
    number = shown.page_number(request.GET.get("page"))
    contest = board.contest
    me = permissions.participant_of(request, contest)
    context = {
        "contest": contest,
        "board_html": mark_safe(shown.html(number)),  # noqa: S308 - rendered by our template
        "etag": standings_board.etag(_page_key(board.key(), number), shown.version),
        "page_number": number,
        "page_count": shown.page_count,
        "view_param": "public" if board.is_jury and board.public_view else "",  # the pager
        "my_page": shown.page_of.get(me.pk) if me else None,
        "is_jury": board.is_jury,
        "public_view": board.public_view,
        "categories": list(contest.categories.all()),
        "category_id": board.category_id,
        "everyone": board.everyone,
        "me": me,
        "poll_seconds": POLL_SECONDS,
        "formats": standings_export.FORMATS,
    }
    return render(request, "contests/standings.html", context)


def _page_key(key: str, number: int) -> str:
    return key if number == 1 else f"{key}.p{number}"


def _fragment(request: HttpRequest, board: Board) -> HttpResponse:
    asked = request.GET.get("page")
    if request.headers.get("If-None-Match"):
        # The client holds the newest version: answered before anything is read (the page as
        # asked; one out of range matches no ETag and is answered in full below).
        wanted = int(asked) if asked and asked.isdigit() and len(asked) <= 6 else 1
        newest = standings_board.etag(
            _page_key(board.key(), wanted), board.contest.standings_version
        )
        unchanged = get_conditional_response(request, etag=newest)
        if unchanged is not None:
            return _poll_headers(unchanged, newest, None)
    shown = board.rendered()
    number = shown.page_number(asked)
    etag = standings_board.etag(_page_key(board.key(), number), shown.version)
    stamp = int(shown.built_at.timestamp())
    unchanged = get_conditional_response(request, etag=etag, last_modified=stamp)
    if unchanged is not None:
        return _poll_headers(unchanged, etag, stamp)
    if "gzip" in request.headers.get("Accept-Encoding", ""):
        # Compressed once per version, not once per poller (a 1,000-row board: ~600 KB).
        response = HttpResponse(shown.gzipped(number))
        response["Content-Encoding"] = "gzip"
    else:
        response = HttpResponse(shown.html(number))
    return _poll_headers(response, etag, stamp)


def _poll_headers(response: HttpResponse, etag: str, stamp: int | None) -> HttpResponse:
    response["ETag"] = etag
    patch_vary_headers(response, ["Accept-Encoding"])
    if stamp is not None:
        response["Last-Modified"] = http_date(stamp)
    # Each browser keeps its own copy and asks again every time (the ETag makes that cheap).
    patch_cache_control(response, private=True, no_cache=True)
    return response


def export(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    """The board as CSV or XLSX: what this viewer's page shows (the jury: live and full names,
    or ?view=public for what the public sees)."""
    if fmt not in standings_export.FORMATS:
        raise Http404
    board = Board(request, slug)
    table = board.build()
    name = f"{board.contest.slug}-standings"
    if board.category_id is not None:
        name += f"-{board.category_id}"
    content, content_type = standings_export.render(table, fmt, title=board.contest.title)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    patch_cache_control(response, private=True, no_cache=True)
    return response
