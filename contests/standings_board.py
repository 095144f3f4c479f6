"""The board as served: the standings rendered to HTML (and gzipped) once per version and
kept in the cache, so that hundreds of pollers cost a cache read each.

- The key is what the HTML depends on: the contest, the category, the public's or the jury's
  view, the freeze, the language and the time zone (the banner's "frozen since 14:30"); the
  value carries the version it shows.
- New verdicts may arrive every second in a busy round: a board is rebuilt for a newer version
  at most once every REFRESH seconds (settings.CONTESTS_STANDINGS_REFRESH_SECONDS, 3 by
  default) per key, and the one built last is served meanwhile, so a verdict shows within a
  few seconds however many arrive. Within one process only one thread rebuilds a key; the
  others wait for it and read its result."""

from __future__ import annotations

import gzip
import threading
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation

from contests import standings, standings_display
from contests.models import Contest

DEFAULT_REFRESH_SECONDS = 3
_locks: dict[str, threading.Lock] = {}
_locks_guard = threading.Lock()


@dataclass(frozen=True)
class RenderedBoard:
    version: int
    built_at: datetime  # when the standings shown were computed (Last-Modified)
    rendered_at: datetime
    html: str
    packed: bytes  # the HTML gzipped, for clients that accept it


def refresh_seconds() -> float:
    return getattr(settings, "CONTESTS_STANDINGS_REFRESH_SECONDS", DEFAULT_REFRESH_SECONDS)


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
    cache_key = "contests.standings.board:" + board_key(contest, category_id, public_view, frozen)
    version = contest.standings_version
    board = standings.cache_get(cache_key, RenderedBoard)
    if _usable(board, version, now):
        return board
    with _lock(cache_key):
        board = standings.cache_get(cache_key, RenderedBoard)  # another thread's, maybe
        if _usable(board, version, now):
            return board
        table = standings.build(contest, category_id=category_id, jury=not public_view, now=now)
        html = render_to_string("contests/standings_board.html", context(contest, table, everyone))
        board = RenderedBoard(
            version=table.version,
            built_at=table.built_at,
            rendered_at=timezone.now(),
            html=html,
            packed=gzip.compress(html.encode(), compresslevel=5),
        )
        standings.cache_set(cache_key, board)
        return board


def context(contest: Contest, table: standings.Standings, everyone: bool) -> dict:
    show_category = everyone and any(row.category_name for row in table.rows)
    return {
        "contest": contest,
        "table": table,
        "icpc": table.rules == "icpc",
        "tasks": [
            {"label": t.label, "title": t.title, "max": standings_display.score(t.max_score)}
            for t in table.tasks
        ],
        "rows_html": standings_display.rows_html(table, show_category=show_category),
        "show_category": show_category,
        "legend": standings_display.legend(table),
        "max_score": standings_display.score(table.max_score),
    }
