"""Running the suite in several processes (pytest-xdist; `make test` runs ``-n 2``).

* :func:`worker_index`: 0 for the first worker (``gw0``) and for a run in one process. Each
  worker has its own test database (pytest-django suffixes the name with the worker id), its own
  ``tmp_path`` base, its own local-memory cache and its own live server on a free port; what is
  shared on the machine (sandbox uids, a Redis database) is split by this index.
* :func:`make_scheduler`: ``--dist loadfile`` and ``--dist loadscope`` keep the collection's
  order within each worker. pytest-django orders the collection as Django's runner does:
  database tests first, then transactional ones (whose teardown flushes the database, the data
  migrations' rows included), then tests without a database; tests/conftest.py then puts the
  tests sharing scenario layers side by side. xdist's own loadfile sends a whole file at once
  (its database tests after another file's transactional ones would find a flushed database)
  and starts with the biggest files. Here a unit of work is a *run*: the consecutive tests of
  one file (loadfile) or of one class or module (loadscope) in the collection. Units are handed
  out in the collection's order, so every worker sees the order a single process sees, with
  gaps.
"""

from __future__ import annotations

import os
from urllib.parse import urlsplit, urlunsplit


def worker_index() -> int:
    """The xdist worker's number (``gw1`` is 1); 0 when the tests run in one process."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    digits = worker.removeprefix("gw")
    return int(digits) if digits.isdigit() else 0


def make_scheduler(config, log):
    """The scheduler for ``--dist loadfile`` / ``--dist loadscope`` (see the module's docstring);
    None for the other modes (xdist's own then)."""
    dist = config.getvalue("dist")
    if dist not in ("loadfile", "loadscope"):
        return None
    from xdist.scheduler import LoadFileScheduling, LoadScopeScheduling

    base = LoadFileScheduling if dist == "loadfile" else LoadScopeScheduling

    class RunScheduling(base):
        def __init__(self, config, log=None):
            super().__init__(config, log)
            self._runs: dict[str, str] = {}

        def _split_scope(self, nodeid: str) -> str:
            if not self._runs:
                self._runs = self._number_runs(self.collection or [])
            return self._runs[nodeid]

        def _number_runs(self, collection: list[str]) -> dict[str, str]:
            runs: dict[str, str] = {}
            seen: dict[str, int] = {}
            previous = None
            for nodeid in collection:
                scope = base._split_scope(self, nodeid)
                if scope != previous:
                    seen[scope] = seen.get(scope, -1) + 1
                    previous = scope
                runs[nodeid] = f"{scope}@{seen[scope]}"
            return runs

    # The collection's order, not xdist's default of the biggest units first.
    config.option.loadscopereorder = False
    return RunScheduling(config, log)


def worker_caches(caches: dict) -> dict | None:
    """CACHES with each worker on its own Redis database (the worker's index added to the URL's
    database number): tests clear the cache, and django-redis clears with FLUSHDB. None when
    nothing needs to change (no Redis, or the first worker)."""
    index = worker_index()
    if index == 0:
        return None
    changed = {}
    for alias, config in caches.items():
        config = dict(config)
        if "redis" in config.get("BACKEND", "").lower():
            locations = config["LOCATION"]
            single = isinstance(locations, str)
            moved = [_redis_db_plus(url, index) for url in ([locations] if single else locations)]
            config["LOCATION"] = moved[0] if single else moved
        changed[alias] = config
    return changed if changed != caches else None


def _redis_db_plus(url: str, index: int) -> str:
    parts = urlsplit(url)
    database = int(parts.path.strip("/") or 0) + index
    return urlunsplit(parts._replace(path=f"/{database}"))
