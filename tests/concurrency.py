"""Real concurrent transactions for the PostgreSQL-only tests: threads released at one moment,
each on its own database connection."""

from __future__ import annotations

import threading
from collections.abc import Callable


def at_once(count: int, work: Callable[[int], object]) -> tuple[list, list[Exception]]:
    """Run `work(n)` for n in range(count) in threads that start together; (what they returned,
    what they raised), in the order they finished."""
    barrier = threading.Barrier(count)
    results: list = []
    errors: list[Exception] = []

    def run(n: int) -> None:
        from django.db import connection as own

        try:
            barrier.wait()
            results.append(work(n))
        except Exception as error:  # noqa: BLE001 - handed to the caller
            errors.append(error)
        finally:
            own.close()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, errors
