"""The yardstick of bench/pages.py: a bare Django view returning a fixed ~26 KB HTML page behind
the middleware of a fresh `startproject`, no database query, DEBUG off. The same thing the
peers harness (../shared/peers/bare) measures; our pages are reported as a ratio to it, so
figures from different days and machines compare. A project of its own (settings in this
module), started by bench/pages.py with gunicorn like our site, never part of our URLconf."""

import os
import sys
from pathlib import Path

from django.http import HttpResponse
from django.urls import path

DEBUG = False
SECRET_KEY = os.environ.get("SECRET_KEY", "bench-bare-view-not-secret")
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ROOT_URLCONF = __name__
INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
DATABASES = {  # never queried: the view reads no session and no user
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(Path(os.environ.get("BARE_DB_DIR", ".")) / "bench-bare.sqlite3"),
    }
}
USE_TZ = True
PAGE_BYTES = 26_000


def _page() -> str:
    paragraph = (
        "<p>Робот едет по линии: два датчика смотрят на пол, и программа поворачивает "
        "в сторону того, который видит чёрное. <strong>Проверьте</strong> пороги.</p>\n"
    )
    body = paragraph * (PAGE_BYTES // len(paragraph.encode()) + 1)
    head = "<!DOCTYPE html><html lang=ru><head><title>Урок</title></head>"
    return f"{head}<body>{body}</body></html>"


HTML = _page()


def lesson(request):
    return HttpResponse(HTML)


urlpatterns = [path("lesson/", lesson)]

os.environ["DJANGO_SETTINGS_MODULE"] = __name__
if __name__ != "__main__":
    from django.core.wsgi import get_wsgi_application

    application = get_wsgi_application()
else:  # pragma: no cover - python bench/bare_view.py check
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
