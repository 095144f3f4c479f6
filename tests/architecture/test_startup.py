"""What a server process does before its first request (config.startup, called by the WSGI and
ASGI entry points)."""

import gc
import os
import subprocess
import sys

import pytest

from config.startup import freeze_startup_objects


def test_the_loaded_objects_are_frozen_out_of_the_collector_passes():
    try:
        frozen = freeze_startup_objects()
        # Counted again a moment later: a frozen object freed meanwhile (another thread's
        # temporary, in an xdist worker) leaves the permanent generation, nothing joins it.
        assert frozen - 100 <= gc.get_freeze_count() <= frozen
        assert frozen > 10_000  # the apps, models and URL patterns of this process
    finally:
        gc.unfreeze()  # the test process goes on collecting as before


@pytest.mark.parametrize("entry", ["config.wsgi", "config.asgi"])
def test_a_server_process_freezes_on_start(entry, settings):
    # A process of its own, as gunicorn starts one: importing the entry point freezes.
    script = f"import gc, {entry}; print(gc.get_freeze_count())"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": settings.SETTINGS_MODULE}
    done = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert int(done.stdout.strip()) > 10_000
