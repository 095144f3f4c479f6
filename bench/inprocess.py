"""Shared set-up of the in-process benchmarks (teaching.py, gradebook.py): a throwaway database
(SQLite in a temporary directory unless DATABASE_URL names one), Django configured for the test
client, fast password hashing, migrated."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup_django() -> tempfile.TemporaryDirectory:
    """Returns the temporary directory; keep a reference so it lives as long as the run."""
    workdir = tempfile.TemporaryDirectory(prefix="lms-bench-")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{workdir.name}/bench.sqlite3")
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.dev"
    os.environ["MEDIA_ROOT"] = f"{workdir.name}/media"
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment()
    settings.ALLOWED_HOSTS = ["testserver"]
    settings.DEBUG = False
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    print(f"database: {connection.vendor} ({settings.DATABASES['default']['NAME']})")
    call_command("migrate", verbosity=0)
    return workdir
