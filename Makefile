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
run: install
	$(PY) manage.py migrate --noinput
	HOST="$(HOST)" PORT="$(PORT)" $(PY) manage.py load_demo
	$(PY) manage.py runserver $(HOST):$(PORT)

# End-to-end tests drive Debian's Chromium; install it when it is missing and we may.
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = "0" ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-color-emoji >/dev/null; \
	  else echo "Chromium is needed for the end-to-end tests: sudo apt-get install chromium" >&2; exit 1; fi; }

# The everyday suite: everything but the scale tests marked slow (CI runs those too).
test: install browser
	$(VENV)/bin/pytest -m "not slow" $(PYTEST_ARGS)

# The scale tests alone: a 20 x 20 course, a 10,000-row import, demo loads, the crawl.
test-slow: install browser
	$(VENV)/bin/pytest -m slow $(PYTEST_ARGS)

test-all: install browser
	$(VENV)/bin/pytest $(PYTEST_ARGS)

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
