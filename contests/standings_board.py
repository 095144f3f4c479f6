"""The board as served: the standings rendered to HTML (and gzipped) once per version and
kept in the cache, so that hundreds of pollers cost a cache read each.

- The key is what the HTML depends on: the contest, the category, the public's or the jury's
  view, the freeze, the language and the time zone (the banner's "frozen since 14:30"); the
  value carries the version it shows.
- New verdicts may arrive every second in a busy round: a board is rebuilt for a newer version
  at most once every REFRESH seconds (settings.CONTESTS_STANDINGS_REFRESH_SECONDS, 3 by
  default) per key, and the one built last is served meanwhile, so a verdict shows within a
  few seconds however many arrive. Within one process only one thread rebuilds a key; the
  others wait for it and read its result.
- A board of many participants is shown in pages of PAGE_SIZE rows (settings.
  CONTESTS_STANDINGS_PAGE_SIZE, 100 by default), all rendered in the same pass and kept in the
  same entry: the places are the whole board's, and a page costs what a small board costs."""

from __future__ import annotations

import gzip
import threading
from dataclasses import dataclass, replace
from datetime import datetime

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation

from contests import standings, standings_display
from contests.models import Contest

DEFAULT_REFRESH_SECONDS = 3
DEFAULT_PAGE_SIZE = 100
_locks: dict[str, threading.Lock] = {}
_locks_guard = threading.Lock()


@dataclass(frozen=True)
class RenderedBoard:
    version: int
    built_at: datetime  # when the standings shown were computed (Last-Modified)
    rendered_at: datetime
    pages: tuple[str, ...]  # the board's HTML, page by page (one page at least)
    packed: tuple[bytes, ...]  # each page gzipped, for clients that accept it
    page_of: dict[int, int]  # participant id -> the page (from 1) their row is on

    @property
    def page_count(self) -> int:
        return len(self.pages)

    def page_number(self, asked: str | None) -> int:
        """The page asked for (?page=), within range: nonsense is the first, too far the last."""
        if asked and asked.isdigit() and len(asked) <= 6:
            return min(max(int(asked), 1), self.page_count)
        return 1

    def html(self, number: int = 1) -> str:
        return self.pages[number - 1]

    def gzipped(self, number: int = 1) -> bytes:
        return self.packed[number - 1]


def refresh_seconds() -> float:
    return getattr(settings, "CONTESTS_STANDINGS_REFRESH_SECONDS", DEFAULT_REFRESH_SECONDS)


def page_size() -> int:
    return max(1, getattr(settings, "CONTESTS_STANDINGS_PAGE_SIZE", DEFAULT_PAGE_SIZE))


def board_key(contest: Contest, category_id: int | None, public_view: bool, frozen: bool) -> str:
    return ".".join(
        str(part)
        for part in (
            contest.pk,
            category_id or "all",
            "public" if public_view else "jury",
            "frozen" if frozen else "live",
            translation.get_language(),
            timezone.get_current_timezone_name(),
        )
    )


def etag(key: str, version: int) -> str:
    return f'W/"standings-{key}-v{version}"'


def _lock(key: str) -> threading.Lock:
    with _locks_guard:
        return _locks.setdefault(key, threading.Lock())


def _usable(board: RenderedBoard | None, version: int, now: datetime) -> bool:
    if board is None:
        return False
    if board.version >= version:
        return True
    return (now - board.rendered_at).total_seconds() < refresh_seconds()


def rendered(
    contest: Contest,
    *,
    category_id: int | None,
    everyone: bool,
    public_view: bool,
    frozen: bool,
    now: datetime | None = None,
) -> RenderedBoard:
    """The board of this view, from the cache when it is recent enough (see the docstring)."""
    now = now or timezone.now()
    cache_key = "contests.standings.board.2:" + board_key(contest, category_id, public_view, frozen)
    version = contest.standings_version
    board = standings.cache_get(cache_key, RenderedBoard)
    if _usable(board, version, now):
        return board
    with _lock(cache_key):
        board = standings.cache_get(cache_key, RenderedBoard)  # another thread's, maybe
        if _usable(board, version, now):
            return board
        table = standings.build(contest, category_id=category_id, jury=not public_view, now=now)
        size = page_size()
        slices = [table.rows[start : start + size] for start in range(0, len(table.rows), size)]
        pages = tuple(
            render_to_string(
                "contests/standings_board.html", context(contest, table, everyone, rows=rows)
            )
            for rows in slices or [[]]
        )
        board = RenderedBoard(
            version=table.version,
            built_at=table.built_at,
            rendered_at=timezone.now(),
            pages=pages,
            packed=tuple(gzip.compress(html.encode(), compresslevel=5) for html in pages),
            page_of={
                row.participant_id: number
                for number, rows in enumerate(slices, start=1)
                for row in rows
            },
        )
        standings.cache_set(cache_key, board)
        return board


def context(
    contest: Contest, table: standings.Standings, everyone: bool, rows: list | None = None
) -> dict:
    """The board template's context; `rows`: the page's rows (all of them if not given)."""
    show_category = everyone and any(row.category_name for row in table.rows)
    shown = table if rows is None else replace(table, rows=rows)
    return {
        "contest": contest,
        "table": table,
        "icpc": table.rules == "icpc",
        "tasks": [
            {"label": t.label, "title": t.title, "max": standings_display.score(t.max_score)}
            for t in table.tasks
        ],
        "rows_html": standings_display.rows_html(shown, show_category=show_category),
        "show_category": show_category,
        "legend": standings_display.legend(table),
        "max_score": standings_display.score(table.max_score),
    }
