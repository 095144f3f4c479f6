"""Where the real-world test data written by others lives: `../shared/fixtures/` beside the
checkout. A clone elsewhere (CI may clone into a temporary directory) finds it through
LMS_SHARED_FIXTURES, or at the machine's usual place; tests skip with the reason otherwise."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
USUAL = Path("/work/shared/fixtures")


def shared_fixtures() -> Path:
    named = os.environ.get("LMS_SHARED_FIXTURES")
    candidates = [Path(named)] if named else []
    candidates += [ROOT.parent / "shared" / "fixtures", USUAL]
    for candidate in candidates:
        if candidate.is_dir():
            return candidate.resolve()
    return candidates[0]
