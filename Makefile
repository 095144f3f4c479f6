# One command to run the platform with demo content, one to run the tests.
# Both create the virtual environment and install the pinned dependencies on first use.
VENV ?= .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test test-slow test-all install browser lint messages bench clean

$(VENV)/.installed: pyproject.toml requirements.lock
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -c requirements.lock -e ".[dev]"
	touch $@

install: $(VENV)/.installed

# load_demo prints the address runserver is given (make run HOST=0.0.0.0 PORT=8001).
# SITE_URL: the address that certificates' QR codes and e-mails link to.
SITE_URL ?= http://$(HOST):$(PORT)
run: install
	$(PY) manage.py migrate --noinput
	HOST="$(HOST)" PORT="$(PORT)" SITE_URL="$(SITE_URL)" $(PY) manage.py load_demo
	SITE_URL="$(SITE_URL)" $(PY) manage.py runserver $(HOST):$(PORT)

# End-to-end tests drive Debian's Chromium; install it when it is missing and we may.
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = "0" ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-color-emoji >/dev/null; \
	  else echo "Chromium is needed for the end-to-end tests: sudo apt-get install chromium" >&2; exit 1; fi; }

# The tests run in PYTEST_WORKERS processes (pytest-xdist), each with its own test database;
# PYTEST_WORKERS=0 runs them in this one (for pdb, -x, print debugging). loadfile: a file's
# consecutive tests stay in one worker, in the order one process runs them (tests/parallel.py).
PYTEST_WORKERS ?= 2
PYTEST_DIST ?= loadfile
PYTEST := $(VENV)/bin/pytest -n $(PYTEST_WORKERS) $(if $(filter 0,$(PYTEST_WORKERS)),,--dist $(PYTEST_DIST))

# The everyday suite: everything but the scale tests marked slow (CI runs those too).
test: install browser
	$(PYTEST) -m "not slow" $(PYTEST_ARGS)

# The scale tests alone: a 20 x 20 course, a 10,000-row import, demo loads, the crawl.
test-slow: install browser
	$(PYTEST) -m slow $(PYTEST_ARGS)

test-all: install browser
	$(PYTEST) $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run

messages: install
	$(PY) manage.py makemessages -l ru --ignore=.venv --ignore=static --ignore=var
	$(PY) manage.py compilemessages -l ru --ignore=.venv

bench: install
	$(PY) bench/pages.py

clean:
	rm -rf $(VENV) var media staticfiles

# The code editor bundle (CodeMirror 6) in static/vendor/codemirror/, from frontend/codemirror/.
.PHONY: editor
editor:
	cd frontend/codemirror && npm ci && npm run build
