"""Markdown rendering time for pathological texts at each text's limit (in-process, uncached).

    .venv/bin/python bench/markdown_speed.py                 # every text at LMS_MARKDOWN_MAX_CHARS
    .venv/bin/python bench/markdown_speed.py --length 20000  # another length
    .venv/bin/python bench/markdown_speed.py --repeat 5      # best of five (default three)

Prints each text's best time and the worst of all; the budget is 100 ms a text on this machine.
A ratio to a bare view does not apply here: this is CPU time of one pure function, and the
best of several runs is stable enough to compare with the budget.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

BUDGET_MS = 100.0


def main() -> int:
    import django

    django.setup()
    from django.conf import settings

    from cms.markdown import _render_uncached
    from tests.cms.pathological_markdown import pathological_corpus

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--length", type=int, default=settings.LMS_MARKDOWN_MAX_CHARS)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    corpus = pathological_corpus(args.length)
    results = []
    for name, text in corpus.items():
        best = min(_timed(_render_uncached, text) for _ in range(args.repeat))
        results.append((best, name))
    print(f"{len(corpus)} texts of {args.length:,} characters, best of {args.repeat}:")
    for best, name in sorted(results, reverse=True):
        print(f"  {best:7.1f} ms  {name}")
    worst, name = max(results)
    verdict = "within" if worst <= BUDGET_MS else "OVER"
    print(f"worst: {worst:.1f} ms ({name}), {verdict} the {BUDGET_MS:.0f} ms budget")
    return 0 if worst <= BUDGET_MS else 1


def _timed(function, text: str) -> float:
    started = time.perf_counter()
    function(text)
    return (time.perf_counter() - started) * 1000


if __name__ == "__main__":
    raise SystemExit(main())
